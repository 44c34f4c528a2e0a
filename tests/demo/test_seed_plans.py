"""The demo trust's SEN support plans (`senco.demo.seed_plans`)."""

from datetime import date

from provision.models import PlanStatus, PlanVersion, SupportPlan
from pupils.factories import PupilFactory, SenStatusChangeFactory
from pupils.models import Pupil, SenStatus
from senco.demo.seed_calendar import seed_calendar
from senco.demo.seed_plans import seed_plans

TODAY = date(2026, 11, 24)


def _cycles(pupil) -> list[tuple]:
    plans = SupportPlan.objects.filter(pupil=pupil).order_by("cycle")
    return list(plans.values_list("cycle", "status", "started_on", "review_due_on"))


def test_a_pupil_on_sen_support_since_before_the_records_has_termly_cycles_from_last_september(school, senco):
    pupil = PupilFactory(school=school, admitted_on=date(2022, 9, 1))
    SenStatusChangeFactory(pupil=pupil, effective_from=date(2024, 5, 1))
    seed_plans(school=school, senco=senco, today=TODAY, calendar=seed_calendar(school=school, today=TODAY))
    # 2025/26 opens on Monday 1 September with two INSET days; reviews are three months apart, on
    # the last school day on or before (Saturday 3 June 2026 goes back to Wednesday 3 June).
    assert _cycles(pupil) == [
        (1, PlanStatus.REVIEWED, date(2025, 9, 3), date(2025, 12, 3)),
        (2, PlanStatus.REVIEWED, date(2025, 12, 3), date(2026, 3, 3)),
        (3, PlanStatus.REVIEWED, date(2026, 3, 3), date(2026, 6, 3)),
        (4, PlanStatus.REVIEWED, date(2026, 6, 3), date(2026, 9, 3)),
        (5, PlanStatus.ACTIVE, date(2026, 9, 3), date(2026, 12, 3)),
    ]
    reviewed = SupportPlan.objects.get(pupil=pupil, cycle=4)
    assert (reviewed.review.held_on, reviewed.review.finalised_on, reviewed.outcomes.count()) == (
        date(2026, 9, 3),
        date(2026, 9, 3),
        2,
    )
    assert list(reviewed.versions.order_by("number").values_list("reason", flat=True)) == [
        "Finalised",
        PlanVersion.SHARED,
        "Reviewed",
    ]


def test_a_review_date_in_a_holiday_comes_forward_into_the_end_of_term(school, senco):
    pupils = PupilFactory.create_batch(2, school=school, admitted_on=date(2022, 9, 1))
    for pupil in pupils:
        SenStatusChangeFactory(pupil=pupil, effective_from=date(2026, 9, 21))
    seed_plans(school=school, senco=senco, today=TODAY, calendar=seed_calendar(school=school, today=TODAY))
    # 21 December is in the Christmas holiday: the autumn term ends on Friday 18 December, and
    # the second pupil's review is booked one school day earlier.
    assert [_cycles(pupil) for pupil in pupils] == [
        [(1, PlanStatus.ACTIVE, date(2026, 9, 21), date(2026, 12, 18))],
        [(1, PlanStatus.ACTIVE, date(2026, 9, 21), date(2026, 12, 17))],
    ]


def test_a_pupil_new_to_sen_support_this_week_has_a_draft_plan(school, senco):
    pupil = PupilFactory(school=school)
    SenStatusChangeFactory(pupil=pupil, effective_from=date(2026, 11, 20))
    seed_plans(school=school, senco=senco, today=TODAY, calendar=seed_calendar(school=school, today=TODAY))
    # Three months on is Saturday 20 February 2027, in the February half-term (15-19 February).
    assert _cycles(pupil) == [(1, PlanStatus.DRAFT, date(2026, 11, 20), date(2027, 2, 12))]
    assert PlanVersion.objects.count() == 0


def test_the_last_two_pupils_being_monitored_came_off_sen_support_at_a_review_and_others_have_no_plan(
    school, senco
):
    watched, _, came_off = PupilFactory.create_batch(3, school=school, admitted_on=date(2022, 9, 1))
    for pupil in Pupil.objects.all():
        SenStatusChangeFactory(pupil=pupil, status=SenStatus.MONITORING, effective_from=date(2026, 11, 9))
    seed_plans(school=school, senco=senco, today=TODAY, calendar=seed_calendar(school=school, today=TODAY))
    last = SupportPlan.objects.filter(pupil=came_off).order_by("cycle").last()
    history = list(came_off.sen_history.order_by("effective_from").values_list("status", "effective_from"))
    assert (_cycles(watched), last.status, last.review.held_on, last.review.decision) == (
        [],
        PlanStatus.REVIEWED,
        date(2026, 11, 9),
        "exit",
    )
    assert history == [(SenStatus.SEN_SUPPORT, date(2026, 2, 9)), (SenStatus.MONITORING, date(2026, 11, 9))]
