"""Plan events in the pupil's chronology."""

from datetime import date

from provision.factories import SupportPlanFactory
from provision.models import Decision, PlanReview
from pupils.pupil_page import chronology


def test_plan_started_finalised_and_reviewed_appear_in_the_chronology(senco, taught_pupil):
    plan = SupportPlanFactory(pupil=taught_pupil, started_on=date(2026, 9, 7), finalised_on=date(2026, 9, 9))
    PlanReview.objects.create(
        plan=plan, held_on=date(2026, 12, 10), decision=Decision.CONTINUE, finalised_on=date(2026, 12, 10)
    )
    events = [(e.on, e.title) for e in chronology(taught_pupil, senco) if e.kind.startswith("plan")]
    assert events == [
        (date(2026, 12, 10), "SEN support plan cycle 1 reviewed"),
        (date(2026, 9, 9), "SEN support plan cycle 1 finalised"),
        (date(2026, 9, 7), "SEN support plan cycle 1 started"),
    ]


def test_a_governor_sees_no_plan_events(governor, taught_pupil):
    SupportPlanFactory(pupil=taught_pupil)
    assert [e for e in chronology(taught_pupil, governor) if e.kind.startswith("plan")] == []
