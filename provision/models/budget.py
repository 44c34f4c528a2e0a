"""What provision costs that is not worked out from its groups: the hourly cost of each kind of
staff from the dates it applies from, the rate each member of staff is costed at, and each
pupil's element 3 top-up. Costs themselves are never stored: `provision.rules.budget` computes
them from these rows."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from pupils.models import Pupil
from senco.models import School, User


class StaffRate(models.Model):
    """A kind of staff with an hourly cost (salary plus on-costs) that changes from dates
    (`StaffRateAmount`), which only the SENCO, the head and the school administrator may see."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="staff_rates")
    name = models.CharField(max_length=100, help_text="For example: Teaching assistant (level 3).")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="unique_staff_rate_name")]

    def __str__(self) -> str:
        return self.name


class StaffRateAmount(models.Model):
    """A staff rate's hourly cost from the day it applies from until the next one's: a pay award
    from 1 September re-prices groups from that day only. The first applies from the start
    (`provision.rules.budget.FROM_THE_START`), so it prices every group, however early."""

    staff_rate = models.ForeignKey(StaffRate, on_delete=models.CASCADE, related_name="amounts")
    applies_from = models.DateField("Applies from")
    hourly_cost = models.DecimalField("Hourly cost (£)", max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["staff_rate", "applies_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff_rate", "applies_from"], name="one_staff_rate_amount_a_day"
            ),
            models.CheckConstraint(condition=Q(hourly_cost__gte=0), name="staff_rate_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_rate} from {self.applies_from}"

    def clean(self) -> None:
        if self.hourly_cost is not None and self.hourly_cost < 0:
            raise ValidationError({"hourly_cost": "Enter an amount of £0 or more."})


class StaffMemberRate(models.Model):
    """The staff rate one member of staff is costed at from a day until their next one's: a group
    is costed with its own staff, each day at the rate they had that day, so moving a TA to the
    higher-level rate from 1 January re-prices their groups from that day only. No rate
    (`staff_rate` None) from a day, or none yet, means each intervention's rate. Rates given
    before they were dated apply from the start (`provision.rules.budget.FROM_THE_START`)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="staff_member_rates")
    staff = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    applies_from = models.DateField("Applies from")
    staff_rate = models.ForeignKey(
        StaffRate, on_delete=models.PROTECT, null=True, blank=True, related_name="staff_members"
    )

    class Meta:
        ordering = ["staff", "applies_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "staff", "applies_from"], name="one_staff_member_rate_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff}: {self.staff_rate or 'each intervention’s rate'} from {self.applies_from}"


class TopUp(models.Model):
    """Element 3: the high-needs top-up the local authority pays for one pupil for one financial
    year, beyond the first £6,000 a year the school meets from its notional SEN budget (DfE, High
    needs funding: operational guide). Pupils with an EHC plan usually have one."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="top_ups")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="top_ups")
    financial_year = models.PositiveIntegerField(help_text="The year in which it starts: 2026 is 2026-27.")
    amount = models.DecimalField("Top-up for the year (£)", max_digits=10, decimal_places=2)
    note = models.CharField(
        max_length=200,
        blank=True,
        help_text="For example: band C, from the local authority's funding letter.",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["financial_year", "pupil__last_name", "pupil__first_name", "pk"]
        verbose_name = "element 3 top-up"
        constraints = [
            models.UniqueConstraint(fields=["pupil", "financial_year"], name="one_top_up_per_pupil_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="top_up_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Element 3 top-up for {self.pupil}"

    def clean(self) -> None:
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": "Enter an amount of £0 or more."})
