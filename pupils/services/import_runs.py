"""MIS import runs: a checked file queued, applied in the background by a Celery task
(`pupils.tasks.run_mis_import`), and followed on its page while it runs.

`start_import` keeps the file in an `ImportRun` and queues the task on commit; `run_import`,
which the task calls, applies it with `pupils.services.imports.apply_import`, all or nothing,
and publishes how far it has got outside that transaction (`_Progress`), which the page reads
(`pupils.selectors.import_runs`). A worker that dies leaves nothing written, its transaction
dying with it; the run shows as interrupted, and `retry_import` queues it again.
"""

import hashlib
import logging
from datetime import date, datetime
from functools import partial

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import KombuError

from pupils.models import ACTIVE, STALE_AFTER, ImportRun, ImportState
from pupils.selectors.import_runs import PROGRESS_CACHE_SECONDS, progress_key, run_progress
from pupils.services.imports import BATCH_SIZE, ImportRefused, apply_import
from senco import audit
from senco.models import School, User
from senco.tasks import after_response

logger = logging.getLogger(__name__)


BACKGROUND_UNAVAILABLE = (
    "Background work is unavailable just now: nothing was imported. Try again later or tell your IT support."
)
FAILED = (
    "Something went wrong, so nothing was imported. Run it again; if it fails again, tell your IT support."
)
ANOTHER_IMPORT = (
    "Another import for this school is waiting or running: wait for it to finish, then try again."
)
CANNOT_RUN_AGAIN = "This import cannot be run again: upload the file again."
# The import's own enqueue gives up quickly rather than hold the page while the broker is down.
ENQUEUE_TIMEOUT = 1  # second


class _Progress:
    """Publishes how far a run has got, outside the import's transaction: to the cache (read by
    every process that shares it, and by this one: `make run`, tests) and, on PostgreSQL, to the
    run's row through a second connection of its own, which every process reads. SQLite takes
    one writer at a time, so there, while the import's transaction is open, only the cache can
    be written."""

    def __init__(self, run_id: int):
        self.run_id = run_id
        self.side = connection.copy() if connection.vendor == "postgresql" else None

    def __call__(self, rows_done: int, rows_total: int) -> None:
        now = timezone.now()
        try:
            live = {"rows_done": rows_done, "rows_total": rows_total, "heartbeat": now}
            cache.set(progress_key(self.run_id), live, PROGRESS_CACHE_SECONDS)
        except Exception:  # progress is a courtesy: an unreachable cache must not stop the import
            logger.warning("Could not publish the progress of MIS import %s to the cache", self.run_id)
        if self.side is not None:
            table = self.side.ops.quote_name(ImportRun._meta.db_table)
            with self.side.cursor() as cursor:
                # SKIP LOCKED: never wait for the row, even were a caller's transaction to hold it.
                cursor.execute(
                    f"UPDATE {table} SET rows_done = %s, rows_total = %s, heartbeat = %s "
                    f"WHERE id IN (SELECT id FROM {table} WHERE id = %s FOR UPDATE SKIP LOCKED)",
                    [rows_done, rows_total, now, self.run_id],
                )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def _queue(run_id: int) -> None:
    """Hand the run to a worker. Without a broker it runs in this process: inside a request once
    the response has gone (`senco.tasks.after_response`), else at once. If the broker cannot be
    reached within ENQUEUE_TIMEOUT, the run is marked failed with BACKGROUND_UNAVAILABLE."""
    from pupils.tasks import run_mis_import  # imported here: the task module imports this one

    app = run_mis_import.app
    if app.conf.task_always_eager:
        waiting, send = after_response.get(), partial(run_mis_import.delay, run_id=run_id)
        if waiting is None:
            send()
        else:
            waiting.append(send)
        return
    options = {"socket_connect_timeout": ENQUEUE_TIMEOUT, "socket_timeout": ENQUEUE_TIMEOUT}
    try:
        with app.connection_for_write(connect_timeout=ENQUEUE_TIMEOUT, transport_options=options) as broker:
            broker.ensure_connection(max_retries=0, timeout=ENQUEUE_TIMEOUT)
            run_mis_import.apply_async(kwargs={"run_id": run_id}, connection=broker, retry=False)
    except (KombuError, OSError):
        logger.exception("Could not queue MIS import %s", run_id)
        ImportRun.objects.filter(pk=run_id, state=ImportState.QUEUED).update(
            state=ImportState.FAILED, message=BACKGROUND_UNAVAILABLE, finished_at=timezone.now()
        )


def _mark_stopped(school: School, now: datetime) -> None:
    """Record as interrupted the school's run whose worker has stopped, so another may start."""
    for run in ImportRun.objects.filter(school=school, state__in=ACTIVE).defer("content"):
        if run_progress(run, now=now).state == ImportState.INTERRUPTED:
            stopped = ImportRun.objects.filter(pk=run.pk, state=run.state)
            stopped.update(state=ImportState.INTERRUPTED, finished_at=now)


def _queue_on_commit(run: ImportRun) -> None:
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError as exc:  # one_import_at_a_time_per_school
        raise ValidationError(ANOTHER_IMPORT) from exc
    transaction.on_commit(partial(_queue, run.pk))


@transaction.atomic
def start_import(*, school: School, content: bytes, file_name: str, fingerprint: str, by: User) -> ImportRun:
    """Keep a checked file and queue it to be applied in the background (`run_import`) once this
    transaction commits. `fingerprint` is that of the plan the user was shown.

    Refused (ValidationError) while another import of the school is queued or running; a run
    whose worker has stopped is first recorded as interrupted. Older runs' files are emptied:
    only the newest run of a school can be run again.
    Side effects: the run; older runs' files emptied; audit row `pupils.import_queued`; on
    commit, the task (or, if the broker cannot be reached, the run marked failed).
    """
    now = timezone.now()
    _mark_stopped(school, now)
    ImportRun.objects.filter(school=school).exclude(state__in=ACTIVE).update(content=b"")
    run = ImportRun(
        school=school,
        requested_by=by,
        file_name=file_name[:200],
        digest=hashlib.sha256(content).hexdigest(),
        content=content,
        fingerprint=fingerprint,
        queued_at=now,
        heartbeat=now,
    )
    run.full_clean(exclude=["school", "requested_by"], validate_constraints=False)
    _queue_on_commit(run)
    audit.record("pupils.import_queued", by=by, obj=run, school=school, summary=run.file_name)
    return run


@transaction.atomic
def retry_import(*, run: ImportRun, by: User) -> ImportRun:
    """Queue again, from the file it kept, a run that failed or whose worker stopped, if it is
    the school's newest. Refused (ValidationError) otherwise, or while another import of the
    school is queued or running. `by` becomes who asked for it.
    Side effects: the run queued again; audit row `pupils.import_queued`; on commit, the task.
    """
    now = timezone.now()
    _mark_stopped(run.school, now)
    run = ImportRun.objects.select_related("school").get(pk=run.pk)
    if not run_progress(run, now=now).can_run_again:
        raise ValidationError(CANNOT_RUN_AGAIN)
    run.state, run.requested_by, run.message, run.rows_done = ImportState.QUEUED, by, "", 0
    run.queued_at = run.heartbeat = now
    run.started_at = run.finished_at = None
    _queue_on_commit(run)
    audit.record("pupils.import_queued", by=by, obj=run, school=run.school, summary=run.file_name)
    return run


def run_import(*, run_id: int, today: date, batch_size: int = BATCH_SIZE) -> ImportRun | None:
    """Apply a queued run (`apply_import`), all or nothing, publishing its progress as it goes.

    Takes the run only if it is queued, or running with a worker that has stopped (a message
    delivered again after a worker was killed), so running twice does no harm (R12); returns
    None if it was not taken. Should the worker die, its transaction dies with it and the run,
    still "running", shows as interrupted once its heartbeat is STALE_AFTER old.
    Side effects: those of `apply_import`; the run's state, counts and progress, done in the
    import's own transaction; the file emptied once done or refused. Problems go on the run,
    refused; any other error rolls the import back and marks the run failed.
    """
    now = timezone.now()
    stopped = Q(state=ImportState.RUNNING, heartbeat__lt=now - STALE_AFTER)
    taken = ImportRun.objects.filter(Q(state=ImportState.QUEUED) | stopped, pk=run_id).update(
        state=ImportState.RUNNING, started_at=now, heartbeat=now, rows_done=0, attempts=F("attempts") + 1
    )
    if not taken:
        return None
    cache.delete(progress_key(run_id))
    run = ImportRun.objects.select_related("school", "requested_by").get(pk=run_id)
    progress = _Progress(run_id)
    try:
        with transaction.atomic():
            plan = apply_import(
                school=run.school,
                content=bytes(run.content),
                fingerprint=run.fingerprint,
                by=run.requested_by,
                today=today,
                progress=progress,
                batch_size=batch_size,
            )
            counts = {"pupils_new": len(plan.new), "pupils_updated": len(plan.updated)}
            counts |= {"pupils_unchanged": len(plan.unchanged), "status_changes": len(plan.status_changes)}
            _finish(run_id, ImportState.DONE, rows_done=len(plan.rows), rows_total=len(plan.rows), **counts)
    except ImportRefused as exc:
        problems = [{"row": p.row, "column": p.column, "message": p.message} for p in exc.plan.problems]
        _finish(run_id, ImportState.REFUSED, message=str(exc), problems=problems)
    except Exception:
        logger.exception("MIS import %s failed", run_id)
        _finish(run_id, ImportState.FAILED, message=FAILED)
    finally:
        progress.close()
    return ImportRun.objects.get(pk=run_id)


def _finish(run_id: int, state: str, **fields) -> None:
    """The run's outcome. A failed run keeps its file, to be run again; others drop it."""
    now = timezone.now()
    dropped = {} if state == ImportState.FAILED else {"content": b""}
    ImportRun.objects.filter(pk=run_id).update(
        state=state, finished_at=now, heartbeat=now, **dropped, **fields
    )
