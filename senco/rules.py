"""Pure calendar arithmetic shared by every app. Nothing here reads the clock (R11)."""

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """Same day number `months` later, clamped to the month's end (domain.md §3).

    31 Jan + 1 month is 28 or 29 Feb; 29 Feb 2024 + 12 months is 28 Feb 2025.
    """
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def academic_year_of(day: date) -> int:
    """The start year of the school year containing `day` (1 September to 31 August)."""
    return day.year if day.month >= 9 else day.year - 1


def financial_year_of(day: date) -> int:
    """The start year of the financial year containing `day` (1 April to 31 March)."""
    return day.year if day.month >= 4 else day.year - 1


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
