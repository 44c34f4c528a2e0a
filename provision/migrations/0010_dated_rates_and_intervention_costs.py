"""Staff rates' hourly costs and interventions' fees and resources apply from dates.

Every existing amount becomes the first of its history and applies from the start (1 January of
year 1, `provision.rules.budget.FROM_THE_START`), so every group already recorded, however early,
is priced exactly as before. The old columns go in the next migration, in a transaction of its
own: PostgreSQL will not alter a table in the transaction that queued the new rows' foreign-key
checks.
"""

import datetime

import django.db.models.deletion
from django.db import migrations, models

FROM_THE_START = datetime.date.min


def copy_amounts(apps, schema_editor):
    StaffRate = apps.get_model("provision", "StaffRate")
    StaffRateAmount = apps.get_model("provision", "StaffRateAmount")
    Intervention = apps.get_model("provision", "Intervention")
    InterventionCost = apps.get_model("provision", "InterventionCost")
    StaffRateAmount.objects.bulk_create(
        StaffRateAmount(staff_rate_id=pk, applies_from=FROM_THE_START, hourly_cost=hourly_cost)
        for pk, hourly_cost in StaffRate.objects.values_list("pk", "hourly_cost")
    )
    InterventionCost.objects.bulk_create(
        InterventionCost(
            intervention_id=pk, applies_from=FROM_THE_START, fixed_cost=fixed_cost, resources_cost=resources
        )
        for pk, fixed_cost, resources in Intervention.objects.values_list("pk", "fixed_cost", "resources_cost")
    )


class Migration(migrations.Migration):

    dependencies = [
        ("provision", "0009_display_names_for_the_disposal_log"),
    ]

    operations = [
        migrations.CreateModel(
            name="StaffRateAmount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("applies_from", models.DateField(verbose_name="Applies from")),
                ("hourly_cost", models.DecimalField(decimal_places=2, max_digits=7, verbose_name="Hourly cost (£)")),
                (
                    "staff_rate",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="amounts", to="provision.staffrate"
                    ),
                ),
            ],
            options={
                "ordering": ["staff_rate", "applies_from"],
                "constraints": [
                    models.UniqueConstraint(fields=("staff_rate", "applies_from"), name="one_staff_rate_amount_a_day"),
                    models.CheckConstraint(
                        condition=models.Q(("hourly_cost__gte", 0)), name="staff_rate_amount_not_negative"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="InterventionCost",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("applies_from", models.DateField(verbose_name="Applies from")),
                (
                    "fixed_cost",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=9,
                        null=True,
                        verbose_name="Programme fee per group (£)",
                    ),
                ),
                (
                    "resources_cost",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=9, verbose_name="Resources per group (£)"
                    ),
                ),
                (
                    "intervention",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="costs", to="provision.intervention"
                    ),
                ),
            ],
            options={
                "ordering": ["intervention", "applies_from"],
                "constraints": [
                    models.UniqueConstraint(fields=("intervention", "applies_from"), name="one_intervention_cost_a_day"),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("fixed_cost__isnull", True), ("fixed_cost__gte", 0), _connector="OR"),
                            ("resources_cost__gte", 0),
                        ),
                        name="intervention_cost_not_negative",
                    ),
                ],
            },
        ),
        migrations.RunPython(copy_amounts, migrations.RunPython.noop),
    ]
