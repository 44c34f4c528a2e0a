"""The demo's exam access arrangements: Year 10 and 11 candidates at the secondary with
arrangements in every state, on the exams officer's series list and nowhere at the primary."""

from collections import Counter

import pytest

from senco.models import School, User
from tests.demo.conftest import DAY
from transitions.models import AccessArrangement
from transitions.rules import next_series
from transitions.selectors.access_arrangements import series_list

pytestmark = pytest.mark.django_db


def test_the_exams_officer_login_sees_secondary_candidates_in_every_state(demo):
    officer = User.objects.get(username="exams")
    rows = series_list(officer, series=next_series(DAY), today=DAY)
    states = Counter(row.readiness.label for row in rows)
    assert (officer.school.name, sorted(states), {row.pupil.year_group for row in rows} <= {10, 11}) == (
        "Riverside Academy",
        ["Awaiting approval", "In place", "Lapsed", "Not ready"],
        True,
    )


def test_the_demo_shows_why_an_arrangement_is_not_ready(demo):
    officer = User.objects.get(username="exams")
    reasons = {
        reason
        for row in series_list(officer, series=next_series(DAY), today=DAY)
        for reason in row.readiness.reasons
    }
    assert {
        reason.split(":")[0]
        for reason in reasons
        if reason.startswith(("the Form 8's scores", "no teacher", "the assessor's"))
    } == {
        "the Form 8's scores do not meet the rule for 25% extra time",
        "no teacher has recorded it as the pupil's normal way of working",
        "the assessor's qualification is not recorded on the Form 8",
    }


def test_the_primary_has_no_access_arrangements(demo):
    primary = School.objects.get(name="Oakfield Primary School")
    assert AccessArrangement.objects.filter(pupil__school=primary).count() == 0
