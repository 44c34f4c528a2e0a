"""Reads about leavers: who has left, and whose records are due for review under the retention
rule in `senco.deadlines.disposal_cutoff`."""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from pupils.models import Pupil, SenStatus
from pupils.selectors.records import pupils_visible_to
from pupils.selectors.register import BY_NAME, latest_sen_change, left
from senco.deadlines import disposal_cutoff
from senco.models import User


@dataclass(frozen=True)
class Leaver:
    pupil: Pupil
    status_at_leaving: str
    keep_until: date
    due_for_review: bool


def leavers(user: User, *, today: date) -> QuerySet[Pupil]:
    """Pupils of the user's school who have left, most recent leaving date first.

    Annotated with `status_at_leaving`: the status in force the day before they left, so a
    status closed at leaving still shows what they left with.
    """
    before_leaving = latest_sen_change(today=today).filter(effective_from__lt=OuterRef("left_on"))
    return (
        left(pupils_visible_to(user), today=today)
        .annotate(
            status_at_leaving=Coalesce(Subquery(before_leaving.values("status")[:1]), Value(SenStatus.NO_SEN))
        )
        .order_by("-left_on", *BY_NAME)
    )


def due_for_review(pupils: QuerySet[Pupil], *, today: date, retention_years: int) -> QuerySet[Pupil]:
    """Leavers whose retention period has ended: a person reviews them for disposal."""
    return pupils.filter(date_of_birth__lte=disposal_cutoff(today=today, years=retention_years))


def leaver_row(pupil: Pupil, *, today: date, retention_years: int) -> Leaver:
    keep_until = pupil.retain_until(retention_years)
    return Leaver(
        pupil=pupil,
        status_at_leaving=SenStatus(pupil.status_at_leaving).label,
        keep_until=keep_until,
        due_for_review=keep_until < today,
    )
