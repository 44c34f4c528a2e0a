"""The delivery log: each planned session of a group as the person who runs it recorded it."""

from django.db import models
from django.db.models import Q

from provision.models.groups import ProvisionGroup
from pupils.models import Pupil
from senco.models import User


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
