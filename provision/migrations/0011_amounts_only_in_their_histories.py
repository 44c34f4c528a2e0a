"""The amounts now live in their dated histories (the previous migration): drop the old columns.

Reversible: going back, each staff rate and intervention gets the latest amounts of its history
(a bought-in programme's latest cost has its fee, so the old check holds again); the dates, and
any earlier amounts, are lost.
"""

from django.db import migrations, models


def copy_latest_amounts_back(apps, schema_editor):
    StaffRate = apps.get_model("provision", "StaffRate")
    StaffRateAmount = apps.get_model("provision", "StaffRateAmount")
    Intervention = apps.get_model("provision", "Intervention")
    InterventionCost = apps.get_model("provision", "InterventionCost")
    latest = {}
    for row in StaffRateAmount.objects.order_by("staff_rate_id", "applies_from"):
        latest[row.staff_rate_id] = row.hourly_cost
    for rate in StaffRate.objects.all():
        rate.hourly_cost = latest.get(rate.pk, 0)
        rate.save(update_fields=["hourly_cost"])
    costs = {}
    for row in InterventionCost.objects.order_by("intervention_id", "applies_from"):
        costs[row.intervention_id] = (row.fixed_cost, row.resources_cost)
    for intervention in Intervention.objects.all():
        intervention.fixed_cost, intervention.resources_cost = costs.get(intervention.pk, (None, 0))
        intervention.save(update_fields=["fixed_cost", "resources_cost"])


class Migration(migrations.Migration):

    dependencies = [
        ("provision", "0010_dated_rates_and_intervention_costs"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="intervention",
            name="fixed_cost_intervention_has_a_cost",
        ),
        migrations.AlterField(
            model_name="staffrate",
            name="hourly_cost",
            field=models.DecimalField(decimal_places=2, max_digits=7, null=True, verbose_name="Hourly cost (£)"),
        ),
        migrations.RunPython(migrations.RunPython.noop, copy_latest_amounts_back),
        migrations.RemoveField(
            model_name="staffrate",
            name="hourly_cost",
        ),
        migrations.RemoveField(
            model_name="intervention",
            name="fixed_cost",
        ),
        migrations.RemoveField(
            model_name="intervention",
            name="resources_cost",
        ),
    ]
