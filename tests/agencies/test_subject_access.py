"""The agencies app's records in a subject access export: referrals with their history and
consents, involvement, reports (what they are and their advice, the file named, not embedded)
and EHC needs assessment requests with their steps and exemptions; withheld like any record."""

from datetime import date

import pytest

from agencies.factories import (
    AdviceFactory,
    AgencyFactory,
    AssessmentRequestFactory,
    ClockExemptionFactory,
    ConsentFactory,
    EhcPlanFactory,
    InvolvementFactory,
    ReferralFactory,
    ReportFactory,
)
from agencies.selectors.subject_access import agency_parts
from agencies.services.involvement import action_advice
from pupils.factories import SubjectAccessRequestFactory
from pupils.selectors.subject_access import build_export, export_parts
from pupils.services.subject_access import withhold_record

TODAY = date(2026, 11, 24)


@pytest.fixture
def agency_record(taught_pupil, senco):
    """A pupil with a referral (consented, moved on), an involvement from it, a report from it
    with advice taken up in the EHC plan, a health report and a request with an exemption."""
    salt = AgencyFactory(school=taught_pupil.school, name="Speech and Language Therapy", kind="salt")
    referral = ReferralFactory(pupil=taught_pupil, agency=salt, reason="Unclear speech.")
    referral.moves.create(from_state="draft", to_state="awaiting_consent", on=date(2026, 9, 15), by=senco)
    consent = ConsentFactory(referral=referral, giver_name="Grace Taught")
    involvement = InvolvementFactory(
        pupil=taught_pupil, agency=salt, referral=referral, notes="Assessed in class."
    )
    report = ReportFactory(
        pupil=taught_pupil,
        agency=salt,
        referral=referral,
        title="SALT report",
        original_name="salt-report.pdf",
    )
    advice = AdviceFactory(report=report, text="Use a visual timetable.")
    plan = EhcPlanFactory(pupil=taught_pupil)
    action_advice(advice=advice, plan=plan, actioned_on=date(2026, 10, 20), by=senco, today=TODAY)
    camhs = AgencyFactory(school=taught_pupil.school, name="CAMHS", kind="camhs")
    health = ReportFactory(pupil=taught_pupil, agency=camhs, title="CAMHS letter", is_health_information=True)
    AdviceFactory(report=health, text="Keep to the agreed care plan.")
    request = AssessmentRequestFactory(pupil=taught_pupil, decision="assess", decided_on=date(2025, 2, 10))
    exemption = ClockExemptionFactory(request=request)
    return {
        "referral": referral,
        "consent": consent,
        "involvement": involvement,
        "report": report,
        "health": health,
        "request": request,
        "exemption": exemption,
    }


def fields_of(record) -> dict:
    return dict(record.fields)


def test_the_export_holds_referrals_consents_involvement_reports_and_requests(senco, agency_record):
    parts = {
        part.title: [(record.kind, record.record_id) for record in part.records]
        for part in export_parts(senco, pupil=agency_record["referral"].pupil, today=TODAY)
        if part.order in (61, 62, 64)
    }
    a = agency_record
    assert parts == {
        "Referrals to outside services and consents": [
            ("referral", a["referral"].pk),
            ("referral_consent", a["consent"].pk),
        ],
        "Outside professionals' involvement and reports": [
            ("involvement", a["involvement"].pk),
            ("agency_report", a["report"].pk),
            ("agency_report", a["health"].pk),
        ],
        "EHC needs assessment requests": [("ehc_request", a["request"].pk)],
    }


def test_each_record_says_what_the_school_holds(senco, agency_record):
    records = {
        (record.kind, record.record_id): record
        for part in agency_parts(senco, pupil=agency_record["referral"].pupil, today=TODAY)
        for record in part.records
    }
    a = agency_record
    referral = fields_of(records["referral", a["referral"].pk])
    consent = fields_of(records["referral_consent", a["consent"].pk])
    involvement = fields_of(records["involvement", a["involvement"].pk])
    report = fields_of(records["agency_report", a["report"].pk])
    request = fields_of(records["ehc_request", a["request"].pk])
    assert (referral["Reason for the referral"], referral["History"]) == (
        "Unclear speech.",
        "14 September 2026: Draft\n15 September 2026: Awaiting consent",
    )
    assert (consent["Decided by"], consent["Parental responsibility"]) == ("Grace Taught", "Yes")
    assert (involvement["Notes"], involvement["From the referral"]) == (
        "Assessed in class.",
        "Speech and Language Therapy",
    )
    assert report["File"].startswith("salt-report.pdf, a PDF, uploaded ")
    assert report["Advice 1"] == "Use a visual timetable.\nTaken up in the EHC plan on 20 October 2026"
    assert (request["Decided on"], request["Received by the local authority on"]) == (
        "10 February 2025",
        "6 January 2025 (estimated)",
    )
    assert request["Exemption 1"].startswith("The child or young person was away from the area")
    assert records["agency_report", a["health"].pk].title == "CAMHS letter (health information)"


def test_the_file_itself_is_never_in_the_export(senco, agency_record):
    sar = SubjectAccessRequestFactory(pupil=agency_record["report"].pupil, logged_by=senco)
    text = str(build_export(senco, sar=sar, today=TODAY))
    assert ("%PDF" in text, "salt-report.pdf" in text) == (False, True)


def test_a_health_report_withheld_leaves_its_content_and_advice_out(senco, agency_record):
    health = agency_record["health"]
    sar = SubjectAccessRequestFactory(pupil=health.pupil, logged_by=senco)
    withhold_record(
        sar=sar, kind="agency_report", record_id=health.pk, reason="serious_harm", by=senco, today=TODAY
    )
    export = build_export(senco, sar=sar, today=TODAY)
    text = str(export["parts"])
    assert ("CAMHS letter" in text, "Keep to the agreed care plan." in text, "SALT report" in text) == (
        False,
        False,
        True,
    )
    assert export["withheld"] == [
        {
            "record": "Report from an outside professional",
            "date": "2026-10-12",
            "reason": "Likely to cause serious harm to the pupil or someone else",
        }
    ]


def test_nobody_but_a_handler_gets_these_parts(head, teacher, agency_record):
    pupil = agency_record["referral"].pupil
    assert [agency_parts(user, pupil=pupil, today=TODAY) for user in (head, teacher)] == [[], []]


def test_another_pupils_records_are_not_in_the_export(senco, taught_pupil, untaught_pupil):
    ReferralFactory(pupil=untaught_pupil)
    InvolvementFactory(pupil=untaught_pupil)
    ReportFactory(pupil=untaught_pupil)
    AssessmentRequestFactory(pupil=untaught_pupil)
    assert agency_parts(senco, pupil=taught_pupil, today=TODAY) == []
