"""The reviews-due list and the counts on the home page."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from provision.factories import SupportPlanFactory
from provision.models import SupportPlan
from provision.selectors.plans import reviews_due, reviews_due_count
from pupils.factories import PupilFactory
from senco.deadlines import review_state
from senco.demo.seed import build_demo_trust, scaled_plans
from senco.rules import SchoolCalendar

NO_TERM_DATES_RECORDED = SchoolCalendar()


def plan_due_in(days, pupil, **fields):
    today = timezone.localdate()
    return SupportPlanFactory(
        pupil=pupil,
        started_on=today - timedelta(days=60),
        review_due_on=today + timedelta(days=days),
        **fields,
    )


def test_senco_sees_overdue_and_due_within_two_weeks_soonest_first(senco, school):
    today = timezone.localdate()
    overdue = plan_due_in(-3, PupilFactory(school=school))
    due = plan_due_in(14, PupilFactory(school=school))
    plan_due_in(15, PupilFactory(school=school))
    assert [(p.pk, p.state) for p in reviews_due(senco, today=today, calendar=NO_TERM_DATES_RECORDED)] == [
        (overdue.pk, "overdue"),
        (due.pk, "due"),
    ]


def test_pupils_who_have_left_are_not_listed_but_one_leaving_tomorrow_is(senco, school):
    today = timezone.localdate()
    plan_due_in(-3, PupilFactory(school=school, left_on=today))
    plan_due_in(-300, PupilFactory(school=school, left_on=date(2025, 7, 22)))
    staying = plan_due_in(-3, PupilFactory(school=school, left_on=today + timedelta(days=1)))
    assert [p.pk for p in reviews_due(senco, today=today, calendar=NO_TERM_DATES_RECORDED)] == [staying.pk]
    assert reviews_due_count(senco, today=today) == 1


def test_a_draft_whose_review_date_has_passed_is_listed_as_never_finalised(client, senco, school):
    today = timezone.localdate()
    draft = plan_due_in(-10, PupilFactory(school=school), status="draft")
    plan_due_in(5, PupilFactory(school=school), status="draft")  # not yet due: still being written
    assert [
        (p.pk, p.state, p.is_draft) for p in reviews_due(senco, today=today, calendar=NO_TERM_DATES_RECORDED)
    ] == [(draft.pk, "overdue", True)]
    client.force_login(senco)
    assert client.get(reverse("provision:reviews_due")).content.decode().count("Draft: never finalised") == 1


def test_a_teacher_sees_only_their_pupils_reviews(teacher, taught_pupil, untaught_pupil):
    mine = plan_due_in(2, taught_pupil)
    plan_due_in(2, untaught_pupil)
    assert [
        p.pk for p in reviews_due(teacher, today=timezone.localdate(), calendar=NO_TERM_DATES_RECORDED)
    ] == [mine.pk]


def test_another_schools_reviews_never_show(senco, other_school_pupil):
    plan_due_in(2, other_school_pupil)
    assert reviews_due(senco, today=timezone.localdate(), calendar=NO_TERM_DATES_RECORDED) == []


@pytest.mark.parametrize("persona", ["senco", "head", "teacher", "ta"])
def test_plan_readers_open_reviews_due(client, request, persona, taught_pupil):
    plan = plan_due_in(1, taught_pupil)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("provision:reviews_due"))
    assert [p.pk for p in response.context["plans"]] == [plan.pk]


def test_a_school_admin_gets_403_on_reviews_due(client, school_admin):
    client.force_login(school_admin)
    assert client.get(reverse("provision:reviews_due")).status_code == 403


def test_reviews_due_for_another_schools_senco_is_empty(client, other_school_senco, taught_pupil):
    plan_due_in(1, taught_pupil)
    client.force_login(other_school_senco)
    assert list(client.get(reverse("provision:reviews_due")).context["plans"]) == []


@pytest.mark.parametrize("n", [1, 3])
def test_reviews_due_queries_stay_flat(client, senco, school, n, django_assert_max_num_queries):
    for _ in range(n):
        plan_due_in(3, PupilFactory(school=school))
    client.force_login(senco)
    with django_assert_max_num_queries(7):  # the calendar is two; concerns to look at again one
        response = client.get(reverse("provision:reviews_due"))
    assert len(response.context["plans"]) == n


def test_home_shows_the_count_to_the_senco_and_the_teacher(
    client, senco, teacher, taught_pupil, untaught_pupil
):
    plan_due_in(-1, taught_pupil)
    plan_due_in(5, untaught_pupil)
    client.force_login(senco)
    assert client.get(reverse("home")).context["reviews_due_count"] == 2
    client.force_login(teacher)
    assert client.get(reverse("home")).context["reviews_due_count"] == 1


def test_governors_home_has_no_review_count(client, governor):
    client.force_login(governor)
    assert "reviews_due_count" not in client.get(reverse("home")).context


def test_the_demo_gives_some_sen_support_pupils_a_plan_with_reviews_due_and_overdue(db):
    today = date(2026, 11, 24)
    build_demo_trust(seed=7, today=today, plans=scaled_plans(1, 200))
    states = {review_state(plan.review_due_on, today=today) for plan in SupportPlan.objects.all()}
    assert states == {"overdue", "due", "later"}
    assert all(plan.outcomes.count() == 2 for plan in SupportPlan.objects.all())


# "Meet by" on the school's calendar --------------------------------------------------------------

NO_TERM_DATES = "No term dates are recorded for 2026/27"


def test_a_review_due_in_october_half_term_is_met_by_the_friday_before_it(
    client, senco, school, term_dates_2026, today_is
):
    today_is(date(2026, 10, 20))
    SupportPlanFactory(
        pupil=PupilFactory(school=school), started_on=date(2026, 7, 28), review_due_on=date(2026, 10, 28)
    )
    client.force_login(senco)
    response = client.get(reverse("provision:reviews_due"))
    assert [plan.meet_by for plan in response.context["plans"]] == [date(2026, 10, 23)]
    assert NO_TERM_DATES not in response.content.decode()


def test_without_term_dates_meet_by_only_avoids_weekends_and_bank_holidays_and_the_page_says_so(
    client, senco, teacher, school, taught_pupil, today_is
):
    today_is(date(2026, 12, 20))
    for review_due_on in (date(2026, 10, 28), date(2026, 12, 28)):
        SupportPlanFactory(pupil=PupilFactory(school=school), review_due_on=review_due_on)
    SupportPlanFactory(pupil=taught_pupil, review_due_on=date(2026, 12, 28))
    client.force_login(senco)
    response = client.get(reverse("provision:reviews_due"))
    html = response.content.decode()
    link = f'<a href="{reverse("senco:calendar")}">Record the term dates</a>'
    # Monday 28 December 2026 is the bank holiday for Boxing Day; Friday 25 is Christmas Day.
    assert [plan.meet_by for plan in response.context["plans"]] == [
        date(2026, 10, 28),
        date(2026, 12, 24),
        date(2026, 12, 24),
    ]
    assert (NO_TERM_DATES in html, link in html) == (True, True)
    client.force_login(teacher)
    html = client.get(reverse("provision:reviews_due")).content.decode()
    assert (NO_TERM_DATES in html, "Record the term dates" in html) == (True, False)
