"""The demo trust is complete whatever day it is built: at the start of a term, in a half-term,
in the summer holiday or on the first day of a school year."""

from datetime import date

import pytest

from provision.models import DeliveredSession, Placement, SupportPlan
from senco.demo.seed import build_demo_trust, scaled_plans
from senco.selectors import school_calendar
from tests.demo.test_demo_school import _incomplete_records, _plans_out_of_place


@pytest.mark.parametrize(
    "today",
    [date(2027, 1, 4), date(2027, 5, 27), date(2027, 8, 10), date(2027, 9, 1)],
    ids=["first day of spring term", "May half-term", "summer holiday", "first day of the school year"],
)
def test_a_small_demo_school_is_complete_whatever_day_it_is_built(db, today):
    (school,) = build_demo_trust(seed=3, today=today, plans=scaled_plans(1, 140))
    calendar = school_calendar(school)
    finished = Placement.objects.filter(group__ends_on__lt=today)
    assert _incomplete_records(school, today) == []
    assert _plans_out_of_place(school, today) == []
    assert (
        finished.filter(exit_score=None).count(),
        finished.filter(exit_measured_on__gt=today).count(),
    ) == (0, 0)
    assert [
        day
        for day in DeliveredSession.objects.values_list("held_on", flat=True)
        if not calendar.is_school_day(day)
    ] == []
    assert SupportPlan.objects.filter(started_on__gt=today).count() == 0
