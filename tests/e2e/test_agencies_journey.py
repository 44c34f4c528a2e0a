"""Issue 14's journey, for one pupil, in the browser: the class teacher of 3A logs a concern and
the SENCO puts the pupil on SEN support; the SENCO refers them to the educational psychology
service with the mother's consent and moves the referral on until the report is received,
uploads the report (a real PDF) with its recommendation, takes the advice up in a new SEN support
plan, records an EHC needs assessment request and the LA's steps to the final plan, which makes
the pupil's EHC plan and sets their SEN status to E, then arranges, records and completes the
plan's first annual review. axe checks every page.

A concern is dated the day it is logged, so the whole journey happens on one day: every date
typed is today's (the services refuse dates still to come, and steps out of order)."""

import re

import pytest
from django.utils import timezone

from agencies.models import (
    Advice,
    AnnualReview,
    AssessmentRequest,
    EhcPlan,
    Referral,
    ReferralState,
    Report,
)
from pupils.models import Pupil, SenStatus
from tests.e2e.test_concern_journey import (
    pupil_in_3a_not_on_the_register,
    senco_triages_it,
    teacher_logs_a_concern,
)

pytestmark = pytest.mark.e2e

SERVICE = "Educational psychology service"
REASON = "Reading has not moved after two cycles of catch-up; we need to understand why."
RECOMMENDATION = "Pre-teach key vocabulary before each literacy lesson."
OUTCOME = "Read 60 words a minute aloud from a Year 3 book."


def small_pdf(text: str) -> bytes:
    """A one-page PDF with `text` on it, built by hand with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


def sen_status(page) -> str:
    """What the pupil page says of the pupil's SEN status."""
    return page.locator("dt:text-is('SEN status') + dd").inner_text()


def move_referral(page, assert_accessible, to: str, today: str):
    move = page.locator("form", has=page.get_by_role("button", name="Save the change"))
    move.get_by_label("Move the referral to").select_option(label=to)
    move.get_by_label("Date it happened").fill(today)
    move.get_by_role("button", name="Save the change").click()
    assert_accessible(page)
    assert page.locator("p.lead").inner_text() == to


def refer_with_consent(page, assert_accessible, pupil, today: str) -> Referral:
    page.get_by_role("link", name="Refer to an outside service").click()
    assert_accessible(page)
    page.get_by_label("Service").select_option(label=SERVICE)
    page.get_by_label("Reason").fill(REASON)
    page.get_by_role("button", name="Start the referral").click()
    assert_accessible(page)
    assert page.get_by_role("heading", name=f"Referral of {pupil.full_name} to {SERVICE}").is_visible()
    assert page.locator("p.lead").inner_text() == "Draft"
    assert page.get_by_text("No decision recorded yet.").is_visible()

    page.get_by_role("link", name="Record a consent decision").click()
    assert_accessible(page)
    page.get_by_label("Consent given").check()
    page.get_by_label("Name of the person deciding").fill("Jo Parent")
    page.get_by_label("Relationship to the pupil").select_option("mother")
    page.get_by_label("They have parental responsibility").check()
    page.get_by_label("Sharing the school's information about the pupil with the service").check()
    page.get_by_label("Date of the decision").fill(today)
    page.get_by_label("How it was given").select_option("signed_form")
    page.get_by_role("button", name="Record the decision").click()
    assert_accessible(page)
    assert page.get_by_text("The decision is recorded.").is_visible()
    assert page.locator("p.lead").inner_text() == "Ready to submit"
    assert page.get_by_role(
        "heading", name=re.compile(r"^Consent given by Jo Parent \(Mother\)")
    ).is_visible()

    for state in ("Submitted", "Accepted", "Waiting to be seen", "Being assessed", "Report received"):
        move_referral(page, assert_accessible, state, today)
    history = page.get_by_role("list").filter(has_text="Report received, recorded by").inner_text()
    assert "Being assessed to Report received" in history
    referral = Referral.objects.get(pupil=pupil)
    assert referral.state == ReferralState.REPORT_RECEIVED
    assert referral.submitted_on == referral.report_received_on == timezone.localdate()
    return referral


def upload_the_report(page, assert_accessible, pupil, today: str, pdf_path):
    page.get_by_role("link", name="Upload the report").click()
    assert_accessible(page)
    assert page.get_by_label("Service").locator("option:checked").inner_text() == SERVICE
    page.get_by_label("Title").fill("Educational psychology assessment")
    page.get_by_label("Dated").fill(today)
    page.get_by_label("Received by the school on").fill(today)
    page.get_by_label("The report's file").set_input_files(str(pdf_path))
    page.get_by_label("Recommendations").fill(RECOMMENDATION)
    page.get_by_role("button", name="Upload").click()
    assert_accessible(page)
    assert page.get_by_role("heading", name="Educational psychology assessment").is_visible()
    assert page.get_by_role("link", name="Download ep-report.pdf").is_visible()
    assert "PDF" in page.locator("dd").filter(has_text="ep-report.pdf").inner_text()
    report = Report.objects.get(pupil=pupil)
    assert (report.file_type, report.file.read()) == ("pdf", pdf_path.read_bytes())
    assert page.get_by_role("listitem").filter(has_text=RECOMMENDATION).is_visible()


def take_the_advice_up_in_a_plan(page, live_server, assert_accessible, pupil, today: str):
    page.get_by_role("link", name="Take up in a plan").click()
    assert_accessible(page)
    # No SEN support plan yet: the page says so and leads to starting one.
    page.get_by_role("link", name="Start a SEN support plan").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start a plan").click()
    assert_accessible(page)
    page.get_by_label("Assess: what we know").fill(
        "Reading fluency well below peers; EP assessment received."
    )
    page.get_by_label("Plan: strategies and provision that will help").fill(RECOMMENDATION)
    page.get_by_label("Do: who does what").fill("Class teacher pre-teaches the week's vocabulary on Mondays.")
    page.locator("#id_outcomes-0-area").select_option("cognition")
    page.locator("#id_outcomes-0-description").fill(OUTCOME)
    page.locator("#id_outcomes-0-success_criteria").fill("Two reading probes in a row at 60 or more.")
    page.get_by_role("button", name="Save the plan").click()
    assert_accessible(page)

    page.goto(f"{live_server.url}/pupils/{pupil.pk}/")
    page.get_by_role("link", name=re.compile(r"^Outside professionals, reports and advice")).click()
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text=RECOMMENDATION)
    assert "Not yet: flagged from" in row.inner_text()
    row.get_by_role("link", name=re.compile(r"^Take up in a plan")).click()
    assert_accessible(page)
    page.get_by_label("Taken up in the plan").select_option(index=0)
    page.get_by_label("Taken up on").fill(today)
    page.get_by_role("button", name="Record it").click()
    assert_accessible(page)
    assert page.get_by_text("The advice is recorded as taken up in the plan.").is_visible()
    assert "In cycle 1 on" in page.get_by_role("row").filter(has_text=RECOMMENDATION).inner_text()
    advice = Advice.objects.get(pupil=pupil)
    assert (advice.actioned_in.cycle, advice.actioned_on) == (1, timezone.localdate())


def record_the_ehc_request_to_the_final_plan(page, assert_accessible, pupil, today: str) -> EhcPlan:
    page.get_by_role("link", name="Record an EHC needs assessment request").click()
    assert_accessible(page)
    page.get_by_label("The school", exact=True).check()
    page.get_by_label("Date sent to the LA").fill(today)
    page.get_by_label("Date the LA received it").fill(today)
    page.get_by_label("Evidence sent").fill("SEN support plan, cycle 1\nEducational psychologist's report")
    page.get_by_role("button", name="Record the request").click()
    assert_accessible(page)
    assert page.get_by_text("Estimated", exact=True).is_visible()
    assert (
        "42 days left" in page.get_by_role("row").filter(has_text="Decision whether to assess").inner_text()
    )

    steps = [
        ("decision", "Record the decision", "The LA's decision: recorded."),
        ("advice", "Record", "Advice requested: recorded."),
        ("draft", "Record the draft", "Draft EHC plan: recorded."),
        ("final", "Record the final plan", "Final EHC plan: recorded."),
    ]
    for name, button, recorded in steps:
        form = page.locator(f"form[action$='/steps/{name}/']")
        if name == "decision":
            form.get_by_label("The LA will assess").check()
        form.locator("input[type=date]").fill(today)
        form.get_by_role("button", name=button, exact=True).click()
        assert_accessible(page)
        assert page.get_by_text(recorded).is_visible()
    assert "On time" in page.get_by_role("row").filter(has_text="Decision whether to assess").inner_text()
    ehc_request = AssessmentRequest.objects.get(pupil=pupil)
    assert ehc_request.final_plan_on == timezone.localdate()
    return EhcPlan.objects.get(pupil=pupil)


def first_annual_review(page, live_server, assert_accessible, plan: EhcPlan, today: str):
    page.get_by_role("link", name="Arrange the annual review").click()
    assert_accessible(page)
    page.get_by_label("Meeting date").fill(today)
    page.get_by_role("button", name="Show the dates for this meeting").click()
    assert_accessible(page)
    assert page.get_by_role("cell", name="Advice and papers to everyone invited").is_visible()
    page.get_by_role("button", name="Arrange the meeting").click()
    review = AnnualReview.objects.get(plan=plan)
    page.wait_for_url(f"{live_server.url}/agencies/annual-reviews/{review.pk}/edit/")
    assert_accessible(page)
    page.locator("#id_invitees-0-kind").select_option("parent")
    page.locator("#id_invitees-0-name").fill("Jo Parent")
    page.locator("#id_invitees-0-invited_on").fill(today)
    page.get_by_label("The parent's views").fill("Pleased with the vocabulary work.")
    page.get_by_label("The pupil's views").fill("I know the words before the story now.")
    page.get_by_label("The school's recommendation").select_option("maintain")
    page.get_by_role("button", name="Save", exact=True).click()
    assert_accessible(page)
    assert page.get_by_text("Saved.").is_visible()
    assert page.get_by_text("Pleased with the vocabulary work.").is_visible()
    page.get_by_role("link", name="Record the review").click()
    assert_accessible(page)
    assert page.get_by_label("The parent's views").input_value() == "Pleased with the vocabulary work."
    page.get_by_role("button", name="Save and complete the review").click()
    page.wait_for_url(f"{live_server.url}/agencies/annual-reviews/{review.pk}/")
    assert_accessible(page)
    assert page.get_by_text("The review is completed.").is_visible()
    review.refresh_from_db()
    assert (review.closed_on, review.recommendation) == (timezone.localdate(), "maintain")


def test_the_senco_takes_a_pupil_from_a_concern_to_an_ehc_plan_and_its_first_annual_review(
    page, live_server, login, assert_accessible, demo_trust, tmp_path
):
    pupil: Pupil = pupil_in_3a_not_on_the_register()
    today = timezone.localdate().isoformat()
    long_date = f"{timezone.localdate():%-d %B %Y}"
    pdf_path = tmp_path / "ep-report.pdf"
    pdf_path.write_bytes(small_pdf("Educational psychology assessment"))

    login(page, "teacher")
    teacher_logs_a_concern(page, live_server, assert_accessible, pupil)
    page.get_by_role("button", name="Sign out").click()
    login(page, "senco")
    senco_triages_it(page, live_server, assert_accessible, pupil)
    assert sen_status(page) == f"SEN support since {long_date}"

    refer_with_consent(page, assert_accessible, pupil, today)
    upload_the_report(page, assert_accessible, pupil, today, pdf_path)
    take_the_advice_up_in_a_plan(page, live_server, assert_accessible, pupil, today)

    page.goto(f"{live_server.url}/pupils/{pupil.pk}/")
    assert_accessible(page)
    plan = record_the_ehc_request_to_the_final_plan(page, assert_accessible, pupil, today)
    page.get_by_role("link", name="Open the EHC plan").click()
    page.wait_for_url(f"{live_server.url}/agencies/ehc-plans/{plan.pk}/")
    assert_accessible(page)
    pupil.refresh_from_db()
    assert pupil.sen_status_now == SenStatus.EHC_PLAN
    page.get_by_role("link", name=pupil.full_name).first.click()
    assert_accessible(page)
    assert sen_status(page) == f"EHC plan since {long_date}"
    panel = page.get_by_role("region", name="EHC plan", exact=True)
    assert f"Issued by {plan.local_authority} on {long_date}" in panel.inner_text()
    for event in (
        "EHC plan issued",
        "Final EHC plan issued",
        "Referral to Educational psychology service: report received",
    ):
        assert page.get_by_text(event, exact=True).first.is_visible()

    page.get_by_role("link", name=re.compile(r"^Open the EHC plan")).click()
    first_annual_review(page, live_server, assert_accessible, plan, today)
