"""Celery tasks of the pupils app: thin adapters around one service each (R12)."""

from celery import shared_task
from django.utils import timezone


@shared_task
def run_mis_import(*, run_id: int) -> None:
    """Apply one queued MIS import (`pupils.services.import_runs.run_import`). Safe to run twice:
    a run already taken, done or refused is left alone. Not retried: a run that fails is marked
    failed, all or nothing, for the user to run again."""
    # Imported here: the service queues this task, so it imports this module.
    from pupils.services.import_runs import run_import

    run_import(run_id=run_id, today=timezone.localdate())
