"""Due dates that the Code of Practice, the regulations or the school's own review cycle set.
Every app takes them from here, and they are pure functions of explicit dates: nothing here reads
the clock (R11)."""

from datetime import date, timedelta

from senco.rules import SchoolCalendar, academic_year_of, add_months

# Plans are reviewed termly in practice, in step with meeting parents at least three times a year
# (CoP 6.65): a review date more than a year after the start is a typing slip, not a plan.
MAX_REVIEW_MONTHS = 12


# SEN support plans are reviewed termly in practice, as parents are met at least three times a
# year (CoP 6.65), so a new cycle's review falls three calendar months after it starts, clamped to
# the month end.
REVIEW_INTERVAL_MONTHS = 3


# The reviews-due list looks two weeks ahead so the SENCO can invite parents in time.
DUE_SOON_DAYS = 14
# Without term dates for the school, "a term" is 13 weeks: a school year of 39 weeks in three terms.
TERM_FALLBACK = timedelta(weeks=13)


def default_review_date(started_on: date) -> date:
    return add_months(started_on, REVIEW_INTERVAL_MONTHS)


def latest_review_date(started_on: date) -> date:
    return add_months(started_on, MAX_REVIEW_MONTHS)


def due_soon_cutoff(today: date) -> date:
    """The last review date that counts as "due" today: two calendar weeks ahead."""
    return today + timedelta(days=DUE_SOON_DAYS)


def review_state(review_due_on: date, *, today: date) -> str:
    """ "overdue" (date passed), "due" (within two weeks, today included) or "later"."""
    if review_due_on < today:
        return "overdue"
    if review_due_on <= due_soon_cutoff(today):
        return "due"
    return "later"


def meet_by(review_due_on: date) -> date:
    """The last weekday on or before the review date: a Saturday or Sunday date is met on the
    Friday before. The SEND Regulations 2014 count calendar weeks and months and set no rule for
    a date that falls at a weekend, so we never move one later."""
    return review_due_on - timedelta(days=max(0, review_due_on.weekday() - 4))


def disposal_cutoff(*, today: date, years: int) -> date:
    """The latest date of birth whose retention period (DOB + `years`) ended before `today`.

    The inverse of `Pupil.retain_until`, exact around 29 February: 29 Feb 2000 + 31 years is
    28 Feb 2031, so that record is due for review from 1 Mar 2031.
    """
    cutoff = add_months(today - timedelta(days=1), -12 * years)
    while add_months(cutoff + timedelta(days=1), 12 * years) < today:
        cutoff += timedelta(days=1)
    return cutoff


def monitoring_decision_due(started_on: date, terms: list[tuple[date, date]]) -> tuple[date, str]:
    """When a decision is due for a pupil monitored since `started_on`, and on what basis.

    With the school's term dates (sorted `(starts_on, ends_on)` pairs) covering the date: the
    same point of the next term, so holidays do not eat into the watch (a start in a holiday
    counts from the first day of the next term; a point past the next term's end is its last
    day). Otherwise 13 calendar weeks.
    """
    for index, (starts_on, ends_on) in enumerate(terms):
        if ends_on < started_on:
            continue
        covered = starts_on <= started_on or index > 0
        if not covered or index + 1 == len(terms):
            break
        next_starts_on, next_ends_on = terms[index + 1]
        offset = max(started_on, starts_on) - starts_on
        return min(next_starts_on + offset, next_ends_on), "school term dates"
    return started_on + TERM_FALLBACK, "13 weeks"


def one_term_after(day: date, calendar: SchoolCalendar) -> tuple[date, str]:
    """A term after `day`, and on what basis: the same point of the next term (its last day if
    that term is shorter) when the school's term dates cover both (`monitoring_decision_due`
    explains the rule), otherwise 13 weeks. A plan's review is due termly in practice (CoP
    6.65), so a review date later than this is worth a second look."""
    covered = [term for term in calendar.terms if academic_year_of(term[0]) in calendar.years]
    return monitoring_decision_due(day, covered)
