"""Celery tasks of the pupils app: thin adapters around one service each (R12)."""

from celery import shared_task
from django.utils import timezone

from pupils.services.register import bring_sen_changes_into_force


@shared_task
def bring_sen_changes_into_force_tonight() -> int:
    """Nightly (CELERY_BEAT_SCHEDULE): changes of SEN status agreed ahead that take effect today
    are copied onto the pupils' rows. Safe to run twice: a second run finds none due."""
    return bring_sen_changes_into_force(today=timezone.localdate())


@shared_task
def run_mis_import(*, run_id: int) -> None:
    """Apply one queued MIS import (`pupils.services.import_runs.run_import`). Safe to run twice:
    a run already taken, done or refused is left alone. Not retried: a run that fails is marked
    failed, all or nothing, for the user to run again."""
    # Imported here: the service queues this task, so it imports this module.
    from pupils.services.import_runs import run_import

    run_import(run_id=run_id, today=timezone.localdate())


@shared_task
def prepare_subject_access_export(*, export_id: int) -> None:
    """Write one queued subject access export's files
    (`pupils.services.subject_access.prepare_subject_access_export`). Safe to run twice: an
    export already taken, ready or failed is left alone. Not retried: one that fails is marked
    failed, for the user to prepare again."""
    # Imported here: the service queues this task, so it imports this module.
    from pupils.services.subject_access import prepare_subject_access_export as prepare

    prepare(export_id=export_id, today=timezone.localdate())
