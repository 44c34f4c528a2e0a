"""SEN support plan pages: who may use them, and what they do."""

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from provision.factories import SupportPlanFactory
from provision.models import PlanReview, PlanStatus, PlanVersion, SupportPlan
from provision.services.plans import NOT_ON_REGISTER, add_review_comment
from pupils.factories import PupilFactory, SenStatusChangeFactory
from pupils.models import SenStatus
from pupils.selectors.records import current_sen_status
from senco.concurrency import STALE_MESSAGE
from senco.models import AuditEvent
from tests.provision.conftest import amend

STALE_PLAN = STALE_MESSAGE.format(what="plan")
PLAN_URLS = ["provision:plan_detail", "provision:plan_pdf"]
SENCO_GET_URLS = ["provision:plan_edit", "provision:review_edit"]
POST_URLS = ["provision:plan_finalise", "provision:plan_shared", "provision:review_close"]


@pytest.fixture
def other_plan(other_school_pupil):
    return SupportPlanFactory(pupil=other_school_pupil)


def outcome_rows(rows):
    data = {"outcomes-TOTAL_FORMS": str(len(rows)), "outcomes-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data |= {f"outcomes-{index}-{key}": value for key, value in row.items()}
    return data


@pytest.mark.parametrize("name", PLAN_URLS)
@pytest.mark.parametrize("persona", ["senco", "head", "teacher", "ta"])
def test_plan_readers_open_the_plan_of_a_pupil_they_may_see(client, request, plan, name, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(name, args=[plan.pk])).status_code == 200


@pytest.mark.parametrize("name", PLAN_URLS + SENCO_GET_URLS + ["provision:reviews_due"])
def test_governors_get_403_on_every_plan_page(client, governor, plan, name):
    client.force_login(governor)
    args = [] if name == "provision:reviews_due" else [plan.pk]
    assert client.get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize("name", PLAN_URLS + SENCO_GET_URLS)
def test_another_schools_plan_is_404(client, senco, other_plan, name):
    client.force_login(senco)
    assert client.get(reverse(name, args=[other_plan.pk])).status_code == 404


def test_a_teacher_gets_404_for_the_plan_of_a_pupil_they_do_not_teach(client, teacher, untaught_pupil):
    plan = SupportPlanFactory(pupil=untaught_pupil)
    client.force_login(teacher)
    assert client.get(reverse("provision:plan_detail", args=[plan.pk])).status_code == 404


@pytest.mark.parametrize("name", SENCO_GET_URLS)
@pytest.mark.parametrize("persona", ["head", "teacher", "ta"])
def test_only_the_senco_team_edits_and_reviews(client, request, plan, name, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(name, args=[plan.pk])).status_code == 403


@pytest.mark.parametrize("name", POST_URLS)
def test_a_teacher_cannot_post_senco_actions(client, teacher, plan, name):
    client.force_login(teacher)
    assert client.post(reverse(name, args=[plan.pk]), {"version": plan.version}).status_code == 403


@pytest.mark.parametrize("name", [*POST_URLS, "provision:plan_comment"])
def test_posting_to_another_schools_plan_is_404(client, senco, other_plan, name):
    client.force_login(senco)
    assert client.post(reverse(name, args=[other_plan.pk]), {"version": 1}).status_code == 404


def test_plan_list_shows_cycles_and_404s_for_other_schools(client, senco, plan, other_school_pupil):
    client.force_login(senco)
    response = client.get(reverse("provision:plan_list", args=[plan.pupil.pk]))
    assert [p.pk for p in response.context["plans"]] == [plan.pk]
    assert client.get(reverse("provision:plan_list", args=[other_school_pupil.pk])).status_code == 404


def test_opening_a_pupils_plans_is_audited_as_a_view_of_the_pupil(client, teacher, plan):
    client.force_login(teacher)
    client.get(reverse("provision:plan_list", args=[plan.pupil.pk]))
    assert list(AuditEvent.objects.filter(action="pupil.viewed").values_list("actor", "pupil_id")) == [
        (teacher.pk, plan.pupil_id)
    ]


def test_plan_list_is_403_for_governors(client, governor, plan):
    client.force_login(governor)
    assert client.get(reverse("provision:plan_list", args=[plan.pupil.pk])).status_code == 403


def test_starting_a_plan_for_a_pupil_not_on_the_register_explains_why(client, senco):
    pupil = PupilFactory(school=senco.school)
    client.force_login(senco)
    response = client.post(reverse("provision:plan_start", args=[pupil.pk]), {"started_on": "2026-09-30"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [NOT_ON_REGISTER]


def test_a_far_off_start_date_is_a_form_error(client, senco, taught_pupil):
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT)
    client.force_login(senco)
    response = client.post(
        reverse("provision:plan_start", args=[taught_pupil.pk]), {"started_on": "9999-12-31"}
    )
    assert (response.status_code, list(response.context["form"].errors)) == (200, ["started_on"])
    assert SupportPlan.objects.filter(pupil=taught_pupil).count() == 0


def test_a_review_date_more_than_a_year_after_the_start_is_a_form_error(client, senco, plan):
    client.force_login(senco)
    data = {"version": str(plan.version), "assessment": "", "strategies": "", "arrangements": ""}
    data |= {"review_due_on": "9999-12-31"}
    data |= outcome_rows([{"area": "cognition", "description": "Read", "success_criteria": ""}])
    response = client.post(reverse("provision:plan_edit", args=[plan.pk]), data)
    assert response.context["form"].errors == {
        "review_due_on": ["Review the plan within a year of its start: by 21/09/2027 at the latest."]
    }


def test_start_is_403_for_a_teacher_and_404_for_another_school(
    client, teacher, senco, taught_pupil, other_school_pupil
):
    client.force_login(teacher)
    assert (
        client.post(
            reverse("provision:plan_start", args=[taught_pupil.pk]), {"started_on": "2026-09-30"}
        ).status_code
        == 403
    )
    client.force_login(senco)
    assert (
        client.post(
            reverse("provision:plan_start", args=[other_school_pupil.pk]), {"started_on": "2026-09-30"}
        ).status_code
        == 404
    )


def test_senco_starts_and_saves_a_draft_plan(client, senco, taught_pupil):
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT)
    client.force_login(senco)
    response = client.post(
        reverse("provision:plan_start", args=[taught_pupil.pk]), {"started_on": "2026-09-30"}
    )
    plan = SupportPlan.objects.get(pupil=taught_pupil)
    assert response["Location"] == reverse("provision:plan_edit", args=[plan.pk])
    data = {
        "version": "1",
        "assessment": "A",
        "strategies": "S",
        "arrangements": "D",
        "review_due_on": "2026-12-30",
    }
    data |= outcome_rows(
        [{"area": "semh", "description": "Join in at playtime.", "success_criteria": "3 days a week"}]
    )
    response = client.post(reverse("provision:plan_edit", args=[plan.pk]), data)
    assert response["Location"] == plan.get_absolute_url()
    assert list(plan.outcomes.values_list("area", "description")) == [("semh", "Join in at playtime.")]


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(client, senco, plan):
    client.force_login(senco)
    data = {
        "version": str(plan.version + 5),
        "assessment": "My careful notes",
        "strategies": "S",
        "arrangements": "D",
        "review_due_on": "2026-12-30",
    }
    data |= outcome_rows([{"area": "cognition", "description": "Typed outcome", "success_criteria": ""}])
    response = client.post(reverse("provision:plan_edit", args=[plan.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [STALE_PLAN]
    assert response.context["form"]["assessment"].value() == "My careful notes"
    assert response.context["outcomes"].forms[0]["description"].value() == "Typed outcome"
    assert response.context["form"]["version"].value() == plan.version


def test_an_outcome_needs_an_area_of_need(client, senco, plan):
    client.force_login(senco)
    data = {
        "version": str(plan.version),
        "assessment": "",
        "strategies": "",
        "arrangements": "",
        "review_due_on": "2026-12-30",
    }
    data |= outcome_rows([{"area": "", "description": "No area", "success_criteria": ""}])
    response = client.post(reverse("provision:plan_edit", args=[plan.pk]), data)
    assert response.context["outcomes"].forms[0].errors == {
        "area": ["Choose the area of need this outcome belongs to."]
    }


def test_finalising_from_the_plan_page(client, senco, plan):
    SupportPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
    client.force_login(senco)
    response = client.post(reverse("provision:plan_finalise", args=[plan.pk]), {"version": plan.version})
    plan.refresh_from_db()
    assert (response.status_code, plan.status, plan.finalised_by) == (302, PlanStatus.ACTIVE, senco)


def test_recording_the_parents_notice_date_keeps_a_version_like_an_amendment(client, senco, plan):
    client.force_login(senco)
    response = client.post(
        reverse("provision:plan_shared", args=[plan.pk]), {"shared_on": "2026-09-25", "version": plan.version}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.shared_with_parents_on, plan.version) == (date(2026, 9, 25), 2)
    assert list(plan.versions.values_list("reason", "snapshot__shared_with_parents_on")) == [
        ("Shared with parents", "2026-09-25")
    ]


def test_a_shared_date_before_the_plan_starts_is_an_error_on_the_date(client, senco, plan):
    client.force_login(senco)
    response = client.post(
        reverse("provision:plan_shared", args=[plan.pk]), {"shared_on": "0001-01-01", "version": plan.version}
    )
    assert response.status_code == 200
    assert response.context["shared_form"].errors == {
        "shared_on": ["The plan started on 21/09/2026: choose that day or later."]
    }
    plan.refresh_from_db()
    assert plan.shared_with_parents_on is None


def test_a_stale_shared_date_is_refused_and_the_form_moves_to_the_new_version(client, senco, plan):
    SupportPlan.objects.filter(pk=plan.pk).update(version=4)
    client.force_login(senco)
    response = client.post(
        reverse("provision:plan_shared", args=[plan.pk]), {"shared_on": "2026-09-25", "version": 3}
    )
    form = response.context["shared_form"]
    assert form.non_field_errors() == [STALE_PLAN]
    assert (form["shared_on"].value(), form["version"].value()) == ("2026-09-25", 4)
    plan.refresh_from_db()
    assert plan.shared_with_parents_on is None


def test_a_reviewed_cycles_shared_date_cannot_be_changed(client, senco, plan):
    SupportPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.REVIEWED)
    client.force_login(senco)
    response = client.post(
        reverse("provision:plan_shared", args=[plan.pk]), {"shared_on": "2026-11-01", "version": plan.version}
    )
    assert response.status_code == 200
    assert response.context["shared_form"].non_field_errors() == [
        "This cycle has been reviewed and closed, so its record cannot change: "
        "record the date on the current cycle instead."
    ]
    plan.refresh_from_db()
    assert (plan.shared_with_parents_on, plan.versions.count()) == (None, 0)


def test_a_teacher_comments_on_their_pupils_plan(client, teacher, plan):
    client.force_login(teacher)
    response = client.post(
        reverse("provision:plan_comment", args=[plan.pk]), {"body": "Reading more fluently."}
    )
    assert response.status_code == 302
    assert list(plan.comments.values_list("body", flat=True)) == ["Reading more fluently."]


def test_a_head_cannot_comment(client, head, plan):
    client.force_login(head)
    assert client.post(reverse("provision:plan_comment", args=[plan.pk]), {"body": "x"}).status_code == 403


def test_opening_a_plan_is_audited(client, teacher, plan):
    client.force_login(teacher)
    client.get(reverse("provision:plan_detail", args=[plan.pk]))
    assert list(AuditEvent.objects.filter(action="plan.viewed").values_list("actor", "pupil_id")) == [
        (teacher.pk, plan.pupil_id)
    ]


def test_the_plan_pdf_is_a4_portrait_and_shows_the_outcome(client, senco, plan):
    client.force_login(senco)
    response = client.get(reverse("provision:plan_pdf", args=[plan.pk]))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert "Read sixty words a minute aloud." in reader.pages[0].extract_text()


def review_data(plan, **changes) -> dict:
    """What the review form posts for a first review of `plan` (version 0), complete enough to close."""
    outcome = plan.outcomes.get()
    today = timezone.localdate().isoformat()
    data = {
        "version": "0",
        "held_on": today,
        "evidence": "Probe",
        "parent_view": "Happier",
        "parent_view_on": today,
        "pupil_view": "I like it",
        "pupil_view_on": today,
        "next_steps": "More",
        "decision": "continue",
        "invited": "Mother, class teacher",
        "attended": "Mother",
        "declined": "",
        "parents_at_meeting": "came",
        "exit_status": "",
        "status_from": "",
        "parents_told_on": "",
        f"rating_{outcome.pk}": "partly_met",
        f"note_{outcome.pk}": "45 wpm",
    }
    return data | changes


def test_the_review_page_saves_progress_and_views(client, senco, plan):
    client.force_login(senco)
    response = client.post(reverse("provision:review_edit", args=[plan.pk]), review_data(plan))
    assert response.status_code == 302
    assert list(plan.review.progress.values_list("rating", "note")) == [("partly_met", "45 wpm")]
    response = client.post(
        reverse("provision:review_close", args=[plan.pk]), {"version": plan.review.version}
    )
    next_plan = SupportPlan.objects.get(pupil=plan.pupil, cycle=2)
    assert response["Location"] == reverse("provision:plan_edit", args=[next_plan.pk])


def test_a_second_person_starting_the_review_is_refused_and_keeps_what_they_typed(client, senco, plan):
    client.force_login(senco)
    url = reverse("provision:review_edit", args=[plan.pk])
    client.post(url, review_data(plan, evidence="First."))
    response = client.post(url, review_data(plan, evidence="Second."))  # also read before any review
    form = response.context["form"]
    assert (response.status_code, form.non_field_errors(), form["evidence"].value()) == (
        200,
        [STALE_MESSAGE.format(what="review")],
        "Second.",
    )
    assert (PlanReview.objects.get(plan=plan).evidence, form["version"].value()) == ("First.", 1)
    # The form now carries the review's version, so saving again goes through.
    again = client.post(url, review_data(plan, evidence="Second.", version=form["version"].value()))
    assert (again.status_code, PlanReview.objects.get(plan=plan).evidence) == (302, "Second.")


def test_a_stale_review_close_says_someone_else_changed_the_review(client, senco, plan):
    client.force_login(senco)
    client.post(reverse("provision:review_edit", args=[plan.pk]), review_data(plan))
    response = client.post(reverse("provision:review_close", args=[plan.pk]), {"version": 0})
    review = PlanReview.objects.get(plan=plan)
    assert (response.status_code, response.context["error"], review.finalised_on) == (
        200,
        STALE_MESSAGE.format(what="review"),
        None,
    )


def test_a_stale_finalise_says_someone_else_changed_the_plan(client, senco, plan):
    SupportPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT, version=4)
    client.force_login(senco)
    response = client.post(reverse("provision:plan_finalise", args=[plan.pk]), {"version": 3})
    assert response.status_code == 200
    assert response.context["error"] == STALE_PLAN
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_a_draft_plan_cannot_be_reviewed_yet(client, senco, plan):
    SupportPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
    client.force_login(senco)
    response = client.get(reverse("provision:review_edit", args=[plan.pk]))
    assert (response.status_code, response["Location"]) == (302, plan.get_absolute_url())


def test_an_amendment_to_a_finalised_plan_is_kept_as_a_new_version(client, senco, plan):
    client.force_login(senco)
    outcome = plan.outcomes.get()
    data = {
        "version": str(plan.version),
        "assessment": "A",
        "strategies": "New strategies",
        "arrangements": "D",
        "review_due_on": "2026-12-14",
    }
    data |= outcome_rows([{"id": str(outcome.pk), "area": "cognition", "description": outcome.description}])
    client.post(reverse("provision:plan_edit", args=[plan.pk]), data)
    assert list(plan.versions.values_list("reason", "snapshot__strategies")) == [
        ("Amended after finalisation", "New strategies")
    ]
    assert list(plan.outcomes.values_list("pk", flat=True)) == [outcome.pk]


@pytest.mark.parametrize("n", [1, 3])
def test_plan_list_queries_stay_flat(client, senco, taught_pupil, n, django_assert_max_num_queries):
    previous = None
    for cycle in range(1, n + 1):
        status = PlanStatus.REVIEWED if cycle < n else PlanStatus.ACTIVE
        previous = SupportPlanFactory(pupil=taught_pupil, cycle=cycle, previous=previous, status=status)
    client.force_login(senco)
    # 8 for the page and 4 for its audit row (the pupil's school; on PostgreSQL the chain's lock;
    # the chain's end, then the row itself).
    with django_assert_max_num_queries(9):
        response = client.get(reverse("provision:plan_list", args=[taught_pupil.pk]))
    assert len(response.context["plans"]) == n


def test_the_senco_sees_staff_comments_while_writing_the_review(client, senco, teacher, plan):
    add_review_comment(plan=plan, body="Reads aloud more willingly.", by=teacher)
    client.force_login(senco)
    response = client.get(reverse("provision:review_edit", args=[plan.pk]))
    assert response.content.decode().count("Reads aloud more willingly.") == 1


# Past versions -------------------------------------------------------------------------------


@pytest.fixture
def amended_twice(plan, senco):
    amend(plan, senco, "First strategies")
    amend(plan, senco, "Second strategies")
    return plan


@pytest.mark.parametrize("persona", ["senco", "head", "teacher", "ta"])
def test_plan_readers_open_a_past_version_as_it_stood(client, request, amended_twice, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("provision:plan_version", args=[amended_twice.pk, 1]))
    page = response.content.decode()
    assert (response.status_code, "First strategies" in page, "Second strategies" in page) == (
        200,
        True,
        False,
    )
    assert [row.description for row in response.context["outcomes"]] == ["Read sixty words a minute aloud."]


def test_the_plan_page_links_each_version(client, senco, amended_twice):
    client.force_login(senco)
    page = client.get(reverse("provision:plan_detail", args=[amended_twice.pk])).content.decode()
    links = [reverse("provision:plan_version", args=[amended_twice.pk, n]) for n in (1, 2)]
    assert [link in page for link in links] == [True, True]


def test_opening_a_past_version_is_audited_as_a_view_of_the_plan(client, teacher, amended_twice):
    client.force_login(teacher)
    client.get(reverse("provision:plan_version", args=[amended_twice.pk, 1]))
    client.get(reverse("provision:plan_version_pdf", args=[amended_twice.pk, 2]))
    assert list(
        AuditEvent.objects.filter(action="plan.viewed")
        .order_by("pk")
        .values_list("actor", "pupil_id", "summary")
    ) == [
        (teacher.pk, amended_twice.pupil_id, "Version 1"),
        (teacher.pk, amended_twice.pupil_id, "Version 2"),
    ]


def test_a_past_versions_pdf_prints_that_versions_text(client, senco, amended_twice):
    client.force_login(senco)
    response = client.get(reverse("provision:plan_version_pdf", args=[amended_twice.pk, 1]))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert ("First strategies" in text, "Second strategies" in text, "Version 1" in text) == (
        True,
        False,
        True,
    )


@pytest.mark.parametrize("name", ["provision:plan_version", "provision:plan_version_pdf"])
def test_past_versions_follow_the_plans_access_rule(
    client, senco, teacher, governor, untaught_pupil, other_plan, name
):
    untaught = SupportPlanFactory(pupil=untaught_pupil)
    amend(untaught, senco, "S")
    PlanVersion.objects.create(plan=other_plan, number=1, reason="Finalised", snapshot={})
    client.force_login(teacher)
    assert client.get(reverse(name, args=[untaught.pk, 1])).status_code == 404
    client.force_login(governor)
    assert client.get(reverse(name, args=[untaught.pk, 1])).status_code == 403
    client.force_login(senco)
    assert client.get(reverse(name, args=[other_plan.pk, 1])).status_code == 404
    assert client.get(reverse(name, args=[untaught.pk, 9])).status_code == 404


# The proposed review date on the school's calendar ------------------------------------------------

NO_TERM_DATES = "No term dates are recorded for 2026/27"


def test_a_plan_started_three_months_before_christmas_is_reviewed_on_the_last_day_of_term(
    client, senco, taught_pupil, term_dates_2026, today_is
):
    today_is(date(2026, 9, 28))
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT)
    client.force_login(senco)
    client.post(reverse("provision:plan_start", args=[taught_pupil.pk]), {"started_on": "2026-09-28"})
    plan = SupportPlan.objects.get(pupil=taught_pupil)
    # Three months on is Monday 28 December: the Christmas holiday and the Boxing Day bank holiday.
    assert plan.review_due_on == date(2026, 12, 18)
    html = client.get(reverse("provision:plan_edit", args=[plan.pk])).content.decode()
    assert NO_TERM_DATES not in html


def test_without_term_dates_the_review_date_avoids_bank_holidays_and_the_edit_page_says_so(
    client, senco, taught_pupil, today_is
):
    today_is(date(2026, 9, 28))
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT)
    client.force_login(senco)
    client.post(reverse("provision:plan_start", args=[taught_pupil.pk]), {"started_on": "2026-09-28"})
    plan = SupportPlan.objects.get(pupil=taught_pupil)
    assert plan.review_due_on == date(2026, 12, 24)  # before Christmas Day and Boxing Day's bank holiday
    html = client.get(reverse("provision:plan_edit", args=[plan.pk])).content.decode()
    link = f'<a href="{reverse("senco:calendar")}">Record the term dates</a>'
    assert (NO_TERM_DATES in html, link in html) == (True, True)


# What a plan is called: a pupil with an EHC plan is not on SEN support


@pytest.fixture
def ehc_plan(school):
    """Cycle 1 of a pupil who has had an EHC plan since 14 September 2026."""
    pupil = PupilFactory(school=school, first_name="Maya", last_name="Planned")
    SenStatusChangeFactory(pupil=pupil, status=SenStatus.EHC_PLAN, ehc_plan_date=date(2026, 9, 14))
    return SupportPlanFactory(pupil=pupil)


@pytest.mark.parametrize(
    "name", ["provision:plan_detail", "provision:plan_edit", "provision:review_edit", "provision:plan_list"]
)
def test_an_ehc_plan_pupils_plan_is_never_called_a_sen_support_plan(client, senco, ehc_plan, name):
    client.force_login(senco)
    args = [ehc_plan.pupil.pk] if name == "provision:plan_list" else [ehc_plan.pk]
    html = client.get(reverse(name, args=args)).content.decode().lower()
    assert ("sen support plan" in html, "support plan (ehc plan)" in html) == (False, True)


def test_an_ehc_plan_pupils_plan_pdf_has_the_plan_name(client, senco, ehc_plan):
    client.force_login(senco)
    response = client.get(reverse("provision:plan_pdf", args=[ehc_plan.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert ("SEN support plan" in text, "Support plan (EHC plan): Maya Planned" in text) == (False, True)
    assert f'filename="support-plan-{ehc_plan.pk}-cycle-1.pdf"' in response["Content-Disposition"]


def test_a_sen_support_pupils_plan_is_a_sen_support_plan(client, senco, plan):
    client.force_login(senco)
    html = client.get(reverse("provision:plan_detail", args=[plan.pk])).content.decode()
    assert "SEN support plan for Ava Taught: cycle 1" in html


def test_a_cycle_reviewed_before_the_ehc_plan_keeps_its_name(client, senco, plan, today_is):
    PlanReview.objects.create(
        plan=plan, held_on=date(2026, 12, 10), decision="adapt", finalised_on=date(2026, 12, 10)
    )
    SupportPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.REVIEWED)
    later = SupportPlanFactory(pupil=plan.pupil, cycle=2, previous=plan, started_on=date(2026, 12, 10))
    SenStatusChangeFactory(pupil=plan.pupil, status=SenStatus.EHC_PLAN, effective_from=date(2027, 1, 11))
    client.force_login(senco)
    today_is(date(2027, 1, 18))
    first = client.get(reverse("provision:plan_detail", args=[plan.pk])).content.decode()
    second = client.get(reverse("provision:plan_detail", args=[later.pk])).content.decode()
    assert (
        "SEN support plan for Ava Taught: cycle 1" in first,
        "Support plan (EHC plan) for Ava Taught: cycle 2" in second,
    ) == (True, True)


def test_an_ehc_plan_pupils_review_offers_no_exit_from_sen_support(client, senco, ehc_plan):
    client.force_login(senco)
    response = client.get(reverse("provision:review_edit", args=[ehc_plan.pk]))
    form = response.context["form"]
    assert [value for value, _ in form.fields["decision"].choices] == ["", "continue", "adapt", "escalate"]
    assert ("exit_status" in form.fields, "Exit SEN support" in response.content.decode()) == (False, False)


def test_a_sen_support_pupils_review_offers_the_exit_with_its_details(client, senco, plan):
    client.force_login(senco)
    form = client.get(reverse("provision:review_edit", args=[plan.pk])).context["form"]
    assert [value for value, _ in form.fields["decision"].choices] == [
        "",
        "continue",
        "adapt",
        "escalate",
        "exit",
    ]
    assert [value for value, _ in form.fields["exit_status"].choices] == ["", "monitoring", "no_sen"]


def test_exiting_sen_support_from_the_review_page_changes_the_status_when_it_closes(client, senco, plan):
    client.force_login(senco)
    today = timezone.localdate()
    data = review_data(
        plan,
        decision="exit",
        exit_status="no_sen",
        status_from=today.isoformat(),
        parents_told_on=today.isoformat(),
    )
    assert client.post(reverse("provision:review_edit", args=[plan.pk]), data).status_code == 302
    response = client.post(
        reverse("provision:review_close", args=[plan.pk]), {"version": plan.review.version}
    )
    assert response["Location"] == reverse("provision:plan_detail", args=[plan.pk])
    current = current_sen_status(plan.pupil, today=today)
    assert (current.status, current.parents_informed_on) == (SenStatus.NO_SEN, today)


def test_a_review_dated_before_the_plan_starts_is_an_error_on_its_date_with_the_text_kept(
    client, senco, plan
):
    client.force_login(senco)
    response = client.post(
        reverse("provision:review_edit", args=[plan.pk]), review_data(plan, held_on="2026-09-18")
    )
    form = response.context["form"]
    assert (response.status_code, form.errors["held_on"], form["evidence"].value()) == (
        200,
        ["The plan started on 21 September 2026: the review cannot be dated before that."],
        "Probe",
    )
    assert not PlanReview.objects.exists()


def test_a_review_date_more_than_a_term_ahead_shows_a_tick_box_and_keeps_what_was_typed(client, senco, plan):
    client.force_login(senco)
    url = reverse("provision:plan_edit", args=[plan.pk])
    data = {"version": str(plan.version), "assessment": "Typed", "strategies": "", "arrangements": ""}
    data |= {"review_due_on": "2027-02-05"}
    data |= outcome_rows([{"area": "cognition", "description": "Read", "success_criteria": ""}])
    response = client.post(url, data)
    form = response.context["form"]
    assert (response.status_code, form["assessment"].value(), form["review_due_on"].value()) == (
        200,
        "Typed",
        "2027-02-05",
    )
    assert "more than a term after the plan starts" in form.errors["review_due_on"][0]
    assert 'name="confirm_review_date"' in response.content.decode()
    assert client.post(url, data | {"confirm_review_date": "on"}).status_code == 302
    plan.refresh_from_db()
    assert plan.review_due_on == date(2027, 2, 5)


def test_the_tick_box_is_not_shown_until_it_is_needed(client, senco, plan):
    client.force_login(senco)
    response = client.get(reverse("provision:plan_edit", args=[plan.pk]))
    assert 'name="confirm_review_date"' not in response.content.decode()
