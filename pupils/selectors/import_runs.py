"""MIS import runs: the ones a user may see, and how far each has got.

For the roles that may import (`IMPORTERS`: the SENCO team and the school administrator): every
run of their current school, whoever asked for it, so a colleague can follow or run again an
import another started. Everyone else: none.

While a run is being applied, its progress is written outside the import's transaction
(`pupils.services.imports.run_import`): to the cache under `progress_key`, and on PostgreSQL to
the run's own row too. The page reads whichever has got further.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import QuerySet

from pupils.models import RETRYABLE, ImportRun, ImportState
from pupils.permissions import IMPORTERS
from senco.models import User

# Long enough to outlast any import; the row holds the result once it is done.
PROGRESS_CACHE_SECONDS = 60 * 60


def progress_key(run_id: int) -> str:
    return f"pupils:import-run:{run_id}:progress"


@dataclass(frozen=True)
class RunProgress:
    """A run as its page shows it at one moment."""

    state: str  # an ImportState: INTERRUPTED for a run whose worker has stopped
    rows_done: int
    rows_total: int
    can_run_again: bool

    @property
    def state_label(self) -> str:
        return ImportState(self.state).label

    @property
    def percent(self) -> int:
        return self.rows_done * 100 // self.rows_total if self.rows_total else 0

    @property
    def in_progress(self) -> bool:
        return self.state in (ImportState.QUEUED, ImportState.RUNNING)

    @property
    def saving(self) -> bool:
        """Every row written, the transaction not yet committed."""
        return self.state == ImportState.RUNNING and self.rows_total and self.rows_done == self.rows_total


def import_runs_visible_to(user: User) -> QuerySet[ImportRun]:
    """The runs of the user's current school, newest first, without their files; none unless
    they may import."""
    if not user.has_role(*IMPORTERS):
        return ImportRun.objects.none()
    return ImportRun.objects.filter(school=user.school).defer("content").select_related("requested_by")


def run_progress(run: ImportRun, *, now: datetime) -> RunProgress:
    """How far `run` has got at `now`, from its row and the cache, and whether it may be run
    again: a failed or interrupted run, if it is the school's latest (a newer file supersedes it,
    and starting one empties the older runs' files). One query, for that last question."""
    live = cache.get(progress_key(run.pk)) or {}
    finished = run.state not in (ImportState.QUEUED, ImportState.RUNNING)
    rows_done = run.rows_done if finished else max(run.rows_done, live.get("rows_done", 0))
    rows_total = max(run.rows_total, live.get("rows_total", 0))
    state = run.state_at(now, heartbeat=live.get("heartbeat"))
    latest = (
        state in RETRYABLE and not ImportRun.objects.filter(school_id=run.school_id, pk__gt=run.pk).exists()
    )
    return RunProgress(state=state, rows_done=rows_done, rows_total=rows_total, can_run_again=latest)
