"""factory_boy factories for the agencies app: deterministic, used by the tests and the demo.
Each feature appends its own block."""

from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from agencies.models import AssessmentRequest, ClockExemption, ClockStep, ExemptionKind, Requester
from pupils.factories import PupilFactory
from senco.factories import SchoolFactory, staff_member
from senco.models import Role

# --- directory ---------------------------------------------------------------------------------


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = "agencies.Agency"

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Speech and language therapy team {n}")
    kind = "salt"
    refers_directly = True
    contact_name = "Duty therapist"
    phone = "01632 960000"
    email = "salt@example.org"


# --- referrals ---------------------------------------------------------------------------------


class ReferralFactory(DjangoModelFactory):
    """A draft referral with the first line of its history, as `start_referral` makes it."""

    class Meta:
        model = "agencies.Referral"
        skip_postgeneration_save = True

    pupil = factory.SubFactory(PupilFactory)
    school = factory.LazyAttribute(lambda referral: referral.pupil.school)
    agency = factory.SubFactory(AgencyFactory, school=factory.SelfAttribute("..school"))
    reason = "Speech is hard for adults outside the family to understand."
    state = "draft"
    created_on = date(2026, 9, 14)
    created_by = factory.LazyAttribute(lambda referral: staff_member(role=Role.SENCO, school=referral.school))

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create:
            self.moves.create(to_state="draft", on=self.created_on, by=self.created_by)


class ConsentFactory(DjangoModelFactory):
    """Consent given by the pupil's mother, who has parental responsibility, covering the
    referral and sharing information."""

    class Meta:
        model = "agencies.Consent"

    referral = factory.SubFactory(ReferralFactory)
    pupil = factory.SelfAttribute("referral.pupil")
    decision = "given"
    giver_name = "Maria Jones"
    relationship = "mother"
    has_parental_responsibility = True
    covers_referral = True
    covers_sharing = True
    given_on = date(2026, 9, 16)
    how_given = "signed_form"
    recorded_by = factory.SelfAttribute("referral.created_by")


# EHC plans and annual reviews ------------------------------------------------------------------


class EhcPlanFactory(DjangoModelFactory):
    """A plan in force with version 1 (one need, one outcome, one provision item). It writes no
    SEN status: `agencies.services.ehc_plans.issue_ehc_plan` does that where a test needs it."""

    class Meta:
        model = "agencies.EhcPlan"
        skip_postgeneration_save = True

    pupil = factory.SubFactory(PupilFactory)
    local_authority = "Oakshire County Council"
    issued_on = date(2025, 11, 3)

    @factory.post_generation
    def versions(self, create, extracted, **kwargs):
        if not create:
            return
        from agencies.models import EhcNeed, EhcOutcome, EhcPlanVersion, EhcProvision

        version = EhcPlanVersion.objects.create(
            plan=self,
            number=1,
            issued_on=self.issued_on,
            section_a="Loves drawing and football; wants to be a vet.",
            section_c="Diagnosed with autism by community paediatrics.",
            section_i="Oakfield Primary School (mainstream).",
        )
        EhcNeed.objects.create(version=version, description="Difficulty with social communication.")
        EhcOutcome.objects.create(
            version=version,
            description="Take part in a small-group activity for 20 minutes with one prompt.",
            achieve_by=date(self.issued_on.year + 1, 7, 17),
        )
        EhcProvision.objects.create(
            version=version,
            description="Small-group social communication sessions.",
            delivered_by="Teaching assistant trained by the speech and language therapist",
            hours_per_week=Decimal("1.5"),
        )


class AnnualReviewFactory(DjangoModelFactory):
    class Meta:
        model = "agencies.AnnualReview"

    plan = factory.SubFactory(EhcPlanFactory)
    meeting_on = date(2026, 10, 14)
    year_group = factory.LazyAttribute(lambda review: review.plan.pupil.year_group)


# Involvement ---------------------------------------------------------------------------------

# The smallest file each test needs to stand for a real PDF: its signature and an end marker.
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _senco_of(school):
    return staff_member(role=Role.SENCO, school=school)


class InvolvementFactory(DjangoModelFactory):
    """An educational psychologist's visit on Monday 5 October 2026."""

    class Meta:
        model = "agencies.Involvement"

    pupil = factory.SubFactory(PupilFactory)
    school = factory.LazyAttribute(lambda involvement: involvement.pupil.school)
    agency = factory.LazyAttribute(lambda involvement: AgencyFactory(school=involvement.school))
    kind = "visit"
    happened_on = date(2026, 10, 5)
    professional = "Dr A Khan, educational psychologist"
    recorded_by = factory.LazyAttribute(lambda involvement: _senco_of(involvement.school))


class ReportFactory(DjangoModelFactory):
    """A PDF report dated Friday 9 October 2026, received Monday 12 October, not health
    information, stored through the default storage as an upload would be."""

    class Meta:
        model = "agencies.Report"

    pupil = factory.SubFactory(PupilFactory)
    school = factory.LazyAttribute(lambda report: report.pupil.school)
    agency = factory.LazyAttribute(lambda report: AgencyFactory(school=report.school))
    title = "Educational psychology assessment"
    written_on = date(2026, 10, 9)
    received_on = date(2026, 10, 12)
    file_type = "pdf"
    file = factory.django.FileField(data=MINIMAL_PDF, filename="upload")
    file_size = len(MINIMAL_PDF)
    original_name = "EP report.pdf"
    uploaded_by = factory.LazyAttribute(lambda report: _senco_of(report.school))


class AdviceFactory(DjangoModelFactory):
    class Meta:
        model = "agencies.Advice"

    report = factory.SubFactory(ReportFactory)
    pupil = factory.LazyAttribute(lambda advice: advice.report.pupil)
    school = factory.LazyAttribute(lambda advice: advice.report.school)
    text = factory.Sequence(lambda n: f"Give instructions one step at a time, with a visual prompt ({n}).")
    added_by = factory.LazyAttribute(lambda advice: advice.report.uploaded_by)


# --- assessments: EHC needs assessment requests ------------------------------------------------


class AssessmentRequestFactory(DjangoModelFactory):
    """A request the school sent on Friday 3 January 2025, received by the LA (estimated) on
    Monday 6 January: the Code of Practice's worked example's clock."""

    class Meta:
        model = AssessmentRequest

    pupil = factory.SubFactory(PupilFactory)
    school = factory.SelfAttribute("pupil.school")
    requested_by = Requester.SCHOOL
    sent_on = date(2025, 1, 3)
    received_on = date(2025, 1, 6)
    evidence = "Two SEN support plans and their reviews\nEducational psychologist's report"


class ClockExemptionFactory(DjangoModelFactory):
    class Meta:
        model = ClockExemption

    request = factory.SubFactory(AssessmentRequestFactory)
    step = ClockStep.FINAL_PLAN
    kind = ExemptionKind.AWAY_FROM_AREA
    starts_on = date(2025, 3, 3)
    ends_on = date(2025, 4, 4)
    evidence = "The LA's letter of 7 April 2025"
