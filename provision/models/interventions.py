"""The intervention catalogue and provision in practice: running groups and 1:1s, the pupils in
them with entry and exit measures, and the delivery log that shows planned sessions happened.

Costs are never stored: `provision/costs.py` computes them from these rows in one place.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from pupils.models import NeedArea, Pupil, TeachingGroup
from senco.models import School, User


class StaffRate(models.Model):
    """An hourly cost for a kind of staff (salary plus on-costs), which only the SENCO, the
    head and the school administrator may see."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="staff_rates")
    name = models.CharField(max_length=100, help_text="For example: Teaching assistant (level 3).")
    hourly_cost = models.DecimalField("Hourly cost (£)", max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="unique_staff_rate_name")]

    def __str__(self) -> str:
        return self.name


class Deliverer(models.TextChoices):
    TA = "ta", "Teaching assistant"
    TEACHER = "teacher", "Teacher"
    SPECIALIST = "specialist", "External specialist"


class MeasureKind(models.TextChoices):
    STANDARDISED = "standardised", "Standardised score (mean 100)"
    READING_AGE = "reading_age", "Reading or spelling age (months)"
    CHECKLIST = "checklist", "Checklist score"
    OTHER = "other", "Other score"


class CostBasis(models.TextChoices):
    STAFF_TIME = "staff_time", "Staff time at an hourly cost"
    FIXED = "fixed", "Fixed cost for a bought-in programme"


class Intervention(models.Model):
    """An entry in the school's intervention catalogue."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="interventions")
    name = models.CharField(max_length=150)
    area = models.CharField("Area of need", max_length=20, choices=NeedArea.choices)
    description = models.TextField(blank=True)
    delivered_by = models.CharField(max_length=20, choices=Deliverer.choices, default=Deliverer.TA)
    group_size = models.PositiveSmallIntegerField("Largest group size", default=6)
    sessions_per_week = models.PositiveSmallIntegerField(default=3)
    minutes_per_session = models.PositiveSmallIntegerField(default=30)
    typical_weeks = models.PositiveSmallIntegerField("Typical length (weeks)", default=10)
    measure_name = models.CharField(
        "Entry and exit measure", max_length=150, help_text="The same instrument at entry and exit."
    )
    measure_kind = models.CharField(
        max_length=20, choices=MeasureKind.choices, default=MeasureKind.STANDARDISED
    )
    cost_basis = models.CharField(max_length=20, choices=CostBasis.choices, default=CostBasis.STAFF_TIME)
    staff_rate = models.ForeignKey(
        StaffRate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    staff_per_session = models.PositiveSmallIntegerField(default=1)
    fixed_cost = models.DecimalField(
        "Fixed cost per group (£)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    resources_cost = models.DecimalField("Resources per group (£)", max_digits=9, decimal_places=2, default=0)
    is_active = models.BooleanField("In use", default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="unique_intervention_name"),
            models.CheckConstraint(
                condition=~Q(cost_basis="staff_time") | Q(staff_rate__isnull=False),
                name="staff_time_intervention_has_a_rate",
            ),
            models.CheckConstraint(
                condition=~Q(cost_basis="fixed") | Q(fixed_cost__isnull=False),
                name="fixed_cost_intervention_has_a_cost",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.cost_basis == CostBasis.STAFF_TIME and self.staff_rate_id is None:
            raise ValidationError({"staff_rate": "Choose the staff rate that prices this intervention."})
        if self.cost_basis == CostBasis.FIXED and self.fixed_cost is None:
            raise ValidationError({"fixed_cost": "Enter what the bought-in programme costs per group."})


class Setting(models.TextChoices):
    WITHDRAWAL = "withdrawal", "Withdrawal"
    IN_CLASS = "in_class", "In class"


class ProvisionGroup(models.Model):
    """A running group or 1:1 of one intervention. Its `teaching_group` (kind "intervention")
    lists the same staff and pupils, so staff who deliver it see its pupils."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="provision_groups")
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(max_length=100)
    staff = models.ManyToManyField(User, blank=True, related_name="provision_groups")
    teaching_group = models.OneToOneField(
        TeachingGroup, on_delete=models.PROTECT, related_name="provision_group", editable=False
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    sessions_per_week = models.PositiveSmallIntegerField()
    minutes_per_session = models.PositiveSmallIntegerField()
    schedule = models.CharField(max_length=200, blank=True, help_text="For example: Mon, Wed, Fri 9:10-9:40.")
    setting = models.CharField(max_length=20, choices=Setting.choices, default=Setting.WITHDRAWAL)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="group_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The group must end on or after the day it starts."})


class Placement(models.Model):
    """One pupil in one provision group, with their entry and exit measures."""

    group = models.ForeignKey(ProvisionGroup, on_delete=models.CASCADE, related_name="placements")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="placements")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    target = models.CharField(max_length=300, blank=True)
    entry_score = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    entry_measured_on = models.DateField(null=True, blank=True)
    exit_score = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    exit_measured_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["pupil__last_name", "pupil__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "pupil"], name="pupil_once_per_group"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="placement_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} in {self.group}"


class SessionStatus(models.TextChoices):
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"


class DeliveredSession(models.Model):
    """One planned session of a group, as the person who runs it recorded it."""

    group = models.ForeignKey(ProvisionGroup, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField("Date")
    status = models.CharField(max_length=20, choices=SessionStatus.choices, default=SessionStatus.DELIVERED)
    cancelled_reason = models.CharField("Why it was cancelled", max_length=200, blank=True)
    absent = models.ManyToManyField(Pupil, blank=True, related_name="+", verbose_name="Pupils absent")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on"]
        constraints = [
            models.UniqueConstraint(fields=["group", "held_on"], name="one_session_record_per_day"),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancelled_reason=""),
                name="cancelled_session_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} on {self.held_on}: {self.get_status_display()}"
