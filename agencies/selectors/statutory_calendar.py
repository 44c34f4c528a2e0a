"""The statutory calendar: every open statutory date of the school in one list, upcoming and
overdue, for the pupils the user may see.

Each feature that owns statutory dates (EHC needs assessment requests here; annual reviews and
phase transfers with the EHC plans) registers a *provider*, as apps add to the pupil page:

    from agencies.selectors.statutory_calendar import CalendarEntry, provides_dates

    @provides_dates
    def annual_review_dates(user, *, pupils, today):
        for plan in EhcPlan.objects.filter(pupil__in=pupils).select_related("pupil"):
            yield CalendarEntry(due_on=annual_review_due(plan.issued_on), pupil=plan.pupil, ...)

A provider receives the acting user (the calendar acts as `STATUTORY_CALENDAR_READERS`: the
SENCO team and leadership), the pupils already scoped to that user and narrowed by the
register's filters, and `today`; it returns the dates still open (nothing done about them yet)
as `CalendarEntry` rows, every date from `senco.deadlines` (R11). It makes a fixed number of
queries whatever the number of pupils (a test holds the page to one budget from 50 to 500
pupils), and returns nothing the user may not see. The module registering a provider is
imported from `AgenciesConfig.ready()`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.db.models import QuerySet

from agencies.permissions import STATUTORY_CALENDAR_READERS
from pupils.models import Pupil
from pupils.selectors.records import pupils_visible_to, with_sen_status
from senco.deadlines import DUE_SOON_DAYS, closed_day_note, days_left
from senco.models import User

UPCOMING = "upcoming"
OVERDUE = "overdue"
SHOW_CHOICES = [("", "Overdue and upcoming"), (OVERDUE, "Overdue only"), (UPCOMING, "Upcoming only")]


@dataclass(frozen=True)
class CalendarEntry:
    due_on: date
    pupil: Pupil
    kind: str  # a short machine name: "ehc_request", "annual_review", "phase_transfer"
    what: str  # "Decision whether to assess", in a SENCO's words
    source: str  # the rule, for the reader: "6 weeks from receipt (SEND Regs 2014 reg 5)"
    url: str  # the record the date belongs to
    whose: str = "LA"  # who must act: "LA", "School", "Parent"
    detail: str = ""  # a qualifier shown with the date: "estimated receipt", an exemption

    @property
    def closed_day(self) -> str:
        return closed_day_note(self.due_on)


@dataclass(frozen=True)
class CalendarRow:
    entry: CalendarEntry
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return max(-self.days_left, 0)

    @property
    def due_soon(self) -> bool:
        return 0 <= self.days_left <= DUE_SOON_DAYS


class DateProvider(Protocol):
    def __call__(self, user: User, *, pupils: QuerySet[Pupil], today: date) -> Iterable[CalendarEntry]: ...


_providers: list[DateProvider] = []


def provides_dates(provider: DateProvider) -> DateProvider:
    """Add a provider of statutory dates to the calendar; returns it unchanged, so it can be used
    as a decorator. Adding the same function twice adds it once."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def calendar_pupils(user: User, *, today: date) -> QuerySet[Pupil]:
    """The pupils whose dates the calendar may show, with their SEN status on `today` for the
    register's filters: the whole school for the SENCO team and leadership
    (STATUTORY_CALENDAR_READERS), nobody for anyone else."""
    acting = user.acting_as(STATUTORY_CALENDAR_READERS)
    if not acting.has_role(*STATUTORY_CALENDAR_READERS):
        return Pupil.objects.none()
    return with_sen_status(pupils_visible_to(acting), today=today)


def statutory_calendar(
    user: User, *, pupils: QuerySet[Pupil], today: date, show: str = ""
) -> list[CalendarRow]:
    """Every provider's open dates for `pupils` (already scoped to `user` and filtered), overdue
    first, then by date; `show` keeps only the overdue or only the upcoming ones."""
    rows = [
        CalendarRow(entry=entry, days_left=days_left(entry.due_on, today=today))
        for provider in _providers
        for entry in provider(user, pupils=pupils, today=today)
    ]
    if show == OVERDUE:
        rows = [row for row in rows if row.overdue]
    elif show == UPCOMING:
        rows = [row for row in rows if not row.overdue]
    return sorted(rows, key=lambda row: (row.entry.due_on, row.entry.pupil.last_name, row.entry.pupil.pk))


@dataclass(frozen=True)
class CalendarCounts:
    overdue: int
    due_soon: int  # within the next two weeks, today included


def calendar_counts(user: User, *, today: date) -> CalendarCounts:
    """How many open statutory dates of the pupils the user may see have passed, and how many
    fall in the next two weeks: the figures on the SENCO's and the head's home pages."""
    rows = statutory_calendar(user, pupils=calendar_pupils(user, today=today), today=today)
    return CalendarCounts(
        overdue=sum(1 for row in rows if row.overdue), due_soon=sum(1 for row in rows if row.due_soon)
    )
