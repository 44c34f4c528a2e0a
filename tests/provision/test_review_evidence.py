"""The review page shows the cycle's evidence: the interventions the pupil was in during the
cycle, the sessions they attended, and their entry and exit scores."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from provision.factories import PlacementFactory, ProvisionGroupFactory
from provision.models import PlanReview, SessionStatus
from provision.selectors.plans import cycle_evidence
from provision.services.delivery import record_session
from tests.provision.conftest import DAYS, MONDAY

# The conftest's plan for the taught pupil started on 21 September 2026; the precision-teaching
# group ran from Monday 2 November to Friday 11 December, and the review is on 14 December.
REVIEW_DAY = date(2026, 12, 14)


@pytest.fixture
def delivered(senco, ta, group, pupils, taught_pupil, untaught_pupil):
    """Six sessions held; the taught pupil missed the second, the untaught pupil the third. The
    taught pupil scored 82 at entry and 91 at exit."""
    for index, day in enumerate(DAYS):
        absent = {1: [taught_pupil], 2: [untaught_pupil]}.get(index, [])
        record_session(
            group=group, held_on=day, status=SessionStatus.DELIVERED, absent=absent, by=ta, today=REVIEW_DAY
        )
    record_session(
        group=group,
        held_on=date(2026, 11, 18),
        status=SessionStatus.CANCELLED,
        cancelled_reason="TA on a course",
        by=ta,
        today=REVIEW_DAY,
    )
    group.placements.filter(pupil=taught_pupil).update(
        entry_score=Decimal("82.0"),
        entry_measured_on=MONDAY,
        exit_score=Decimal("91.0"),
        exit_measured_on=date(2026, 12, 11),
    )
    return group


@pytest.fixture
def summer_group(school, taught_pupil):
    """A group the taught pupil finished in July, before this cycle began."""
    group = ProvisionGroupFactory(
        intervention__school=school,
        name="Summer phonics",
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 7, 17),
    )
    PlacementFactory(group=group, pupil=taught_pupil, left_on=date(2026, 7, 17))
    return group


def test_the_evidence_lists_the_cycles_interventions_with_attendance_and_scores(
    senco, plan, delivered, summer_group
):
    PlanReview.objects.create(plan=plan, held_on=REVIEW_DAY)
    plan.refresh_from_db()
    [row] = cycle_evidence(senco, plan=plan, today=REVIEW_DAY)
    assert (
        row.intervention,
        row.group,
        row.joined_on,
        row.left_on,
        row.sessions_held,
        row.sessions_attended,
        row.measure,
        row.entry_score,
        row.entry_measured_on,
        row.exit_score,
        row.exit_measured_on,
    ) == (
        "Precision teaching",
        "Year 3 precision teaching",
        MONDAY,
        None,
        6,
        5,
        "Standardised reading score",
        Decimal("82.0"),
        MONDAY,
        Decimal("91.0"),
        date(2026, 12, 11),
    )


def test_sessions_after_the_review_or_after_the_pupil_left_are_not_counted(
    senco, plan, delivered, taught_pupil
):
    delivered.placements.filter(pupil=taught_pupil).update(left_on=date(2026, 11, 9))
    [row] = cycle_evidence(senco, plan=plan, today=date(2026, 11, 6))
    assert (row.sessions_held, row.sessions_attended, row.left_on) == (3, 2, date(2026, 11, 9))


def test_the_review_page_shows_the_evidence(client, senco, plan, delivered, today_is):
    today_is(REVIEW_DAY)
    client.force_login(senco)
    response = client.get(reverse("provision:review_edit", args=[plan.pk]))
    html = response.content.decode()
    assert "Interventions in this cycle" in html
    assert "Precision teaching" in html
    assert "5 of 6" in html
    assert ("82.0 (2 Nov 2026)" in html, "91.0 (11 Dec 2026)" in html) == (True, True)


@pytest.mark.parametrize("n", [1, 4])
def test_the_evidence_takes_the_same_queries_whatever_the_number_of_groups(
    senco, plan, school, taught_pupil, n, django_assert_max_num_queries
):
    for index in range(n):
        group = ProvisionGroupFactory(intervention__school=school, name=f"Group {index}")
        PlacementFactory(group=group, pupil=taught_pupil)
    # The plan's review and the user's roles, then placements, sessions and absences.
    with django_assert_max_num_queries(5):
        assert len(cycle_evidence(senco, plan=plan, today=REVIEW_DAY)) == n


def test_a_user_who_cannot_see_the_pupil_gets_no_evidence(other_school_senco, plan, delivered):
    assert cycle_evidence(other_school_senco, plan=plan, today=REVIEW_DAY) == []
