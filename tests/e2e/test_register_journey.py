"""The SENCO keeps the register in the browser: filters it in place and downloads the CSV,
checks and applies an MIS import, then opens register health and follows a line's link to put
it right. axe on every page."""

import csv
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pupils.factories import make_upn
from pupils.models import Pupil, SenStatus
from pupils.rules import COLUMNS
from pupils.selectors.records import current_sen_status

pytestmark = pytest.mark.e2e

SCHOOL = "Oakfield Primary School"
# An LA code no demo school uses, so the UPN is new to the school.
NEW_UPN = make_upn(la_code="999", establishment="0001", year_of_issue=2026, serial=1)


def mis_file(tmp_path):
    """A one-pupil MIS export: a new Year 3 pupil on SEN support, in class 3A."""
    row = {
        "upn": NEW_UPN,
        "legal_first_name": "Zara",
        "legal_last_name": "Imported",
        "date_of_birth": "2018-10-01",
        "gender": "F",
        "nc_year": "3",
        "registration_group": "3A",
        "admission_date": "2023-09-06",
        "sen_status": "K",
        "primary_need": "SLCN",
    }
    path = tmp_path / "mis-export.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(COLUMNS), extrasaction="ignore")
        writer.writeheader()
        writer.writerow(row)
    return path


def filters_in_place(page, assert_accessible):
    """A filter changes the results without reloading the page, puts the filters in the address,
    and Back brings the unfiltered register again. htmx breaks none of the CSP's rules."""
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.get_by_role("navigation", name="Main").get_by_role("link", name="SEN register").click()
    assert_accessible(page)
    unfiltered = page.url
    page.evaluate("window.notReloaded = true")
    with page.expect_response(lambda r: "status=ehc_plan" in r.url and r.request.headers.get("hx-request")):
        page.get_by_label("SEN status").select_option(SenStatus.EHC_PLAN.value)
    expect(page.locator(".htmx-request")).to_have_count(0)  # the results are swapped in
    statuses = page.locator("#register-results tbody td:nth-child(4)").all_inner_texts()
    assert (set(statuses), page.evaluate("window.notReloaded === true")) == ({"EHC plan"}, True)
    assert re.search(r"[?&]status=ehc_plan(&|$)", page.url)
    assert_accessible(page)
    page.go_back()
    expect(page).to_have_url(unfiltered)
    expect(page.get_by_label("SEN status")).to_have_value("")
    statuses = page.locator("#register-results tbody td:nth-child(4)").all_inner_texts()
    assert (len(set(statuses)) > 1, refused) == (True, [])


def filters_and_downloads(page, assert_accessible):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="SEN register").click()
    page.get_by_label("SEN status").select_option(SenStatus.EHC_PLAN.value)
    page.get_by_role("button", name="Show pupils").click()
    expect(page).to_have_url(re.compile(r"[?&]status=ehc_plan(&|$)"))
    expect(page.locator(".htmx-request")).to_have_count(0)
    first = page.get_by_role("table").get_by_role("row").nth(1)
    shown = [first.get_by_role("rowheader").inner_text(), *first.get_by_role("cell").all_inner_texts()]
    assert shown[3] == "EHC plan"
    export = page.get_by_role("link", name=re.compile(r"^Download these \d+ pupils as CSV$"))
    count = int(re.search(r"\d+", export.inner_text()).group())
    with page.expect_download() as download:
        export.click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    # The page's columns, in the page's order; the file adds the UPN, date of birth and census code.
    columns = ["Name", "Year", "Registration group", "SEN status", "Primary need", "Secondary need"]
    on_page = [header.index(column) for column in columns]
    assert (
        len(rows),
        {(row[header.index("SEN status")], row[header.index("Census SEN provision")]) for row in rows},
    ) == (
        count,
        {("EHC plan", "E")},
    )
    # The page's first row is in the file as the page shows it (the flags column aside:
    # abbreviations). Two pupils can share a name, so the row is looked for whole.
    assert shown[:6] in [[row[i] for i in on_page] for row in rows]


def checks_and_applies_an_import(page, assert_accessible, tmp_path):
    page.get_by_role("link", name="Import from MIS").click()
    assert_accessible(page)
    page.get_by_label("CSV file exported from the MIS").set_input_files(mis_file(tmp_path))
    page.get_by_role("button", name="Check the file").click()
    assert_accessible(page)
    assert page.get_by_role("definition").first.inner_text() == "1"  # New pupils
    assert not Pupil.objects.filter(upn=NEW_UPN).exists()  # checking writes nothing
    page.get_by_role("button", name="Apply the import").click()
    # It runs in the background (in-process here, once the page has gone): its page follows it.
    expect(page.get_by_text("The file is imported: 1 new")).to_be_visible(timeout=15_000)
    assert_accessible(page)
    pupil = Pupil.objects.get(school__name=SCHOOL, upn=NEW_UPN)
    status = current_sen_status(pupil, today=timezone.localdate())
    assert (pupil.full_name, status.status, status.primary_need.code) == (
        "Zara Imported",
        SenStatus.SEN_SUPPORT,
        "SLCN",
    )


def corrects_an_ehc_plan_date_from_register_health(page, assert_accessible):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="SEN register").click()
    page.get_by_role("main").get_by_role("link", name="register health").click()
    assert_accessible(page)
    section = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile(r"^EHC plan with no plan date"))
    )
    link = section.get_by_role("link", name=re.compile(r"^Correct .*'s current status entry$")).first
    name = re.match(r"^Correct (.*)'s current status entry$", link.inner_text()).group(1)
    link.click()
    assert_accessible(page)
    pupil = Pupil.objects.get(
        school__name=SCHOOL, pk=int(re.search(r"/pupils/(\d+)/status/", page.url).group(1))
    )
    began = current_sen_status(pupil, today=timezone.localdate()).effective_from
    assert page.get_by_label("Takes effect from").input_value() == began.isoformat()  # the date is kept
    page.get_by_label("EHC plan issued on").fill(began.isoformat())
    page.get_by_label("Reason for the change").fill("Correction: the date of the final plan was missing.")
    page.get_by_role("button", name="Save the correction").click()
    assert_accessible(page)
    # Back on register health, at the section the correction came from.
    assert page.get_by_text(f"The correction to {name}'s SEN status is saved.").is_visible()
    assert page.url.endswith("/register-health/#ehc_plan_without_date")
    current = current_sen_status(pupil, today=timezone.localdate())
    assert (pupil.full_name, current.effective_from, current.ehc_plan_date) == (name, began, began)


def test_the_senco_filters_exports_imports_and_puts_the_register_right(
    page, live_server, login, assert_accessible, demo_trust, tmp_path
):
    login(page, "senco")
    assert_accessible(page)
    filters_in_place(page, assert_accessible)
    filters_and_downloads(page, assert_accessible)
    checks_and_applies_an_import(page, assert_accessible, tmp_path)
    corrects_an_ehc_plan_date_from_register_health(page, assert_accessible)
