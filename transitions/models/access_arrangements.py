"""Exam access arrangements: each candidate's arrangements, the Form 8 assessments behind them,
and teachers' records of them as the normal way of working (JCQ AARA; rules in
transitions/rules.py)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from pupils.models import Pupil
from senco.models import User


class ArrangementKind(models.TextChoices):
    EXTRA_TIME_25 = "extra_time_25", "25% extra time"
    READER = "reader", "Reader or computer reader"
    SCRIBE = "scribe", "Scribe or voice recognition"
    WORD_PROCESSOR = "word_processor", "Word processor (spell-check off)"
    REST_BREAKS = "rest_breaks", "Supervised rest breaks"
    SEPARATE_ROOM = "separate_room", "Separate room"
    PROMPTER = "prompter", "Prompter"
    COLOURED_OVERLAY = "coloured_overlay", "Coloured overlay"
    MODIFIED_PAPERS = "modified_papers", "Modified papers"
    OTHER = "other", "Another arrangement"


class EvidenceKind(models.TextChoices):
    EHC_PLAN = "ehc_plan", "The pupil's EHC plan"
    FORM_8 = "form_8", "A Form 8 assessment"
    OTHER = "other", "Other evidence"


class AssessorQualification(models.TextChoices):
    # Who may assess for access arrangements (AARA 2025/26, paragraph 7.3).
    LEVEL_7 = "level_7", "Level 7 qualification in specialist assessment (at least 100 hours)"
    PSYCHOLOGIST = "psychologist", "HCPC-registered psychologist"
    APC = "apc", "SpLD Assessment Practising Certificate"


class ScoreArea(models.TextChoices):
    READING_SPEED = "reading_speed", "Speed of reading"
    READING_COMPREHENSION_SPEED = "reading_comprehension_speed", "Speed of reading comprehension"
    WRITING_SPEED = "writing_speed", "Speed of writing"
    PROCESSING_SPEED = "processing_speed", "Cognitive processing speed"
    OTHER = "other", "Another area (not speed of working)"


class Form8(models.Model):
    """A JCQ Form 8: Part 1, the centre's picture of need, written before the assessor's Parts 2
    (the assessment and its scores) and 3 (the arrangements recommended)."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="form8s")
    part1_on = models.DateField("Part 1 (the centre's evidence of need) written on")
    part1_by = models.CharField("Part 1 written by", max_length=100)
    assessed_on = models.DateField("Parts 2 and 3 (the assessment) completed on")
    assessor_name = models.CharField("Assessor", max_length=100)
    assessor_qualification = models.CharField(
        "Assessor's qualification", max_length=20, choices=AssessorQualification.choices, blank=True
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = "Form 8"
        verbose_name_plural = "Form 8 assessments"
        constraints = [
            models.CheckConstraint(
                condition=Q(assessed_on__gte=F("part1_on")), name="form8_assessed_on_or_after_part1"
            ),
        ]

    def __str__(self) -> str:
        return f"Form 8 of {self.assessed_on:%d/%m/%Y}"

    def clean(self) -> None:
        if self.part1_on and self.assessed_on and self.assessed_on < self.part1_on:
            raise ValidationError(
                {
                    "assessed_on": "Parts 2 and 3 cannot be dated before Part 1: the centre's evidence "
                    "is written before the assessment."
                }
            )


class Form8Score(models.Model):
    form8 = models.ForeignKey(Form8, on_delete=models.CASCADE, related_name="scores")
    area = models.CharField(max_length=30, choices=ScoreArea.choices)
    test_name = models.CharField("Test", max_length=100)
    standard_score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(40), MaxValueValidator(160)]
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = "Form 8 score"
        constraints = [
            models.CheckConstraint(
                condition=Q(standard_score__gte=40, standard_score__lte=160), name="form8_score_40_to_160"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.test_name}: {self.standard_score}"


class AccessArrangement(models.Model):
    """One arrangement for one candidate, the evidence behind it, its approval and its lapse."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="access_arrangements")
    kind = models.CharField("Arrangement", max_length=20, choices=ArrangementKind.choices)
    other_kind = models.CharField("Describe the arrangement", max_length=200, blank=True)
    evidence = models.CharField("Evidence", max_length=10, choices=EvidenceKind.choices)
    form8 = models.ForeignKey(
        # A Form 8 behind an arrangement is not removed alone; both go when the pupil's record does.
        Form8,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="arrangements",
        verbose_name="Form 8",
    )
    other_evidence = models.TextField("Other evidence", blank=True)
    aao_reference = models.CharField("Access arrangements online reference", max_length=50, blank=True)
    approved_on = models.DateField("Approved on", null=True, blank=True)
    lapses_on = models.DateField("Lapses on", null=True, blank=True)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(evidence="form_8") | Q(form8__isnull=False),
                name="arrangement_form8_evidence_named",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("transitions:candidate_arrangements", args=[self.pupil_id])

    def clean(self) -> None:
        errors = {}
        if self.kind == ArrangementKind.OTHER and not self.other_kind.strip():
            errors["other_kind"] = "Describe the arrangement."
        if self.evidence == EvidenceKind.FORM_8 and self.form8_id is None:
            errors["form8"] = "Choose the Form 8 behind it."
        if self.form8_id and self.pupil_id and self.form8.pupil_id != self.pupil_id:
            errors["form8"] = "Choose one of this pupil's Form 8 assessments."
        if self.approved_on and not self.aao_reference.strip():
            errors["aao_reference"] = "Enter the reference Access arrangements online gave the approval."
        if self.approved_on and self.lapses_on and self.lapses_on < self.approved_on:
            errors["lapses_on"] = "It cannot lapse before it was approved."
        if errors:
            raise ValidationError(errors)

    @property
    def label(self) -> str:
        return self.other_kind if self.kind == ArrangementKind.OTHER else self.get_kind_display()


class NormalWayRecord(models.Model):
    """A teacher's dated record that the pupil used the arrangement in class, a test or a mock:
    evidence of the normal way of working (AARA 2025/26, paragraph 4.2)."""

    arrangement = models.ForeignKey(AccessArrangement, on_delete=models.CASCADE, related_name="normal_way")
    observed_on = models.DateField("Seen on")
    where = models.CharField("Lesson, test or mock", max_length=100)
    note = models.TextField("What the pupil did", blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-observed_on", "-pk"]
        verbose_name = "record of the normal way of working"
        verbose_name_plural = "records of the normal way of working"

    def __str__(self) -> str:
        return f"{self.where} {self.observed_on:%d/%m/%Y}"
