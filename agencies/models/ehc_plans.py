"""EHC plans as the school holds them: the plan the local authority issued for a pupil, each
version of it kept (as issued, then as amended after a review), its structured sections B
(needs), E (outcomes) and F (provision) and the text of the others (SEND Regulations 2014
reg 12; CoP 9.62), and Section F's links to the groups and 1:1s that deliver it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from provision.models import ProvisionGroup
from pupils.models import Pupil
from senco.deadlines import PhaseTransfer
from senco.models import User

# The statutory sections held as text, in the order of the plan (reg 12(1); CoP 9.62). Section H
# is in two parts: social care provision under the Chronically Sick and Disabled Persons Act
# 1970 s2 (H1), and any other social care provision (H2).
TEXT_SECTIONS = [
    ("section_a", "Section A: the views, interests and aspirations of the child and their parents"),
    ("section_c", "Section C: health needs related to their SEN"),
    ("section_d", "Section D: social care needs related to their SEN or disability"),
    ("section_g", "Section G: health provision"),
    ("section_h1", "Section H1: social care provision under section 2 of the CSDPA 1970"),
    ("section_h2", "Section H2: other social care provision"),
    ("section_i", "Section I: the school or other institution named"),
    ("section_j", "Section J: personal budget"),
    ("section_k", "Section K: advice and information gathered (appendices)"),
]
TEXT_SECTION_NAMES = [name for name, _ in TEXT_SECTIONS]


class VersionKind(models.TextChoices):
    ISSUED = "issued", "Issued"
    AMENDED = "amended", "Amended after review"


class EhcPlan(models.Model):
    """A pupil's EHC plan. Its content lives in its versions; the latest is the plan in force.
    `version` is the optimistic-concurrency counter of every edit (R9), not a version number."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="ehc_plans")
    local_authority = models.CharField("Local authority that maintains the plan", max_length=100)
    issued_on = models.DateField("First issued on", help_text="The date on the first final plan.")
    phase_transfer = models.CharField(
        "Next phase transfer",
        max_length=30,
        choices=PhaseTransfer.CHOICES,
        blank=True,
        help_text="Leave blank to work it out from the year group (Year 6 to secondary, Year 11 to "
        "post-16). Choose infant to junior for a Year 2 pupil at an infant school.",
    )
    ceased_on = models.DateField("Ceased on", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "EHC plan"
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"], condition=Q(ceased_on__isnull=True), name="one_ehc_plan_in_force_per_pupil"
            ),
        ]

    def __str__(self) -> str:
        return f"EHC plan for {self.pupil}"

    def get_absolute_url(self) -> str:
        return reverse("agencies:ehc_plans_detail", args=[self.pk])


class EhcPlanVersion(models.Model):
    """One version of a plan: as issued (number 1) or as amended after a review. Past versions
    are kept unchanged and stay readable."""

    plan = models.ForeignKey(EhcPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=VersionKind.choices, default=VersionKind.ISSUED)
    issued_on = models.DateField("Date on the plan")
    section_a = models.TextField(TEXT_SECTIONS[0][1], blank=True)
    section_c = models.TextField(TEXT_SECTIONS[1][1], blank=True)
    section_d = models.TextField(TEXT_SECTIONS[2][1], blank=True)
    section_g = models.TextField(TEXT_SECTIONS[3][1], blank=True)
    section_h1 = models.TextField(TEXT_SECTIONS[4][1], blank=True)
    section_h2 = models.TextField(TEXT_SECTIONS[5][1], blank=True)
    section_i = models.TextField(TEXT_SECTIONS[6][1], blank=True)
    section_j = models.TextField(TEXT_SECTIONS[7][1], blank=True)
    section_k = models.TextField(TEXT_SECTIONS[8][1], blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "EHC plan version"
        verbose_name_plural = "EHC plan versions"
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="ehc_plan_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.plan}, version {self.number}"

    @property
    def text_sections(self) -> list[tuple[str, str]]:
        """(heading, text) of sections A, C, D and G to K, in the plan's order."""
        return [(label, getattr(self, name)) for name, label in TEXT_SECTIONS]


class EhcNeed(models.Model):
    """One need in Section B."""

    version = models.ForeignKey(EhcPlanVersion, on_delete=models.CASCADE, related_name="needs")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField()

    class Meta:
        verbose_name = "EHC plan need (Section B)"
        verbose_name_plural = "EHC plan needs (Section B)"
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class EhcOutcome(models.Model):
    """One outcome in Section E, with the date it should be achieved by."""

    version = models.ForeignKey(EhcPlanVersion, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField()
    achieve_by = models.DateField("To be achieved by")

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = "EHC plan outcome"

    def __str__(self) -> str:
        return self.description[:60]


class EhcProvision(models.Model):
    """One item of special educational provision in Section F: what, who delivers it, and for
    how many hours a week, with the pupil's groups and 1:1s that deliver it (its `groups`)."""

    version = models.ForeignKey(EhcPlanVersion, on_delete=models.CASCADE, related_name="provision")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField()
    delivered_by = models.CharField("Delivered by", max_length=150)
    hours_per_week = models.DecimalField("Hours a week", max_digits=4, decimal_places=2)
    groups = models.ManyToManyField(
        ProvisionGroup, blank=True, related_name="ehc_provision_items", verbose_name="Groups and 1:1s"
    )

    class Meta:
        verbose_name = "EHC plan provision (Section F)"
        verbose_name_plural = "EHC plan provision items (Section F)"
        ordering = ["version", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lte=40),
                name="ehc_provision_hours_in_a_school_week",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    def clean(self) -> None:
        if self.hours_per_week is not None and not 0 < self.hours_per_week <= 40:
            raise ValidationError({"hours_per_week": "Hours a week are more than 0 and at most 40."})
