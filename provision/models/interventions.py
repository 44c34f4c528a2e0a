"""The school's intervention catalogue: what each entry is, how it is delivered and measured, and
what prices it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from provision.models.budget import StaffRate
from provision.rules import impact
from pupils.models import NeedArea
from senco.models import School


class Deliverer(models.TextChoices):
    TA = "ta", "Teaching assistant"
    TEACHER = "teacher", "Teacher"
    SPECIALIST = "specialist", "External specialist"


class MeasureKind(models.TextChoices):
    STANDARDISED = "standardised", "Standardised score (mean 100)"
    READING_AGE = "reading_age", "Reading or spelling age (months)"
    CHECKLIST = "checklist", "Checklist score"
    DIFFICULTIES = "difficulties", "Difficulties score, such as an SDQ total"
    OTHER = "other", "Other score"


class Direction(models.TextChoices):
    """Which way a measure moves as a pupil improves (`provision.rules.impact`)."""

    HIGHER = impact.HIGHER, "Higher scores are better"
    LOWER = impact.LOWER, "Lower scores are better"


class CostBasis(models.TextChoices):
    """What an entry needs to be priced: our staff's time at a default rate, or a bought-in
    programme's fee. Either way a group also costs the time of the staff who run it."""

    STAFF_TIME = "staff_time", "Run by our staff: staff time at an hourly cost"
    FIXED = "fixed", "Bought-in programme: a fee per group, plus the time of our staff who run it"


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
    better_when = models.CharField(
        "Which way is better", max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    # What the instrument can score, so that 35 on a checklist out of 30 is refused as a typing
    # mistake. Blank: the usual bounds for the kind (`impact.score_range`).
    measure_lowest = models.DecimalField(
        "Lowest possible score", max_digits=6, decimal_places=1, null=True, blank=True
    )
    measure_highest = models.DecimalField(
        "Highest possible score", max_digits=6, decimal_places=1, null=True, blank=True
    )
    cost_basis = models.CharField(max_length=20, choices=CostBasis.choices, default=CostBasis.STAFF_TIME)
    # The default for a group's staff with no rate of their own, and for a group naming no staff.
    staff_rate = models.ForeignKey(
        StaffRate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    staff_per_session = models.PositiveSmallIntegerField(default=1)
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
                condition=Q(measure_lowest__isnull=True)
                | Q(measure_highest__isnull=True)
                | Q(measure_lowest__lt=models.F("measure_highest")),
                name="measure_lowest_below_highest",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.cost_basis == CostBasis.STAFF_TIME and self.staff_rate_id is None:
            raise ValidationError({"staff_rate": "Choose the staff rate that prices this intervention."})
        # Blank only on the way in from the catalogue form: the service puts in the usual one.
        if self.better_when and (problem := impact.direction_problem(self.measure_kind, self.better_when)):
            raise ValidationError({"better_when": problem})
        if problem := impact.range_problem(self.measure_kind, self.measure_lowest, self.measure_highest):
            raise ValidationError({"measure_highest": problem})

    @property
    def score_range_text(self) -> str:
        """What its measure can score: "from 0 to 30", "from 0 up"."""
        low_high = impact.score_range(self.measure_kind, self.measure_lowest, self.measure_highest)
        return impact.describe_range(*low_high)


class InterventionCost(models.Model):
    """An intervention's programme fee and resources per group from the day they apply from until
    the next: a group is bought once, so it pays those in force on its first day. The first
    applies from the start (`provision.rules.budget.FROM_THE_START`). A bought-in programme
    (`CostBasis.FIXED`) has a fee in its latest one."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="costs")
    applies_from = models.DateField("Applies from")
    fixed_cost = models.DecimalField(
        "Programme fee per group (£)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    resources_cost = models.DecimalField("Resources per group (£)", max_digits=9, decimal_places=2, default=0)

    class Meta:
        ordering = ["intervention", "applies_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "applies_from"], name="one_intervention_cost_a_day"
            ),
            models.CheckConstraint(
                condition=(Q(fixed_cost__isnull=True) | Q(fixed_cost__gte=0)) & Q(resources_cost__gte=0),
                name="intervention_cost_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intervention} from {self.applies_from}"

    def clean(self) -> None:
        errors = {
            name: "Enter an amount of £0 or more."
            for name in ("fixed_cost", "resources_cost")
            if (amount := getattr(self, name)) is not None and amount < 0
        }
        if errors:
            raise ValidationError(errors)
