"""Parents and carers, and the contact log."""

from django.db import models

from pupils.models.records import (
    Pupil,
)
from senco.models import User


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"


class Carer(models.Model):
    """A parent or carer of the pupil. Contact details are for the SENCO team and office only."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="carers")
    name = models.CharField(max_length=200)
    relationship = models.CharField(
        max_length=100, help_text="For example mother, grandfather, foster carer."
    )
    parental_responsibility = models.BooleanField("Has parental responsibility", default=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    preferred_contact = models.CharField(
        "Preferred contact method", max_length=20, choices=ContactMethod.choices, default=ContactMethod.PHONE
    )
    notes = models.TextField(
        blank=True, help_text="For example: needs an interpreter, do not contact at work."
    )

    class Meta:
        ordering = ["-parental_responsibility", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"


class ContactKind(models.TextChoices):
    MEETING = "meeting", "Meeting with parents or carers"
    CALL = "call", "Phone call"
    LETTER = "letter", "Letter or email"
    PUPIL_VIEWS = "pupil_views", "The pupil's own views"


class ContactLogEntry(models.Model):
    """One meeting, call or letter with parents or carers, or a conversation gathering the
    pupil's views. The Code expects schools to meet parents of pupils on SEN support at least
    three times a year (CoP 6.65); this log is the evidence."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="contact_log")
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    occurred_on = models.DateField("Date")
    participants = models.CharField("Who took part", max_length=300)
    summary = models.TextField()
    agreed_actions = models.TextField("Agreed actions", blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name_plural = "contact log entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}"
