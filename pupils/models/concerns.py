"""Teachers' concerns about a pupil, from raising to the SENCO's decision."""

from django.db import models

from pupils.models.records import (
    NeedArea,
    Pupil,
)
from senco.models import User


class ConcernStage(models.TextChoices):
    RAISED = "raised", "Raised"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    GATHERING = "gathering", "Gathering information"
    DECIDED = "decided", "Decided"


class ConcernDecision(models.TextChoices):
    MONITOR = "monitor", "Monitor"
    SEN_SUPPORT = "sen_support", "Add to SEN support"
    REFER = "refer", "Refer to an external agency"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class Concern(models.Model):
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="concerns")
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="concerns_raised")
    raised_on = models.DateField()
    area = models.CharField("Area of need", max_length=20, choices=NeedArea.choices)
    observed = models.TextField("What you have noticed")
    evidence = models.TextField(
        "Evidence", help_text="Work samples, assessment results, observations, dates."
    )
    already_tried = models.TextField("What you have already tried", help_text="And how the pupil responded.")
    stage = models.CharField(max_length=20, choices=ConcernStage.choices, default=ConcernStage.RAISED)
    senco_notes = models.TextField("SENCO's notes", blank=True)
    decision = models.CharField(max_length=20, choices=ConcernDecision.choices, blank=True)
    decision_reason = models.TextField("Reason for the decision", blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_on = models.DateField(null=True, blank=True)
    # "Monitor" says when the SENCO will look at the pupil again (required for that decision from
    # when it was added; earlier Monitor decisions have none). Looking again is recorded once.
    look_again_on = models.DateField("Look again on", null=True, blank=True)
    looked_again_at = models.DateTimeField(null=True, blank=True)
    looked_again_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    looked_again_notes = models.TextField("What you found", blank=True)
    teacher_told_at = models.DateTimeField(null=True, blank=True)
    # When each step was recorded, so that the chronology puts a day's entries newest first.
    # Empty for concerns recorded before these were kept.
    raised_at = models.DateTimeField(auto_now_add=True, null=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: two people triaging one concern must not overwrite each other.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(stage="decided") | ~models.Q(decision=""),
                name="decided_concern_has_a_decision",
            ),
            models.CheckConstraint(
                condition=models.Q(look_again_on__isnull=True) | models.Q(decision="monitor"),
                name="look_again_only_when_monitoring",
            ),
            models.CheckConstraint(
                condition=models.Q(look_again_on__isnull=True)
                | models.Q(look_again_on__gt=models.F("decided_on")),
                name="look_again_after_the_decision",
            ),
            models.CheckConstraint(
                condition=models.Q(looked_again_at__isnull=True) | models.Q(look_again_on__isnull=False),
                name="looked_again_only_when_asked",
            ),
        ]

    def __str__(self) -> str:
        return f"Concern about {self.pupil} raised {self.raised_on}"
