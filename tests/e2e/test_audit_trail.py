"""Who has looked at this child's record? A class teacher opens a pupil's page; the SENCO finds
that in the audit trail from the pupil's page and by searching for the pupil by name, narrows it
to the teacher, and downloads it as CSV. axe on every page."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from senco.models import AuditEvent, User

pytestmark = pytest.mark.e2e


def teacher_opens_a_pupil(page, login, assert_accessible) -> tuple[str, str]:
    """The pupil's name and UPN (two pupils may share a name; never a UPN)."""
    login(page, "teacher")
    pupils = page.get_by_role("table", name="Pupils on the SEN register or being monitored")
    link = pupils.get_by_role("link").first
    name = link.inner_text()
    link.click()
    assert_accessible(page)
    upn = page.locator("dt:text-is('UPN') + dd").inner_text().split()[0]
    page.get_by_role("button", name="Sign out").click()
    return name, upn


def entries_shown(page) -> list[list[str]]:
    return [row.get_by_role("cell").all_inner_texts() for row in page.locator("table tbody tr").all()]


def test_the_senco_finds_who_has_looked_at_a_pupils_record_and_downloads_it(
    page, login, assert_accessible, demo_trust
):
    name, upn = teacher_opens_a_pupil(page, login, assert_accessible)
    teacher = str(User.objects.get(username="teacher"))

    login(page, "senco")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="SEN register").click()
    page.get_by_label("Name or UPN").fill(upn)
    page.get_by_role("button", name="Show pupils").click()
    page.get_by_role("link", name=name, exact=True).click()
    page.get_by_role("link", name="Who has looked at this record?").click()
    assert_accessible(page)
    pupil = f"{name} (UPN {upn})"
    expect(page.get_by_role("status").filter(has_text="Entries about")).to_contain_text(pupil)
    assert [teacher, "pupil.viewed"] in [row[1:3] for row in entries_shown(page)]

    # The same answer by searching the trail for the pupil's name, then narrowing to the teacher.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit trail").click()
    page.get_by_label("Pupil's name or UPN").fill(name)
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    # Two pupils may share a name: the UPN tells them apart.
    page.get_by_role("region", name="Pupils whose name or UPN matches").get_by_role(
        "link", name=pupil, exact=True
    ).click()
    page.get_by_label("Who").select_option(label=f"{teacher} (teacher)")
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    shown = entries_shown(page)
    assert (len(shown) > 0, {(row[1], row[4]) for row in shown}) == (True, {(teacher, name)})

    export = page.get_by_role("link", name=re.compile(r"^Download (this entry|these \d+ entries) \(CSV\)$"))
    with page.expect_download() as download:
        export.click()
    header, *rows = csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig")))
    assert [(row[header.index("Who")], row[header.index("Pupil")]) for row in rows] == [
        (teacher, name)
    ] * len(shown)
    exported = AuditEvent.objects.filter(action="audit.exported").get()
    assert (
        exported.actor.username,
        re.match(
            rf"Audit trail CSV, {len(shown)} entr(y|ies) \(pupil record \d+; who: teacher\)$",
            exported.summary,
        )
        is not None,
    ) == (
        "senco",
        True,
    )
