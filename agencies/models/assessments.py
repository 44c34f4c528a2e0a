"""EHC needs assessment requests as the school sees them: who asked, when the local authority
received the request (the day its statutory clock starts, SEND Regs 2014 reg 5), the evidence
sent, and the LA's steps as they happen. The deadlines themselves are never stored: they come
from `senco.deadlines` each time (R11)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from pupils.models import Pupil
from senco.models import School, User


class Requester(models.TextChoices):
    # CoP 9.8: a parent, a young person aged 16 to 25, or a person acting for a school.
    SCHOOL = "school", "The school"
    PARENT = "parent", "A parent"
    YOUNG_PERSON = "young_person", "The young person (aged 16 to 25)"


class AssessmentDecision(models.TextChoices):
    ASSESS = "assess", "The LA will assess"
    REFUSE = "refuse", "The LA refused to assess"


class ExemptionKind(models.TextChoices):
    # SEND Regs 2014 reg 5(4), 8(2), 10(4) and 13(3): the time limits do not apply in these cases.
    AWAY_FROM_AREA = "away", "The child or young person was away from the area for 4 weeks or more"
    PERSONAL_CIRCUMSTANCES = "personal", "Exceptional personal circumstances of the child or the family"
    SCHOOL_CLOSED = "closed", "The school or college was closed for 4 weeks or more"
    MISSED_APPOINTMENTS = "appointments", "Missed appointments (the six-week advice duty only)"


class ClockStep(models.TextChoices):
    """The LA's deadlines an exemption may be recorded against."""

    DECISION = "decision", "Decision whether to assess"
    ADVICE = "advice", "Advice asked of professionals"
    NO_PLAN_NOTICE = "no_plan_notice", "Notice not to issue a plan"
    FINAL_PLAN = "final_plan", "Final EHC plan"


class AssessmentRequest(models.Model):
    """One request to the LA for an EHC needs assessment of a pupil, and the LA's steps on it.

    `received_on` is an estimate (the day sent, or soon after) until the LA confirms it: schools
    often know only when they sent the request. Each step is a date, empty until it happens; the
    order of the steps is checked in `clean()`, each error beside its own date."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="ehc_requests")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="ehc_requests")
    requested_by = models.CharField("Who asked", max_length=20, choices=Requester.choices)
    sent_on = models.DateField("Date sent to the LA")
    received_on = models.DateField(
        "Date the LA received it",
        help_text="The statutory clock starts on this day. Estimate it until the LA confirms it.",
    )
    received_confirmed = models.BooleanField("The LA has confirmed this date", default=False)
    evidence = models.TextField(
        "Evidence sent", help_text="Reports, plans and reviews sent with the request, one a line."
    )
    decision = models.CharField(
        "The LA's decision", max_length=10, choices=AssessmentDecision.choices, blank=True
    )
    decided_on = models.DateField("Date of the decision", null=True, blank=True)
    advice_requested_on = models.DateField("Date the LA asked for advice", null=True, blank=True)
    draft_sent_on = models.DateField("Date the draft plan was sent", null=True, blank=True)
    final_plan_on = models.DateField("Date the final EHC plan was issued", null=True, blank=True)
    no_plan_notice_on = models.DateField("Date of the notice not to issue a plan", null=True, blank=True)
    mediation_certificate_on = models.DateField("Date of the mediation certificate", null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(received_on__gte=models.F("sent_on")),
                name="ehc_request_received_after_sent",
            ),
            models.CheckConstraint(
                condition=models.Q(final_plan_on__isnull=True) | models.Q(no_plan_notice_on__isnull=True),
                name="ehc_request_plan_or_notice_not_both",
            ),
            models.CheckConstraint(
                condition=models.Q(decision="") | models.Q(decided_on__isnull=False),
                name="ehc_request_decision_is_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"EHC needs assessment request received {self.received_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("agencies:ehc_request_detail", args=[self.pk])

    @property
    def refused(self) -> bool:
        return self.decision == AssessmentDecision.REFUSE

    @property
    def closed(self) -> bool:
        """Nothing more is due from the LA: it refused, issued the final plan or gave notice."""
        return self.refused or self.final_plan_on is not None or self.no_plan_notice_on is not None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        received = (
            f"the day the LA received the request ({self.received_on:%d/%m/%Y})" if self.received_on else ""
        )
        if self.sent_on and self.received_on and self.received_on < self.sent_on:
            errors["received_on"] = "The LA cannot have received the request before it was sent."
        if bool(self.decision) != bool(self.decided_on):
            field = "decided_on" if self.decision else "decision"
            errors[field] = "Give both the LA's decision and its date."
        if self.decided_on and self.received_on and self.decided_on < self.received_on:
            errors["decided_on"] = f"The decision cannot come before {received}."
        assessing = self.decision == AssessmentDecision.ASSESS
        later_steps = {
            "advice_requested_on": "advice requested",
            "draft_sent_on": "a draft plan",
            "final_plan_on": "a final plan",
            "no_plan_notice_on": "a notice not to issue a plan",
        }
        for field, what in later_steps.items():
            day = getattr(self, field)
            if day is None or field in errors:
                continue
            if not assessing:
                errors[field] = (
                    f"The LA refused to assess, so there is no {what}."
                    if self.refused
                    else f"Record the LA's decision to assess before {what}."
                )
            elif self.decided_on and day < self.decided_on:
                errors[field] = (
                    f"This cannot come before the decision to assess ({self.decided_on:%d/%m/%Y})."
                )
        if "final_plan_on" not in errors and self.final_plan_on:
            if self.no_plan_notice_on:
                errors["final_plan_on"] = "The LA gave notice not to issue a plan: there is no final plan."
            elif not self.draft_sent_on:
                errors["final_plan_on"] = "Record the draft plan first: a final plan follows a draft."
            elif self.final_plan_on < self.draft_sent_on:
                errors["final_plan_on"] = (
                    f"The final plan cannot come before the draft ({self.draft_sent_on:%d/%m/%Y})."
                )
        if "no_plan_notice_on" not in errors and self.no_plan_notice_on and self.draft_sent_on:
            errors["no_plan_notice_on"] = (
                "A draft plan was sent: the LA then issues a final plan, not a notice."
            )
        if self.mediation_certificate_on:
            challenged = self.decided_on if self.refused else self.no_plan_notice_on or self.final_plan_on
            if challenged is None:
                errors["mediation_certificate_on"] = (
                    "Mediation follows a decision that can be appealed: a refusal to assess, a notice "
                    "not to issue a plan, or a final plan."
                )
            elif self.mediation_certificate_on < challenged:
                errors["mediation_certificate_on"] = (
                    f"The certificate cannot come before the decision it is about ({challenged:%d/%m/%Y})."
                )
        if errors:
            raise ValidationError(errors)


class ClockExemption(models.Model):
    """A reason the LA gives for not meeting a deadline, which the regulations allow. It is shown
    beside the statutory date and never replaces it: the SEND Regulations disapply the limit,
    they set no new one, so any date the LA gives instead is recorded as the LA's own."""

    request = models.ForeignKey(AssessmentRequest, on_delete=models.CASCADE, related_name="exemptions")
    step = models.CharField("Deadline it applies to", max_length=20, choices=ClockStep.choices)
    kind = models.CharField("Type of exemption", max_length=20, choices=ExemptionKind.choices)
    starts_on = models.DateField("From")
    ends_on = models.DateField("To", null=True, blank=True, help_text="Leave empty while it lasts.")
    evidence = models.TextField("Evidence", help_text="What the LA said, and where it is recorded.")
    la_revised_on = models.DateField(
        "Date the LA now gives",
        null=True,
        blank=True,
        help_text="If the LA has named one. It is shown beside the statutory date, not instead of it.",
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="ehc_exemption_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_step_display()})"

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "An exemption cannot end before it starts."})
        if self.kind == ExemptionKind.MISSED_APPOINTMENTS and self.step != ClockStep.ADVICE:
            raise ValidationError(
                {
                    "kind": "Missed appointments excuse only the six-week deadline for advice "
                    "(SEND Regs 2014 reg 8)."
                }
            )
