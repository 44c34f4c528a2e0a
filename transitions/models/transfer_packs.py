"""Transfer packs a school makes for its leavers, and every time one was sent (CoP 5.47, 6.57;
the educational record goes with the pupil: The Education (Pupil Information) (England)
Regulations 2005, reg 9(3))."""

from django.core.exceptions import ValidationError
from django.db import models

from pupils.models import Pupil
from senco.models import School, User


class TransferPack(models.Model):
    """One pack as made, kept exactly as it was sent: its JSON is the record of what went."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="transfer_packs")
    schema_version = models.PositiveSmallIntegerField()
    content = models.JSONField()
    includes_health = models.BooleanField("Health documents included", default=False)
    made_on = models.DateField("Made on")
    made_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_on", "-pk"]
        verbose_name_plural = "transfer packs"

    def __str__(self) -> str:
        return f"Transfer pack for {self.pupil}, made {self.made_on:%-d %B %Y}"


class SendingMethod(models.TextChoices):
    S2S = "s2s", "School to School (S2S) secure transfer"
    SECURE_EMAIL = "secure_email", "Secure e-mail"
    DIRECT = "direct", "Directly to a school using this system"
    BY_HAND = "by_hand", "By hand"
    RECORDED_POST = "recorded_post", "Recorded post"


class PackSending(models.Model):
    """One time a pack was sent: to whom, how and when (domain: send securely and log)."""

    pack = models.ForeignKey(TransferPack, on_delete=models.CASCADE, related_name="sendings")
    sent_to = models.CharField(
        "Sent to", max_length=200, help_text="The school and the person who received it."
    )
    method = models.CharField("How it was sent", max_length=20, choices=SendingMethod.choices)
    sent_on = models.DateField("Sent on")
    to_school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = "transfer pack sending"
        verbose_name_plural = "transfer pack sendings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(method="direct", to_school__isnull=False)
                | (~models.Q(method="direct") & models.Q(to_school__isnull=True)),
                name="direct_sending_names_its_school",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pack} sent to {self.sent_to} on {self.sent_on:%-d %B %Y}"

    def clean(self) -> None:
        if self.pack_id and self.sent_on and self.sent_on < self.pack.made_on:
            raise ValidationError({"sent_on": "A pack cannot be sent before it was made."})
