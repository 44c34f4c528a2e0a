"""The pure rules behind the plan page and the review list."""

from datetime import date
from decimal import Decimal

from agencies.rules import (
    Stay,
    delivery_window,
    hours_against_plan,
    minutes_received,
    move_date,
    next_review_due,
    phase_transfer_due,
)


def test_the_window_is_six_calendar_weeks_ending_today():
    assert delivery_window(date(2027, 1, 4)) == (date(2026, 11, 24), date(2027, 1, 4))


def test_the_next_review_is_due_twelve_months_on_clamped_to_the_month_end():
    assert next_review_due(issued_on=date(2024, 2, 29), last_meeting_on=None) == date(2025, 2, 28)
    assert next_review_due(issued_on=date(2024, 2, 29), last_meeting_on=date(2025, 1, 31)) == date(
        2026, 1, 31
    )


def test_the_move_is_the_september_after_the_school_year():
    assert (move_date(date(2026, 8, 31)), move_date(date(2026, 9, 1))) == (date(2026, 9, 1), date(2027, 9, 1))


def test_phase_transfer_dates_never_move_off_a_weekend():
    # 15 February 2025 was a Saturday: the date stands.
    assert phase_transfer_due(year_group=6, recorded_kind="", today=date(2024, 10, 1)) == (
        "primary_to_secondary",
        date(2025, 2, 15),
    )
    # A recorded move applies in its own year only; otherwise the year group decides.
    assert phase_transfer_due(year_group=6, recorded_kind="infant_to_junior", today=date(2024, 10, 1)) == (
        "primary_to_secondary",
        date(2025, 2, 15),
    )


def test_minutes_count_sessions_in_the_window_while_placed_and_present():
    received = minutes_received(
        [
            (1, date(2026, 11, 2)),
            (1, date(2026, 11, 3)),
            (1, date(2026, 11, 4)),
            (1, date(2026, 9, 1)),
            (2, date(2026, 11, 2)),
        ],
        minutes_per_session={1: 30, 2: 45},
        stays=[Stay(1, date(2026, 10, 1), date(2026, 11, 4)), Stay(2, date(2026, 11, 2), None)],
        absent={(1, date(2026, 11, 3))},
        window=(date(2026, 10, 10), date(2026, 11, 20)),
    )
    # Group 1: 2 Nov only (3 Nov absent, left on 4 Nov, 1 Sep outside the window); group 2: 2 Nov.
    assert received == {1: 30, 2: 45}


def test_more_delivered_than_specified_is_no_shortfall_and_an_unlinked_item_says_so():
    over = hours_against_plan(
        hours_per_week=Decimal("0.5"), teaching_weeks=2, group_ids=[1], received={1: 90}
    )
    unlinked = hours_against_plan(hours_per_week=Decimal(2), teaching_weeks=5, group_ids=[], received={})
    assert (over.shortfall, over.percent, unlinked.linked, unlinked.specified) == (
        Decimal(0),
        150,
        False,
        Decimal("10.00"),
    )
