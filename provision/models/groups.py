"""Provision in practice: groups and 1:1s of one intervention, and the pupils in them with their
entry and exit measures."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from provision.models.interventions import Intervention
from pupils.models import Pupil, TeachingGroup
from senco.models import School, User


class Setting(models.TextChoices):
    WITHDRAWAL = "withdrawal", "Withdrawal"
    IN_CLASS = "in_class", "In class"


class ProvisionGroup(models.Model):
    """A running group or 1:1 of one intervention. Its `teaching_group` (kind "intervention")
    lists the same staff and pupils, so staff who deliver it see its pupils."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="provision_groups")
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(max_length=100)
    staff = models.ManyToManyField(User, blank=True, related_name="provision_groups")
    teaching_group = models.OneToOneField(
        TeachingGroup, on_delete=models.PROTECT, related_name="provision_group", editable=False
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    sessions_per_week = models.PositiveSmallIntegerField()
    minutes_per_session = models.PositiveSmallIntegerField()
    schedule = models.CharField(max_length=200, blank=True, help_text="For example: Mon, Wed, Fri 9:10-9:40.")
    setting = models.CharField(max_length=20, choices=Setting.choices, default=Setting.WITHDRAWAL)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="group_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The group must end on or after the day it starts."})


class Placement(models.Model):
    """One pupil in one provision group, with their entry and exit measures."""

    group = models.ForeignKey(ProvisionGroup, on_delete=models.CASCADE, related_name="placements")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="placements")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    target = models.CharField(max_length=300, blank=True)
    entry_score = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    entry_measured_on = models.DateField(null=True, blank=True)
    exit_score = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    exit_measured_on = models.DateField(null=True, blank=True)
    # Who put the pupil in and took them out, for the chronology's "Recorded by". Empty for
    # placements recorded before these were kept.
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    ended_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["pupil__last_name", "pupil__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "pupil"], name="pupil_once_per_group"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="placement_leaves_after_joining",
            ),
            # A score means nothing without the day it was taken (and the ratio gain needs the
            # months between); progress is judged from entry to exit.
            models.CheckConstraint(
                condition=Q(entry_score__isnull=True, entry_measured_on__isnull=True)
                | Q(entry_score__isnull=False, entry_measured_on__isnull=False),
                name="entry_score_has_its_date",
            ),
            models.CheckConstraint(
                condition=Q(exit_score__isnull=True, exit_measured_on__isnull=True)
                | Q(exit_score__isnull=False, exit_measured_on__isnull=False),
                name="exit_score_has_its_date",
            ),
            models.CheckConstraint(
                condition=Q(exit_score__isnull=True) | Q(entry_score__isnull=False),
                name="exit_score_follows_an_entry_score",
            ),
            models.CheckConstraint(
                condition=Q(exit_measured_on__isnull=True)
                | Q(entry_measured_on__isnull=True)
                | Q(exit_measured_on__gte=models.F("entry_measured_on")),
                name="exit_measured_after_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} in {self.group}"
