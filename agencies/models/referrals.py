"""Referrals of a pupil to an outside agency, the consent behind each, and every change of state,
dated and attributed (SEND Code of Practice 6.58–6.62 on involving specialists; parents' consent
to a referral and to sharing information, UK GDPR Articles 6 and 9 and the Data Protection Act
2018; a young person of 16 or over consents for themselves, Mental Capacity Act 2005 and Code of
Practice 8.9–8.15)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from agencies.models.directory import Agency
from senco.models import School


class ReferralState(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_CONSENT = "awaiting_consent", "Awaiting consent"
    CONSENT_REFUSED = "consent_refused", "Consent refused"
    CONSENTED = "consented", "Ready to submit"
    SUBMITTED = "submitted", "Submitted"
    DECLINED = "declined", "Declined by the service"
    ACCEPTED = "accepted", "Accepted"
    WAITING = "waiting", "Waiting to be seen"
    IN_ASSESSMENT = "in_assessment", "Being assessed"
    REPORT_RECEIVED = "report_received", "Report received"
    ADVICE_ACTIONED = "advice_actioned", "Advice actioned"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ConsentException(models.TextChoices):
    SAFEGUARDING = "safeguarding", "Safeguarding: seeking consent would put the child at risk"
    STATUTORY = "statutory", "Statutory duty: the law requires the referral or sharing"


class Referral(models.Model):
    """One referral of one pupil to one service. Its state moves only through the service
    `move_referral`, which keeps the history and the dates the waiting times are counted from."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="referrals")
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.CASCADE, related_name="referrals")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals")
    reason = models.TextField(
        "Reason for the referral", help_text="What the school is asking the service for."
    )
    agency_reference = models.CharField("The service's reference", max_length=60, blank=True)
    professional = models.CharField("Professional handling it", max_length=150, blank=True)
    state = models.CharField(max_length=20, choices=ReferralState.choices, default=ReferralState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    # Dates a state was reached, copied from the history for the waiting times (submitted →
    # accepted → first seen → report).
    submitted_on = models.DateField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    first_seen_on = models.DateField(null=True, blank=True)
    report_received_on = models.DateField(null=True, blank=True)
    consent_exception = models.CharField(
        "Consent not sought because of", max_length=20, choices=ConsentException.choices, blank=True
    )
    exception_reason = models.TextField("Why the exception applies", blank=True)
    exception_recorded_on = models.DateField(null=True, blank=True)
    exception_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_exception="") | ~models.Q(exception_reason=""),
                name="referral_exception_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral to {self.agency}"

    def get_absolute_url(self) -> str:
        return reverse("agencies:referral_detail", args=[self.pk])

    def clean(self) -> None:
        if self.agency_id and self.school_id and self.agency.school_id != self.school_id:
            raise ValidationError({"agency": "Choose one of your school's services."})
        if self.pupil_id and self.school_id and self.pupil.school_id != self.school_id:
            raise ValidationError({"pupil": "The pupil is not at this school."})


class ReferralMove(models.Model):
    """One change of a referral's state: from, to, the day it happened, who recorded it."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="moves")
    from_state = models.CharField(max_length=20, choices=ReferralState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=ReferralState.choices)
    on = models.DateField("Date")
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "change of a referral's state"
        verbose_name_plural = "changes of referrals' states"
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_to_state_display()} on {self.on:%-d %B %Y}"


class Relationship(models.TextChoices):
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    STEP_PARENT = "step_parent", "Step-parent"
    GRANDPARENT = "grandparent", "Grandparent"
    GUARDIAN = "guardian", "Special guardian or guardian"
    FOSTER_CARER = "foster_carer", "Foster carer"
    LOCAL_AUTHORITY = "local_authority", "Local authority (corporate parent)"
    OTHER_CARER = "other_carer", "Other carer"
    YOUNG_PERSON = "young_person", "The young person (16 or over)"


class ConsentDecision(models.TextChoices):
    GIVEN = "given", "Consent given"
    REFUSED = "refused", "Consent refused"


class HowGiven(models.TextChoices):
    SIGNED_FORM = "signed_form", "Signed form"
    EMAIL = "email", "Email"
    ONLINE = "online", "Online form"
    MEETING = "meeting", "In person at a meeting"
    PHONE = "phone", "By phone (recorded by the member of staff)"


class Consent(models.Model):
    """A decision about a referral, by someone with parental responsibility or by the young
    person aged 16 or over: what it covers, when and how it was given, and its withdrawal."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="consents")
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=10, choices=ConsentDecision.choices)
    giver_name = models.CharField("Name of the person deciding", max_length=150)
    relationship = models.CharField("Relationship to the pupil", max_length=20, choices=Relationship.choices)
    has_parental_responsibility = models.BooleanField("They have parental responsibility", default=False)
    covers_referral = models.BooleanField("The referral to the service", default=True)
    covers_sharing = models.BooleanField("Sharing the school's information about the pupil with the service")
    scope_note = models.TextField("Anything else it covers or excludes", blank=True)
    given_on = models.DateField("Date of the decision")
    how_given = models.CharField("How it was given", max_length=20, choices=HowGiven.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField("Date consent was withdrawn", null=True, blank=True)
    withdrawal_note = models.TextField("How it was withdrawn", blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True) | models.Q(decision="given"),
                name="consent_only_given_is_withdrawn",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.giver_name}"

    @property
    def in_force(self) -> bool:
        return self.decision == ConsentDecision.GIVEN and self.withdrawn_on is None
