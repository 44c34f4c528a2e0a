"""Outside professionals' work with a pupil (SEND Code of Practice 6.58-6.62): each visit,
assessment or meeting, the reports they send, and the recommendations in those reports, which a
SEN support plan or an EHC plan takes up (CoP 6.61: the school puts the advice into practice
within the graduated approach; CoP 9.69: the plan's provision draws on the advice gathered).
Involvement and reports may name the referral they came from."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from agencies.models.directory import Agency
from agencies.models.ehc_plans import EhcPlan
from agencies.models.referrals import Referral
from agencies.rules import REPORT_TYPE_CHOICES, REPORT_TYPES
from provision.models import SupportPlan
from pupils.models import Pupil
from senco.models import School, User


def _check_referral(record) -> None:
    """A record may name only a referral of its own pupil."""
    # A form checks the record before its pupil is set: the service checks it again then.
    if record.referral_id and record.pupil_id and record.referral.pupil_id != record.pupil_id:
        raise ValidationError({"referral": "Choose one of this pupil's referrals."})


class InvolvementKind(models.TextChoices):
    VISIT = "visit", "Visit to school"
    OBSERVATION = "observation", "Observation in class"
    ASSESSMENT = "assessment", "Assessment"
    MEETING = "meeting", "Meeting"
    CONSULTATION = "consultation", "Consultation (phone or video)"
    CLINIC = "clinic", "Clinic appointment"
    OTHER = "other", "Other"


class Involvement(models.Model):
    """One piece of work by an outside professional with or about the pupil."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="involvements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="involvements")
    referral = models.ForeignKey(
        Referral,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="involvements",
        verbose_name="From the referral",
        help_text="The referral this came from, if any.",
    )
    kind = models.CharField("What happened", max_length=20, choices=InvolvementKind.choices)
    happened_on = models.DateField("Date")
    professional = models.CharField(
        "Professional",
        max_length=150,
        blank=True,
        help_text="Their name and role, e.g. Dr A Khan, educational psychologist.",
    )
    notes = models.TextField(
        "Notes", blank=True, help_text="What was done and agreed. Recommendations go with the report."
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.agency}, {self.happened_on:%-d %B %Y}"

    def clean(self) -> None:
        if self.agency_id and self.school_id and self.agency.school_id != self.school_id:
            raise ValidationError({"agency": "Choose one of this school's services."})
        _check_referral(self)


def report_storage_name(report: "Report", filename: str) -> str:
    """A random name under reports/<school>/: never the name the file was uploaded with, which
    may hold a child's name and may not be safe as a path. The extension is the one its content
    showed (`identify_report`)."""
    return f"reports/{report.school_id}/{uuid.uuid4().hex}{REPORT_TYPES[report.file_type].extension}"


class Report(models.Model):
    """A report an outside professional sent about the pupil, kept as a file in private storage
    and read only through the audited download. One marked as health information is read by the
    SENCO team and the head alone (agencies.permissions.HEALTH_READERS)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="agency_reports")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="reports")
    involvement = models.ForeignKey(
        Involvement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name="From the involvement",
    )
    referral = models.ForeignKey(
        Referral,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name="From the referral",
        help_text="The referral this came from, if any.",
    )
    title = models.CharField(max_length=200, help_text="e.g. Educational psychology assessment report.")
    written_on = models.DateField("Dated")
    received_on = models.DateField("Received by the school on")
    is_health_information = models.BooleanField(
        "Health information",
        default=False,
        help_text="A medical or therapy report, or one naming a diagnosis: only the SENCO team and "
        "the head may read it.",
    )
    file = models.FileField(upload_to=report_storage_name, max_length=200)
    file_type = models.CharField(max_length=10, choices=REPORT_TYPE_CHOICES)
    file_size = models.PositiveIntegerField()
    # The uploaded file's name, cleaned, for the download's suggested name; never a path.
    original_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_on__gte=models.F("written_on")), name="report_received_after_written"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agencies:report_detail", args=[self.pk])

    @property
    def type_label(self) -> str:
        return REPORT_TYPES[self.file_type].name

    def clean(self) -> None:
        if self.written_on and self.received_on and self.received_on < self.written_on:
            raise ValidationError(
                {"received_on": "The school cannot have received the report before it was written."}
            )
        if self.agency_id and self.school_id and self.agency.school_id != self.school_id:
            raise ValidationError({"agency": "Choose one of this school's services."})
        if self.involvement_id and self.pupil_id and self.involvement.pupil_id != self.pupil_id:
            raise ValidationError({"involvement": "Choose one of this pupil's involvements."})
        _check_referral(self)


class Advice(models.Model):
    """One recommendation from a report. Actioned once a SEN support plan or the pupil's EHC
    plan takes it up: exactly one plan is linked, with the day and who decided. Advice from a
    report marked as health information is health information too (its wording may name the
    condition)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="agency_advice")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="advice")
    text = models.TextField("Recommendation")
    # A plan is deleted only when the pupil's whole record is disposed of (provision's remover),
    # and the advice goes with it then.
    actioned_in = models.ForeignKey(
        SupportPlan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agency_advice",
        verbose_name="Taken up in",
    )
    # An EHC plan is deleted only with the pupil's record too (the cascade from the pupil).
    actioned_in_ehc_plan = models.ForeignKey(
        EhcPlan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agency_advice",
        verbose_name="Taken up in the EHC plan",
    )
    actioned_on = models.DateField("Taken up on", null=True, blank=True)
    actioned_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "id"]
        verbose_name_plural = "advice"
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    actioned_in__isnull=True, actioned_in_ehc_plan__isnull=True, actioned_on__isnull=True
                )
                | Q(actioned_in__isnull=False, actioned_in_ehc_plan__isnull=True, actioned_on__isnull=False)
                | Q(actioned_in__isnull=True, actioned_in_ehc_plan__isnull=False, actioned_on__isnull=False),
                name="advice_actioned_in_one_plan_on_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"Advice {self.pk} from {self.report}"

    @property
    def is_actioned(self) -> bool:
        return self.actioned_in_id is not None or self.actioned_in_ehc_plan_id is not None

    @property
    def taken_up_in(self) -> SupportPlan | EhcPlan | None:
        """The plan that took the advice up, of either kind."""
        return self.actioned_in if self.actioned_in_id else self.actioned_in_ehc_plan

    @property
    def taken_up_in_label(self) -> str:
        """The plan that took it up, as the pages name it: "cycle 2" or "the EHC plan"."""
        if self.actioned_in_id:
            return f"cycle {self.actioned_in.cycle}"
        return "the EHC plan" if self.actioned_in_ehc_plan_id else ""

    def clean(self) -> None:
        if self.actioned_in_id and self.actioned_in_ehc_plan_id:
            raise ValidationError({"actioned_in": "Advice is taken up in one plan: choose one."})
        if self.actioned_in_id and self.actioned_in.pupil_id != self.pupil_id:
            raise ValidationError({"actioned_in": "Choose one of this pupil's plans."})
        if self.actioned_in_ehc_plan_id and self.actioned_in_ehc_plan.pupil_id != self.pupil_id:
            raise ValidationError({"actioned_in_ehc_plan": "Choose one of this pupil's plans."})
        if self.actioned_on and self.report_id and self.actioned_on < self.report.received_on:
            raise ValidationError(
                {"actioned_on": "Advice cannot be taken up before the school received the report."}
            )
