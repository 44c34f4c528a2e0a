from datetime import date

import pytest

from senco.rules import academic_year_of, add_months, add_weeks, financial_year_of, national_curriculum_year


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # no 29 Feb 2025: the month's last day
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 11, 15), 2, date(2026, 1, 15)),  # across a year end
        (date(2025, 6, 1), 12, date(2026, 6, 1)),
    ],
)
def test_add_months_keeps_the_day_and_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_twenty_weeks_from_6_january_2025_is_26_may_a_bank_holiday_with_no_roll_forward():
    assert add_weeks(date(2025, 1, 6), 20) == date(2025, 5, 26)


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2026, 8, 31), 2025), (date(2026, 9, 1), 2026), (date(2027, 1, 1), 2026)],
)
def test_school_years_start_on_1_september(day, expected):
    assert academic_year_of(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2026, 3, 31), 2025), (date(2026, 4, 1), 2026), (date(2026, 12, 31), 2026)],
)
def test_financial_years_start_on_1_april(day, expected):
    assert financial_year_of(day) == expected


@pytest.mark.parametrize(
    ("born", "academic_year", "expected"),
    [
        (date(2021, 9, 1), 2026, 0),  # oldest in Reception in 2026/27
        (date(2022, 8, 31), 2026, 0),  # youngest in Reception
        (date(2021, 8, 31), 2026, 1),  # a day older: Year 1
        (date(2015, 2, 28), 2026, 7),  # Year 7
        (date(2016, 2, 29), 2026, 6),  # leap-day birthday
    ],
)
def test_national_curriculum_year_follows_the_31_august_cutoff(born, academic_year, expected):
    assert national_curriculum_year(born, academic_year) == expected
