"""Writes about the SEN register as a whole, and the copy of each pupil's current SEN status
that the register reads."""

from datetime import date

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from pupils.models import Pupil, SenStatusChange
from pupils.selectors.records import sen_history_in_force, settled_day
from senco import audit
from senco.models import User


@transaction.atomic
def record_register_exported(*, by: User, filters: str, rows: int, columns: list[str]) -> None:
    """Audit one export of the SEN register: one row however many pupils it holds.

    `filters` describes the filters in use (no free text about a child); the columns go in
    `fields`, as a change lists the fields it touched. Side effects: audit row `register.exported`.
    """
    audit.record(
        "register.exported",
        by=by,
        school=by.school,
        summary=f"{rows} pupil{'' if rows == 1 else 's'}; {filters}",
        fields=columns,
    )


def sync_current_sen_status(*, pupil_ids, today: date) -> None:
    """Copy onto each pupil's row the SEN history entry in force on `today` (`Pupil.sen_status_now`
    and its neighbours) and the date of the next change agreed ahead: one UPDATE however many
    pupils. Every write to the history calls it in the same transaction; the history stays the
    record, and `with_sen_status` reads the copy only for the days it answers for.
    Side effects: none beyond the copy (the history change it follows is audited)."""
    in_force = sen_history_in_force(today=today)
    ahead = SenStatusChange.objects.filter(pupil=OuterRef("pk"), effective_from__gt=today).order_by(
        "effective_from"
    )
    Pupil.objects.filter(pk__in=pupil_ids).update(
        sen_status_now=Subquery(in_force.values("status")[:1]),
        primary_need_now=Subquery(in_force.values("primary_need_id")[:1]),
        secondary_need_now=Subquery(in_force.values("secondary_need_id")[:1]),
        sen_status_since=Subquery(in_force.values("effective_from")[:1]),
        next_sen_change_on=Subquery(ahead.values("effective_from")[:1]),
    )
    if today != timezone.localdate():
        settled_day.forget()  # a copy taken on another day may not answer for today


def bring_sen_changes_into_force(*, today: date) -> int:
    """Refresh the copy for every pupil whose change agreed ahead takes effect by `today`, at any
    school (the nightly task), and say how many. Until it runs, `with_sen_status` reads those
    pupils from the history, so nobody sees a stale status in between."""
    due = list(Pupil.objects.filter(next_sen_change_on__lte=today).values_list("pk", flat=True))
    if due:
        sync_current_sen_status(pupil_ids=due, today=today)
    return len(due)
