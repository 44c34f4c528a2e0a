"""How many sessions a group should have had by now: pure functions of an explicit `today` (R11).

A group plans `sessions_per_week` sessions in each *week* it runs. Weeks are 7-day blocks
counted from the group's first day (a group that starts on a Wednesday has Wednesday-to-Tuesday
weeks), so "weeks elapsed" is a whole number and never depends on the day of the week.

A week is planned when both hold:

- it is over: it has begun and none of its school days is left, `today` included. So it counts
  from the day after its last school day (the Saturday of a Monday-to-Sunday week, the
  Wednesday of a Wednesday-to-Tuesday one, the day after the group's last day at the end). A
  week still in progress is not yet planned, so a group is never "behind" on a session that
  may still happen this afternoon, and a week with no school day left (a weekend) is not kept
  waiting;
- it is a teaching week of the school's calendar (`senco.rules.school_weeks_between`): at least
  three of its days are school days between the group's first and last days. Half-terms and
  holidays are not planned sessions, a week broken by one INSET day or a bank holiday is, and a
  final week cut short by the group's end date still counts when most of it ran. For a school
  year without term dates, every weekday that is not a bank holiday is a school day.

Delivered sessions are counted over the same weeks (from the first day up to `counted_until`),
so planned and delivered always compare like with like. A session held this week shows in the
log at once and in the figures when the week is over. Every page showing a figure says which
weeks it counts and when the week in progress will (`Window.next_week`).

Delivery below `TARGET` (80%) is flagged: below that, a structured intervention is unlikely to
have the effect its evidence promises (EEF, *Making best use of teaching assistants*).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from senco.rules import Period, SchoolCalendar, school_weeks_between

TARGET = 0.8
WEEK = timedelta(days=7)
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Window:
    """The planned weeks of one group (or one pupil's time in it) as of a day."""

    weeks: int  # teaching weeks planned so far
    counted_until: date  # exclusive end of the weeks over so far: delivery is counted before it
    # The first week not yet counted: its first day, and its last school day, after which it
    # counts (its last day if it has no school day). None once every week is counted.
    next_week: Period | None = None


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _last_school_day(calendar: SchoolCalendar, first: date, last: date) -> date | None:
    return max((day for day in _days(first, last) if calendar.is_school_day(day)), default=None)


def week_over(calendar: SchoolCalendar, first: date, last: date, *, today: date) -> bool:
    """Whether the week from `first` to `last` is over on `today`: it has begun, and no school
    day of it is left (today's own session may still happen)."""
    if first > today:
        return False
    return not any(calendar.is_school_day(day) for day in _days(today, last))


def planned_window(calendar: SchoolCalendar, *, starts_on: date, ends_on: date, today: date) -> Window:
    """The teaching weeks from `starts_on` that are over by `today` (see the module docstring)."""
    block = starts_on
    while block <= ends_on and week_over(calendar, block, min(block + WEEK - ONE_DAY, ends_on), today=today):
        block += WEEK
    weeks = school_weeks_between(calendar, starts_on, min(block - ONE_DAY, ends_on))
    next_week = None
    if block <= ends_on:
        last = min(block + WEEK - ONE_DAY, ends_on)
        next_week = (block, _last_school_day(calendar, block, last) or last)
    return Window(weeks=weeks, counted_until=block, next_week=next_week)


def count_in_window(days: Iterable[date], *, starts_on: date, window: Window) -> int:
    """How many of `days` (dates of delivered sessions) fall in the counted weeks."""
    return sum(1 for day in days if starts_on <= day < window.counted_until)


def delivery_percent(delivered: int, planned: int) -> int | None:
    """Delivered as a whole percentage of planned; None before anything is planned."""
    if planned <= 0:
        return None
    return round(100 * delivered / planned)


def below_target(delivered: int, planned: int) -> bool:
    """True when something was planned and less than 80% of it was delivered."""
    return planned > 0 and delivered < TARGET * planned
