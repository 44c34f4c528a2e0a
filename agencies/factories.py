"""factory_boy factories for the agencies app's records: deterministic (sequences, never random
data), used by the tests and the demo. Each feature appends its own block."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from agencies.models import AssessmentRequest, ClockExemption, ClockStep, ExemptionKind, Requester
from pupils.factories import PupilFactory

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
