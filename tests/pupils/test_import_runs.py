"""MIS imports in the background: the run, its progress, a worker killed mid-way, the broker down,
the query count per batch, and the pages."""

import multiprocessing
import os
import signal
import socket
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.handlers.base import BaseHandler
from django.db import connection, connections
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pupils.factories import ImportRunFactory, PupilFactory, SenStatusChangeFactory
from pupils.models import (
    STALE_AFTER,
    ImportRun,
    ImportState,
    NeedType,
    Pupil,
    SenStatus,
    SenStatusChange,
    install_need_types,
)
from pupils.selectors.import_runs import import_runs_visible_to, progress_key, run_progress
from pupils.services.import_runs import (
    ANOTHER_IMPORT,
    BACKGROUND_UNAVAILABLE,
    CANNOT_RUN_AGAIN,
    retry_import,
    run_import,
    start_import,
)
from pupils.services.imports import CHANGED_SINCE_PREVIEW, apply_import, plan_import
from senco.audit import verify_chains
from senco.celery import app
from senco.factories import staff_member
from senco.models import AuditEvent, Role
from tests.pupils.test_import import EXAMPLE, csv_bytes, row, upload, written

IMPORT_URL = reverse("pupils:import")
# The record fields a file of every column gives a new pupil.
CREATED_FIELDS = [
    "admitted_on",
    "date_of_birth",
    "first_name",
    "gender",
    "last_name",
    "preferred_first_name",
    "preferred_last_name",
    "year_group",
]
# The task dates an import with the day it runs (R11), so the runs here are checked on that day.
TODAY = timezone.localdate()


@pytest.fixture
def example() -> bytes:
    return EXAMPLE.read_bytes()


@pytest.fixture
def need_types(transactional_db):
    """The census need types, which a test that commits finds gone if another flushed them."""
    install_need_types(NeedType)


def new_pupils(count: int, start: int = 0) -> bytes:
    """A file of `count` new pupils, every fifth on SEN support."""
    return csv_bytes(
        [
            row(start + n, sen_status="K" if n % 5 == 0 else "N", primary_need="SLCN" if n % 5 == 0 else "")
            for n in range(count)
        ]
    )


def queued(by, content: bytes, today=TODAY) -> ImportRun:
    """A run of `content`, checked as the preview would, waiting for a worker."""
    plan = plan_import(school=by.school, content=content, today=today)
    return ImportRunFactory(school=by.school, requested_by=by, content=content, fingerprint=plan.fingerprint)


def run_url(run: ImportRun) -> str:
    return reverse("pupils:import_run", kwargs={"pk": run.pk})


def apply_from_the_preview(client, content: bytes):
    form = upload(client, content).context["apply_form"]
    return client.post(
        IMPORT_URL, {"digest": form.initial["digest"], "fingerprint": form.initial["fingerprint"]}
    )


class WorkerKilled(BaseException):
    """What the import meets when its process dies: nothing of ours catches it, as nothing
    catches SIGKILL."""


def dying_at_batch(batch: int, seen: dict):
    """A database wrapper that lets the import write `batch - 1` batches of new pupils, notes
    what the page would show at that moment, then kills the worker as the next batch goes in."""

    def wrapper(execute, sql, params, many, context):
        if sql.startswith(f'INSERT INTO "{Pupil._meta.db_table}"'):
            seen["batches"] = seen.get("batches", 0) + 1
            if seen["batches"] == batch:
                run = ImportRun.objects.get(pk=seen["run"])
                seen["progress"] = run_progress(run, now=timezone.now())
                seen["pupils"] = Pupil.objects.count()
                raise WorkerKilled
        return execute(sql, params, many, context)

    return wrapper


# Running an import


def test_applying_from_the_preview_queues_the_import_and_its_page_shows_the_result(
    client, senco, school, example, django_capture_on_commit_callbacks
):
    client.force_login(senco)
    with django_capture_on_commit_callbacks(execute=True):
        response = apply_from_the_preview(client, example)
    run = ImportRun.objects.get()
    assert (response.status_code, response["Location"]) == (302, run_url(run))
    assert (run.state, run.requested_by, run.file_name, run.content) == (
        ImportState.DONE,
        senco,
        "pupils.csv",
        b"",
    )
    assert (run.rows_done, run.rows_total, run.pupils_new, run.status_changes) == (10, 10, 10, 7)
    assert Pupil.objects.filter(school=school).count() == 10
    html = client.get(run_url(run)).content.decode()
    assert "The file is imported: 10 new, 0 updated, 0 unchanged, 7 SEN status changes." in html
    assert "hx-trigger" not in html  # finished: nothing left to poll


def test_running_the_task_twice_imports_once(senco, example):
    run = queued(senco, example)
    first = run_import(run_id=run.pk, today=TODAY)
    assert (first.state, run_import(run_id=run.pk, today=TODAY)) == (ImportState.DONE, None)
    assert (Pupil.objects.count(), AuditEvent.objects.filter(action="pupils.imported").count()) == (10, 1)


def test_a_file_with_problems_is_refused_with_every_problem_and_the_file_is_dropped(senco):
    run = queued(senco, csv_bytes([row(1, gender="X"), row(2, nc_year="14"), row(3)]))
    before = written()
    done = run_import(run_id=run.pk, today=TODAY)
    assert (done.state, done.content, written()) == (ImportState.REFUSED, b"", before)
    assert done.message == "The file has problems, so nothing was imported."
    assert [(p["row"], p["column"]) for p in done.problems] == [(2, "gender"), (3, "nc_year")]


def test_a_file_whose_records_changed_since_the_check_is_refused(senco, school, example):
    run = queued(senco, example)
    PupilFactory(school=school, upn="X936241726101", first_name="Amelia", last_name="Okafor")
    done = run_import(run_id=run.pk, today=TODAY)
    assert (done.state, done.message, Pupil.objects.count()) == (
        ImportState.REFUSED,
        CHANGED_SINCE_PREVIEW,
        1,
    )


def test_progress_is_published_outside_the_transaction_while_rows_are_written(senco):
    run = queued(senco, new_pupils(30))
    seen = {"run": run.pk}
    with connection.execute_wrapper(dying_at_batch(3, seen)), pytest.raises(WorkerKilled):
        run_import(run_id=run.pk, today=TODAY, batch_size=10)
    # Two batches written as the page would see them, and none of them saved for anyone else.
    progress = seen["progress"]
    assert (progress.state, progress.rows_done, progress.rows_total, progress.percent) == (
        ImportState.RUNNING,
        20,
        30,
        66,
    )
    assert (seen["pupils"], Pupil.objects.count()) == (20, 0)


def test_a_worker_killed_mid_import_leaves_nothing_written_and_the_import_can_run_again(
    client, senco, django_capture_on_commit_callbacks
):
    run = queued(senco, new_pupils(30))
    before = written()
    with connection.execute_wrapper(dying_at_batch(2, {"run": run.pk})), pytest.raises(WorkerKilled):
        run_import(run_id=run.pk, today=TODAY, batch_size=10)
    assert written() == before
    run.refresh_from_db()
    assert (run.state, run_progress(run, now=timezone.now()).state) == (
        ImportState.RUNNING,
        ImportState.RUNNING,
    )
    # A minute on, no sign of life: the page says it stopped, and offers to run it again.
    later = timezone.now() + STALE_AFTER + timedelta(seconds=1)
    assert run_progress(run, now=later).state == ImportState.INTERRUPTED
    ImportRun.objects.filter(pk=run.pk).update(heartbeat=timezone.now() - STALE_AFTER * 2)
    cache.delete(progress_key(run.pk))
    client.force_login(senco)
    page = client.get(run_url(run)).content.decode()
    assert "The import stopped before it finished, so nothing was imported" in page
    assert "Run the import again" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(run_url(run)).status_code == 302
    run.refresh_from_db()
    assert (run.state, run.attempts, Pupil.objects.count()) == (ImportState.DONE, 2, 30)


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="needs PostgreSQL: the worker is a second process on the same database",
)
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_killed_mid_import_leaves_nothing_written_and_the_import_runs_again(
    need_types, senco
):
    run = queued(senco, new_pupils(600))
    connections.close_all()  # the worker opens its own connection, not a copy of ours
    worker = multiprocessing.get_context("fork").Process(
        target=run_import, kwargs={"run_id": run.pk, "today": TODAY, "batch_size": 50}
    )
    worker.start()
    deadline = time.monotonic() + 30
    # Its progress reaches this process through the run's row, written outside its transaction.
    while ImportRun.objects.get(pk=run.pk).rows_done < 100 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(worker.pid, signal.SIGKILL)
    worker.join()
    with connection.cursor() as cursor:
        # PostgreSQL ends a dead client's transaction when it next reads from its socket; a
        # busy server may not have yet, so end any other session still in a transaction, as it
        # would, and never wait for a lock for ever should one remain.
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%%'"
        )
        cursor.execute("SET lock_timeout = '20s'")
    run.refresh_from_db()
    assert (worker.exitcode, run.state, run.rows_total) == (-signal.SIGKILL, ImportState.RUNNING, 600)
    assert 100 <= run.rows_done < 600
    assert (Pupil.objects.count(), SenStatusChange.objects.count()) == (0, 0)
    ImportRun.objects.filter(pk=run.pk).update(heartbeat=timezone.now() - STALE_AFTER * 2)
    done = run_import(run_id=run.pk, today=TODAY)  # the message delivered again: it takes over
    assert (done.state, done.attempts, Pupil.objects.count()) == (ImportState.DONE, 2, 600)


def test_an_error_mid_import_rolls_everything_back_and_marks_the_run_failed(senco, school):
    # The database refuses a row half-way through: whatever the error, nothing stays written.
    run = queued(senco, new_pupils(12))
    before = written()

    def clash(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "pupils_senstatuschange"'):
            raise RuntimeError("the database refused the row")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(clash):
        done = run_import(run_id=run.pk, today=TODAY, batch_size=5)
    assert (done.state, written()) == (ImportState.FAILED, before)
    assert done.message.startswith("Something went wrong, so nothing was imported.")
    assert bytes(done.content) == bytes(run.content)  # kept, to run again
    assert run_progress(done, now=timezone.now()).can_run_again


def test_one_import_at_a_time_per_school_until_the_first_has_stopped(senco, school, example):
    first = start_import(school=school, content=example, file_name="a.csv", fingerprint="0" * 64, by=senco)
    with pytest.raises(ValidationError) as refused:
        start_import(school=school, content=example, file_name="b.csv", fingerprint="0" * 64, by=senco)
    assert refused.value.messages == [ANOTHER_IMPORT]
    ImportRun.objects.filter(pk=first.pk).update(heartbeat=timezone.now() - STALE_AFTER * 2)
    second = start_import(school=school, content=example, file_name="b.csv", fingerprint="0" * 64, by=senco)
    first.refresh_from_db()
    assert (first.state, first.content, second.state) == (ImportState.INTERRUPTED, b"", ImportState.QUEUED)
    with pytest.raises(ValidationError) as superseded:
        retry_import(run=first, by=senco)
    assert superseded.value.messages == [CANNOT_RUN_AGAIN]


def test_a_finished_import_cannot_be_run_again(senco, example):
    run = queued(senco, example)
    run_import(run_id=run.pk, today=TODAY)
    with pytest.raises(ValidationError):
        retry_import(run=run, by=senco)


# The broker down


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_broker():
    """A port that accepts connections and never answers, as a hung broker does."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


@pytest.fixture
def broker_at(monkeypatch):
    """Point Celery at a broker URL (the environment wins over its settings) and stop running
    tasks in-process, as with a real broker."""

    def point(port: int) -> None:
        monkeypatch.setenv("CELERY_BROKER_URL", f"redis://127.0.0.1:{port}/0")
        monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
        monkeypatch.setattr(app.conf, "task_always_eager", False)

    return point


@pytest.mark.parametrize("hung", [False, True], ids=["refused", "silent"])
def test_with_the_broker_down_the_import_says_plainly_that_nothing_was_imported(
    client, senco, example, broker_at, silent_broker, hung, django_capture_on_commit_callbacks
):
    broker_at(silent_broker if hung else closed_port())
    client.force_login(senco)
    form = upload(client, example).context["apply_form"]
    start = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            IMPORT_URL, {"digest": form.initial["digest"], "fingerprint": form.initial["fingerprint"]}
        )
    took = time.monotonic() - start
    run = ImportRun.objects.get()
    assert (took < 2, run.state, run.message) == (True, ImportState.FAILED, BACKGROUND_UNAVAILABLE)
    html = client.get(response["Location"]).content.decode()
    assert BACKGROUND_UNAVAILABLE in html
    assert ("Run the import again" in html, Pupil.objects.count()) == (True, 0)


def test_once_the_broker_is_back_the_import_runs_again(
    senco, example, broker_at, django_capture_on_commit_callbacks
):
    broker_at(closed_port())
    fingerprint = plan_import(school=senco.school, content=example, today=TODAY).fingerprint
    with django_capture_on_commit_callbacks(execute=True):
        run = start_import(
            school=senco.school, content=example, file_name="a.csv", fingerprint=fingerprint, by=senco
        )
    run.refresh_from_db()
    assert (run.state, Pupil.objects.count()) == (ImportState.FAILED, 0)
    app.conf.task_always_eager = True  # no broker at all now: in-process
    with django_capture_on_commit_callbacks(execute=True):
        retry_import(run=run, by=senco)
    run.refresh_from_db()
    assert (run.state, run.message, Pupil.objects.count()) == (ImportState.DONE, "", 10)


@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL (CI sets Redis)")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_the_broker_runs_the_import(need_types, senco, example, monkeypatch):
    from celery.contrib.testing.worker import start_worker

    monkeypatch.setattr(app.conf, "task_always_eager", False)
    fingerprint = plan_import(school=senco.school, content=example, today=TODAY).fingerprint
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        run = start_import(
            school=senco.school, content=example, file_name="a.csv", fingerprint=fingerprint, by=senco
        )
        deadline = time.monotonic() + 30
        while ImportRun.objects.get(pk=run.pk).state in (ImportState.QUEUED, ImportState.RUNNING):
            assert time.monotonic() < deadline, "the worker did not finish the import"
            time.sleep(0.1)
    run.refresh_from_db()
    assert (run.state, run.pupils_new, Pupil.objects.count()) == (ImportState.DONE, 10, 10)


# Queries: the same few per batch, however many rows a batch holds


def batches_of(senco, school, *, size: int, batches: int) -> int:
    """Queries to apply `batches` batches of `size` rows (half new pupils on SEN support, half
    known pupils whose name, class and status change), bar the inserts of audit rows at the end:
    those go in a thousand rows a statement (on SQLite, as many as its 999 parameters allow)."""
    rows = []
    for n in range(size * batches):
        if n % 2:
            rows.append(row(n, sen_status="K", primary_need="SLCN"))
        else:
            known = PupilFactory(school=school, upn=row(n)["upn"], year_group=3)
            SenStatusChangeFactory(
                pupil=known, status=SenStatus.MONITORING, effective_from=TODAY - timedelta(days=30)
            )
            group = f"3{'ABC'[n % 3]}"
            rows.append(
                row(
                    n, legal_last_name="Renamed", registration_group=group, sen_status="K", primary_need="ASD"
                )
            )
    content = csv_bytes(rows)
    plan = plan_import(school=school, content=content, today=TODAY)
    assert not plan.problems
    with CaptureQueriesContext(connection) as queries:
        apply_import(
            school=school,
            content=content,
            fingerprint=plan.fingerprint,
            by=senco,
            today=TODAY,
            batch_size=size,
        )
    audit_rows = f'INSERT INTO "{AuditEvent._meta.db_table}"'
    return len([query for query in queries if not query["sql"].startswith(audit_rows)])


@pytest.fixture
def count_queries(senco, school):
    def count(*, size: int, batches: int) -> int:
        # Each measure on an empty school, in a savepoint rolled back after it.
        from django.db import transaction

        with transaction.atomic():
            queries = batches_of(senco, school, size=size, batches=batches)
            transaction.set_rollback(True)
        return queries

    return count


def test_each_batch_takes_the_same_few_queries_however_many_rows_or_batches(count_queries):
    one, three = count_queries(size=4, batches=1), count_queries(size=4, batches=3)
    per_batch = (three - one) / 2
    # New pupils, changed pupils, out of old groups, into new ones, the history's last entries,
    # the new entries.
    assert per_batch == 7
    # The check (and lock), groups, need types, a savepoint, the audit rows at the end.
    assert one - per_batch <= 12
    assert count_queries(size=12, batches=3) == three  # three times the rows, the same queries


# Pages


def test_the_import_page_shows_recent_imports_and_the_one_in_progress(
    client, senco, school, other_school_senco
):
    done = ImportRunFactory(school=school, requested_by=senco, state=ImportState.DONE, file_name="autumn.csv")
    running = ImportRunFactory(
        school=school,
        requested_by=senco,
        state=ImportState.RUNNING,
        file_name="spring.csv",
        rows_total=200,
        rows_done=50,
    )
    ImportRunFactory(
        school=other_school_senco.school, requested_by=other_school_senco, file_name="theirs.csv"
    )
    client.force_login(senco)
    response = client.get(IMPORT_URL)
    html = response.content.decode()
    assert [run for run, _ in response.context["runs"]] == [running, done]
    assert "An import of spring.csv is importing" in html
    assert (f'href="{run_url(running)}"' in html, "Importing (25%)" in html, "theirs.csv" in html) == (
        True,
        True,
        False,
    )


def test_while_it_runs_the_page_polls_for_its_progress_and_says_how_far_it_has_got(client, senco, school):
    run = ImportRunFactory(school=school, requested_by=senco, state=ImportState.RUNNING, rows_total=5000)
    cache.set(progress_key(run.pk), {"rows_done": 1500, "rows_total": 5000, "heartbeat": timezone.now()})
    client.force_login(senco)
    page = client.get(run_url(run)).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert (
        '<progress id="import-progress" class="w-100 d-block mb-3" max="5000" value="1500">30%</progress>'
        in page
    )
    assert "1,500 of 5,000 pupils (30%)" in page
    assert (
        '<p id="import-status" class="visually-hidden" role="status">1,500 of 5,000 pupils imported.</p>'
        in page
    )
    assert f'<a href="{run_url(run)}">Refresh</a>' in page
    polled = client.get(run_url(run), headers={"HX-Request": "true"})
    assert (polled.templates[0].name, "<h1" in polled.content.decode()) == (
        "pupils/partials/import_run_progress.html",
        False,
    )
    assert polled["Vary"].count("HX-Request") == 1


def test_a_refused_import_lists_every_problem_on_its_page(client, senco, school):
    problems = [{"row": n, "column": "gender", "message": f"Problem {n}"} for n in range(2, 40)]
    run = ImportRunFactory(
        school=school,
        requested_by=senco,
        state=ImportState.REFUSED,
        problems=problems,
        message="The file has problems, so nothing was imported.",
    )
    client.force_login(senco)
    html = client.get(run_url(run)).content.decode()
    assert "The file has 38 problems: correct the file and upload it again." in html
    assert all(f"<td>Problem {n}</td>" in html for n in range(2, 40))


@pytest.mark.parametrize("role", [Role.SENCO, Role.DEPUTY_SENCO, Role.ADMIN])
def test_the_senco_team_and_the_administrator_follow_any_import_of_their_school(client, school, senco, role):
    run = ImportRunFactory(school=school, requested_by=senco)
    client.force_login(staff_member(role=role, school=school))
    assert client.get(run_url(run)).status_code == 200


@pytest.mark.parametrize("role", [Role.HEAD, Role.SENIOR_LEADER, Role.TEACHER, Role.TA, Role.GOVERNOR])
def test_other_roles_get_403_on_an_import(client, school, senco, role):
    run = ImportRunFactory(school=school, requested_by=senco, state=ImportState.FAILED)
    client.force_login(staff_member(role=role, school=school))
    assert (client.get(run_url(run)).status_code, client.post(run_url(run)).status_code) == (403, 403)
    assert ImportRun.objects.get().state == ImportState.FAILED
    assert list(import_runs_visible_to(staff_member(role=role, school=school))) == []


def test_another_schools_import_is_404_and_cannot_be_run_again(client, school, senco, other_school_senco):
    theirs = ImportRunFactory(
        school=other_school_senco.school, requested_by=other_school_senco, state=ImportState.FAILED
    )
    client.force_login(senco)
    assert (client.get(run_url(theirs)).status_code, client.post(run_url(theirs)).status_code) == (404, 404)
    assert ImportRun.objects.get().state == ImportState.FAILED


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_import_runs_in_process_once_the_page_has_gone(
    need_types, client, senco, example
):
    client.force_login(senco)
    form = upload(client, example).context["apply_form"]
    request = RequestFactory().post(
        IMPORT_URL, {"digest": form.initial["digest"], "fingerprint": form.initial["fingerprint"]}
    )
    request.COOKIES[settings.SESSION_COOKIE_NAME] = client.session.session_key
    request._dont_enforce_csrf_checks = True
    handler = BaseHandler()
    handler.load_middleware()
    response = handler.get_response(request)
    run = ImportRun.objects.get()
    with_the_page = (run.state, Pupil.objects.count())
    response.close()
    run.refresh_from_db()
    assert (response.status_code, with_the_page, run.state, Pupil.objects.count()) == (
        302,
        (ImportState.QUEUED, 0),
        ImportState.DONE,
        10,
    )


def test_every_change_of_a_bulk_import_is_audited_and_the_chain_holds(senco, school, untaught_pupil):
    SenStatusChangeFactory(
        pupil=untaught_pupil, status=SenStatus.MONITORING, effective_from=TODAY - timedelta(days=9)
    )
    known = row(
        1,
        upn=untaught_pupil.upn,
        legal_first_name=untaught_pupil.first_name,
        legal_last_name="Renamed",
        date_of_birth=untaught_pupil.date_of_birth.isoformat(),
        gender=untaught_pupil.gender,
        nc_year=str(untaught_pupil.year_group),
        admission_date=untaught_pupil.admitted_on.isoformat(),
        registration_group="5C",
        sen_status="K",
        primary_need="SPLD",
    )
    run_import(
        run_id=queued(senco, csv_bytes([known, row(2, sen_status="E", primary_need="ASD")])).pk, today=TODAY
    )
    events = AuditEvent.objects.filter(action__startswith="pupil").exclude(action="pupils.import_queued")
    rows = [(e.action, e.pupil_id == untaught_pupil.pk, e.fields, e.summary) for e in events.order_by("id")]
    # As the record services write them, one pupil after another in the file's order.
    assert rows == [
        ("pupil.updated", True, ["last_name"], ""),
        ("pupil.group_changed", True, ["teaching_groups"], "Now in 5C"),
        (
            "pupil.sen_status_changed",
            True,
            ["effective_from", "parents_informed_how", "parents_informed_on", "primary_need", "status"],
            "",
        ),
        ("pupil.created", False, sorted(["upn", *CREATED_FIELDS]), ""),
        ("pupil.group_changed", False, ["teaching_groups"], "Now in 3A"),
        ("pupil.sen_status_changed", False, ["effective_from", "primary_need", "status"], ""),
        ("pupils.imported", False, [], "MIS import: 1 new, 1 updated, 0 unchanged, 2 SEN status changes"),
    ]
    assert [report.broken_at for report in verify_chains([school])] == [None]


def test_applying_while_another_import_runs_shows_the_check_again_with_why(client, senco, school, example):
    ImportRunFactory(school=school, requested_by=senco, state=ImportState.RUNNING)
    client.force_login(senco)
    form = upload(client, example).context["apply_form"]
    response = client.post(
        IMPORT_URL, {"digest": form.initial["digest"], "fingerprint": form.initial["fingerprint"]}
    )
    assert (response.status_code, response.context["error"]) == (200, ANOTHER_IMPORT)
    assert (len(response.context["plan"].new), ImportRun.objects.count(), Pupil.objects.count()) == (10, 1, 0)
