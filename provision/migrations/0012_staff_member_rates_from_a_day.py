"""The rate each member of staff is costed at applies from a day, as staff rates' hourly costs
do: a move to another rate re-prices their groups from that day only.

Each rate already given becomes the first of its member's history and applies from the start
(1 January of year 1), so every group is priced exactly as before. A member may now also have
no rate of their own from a day (`staff_rate` empty): each intervention's rate again.

Reversible: going back, each member keeps only their latest rate (none if it is none).
"""

import datetime

import django.db.models.deletion
from django.db import migrations, models


def keep_each_members_latest_rate(apps, schema_editor):
    StaffMemberRate = apps.get_model("provision", "StaffMemberRate")
    latest = {}
    for row in StaffMemberRate.objects.order_by("school_id", "staff_id", "applies_from"):
        latest[row.school_id, row.staff_id] = row.pk
    StaffMemberRate.objects.exclude(pk__in=list(latest.values())).delete()
    StaffMemberRate.objects.filter(staff_rate__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("provision", "0011_amounts_only_in_their_histories"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="staffmemberrate",
            name="one_rate_per_staff_member",
        ),
        migrations.AddField(
            model_name="staffmemberrate",
            name="applies_from",
            field=models.DateField(default=datetime.date.min, verbose_name="Applies from"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="staffmemberrate",
            name="staff_rate",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="staff_members",
                to="provision.staffrate",
            ),
        ),
        migrations.AlterModelOptions(
            name="staffmemberrate",
            options={"ordering": ["staff", "applies_from"]},
        ),
        migrations.AddConstraint(
            model_name="staffmemberrate",
            constraint=models.UniqueConstraint(
                fields=("school", "staff", "applies_from"), name="one_staff_member_rate_a_day"
            ),
        ),
        # Last, so that going back it runs first, before the old constraint returns.
        migrations.RunPython(migrations.RunPython.noop, keep_each_members_latest_rate),
    ]
