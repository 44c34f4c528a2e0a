"""Annual reviews: the meeting's dates from `senco.deadlines`, with a note where one falls on a
closed day; invitees, views, recommendation and the LA's decision; preparing for adulthood from
Year 9; the next review due from the last meeting; phase transfer dates."""

from datetime import date

import pytest
from django.urls import reverse

from agencies.factories import AnnualReviewFactory, EhcPlanFactory
from agencies.models import AnnualReview
from agencies.selectors.ehc_plans import ehc_plan_rows
from pupils.factories import PupilFactory
from senco.models import AuditEvent

TODAY = date(2026, 11, 20)


@pytest.fixture
def plan(taught_pupil):
    return EhcPlanFactory(pupil=taught_pupil, issued_on=date(2025, 12, 15))


def test_picking_a_meeting_date_shows_the_steps_with_closed_days_named(client, senco, plan, today_is):
    today_is(TODAY)
    client.force_login(senco)
    response = client.get(
        reverse("agencies:annual_reviews_schedule", args=[plan.pk]), {"meeting_on": "2026-12-14"}
    )
    steps = [(step.label, step.on, step.note) for step in response.context["steps"]]
    assert steps == [
        ("Advice and papers to everyone invited", date(2026, 11, 30), ""),
        ("Meeting", date(2026, 12, 14), ""),
        (
            "The school's report to the local authority and everyone invited",
            date(2026, 12, 28),
            "a bank holiday: Boxing Day (observed)",
        ),
        ("The local authority's decision to maintain, amend or cease", date(2027, 1, 11), ""),
    ]
    assert AnnualReview.objects.count() == 0
    # Due 12 months from the plan's date: 15 December 2026.
    assert response.context["page"].review_due_on == date(2026, 12, 15)


def test_the_senco_arranges_the_meeting_and_a_meeting_before_the_plan_is_refused(
    client, senco, plan, today_is
):
    today_is(TODAY)
    client.force_login(senco)
    url = reverse("agencies:annual_reviews_schedule", args=[plan.pk])
    early = client.post(url, {"meeting_on": "2025-12-01"})
    arranged = client.post(url, {"meeting_on": "2026-12-14"})
    review = AnnualReview.objects.get()
    assert (early.status_code, arranged.status_code, arranged["Location"]) == (
        200,
        302,
        reverse("agencies:annual_reviews_edit", args=[review.pk]),
    )
    assert "The meeting cannot be before the plan was issued (15 December 2025)." in early.content.decode()
    assert AuditEvent.objects.filter(action="annual_review.scheduled").count() == 1


def _record(review, **changes) -> dict:
    data = {
        "version": str(review.version),
        "meeting_on": review.meeting_on.isoformat(),
        "advice_gathered": "Speech and language therapy report, October 2026.",
        "parent_views": "Pleased with progress in speaking.",
        "pupil_views": "Likes the lunch club.",
        "recommendation": "maintain",
        "la_decision": "",
        "la_decision_on": "",
        "invitees-TOTAL_FORMS": "2",
        "invitees-INITIAL_FORMS": "0",
        "invitees-0-kind": "parent",
        "invitees-0-name": "Ms Taught",
        "invitees-0-invited_on": "2026-10-01",
        "invitees-1-kind": "la",
        "invitees-1-name": "",
        "invitees-1-invited_on": "2026-10-01",
    }
    return {**data, **changes}


def test_completing_a_review_records_everything_and_moves_the_next_due_date(client, senco, plan, today_is):
    review = AnnualReviewFactory(plan=plan, meeting_on=date(2026, 11, 2))
    today_is(TODAY)
    client.force_login(senco)
    data = _record(review, complete="1", la_decision="maintain", la_decision_on="2026-11-19")
    response = client.post(reverse("agencies:annual_reviews_edit", args=[review.pk]), data)
    review.refresh_from_db()
    assert (response.status_code, review.closed_on, review.closed_by, review.la_decision) == (
        302,
        TODAY,
        senco,
        "maintain",
    )
    assert [(i.kind, i.invited_on) for i in review.invitees.all()] == [
        ("parent", date(2026, 10, 1)),
        ("la", date(2026, 10, 1)),
    ]
    [row] = ehc_plan_rows(senco, today=TODAY)
    assert (row.review_due_on, row.overdue) == (date(2027, 11, 2), False)
    assert AuditEvent.objects.filter(action="annual_review.completed").count() == 1


def test_a_review_from_year_9_will_not_complete_without_preparing_for_adulthood(
    client, senco, school, today_is
):
    pupil = PupilFactory(school=school, year_group=9)
    review = AnnualReviewFactory(plan=EhcPlanFactory(pupil=pupil), meeting_on=date(2026, 11, 2))
    today_is(TODAY)
    client.force_login(senco)
    url = reverse("agencies:annual_reviews_edit", args=[review.pk])
    refused = client.post(url, _record(review, complete="1", pupil_views="Typed views kept"))
    errors = refused.context["form"].errors
    assert (refused.status_code, sorted(errors)) == (
        200,
        ["pfa_community", "pfa_employment", "pfa_health", "pfa_independent_living"],
    )
    assert "Typed views kept" in refused.content.decode()
    pfa = {
        "pfa_employment": "Work experience at a vet's.",
        "pfa_independent_living": "Travel training to school.",
        "pfa_community": "Youth club on Fridays.",
        "pfa_health": "Manages own medication.",
    }
    completed = client.post(url, _record(review, complete="1", **pfa))
    review.refresh_from_db()
    assert (completed.status_code, review.closed_on, review.pfa_health) == (
        302,
        TODAY,
        "Manages own medication.",
    )


def test_a_review_below_year_9_completes_without_preparing_for_adulthood(client, senco, plan, today_is):
    review = AnnualReviewFactory(plan=plan, meeting_on=date(2026, 11, 2))
    today_is(TODAY)
    client.force_login(senco)
    response = client.post(
        reverse("agencies:annual_reviews_edit", args=[review.pk]), _record(review, complete="1")
    )
    assert response.status_code == 302


def test_dates_out_of_order_are_refused_beside_their_fields(client, senco, plan, today_is):
    review = AnnualReviewFactory(plan=plan, meeting_on=date(2026, 11, 2))
    today_is(TODAY)
    client.force_login(senco)
    url = reverse("agencies:annual_reviews_edit", args=[review.pk])
    decision_first = client.post(url, _record(review, la_decision="amend", la_decision_on="2026-10-30"))
    future_meeting = client.post(url, _record(review, meeting_on="2026-12-01", complete="1"))
    no_recommendation = client.post(url, _record(review, recommendation="", complete="1"))
    assert decision_first.context["form"].errors == {
        "la_decision_on": ["The local authority decides after the meeting: check the date."]
    }
    assert list(future_meeting.context["form"].errors) == ["meeting_on"]
    assert list(no_recommendation.context["form"].errors) == ["recommendation"]
    review.refresh_from_db()
    assert (review.closed_on, review.version) == (None, 1)


def test_two_people_saving_a_review_at_once_the_second_is_refused(client, senco, head, plan, today_is):
    review = AnnualReviewFactory(plan=plan, meeting_on=date(2026, 11, 2))
    today_is(TODAY)
    client.force_login(senco)
    url = reverse("agencies:annual_reviews_edit", args=[review.pk])
    client.post(url, _record(review, parent_views="First"))
    second = client.post(url, _record(review, parent_views="Second, kept"))
    assert "Someone else changed this annual review" in second.content.decode()
    assert "Second, kept" in second.content.decode()


def test_review_pages_refuse_teachers_and_let_the_head_read_only(
    client, teacher, head, other_school_senco, plan
):
    review = AnnualReviewFactory(plan=plan)
    detail = reverse("agencies:annual_reviews_detail", args=[review.pk])
    edit = reverse("agencies:annual_reviews_edit", args=[review.pk])
    answers = {}
    for who, user in (("teacher", teacher), ("head", head), ("other", other_school_senco)):
        client.force_login(user)
        answers[who] = (client.get(detail).status_code, client.get(edit).status_code)
    assert answers == {"teacher": (403, 403), "head": (200, 403), "other": (404, 404)}
    assert AuditEvent.objects.filter(action="annual_review.viewed").count() == 1


@pytest.mark.parametrize(
    ("year_group", "recorded", "expected"),
    [
        (6, "", ("Primary to secondary (or to or from middle school)", date(2027, 2, 15))),
        (11, "", ("Secondary to post-16", date(2027, 3, 31))),
        (2, "infant_to_junior", ("Infant to junior", date(2027, 2, 15))),
        (2, "", None),
        (5, "", None),
    ],
)
def test_pupils_in_the_year_before_a_phase_transfer_show_its_date(
    senco, school, year_group, recorded, expected
):
    EhcPlanFactory(pupil=PupilFactory(school=school, year_group=year_group), phase_transfer=recorded)
    [row] = ehc_plan_rows(senco, today=TODAY)
    assert row.transfer == expected


def test_the_list_puts_overdue_reviews_first(senco, school):
    later = EhcPlanFactory(pupil=PupilFactory(school=school, last_name="Later"), issued_on=date(2026, 3, 1))
    overdue = EhcPlanFactory(
        pupil=PupilFactory(school=school, last_name="Overdue"), issued_on=date(2025, 9, 1)
    )
    AnnualReviewFactory(plan=later, meeting_on=date(2026, 10, 1), closed_on=date(2026, 10, 1))
    rows = ehc_plan_rows(senco, today=TODAY)
    assert [(row.plan, row.review_due_on, row.overdue) for row in rows] == [
        (overdue, date(2026, 9, 1), True),
        (later, date(2027, 10, 1), False),
    ]


def test_a_decision_without_its_date_is_refused_in_plain_words(client, senco, plan, today_is):
    review = AnnualReviewFactory(plan=plan, meeting_on=date(2026, 11, 2))
    today_is(TODAY)
    client.force_login(senco)
    response = client.post(
        reverse("agencies:annual_reviews_edit", args=[review.pk]), _record(review, la_decision="cease")
    )
    assert response.context["form"].non_field_errors() == ["Give the date of the local authority's decision."]


def test_services_refuse_a_leavers_plan_and_write_nothing(senco, school):
    from django.core.exceptions import ValidationError

    from agencies.services.annual_reviews import schedule_annual_review
    from agencies.services.ehc_plans import amend_ehc_plan

    leaver = PupilFactory(school=school, left_on=date(2026, 7, 22))
    plan = EhcPlanFactory(pupil=leaver)
    with pytest.raises(ValidationError):
        schedule_annual_review(plan=plan, meeting_on=date(2026, 12, 1), by=senco, today=TODAY)
    with pytest.raises(ValidationError):
        amend_ehc_plan(plan=plan, version=plan.version, issued_on=TODAY, by=senco, today=TODAY)
    assert (AnnualReview.objects.count(), plan.versions.count()) == (0, 1)


def test_a_teaching_assistant_sees_sections_e_and_f_of_a_pupil_they_support(client, ta, plan, today_is):
    today_is(TODAY)
    client.force_login(ta)
    response = client.get(reverse("agencies:ehc_plans_detail", args=[plan.pk]))
    page = response.content.decode()
    assert (
        response.status_code,
        "Small-group social communication sessions." in page,
        "wants to be a vet" in page.lower(),
    ) == (
        200,
        True,
        False,
    )
