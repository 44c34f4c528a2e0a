"""Celery tasks of the pupils app: thin adapters around its services (R12)."""

from celery import shared_task
from django.utils import timezone

from pupils.services.register import bring_sen_changes_into_force


@shared_task
def bring_sen_changes_into_force_tonight() -> int:
    """Nightly (CELERY_BEAT_SCHEDULE): changes of SEN status agreed ahead that take effect today
    are copied onto the pupils' rows. Safe to run twice: a second run finds none due."""
    return bring_sen_changes_into_force(today=timezone.localdate())
