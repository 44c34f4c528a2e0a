"""What provision costs: the one place that turns groups and placements into money, for a costed
provision map (CoP 6.76-6.77).

Pure functions of explicit arguments: nothing here queries the database or reads the clock.
`provision/selectors/budget.py` fetches the rows up front and hands them over as `GroupCosting`
and `Stay` values, so a page with hundreds of placements costs a handful of queries.

Decisions, in the order a cost is built:

- **Planned cost, not delivered.** A group costs what its plan books: its dates, sessions per week,
  minutes and staff. Cancelled sessions in the delivery log do not reduce it (the staff were
  still paid for that time).
- **Weeks.** A group runs from `starts_on` to `ends_on`, both included, in 7-day blocks counted
  from `starts_on`. Where the school has term dates for the school year, a block is a planned
  week when it is a teaching week (`senco.rules.school_weeks_between`: at least three school
  days), the same weeks the delivery log plans, so holidays cost nothing: 7 September 2026 to
  16 July 2027 is 38 weeks, not 45. For a school year without term dates the rule falls back to
  weekdays: every whole block is a week and the days left over count a fifth of a week for each
  Monday-to-Friday day. So, without term dates, Monday 14 September to Friday 11 December is 13
  weeks, Tuesday 2 March to Monday 26 April 2027 is 8 weeks and 1-29 February 2028 is 4 1/5
  weeks (29 February was a Tuesday).
- **Group cost.** Staff time + the programme's fee + resources, where staff time is the sum of
  the hourly rates of the staff in each session x minutes/60 x sessions per week x weeks. A
  bought-in programme run by our staff costs its fee *and* their time; one run by an outside
  specialist, with none of our staff named, its fee alone. The fee and resources are per group,
  whatever its length.
- **Rates with effective dates.** A staff rate's hourly cost, and an intervention's fee and
  resources, are `DatedAmount`s: each amount is in force from the day it applies from until the
  next, and a rate's first amount applies from the start. Staff time is the group's planned
  hours spread over its days as its cost is (below), each day priced at the rates in force that
  day, so a change on 1 September re-prices only the days from 1 September. The fee and resources
  are bought once, when a group starts: a group pays those in force on its first day.
- **Whose time.** A group is costed with its own staff: each member named on it at their own
  rate, or the intervention's rate if they have none, each day at the rate they had that day
  (`member_rate`: a move to another rate applies from a day, as a new hourly cost does). A
  group naming nobody yet is costed as the catalogue plans it: the intervention's rate x its
  staff per session.
- **Spreading over time.** A group's cost is spread over the days it runs: in a school year with
  term dates, evenly over its school days (holidays carry nothing); in one without, evenly over
  its calendar days, as before term dates existed. A school day carries a fifth of a week and a
  calendar day a seventh, so a group running across both kinds of year is weighed fairly. Its
  cost in a window (a financial year, say) is its cost x its weight in the window / its whole
  weight; so a group spanning the end of the financial year is split by the days it runs in each.
- **Pupils' shares.** Each day's cost is shared equally by the pupils in the group that day
  (pupil-days): a pupil joining midway pays only from the day they joined, one leaving early
  only up to the day before they left (`left_on` is their first day out, as for
  `Pupil.left_on` and the delivery log), a group of one carries the whole cost, and a day with
  nobody in the group is *unallocated*, reported as such.
- **Rounding.** Amounts stay unrounded `Decimal` through every sum; the pages round to pence
  (half up, Django's `floatformat`) only for display. A total is the rounded sum of unrounded
  parts, so a column of rounded rows can differ from its total by a penny or two.
- **Any date.** The helpers work on any dates Python can hold (1 January year 1 to 31 December
  9999) without overflowing, so one badly dated row cannot break a page for everyone: a
  financial year at either end of the calendar is cut to the dates that exist.
- **Financial years** start in April, or in September for an academy that keeps the academy
  year (`School.financial_year_starts`); every split by year, the budget and the £6,000 threshold
  follow the school's choice.
- **Other spend.** What the notional SEN budget pays for besides groups (in-class support, SENCO
  time, bought-in services, training) is entered once a year as hours at a staff rate or as an
  amount (`spend_cost`); it counts in the year's spend but belongs to no pupil.
- **Element 2 threshold.** A pupil whose provision in one financial year exceeds £6,000 is
  flagged: element 2 covers the first £6,000 a year from the notional SEN budget, and spend
  above that is evidence for an element 3 top-up or an EHC needs assessment (CoP 6.99; DfE, High
  needs funding: operational guide).
- **Element 3** is recorded per pupil for a financial year (the local authority's top-up), so
  the flag says whether a pupil over £6,000 has one, and the part of their provision above
  £6,000 their own top-up does not cover is counted pupil by pupil: one pupil's unused top-up
  never covers another's.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date, timedelta
from decimal import Decimal
from functools import lru_cache, partial
from itertools import pairwise

from senco import rules as dates
from senco.rules import SchoolCalendar

ELEMENT2_THRESHOLD = Decimal("6000")
ZERO = Decimal("0")
ONE_DAY = timedelta(days=1)
NO_TERM_DATES = SchoolCalendar()


@dataclass(frozen=True, order=True)
class DateRange:
    """Whole days from `starts_on` to `ends_on`, both included."""

    starts_on: date
    ends_on: date

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def overlap(self, other: "DateRange") -> "DateRange | None":
        starts_on, ends_on = max(self.starts_on, other.starts_on), min(self.ends_on, other.ends_on)
        return DateRange(starts_on, ends_on) if starts_on <= ends_on else None


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A school's financial year, named by its starting year: 1 April to 31 March, or for an
    academy keeping the academy year (`starts_in_month` 9) 1 September to 31 August."""

    start_year: int
    starts_in_month: int = 4

    @property
    def starts_on(self) -> date:
        # Financial year 0 (1 January to 31 March of year 1) starts on the first date there is.
        return date(self.start_year, self.starts_in_month, 1) if self.start_year >= MINYEAR else date.min

    @property
    def ends_on(self) -> date:
        # Financial year 9999 would end in year 10000; it ends on the last date there is.
        if self.start_year >= MAXYEAR:
            return date.max
        return date(self.start_year + 1, self.starts_in_month, 1) - ONE_DAY

    @property
    def window(self) -> DateRange:
        return DateRange(self.starts_on, self.ends_on)

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    def __str__(self) -> str:
        return self.label


def financial_year_of(day: date, *, starts_in_month: int = 4) -> FinancialYear:
    """The financial year containing `day`: str(financial_year_of(date(2027, 3, 31))) == "2026-27"."""
    return FinancialYear(dates.financial_year_of(day, starts_in_month=starts_in_month), starts_in_month)


def final_before(today: date, *, starts_in_month: int = 4) -> date:
    """The first day whose cost may still change: the first of the financial year containing
    `today`. Every earlier financial year has ended, and its cost is final: a rate or cost may
    change from this day on, never before it."""
    return financial_year_of(today, starts_in_month=starts_in_month).starts_on


def ended_year_problem(day: date, *, today: date, starts_in_month: int = 4) -> str | None:
    """Why a change from `day` is refused, if it is: `day` falls in a financial year that has
    ended, whose cost never moves."""
    first_open = final_before(today, starts_in_month=starts_in_month)
    if day >= first_open:
        return None
    ended = financial_year_of(day, starts_in_month=starts_in_month)
    return (
        f"The {ended} financial year has ended, so its costs are final: "
        f"choose {first_open.day} {first_open:%B %Y} or later."
    )


def financial_years_in(period: DateRange, *, starts_in_month: int = 4) -> list[FinancialYear]:
    first = financial_year_of(period.starts_on, starts_in_month=starts_in_month)
    last = financial_year_of(period.ends_on, starts_in_month=starts_in_month)
    return [FinancialYear(year, starts_in_month) for year in range(first.start_year, last.start_year + 1)]


@dataclass(frozen=True)
class CostCalendar:
    """What a cost needs to know about a school's dates: its term dates (`senco.selectors.
    school_calendar`; none recorded by default) and the month its financial year starts."""

    terms: SchoolCalendar = NO_TERM_DATES
    financial_year_starts: int = 4

    def financial_years_in(self, period: DateRange) -> list[FinancialYear]:
        return financial_years_in(period, starts_in_month=self.financial_year_starts)

    def school_years_without_term_dates(self, period: DateRange) -> list[int]:
        """The school years (by start year) touching `period` that have no term dates, whose
        weeks are counted by weekdays instead."""
        first, last = dates.academic_year_of(period.starts_on), dates.academic_year_of(period.ends_on)
        return [year for year in range(first, last + 1) if year not in self.terms.years]


# No term dates and an April year: how provision was costed before schools had calendars.
APRIL_WITHOUT_TERM_DATES = CostCalendar()


def _school_year(start_year: int) -> DateRange | None:
    if not MINYEAR <= start_year < MAXYEAR:
        return None
    return DateRange(date(start_year, 9, 1), date(start_year + 1, 8, 31))


def _remembered(calendar: SchoolCalendar, key: Hashable, work: Callable[[], object]):
    """`work()`, remembered on the calendar for as long as it lives (one request or task), as
    `SchoolCalendar.is_school_day` remembers its days: a school's groups are priced over the same
    years and weeks, many times a page."""
    known = calendar.__dict__.setdefault("_cost_figures", {})
    if key not in known:
        known[key] = work()
    return known[key]


def _covered_years(calendar: SchoolCalendar) -> tuple[DateRange, ...]:
    """The school years with term dates, oldest first, as date ranges."""

    def years() -> tuple[DateRange, ...]:
        return tuple(year for year in map(_school_year, sorted(calendar.years)) if year)

    return _remembered(calendar, "covered_years", years)


def _covered_parts(calendar: SchoolCalendar, period: DateRange) -> list[DateRange]:
    """The parts of `period` in school years with term dates."""
    parts = (period.overlap(year) for year in _covered_years(calendar))
    return [part for part in parts if part]


# The day a rate's first amount applies from: the start, so it prices any group, however early.
FROM_THE_START = date.min


@dataclass(frozen=True)
class DatedAmount:
    """An amount with the days it applies from: `changes` are (applies from, amount) in date
    order, one per date, each in force from its day until the next one's. Before the first,
    nothing is recorded and it is nothing; a rate's first amount applies `FROM_THE_START`."""

    changes: tuple[tuple[date, Decimal | None], ...] = ()

    @classmethod
    def always(cls, amount: Decimal | None) -> "DatedAmount":
        """One amount that has always applied (none recorded: nothing)."""
        return cls(((FROM_THE_START, ZERO if amount is None else amount),))

    def on(self, day: date) -> Decimal:
        """The amount in force on `day`: the latest applying on or before it (None, such as no
        fee, is nothing)."""
        index = bisect_right(self.changes, day, key=lambda change: change[0])
        amount = self.changes[index - 1][1] if index else None
        return ZERO if amount is None else amount

    def changes_within(self, period: DateRange) -> set[date]:
        """The days of `period`, after its first, from which the amount changes."""
        return {day for day, _ in self.changes if period.starts_on < day <= period.ends_on}


def member_rate(own: Sequence[tuple[date, DatedAmount | None]], *, default: DatedAmount) -> DatedAmount:
    """A member of staff's hourly rate over time: from each day of `own` (the rates they are
    costed at from that day, oldest first; None for no rate of their own) that rate's amounts;
    before the first, and while None, `default`, the intervention's."""

    def rate_on(day: date) -> DatedAmount:
        index = bisect_right(own, day, key=lambda change: change[0])
        rate = own[index - 1][1] if index else None
        return default if rate is None else rate

    rates = [rate for _, rate in own if rate is not None]
    days = {FROM_THE_START} | {day for day, _ in own}
    days |= {day for rate in (*rates, default) for day, _ in rate.changes}
    changes: list[tuple[date, Decimal]] = []
    for day in sorted(days):
        amount = rate_on(day).on(day)
        if not changes or changes[-1][1] != amount:
            changes.append((day, amount))
    return DatedAmount(tuple(changes))


def _dated(amount: "DatedAmount | Decimal | None") -> DatedAmount:
    return amount if isinstance(amount, DatedAmount) else DatedAmount.always(amount)


@dataclass(frozen=True)
class GroupCosting:
    """What prices one provision group: its plan, the hourly rate of each member of staff in each
    session (`staff_rates_for`), and its intervention's fee and resources, each a `DatedAmount`
    (a plain amount is one that has always applied)."""

    group_id: int
    intervention_id: int
    starts_on: date
    ends_on: date
    sessions_per_week: int
    minutes_per_session: int
    staff_rates: tuple[DatedAmount | Decimal, ...] = ()
    fee: DatedAmount | Decimal = ZERO
    resources_cost: DatedAmount | Decimal = ZERO

    def __post_init__(self) -> None:
        object.__setattr__(self, "staff_rates", tuple(map(_dated, self.staff_rates)))
        object.__setattr__(self, "fee", _dated(self.fee))
        object.__setattr__(self, "resources_cost", _dated(self.resources_cost))

    @property
    def period(self) -> DateRange:
        return DateRange(self.starts_on, self.ends_on)

    def rate_changes(self, period: DateRange) -> set[date]:
        """The days of `period`, after its first, from which a member of staff's rate changes."""
        return set().union(*(rate.changes_within(period) for rate in self.staff_rates))


@dataclass(frozen=True)
class Stay:
    """One pupil's time in one group: from `joined_on` (their first day in) up to `left_on` (their
    first day out, not included), as everywhere else; no `left_on` means they are still in."""

    pupil_id: int
    joined_on: date
    left_on: date | None = None


def _weekday_weeks(starts_on: date, ends_on: date) -> Decimal:
    """Without term dates: whole 7-day blocks, plus left-over weekdays at a fifth of a week each."""
    days = (ends_on - starts_on).days + 1
    whole, left_over = divmod(days, 7)
    # The left-over days are the last ones, counted back from `ends_on` (never past date.max).
    weekdays = sum(1 for offset in range(left_over) if (ends_on - timedelta(days=offset)).weekday() < 5)
    return Decimal(whole) + Decimal(weekdays) / 5


def planned_weeks(starts_on: date, ends_on: date, calendar: SchoolCalendar = NO_TERM_DATES) -> Decimal:
    """The weeks a group runs (see the module docstring): teaching weeks where the school has
    term dates, weekdays where it has none. A block touching a school year with term dates is a
    week when it has at least `SCHOOL_WEEK_MIN_DAYS` school days: `senco.rules.
    school_weeks_between`'s rule, counted from the school days looked up once a year."""
    if not _covered_parts(calendar, DateRange(starts_on, ends_on)):
        return _weekday_weeks(starts_on, ends_on)
    weeks, block = ZERO, starts_on
    while True:
        block_last = block + timedelta(days=min(6, (ends_on - block).days))
        if calendar.covers(block) or calendar.covers(block_last):
            school_days = _school_days(calendar, DateRange(block, block_last))
            weeks += 1 if school_days >= dates.SCHOOL_WEEK_MIN_DAYS else 0
        else:
            weeks += _weekday_weeks(block, block_last)
        if block_last >= ends_on:
            return weeks
        block = block_last + ONE_DAY


@lru_cache(maxsize=64)
def _running_totals(calendar: SchoolCalendar, start_year: int) -> tuple[int, ...]:
    year = _school_year(start_year)
    running = [0]
    for offset in range(year.days):
        running.append(running[-1] + calendar.is_school_day(year.starts_on + timedelta(days=offset)))
    return tuple(running)


def _running_school_days(calendar: SchoolCalendar, start_year: int) -> tuple[int, ...]:
    """School days of one school year with term dates, as running totals from 1 September:
    each day is looked up once, however many groups and pieces are priced, and kept for the
    next request with the same calendar (the calendar is hashed once a request, not per piece)."""
    return _remembered(
        calendar, ("running_school_days", start_year), partial(_running_totals, calendar, start_year)
    )


def _covered_school_days(calendar: SchoolCalendar, period: DateRange) -> tuple[int, int]:
    """(School days, all days) of `period` that fall in school years with term dates."""
    school_days = covered_days = 0
    for part in _covered_parts(calendar, period):
        start_year = dates.academic_year_of(part.starts_on)
        running = _running_school_days(calendar, start_year)
        first = (part.starts_on - _school_year(start_year).starts_on).days
        school_days += running[first + part.days] - running[first]
        covered_days += part.days
    return school_days, covered_days


def _school_days(calendar: SchoolCalendar, block: DateRange) -> int:
    """School days in a block of up to a week; days outside the covered years count as the
    calendar counts them there (weekdays that are not bank holidays)."""
    school_days, covered_days = _covered_school_days(calendar, block)
    if covered_days < block.days:
        school_days += sum(
            1
            for offset in range(block.days)
            if not calendar.covers(day := block.starts_on + timedelta(days=offset))
            and calendar.is_school_day(day)
        )
    return school_days


SCHOOL_DAY_WEIGHT, CALENDAR_DAY_WEIGHT = 7, 5  # a fifth and a seventh of a week, x 35


def _weight(calendar: SchoolCalendar, period: DateRange) -> int:
    """How much of a group's running time `period` holds: 7 for each school day in a school year
    with term dates (a fifth of a week) and 5 for each calendar day in one without (a seventh)."""
    school_days, covered_days = _covered_school_days(calendar, period)
    return SCHOOL_DAY_WEIGHT * school_days + CALENDAR_DAY_WEIGHT * (period.days - covered_days)


def staff_rates_for(
    own_rates: Sequence[DatedAmount | Decimal | None],
    *,
    default_rate: DatedAmount | Decimal | None,
    default_count: int,
) -> tuple[DatedAmount | Decimal, ...]:
    """The hourly rate of each member of staff in a session: each named member's own rate, or
    `default_rate` (the intervention's) for one without; nobody named, `default_count` staff at
    `default_rate`. A rate nobody has recorded costs nothing."""
    fallback = ZERO if default_rate is None else default_rate
    if not own_rates:
        return (fallback,) * default_count
    return tuple(fallback if rate is None else rate for rate in own_rates)


def weekly_staff_cost(group: GroupCosting, day: date | None = None) -> Decimal:
    """Staff cost of one planned week at the rates in force on `day` (default: the group's first):
    the staff's rates x hours per session x sessions."""
    day = group.starts_on if day is None else day
    hours = Decimal(group.minutes_per_session) / 60
    return sum((rate.on(day) for rate in group.staff_rates), ZERO) * hours * group.sessions_per_week


def _cost_at_rates_of(group: GroupCosting, day: date, weeks: Decimal) -> Decimal:
    """The group's whole cost were the staff rates in force on `day` in force throughout: staff
    time over its `weeks`, plus the fee and resources in force on its first day."""
    staff_time = weekly_staff_cost(group, day) * weeks
    return staff_time + group.fee.on(group.starts_on) + group.resources_cost.on(group.starts_on)


def _weigher(group: GroupCosting, calendar: SchoolCalendar) -> tuple[Callable[[DateRange], int], int]:
    """How the group's cost is spread over its days (`_weight`), and its whole weight: by calendar
    days for a group dated wholly in the holidays."""
    weigh = partial(_weight, calendar)
    if not weigh(group.period):
        weigh = _calendar_days
    return weigh, weigh(group.period)


def _pieces(period: DateRange, cuts: set[date]) -> list[DateRange]:
    """`period` cut into pieces, each starting on its first day or on one of `cuts` inside it."""
    starts = sorted({period.starts_on} | {day for day in cuts if period.starts_on < day <= period.ends_on})
    ends = [day - ONE_DAY for day in starts[1:]] + [period.ends_on]
    return [DateRange(start, end) for start, end in zip(starts, ends, strict=True)]


def group_cost(group: GroupCosting, calendar: SchoolCalendar = NO_TERM_DATES) -> Decimal:
    """The whole planned cost of a group, unrounded: staff time, the fee and resources. Where a
    rate changes while it runs, each stretch costs its share of the group's days at its rates."""
    weeks = planned_weeks(group.starts_on, group.ends_on, calendar)
    pieces = _pieces(group.period, group.rate_changes(group.period))
    if len(pieces) == 1:
        return _cost_at_rates_of(group, group.starts_on, weeks)
    weigh, whole = _weigher(group, calendar)
    return sum(
        (_cost_at_rates_of(group, piece.starts_on, weeks) * weigh(piece) / whole for piece in pieces), ZERO
    )


@dataclass(frozen=True)
class Allocation:
    """A group's cost in a window, shared out: pupil id -> share, the part of each share for days
    the pupil was not on the SEN register, and what nobody was there for."""

    shares: dict[int, Decimal]
    unallocated: Decimal
    off_register: dict[int, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum(self.shares.values(), ZERO) + self.unallocated


# Each pupil's days on the SEN register (SEN support or an EHC plan), from `register_periods`.
Register = dict[int, tuple[DateRange, ...]]


def register_periods(history: Iterable[tuple[int, date, bool]]) -> Register:
    """Each pupil's periods on the SEN register from their dated status history: rows of
    (pupil id, effective from, whether the status is on the register), in the order the entries
    take effect (by date, then as recorded). Of two entries on one day the later is the status,
    as everywhere else; the last period runs on (to `date.max`)."""
    changes: dict[int, list[tuple[date, bool]]] = defaultdict(list)
    for pupil_id, day, on_register in history:
        changes[pupil_id].append((day, on_register))
    periods: Register = {}
    for pupil_id, entries in changes.items():
        spans, since = [], None
        for (day, on_register), following in zip(entries, [*entries[1:], None], strict=True):
            if following is not None and following[0] == day:
                continue  # superseded the same day
            if on_register and since is None:
                since = day
            elif not on_register and since is not None:
                spans.append(DateRange(since, day - ONE_DAY))
                since = None
        if since is not None:
            spans.append(DateRange(since, date.max))
        periods[pupil_id] = tuple(spans)
    return periods


def _on_register(periods: tuple[DateRange, ...], day: date) -> bool:
    return any(period.starts_on <= day <= period.ends_on for period in periods)


def presence(stay: Stay, period: DateRange) -> DateRange | None:
    """The days of `period` on which the pupil was in the group: the one place that reads
    `left_on`, their first day out (so their last day in is the day before)."""
    if stay.left_on is None:
        return DateRange(stay.joined_on, period.ends_on).overlap(period)
    if stay.left_on <= stay.joined_on:
        return None  # taken out the day they joined: never in the group
    return DateRange(stay.joined_on, stay.left_on - ONE_DAY).overlap(period)


def share_group_cost(
    group: GroupCosting,
    stays: Iterable[Stay],
    window: DateRange | None = None,
    *,
    calendar: SchoolCalendar = NO_TERM_DATES,
    register: Register | None = None,
) -> Allocation:
    """Share the group's cost in `window` (default: its whole period) among its pupils by the
    days they were in it, each day weighed by `_weight`.

    The period is cut wherever a pupil joins or leaves, or (given their `register` periods) goes
    on or off the SEN register, and wherever a staff rate changes; within each piece every pupil
    present pays the same, at the rates in force; a piece with nobody present is unallocated.
    Without `register`, every pupil counts as on the register.
    """
    period = group.period if window is None else group.period.overlap(window)
    if period is None:
        return Allocation({}, ZERO)
    weeks = planned_weeks(group.starts_on, group.ends_on, calendar)
    weigh, total_weight = _weigher(group, calendar)
    present = [(stay.pupil_id, days) for stay in stays if (days := presence(stay, period))]
    # Cut points as day numbers: "the day after" 31 December 9999 is a number but not a date.
    cuts = {period.starts_on.toordinal(), period.ends_on.toordinal() + 1}
    cuts |= {day.toordinal() for day in group.rate_changes(period)}
    for pupil_id, days in present:
        cuts |= {days.starts_on.toordinal(), days.ends_on.toordinal() + 1}
        for on in (register or {}).get(pupil_id, ()):
            if part := on.overlap(days):
                cuts |= {part.starts_on.toordinal(), part.ends_on.toordinal() + 1}
    on_shares: dict[int, Decimal] = defaultdict(lambda: ZERO)
    off_shares: dict[int, Decimal] = defaultdict(lambda: ZERO)
    unallocated = ZERO
    for start, stop in pairwise(sorted(cuts)):
        piece = DateRange(date.fromordinal(start), date.fromordinal(stop - 1))
        piece_cost = _cost_at_rates_of(group, piece.starts_on, weeks) * weigh(piece) / total_weight
        here = [
            pupil_id
            for pupil_id, days in present
            if days.starts_on.toordinal() <= start <= days.ends_on.toordinal()
        ]
        if not here:
            unallocated += piece_cost
            continue
        for pupil_id in here:
            on = register is None or _on_register(register.get(pupil_id, ()), piece.starts_on)
            (on_shares if on else off_shares)[pupil_id] += piece_cost / len(here)
    shares = {
        pupil_id: on_shares[pupil_id] + off_shares[pupil_id] for pupil_id in {**on_shares, **off_shares}
    }
    return Allocation(shares, unallocated, dict(off_shares))


def _calendar_days(period: DateRange) -> int:
    return period.days


@dataclass(frozen=True)
class CostLine:
    """One pupil's share of one group in one financial year, for the days they were on the SEN
    register or (`on_register` False) for the days they were not; `pupil_id` None is unallocated."""

    pupil_id: int | None
    group_id: int
    intervention_id: int
    financial_year: FinancialYear
    amount: Decimal
    on_register: bool = True


def cost_lines(
    groups: Iterable[GroupCosting],
    stays_by_group: dict[int, list[Stay]],
    window: DateRange | None = None,
    *,
    calendar: CostCalendar = APRIL_WITHOUT_TERM_DATES,
    register: Register | None = None,
) -> list[CostLine]:
    """Every group's cost in `window`, split by financial year and shared among its pupils, each
    share split by whether the pupil was on the SEN register (`register`; all of it when None)."""
    lines = []
    for group in groups:
        period = group.period if window is None else group.period.overlap(window)
        if period is None:
            continue
        for year in calendar.financial_years_in(period):
            part = period.overlap(year.window)
            stays = stays_by_group.get(group.group_id, [])
            allocation = share_group_cost(group, stays, part, calendar=calendar.terms, register=register)
            for pupil_id, amount in allocation.shares.items():
                off = allocation.off_register.get(pupil_id, ZERO)
                if amount - off or not off:
                    line = CostLine(pupil_id, group.group_id, group.intervention_id, year, amount - off)
                    lines.append(line)
                if off:
                    lines.append(CostLine(pupil_id, group.group_id, group.intervention_id, year, off, False))
            if allocation.unallocated:
                lines.append(
                    CostLine(None, group.group_id, group.intervention_id, year, allocation.unallocated)
                )
    return lines


def totals_by(lines: Iterable[CostLine], key: Callable[[CostLine], Hashable]) -> dict[Hashable, Decimal]:
    """Unrounded sums of `lines` grouped by `key(line)`."""
    totals: dict[Hashable, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        totals[key(line)] += line.amount
    return dict(totals)


def totals_by_pupil(lines: Iterable[CostLine]) -> dict[int, Decimal]:
    """Each pupil's total; unallocated lines are left out."""
    return {pupil: total for pupil, total in totals_by(lines, lambda line: line.pupil_id).items() if pupil}


def totals_by_intervention(lines: Iterable[CostLine]) -> dict[int, Decimal]:
    return totals_by(lines, lambda line: line.intervention_id)


def school_total(lines: Iterable[CostLine]) -> Decimal:
    return sum((line.amount for line in lines), ZERO)


def in_year(lines: Iterable[CostLine], year: FinancialYear) -> list[CostLine]:
    return [line for line in lines if line.financial_year == year]


def spend_cost(*, hours: Decimal | None, hourly_cost: Decimal | None, amount: Decimal | None) -> Decimal:
    """A line of other spend: its hours at the rate's hourly cost, or its amount."""
    if hours is not None:
        return hours * (hourly_cost or ZERO)
    return amount or ZERO


@dataclass(frozen=True)
class PupilYear:
    """One pupil's provision in one financial year, unrounded: `total`, and `on_register`, the
    part for days on the SEN register, which is what element 2 pays for and the £6,000 threshold
    measures; and the element 3 `top_up` recorded for them for the year, if any."""

    total: Decimal
    on_register: Decimal
    top_up: Decimal | None = None
    threshold: Decimal = ELEMENT2_THRESHOLD

    @property
    def element2(self) -> Decimal:
        return min(self.on_register, self.threshold)

    @property
    def above_threshold(self) -> Decimal:
        return max(self.on_register - self.threshold, ZERO)

    @property
    def over_threshold(self) -> bool:
        return self.on_register > self.threshold

    @property
    def without_top_up(self) -> bool:
        """Over £6,000 with no top-up recorded: evidence for a top-up request or an EHC needs
        assessment."""
        return self.over_threshold and not self.top_up

    @property
    def top_up_shortfall(self) -> Decimal:
        """Provision above £6,000 that the pupil's own top-up does not cover."""
        return max(self.above_threshold - (self.top_up or ZERO), ZERO)


NO_PROVISION = PupilYear(ZERO, ZERO)


def pupil_years(
    lines: Iterable[CostLine],
    year: FinancialYear,
    *,
    top_ups: dict[int, Decimal] | None = None,
    threshold: Decimal = ELEMENT2_THRESHOLD,
) -> dict[int, PupilYear]:
    """Each pupil's provision in `year`, with the top-up recorded for them (`top_ups`, by pupil
    id, for the year), by pupil id: every pupil with provision, and every pupil with a top-up."""
    top_ups = top_ups or {}
    year_lines = [line for line in in_year(lines, year) if line.pupil_id is not None]
    totals = totals_by_pupil(year_lines)
    on_register = totals_by_pupil(line for line in year_lines if line.on_register)
    return {
        pupil_id: PupilYear(
            totals.get(pupil_id, ZERO), on_register.get(pupil_id, ZERO), top_ups.get(pupil_id), threshold
        )
        for pupil_id in {**totals, **top_ups}
    }


@dataclass(frozen=True)
class BudgetSummary:
    """One financial year's provision spend against the notional SEN budget, all unrounded.

    - `provision`: the year's intervention groups and 1:1s, pupils' shares and unallocated.
    - `other_spend`: (label, amount) for each kind of other spend, and `other_total` their sum.
    - `spent`: `provision` + `other_total`, "spent against the notional budget".
    - `element2`: the first £6,000 of each pupil's provision while on the SEN register, what the
      notional budget is for.
    - `above_threshold`: each such pupil's provision beyond £6,000 (the element 3 territory).
    - `not_on_register`: shares for days pupils were not on the SEN register (monitoring or no
      SEN): spent, but not element 2.
    - `unallocated`: group time with no pupil placed.
      So `provision == element2 + above_threshold + not_on_register + unallocated`.
    - `element3_income`: the LA top-ups recorded for the year's pupils, summed; and
      `element3_shortfall`, each pupil's provision above £6,000 that their own top-up does not
      cover, summed. `pupils_without_top_up` counts the pupils over £6,000 with none.
    - `remaining`: the notional budget less `spent`; element 3 income is shown beside it, never
      netted off, because the notional budget is only indicative, not ring-fenced (DfE, Schools
      operational guide: the notional SEN budget).
    `notional_sen_budget` and `remaining` are None when no budget has been recorded for the year.
    """

    financial_year: FinancialYear
    provision: Decimal
    other_spend: tuple[tuple[str, Decimal], ...]
    spent: Decimal
    element2: Decimal
    above_threshold: Decimal
    not_on_register: Decimal
    unallocated: Decimal
    pupils_over_threshold: int
    pupils_without_top_up: int
    element3_income: Decimal
    element3_shortfall: Decimal
    notional_sen_budget: Decimal | None = None
    remaining: Decimal | None = None

    @property
    def other_total(self) -> Decimal:
        return sum((amount for _, amount in self.other_spend), ZERO)

    @property
    def overspend(self) -> Decimal | None:
        """How far `spent` is over the notional budget (zero when within it)."""
        return None if self.remaining is None else max(-self.remaining, ZERO)


def budget_summary(
    lines: Iterable[CostLine],
    *,
    year: FinancialYear,
    notional_sen_budget: Decimal | None,
    top_ups: dict[int, Decimal] | None = None,
    other_spend: Sequence[tuple[str, Decimal]] = (),
    threshold: Decimal = ELEMENT2_THRESHOLD,
) -> BudgetSummary:
    """The year's spend: provision from `lines` (which must cover the whole school) and the
    year's `other_spend`, (label, amount) by kind, against the notional SEN budget; and the
    year's element 3 `top_ups`, by pupil id."""
    year_lines = in_year(lines, year)
    pupils = pupil_years(year_lines, year, top_ups=top_ups, threshold=threshold).values()
    above = sum((pupil.above_threshold for pupil in pupils), ZERO)
    unallocated = sum((line.amount for line in year_lines if line.pupil_id is None), ZERO)
    provision = school_total(year_lines)
    spent = provision + sum((amount for _, amount in other_spend), ZERO)
    return BudgetSummary(
        financial_year=year,
        provision=provision,
        other_spend=tuple(other_spend),
        spent=spent,
        element2=sum((pupil.element2 for pupil in pupils), ZERO),
        above_threshold=above,
        not_on_register=sum((pupil.total - pupil.on_register for pupil in pupils), ZERO),
        unallocated=unallocated,
        pupils_over_threshold=sum(1 for pupil in pupils if pupil.over_threshold),
        pupils_without_top_up=sum(1 for pupil in pupils if pupil.without_top_up),
        element3_income=sum((top_up for top_up in (top_ups or {}).values()), ZERO),
        element3_shortfall=sum((pupil.top_up_shortfall for pupil in pupils), ZERO),
        notional_sen_budget=notional_sen_budget,
        remaining=None if notional_sen_budget is None else notional_sen_budget - spent,
    )
