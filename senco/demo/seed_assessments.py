"""EHC needs assessment requests in each demo school: one still on the LA's clock (its receipt
estimated), one the LA has missed (the decision two weeks late, the final plan overdue, an
exemption it relies on recorded beside the date) and one refused, with the appeal still open.
They go to pupils on SEN support, admitted long enough ago, in id order: deterministic."""

from datetime import date, timedelta

from agencies.factories import AssessmentRequestFactory, ClockExemptionFactory
from agencies.models import AssessmentDecision, ClockStep, ExemptionKind, Requester
from pupils.models import Pupil, SenStatus
from pupils.selectors.records import with_sen_status
from senco.deadlines import next_working_day_on_or_after
from senco.models import School, User

EVIDENCE = (
    "SEN support plans and reviews for the last three cycles\n"
    "Provision map extract with hours and costs\n"
    "Educational psychologist's report\n"
    "Parent and pupil views"
)


def _la_day(received_on: date, days: int) -> date:
    """A day the LA works, `days` after receipt (the LA writes on working days, not school days)."""
    return next_working_day_on_or_after(received_on + timedelta(days=days))


def seed_assessments(*, school: School, senco: User, today: date) -> None:
    pupils = list(
        with_sen_status(Pupil.objects.filter(school=school, left_on=None), today=today)
        .filter(sen_status=SenStatus.SEN_SUPPORT, admitted_on__lte=today - timedelta(days=400))
        .order_by("pk")
    )
    if len(pupils) < 3:
        return
    count = len(pupils)
    on_the_clock, missed, refused = pupils[count // 5], pupils[count // 2], pupils[4 * count // 5]

    received_on = today - timedelta(days=21)
    AssessmentRequestFactory(
        pupil=on_the_clock,
        requested_by=Requester.SCHOOL,
        sent_on=received_on - timedelta(days=3),
        received_on=received_on,
        evidence=EVIDENCE,
        created_by=senco,
    )

    received_on = today - timedelta(weeks=25)
    late = AssessmentRequestFactory(
        pupil=missed,
        requested_by=Requester.PARENT,
        sent_on=received_on - timedelta(days=2),
        received_on=received_on,
        received_confirmed=True,
        evidence=EVIDENCE,
        decision=AssessmentDecision.ASSESS,
        decided_on=_la_day(received_on, 8 * 7),
        advice_requested_on=_la_day(received_on, 9 * 7),
        draft_sent_on=_la_day(received_on, 19 * 7),
        created_by=senco,
    )
    ClockExemptionFactory(
        request=late,
        step=ClockStep.FINAL_PLAN,
        kind=ExemptionKind.PERSONAL_CIRCUMSTANCES,
        starts_on=late.draft_sent_on,
        ends_on=None,
        evidence="The LA's email to the SENCO: the family asked for the meeting on the draft to wait.",
        recorded_by=senco,
    )

    received_on = today - timedelta(weeks=10)
    AssessmentRequestFactory(
        pupil=refused,
        requested_by=Requester.SCHOOL,
        sent_on=received_on - timedelta(days=1),
        received_on=received_on,
        received_confirmed=True,
        evidence=EVIDENCE,
        decision=AssessmentDecision.REFUSE,
        decided_on=_la_day(received_on, 6 * 7 - 3),
        created_by=senco,
    )
