"""Pure calculations for EHC plans and their annual reviews: Section F hours specified against
hours delivered over the last six weeks, when the next review is due, and which phase transfer
date a pupil's year group brings. Dates come in as arguments; nothing here reads the clock or
the database (R11). Statutory dates themselves come from `senco.deadlines`."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from senco.deadlines import PhaseTransfer, annual_review_due, phase_transfer_final_by
from senco.rules import Period, SchoolCalendar, school_weeks_between

# The plan page compares Section F with the delivery log over the last six calendar weeks,
# today included: long enough to smooth a missed session, short enough to show a drift this
# half-term. Hours a week are specified for teaching weeks, so the hours expected over the window
# count only the teaching weeks in it (`senco.rules.school_weeks_between`): a half-term holiday
# in the window is not a shortfall.
DELIVERY_WINDOW_WEEKS = 6
MINUTES_AN_HOUR = Decimal(60)


def delivery_window(today: date) -> Period:
    """The six calendar weeks ending today: 42 days, today the last of them."""
    return today - timedelta(weeks=DELIVERY_WINDOW_WEEKS) + timedelta(days=1), today


def teaching_weeks_in(calendar: SchoolCalendar, window: Period) -> int:
    return school_weeks_between(calendar, window[0], window[1])


@dataclass(frozen=True)
class Stay:
    """A pupil's time in one group: from `joined_on` to the day before `left_on` (none: still in it)."""

    group_id: int
    joined_on: date
    left_on: date | None

    def covers(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)


def minutes_received(
    sessions: Iterable[tuple[int, date]],
    *,
    minutes_per_session: dict[int, int],
    stays: Iterable[Stay],
    absent: set[tuple[int, date]],
    window: Period,
) -> dict[int, int]:
    """Minutes of each group the pupil received in `window`: delivered sessions (group id, day)
    held while they were in the group, less those they were absent from."""
    by_group: dict[int, list[Stay]] = {}
    for stay in stays:
        by_group.setdefault(stay.group_id, []).append(stay)
    received: dict[int, int] = {}
    for group_id, held_on in sessions:
        if not window[0] <= held_on <= window[1] or (group_id, held_on) in absent:
            continue
        if any(stay.covers(held_on) for stay in by_group.get(group_id, ())):
            received[group_id] = received.get(group_id, 0) + minutes_per_session[group_id]
    return received


@dataclass(frozen=True)
class HoursAgainstPlan:
    """One Section F item over the window: hours the plan specifies, hours delivered through its
    linked groups, and the shortfall (never negative: more than specified is no shortfall)."""

    specified: Decimal
    delivered: Decimal
    linked: bool

    @property
    def shortfall(self) -> Decimal:
        return max(self.specified - self.delivered, Decimal(0))

    @property
    def percent(self) -> int | None:
        if self.specified <= 0:
            return None
        return round(100 * self.delivered / self.specified)


def hours_against_plan(
    *, hours_per_week: Decimal, teaching_weeks: int, group_ids: Iterable[int], received: dict[int, int]
) -> HoursAgainstPlan:
    """Hours specified over `teaching_weeks`, against the minutes received in the item's groups.
    A group linked to two items counts towards each: the SENCO links a group to the item it delivers."""
    group_ids = list(group_ids)
    minutes = sum(received.get(group_id, 0) for group_id in group_ids)
    return HoursAgainstPlan(
        specified=(hours_per_week * teaching_weeks).quantize(Decimal("0.01")),
        delivered=(Decimal(minutes) / MINUTES_AN_HOUR).quantize(Decimal("0.01")),
        linked=bool(group_ids),
    )


def next_review_due(*, issued_on: date, last_meeting_on: date | None) -> date:
    """Due 12 months from the plan's issue or, once reviewed, from the last review meeting
    (Children and Families Act 2014 s44(1); SEND Regulations 2014 reg 18)."""
    return annual_review_due(last_meeting_on or issued_on)


# The year group a pupil is in during the school year before each kind of move, for the reg 18
# dates: the plan naming the next setting must be final by then.
YEAR_BEFORE = {
    PhaseTransfer.EARLY_YEARS_TO_SCHOOL: -1,
    PhaseTransfer.INFANT_TO_JUNIOR: 2,
    PhaseTransfer.PRIMARY_TO_SECONDARY: 6,
    PhaseTransfer.SECONDARY_TO_POST16: 11,
    PhaseTransfer.POST16_TO_POST16: 13,
}
# Without a kind recorded on the plan: the moves every school has.
USUAL_TRANSFER = {6: PhaseTransfer.PRIMARY_TO_SECONDARY, 11: PhaseTransfer.SECONDARY_TO_POST16}
SCHOOL_YEAR_STARTS = 9  # September


def move_date(today: date) -> date:
    """1 September at the end of the school year `today` falls in: the day of a phase move."""
    return date(today.year + (today.month >= SCHOOL_YEAR_STARTS), SCHOOL_YEAR_STARTS, 1)


def phase_transfer_due(*, year_group: int, recorded_kind: str, today: date) -> tuple[str, date] | None:
    """The pupil's phase transfer this school year and the date its plan must be final by
    (SEND Regulations 2014 reg 18), or None if they move on next September in neither way.
    A kind recorded on the plan (an infant school's Year 2) applies in its year; otherwise the
    year group decides (Year 6 to secondary, Year 11 to post-16)."""
    if recorded_kind and YEAR_BEFORE[recorded_kind] == year_group:
        kind = recorded_kind
    else:
        kind = USUAL_TRANSFER.get(year_group)
    if kind is None:
        return None
    return kind, phase_transfer_final_by(kind, moves_on=move_date(today))
