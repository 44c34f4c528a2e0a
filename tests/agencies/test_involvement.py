"""Outside professionals' involvement: uploading reports (content sniffing, private storage),
the audited download, the health marking, advice taken up in a plan and the advice list."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.factories import MINIMAL_PDF, AdviceFactory, AgencyFactory, InvolvementFactory, ReportFactory
from agencies.models import Advice, Involvement, Report
from agencies.services.involvement import action_advice, remove_reports_for_disposal
from provision.factories import SupportPlanFactory
from pupils.factories import PupilFactory
from senco.factories import staff_member
from senco.models import AuditEvent, Role

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20


@pytest.fixture
def agency(school):
    return AgencyFactory(school=school, name="Educational Psychology Service", kind="ep")


@pytest.fixture
def report(taught_pupil, agency):
    return ReportFactory(pupil=taught_pupil, agency=agency)


@pytest.fixture
def health_report(taught_pupil, school):
    camhs = AgencyFactory(school=school, name="CAMHS", kind="camhs")
    return ReportFactory(pupil=taught_pupil, agency=camhs, title="CAMHS letter", is_health_information=True)


def stored_files() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def upload(client, pupil, agency, *, data: bytes, name: str, **fields):
    post = {
        "agency": agency.pk,
        "title": "EP assessment",
        "written_on": "2026-10-09",
        "received_on": "2026-10-12",
        "recommendations": "Chunk instructions\n- Use a visual timetable\n\n",
        "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
        **fields,
    }
    return client.post(reverse("agencies:report_upload", args=[pupil.pk]), post)


# Uploading -------------------------------------------------------------------------------------


def test_the_senco_uploads_a_report_stored_privately_under_a_random_name(client, senco, taught_pupil, agency):
    client.force_login(senco)
    before = set(stored_files())
    response = upload(client, taught_pupil, agency, data=MINIMAL_PDF, name="Ava Taught EP report.pdf")
    report = Report.objects.get()
    assert response.status_code == 302
    [stored] = set(stored_files()) - before
    assert stored.read_bytes() == MINIMAL_PDF
    assert stored.parent == Path(settings.MEDIA_ROOT) / "reports" / str(taught_pupil.school_id)
    assert "Ava" not in stored.name
    assert stored.suffix == ".pdf"
    assert (report.file_type, report.file_size, report.original_name) == (
        "pdf",
        len(MINIMAL_PDF),
        "Ava Taught EP report.pdf",
    )
    assert list(report.advice.values_list("text", flat=True)) == [
        "Chunk instructions",
        "Use a visual timetable",
    ]
    actions = list(AuditEvent.objects.filter(pupil_id=taught_pupil.pk).values_list("action", flat=True))
    assert actions.count("report.uploaded") == 1
    assert actions.count("advice.added") == 2


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (PNG_BYTES, "report.pdf", "This file is a PNG image, but its name says it is a PDF."),
        (b"Dear SENCO, please find attached", "report.pdf", "This file called “.pdf” is not a PDF"),
        (b"", "report.pdf", "The file is empty."),
    ],
    ids=["png named pdf", "text named pdf", "empty"],
)
def test_a_refused_file_is_named_beside_the_field_and_what_was_typed_is_kept(
    client, senco, taught_pupil, agency, data, name, message
):
    client.force_login(senco)
    before = set(stored_files())
    response = upload(client, taught_pupil, agency, data=data, name=name, title="Typed title kept")
    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors["file"][0].startswith(message)
    assert 'value="Typed title kept"' in response.content.decode()
    assert "Chunk instructions" in response.content.decode()
    assert (Report.objects.count(), Advice.objects.count(), set(stored_files()) - before) == (0, 0, set())


def test_a_file_over_the_size_setting_is_refused(client, senco, taught_pupil, agency, settings):
    settings.REPORT_UPLOAD_MAX_MB = 1
    client.force_login(senco)
    response = upload(client, taught_pupil, agency, data=MINIMAL_PDF + b"\0" * 1024 * 1024, name="big.pdf")
    assert (
        response.context["form"]
        .errors["file"][0]
        .startswith("The file is 1.0 MB: the largest report we keep is 1.0 MB.")
    )
    assert Report.objects.count() == 0


def test_a_report_received_before_it_was_written_is_refused_beside_the_date(
    client, senco, taught_pupil, agency
):
    client.force_login(senco)
    before = set(stored_files())
    response = upload(client, taught_pupil, agency, data=MINIMAL_PDF, name="r.pdf", received_on="2026-10-01")
    assert response.context["form"].errors["received_on"] == [
        "The school cannot have received the report before it was written."
    ]
    assert (Report.objects.count(), set(stored_files()) - before) == (0, set())


def test_a_leavers_record_takes_no_report(client, senco, school, agency):
    leaver = PupilFactory(school=school, left_on=date(2026, 7, 20))
    client.force_login(senco)
    response = upload(client, leaver, agency, data=MINIMAL_PDF, name="r.pdf")
    assert response.status_code == 200
    assert Report.objects.count() == 0


def test_a_teacher_may_not_upload_or_log_involvement(client, teacher, taught_pupil, agency):
    client.force_login(teacher)
    statuses = [
        upload(client, taught_pupil, agency, data=MINIMAL_PDF, name="r.pdf").status_code,
        client.get(reverse("agencies:involvement_add", args=[taught_pupil.pk])).status_code,
    ]
    assert statuses == [403, 403]


def test_the_senco_logs_a_visit_and_it_is_audited(client, senco, taught_pupil, agency):
    client.force_login(senco)
    response = client.post(
        reverse("agencies:involvement_add", args=[taught_pupil.pk]),
        {
            "agency": agency.pk,
            "kind": "observation",
            "happened_on": "2026-10-05",
            "professional": "Dr A Khan",
        },
    )
    involvement = Involvement.objects.get()
    assert response.status_code == 302
    assert (
        AuditEvent.objects.filter(action="involvement.recorded", object_id=str(involvement.pk)).count() == 1
    )


# Downloading and reading -----------------------------------------------------------------------


def test_the_download_is_an_audited_attachment_that_browsers_may_not_sniff(client, senco, report):
    client.force_login(senco)
    response = client.get(reverse("agencies:report_download", args=[report.pk]))
    assert response.status_code == 200
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == ("application/pdf", "nosniff")
    assert response["Content-Disposition"] == 'attachment; filename="EP report.pdf"'
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    row = AuditEvent.objects.get(action="report.downloaded")
    assert (row.pupil_id, row.object_id, row.actor_id) == (report.pupil_id, str(report.pk), senco.pk)


def test_reading_a_reports_page_is_audited(client, head, report):
    client.force_login(head)
    assert client.get(reverse("agencies:report_detail", args=[report.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="report.viewed", pupil_id=report.pupil_id).count() == 1


def _download_status(client, user, report) -> int:
    client.force_login(user)
    return client.get(reverse("agencies:report_download", args=[report.pk])).status_code


@pytest.mark.parametrize(
    ("role", "ordinary", "health"),
    [
        (Role.SENCO, 200, 200),
        (Role.DEPUTY_SENCO, 200, 200),
        (Role.HEAD, 200, 200),
        (Role.SENIOR_LEADER, 200, 404),
        (Role.TEACHER, 403, 403),
        (Role.TA, 403, 403),
        (Role.GOVERNOR, 403, 403),
        (Role.ADMIN, 403, 403),
    ],
)
def test_who_downloads_which_report(client, school, report, health_report, role, ordinary, health):
    user = staff_member(role=role, school=school)
    assert (_download_status(client, user, report), _download_status(client, user, health_report)) == (
        ordinary,
        health,
    )


def test_another_schools_senco_gets_404_for_our_report_and_nothing_is_audited(
    client, other_school_senco, report
):
    before = AuditEvent.objects.count()
    assert _download_status(client, other_school_senco, report) == 404
    assert AuditEvent.objects.count() == before


def test_a_senior_leader_does_not_see_a_health_report_in_the_pupils_list(
    client, school, report, health_report
):
    client.force_login(staff_member(role=Role.SENIOR_LEADER, school=school))
    response = client.get(reverse("agencies:pupil_involvement", args=[report.pupil_id]))
    assert list(response.context["reports"]) == [report]
    assert "CAMHS letter" not in response.content.decode()


def test_marking_a_report_as_health_information_is_audited(client, senco, report):
    client.force_login(senco)
    response = client.post(
        reverse("agencies:report_health", args=[report.pk]), {"is_health_information": "on"}
    )
    report.refresh_from_db()
    assert (response.status_code, report.is_health_information) == (302, True)
    row = AuditEvent.objects.get(action="report.changed")
    assert (row.summary, row.pupil_id) == ("marked as health information", report.pupil_id)


# What teachers see -----------------------------------------------------------------------------


def test_a_teacher_sees_the_advice_for_their_pupil_but_never_the_report_or_health_advice(
    client, teacher, report, health_report
):
    AdviceFactory(report=report, text="Seat near the front, away from the window.")
    AdviceFactory(report=health_report, text="Medication at lunchtime.")
    client.force_login(teacher)
    page = client.get(reverse("pupils:detail", args=[report.pupil_id])).content.decode()
    assert "Seat near the front, away from the window." in page
    assert "Medication at lunchtime." not in page
    assert report.title not in page
    assert health_report.title not in page
    assert reverse("agencies:report_download", args=[report.pk]) not in page
    assert client.get(reverse("agencies:report_detail", args=[report.pk])).status_code == 403


def test_a_teacher_sees_no_advice_for_a_pupil_they_do_not_teach(client, teacher, untaught_pupil, agency):
    AdviceFactory(
        report=ReportFactory(pupil=untaught_pupil, agency=agency), text="Ear defenders in assembly."
    )
    client.force_login(teacher)
    assert client.get(reverse("pupils:detail", args=[untaught_pupil.pk])).status_code == 404


def test_the_senco_sees_involvement_and_reports_in_the_chronology(client, senco, report):
    InvolvementFactory(pupil=report.pupil, agency=report.agency, kind="assessment")
    client.force_login(senco)
    response = client.get(reverse("pupils:detail", args=[report.pupil_id]))
    titles = [event.title for event in response.context["events"]]
    assert "Assessment: Educational Psychology Service" in titles
    assert "Report received from Educational Psychology Service" in titles


# Advice taken up in a plan ---------------------------------------------------------------------


def test_the_senco_takes_advice_up_in_the_pupils_plan(client, senco, report):
    advice = AdviceFactory(report=report)
    plan = SupportPlanFactory(pupil=report.pupil)
    client.force_login(senco)
    response = client.post(
        reverse("agencies:advice_action", args=[advice.pk]),
        {"plan": f"support-{plan.pk}", "actioned_on": "2026-10-20"},
    )
    advice.refresh_from_db()
    assert response.status_code == 302
    assert (advice.actioned_in, advice.actioned_on, advice.actioned_by) == (plan, date(2026, 10, 20), senco)
    assert AuditEvent.objects.filter(action="advice.actioned", object_id=str(advice.pk)).count() == 1


def test_advice_cannot_be_taken_up_before_the_report_arrived(client, senco, report):
    advice = AdviceFactory(report=report)
    plan = SupportPlanFactory(pupil=report.pupil)
    client.force_login(senco)
    response = client.post(
        reverse("agencies:advice_action", args=[advice.pk]),
        {"plan": f"support-{plan.pk}", "actioned_on": "2026-10-01"},
    )
    assert response.context["form"].errors["actioned_on"] == [
        "Advice cannot be taken up before the school received the report."
    ]
    assert 'value="2026-10-01"' in response.content.decode()
    advice.refresh_from_db()
    assert advice.actioned_in is None


def test_another_pupils_plan_is_not_offered_and_is_refused(client, senco, report, untaught_pupil):
    advice = AdviceFactory(report=report)
    SupportPlanFactory(pupil=report.pupil)
    theirs = SupportPlanFactory(pupil=untaught_pupil)
    client.force_login(senco)
    response = client.post(
        reverse("agencies:advice_action", args=[advice.pk]),
        {"plan": f"support-{theirs.pk}", "actioned_on": "2026-10-20"},
    )
    assert response.status_code == 200
    assert "plan" in response.context["form"].errors
    advice.refresh_from_db()
    assert advice.actioned_in is None


# The SENCO's advice list ------------------------------------------------------------------------


def test_the_advice_list_puts_unactioned_advice_first_and_flags_it_after_half_a_term(client, senco, report):
    plan = SupportPlanFactory(pupil=report.pupil)
    taken = AdviceFactory(report=report, actioned_in=plan, actioned_on=date(2026, 10, 20), actioned_by=senco)
    waiting = AdviceFactory(report=report)
    client.force_login(senco)
    response = client.get(reverse("agencies:advice_list"))
    rows = response.context["advice"]
    assert [item.pk for item in rows] == [waiting.pk, taken.pk]
    # The report arrived on 12 October 2026; no term dates recorded: flagged from 24 November.
    assert (rows[0].flag_on, rows[0].is_flagged, rows[1].is_flagged) == (date(2026, 11, 24), True, False)
    assert response.context["flagged_count"] == 1


@pytest.mark.parametrize("n", [1, 3])
def test_the_advice_list_queries_stay_flat(client, senco, school, agency, n, django_assert_max_num_queries):
    for _ in range(n):
        AdviceFactory(report=ReportFactory(pupil=PupilFactory(school=school), agency=agency))
    client.force_login(senco)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("agencies:advice_list"))
    assert len(response.context["advice"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_a_pupils_involvement_page_queries_stay_flat(
    client, senco, taught_pupil, agency, n, django_assert_max_num_queries
):
    for _ in range(n):
        involvement = InvolvementFactory(pupil=taught_pupil, agency=agency)
        report = ReportFactory(pupil=taught_pupil, agency=agency, involvement=involvement)
        AdviceFactory(report=report)
    client.force_login(senco)
    # 10 for the page (session, user, roles, pupil, advice, school, terms, closures, reports,
    # involvements), 3 for its audit row (on PostgreSQL the chain's lock; the chain's end, the
    # row) and 3 for the session's save.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("agencies:pupil_involvement", args=[taught_pupil.pk]))
    assert (len(response.context["advice"]), len(response.context["reports"])) == (n, n)


def test_the_senco_finds_the_advice_list_in_the_menu(client, senco):
    client.force_login(senco)
    labels = [item["label"] for item in client.get(reverse("home")).context["nav_items"]]
    assert "Advice from professionals" in labels


def test_a_teacher_may_not_open_the_advice_list(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("agencies:advice_list")).status_code == 403


# Disposal ------------------------------------------------------------------------------------


def test_disposing_of_a_record_deletes_its_report_files_once_the_disposal_commits(
    report, django_capture_on_commit_callbacks
):
    stored = Path(report.file.path)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        removed = remove_reports_for_disposal(report.pupil)
    assert (removed, stored.exists()) == ({"agencies.Report": 1}, True)
    callbacks[0]()
    assert not stored.exists()


def test_advice_already_taken_up_is_not_taken_up_again_by_a_second_person(senco, school, report):
    deputy = staff_member(role=Role.DEPUTY_SENCO, school=school)
    advice = AdviceFactory(report=report)
    plan = SupportPlanFactory(pupil=report.pupil)
    stale = Advice.objects.get(pk=advice.pk)
    action_advice(
        advice=advice, plan=plan, actioned_on=date(2026, 10, 20), by=senco, today=date(2026, 10, 20)
    )
    with pytest.raises(ValidationError, match="already been taken up"):
        action_advice(
            advice=stale, plan=plan, actioned_on=date(2026, 10, 21), by=deputy, today=date(2026, 10, 21)
        )
    advice.refresh_from_db()
    assert (advice.actioned_by, advice.actioned_on) == (senco, date(2026, 10, 20))


def test_a_reports_type_is_named_as_written_not_lowered(report):
    assert [Report(file_type=key).type_label for key in ("pdf", "docx", "png", "jpeg")] == [
        "PDF",
        "Word document",
        "PNG image",
        "JPEG image",
    ]
    assert report.type_label == "PDF"


def test_the_upload_form_comes_with_the_service_a_referral_chose(client, senco, taught_pupil, agency):
    AgencyFactory(school=taught_pupil.school, name="Another service", kind="ot")
    client.force_login(senco)
    url = reverse("agencies:report_upload", args=[taught_pupil.pk])

    chosen = client.get(url, {"agency": agency.pk}).context["form"]["agency"].value()
    unknown = client.get(url, {"agency": "not a number"})

    assert str(chosen) == str(agency.pk)
    assert unknown.status_code == 200
