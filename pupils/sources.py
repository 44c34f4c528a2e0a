"""The pupils app's own contributions to the chronology (see pupils/chronology.py)."""

from pupils.chronology import ChronologyEvent, register_source
from pupils.models import Pupil
from senco.models import User


@register_source
def sen_status_events(pupil: Pupil, user: User) -> list[ChronologyEvent]:
    return [
        ChronologyEvent(
            on=change.effective_from,
            kind="sen_status",
            title=f"SEN status: {change.get_status_display()}",
            detail=", ".join(need.code for need in (change.primary_need, change.secondary_need) if need),
            by=str(change.recorded_by or ""),
        )
        for change in pupil.sen_history.select_related("primary_need", "secondary_need", "recorded_by")
    ]
