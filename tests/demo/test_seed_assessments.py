"""The demo schools' EHC needs assessment requests: one on the LA's clock, one it missed, one
refused with the appeal open, each showing on the statutory calendar and the pupil page."""

import pytest
from django.urls import reverse

from agencies.models import AssessmentRequest
from agencies.selectors.assessments import ehc_request_for_page, request_clock
from senco.models import School, User
from tests.demo.conftest import DAY

PRIMARY, SECONDARY = "Oakfield Primary School", "Riverside Academy"
SENCO_LOGINS = {PRIMARY: "senco", SECONDARY: "senco2"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", [PRIMARY, SECONDARY])
def test_each_demo_school_has_a_request_on_the_clock_one_the_la_missed_and_one_refused(demo, name):
    senco = User.objects.get(username=SENCO_LOGINS[name])
    school = School.objects.get(name=name)
    senco.current_school = school
    clocks = [request_clock(r, today=DAY) for r in ehc_request_for_page(senco).order_by("received_on")]
    states = [[(line.step, line.state) for line in clock.lines] for clock in clocks]
    assert states == [
        [
            ("decision", "late"),
            ("advice", "over"),
            ("draft_comments", "passed"),
            ("no_plan_notice", "passed"),
            ("final_plan", "overdue"),
        ],
        [("decision", "met"), ("appeal", "due")],
        [("decision", "due"), ("no_plan_notice", "due"), ("final_plan", "due")],
    ]
    assert [len(clock.missed) for clock in clocks] == [2, 0, 0]
    assert [clock.estimated for clock in clocks] == [False, False, True]
    assert {r.created_by.username for r in AssessmentRequest.objects.filter(school=school)} == {
        SENCO_LOGINS[name]
    }


@pytest.mark.django_db
def test_the_demo_sencos_statutory_calendar_has_overdue_and_upcoming_dates(demo, client):
    client.force_login(User.objects.get(username="senco"))
    rows = client.get(reverse("agencies:statutory_calendar")).context["rows"]
    assert any(row.overdue for row in rows)
    assert any(not row.overdue for row in rows)
