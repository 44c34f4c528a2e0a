"""Transfer packs arriving at a school, held for the SENCO's review, and the history they
brought, marked as the previous school's."""

from django.db import models

from pupils.models import Pupil
from senco.models import School, User
from transitions.models.transfer_packs import PackSending


class CameBy(models.TextChoices):
    UPLOAD = "upload", "Uploaded file"
    DIRECT = "direct", "Sent directly by the previous school"


class ArrivalState(models.TextChoices):
    AWAITING_REVIEW = "awaiting_review", "Awaiting review"
    IMPORTED = "imported", "Imported"
    DECLINED = "declined", "Declined"


class IncomingPack(models.Model):
    """A pack at the receiving school. Nothing about the pupil is written until the SENCO
    imports it; a declined pack keeps its row (who declined it, when) but not its content."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    came_by = models.CharField(max_length=10, choices=CameBy.choices)
    from_school_name = models.CharField("From", max_length=200)
    sending = models.OneToOneField(
        PackSending, on_delete=models.SET_NULL, null=True, blank=True, related_name="arrival"
    )
    content = models.JSONField(null=True, blank=True)
    upn = models.CharField("UPN", max_length=13)
    pupil_name = models.CharField(max_length=201)
    state = models.CharField(
        max_length=20, choices=ArrivalState.choices, default=ArrivalState.AWAITING_REVIEW
    )
    received_at = models.DateTimeField(auto_now_add=True)
    received_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, null=True, blank=True, related_name="arrivals")
    matched_existing = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = "arriving transfer pack"
        verbose_name_plural = "arriving transfer packs"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="imported") | models.Q(pupil__isnull=False),
                name="imported_pack_names_its_pupil",
            )
        ]

    def __str__(self) -> str:
        return f"Transfer pack for {self.pupil_name} from {self.from_school_name}"


class ImportedRecord(models.Model):
    """One record of a pupil's SEN file brought by a transfer pack, kept as the previous school
    wrote it and always shown as theirs."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="imported_records")
    arrival = models.ForeignKey(IncomingPack, on_delete=models.CASCADE, related_name="records")
    from_school_name = models.CharField(max_length=200)
    section = models.CharField(max_length=30)
    position = models.PositiveIntegerField()
    dated_on = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=300)
    fields = models.JSONField(default=list)

    class Meta:
        ordering = ["arrival", "section", "position"]
        verbose_name = "record from a previous school"
        verbose_name_plural = "records from previous schools"
        constraints = [
            models.UniqueConstraint(fields=["arrival", "section", "position"], name="imported_record_once")
        ]

    def __str__(self) -> str:
        return f"{self.title} (from {self.from_school_name})"
