"""A subject access export prepared in the background (issue 13: a PDF that cannot render within
3 s is produced with the MIS import's progress and "ready" pattern): queued from the request's
page, followed there by htmx until it is ready, downloaded through the audited views only while
it still holds the export as it stands, failed with a message and prepared again, one PDF and
one JSON file a request however often the task runs."""

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from pupils.factories import ConcernFactory, ContactLogEntryFactory, SubjectAccessRequestFactory
from pupils.models import ExportState, SubjectAccessExport
from pupils.selectors.subject_access import STALE, prepared_export
from pupils.services.subject_access import (
    ASKER_GONE,
    EXPORT_FAILED,
    include_record,
    prepare_subject_access_export,
    queue_subject_access_export,
    release_subject_access_request,
    remove_subject_access_exports,
    withhold_record,
)
from senco.models import AuditEvent, Membership

CONCERN_TEXT = "Covers ears in assembly and hides under the table when the bell rings."


@pytest.fixture
def sar(taught_pupil, senco):
    received = timezone.localdate() - timedelta(days=3)
    return SubjectAccessRequestFactory(
        pupil=taught_pupil, logged_by=senco, received_on=received, identity_checked_on=received
    )


@pytest.fixture
def concern(taught_pupil, teacher):
    return ConcernFactory(pupil=taught_pupil, raised_by=teacher, observed=CONCERN_TEXT)


def run_task(export) -> SubjectAccessExport | None:
    """What the Celery task does with the export, once a worker takes it."""
    return prepare_subject_access_export(export_id=export.pk, today=timezone.localdate())


def prepared(sar, by) -> SubjectAccessExport:
    return run_task(queue_subject_access_export(sar=sar, by=by))


def stored_files() -> list[str]:
    media = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


def state_of(sar, senco) -> str:
    return prepared_export(senco, sar=sar, now=timezone.now(), today=timezone.localdate()).state


def pdf_text(response) -> str:
    pages = PdfReader(io.BytesIO(response.getvalue())).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


# The ready pattern


def test_preparing_queues_the_export_and_the_page_polls_until_it_is_ready(client, senco, sar):
    client.force_login(senco)
    response = client.post(reverse("pupils:subject_access_prepare", args=[sar.pk]))
    assert response.status_code == 302
    page = client.get(sar.get_absolute_url()).content.decode()
    poll = reverse("pupils:subject_access_export", args=[sar.pk])
    assert (f'hx-get="{poll}"' in page, 'hx-trigger="every 1s"' in page, "Waiting to start" in page) == (
        True,
        True,
        True,
    )
    assert "Download the PDF" not in page
    run_task(SubjectAccessExport.objects.get(request=sar))
    fragment = client.get(poll, headers={"HX-Request": "true"}).content.decode()
    pdf_url = reverse("pupils:subject_access_pdf", args=[sar.pk])
    assert ("hx-trigger" in fragment, f'href="{pdf_url}"' in fragment, "The export is ready" in fragment) == (
        False,
        True,
        True,
    )


def test_polling_the_export_writes_no_audit_row(client, senco, sar):
    queue_subject_access_export(sar=sar, by=senco)
    client.force_login(senco)
    before = AuditEvent.objects.count()
    for _ in range(3):
        assert client.get(reverse("pupils:subject_access_export", args=[sar.pk])).status_code == 200
    assert AuditEvent.objects.count() == before


def test_without_a_broker_the_export_is_prepared_in_process_on_commit(
    client, senco, sar, concern, django_capture_on_commit_callbacks
):
    client.force_login(senco)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pupils:subject_access_prepare", args=[sar.pk]))
    pdf = client.get(reverse("pupils:subject_access_pdf", args=[sar.pk]))
    assert (response.status_code, pdf.status_code, pdf["Content-Type"]) == (302, 200, "application/pdf")
    text = pdf_text(pdf)
    assert (CONCERN_TEXT in text, "Draft, not yet released." in text) == (True, True)


def test_asking_again_while_it_waits_queues_nothing_more(senco, sar):
    first = queue_subject_access_export(sar=sar, by=senco)
    again = queue_subject_access_export(sar=sar, by=senco)
    assert (again.pk, again.queued_at, SubjectAccessExport.objects.count()) == (first.pk, first.queued_at, 1)


def test_the_download_before_the_export_is_ready_goes_back_to_the_request_and_sends_nothing(
    client, senco, sar
):
    queue_subject_access_export(sar=sar, by=senco)
    client.force_login(senco)
    response = client.get(reverse("pupils:subject_access_pdf", args=[sar.pk]))
    assert (response.status_code, response["Location"]) == (302, f"{sar.get_absolute_url()}#export-heading")
    assert not AuditEvent.objects.filter(action="subject_access.exported").exists()


# Stale files are never sent


def test_withholding_after_preparing_makes_the_files_stale_until_prepared_again(client, senco, sar, concern):
    prepared(sar, senco)
    withhold_record(
        sar=sar, kind="concern", record_id=concern.pk, reason="abuse", by=senco, today=timezone.localdate()
    )
    client.force_login(senco)
    stale = client.get(reverse("pupils:subject_access_pdf", args=[sar.pk]))
    page = client.get(sar.get_absolute_url()).content.decode()
    assert (
        state_of(sar, senco),
        stale.status_code,
        "have changed since the export was prepared" in page,
    ) == (
        STALE,
        302,
        True,
    )
    prepared(sar, senco)
    fresh = client.get(reverse("pupils:subject_access_pdf", args=[sar.pk]))
    assert (fresh.status_code, CONCERN_TEXT in pdf_text(fresh)) == (200, False)


def test_including_a_withheld_record_again_makes_the_files_stale(senco, sar, concern):
    today = timezone.localdate()
    withhold_record(sar=sar, kind="concern", record_id=concern.pk, reason="abuse", by=senco, today=today)
    prepared(sar, senco)
    include_record(sar=sar, kind="concern", record_id=concern.pk, by=senco)
    assert state_of(sar, senco) == STALE


def test_a_record_added_after_preparing_makes_the_files_stale(senco, sar):
    prepared(sar, senco)
    assert state_of(sar, senco) == ExportState.READY
    ContactLogEntryFactory(pupil=sar.pupil, recorded_by=senco)
    assert state_of(sar, senco) == STALE


def test_the_release_keeps_what_was_reviewed_and_prepares_the_export_as_released(
    client, senco, sar, concern, django_capture_on_commit_callbacks
):
    prepared(sar, senco)
    client.force_login(senco)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("pupils:subject_access_release", args=[sar.pk]),
            {"version": 1, "released_on": today.isoformat(), "released_how": "Secure e-mail"},
        )
    ConcernFactory(pupil=sar.pupil, observed="Raised after the release.")
    sar.refresh_from_db()
    pdf = client.get(reverse("pupils:subject_access_pdf", args=[sar.pk]))
    sent = json.loads(client.get(reverse("pupils:subject_access_json", args=[sar.pk])).getvalue())
    text = pdf_text(pdf)
    assert (pdf.status_code, "Draft" in text, CONCERN_TEXT in text, "Raised after the release." in text) == (
        200,
        False,
        True,
        False,
    )
    assert sent == sar.released_export


def test_a_draft_prepared_before_the_release_is_not_sent_after_it(client, senco, sar):
    prepared(sar, senco)
    today = timezone.localdate()
    release_subject_access_request(
        sar=sar, version=1, released_on=today, released_how="By hand", by=senco, today=today
    )
    sar.refresh_from_db()
    queued = state_of(sar, senco)
    SubjectAccessExport.objects.update(state=ExportState.READY)  # as if the release had queued nothing
    client.force_login(senco)
    response = client.get(reverse("pupils:subject_access_pdf", args=[sar.pk]))
    assert (queued, state_of(sar, senco), response.status_code) == (ExportState.QUEUED, STALE, 302)


# One file each, however often the task runs


def test_running_the_task_twice_leaves_one_pdf_and_one_json_file(senco, sar):
    export = queue_subject_access_export(sar=sar, by=senco)
    first, second = run_task(export), run_task(export)
    assert (first.state, second, stored_files()) == (
        ExportState.READY,
        None,
        [f"subject-access/subject-access-{sar.pk}.json", f"subject-access/subject-access-{sar.pk}.pdf"],
    )


def test_preparing_again_replaces_the_files(senco, sar):
    first = prepared(sar, senco)
    again = prepared(sar, senco)
    assert (again.pk, again.attempts, len(stored_files())) == (first.pk, 2, 2)
    assert sorted([again.pdf.name, again.json.name]) == stored_files()


def test_a_preparation_whose_worker_stopped_shows_as_failed_and_is_taken_again(client, senco, sar):
    export = queue_subject_access_export(sar=sar, by=senco)
    long_ago = timezone.now() - timedelta(hours=1)
    SubjectAccessExport.objects.filter(pk=export.pk).update(state=ExportState.RUNNING, started_at=long_ago)
    client.force_login(senco)
    page = client.get(sar.get_absolute_url()).content.decode()
    assert ("the background worker stopped" in page, "Prepare the export again" in page) == (True, True)
    assert run_task(export).state == ExportState.READY


# Failures


def test_a_failed_preparation_says_so_keeps_no_file_and_can_be_prepared_again(
    client, senco, sar, settings, tmp_path
):
    media = tmp_path / "not-a-folder"
    media.write_text("")
    settings.MEDIA_ROOT = media  # nothing can be stored under a file: the storage fails
    export = prepared(sar, senco)
    client.force_login(senco)
    page = client.get(sar.get_absolute_url()).content.decode()
    assert (export.state, export.message, export.pdf.name, EXPORT_FAILED in page) == (
        ExportState.FAILED,
        EXPORT_FAILED,
        "",
        True,
    )
    assert client.get(reverse("pupils:subject_access_pdf", args=[sar.pk])).status_code == 302
    settings.MEDIA_ROOT = tmp_path / "media"
    assert prepared(sar, senco).state == ExportState.READY


def test_an_export_asked_for_by_someone_who_has_since_lost_the_role_fails_with_why(senco, sar):
    export = queue_subject_access_export(sar=sar, by=senco)
    Membership.objects.filter(user=senco).delete()
    failed = run_task(export)
    assert (failed.state, failed.message) == (ExportState.FAILED, ASKER_GONE.format(name=senco))


# Who may


@pytest.mark.parametrize("persona", ["senco", "school_admin"])
def test_the_senco_team_and_the_office_prepare_and_download_the_export(client, request, persona, sar):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    client.post(reverse("pupils:subject_access_prepare", args=[sar.pk]))
    run_task(SubjectAccessExport.objects.get(request=sar))
    answers = [
        client.get(reverse(name, args=[sar.pk])).status_code
        for name in (
            "pupils:subject_access_export",
            "pupils:subject_access_pdf",
            "pupils:subject_access_json",
        )
    ]
    assert answers == [200, 200, 200]


@pytest.mark.parametrize("persona", ["head", "teacher", "ta", "governor"])
def test_other_roles_may_not_prepare_follow_or_download_the_export(client, request, persona, senco, sar):
    prepared(sar, senco)
    client.force_login(request.getfixturevalue(persona))
    answers = {
        client.post(reverse("pupils:subject_access_prepare", args=[sar.pk])).status_code,
        client.get(reverse("pupils:subject_access_export", args=[sar.pk])).status_code,
        client.get(reverse("pupils:subject_access_pdf", args=[sar.pk])).status_code,
        client.get(reverse("pupils:subject_access_json", args=[sar.pk])).status_code,
    }
    assert (answers, SubjectAccessExport.objects.get().attempts) == ({403}, 1)


def test_another_schools_export_is_not_found_and_nothing_is_written(client, senco, other_school_senco, sar):
    prepared(sar, senco)
    client.force_login(other_school_senco)
    before = AuditEvent.objects.count()
    answers = {
        client.post(reverse("pupils:subject_access_prepare", args=[sar.pk])).status_code,
        client.get(reverse("pupils:subject_access_export", args=[sar.pk])).status_code,
        client.get(reverse("pupils:subject_access_pdf", args=[sar.pk])).status_code,
        client.get(reverse("pupils:subject_access_json", args=[sar.pk])).status_code,
    }
    export = SubjectAccessExport.objects.get()
    assert (answers, AuditEvent.objects.count(), export.state, export.attempts) == (
        {404},
        before,
        ExportState.READY,
        1,
    )


# The audit trail


def test_preparing_and_each_download_are_audited_with_the_pupil(client, senco, sar):
    client.force_login(senco)
    client.post(reverse("pupils:subject_access_prepare", args=[sar.pk]))
    run_task(SubjectAccessExport.objects.get(request=sar))
    client.get(reverse("pupils:subject_access_pdf", args=[sar.pk]))
    client.get(reverse("pupils:subject_access_json", args=[sar.pk]))
    rows = AuditEvent.objects.filter(pupil_id=sar.pupil_id).order_by("id")
    assert list(rows.values_list("action", "summary", "actor")) == [
        ("subject_access.export_queued", "", senco.pk),
        ("subject_access.export_prepared", "", senco.pk),
        ("subject_access.exported", "PDF", senco.pk),
        ("subject_access.exported", "JSON", senco.pk),
    ]


# Disposal


def test_disposing_of_the_record_removes_the_exports_files(senco, sar, django_capture_on_commit_callbacks):
    prepared(sar, senco)
    with django_capture_on_commit_callbacks(execute=True):
        removed = remove_subject_access_exports(sar.pupil)
    assert (removed, stored_files()) == ({"pupils.SubjectAccessExport": 1}, [])


def test_a_ready_export_must_have_its_files(senco, sar):
    export = prepared(sar, senco)
    with pytest.raises(IntegrityError, match="sar_export_ready_has_its_files"), transaction.atomic():
        SubjectAccessExport.objects.filter(pk=export.pk).update(pdf="")
