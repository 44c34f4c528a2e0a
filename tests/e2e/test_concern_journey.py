"""A concern from the classroom to the SEN register: the class teacher of 3A logs a concern about
a pupil not on the register, the SENCO acknowledges it and decides "Add to SEN support", the
pupil is on SEN support, and the teacher reads the outcome in My concerns. axe on every page."""

import re

import pytest
from django.utils import timezone

from pupils.models import Concern, ConcernStage, NeedType, Pupil, SenStatus
from pupils.selectors.records import current_sen_status

pytestmark = pytest.mark.e2e

REASON = "Less than expected progress in reading despite three weeks of daily catch-up."


def pupil_in_3a_not_on_the_register() -> Pupil:
    return (
        Pupil.objects.filter(
            school__name="Oakfield Primary School",
            teaching_groups__name="3A",
            sen_history=None,
            concerns=None,
            left_on=None,
        )
        .order_by("pk")
        .first()
    )


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def teacher_logs_a_concern(page, live_server, assert_accessible, pupil):
    page.goto(f"{live_server.url}/pupils/{pupil.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Log a concern").click()
    assert_accessible(page)
    page.get_by_label("Area of need").select_option("cognition")
    page.get_by_label("What you have noticed").fill("Guesses words from the first letter when reading aloud.")
    page.get_by_label("Evidence").fill("Phonics check practice: 18 of 40.")
    page.get_by_label("What you have already tried").fill(
        "Daily five-minute phonics catch-up for three weeks."
    )
    page.get_by_role("button", name="Send to the SENCO team").click()
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text=pupil.full_name)
    assert "Raised" in row.inner_text()


def senco_triages_it(page, live_server, assert_accessible, pupil):
    page.get_by_role("link", name="Concerns", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name=pupil.full_name).click()
    assert_accessible(page)
    page.get_by_role("button", name="Acknowledge").click()
    assert_accessible(page)
    assert page.get_by_text("The concern is acknowledged.").is_visible()
    page.get_by_role("combobox", name=re.compile(r"^Decision")).select_option("sen_support")
    page.get_by_role("textbox", name=re.compile(r"^Reason for the decision")).fill(REASON)
    page.get_by_role("combobox", name=re.compile(r"^Primary need")).select_option(
        str(NeedType.objects.get(code="SPLD").pk)
    )
    page.get_by_label("Parents informed on").fill(timezone.localdate().isoformat())
    page.get_by_label("How parents were informed").fill("Meeting with mother")
    page.get_by_role("button", name="Record the decision").click()
    assert_accessible(page)
    assert page.get_by_text("Add to SEN support").first.is_visible()
    page.get_by_role("link", name=pupil.full_name).first.click()
    assert_accessible(page)


def test_a_teachers_concern_leads_to_sen_support_and_the_teacher_sees_the_outcome(
    page, live_server, login, assert_accessible, demo_trust
):
    pupil = pupil_in_3a_not_on_the_register()
    login(page, "teacher")
    assert_accessible(page)
    teacher_logs_a_concern(page, live_server, assert_accessible, pupil)
    sign_out(page)

    login(page, "senco")
    senco_triages_it(page, live_server, assert_accessible, pupil)
    status = current_sen_status(pupil, today=timezone.localdate())
    assert (status.status, status.primary_need.code) == (SenStatus.SEN_SUPPORT, "SPLD")
    concern = Concern.objects.get(pupil=pupil)
    assert (concern.stage, concern.teacher_told_at is not None) == (ConcernStage.DECIDED, True)
    sign_out(page)

    login(page, "teacher")
    page.get_by_role("link", name="My concerns").click()
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text=pupil.full_name)
    assert "Add to SEN support" in row.inner_text()
    assert REASON in row.inner_text()


def test_the_decision_form_shows_only_the_fields_the_chosen_decision_uses(
    page, login, assert_accessible, demo_trust
):
    login(page, "senco")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Concerns", exact=True).click()
    assert_accessible(page)
    page.get_by_role("table").get_by_role("link").first.click()
    assert_accessible(page)
    decision = page.get_by_role("combobox", name=re.compile(r"^Decision"))
    need = page.get_by_role("combobox", name=re.compile(r"^Primary need"))
    starts = page.get_by_label("Takes effect from")
    look_again = page.get_by_label("Look again on")
    shown = {}
    for choice in ("no_further_action", "monitor", "sen_support"):
        decision.select_option(choice)
        shown[choice] = (need.is_visible(), starts.is_visible(), look_again.is_visible())
        assert_accessible(page)
    assert shown == {
        "no_further_action": (False, False, False),
        "monitor": (False, True, True),
        "sen_support": (True, True, False),
    }
