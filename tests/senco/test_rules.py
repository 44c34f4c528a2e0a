from datetime import date

import pytest

from senco.rules import academic_year_of, add_months, financial_year_of


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # domain.md §3 example
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 11, 15), 2, date(2026, 1, 15)),  # across a year end
        (date(2025, 6, 1), 12, date(2026, 6, 1)),
    ],
)
def test_add_months_keeps_the_day_and_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


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
