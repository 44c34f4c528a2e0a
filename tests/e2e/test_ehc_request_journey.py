"""An EHC needs assessment request on the LA's clock: the SENCO records a request for a pupil on
SEN support from the pupil page, sees its statutory dates (estimated until the LA confirms
receipt), records the LA's decision (a date before receipt is refused beside the field, with
what was typed kept), finds the next dates on the statutory calendar, and the head sees the
counts on the home page. axe on every page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.models import AssessmentRequest
from pupils.models import Pupil, SenStatus
from pupils.selectors.records import with_sen_status

pytestmark = pytest.mark.e2e


def pupil_on_sen_support_without_a_request() -> Pupil:
    pupils = with_sen_status(
        Pupil.objects.filter(school__name="Oakfield Primary School", left_on=None, ehc_requests=None),
        today=timezone.localdate(),
    )
    return pupils.filter(sen_status=SenStatus.SEN_SUPPORT).order_by("pk").first()


def test_the_senco_follows_an_ehc_request_on_the_statutory_clock_and_the_head_sees_the_counts(
    page, live_server, login, assert_accessible, demo_trust
):
    pupil = pupil_on_sen_support_without_a_request()
    today = timezone.localdate()
    sent_on, received_on = today - timedelta(days=31), today - timedelta(days=30)
    login(page, "senco")
    page.goto(f"{live_server.url}/pupils/{pupil.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Record an EHC needs assessment request").click()
    assert_accessible(page)
    page.get_by_label("The school", exact=True).check()
    page.get_by_label("Date sent to the LA").fill(sent_on.isoformat())
    page.get_by_label("Date the LA received it").fill(received_on.isoformat())
    page.get_by_label("Evidence sent").fill(
        "SEN support plans, cycles 1 to 3\nEducational psychologist's report"
    )
    page.get_by_role("button", name="Record the request").click()
    assert_accessible(page)
    assert page.get_by_text("Estimated", exact=True).is_visible()
    clock = page.get_by_role("table")
    decision_row = clock.get_by_role("row").filter(has_text="Decision whether to assess")
    assert "days left" in decision_row.inner_text()

    decision = page.locator("form", has=page.get_by_role("button", name="Record the decision"))
    decision.get_by_label("The LA will assess").check()
    decision.get_by_label("Date of the decision").fill((received_on - timedelta(days=3)).isoformat())
    decision.get_by_role("button", name="Record the decision").click()
    assert_accessible(page)
    field = page.locator("#div_id_decision_decided_on")
    assert "The decision cannot come before the day the LA received the request" in field.inner_text()
    assert (
        page.locator("#id_decision_decided_on").input_value() == (received_on - timedelta(days=3)).isoformat()
    )

    decided_on = today - timedelta(days=2)
    page.locator("#id_decision_decided_on").fill(decided_on.isoformat())
    page.get_by_role("button", name="Record the decision").click()
    assert_accessible(page)
    assert page.get_by_text("The LA's decision: recorded.").is_visible()
    assert "On time" in page.get_by_role("row").filter(has_text="Decision whether to assess").inner_text()
    assert AssessmentRequest.objects.get(pupil=pupil).decided_on == decided_on

    page.get_by_role("link", name="Statutory calendar").click()
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text=pupil.full_name).filter(has_text="final EHC plan")
    assert re.search(r"\d+ days left", row.inner_text())

    page.get_by_role("button", name="Sign out").click()
    login(page, "head")
    assert_accessible(page)
    assert page.get_by_role("link", name=re.compile(r"^Statutory dates overdue: \d+")).is_visible()
