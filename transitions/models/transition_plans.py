"""Transition plans: a pupil on the SEN register moving between settings or inside the school,
planned as the Code of Practice asks (CoP 5.47, 6.57: share information, a key adult, extra
visits; CoP 8.1-8.2 for moves at 16), with a checklist the SENCO ticks. A pupil with an EHC
plan moving phase has the date the plan must be final by (SEND Regulations 2014 reg 18)."""

from django.db import models
from django.urls import reverse

from pupils.models import Pupil
from senco.deadlines import PhaseTransfer
from senco.models import User


class TransitionKind(models.TextChoices):
    INFANT_TO_JUNIOR = "infant_to_junior", "Infant to junior school"
    PRIMARY_TO_SECONDARY = "primary_to_secondary", "Primary to secondary school"
    SECONDARY_TO_POST16 = "secondary_to_post16", "Secondary to post-16"
    IN_YEAR_IN = "in_year_in", "In-year move into the school"
    IN_YEAR_OUT = "in_year_out", "In-year move to another school"
    NEXT_CLASS = "next_class", "Next class or key stage in the school"


# The phase transfers whose EHC plan must name the next setting by a fixed date (reg 18).
PHASE_TRANSFERS = {
    TransitionKind.INFANT_TO_JUNIOR: PhaseTransfer.INFANT_TO_JUNIOR,
    TransitionKind.PRIMARY_TO_SECONDARY: PhaseTransfer.PRIMARY_TO_SECONDARY,
    TransitionKind.SECONDARY_TO_POST16: PhaseTransfer.SECONDARY_TO_POST16,
}
# Moves that take effect at the end of the school year, usually in the first days of September.
END_OF_YEAR_KINDS = (*PHASE_TRANSFERS, TransitionKind.NEXT_CLASS)
# Moves away from the school, for which a transfer pack goes to the next setting.
LEAVING_KINDS = (*PHASE_TRANSFERS, TransitionKind.IN_YEAR_OUT)


class TransitionPlan(models.Model):
    """One move of one pupil. `version` is the optimistic-concurrency counter (R9)."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="transition_plans")
    kind = models.CharField("Kind of move", max_length=30, choices=TransitionKind.choices)
    destination = models.CharField(
        "Destination", max_length=200, help_text="The next school, college or class."
    )
    moves_on = models.DateField("Date of the move", help_text="The pupil's first day at the destination.")
    key_adult = models.CharField(
        "Key adult", max_length=150, blank=True, help_text="The adult the pupil goes to at the destination."
    )
    pupil_views = models.TextField("The pupil's views", blank=True)
    parent_views = models.TextField("The parents' views", blank=True)
    notes = models.TextField("Other arrangements", blank=True)
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["moves_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "kind", "moves_on"], name="one_transition_per_move"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.pupil}"

    def get_absolute_url(self) -> str:
        return reverse("transitions:transition_detail", args=[self.pk])

    @property
    def phase_transfer(self) -> str | None:
        return PHASE_TRANSFERS.get(self.kind)


class ChecklistItem(models.Model):
    """One step of the plan: ticked by the SENCO when done, overdue once its date has passed."""

    plan = models.ForeignKey(TransitionPlan, on_delete=models.CASCADE, related_name="checklist")
    label = models.CharField("Step", max_length=200)
    due_on = models.DateField("Due by", null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "transition checklist step"
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return self.label


class TransitionVisit(models.Model):
    """An extra visit to the destination, or by its staff to the pupil (CoP 5.47)."""

    plan = models.ForeignKey(TransitionPlan, on_delete=models.CASCADE, related_name="visits")
    visit_on = models.DateField("Date of the visit")
    description = models.CharField("What the visit is", max_length=200)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "transition visit"
        ordering = ["visit_on", "id"]

    def __str__(self) -> str:
        return self.description


class TransitionContact(models.Model):
    """Who was told what about the move, and when."""

    plan = models.ForeignKey(TransitionPlan, on_delete=models.CASCADE, related_name="contacts")
    told = models.CharField("Who was told", max_length=150)
    what = models.TextField("What they were told")
    told_on = models.DateField("When")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "record of who was told about a move"
        verbose_name_plural = "records of who was told about a move"
        ordering = ["told_on", "id"]

    def __str__(self) -> str:
        return f"{self.told} on {self.told_on}"
