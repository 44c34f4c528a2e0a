from datetime import date

import pytest

from senco.deadlines import (
    default_review_date,
    disposal_cutoff,
    look_again_suggestion,
    meet_by,
    retention_ends,
    review_state,
    subject_access_due,
)
from senco.factories import english_school_year
from senco.rules import SchoolCalendar

NO_TERM_DATES_RECORDED = SchoolCalendar()
# 2026/27 as `english_school_year` plans it: autumn term 1 September (INSET on the 1st and 2nd)
# to 18 December, October half-term 26 to 30 October, spring term 4 January 2027 (INSET) to
# 26 March (Good Friday), February half-term 15 to 19 February, summer term from 12 April with
# half-term 31 May to 4 June.
ROWS_2026 = english_school_year(2026)
CALENDAR_2026 = SchoolCalendar(
    years=frozenset({2026}),
    terms=tuple(
        (row.starts_on, row.ends_on) for row in ROWS_2026 if row.kind in ("autumn", "spring", "summer")
    ),
    closures=tuple((row.starts_on, row.ends_on) for row in ROWS_2026 if row.kind in ("inset", "half_term")),
)


@pytest.mark.parametrize(
    ("started", "review"),
    [
        (date(2026, 9, 14), date(2026, 12, 14)),
        (date(2027, 11, 30), date(2028, 2, 29)),  # a leap year: a Tuesday in 2028
        (date(2026, 10, 28), date(2027, 1, 28)),
    ],
)
def test_a_new_cycle_is_reviewed_three_months_after_it_starts(started, review):
    assert default_review_date(started, NO_TERM_DATES_RECORDED) == review


@pytest.mark.parametrize(
    ("started", "review"),
    [
        (date(2026, 9, 14), date(2026, 12, 14)),  # a Monday in term stays
        (date(2026, 9, 28), date(2026, 12, 18)),  # 28 December: the last day of the autumn term
        (date(2026, 11, 17), date(2027, 2, 12)),  # 17 February, in half-term: the Friday before
        (date(2026, 11, 30), date(2027, 2, 26)),  # clamped to Sunday 28 February: the Friday
        (date(2027, 1, 5), date(2027, 3, 25)),  # Easter holiday, and Good Friday ends the term
        (date(2027, 5, 21), date(2027, 7, 21)),  # 21 August: the last day of the summer term
    ],
)
def test_a_review_date_is_the_last_school_day_on_or_before_three_months(started, review):
    assert default_review_date(started, CALENDAR_2026) == review


def test_without_term_dates_a_review_date_avoids_weekends_and_bank_holidays_only():
    # 26 December 2026 is a Saturday; the bank holidays are Friday 25 and Monday 28 December.
    assert default_review_date(date(2026, 9, 26), NO_TERM_DATES_RECORDED) == date(2026, 12, 24)
    assert default_review_date(date(2026, 7, 29), NO_TERM_DATES_RECORDED) == date(2026, 10, 29)


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
    assert meet_by(due, NO_TERM_DATES_RECORDED) == meet


@pytest.mark.parametrize(
    ("due", "meet"),
    [
        (date(2026, 10, 28), date(2026, 10, 23)),  # October half-term: the Friday before
        (date(2027, 1, 4), date(2026, 12, 18)),  # the spring term's INSET day: before Christmas
        (date(2027, 5, 31), date(2027, 5, 28)),  # a bank holiday in half-term
        (date(2027, 4, 6), date(2027, 3, 25)),  # Easter holiday after Good Friday
        (date(2026, 11, 4), date(2026, 11, 4)),  # a school day stays
        (date(2027, 8, 31), date(2027, 7, 21)),  # the summer holiday: the last day of the year
    ],
)
def test_a_review_date_outside_school_days_is_met_on_the_last_school_day_before_it(due, meet):
    assert meet_by(due, CALENDAR_2026) == meet


def test_without_term_dates_a_bank_holiday_is_met_the_working_day_before():
    assert meet_by(date(2027, 5, 3), NO_TERM_DATES_RECORDED) == date(2027, 4, 30)


@pytest.mark.parametrize(
    ("calendar", "decided", "look_again"),
    [
        # Six school weeks on from Monday 5 October 2026: the October half-term (26-30 October)
        # does not count, so the date is a week later than six calendar weeks.
        (CALENDAR_2026, date(2026, 10, 5), date(2026, 11, 23)),
        # Without term dates only weekends and bank holidays are skipped.
        (NO_TERM_DATES_RECORDED, date(2026, 10, 5), date(2026, 11, 16)),
        # Across Christmas: 18 December is the last day of term and 4 January an INSET day.
        (CALENDAR_2026, date(2026, 12, 7), date(2027, 2, 2)),
    ],
)
def test_the_date_to_look_again_after_monitor_is_six_school_weeks_on(calendar, decided, look_again):
    assert look_again_suggestion(decided, calendar) == look_again


# Subject access requests: one calendar month by the ICO's rule, then the next working day.


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 9, 3), date(2026, 10, 5)),  # Saturday 3 October: Monday 5th
        (date(2026, 11, 30), date(2026, 12, 30)),  # a Wednesday: the same date next month
        (date(2027, 1, 31), date(2027, 3, 1)),  # no 31 February: Sunday 28th, then Monday 1 March
        (date(2028, 1, 31), date(2028, 2, 29)),  # a leap year: Tuesday 29 February
        (date(2028, 2, 29), date(2028, 3, 29)),  # received on 29 February: Wednesday 29 March
        (date(2026, 10, 3), date(2026, 11, 3)),  # received on a Saturday: day 1 all the same
        (date(2026, 7, 22), date(2026, 8, 24)),  # the summer holiday does not pause it: Saturday 22nd
        (date(2026, 8, 31), date(2026, 9, 30)),  # received on a bank holiday: day 1 all the same
    ],
)
def test_a_subject_access_response_is_due_a_calendar_month_after_receipt(received, due):
    assert subject_access_due(received) == due


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Christmas Day 2026 is a Friday; Boxing Day falls on the Saturday and is observed on Monday 28th.
        (date(2026, 11, 25), date(2026, 12, 29)),
        (date(2026, 11, 28), date(2026, 12, 29)),  # Monday 28th is the Boxing Day bank holiday
        # In 2027 both fall at the weekend and are observed on Monday 27th and Tuesday 28th.
        (date(2027, 11, 26), date(2027, 12, 29)),
        (date(2027, 2, 26), date(2027, 3, 30)),  # Good Friday 26 March, then Easter Monday
        (date(2027, 12, 1), date(2028, 1, 4)),  # New Year's Day 2028 is a Saturday, observed Monday 3rd
    ],
)
def test_a_due_date_on_a_bank_holiday_moves_to_the_next_working_day(received, due):
    assert subject_access_due(received) == due


@pytest.mark.parametrize(
    ("received", "months", "due"),
    [
        (date(2026, 9, 3), 2, date(2026, 12, 3)),  # three calendar months from receipt
        (date(2026, 9, 3), 1, date(2026, 11, 3)),
        (date(2027, 1, 31), 2, date(2027, 4, 30)),  # clamped to 30 April, a Friday
        (date(2026, 11, 30), 2, date(2027, 3, 1)),  # 28 February 2027 is a Sunday
    ],
)
def test_an_extension_counts_further_calendar_months_from_the_same_start(received, months, due):
    assert subject_access_due(received, extended_months=months) == due


@pytest.mark.parametrize("months", [-1, 3])
def test_an_extension_is_at_most_two_months(months):
    with pytest.raises(ValueError, match="An extension is 0 to 2 months"):
        subject_access_due(date(2026, 9, 3), extended_months=months)


@pytest.mark.parametrize(
    ("born", "years", "kept_until"),
    [
        (date(2000, 2, 29), 31, date(2031, 2, 28)),  # a common year: the last day of February
        (date(2000, 2, 29), 32, date(2032, 2, 29)),  # a leap year keeps the day
        (date(2004, 2, 29), 25, date(2029, 2, 28)),
        (date(2001, 2, 28), 31, date(2032, 2, 28)),  # 28 February stays put in a leap year
        (date(2000, 3, 1), 31, date(2031, 3, 1)),
        (date(1999, 12, 31), 31, date(2030, 12, 31)),
        (date(2000, 1, 1), 100, date(2100, 1, 1)),
    ],
)
def test_a_record_is_kept_until_the_date_of_birth_plus_the_period(born, years, kept_until):
    assert retention_ends(born, years=years) == kept_until


@pytest.mark.parametrize(
    ("today", "last_due_birthday"),
    [
        # Born 29 February 2000: kept until 28 February 2031, so due from 1 March with a
        # classmate born on 28 February, and a day before one born on 1 March.
        (date(2031, 2, 28), date(2000, 2, 27)),
        (date(2031, 3, 1), date(2000, 2, 29)),
        (date(2031, 3, 2), date(2000, 3, 1)),
        (date(2032, 3, 1), date(2001, 2, 28)),  # 2001 has no 29 February
        (date(2031, 1, 1), date(1999, 12, 31)),
    ],
)
def test_disposal_cutoff_is_the_last_date_of_birth_already_past_its_period(today, last_due_birthday):
    cutoff = disposal_cutoff(today=today, years=31)
    after = date.fromordinal(cutoff.toordinal() + 1)
    assert (cutoff, retention_ends(cutoff, years=31) < today, retention_ends(after, years=31) < today) == (
        last_due_birthday,
        True,
        False,
    )
