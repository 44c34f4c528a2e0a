"""The SENCO records the EHC plan a pupil in 3A was issued, arranges and completes its annual
review; the class teacher then sees the plan's outcomes and provision, and nothing else of it.
Every page is checked by axe."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.models import AnnualReview, EhcPlan
from pupils.models import Pupil, SenStatus

pytestmark = pytest.mark.e2e

OUTCOME = "Join a small-group game for ten minutes with one prompt."
ASPIRATIONS = "Wants to be a vet; loves drawing horses."


def pupil_in_3a_on_sen_support() -> Pupil:
    return (
        Pupil.objects.filter(
            school__name="Oakfield Primary School",
            teaching_groups__name="3A",
            sen_status_now=SenStatus.SEN_SUPPORT,
            ehc_plans=None,
        )
        .order_by("pk")
        .first()
    )


def test_senco_records_a_plan_and_its_review_and_the_teacher_sees_e_and_f(
    page, live_server, login, assert_accessible, demo_trust
):
    pupil = pupil_in_3a_on_sen_support()
    today = timezone.localdate()
    issued = today - timedelta(days=300)
    login(page, "senco")
    page.get_by_role("link", name="EHC plans").first.click()
    assert_accessible(page)
    page.goto(f"{live_server.url}/pupils/{pupil.pk}/")
    page.get_by_role("link", name="Record an EHC plan").click()
    assert_accessible(page)
    page.get_by_label("First issued on").fill(issued.isoformat())
    page.get_by_label("Section A: the views").fill(ASPIRATIONS)
    page.locator("#id_needs-0-description").fill("Social communication and interaction.")
    page.locator("#id_outcomes-0-description").fill(OUTCOME)
    page.locator("#id_outcomes-0-achieve_by").fill((issued + timedelta(days=400)).isoformat())
    page.locator("#id_provision-0-description").fill("Social skills group")
    page.locator("#id_provision-0-delivered_by").fill("Trained teaching assistant")
    page.locator("#id_provision-0-hours_per_week").fill("1.5")
    page.get_by_role("button", name="Record the plan").click()
    plan = EhcPlan.objects.get(pupil=pupil)
    page.wait_for_url(f"{live_server.url}/agencies/ehc-plans/{plan.pk}/")
    assert_accessible(page)
    pupil.refresh_from_db()
    assert pupil.sen_status_now == SenStatus.EHC_PLAN

    meeting = today - timedelta(days=7)
    page.get_by_role("link", name="Arrange the annual review").click()
    page.get_by_label("Meeting date").fill(meeting.isoformat())
    page.get_by_role("button", name="Show the dates for this meeting").click()
    assert_accessible(page)
    assert page.get_by_role("cell", name="Advice and papers to everyone invited").is_visible()
    page.get_by_role("button", name="Arrange the meeting").click()
    review = AnnualReview.objects.get(plan=plan)
    page.wait_for_url(f"{live_server.url}/agencies/annual-reviews/{review.pk}/edit/")
    assert_accessible(page)
    page.get_by_label("The parent's views").fill("Pleased with the group.")
    page.get_by_label("The school's recommendation").select_option("maintain")
    page.get_by_role("button", name="Save and complete the review").click()
    page.wait_for_url(f"{live_server.url}/agencies/annual-reviews/{review.pk}/")
    assert_accessible(page)
    review.refresh_from_db()
    assert (review.closed_on, review.recommendation) == (today, "maintain")

    page.get_by_role("button", name="Sign out").click()
    login(page, "teacher")
    page.goto(f"{live_server.url}/pupils/{pupil.pk}/")
    page.get_by_role("link", name="See its outcomes and provision").click()
    assert_accessible(page)
    assert page.get_by_text(OUTCOME).is_visible()
    assert page.get_by_text(ASPIRATIONS).count() == 0
