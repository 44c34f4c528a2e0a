"""Limits on provision groups' dates. Pure functions of explicit dates (R11)."""

from datetime import date, timedelta

# A group runs for at most two school years; support beyond that is a new group after a review.
MAX_GROUP_WEEKS = 104


def group_end_limit(starts_on: date) -> date:
    """The last day a group starting on `starts_on` may run to: `MAX_GROUP_WEEKS` weeks."""
    return starts_on + timedelta(weeks=MAX_GROUP_WEEKS) - timedelta(days=1)
