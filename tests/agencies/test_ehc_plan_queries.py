"""The EHC plans list and the plan page keep their query counts flat as the school grows (R16),
and the statutory dates for the school's calendar come in a fixed number of queries."""

from datetime import date

import pytest
from django.urls import reverse

from agencies.factories import AnnualReviewFactory, EhcPlanFactory
from agencies.models import EhcPlan
from agencies.selectors.ehc_plans import statutory_dates_from_ehc_plans
from pupils.factories import PupilFactory
from pupils.models import Pupil

TODAY = date(2026, 11, 20)


def _school_of(school, pupils: int, plans: int) -> list[EhcPlan]:
    """`pupils` pupils on roll, the first `plans` of them with a plan, built in bulk."""
    built = Pupil.objects.bulk_create(PupilFactory.build_batch(pupils, school=school))
    made = EhcPlan.objects.bulk_create(
        EhcPlan(pupil=pupil, local_authority="Oakshire", issued_on=date(2025, 12, 1))
        for pupil in built[:plans]
    )
    for plan in made[:3]:
        AnnualReviewFactory(plan=plan, meeting_on=date(2026, 11, 30))
    return made


@pytest.mark.parametrize(("pupils", "plans"), [(50, 1), (50, 3), (500, 3), (500, 40)])
def test_the_ehc_plans_list_queries_stay_flat(
    client, senco, school, pupils, plans, today_is, django_assert_max_num_queries
):
    _school_of(school, pupils, plans)
    today_is(TODAY)
    client.force_login(senco)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("agencies:ehc_plans_list"))
    assert len(response.context["rows"]) == plans


@pytest.mark.parametrize("pupils", [50, 500])
def test_the_plan_page_queries_stay_flat(
    client, senco, school, pupils, today_is, django_assert_max_num_queries
):
    _school_of(school, pupils, 3)
    plan = EhcPlanFactory(pupil=PupilFactory(school=school))
    today_is(TODAY)
    client.force_login(senco)
    # As counted on PostgreSQL, which makes one query more than SQLite for this page.
    with django_assert_max_num_queries(19):
        response = client.get(reverse("agencies:ehc_plans_detail", args=[plan.pk]))
    assert response.status_code == 200


def test_statutory_dates_list_each_plans_steps_for_the_calendar(senco, school, teacher, other_school_senco):
    pupil = PupilFactory(school=school, year_group=6, last_name="Ahmed")
    plan = EhcPlanFactory(pupil=pupil, issued_on=date(2025, 12, 15))
    review = AnnualReviewFactory(plan=plan, meeting_on=date(2026, 12, 14))
    rows = statutory_dates_from_ehc_plans(senco, today=TODAY)
    assert [(row.pupil, row.on, row.kind, row.url) for row in rows] == [
        (pupil, date(2026, 11, 30), "review_papers_by", review.get_absolute_url()),
        (pupil, date(2026, 12, 14), "review_meeting", review.get_absolute_url()),
        (pupil, date(2026, 12, 15), "annual_review_due", plan.get_absolute_url()),
        (pupil, date(2026, 12, 28), "review_report_by", review.get_absolute_url()),
        (pupil, date(2027, 1, 11), "review_la_decision_by", review.get_absolute_url()),
        (pupil, date(2027, 2, 15), "phase_transfer", plan.get_absolute_url()),
    ]
    assert rows[3].closed_day_note == "a bank holiday: Boxing Day (observed)"
    assert statutory_dates_from_ehc_plans(teacher, today=TODAY) == []
    assert statutory_dates_from_ehc_plans(other_school_senco, today=TODAY) == []
    assert statutory_dates_from_ehc_plans(senco, today=TODAY, pupils=Pupil.objects.none()) == []


def test_a_completed_review_leaves_only_the_awaited_la_decision(senco, school, django_assert_max_num_queries):
    plan = EhcPlanFactory(pupil=PupilFactory(school=school), issued_on=date(2025, 12, 15))
    AnnualReviewFactory(
        plan=plan, meeting_on=date(2026, 11, 2), closed_on=date(2026, 11, 2), recommendation="amend"
    )
    with django_assert_max_num_queries(3):
        rows = statutory_dates_from_ehc_plans(senco, today=TODAY)
    assert [(row.on, row.kind) for row in rows] == [
        (date(2026, 11, 30), "review_la_decision_by"),
        (date(2027, 11, 2), "annual_review_due"),
    ]
