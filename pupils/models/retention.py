"""Legal holds and the disposal log."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pupils.models.records import (
    Pupil,
)
from senco.models import School, User


class HoldReason(models.TextChoices):
    LITIGATION = "litigation", "A claim or litigation, actual or expected"
    SAFEGUARDING = "safeguarding", "A safeguarding inquiry or case review"
    INQUIRY = "inquiry", "A public inquiry or investigation"
    SUBJECT_ACCESS = "subject_access", "A subject access request in progress"
    OTHER = "other", "Another reason"


class LegalHold(models.Model):
    """Keeps a leaver's record off the disposal list whatever its retention date, while a claim,
    an inquiry or a request needs it (UK GDPR Art 17(3)(e): erasure gives way to legal claims).
    Lifting it keeps the row, with who lifted it and when."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.CharField(max_length=20, choices=HoldReason.choices)
    detail = models.CharField(
        "Details",
        max_length=200,
        help_text="Enough for a colleague to know when it can be lifted, such as a claim's reference "
        "or who asked. Not what the record says.",
    )
    placed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"], condition=Q(lifted_at__isnull=True), name="one_open_legal_hold_per_pupil"
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True)
                | Q(lifted_at__isnull=False, lifted_by__isnull=False),
                name="lifted_hold_says_who_lifted_it",
            ),
        ]

    def __str__(self) -> str:
        return f"Legal hold: {self.get_reason_display()}"


class DisposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Awaiting the headteacher's approval"
    DISPOSED = "disposed", "Disposed of"
    REJECTED = "rejected", "Rejected by the headteacher"
    WITHDRAWN = "withdrawn", "Withdrawn: a legal hold was placed"


class DisposalRecord(models.Model):
    """One line of the disposal log: a leaver's record proposed for disposal by the SENCO team and
    approved or rejected by the headteacher, two different people.

    Once the record is disposed of, the line says what kind of record went, when and on whose
    authority, and what was removed, by kind; nothing in it identifies the pupil (years only: no
    name, UPN or date of birth), and the link to the pupil is emptied by the disposal itself. The
    app never deletes a line: `delete()` refuses and, on PostgreSQL, a trigger refuses DELETE.
    """

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    # Only while the record exists: the disposal empties it (SET_NULL).
    pupil = models.ForeignKey(
        Pupil, on_delete=models.SET_NULL, null=True, blank=True, related_name="disposal_proposals"
    )
    record_kind = models.CharField("Kind of record", max_length=40)
    born_in = models.PositiveSmallIntegerField("Year of birth")
    left_in = models.PositiveSmallIntegerField("Year the pupil left")
    retention_rule = models.CharField("Retention rule applied", max_length=200)
    status = models.CharField(max_length=20, choices=DisposalStatus.choices, default=DisposalStatus.PROPOSED)
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    # What the disposal removed: rows by kind of record ({"concerns": 2, …}), never their content.
    removed = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"],
                condition=Q(status="proposed"),
                name="one_open_disposal_proposal_per_pupil",
            ),
            models.CheckConstraint(
                condition=Q(status="proposed", decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(status="proposed") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="disposal_decided_unless_proposed",
            ),
            models.CheckConstraint(
                condition=~Q(status="disposed") | ~Q(decided_by=models.F("proposed_by")),
                name="disposal_approved_by_another_person",
            ),
            models.CheckConstraint(
                condition=~Q(status="disposed") | Q(pupil__isnull=True),
                name="disposed_record_names_no_pupil",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def description(self) -> str:
        """ "SEN record of a pupil born in 2001 who left in 2019": what went, never who."""
        return f"{self.record_kind} of a pupil born in {self.born_in} who left in {self.left_in}"

    def delete(self, *args, **kwargs):
        raise ValidationError("The disposal log is kept: a line cannot be deleted.")
