from datetime import date

import pytest

from senco.deadlines import default_review_date, meet_by, review_state


@pytest.mark.parametrize(
    ("started", "review"),
    [
        (date(2026, 9, 14), date(2026, 12, 14)),
        (date(2026, 11, 30), date(2027, 2, 28)),  # clamped to the end of February
        (date(2027, 11, 30), date(2028, 2, 29)),  # a leap year
        (date(2026, 10, 31), date(2027, 1, 31)),
    ],
)
def test_a_new_cycle_is_reviewed_three_months_after_it_starts(started, review):
    assert default_review_date(started) == review


@pytest.mark.parametrize(
    ("due", "today", "state"),
    [
        (date(2026, 11, 30), date(2026, 12, 1), "overdue"),
        (date(2026, 12, 1), date(2026, 12, 1), "due"),
        (date(2026, 12, 15), date(2026, 12, 1), "due"),  # exactly two weeks ahead
        (date(2026, 12, 16), date(2026, 12, 1), "later"),
        (date(2028, 3, 1), date(2028, 2, 16), "due"),  # across 29 February 2028
        (date(2028, 3, 2), date(2028, 2, 16), "later"),
        (date(2027, 1, 12), date(2026, 12, 29), "due"),  # across the new year
    ],
)
def test_review_state_counts_two_calendar_weeks(due, today, state):
    assert review_state(due, today=today) == state


@pytest.mark.parametrize(
    ("due", "meet"),
    [
        (date(2026, 12, 12), date(2026, 12, 11)),  # Saturday -> Friday
        (date(2026, 12, 13), date(2026, 12, 11)),  # Sunday -> Friday
        (date(2026, 12, 14), date(2026, 12, 14)),  # Monday stays
        (date(2026, 8, 1), date(2026, 7, 31)),  # Saturday 1 August -> Friday 31 July
    ],
)
def test_a_weekend_review_date_is_met_on_the_friday_before(due, meet):
    assert meet_by(due) == meet
