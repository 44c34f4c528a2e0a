"""Reads about leavers: who has left, and whose records are due for review under the retention
rule in `senco.deadlines.disposal_cutoff`.

Two periods (IRMS Information Management Toolkit for Schools): a leaver with an SEN record is
kept until date of birth + `sen_years` (SEN files, the school's own `sen_retention_years`); any
other leaver until date of birth + `record_years`, the school's general period for the pupil's
record (`PUPIL_RECORD_RETENTION_YEARS`). An SEN record is anything
in the SENCO team's file on the child: a status other than "no SEN" at any time (monitoring
included), a concern, a pupil passport or a contact log entry.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from pupils.models import (
    Concern,
    ContactLogEntry,
    LegalHold,
    Passport,
    Pupil,
    SenStatus,
    SenStatusChange,
)
from pupils.selectors.records import pupils_visible_to
from pupils.selectors.register import BY_NAME, latest_sen_change, left
from senco.deadlines import disposal_cutoff
from senco.models import School, User


@dataclass(frozen=True)
class Leaver:
    pupil: Pupil
    status_at_leaving: str
    keep_until: date
    record_kind: str  # "SEN record", or "Pupil record" for a leaver who never had one
    years: int  # the period that applies, in years after the date of birth
    due_for_review: bool
    on_hold: bool  # a legal hold keeps it whatever the date
    extra: tuple[str, ...] = ()  # the cells of the columns other apps add (`leaver_columns`)

    @property
    def kept_as(self) -> str:
        """Which record's period applies, and how long it is."""
        return f"{self.record_kind}: date of birth + {self.years} years"


def retention_years(school: School) -> dict[str, int]:
    """The two periods for a school's leavers, as `due_for_review` and `leaver_row` take them."""
    return {"sen_years": school.sen_retention_years, "record_years": settings.PUPIL_RECORD_RETENTION_YEARS}


def _had_sen_record() -> ExpressionWrapper:
    def of_pupil(model):
        return Exists(model.objects.filter(pupil=OuterRef("pk")))

    ever_on_watch_or_register = Exists(
        SenStatusChange.objects.filter(pupil=OuterRef("pk")).exclude(status=SenStatus.NO_SEN)
    )
    return ExpressionWrapper(
        Q(ever_on_watch_or_register)
        | Q(of_pupil(Concern))
        | Q(of_pupil(Passport))
        | Q(of_pupil(ContactLogEntry)),
        output_field=BooleanField(),
    )


def leavers(user: User, *, today: date) -> QuerySet[Pupil]:
    """Pupils of the user's school who have left, most recent leaving date first.

    Annotated with `status_at_leaving`: the status in force the day before they left, so a
    status closed at leaving still shows what they left with; `had_sen_record`, which decides
    the retention period; and `on_hold`, a legal hold in force.
    """
    before_leaving = latest_sen_change(today=today).filter(effective_from__lt=OuterRef("left_on"))
    return (
        left(pupils_visible_to(user), today=today)
        .annotate(
            status_at_leaving=Coalesce(
                Subquery(before_leaving.values("status")[:1]), Value(SenStatus.NO_SEN)
            ),
            had_sen_record=_had_sen_record(),
            on_hold=Exists(LegalHold.objects.filter(pupil=OuterRef("pk"), lifted_at__isnull=True)),
        )
        .order_by("-left_on", *BY_NAME)
    )


def due_for_review(
    pupils: QuerySet[Pupil], *, today: date, sen_years: int, record_years: int
) -> QuerySet[Pupil]:
    """Leavers (from `leavers`) whose retention period has ended: a person reviews them for disposal."""
    return pupils.filter(
        Q(had_sen_record=True, date_of_birth__lte=disposal_cutoff(today=today, years=sen_years))
        | Q(had_sen_record=False, date_of_birth__lte=disposal_cutoff(today=today, years=record_years))
    )


def leaver_row(pupil: Pupil, *, today: date, sen_years: int, record_years: int) -> Leaver:
    """A leaver from `leavers` as the list shows them."""
    record_kind, years = ("SEN record", sen_years) if pupil.had_sen_record else ("Pupil record", record_years)
    keep_until = pupil.retain_until(years)
    return Leaver(
        pupil=pupil,
        status_at_leaving=SenStatus(pupil.status_at_leaving).label,
        keep_until=keep_until,
        record_kind=record_kind,
        years=years,
        due_for_review=keep_until < today,
        on_hold=pupil.on_hold,
    )


@dataclass(frozen=True)
class LeaverColumn:
    """A column an app higher up adds to the leavers list: its heading, and the text of its cell
    for each pupil id (a pupil missing from `cells` gets an empty cell)."""

    heading: str
    cells: dict[int, str]


LeaverColumnFunction = Callable[..., LeaverColumn | None]
_leaver_columns: list[LeaverColumnFunction] = []


def contribute_leaver_column(function: LeaverColumnFunction) -> LeaverColumnFunction:
    """Register `function(user, pupils, today=...)`, called with one page of leavers, which
    returns its column in a fixed number of queries, or None for a user who may not see it. An
    app calls this from its `AppConfig.ready()` (the transitions app: when the CTF and
    educational record are due, and whether the transfer pack went)."""
    if function not in _leaver_columns:
        _leaver_columns.append(function)
    return function


def leaver_columns(user: User, pupils: list[Pupil], *, today: date) -> list[LeaverColumn]:
    """The contributed columns for one page of leavers, as `user` may see them."""
    columns = (function(user, pupils, today=today) for function in _leaver_columns)
    return [column for column in columns if column is not None]
