"""Pure rules shared by every app: calendar arithmetic, and CSV cells a spreadsheet will not run.
Nothing here reads the clock (R11)."""

import csv
import io
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

import holidays


def add_months(start: date, months: int) -> date:
    """Same day number `months` later, clamped to the month's end: calendar months
    (Interpretation Act 1978 Sch 1) by the corresponding-date rule (Dodds v Walker [1981] 1 WLR 1027).

    31 Jan + 1 month is 28 or 29 Feb; 29 Feb 2024 + 12 months is 28 Feb 2025.
    """
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


def academic_year_of(day: date) -> int:
    """The start year of the school year containing `day` (1 September to 31 August)."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_label(start_year: int) -> str:
    """The school year as schools write it: 2026 is "2026/27"."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def financial_year_of(day: date, *, starts_in_month: int = 4) -> int:
    """The start year of the financial year containing `day`: 1 April to 31 March for maintained
    schools, or 1 September to 31 August for an academy that follows the academy year."""
    return day.year if day.month >= starts_in_month else day.year - 1


def school_year_bounds(today: date) -> tuple[date, date]:
    """First and last day of the school year containing `today` (1 September to 31 August)."""
    start = academic_year_of(today)
    return date(start, 9, 1), date(start + 1, 8, 31)


# Plans and groups are dated within five years either side of today: room for a late record or
# a group booked well ahead, while a mistyped year (2062 for 2026, or 9999) is caught as a form
# error instead of reaching the review-date and cost arithmetic.
HORIZON_YEARS = 5


def outside_horizon(day: date, *, today: date) -> str:
    """Why `day` is too far from `today` for a plan or group date, or "" when it is not."""
    earliest, latest = add_months(today, -12 * HORIZON_YEARS), add_months(today, 12 * HORIZON_YEARS)
    if earliest <= day <= latest:
        return ""
    return (
        f"Choose a date from {earliest:%d/%m/%Y} to {latest:%d/%m/%Y} "
        f"(no more than {HORIZON_YEARS} years from today)."
    )


# --- The school calendar -------------------------------------------------------------------
#
# A school day is a weekday inside one of the school's terms that is neither in a closure (a
# half-term holiday, an INSET day or another closure the school records) nor a bank holiday.
# INSET days are days without pupils, so they are never teaching days here; whether they count
# as "school days" for the statutory 15-school-day clocks is not settled in guidance, and we
# take the reading that gives staff the earlier, safer date.
#
# For a school year with no term dates recorded, we do not guess a calendar: every weekday that
# is not a bank holiday counts, as it did before calendars existed, and pages say that the
# school's term dates are missing (`SchoolCalendar.covers`).

Period = tuple[date, date]  # first and last day, both inclusive

# Bank holidays in England and Wales (the two nations share them), from the maintained
# `holidays` package rather than a list kept by hand. It fills in each year on first use.
_BANK_HOLIDAYS = holidays.country_holidays("GB", subdiv="ENG")

# A week counts as a teaching week when at least three of its five weekdays are school days, so
# a week broken by one INSET day or a bank holiday still counts while a half-term week does not.
SCHOOL_WEEK_MIN_DAYS = 3
# The furthest any school-day search walks: longer than the summer holiday and a missing year.
_SEARCH_LIMIT = timedelta(days=400)


def is_bank_holiday(day: date) -> bool:
    return day in _BANK_HOLIDAYS


def bank_holiday_name(day: date) -> str:
    """The bank holiday's name in England ("Christmas Day", "Boxing Day (observed)"), or ""."""
    return _BANK_HOLIDAYS.get(day) or ""


@dataclass(frozen=True)
class SchoolCalendar:
    """One school's teaching calendar, built by `senco.selectors.school_calendar`."""

    years: frozenset[int] = frozenset()  # the school years (by start year) with term dates
    terms: tuple[Period, ...] = ()
    closures: tuple[Period, ...] = ()

    def covers(self, day: date) -> bool:
        """Whether the school has recorded term dates for the school year containing `day`."""
        return academic_year_of(day) in self.years

    def is_school_day(self, day: date) -> bool:
        # Remembered per day for as long as this calendar lives (one request or task): the
        # delivery and cost figures walk the same weeks once for every group.
        known = self.__dict__.setdefault("_school_days", {})
        if day not in known:
            known[day] = self._is_school_day(day)
        return known[day]

    def _is_school_day(self, day: date) -> bool:
        if day.weekday() >= 5 or is_bank_holiday(day):
            return False
        if not self.covers(day):
            return True
        in_term = any(first <= day <= last for first, last in self.terms)
        return in_term and not any(first <= day <= last for first, last in self.closures)


def years_without_term_dates(calendar: SchoolCalendar, *periods: Period) -> list[str]:
    """The school years that `periods` reach into and the school has no term dates for, as
    "2026/27", oldest first: dates and figures there counted weekdays and bank holidays alone,
    and the page that shows them says so. A period that ends before it starts reaches nowhere."""
    years = {
        year
        for first, last in periods
        if first <= last
        for year in range(academic_year_of(first), academic_year_of(last) + 1)
    }
    return [school_year_label(year) for year in sorted(years) if year not in calendar.years]


def school_days_between(calendar: SchoolCalendar, first: date, last: date) -> int:
    """School days from `first` to `last`, both included (0 when `last` is before `first`)."""
    days = (last - first).days + 1
    return sum(calendar.is_school_day(first + timedelta(days=n)) for n in range(max(days, 0)))


def school_weeks_between(calendar: SchoolCalendar, first: date, last: date) -> int:
    """Teaching weeks from `first` to `last`, both included: 7-day blocks counted from `first`
    (a run starting on a Wednesday has Wednesday-to-Tuesday weeks) with at least
    `SCHOOL_WEEK_MIN_DAYS` school days that fall on or before `last`."""
    weeks = 0
    block = first
    while block <= last:
        block_last = min(block + timedelta(days=6), last)
        if school_days_between(calendar, block, block_last) >= SCHOOL_WEEK_MIN_DAYS:
            weeks += 1
        block += timedelta(days=7)
    return weeks


def add_school_days(calendar: SchoolCalendar, start: date, days: int) -> date:
    """The `days`-th school day after `start` (`start` itself when `days` is 0)."""
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if day - start > _SEARCH_LIMIT:
            raise ValueError(f"No {days} school days within {_SEARCH_LIMIT.days} days of {start}.")
        counted += calendar.is_school_day(day)
    return day


def last_school_day_on_or_before(calendar: SchoolCalendar, day: date) -> date:
    """`day` if it is a school day, else the last school day before it: a date that falls in a
    holiday, at a weekend or on a bank holiday is met before the school breaks up, never after
    (no statutory rule moves a date later)."""
    candidate = day
    while not calendar.is_school_day(candidate):
        candidate -= timedelta(days=1)
        if day - candidate > _SEARCH_LIMIT:
            raise ValueError(f"No school day within {_SEARCH_LIMIT.days} days before {day}.")
    return candidate


# --- Term dates as a school enters them -----------------------------------------------------

TERM_SEASONS = ("autumn", "spring", "summer")
CLOSURE_KINDS = ("half_term", "inset", "closure")
# Exactly 52 weeks, so a copied date keeps its weekday: term dates that start on a Monday
# still do a year later, ready for the school to adjust.
ONE_YEAR_ON = timedelta(weeks=52)


@dataclass(frozen=True)
class DatedRow:
    kind: str  # one of TERM_SEASONS or CLOSURE_KINDS
    starts_on: date
    ends_on: date
    name: str = ""


def school_year_problems(start_year: int, rows: list[DatedRow]) -> list[str]:
    """What is wrong with one school year's term dates and closures, in plain English.

    The three terms each appear once, in order, within 1 August to 31 August of the school year
    and without overlapping; every closure lies inside one of the terms.
    """
    label = school_year_label(start_year)
    problems = []
    terms = {row.kind: row for row in rows if row.kind in TERM_SEASONS}
    for season in TERM_SEASONS:
        count = sum(row.kind == season for row in rows)
        if count != 1:
            problems.append(f"{label} needs one {season} term ({count} given).")
    first_day, last_day = date(start_year, 8, 1), date(start_year + 1, 8, 31)
    for row in rows:
        what = f"The {row.kind.replace('_', ' ')} from {row.starts_on:%d/%m/%Y}"
        if row.ends_on < row.starts_on:
            problems.append(f"{what} ends before it starts.")
        elif not first_day <= row.starts_on <= row.ends_on <= last_day:
            problems.append(f"{what} is not within the school year {label} (1 August to 31 August).")
    ordered = [terms[season] for season in TERM_SEASONS if season in terms]
    for earlier, later in pairwise(ordered):
        if later.starts_on <= earlier.ends_on:
            problems.append(
                f"The {later.kind} term of {label} must start after the {earlier.kind} term ends."
            )
    for row in rows:
        inside = any(t.starts_on <= row.starts_on and row.ends_on <= t.ends_on for t in ordered)
        if row.kind in CLOSURE_KINDS and ordered and not inside:
            problems.append(
                f"The {row.kind.replace('_', ' ')} from {row.starts_on:%d/%m/%Y} "
                f"is not inside a term of {label}."
            )
    return problems


def copied_forward(rows: list[DatedRow]) -> list[DatedRow]:
    """One school year's rows moved on by 52 weeks, for the school to check and adjust."""
    return [
        DatedRow(
            kind=row.kind,
            starts_on=row.starts_on + ONE_YEAR_ON,
            ends_on=row.ends_on + ONE_YEAR_ON,
            name=row.name,
        )
        for row in rows
    ]


CALENDAR_COLUMNS = ("kind", "starts_on", "ends_on", "name")
# School years a school may record term dates for: wide enough for history and planning, narrow
# enough that a mistyped year is a problem to correct rather than a date the arithmetic cannot hold.
FIRST_CALENDAR_YEAR, LAST_CALENDAR_YEAR = 2000, 2100
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def _read_date(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def parse_calendar_csv(content: bytes) -> tuple[dict[int, list[DatedRow]], list[str]]:
    """Term dates from a CSV file with the columns `kind, starts_on, ends_on, name`: the rows by
    school year, and every problem found, with its row number (the heading is row 1). A file
    with any problem must not be applied."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}, ["The file is not UTF-8 text: save it from your spreadsheet as CSV UTF-8."]
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in CALENDAR_COLUMNS[:3] if column not in (reader.fieldnames or [])]
    if missing:
        return {}, [
            f"The heading row must name the columns {', '.join(CALENDAR_COLUMNS)} "
            f"(missing: {', '.join(missing)})."
        ]
    years: dict[int, list[DatedRow]] = {}
    problems = []
    for number, line in enumerate(reader, start=2):
        kind = (line.get("kind") or "").strip().lower()
        starts_on, ends_on = _read_date(line.get("starts_on") or ""), _read_date(line.get("ends_on") or "")
        if kind not in TERM_SEASONS + CLOSURE_KINDS:
            problems.append(f"Row {number}: kind must be one of {', '.join(TERM_SEASONS + CLOSURE_KINDS)}.")
        if starts_on is None or ends_on is None:
            problems.append(f"Row {number}: write dates as 2026-09-03 or 03/09/2026.")
        elif not all(FIRST_CALENDAR_YEAR <= day.year < LAST_CALENDAR_YEAR for day in (starts_on, ends_on)):
            problems.append(
                f"Row {number}: dates must fall from {FIRST_CALENDAR_YEAR} to {LAST_CALENDAR_YEAR - 1}."
            )
            starts_on = None
        if kind in TERM_SEASONS + CLOSURE_KINDS and starts_on and ends_on:
            row = DatedRow(
                kind=kind, starts_on=starts_on, ends_on=ends_on, name=(line.get("name") or "").strip()[:100]
            )
            years.setdefault(academic_year_of(starts_on), []).append(row)
    if not years and not problems:
        problems.append("The file has no dates in it.")
    for start_year, rows in sorted(years.items()):
        problems.extend(school_year_problems(start_year, rows))
    return years, problems


# --- CSV exports --------------------------------------------------------------------------------

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """The cell as text a spreadsheet shows and never runs: a leading apostrophe before a
    formula's first character. Every CSV export writes its cells through this."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value
