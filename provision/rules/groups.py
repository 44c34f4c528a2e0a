"""Limits on provision groups' dates. Pure functions of explicit dates (R11)."""

from datetime import date, timedelta

from senco.rules import SchoolCalendar, school_weeks_between

# A group runs for at most two school years; support beyond that is a new group after a review.
MAX_GROUP_WEEKS = 104


def group_end_limit(starts_on: date) -> date:
    """The last day a group starting on `starts_on` may run to: `MAX_GROUP_WEEKS` weeks."""
    return starts_on + timedelta(weeks=MAX_GROUP_WEEKS) - timedelta(days=1)


def default_end(calendar: SchoolCalendar, starts_on: date, weeks: int) -> date:
    """The last day of the `weeks`-th teaching week from `starts_on` (weeks are 7-day blocks from
    the first day, so a Monday start ends on a Sunday), never past `group_end_limit`: a ten-week
    programme runs ten weeks of teaching, its holidays added on, as the delivery log plans it."""
    block, counted, limit = starts_on, 0, group_end_limit(starts_on)
    while True:
        block_last = block + timedelta(days=6)
        counted += school_weeks_between(calendar, block, block_last)
        if counted >= max(weeks, 1) or block_last >= limit:
            return min(block_last, limit)
        block += timedelta(weeks=1)


def how_often(sessions_per_week: int, minutes_per_session: int, *, long: bool = False) -> str:
    """A group's or an intervention's pattern in words, the same on every page and PDF:
    "3 × 30 min a week" in a table, or with `long` "3 sessions a week of 30 minutes" in a
    sentence, never a bare "3x30" that a parent or governor has to decode."""
    if long:
        sessions = f"{sessions_per_week} session{'s' if sessions_per_week != 1 else ''}"
        minutes = f"{minutes_per_session} minute{'s' if minutes_per_session != 1 else ''}"
        return f"{sessions} a week of {minutes}"
    return f"{sessions_per_week} × {minutes_per_session} min a week"


def up_to_pupils(group_size: int) -> str:
    """An intervention's largest group in words: "up to 6 pupils", "up to 1 pupil" (a 1:1)."""
    return f"up to {group_size} pupil{'s' if group_size != 1 else ''}"
