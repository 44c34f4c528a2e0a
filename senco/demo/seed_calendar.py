"""Demo term dates, and the school-day arithmetic the other demo seeds date things with.

Each demo school gets last school year, this one and next (relative to the day the demo is
built) from `senco.factories.english_school_year`: three terms with a half-term each, INSET days
and, through `senco.rules`, the bank holidays of England and Wales. Then everything the demo
dates (a status change, a plan, a review, a session) can fall on a day the school was open, and
the school's term dates page shows a complete year either side. No random numbers are drawn.
"""

from datetime import date, timedelta

from senco.factories import english_school_year
from senco.models import AcademicYear, Closure, School, Term
from senco.rules import (
    SCHOOL_WEEK_MIN_DAYS,
    TERM_SEASONS,
    SchoolCalendar,
    academic_year_of,
    add_school_days,
    last_school_day_on_or_before,
    school_days_between,
)
from senco.selectors import school_calendar


def seed_calendar(*, school: School, today: date) -> SchoolCalendar:
    """Record last, this and next school year's term dates; return the school's calendar."""
    this_year = academic_year_of(today)
    terms, closures = [], []
    for start_year in (this_year - 1, this_year, this_year + 1):
        year = AcademicYear.objects.create(school=school, start_year=start_year)
        for row in english_school_year(start_year):
            if row.kind in TERM_SEASONS:
                terms.append(
                    Term(academic_year=year, season=row.kind, starts_on=row.starts_on, ends_on=row.ends_on)
                )
            else:
                closures.append(
                    Closure(
                        academic_year=year,
                        kind=row.kind,
                        starts_on=row.starts_on,
                        ends_on=row.ends_on,
                        name=row.name,
                    )
                )
    Term.objects.bulk_create(terms)
    Closure.objects.bulk_create(closures)
    return school_calendar(school)


def school_day_between(calendar: SchoolCalendar, first: date, last: date) -> date:
    """The first school day from `first`, or failing that the last one up to `last`; `first`
    itself when the school was shut throughout (a status recorded in the summer holiday)."""
    after = add_school_days(calendar, first - timedelta(days=1), 1)
    if after <= last:
        return after
    before = last_school_day_on_or_before(calendar, last)
    return before if before >= first else first


def latest_school_day(calendar: SchoolCalendar, day: date, *, not_before: date) -> date:
    """The last school day on or before `day`, but never before `not_before`."""
    return max(last_school_day_on_or_before(calendar, day), not_before)


def school_days_before(calendar: SchoolCalendar, day: date, days: int) -> date:
    """The school day `days` school days before `day` (`day` itself for 0)."""
    for _ in range(days):
        day = last_school_day_on_or_before(calendar, day - timedelta(days=1))
    return day


def is_school_week(calendar: SchoolCalendar, monday: date) -> bool:
    return school_days_between(calendar, monday, monday + timedelta(days=4)) >= SCHOOL_WEEK_MIN_DAYS


def school_week_monday(calendar: SchoolCalendar, today: date, weeks: int) -> date:
    """The Monday of the school week `weeks` school weeks after this one (before it when
    negative; this week's Monday for 0, school week or not). Holiday weeks are skipped."""
    monday = today - timedelta(days=today.weekday())
    step = timedelta(weeks=1 if weeks > 0 else -1)
    for _ in range(abs(weeks)):
        monday += step
        while not is_school_week(calendar, monday):
            monday += step
    return monday
