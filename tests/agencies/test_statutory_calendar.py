"""The statutory calendar: every open statutory date of the school from every registered provider,
overdue and upcoming, with the register's filters; its counts on the home pages; who may see it;
and its queries, flat from 50 to 500 pupils."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.factories import AssessmentRequestFactory
from agencies.models import AssessmentRequest
from agencies.selectors import statutory_calendar as calendar
from agencies.selectors.statutory_calendar import (
    CalendarEntry,
    calendar_counts,
    calendar_pupils,
    provides_dates,
)
from pupils.factories import PupilFactory
from pupils.models import Pupil


def _received(days_ago: int) -> dict:
    received_on = timezone.localdate() - timedelta(days=days_ago)
    return {"sent_on": received_on, "received_on": received_on}


@pytest.fixture
def overdue_request(taught_pupil):
    # Received seven weeks ago, no decision: the six-week decision is a week overdue.
    return AssessmentRequestFactory(pupil=taught_pupil, **_received(49))


@pytest.fixture
def new_request(untaught_pupil):
    # Received a week ago: the decision is due in five weeks.
    return AssessmentRequestFactory(pupil=untaught_pupil, **_received(7))


def test_the_calendar_lists_overdue_dates_first_then_upcoming_ones_with_days(
    client, senco, overdue_request, new_request
):
    client.force_login(senco)
    response = client.get(reverse("agencies:statutory_calendar"))
    rows = response.context["rows"]
    assert [(row.entry.pupil, row.entry.what, row.days_left) for row in rows[:2]] == [
        (overdue_request.pupil, "EHC needs assessment: decision whether to assess", -7),
        (new_request.pupil, "EHC needs assessment: decision whether to assess", 35),
    ]
    page = response.content.decode()
    assert "Overdue by 7 days" in page
    assert "35 days left" in page
    assert "from an estimated date of receipt" in page


def test_a_met_deadline_leaves_the_calendar(senco, overdue_request):
    pupils = calendar_pupils(senco, today=timezone.localdate())
    before = {
        row.entry.what
        for row in calendar.statutory_calendar(senco, pupils=pupils, today=timezone.localdate())
    }
    AssessmentRequest.objects.filter(pk=overdue_request.pk).update(
        decision="refuse", decided_on=timezone.localdate() - timedelta(days=2)
    )
    after = {
        row.entry.what
        for row in calendar.statutory_calendar(senco, pupils=pupils, today=timezone.localdate())
    }
    assert "EHC needs assessment: decision whether to assess" in before
    assert after == {"EHC needs assessment: last day to appeal to the SEND Tribunal"}


@pytest.mark.parametrize(("show", "expected"), [("overdue", [-7]), ("upcoming", [35, 63, 91, 105, 133])])
def test_the_calendar_shows_only_overdue_or_only_upcoming_dates_when_asked(
    client, senco, overdue_request, new_request, show, expected
):
    client.force_login(senco)
    response = client.get(reverse("agencies:statutory_calendar"), {"show": show})
    assert sorted(row.days_left for row in response.context["rows"]) == expected


def test_the_registers_filters_narrow_the_calendar(client, senco, overdue_request, new_request):
    client.force_login(senco)
    response = client.get(reverse("agencies:statutory_calendar"), {"year_group": 5})
    assert {row.entry.pupil for row in response.context["rows"]} == {new_request.pupil}


def test_a_bad_filter_value_is_an_error_and_is_not_applied(client, senco, overdue_request):
    client.force_login(senco)
    response = client.get(reverse("agencies:statutory_calendar"), {"show": "tomorrow"})
    assert "show" in response.context["filters"].form.errors
    assert len(response.context["rows"]) == 3


def test_a_registered_provider_adds_its_dates_to_the_calendar(senco, taught_pupil, monkeypatch):
    monkeypatch.setattr(calendar, "_providers", list(calendar._providers))
    due_on = date(2027, 2, 15)

    @provides_dates
    def phase_transfers(user, *, pupils, today):
        return [
            CalendarEntry(
                due_on=due_on,
                pupil=pupil,
                kind="phase_transfer",
                what="Phase transfer: plan final",
                source="15 February (SEND Regs 2014 reg 18)",
                url=pupil.get_absolute_url(),
            )
            for pupil in pupils.filter(pk=taught_pupil.pk)
        ]

    provides_dates(phase_transfers)  # registered once, however often it is added
    rows = calendar.statutory_calendar(senco, pupils=Pupil.objects.all(), today=date(2027, 2, 1))
    assert [(row.entry.kind, row.days_left, row.entry.closed_day) for row in rows] == [
        ("phase_transfer", 14, "")
    ]


def test_the_calendar_shows_another_schools_dates_to_nobody(client, senco, other_school_pupil):
    AssessmentRequestFactory(pupil=other_school_pupil, **_received(49))
    client.force_login(senco)
    assert client.get(reverse("agencies:statutory_calendar")).context["rows"] == []


def test_the_head_sees_the_calendar(client, head, overdue_request):
    client.force_login(head)
    response = client.get(reverse("agencies:statutory_calendar"))
    assert (response.status_code, len(response.context["rows"])) == (200, 3)


@pytest.mark.parametrize("persona", ["teacher", "ta", "governor", "school_admin"])
def test_teachers_tas_governors_and_the_administrator_may_not_open_the_calendar(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("agencies:statutory_calendar")).status_code == 403


@pytest.mark.parametrize("persona", ["teacher", "governor"])
def test_the_calendar_selectors_return_nothing_to_those_outside_it(request, persona, overdue_request):
    user = request.getfixturevalue(persona)
    today = timezone.localdate()
    assert list(calendar_pupils(user, today=today)) == []
    assert calendar_counts(user, today=today) == calendar.CalendarCounts(overdue=0, due_soon=0)


def test_the_senco_and_the_head_see_the_counts_on_their_home_pages(client, senco, head, overdue_request):
    AssessmentRequestFactory(pupil=PupilFactory(school=senco.school), **_received(35))  # due in a week
    for user in (senco, head):
        client.force_login(user)
        page = client.get(reverse("home")).content.decode()
        assert "Statutory dates overdue: 1; due in the next two weeks: 1" in page


def test_a_teacher_sees_no_statutory_counts_on_their_home_page(client, teacher, overdue_request):
    client.force_login(teacher)
    assert "Statutory dates" not in client.get(reverse("home")).content.decode()


def _pupils_with_requests(school, count: int) -> None:
    pupils = PupilFactory.create_batch(count, school=school)
    received_on = timezone.localdate() - timedelta(days=30)
    AssessmentRequest.objects.bulk_create(
        AssessmentRequest(
            school=school,
            pupil=pupil,
            requested_by="school",
            sent_on=received_on,
            received_on=received_on,
            evidence="Plans",
        )
        for pupil in pupils
    )


@pytest.mark.parametrize("count", [50, 500])
def test_the_calendar_queries_stay_flat_from_50_to_500_pupils(
    client, senco, count, django_assert_max_num_queries
):
    _pupils_with_requests(senco.school, count)
    client.force_login(senco)
    # The session and user, the roles, the filter form's need types and teaching groups, the
    # requests with their pupils and their exemptions; the rest is the page's own chrome.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("agencies:statutory_calendar"))
    assert len(response.context["rows"]) == 3 * count
