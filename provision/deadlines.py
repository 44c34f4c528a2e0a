"""Dates for SEN support plans. Pure functions of explicit dates (R11); nothing calls now()."""

from datetime import date, timedelta

from senco.dates import add_months

# SEN support plans are reviewed termly in practice (domain.md §3.4), so a new cycle's review
# falls three calendar months after it starts, clamped to the month end.
REVIEW_INTERVAL_MONTHS = 3
# The reviews-due list looks two weeks ahead so the SENCO can invite parents in time.
DUE_SOON_DAYS = 14


def default_review_date(started_on: date) -> date:
    return add_months(started_on, REVIEW_INTERVAL_MONTHS)


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
