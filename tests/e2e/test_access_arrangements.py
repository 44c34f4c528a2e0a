"""Exam access arrangements in the browser: the demo exams officer opens the series list from
the menu and downloads it; the secondary's SENCO opens a candidate's arrangements, sees why one
is not ready and records a teacher's evidence. axe on every page."""

import pytest
from django.utils import timezone

from senco.models import AuditEvent, User
from transitions.models import NormalWayRecord
from transitions.rules import next_series
from transitions.selectors.access_arrangements import series_list

pytestmark = pytest.mark.e2e


def test_the_exams_officer_reads_the_series_list_and_downloads_it(page, login, assert_accessible, demo_trust):
    login(page, "exams")
    assert page.get_by_role("link", name="candidates' exam access arrangements").is_visible()
    assert_accessible(page)
    menu = page.get_by_role("navigation", name="Main")
    assert menu.get_by_role("link", name="SEN register").count() == 0
    menu.get_by_role("link", name="Exam access arrangements").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Access arrangements for the")
    assert page.get_by_role("row").filter(has_text="Lapsed").count() >= 1
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    assert download.value.suggested_filename.startswith("access-arrangements-")
    assert AuditEvent.objects.filter(action="exam_series.exported").count() == 1


def test_the_senco_sees_why_an_arrangement_is_not_ready_and_records_its_use(
    page, login, assert_accessible, demo_trust
):
    today = timezone.localdate()
    officer = User.objects.get(username="exams")
    unseen = next(
        row
        for row in series_list(officer, series=next_series(today), today=today)
        if any("normal way of working" in reason for reason in row.readiness.reasons)
    )
    login(page, "senco2")
    page.goto(f"/transitions/pupils/{unseen.pupil.pk}/access-arrangements/")
    assert page.get_by_text("No teacher has recorded it as the pupil's normal way of working").is_visible()
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text=unseen.arrangement.label)
    row.get_by_role("link", name="Record its use").click()
    assert_accessible(page)
    page.get_by_label("Seen on").fill(today.isoformat())
    page.get_by_label("Lesson, test or mock").fill("Year 11 English mock")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Its use is recorded.").is_visible()
    assert_accessible(page)
    assert NormalWayRecord.objects.filter(arrangement=unseen.arrangement).count() == 1
