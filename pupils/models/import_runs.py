"""MIS import runs: one checked file being applied in the background, its progress and its result."""

from datetime import datetime, timedelta

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from senco.models import School, User

# A run whose worker has not reported for this long has stopped (the worker was killed or lost
# its connection): its transaction was rolled back, so nothing was written. The worker reports
# after every batch, a second or so apart, and a queued run is taken within seconds.
STALE_AFTER = timedelta(seconds=60)


class ImportState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    DONE = "done", "Imported"
    REFUSED = "refused", "Not imported: the file has problems"
    FAILED = "failed", "Not imported"
    INTERRUPTED = "interrupted", "Stopped before it finished"


# Queued or running: at most one at a time per school (the constraint below).
ACTIVE = (ImportState.QUEUED, ImportState.RUNNING)
# A run in these states can be run again from the file it keeps.
RETRYABLE = (ImportState.FAILED, ImportState.INTERRUPTED)


class ImportRun(models.Model):
    """One MIS file applied to a school, all or nothing, by a Celery task
    (`pupils.tasks.run_mis_import`).

    The file is kept while the run may still need it (queued, running, or to be run again) and
    emptied once it is done or refused, or when a newer import of the school starts. `rows_done`
    and `heartbeat` are written outside the import's transaction while it runs, so the page can
    show how far it has got (`pupils.services.imports.run_import`).
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="import_runs")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=200, blank=True)
    digest = models.CharField("SHA-256 of the file", max_length=64)
    content = models.BinaryField(blank=True)
    fingerprint = models.CharField("Fingerprint of the plan shown", max_length=64)
    state = models.CharField(max_length=20, choices=ImportState.choices, default=ImportState.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    pupils_new = models.PositiveIntegerField(default=0)
    pupils_updated = models.PositiveIntegerField(default=0)
    pupils_unchanged = models.PositiveIntegerField(default=0)
    status_changes = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)  # [{"row", "column", "message"}]
    message = models.TextField(blank=True)  # why it stopped, in the user's words
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The worker's last sign of life (or when the run was queued): see STALE_AFTER.
    heartbeat = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-queued_at", "-id"]
        verbose_name = "MIS import"
        constraints = [
            models.UniqueConstraint(
                fields=["school"], condition=Q(state__in=ACTIVE), name="one_import_at_a_time_per_school"
            ),
            models.CheckConstraint(
                condition=Q(rows_done__lte=F("rows_total")), name="import_rows_done_within_total"
            ),
        ]

    def __str__(self) -> str:
        return f"MIS import {self.file_name or self.digest[:8]} ({self.get_state_display()})"

    def state_at(self, now: datetime, heartbeat: datetime | None = None) -> str:
        """The state as the page should show it at `now`: a queued or running run that has not
        been heard of for STALE_AFTER (its last `heartbeat`, if a fresher one is known) has
        stopped, whatever its row still says."""
        last = max(self.heartbeat, heartbeat or self.heartbeat)
        if self.state in ACTIVE and now - last > STALE_AFTER:
            return ImportState.INTERRUPTED
        return self.state
