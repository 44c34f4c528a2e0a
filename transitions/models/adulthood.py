"""Preparing for adulthood: from Year 9, the outcomes of a pupil with an EHC plan or on SEN
support in the four areas (CoP 8.6, 8.9-8.12), and each review of them, held with the pupil's
plan or its annual review (CoP 9.179). The four areas are the annual review's own
(`agencies.models.annual_reviews.PFA_AREAS`), defined once."""

from django.db import models
from django.urls import reverse

from agencies.models.annual_reviews import PFA_AREAS
from pupils.models import Pupil
from senco.models import User

PFA_AREA_CHOICES = [(name.removeprefix("pfa_"), label) for name, label in PFA_AREAS]


class PfaProgress(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    PROGRESSING = "progressing", "Making progress"
    ACHIEVED = "achieved", "Achieved"


class PfaOccasion(models.TextChoices):
    ANNUAL_REVIEW = "annual_review", "EHC plan annual review"
    PLAN_REVIEW = "plan_review", "SEN support plan review"
    OTHER = "other", "Another meeting"


class PfaOutcome(models.Model):
    """The pupil's outcome in one area, and what will be done towards it."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="pfa_outcomes")
    area = models.CharField(max_length=30, choices=PFA_AREA_CHOICES)
    outcome = models.TextField("Outcome")
    steps = models.TextField("What we will do towards it", blank=True)
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "preparing for adulthood outcome"
        ordering = ["pupil", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "area"], name="one_pfa_outcome_per_area"),
        ]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.pupil}"

    def get_absolute_url(self) -> str:
        return reverse("transitions:adulthood", args=[self.pupil_id])


class PfaReview(models.Model):
    """One review of one outcome: how far the pupil has got, at which meeting."""

    outcome = models.ForeignKey(PfaOutcome, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField("Reviewed on")
    occasion = models.CharField("Reviewed at", max_length=20, choices=PfaOccasion.choices)
    progress = models.CharField(max_length=20, choices=PfaProgress.choices)
    note = models.TextField("What was agreed", blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "preparing for adulthood review"
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"Review of {self.outcome} on {self.reviewed_on}"

    @property
    def pupil(self) -> Pupil:
        return self.outcome.pupil
