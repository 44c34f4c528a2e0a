"""Dates for SEN support plans and provision groups. Pure functions of explicit dates (R11);
nothing calls now()."""

from datetime import date, timedelta

from senco.dates import add_months

# Plans and groups are dated within five years either side of today: room for a late record or
# a group booked well ahead, while a mistyped year (2062 for 2026, or 9999) is caught as a form
# error instead of reaching the review-date and cost arithmetic.
HORIZON_YEARS = 5
# A group runs for at most two school years; support beyond that is a new group after a review.
MAX_GROUP_WEEKS = 104
# Plans are reviewed termly (domain.md §3.4): a review date more than a year after the start is
# a typing slip, not a plan.
MAX_REVIEW_MONTHS = 12

# SEN support plans are reviewed termly in practice (domain.md §3.4), so a new cycle's review
# falls three calendar months after it starts, clamped to the month end.
REVIEW_INTERVAL_MONTHS = 3
# The reviews-due list looks two weeks ahead so the SENCO can invite parents in time.
DUE_SOON_DAYS = 14


def default_review_date(started_on: date) -> date:
    return add_months(started_on, REVIEW_INTERVAL_MONTHS)


def latest_review_date(started_on: date) -> date:
    return add_months(started_on, MAX_REVIEW_MONTHS)


def outside_horizon(day: date, *, today: date) -> str:
    """Why `day` is too far from `today` for a plan or group date, or "" when it is not."""
    earliest, latest = add_months(today, -12 * HORIZON_YEARS), add_months(today, 12 * HORIZON_YEARS)
    if earliest <= day <= latest:
        return ""
    return (
        f"Choose a date from {earliest:%d/%m/%Y} to {latest:%d/%m/%Y} "
        f"(no more than {HORIZON_YEARS} years from today)."
    )


def group_end_limit(starts_on: date) -> date:
    """The last day a group starting on `starts_on` may run to: `MAX_GROUP_WEEKS` weeks."""
    return starts_on + timedelta(weeks=MAX_GROUP_WEEKS) - timedelta(days=1)


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
    Friday before. No roll-forward rule is known, so we never move a date later (domain.md §3)."""
    return review_due_on - timedelta(days=max(0, review_due_on.weekday() - 4))
