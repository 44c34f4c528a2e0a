"""Subject access requests (UK GDPR Art 15), what is withheld from an export, and the export
prepared in the background."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from pupils.models.records import (
    Pupil,
)
from senco.models import School, User


class Requester(models.TextChoices):
    """Who made the request. The right is the pupil's; a parent or carer acts for a child who
    cannot yet understand it (no fixed age in England), and anyone may act with their authority."""

    PUPIL = "pupil", "The pupil"
    PARENT = "parent", "Parent or carer"
    REPRESENTATIVE = "representative", "Someone acting for them (for example a solicitor or advocate)"


class SubjectAccessRequest(models.Model):
    """A request for everything the school holds about a pupil (UK GDPR Art 15), from receipt to
    release. The due date is never stored: `senco.deadlines.subject_access_due` computes it from
    `clock_starts_on` and the extension. Once released, `released_export` keeps what was sent."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="subject_access_requests")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="subject_access_requests")
    requester_name = models.CharField("Who asked", max_length=200)
    requester_relationship = models.CharField(
        "Their relationship to the pupil", max_length=20, choices=Requester.choices
    )
    received_on = models.DateField("Received on")
    identity_checked_how = models.CharField("How their identity was checked", max_length=300, blank=True)
    identity_checked_on = models.DateField("Identity checked on", null=True, blank=True)
    information_requested_on = models.DateField("ID or clarification asked for on", null=True, blank=True)
    information_received_on = models.DateField("ID or clarification arrived on", null=True, blank=True)
    notes = models.TextField(blank=True)
    extended_months = models.PositiveSmallIntegerField(default=0)
    extension_reason = models.TextField(blank=True)
    extended_on = models.DateField(null=True, blank=True)
    released_on = models.DateField(null=True, blank=True)
    released_how = models.CharField(max_length=200, blank=True)
    released_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    released_export = models.JSONField(null=True, blank=True, editable=False)
    logged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(extended_months__lte=2), name="sar_extension_at_most_two_months"
            ),
            models.CheckConstraint(
                condition=Q(extended_months=0) | ~Q(extension_reason=""), name="sar_extension_has_a_reason"
            ),
            models.CheckConstraint(
                condition=Q(information_received_on__isnull=True) | Q(information_requested_on__isnull=False),
                name="sar_information_arrives_after_being_asked_for",
            ),
        ]

    def __str__(self) -> str:
        return f"Subject access request for {self.pupil}, received {self.received_on}"

    def get_absolute_url(self) -> str:
        return reverse("pupils:subject_access_detail", args=[self.pk])

    @property
    def clock_starts_on(self) -> date | None:
        """Day 1 of the month: the day of receipt, or, when ID or clarification was asked for,
        the day it arrived (None while the school is still waiting for it)."""
        if self.information_requested_on is None:
            return self.received_on
        return self.information_received_on

    def clean(self) -> None:
        errors = {}
        received = self.received_on
        for name in ("identity_checked_on", "information_requested_on", "released_on"):
            day = getattr(self, name)
            if received and day and day < received:
                errors[name] = f"This cannot be before the request was received ({received:%d/%m/%Y})."
        asked, arrived = self.information_requested_on, self.information_received_on
        if arrived and not asked:
            errors["information_received_on"] = "Give the date you asked for ID or clarification first."
        elif asked and arrived and arrived < asked:
            errors["information_received_on"] = "It cannot arrive before you asked for it."
        if errors:
            raise ValidationError(errors)


class WithholdingReason(models.TextChoices):
    """Why a record is left out of a subject access response (DPA 2018 Sch 3 Part 4: education
    data likely to cause serious harm, and data processed by a court; Sch 3 Part 5: child abuse
    data, from a parent, where disclosure is not in the child's interests; Sch 2 para 24:
    confidential references; Sch 2 para 16: information about another person)."""

    SERIOUS_HARM = "serious_harm", "Likely to cause serious harm to the pupil or someone else"
    ABUSE = "abuse", "Information about abuse that it is not in the child's interests to disclose"
    REFERENCE = "reference", "A confidential reference"
    COURT_REPORT = "court_report", "A report to a court"
    THIRD_PARTY = "third_party", "Information about another person (third-party data)"


class WithheldRecord(models.Model):
    """One record left out of a request's export, and why. The record is named by the export's
    kind and id (`pupils.selectors.subject_access`), so records of every app can be withheld
    without this app knowing their models."""

    request = models.ForeignKey(SubjectAccessRequest, on_delete=models.CASCADE, related_name="withheld")
    kind = models.CharField(max_length=40)
    record_id = models.PositiveBigIntegerField()
    reason = models.CharField(max_length=20, choices=WithholdingReason.choices)
    withheld_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    withheld_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "record_id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "kind", "record_id"], name="withheld_once_per_request")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id} withheld: {self.get_reason_display()}"


# A preparation not finished this long after it started (or was queued) has stopped: its worker
# was killed or lost. The longest export measured takes seconds (docs/decisions/pdfs.md); the
# margin covers a busy worker's queue.
EXPORT_STALE_AFTER = timedelta(minutes=10)


class ExportState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Not prepared"


class SubjectAccessExport(models.Model):
    """A request's export (the PDF and the JSON file) prepared in the background by a Celery task
    (`pupils.tasks.prepare_subject_access_export`), one per request, prepared again in place.

    The files are kept through the default storage under MEDIA_ROOT, which no URL serves: they
    are sent only by the request's download views, which check access and audit each download.
    `fingerprint` is that of the export the files hold (`pupils.selectors.subject_access`): once
    the export as it stands differs (a record withheld or included, a record changed), the files
    are stale and are not sent.
    """

    request = models.OneToOneField(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="prepared_export"
    )
    state = models.CharField(max_length=20, choices=ExportState.choices, default=ExportState.QUEUED)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)  # why it failed, in the user's words
    # What the files hold: the fingerprint of the export and the day it was prepared.
    fingerprint = models.CharField(max_length=64, blank=True)
    prepared_on = models.DateField(null=True, blank=True)
    pdf = models.FileField(upload_to="subject-access/", max_length=200, blank=True)
    json = models.FileField(upload_to="subject-access/", max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="ready") | (~Q(pdf="") & ~Q(json="") & ~Q(fingerprint="")),
                name="sar_export_ready_has_its_files",
            ),
        ]

    def __str__(self) -> str:
        return f"Export of {self.request} ({self.get_state_display()})"

    def state_at(self, now: datetime) -> str:
        """The state as the page shows it at `now`: a preparation waiting or running for longer
        than EXPORT_STALE_AFTER has stopped, and shows as failed, to be prepared again."""
        since = self.started_at or self.queued_at
        if self.state in (ExportState.QUEUED, ExportState.RUNNING) and now - since > EXPORT_STALE_AFTER:
            return ExportState.FAILED
        return self.state
