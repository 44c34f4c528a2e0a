"""SEN support plans as assess-plan-do-review cycles (CoP 6.44-6.56), the intervention catalogue,
and provision in practice: groups and 1:1s, the pupils in them with entry and exit measures, and
the delivery log.

One `SupportPlan` is one APDR cycle; closing its review opens the next, so a pupil's plans form a
chain of numbered cycles. A finalised plan or review is never silently changed: each finalisation
or later amendment writes a `PlanVersion` snapshot. Costs are never stored:
`provision.rules.budget` computes them from these rows."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from provision.rules import impact
from pupils.models import NeedArea, Pupil, SenStatus, TeachingGroup
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


class StaffMemberRate(models.Model):
    """The staff rate one member of staff is costed at: a group is costed with its own staff at
    their own rates. Staff without one are costed at the intervention's rate."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="staff_member_rates")
    staff = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    staff_rate = models.ForeignKey(StaffRate, on_delete=models.PROTECT, related_name="staff_members")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "staff"], name="one_rate_per_staff_member")]

    def __str__(self) -> str:
        return f"{self.staff}: {self.staff_rate}"


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
    fixed_cost = models.DecimalField(
        "Programme fee per group (£)", max_digits=9, decimal_places=2, null=True, blank=True
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
        if self.cost_basis == CostBasis.FIXED and self.fixed_cost is None:
            raise ValidationError({"fixed_cost": "Enter what the bought-in programme costs per group."})
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
    # Who put the pupil in and took them out, for the chronology's "Recorded by". Empty for
    # placements recorded before these were kept.
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    ended_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["pupil__last_name", "pupil__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "pupil"], name="pupil_once_per_group"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="placement_leaves_after_joining",
            ),
            # A score means nothing without the day it was taken (and the ratio gain needs the
            # months between); progress is judged from entry to exit.
            models.CheckConstraint(
                condition=Q(entry_score__isnull=True, entry_measured_on__isnull=True)
                | Q(entry_score__isnull=False, entry_measured_on__isnull=False),
                name="entry_score_has_its_date",
            ),
            models.CheckConstraint(
                condition=Q(exit_score__isnull=True, exit_measured_on__isnull=True)
                | Q(exit_score__isnull=False, exit_measured_on__isnull=False),
                name="exit_score_has_its_date",
            ),
            models.CheckConstraint(
                condition=Q(exit_score__isnull=True) | Q(entry_score__isnull=False),
                name="exit_score_follows_an_entry_score",
            ),
            models.CheckConstraint(
                condition=Q(exit_measured_on__isnull=True)
                | Q(entry_measured_on__isnull=True)
                | Q(exit_measured_on__gte=models.F("entry_measured_on")),
                name="exit_measured_after_entry",
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


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Finalised (in the Do stage)"
    REVIEWED = "reviewed", "Reviewed"


class Progress(models.TextChoices):
    MET = "met", "Met"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"


class Decision(models.TextChoices):
    """The review's decision (the graduated approach, CoP 6.44-6.56): carry on or adapt, escalate
    to specialists (CoP 6.59) or an EHC needs assessment (CoP 6.63), or exit."""

    CONTINUE = "continue", "Continue the plan"
    ADAPT = "adapt", "Adapt the plan"
    ESCALATE = "escalate", "Escalate (specialist advice or EHC needs assessment)"
    EXIT = "exit", "Exit SEN support (to monitoring or no SEN)"


class ParentsAtReview(models.TextChoices):
    """Whether parents came to the review meeting. The Code expects them to be invited and
    met at least three times a year (CoP 6.65); a parent who did not come is recorded as such,
    not with a view typed in for them."""

    CAME = "came", "Came to the meeting"
    DID_NOT_COME = "did_not_come", "Invited, but did not come"
    DECLINED = "declined", "Declined the invitation"


# The statuses a pupil may leave SEN support for: the school's own watch, or no SEN.
EXIT_STATUSES = [
    (SenStatus.MONITORING.value, SenStatus.MONITORING.label),
    (SenStatus.NO_SEN.value, SenStatus.NO_SEN.label),
]

# What a cycle is called. A pupil with an EHC plan is not on SEN support (census E, not K), so
# the school's termly assess-plan-do-review cycle towards the plan's outcomes is their support
# plan under the EHC plan; the EHC plan itself, and its annual review, are the local authority's.
SEN_SUPPORT_PLAN = "SEN support plan"
EHC_SUPPORT_PLAN = "Support plan (EHC plan)"


def plan_name(pupil_status: str | None, *, mid_sentence: bool = False) -> str:
    """What a cycle is called, given the pupil's SEN status while it ran; `mid_sentence` for
    "the support plan (EHC plan)" inside a sentence ("SEN" keeps its capitals)."""
    if pupil_status != SenStatus.EHC_PLAN:
        return SEN_SUPPORT_PLAN
    return EHC_SUPPORT_PLAN[0].lower() + EHC_SUPPORT_PLAN[1:] if mid_sentence else EHC_SUPPORT_PLAN


class SupportPlan(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="support_plans")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="support_plans")
    cycle = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_cycle"
    )
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    started_on = models.DateField()
    assessment = models.TextField(
        "Assess: what we know",
        blank=True,
        help_text="Teacher assessment, prior attainment, pupil and parent views, external advice.",
    )
    strategies = models.TextField("Plan: strategies and provision that will help", blank=True)
    arrangements = models.TextField("Do: who does what", blank=True)
    review_due_on = models.DateField("Review date")
    shared_with_parents_on = models.DateField(
        "Shared with parents on",
        null=True,
        blank=True,
        help_text="The date parents were told about the SEN provision (the s68 notice).",
    )
    # Which text parents were given: the number of the PlanVersion kept when the sharing was
    # recorded. Null with a date means the plan was shared before any version was kept.
    shared_version = models.PositiveIntegerField(null=True, blank=True)
    finalised_on = models.DateField(null=True, blank=True)
    finalised_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["pupil", "-cycle"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "cycle"], name="one_plan_per_pupil_cycle"),
            models.UniqueConstraint(
                fields=["pupil"],
                condition=~Q(status="reviewed"),
                name="one_open_plan_per_pupil",
            ),
            models.CheckConstraint(
                condition=Q(shared_version__isnull=True) | Q(shared_with_parents_on__isnull=False),
                name="shared_version_needs_shared_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, cycle {self.cycle}"

    def get_absolute_url(self) -> str:
        return reverse("provision:plan_detail", args=[self.pk])

    def clean(self) -> None:
        if self.review_due_on and self.started_on and self.review_due_on <= self.started_on:
            raise ValidationError({"review_due_on": "The review date must be after the plan starts."})
        if self.shared_with_parents_on and self.started_on and self.shared_with_parents_on < self.started_on:
            raise ValidationError({"shared_with_parents_on": "The plan cannot be shared before it starts."})
        # Cycles follow one another: a cycle dated before the one it follows would put the
        # pupil's plans out of order in every list and chronology.
        if self.previous_id and self.started_on and self.started_on < self.previous.started_on:
            began = self.previous.started_on
            raise ValidationError(
                {
                    "started_on": f"Cycle {self.previous.cycle} started on {began.day} {began:%B %Y}: "
                    "this cycle cannot start before it."
                }
            )

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def name(self) -> str:
        """ "SEN support plan", or "Support plan (EHC plan)" if the pupil had an EHC plan while the
        cycle ran, from the `pupil_status_then` annotation of
        `provision.selectors.plans.with_plan_names`."""
        return plan_name(getattr(self, "pupil_status_then", None))

    @property
    def name_mid_sentence(self) -> str:
        return plan_name(getattr(self, "pupil_status_then", None), mid_sentence=True)


class PlanOutcome(models.Model):
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="outcomes")
    area = models.CharField("Area of need", max_length=20, choices=NeedArea.choices)
    description = models.TextField("Outcome")
    success_criteria = models.TextField("Success criteria", blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class PlanReview(models.Model):
    plan = models.OneToOneField(SupportPlan, on_delete=models.CASCADE, related_name="review")
    held_on = models.DateField("Review meeting date")
    evidence = models.TextField("Evidence of progress", blank=True)
    parent_view = models.TextField("Parents' view, in their own words", blank=True)
    parent_view_on = models.DateField("Parents' view given on", null=True, blank=True)
    pupil_view = models.TextField("Pupil's view, in their own words", blank=True)
    pupil_view_on = models.DateField("Pupil's view given on", null=True, blank=True)
    next_steps = models.TextField("Next steps", blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    invited = models.TextField(
        "Who was invited",
        blank=True,
        help_text="For example: mother, father, class teacher, speech and language therapist.",
    )
    attended = models.TextField("Who came", blank=True)
    declined = models.TextField("Who declined or sent apologies", blank=True)
    parents_at_meeting = models.CharField(
        "Parents or carers at the meeting", max_length=20, choices=ParentsAtReview.choices, blank=True
    )
    # An exit from SEN support: the status the pupil moves to, from when, and when parents were
    # told. Closing the review records the change in the pupil's SEN history.
    exit_status = models.CharField(
        "SEN status the pupil moves to", max_length=20, choices=EXIT_STATUSES, blank=True
    )
    status_from = models.DateField(
        "New status takes effect from",
        null=True,
        blank=True,
        help_text="The review date, or later: for example the end of the intervention or of term.",
    )
    parents_told_on = models.DateField("Parents told of the change on", null=True, blank=True)
    finalised_on = models.DateField(null=True, blank=True)
    finalised_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(finalised_on__isnull=True) | ~Q(decision=""),
                name="finalised_review_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(decision="exit")
                | Q(exit_status="", status_from__isnull=True, parents_told_on__isnull=True),
                name="exit_details_only_with_exit",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of cycle {self.plan.cycle}"

    def clean(self) -> None:
        errors = {}
        started_on = self.plan.started_on if self.plan_id else None
        if self.held_on and started_on and self.held_on < started_on:
            errors["held_on"] = (
                f"The plan started on {started_on.day} {started_on:%B %Y}: "
                "the review cannot be dated before that."
            )
        if self.parent_view and not self.parent_view_on:
            errors["parent_view_on"] = "Give the date of the parents' view."
        if self.pupil_view and not self.pupil_view_on:
            errors["pupil_view_on"] = "Give the date of the pupil's view."
        if self.held_on and self.status_from and self.status_from < self.held_on:
            errors["status_from"] = (
                f"The review was held on {self.held_on.day} {self.held_on:%B %Y}: "
                "the new status starts on that day or later."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_final(self) -> bool:
        return self.finalised_on is not None


class OutcomeProgress(models.Model):
    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="progress")
    outcome = models.ForeignKey(PlanOutcome, on_delete=models.PROTECT, related_name="progress")
    rating = models.CharField(max_length=20, choices=Progress.choices)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = "progress rating"
        constraints = [
            models.UniqueConstraint(fields=["review", "outcome"], name="one_progress_per_outcome_per_review")
        ]

    def __str__(self) -> str:
        return self.get_rating_display()


class ReviewComment(models.Model):
    """A teacher's or TA's note for the review, from the classroom."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("Comment")
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return f"Comment by {self.author}"


class PlanVersion(models.Model):
    """A frozen copy of a plan (and its review) at finalisation or amendment."""

    # Reasons read back to tell which text parents have: only an amendment changes a finalised
    # plan's text, so a sharing covers every version up to the next amendment.
    AMENDED = "Amended after finalisation"
    SHARED = "Shared with parents"

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    reason = models.CharField(max_length=200)
    snapshot = models.JSONField()
    made_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_version_number")]

    def __str__(self) -> str:
        return f"Version {self.number}"


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
