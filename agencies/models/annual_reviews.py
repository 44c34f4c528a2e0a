"""Annual reviews of EHC plans (Children and Families Act 2014 s44; SEND Regulations 2014
reg 18-21; CoP 9.166-9.185): the meeting, who was invited and when, the advice gathered, the
parent's and pupil's views, the school's recommendation, the local authority's decision, and
from Year 9 preparing for adulthood (reg 20(6); CoP 8.9-8.12, 9.179)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from agencies.models.ehc_plans import EhcPlan
from senco.models import User

# From Year 9 every review covers preparing for adulthood (CoP 8.9, 9.179); these are the four
# areas (CoP 8.6), with the field each is recorded in.
PFA_FROM_YEAR = 9
PFA_AREAS = [
    ("pfa_employment", "Higher education and/or employment"),
    ("pfa_independent_living", "Independent living"),
    ("pfa_community", "Participating in society"),
    ("pfa_health", "Being as healthy as possible"),
]


class Recommendation(models.TextChoices):
    MAINTAIN = "maintain", "Maintain the plan as it is"
    AMEND = "amend", "Amend the plan"
    CEASE = "cease", "Cease the plan"


class InviteeKind(models.TextChoices):
    # Those reg 20(2)-(3) says must be invited, then anyone else the school asks.
    PARENT = "parent", "Parent or carer"
    YOUNG_PERSON = "young_person", "The young person"
    LOCAL_AUTHORITY = "la", "Local authority SEN officer"
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social_care", "Social care"
    OTHER = "other", "Other"


class AnnualReview(models.Model):
    """One review of a plan. `closed_on` is the day the SENCO completed it; the next review is
    due 12 months after the meeting of the last completed one (`senco.deadlines`)."""

    plan = models.ForeignKey(EhcPlan, on_delete=models.CASCADE, related_name="reviews")
    meeting_on = models.DateField("Meeting date")
    # The pupil's year when the review was arranged: whether it must cover preparing for adulthood.
    year_group = models.SmallIntegerField()
    advice_gathered = models.TextField("Advice and information gathered", blank=True)
    parent_views = models.TextField("The parent's views", blank=True)
    pupil_views = models.TextField("The pupil's views", blank=True)
    pfa_employment = models.TextField(PFA_AREAS[0][1], blank=True)
    pfa_independent_living = models.TextField(PFA_AREAS[1][1], blank=True)
    pfa_community = models.TextField(PFA_AREAS[2][1], blank=True)
    pfa_health = models.TextField(PFA_AREAS[3][1], blank=True)
    recommendation = models.CharField(
        "The school's recommendation", max_length=10, choices=Recommendation.choices, blank=True
    )
    la_decision = models.CharField(
        "The local authority's decision", max_length=10, choices=Recommendation.choices, blank=True
    )
    la_decision_on = models.DateField("Local authority's decision dated", null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-meeting_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=Q(closed_on__isnull=True), name="one_open_annual_review_per_plan"
            ),
            models.CheckConstraint(
                condition=Q(la_decision="") | Q(la_decision_on__isnull=False),
                name="annual_review_la_decision_is_dated",
                violation_error_message="Give the date of the local authority's decision.",
            ),
        ]

    def __str__(self) -> str:
        return f"Annual review of {self.plan} on {self.meeting_on}"

    def get_absolute_url(self) -> str:
        return reverse("agencies:annual_reviews_detail", args=[self.pk])

    @property
    def covers_adulthood(self) -> bool:
        return self.year_group >= PFA_FROM_YEAR

    @property
    def pfa_rows(self) -> list[tuple[str, str]]:
        return [(label, getattr(self, name)) for name, label in PFA_AREAS]


class ReviewInvitee(models.Model):
    """Someone invited to the review meeting, and when (reg 20(2)-(4): at least two weeks ahead)."""

    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="invitees")
    kind = models.CharField(max_length=20, choices=InviteeKind.choices)
    name = models.CharField(max_length=150, blank=True)
    invited_on = models.DateField("Invited on", null=True, blank=True)

    class Meta:
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}" if self.name else self.get_kind_display()
