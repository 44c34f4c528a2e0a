"""The SENCO's main job, by clicks from the home page: from a concern about a pupil not on the
register to SEN support, then to a SEN support plan finalised, downloaded for parents and
recorded as shared. axe on every page reached."""

import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from provision.models import PlanStatus, SupportPlan
from pupils.models import Concern, ConcernStage, NeedType, SenStatus
from pupils.selectors.records import current_sen_status
from senco.models import User

pytestmark = pytest.mark.e2e


def acknowledged_concern() -> Concern:
    """The demo's open concern the SENCO has acknowledged, about a pupil not on the register."""
    return (
        Concern.objects.filter(pupil__school__name="Oakfield Primary School", stage=ConcernStage.ACKNOWLEDGED)
        .select_related("pupil")
        .get()
    )


def decide_sen_support(page, assert_accessible, concern):
    page.get_by_role("link", name="Concerns", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name=concern.pupil.full_name).click()
    assert_accessible(page)
    page.get_by_role("combobox", name=re.compile(r"^Decision")).select_option("sen_support")
    page.get_by_role("textbox", name=re.compile(r"^Reason for the decision")).fill(
        "Less than expected progress despite six weeks of targeted support."
    )
    page.get_by_role("combobox", name=re.compile(r"^Primary need")).select_option(
        str(NeedType.objects.get(code="SLCN").pk)
    )
    page.get_by_label("Parents informed on").fill(timezone.localdate().isoformat())
    page.get_by_label("How parents were informed").fill("Meeting with father")
    page.get_by_role("button", name="Record the decision").click()
    assert_accessible(page)


def write_the_plan(page):
    page.get_by_label("Assess: what we know").fill(
        "Understands far more than he can say; few words for feelings."
    )
    page.get_by_label("Plan: strategies and provision that will help").fill(
        "Talk partner he knows; vocabulary pre-taught with pictures; time to answer."
    )
    page.get_by_label("Do: who does what").fill(
        "TA runs a language group twice a week; class teacher pre-teaches."
    )
    page.locator("#id_outcomes-0-area").select_option("communication")
    page.locator("#id_outcomes-0-description").fill("Use 30 new topic words in his own sentences.")
    page.locator("#id_outcomes-0-success_criteria").fill("Heard using them in three lessons.")
    page.get_by_role("button", name="Save the plan").click()


def test_the_senco_goes_from_a_concern_to_a_plan_shared_with_parents(
    page, live_server, login, assert_accessible, demo_trust
):
    concern = acknowledged_concern()
    pupil = concern.pupil
    before = current_sen_status(pupil, today=timezone.localdate())
    assert before is None or before.status == SenStatus.NO_SEN  # not on the register
    login(page, "senco")
    assert_accessible(page)
    decide_sen_support(page, assert_accessible, concern)
    assert current_sen_status(pupil, today=timezone.localdate()).status == SenStatus.SEN_SUPPORT

    page.get_by_role("link", name=pupil.full_name).first.click()
    assert_accessible(page)
    start = page.get_by_role("button", name="Start the SEN support plan")
    assert "btn-primary" in start.get_attribute("class")
    expect(start).to_be_in_viewport()
    start.click()
    assert_accessible(page)
    write_the_plan(page)
    assert_accessible(page)
    assert page.get_by_role("link", name="Download the draft (PDF)").is_visible()

    page.get_by_role("link", name="Finalise the plan").click()
    assert_accessible(page)
    assert page.get_by_role("heading", name="Finalise this plan?").is_visible()
    page.get_by_role("button", name="Finalise the plan").click()
    assert_accessible(page)
    assert page.get_by_text("The plan is finalised and kept as version 1.").is_visible()

    download_link = page.get_by_role("link", name="Download for parents (PDF)")
    assert "btn-primary" in download_link.get_attribute("class")
    with page.expect_download() as download:
        download_link.click()
    with open(download.value.path(), "rb") as saved:
        pdf = saved.read()
    assert (pdf[:5], download.value.suggested_filename.endswith(".pdf")) == (b"%PDF-", True)
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    senco = User.objects.get(username="senco")
    assert "Main area of need: Speech, language and communication needs." in text
    assert f"{senco.get_full_name()}, by email at {senco.email}" in text
    assert "DRAFT" not in text

    page.get_by_label("Plan shared with parents on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record the date it was shared").click()
    assert_accessible(page)
    plan = SupportPlan.objects.get(pupil=pupil)
    assert (plan.status, plan.shared_with_parents_on, plan.shared_version) == (
        PlanStatus.ACTIVE,
        timezone.localdate(),
        2,
    )
    # Shared: the review is now the plan's main next step.
    assert "btn-primary" in page.get_by_role("link", name="Review the plan").get_attribute("class")
