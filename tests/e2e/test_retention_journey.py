"""Disposing of a leaver's record takes two people. The SENCO goes from the register to the
leavers list and on to the records due for disposal, places a legal hold on the demo's record
long past its period and lifts it again, then proposes its disposal; the head approves it and
reads the disposal log, which names nobody. axe on every page."""

from datetime import date

import pytest
from playwright.sync_api import expect

from pupils.models import DisposalRecord, DisposalStatus, LegalHold, Pupil

pytestmark = pytest.mark.e2e

SCHOOL = "Oakfield Primary School"


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def to_the_disposal_list(page, assert_accessible):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="SEN register").click()
    assert_accessible(page)
    page.get_by_role("link", name="leavers list").click()
    assert_accessible(page)
    page.get_by_role("link", name="Records due for disposal").click()
    assert_accessible(page)


def senco_holds_then_proposes(page, assert_accessible, name):
    page.get_by_role("link", name=f"Place a legal hold on {name}'s record").click()
    assert_accessible(page)
    page.get_by_label("A subject access request in progress").check()
    page.get_by_label("Details").fill("Request from the former pupil, received this week")
    page.get_by_role("button", name="Place the legal hold").click()
    assert_accessible(page)
    expect(page.get_by_text(f"{name}'s record is on legal hold")).to_be_visible()
    expect(page.get_by_role("button", name=f"Propose disposal of {name}'s record")).to_have_count(0)
    page.get_by_role("button", name=f"Lift the hold on {name}'s record").click()
    assert_accessible(page)
    page.get_by_role("button", name=f"Propose disposal of {name}'s record").click()
    assert_accessible(page)
    expect(
        page.get_by_text(f"The disposal of {name}'s record awaits the headteacher's approval.")
    ).to_be_visible()


def test_the_senco_proposes_and_the_head_approves_a_disposal_that_leaves_a_nameless_log(
    page, login, assert_accessible, demo_trust
):
    pupil = Pupil.objects.get(school__name=SCHOOL, date_of_birth=date(1993, 3, 2))
    name = pupil.full_name
    login(page, "senco")
    to_the_disposal_list(page, assert_accessible)
    page.get_by_role("link", name="Change the retention period for SEN records").click()
    assert_accessible(page)
    expect(page.get_by_label("Keep SEN records until the pupil's date of birth plus (years)")).to_have_value(
        "31"
    )
    page.get_by_role("link", name="Cancel").click()
    senco_holds_then_proposes(page, assert_accessible, name)
    sign_out(page)

    login(page, "head")
    to_the_disposal_list(page, assert_accessible)
    page.get_by_role("link", name=f"Approve or reject the disposal of {name}'s record").click()
    assert_accessible(page)
    page.get_by_label("Approve: dispose of the record now").check()
    page.get_by_role("button", name="Record the decision").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Disposal log")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Pupil record of a pupil born in 1993 who left in 2004")
    expect(row).to_contain_text("Disposed of")
    assert name not in page.locator("main").inner_text()
    record = DisposalRecord.objects.get()
    assert (record.status, Pupil.objects.filter(pk=pupil.pk).exists(), LegalHold.objects.count()) == (
        DisposalStatus.DISPOSED,
        False,
        0,
    )
