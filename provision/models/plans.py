"""SEN support plans as assess-plan-do-review cycles (CoP 6.44-6.56).

One `SupportPlan` is one APDR cycle; closing its review opens the next, so a pupil's plans form a
chain of numbered cycles. A finalised plan or review is never silently changed: each finalisation
or later amendment writes a `PlanVersion` snapshot."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from pupils.models import NeedArea, Pupil, SenStatus
from senco.models import School, User


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
