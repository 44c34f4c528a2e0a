"""Pupil passports (one-page profiles), every version kept."""

from django.db import models

from pupils.models.records import (
    Pupil,
)
from senco.models import User


class Passport(models.Model):
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="passports")
    version = models.PositiveIntegerField()
    strengths = models.TextField("My strengths")
    important_to_me = models.TextField("What is important to me")
    how_to_support = models.TextField("How best to support me")
    staff_should = models.TextField("What staff should do")
    pupil_voice = models.TextField(
        "In the pupil's own words", blank=True, help_text="Write down what the pupil said, as they said it."
    )
    parent_voice = models.TextField(
        "In the parents' or carers' own words",
        blank=True,
        help_text="Record what they said, as they said it.",
    )
    written_on = models.DateField("Agreed on")
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pupil", "-version"]
        constraints = [models.UniqueConstraint(fields=["pupil", "version"], name="one_passport_per_version")]

    def __str__(self) -> str:
        return f"Passport for {self.pupil}, version {self.version}"
