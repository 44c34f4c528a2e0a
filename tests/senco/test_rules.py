from datetime import date

import pytest

from senco.rules import (
    DatedRow,
    SchoolCalendar,
    academic_year_of,
    add_months,
    add_school_days,
    copied_forward,
    financial_year_of,
    last_school_day_on_or_before,
    parse_calendar_csv,
    school_days_between,
    school_weeks_between,
    school_year_problems,
    spreadsheet_safe,
    years_without_term_dates,
)


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


# A real school year, 2026/27, as English schools publish them: INSET on 1-2 September,
# half-terms in the weeks of 26 October, 15 February and 31 May, and the bank holidays of
# England and Wales (Good Friday 26 March, Easter Monday 29 March, 3 May and 31 May 2027).
CALENDAR_2026 = SchoolCalendar(
    years=frozenset({2026}),
    terms=(
        (date(2026, 9, 1), date(2026, 12, 18)),
        (date(2027, 1, 4), date(2027, 3, 26)),
        (date(2027, 4, 12), date(2027, 7, 21)),
    ),
    closures=(
        (date(2026, 9, 1), date(2026, 9, 2)),
        (date(2026, 10, 26), date(2026, 10, 30)),
        (date(2027, 1, 4), date(2027, 1, 4)),
        (date(2027, 2, 15), date(2027, 2, 19)),
        (date(2027, 5, 31), date(2027, 6, 4)),
    ),
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 9, 1), False),  # INSET day
        (date(2026, 9, 3), True),
        (date(2026, 10, 28), False),  # October half-term
        (date(2026, 12, 25), False),  # Christmas holiday
        (date(2027, 3, 26), False),  # last day of the spring term, but Good Friday
        (date(2027, 5, 3), False),  # early May bank holiday, in term
        (date(2027, 5, 4), True),
        (date(2027, 7, 24), False),  # a Saturday
        (date(2027, 9, 6), True),  # 2027/28 has no term dates: any weekday counts
        (date(2027, 8, 30), False),  # summer bank holiday, in the 2026/27 summer holiday
        (date(2028, 8, 28), False),  # summer bank holiday in a year without term dates
    ],
)
def test_a_school_day_is_a_weekday_in_term_outside_closures_and_bank_holidays(day, expected):
    assert CALENDAR_2026.is_school_day(day) is expected


def test_the_school_year_has_38_teaching_weeks_where_a_weekday_count_gives_45():
    first, last = date(2026, 9, 7), date(2027, 7, 16)
    assert school_weeks_between(CALENDAR_2026, first, last) == 38
    assert school_weeks_between(SchoolCalendar(), first, last) == 45


def test_school_days_count_both_ends_and_skip_a_half_term():
    assert school_days_between(CALENDAR_2026, date(2026, 10, 19), date(2026, 11, 6)) == 10
    assert school_days_between(CALENDAR_2026, date(2026, 10, 26), date(2026, 10, 30)) == 0
    assert school_days_between(CALENDAR_2026, date(2026, 10, 30), date(2026, 10, 26)) == 0


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 10, 23), 1, date(2026, 11, 2)),  # over the half-term
        (date(2026, 12, 11), 15, date(2027, 1, 18)),  # over Christmas and the January INSET day
        (date(2027, 3, 25), 1, date(2027, 4, 12)),  # over Good Friday and the Easter holiday
        (date(2026, 11, 2), 0, date(2026, 11, 2)),
    ],
)
def test_adding_school_days_skips_holidays_closures_and_bank_holidays(start, days, expected):
    assert add_school_days(CALENDAR_2026, start, days) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 10, 31), date(2026, 10, 23)),  # Saturday of half-term: the Friday before it
        (date(2027, 5, 3), date(2027, 4, 30)),  # a bank holiday Monday in term
        (date(2027, 3, 29), date(2027, 3, 25)),  # Easter Monday: before Good Friday too
        (date(2026, 11, 4), date(2026, 11, 4)),  # already a school day
        (date(2028, 12, 25), date(2028, 12, 22)),  # no calendar for 2028/29: weekdays, less bank holidays
    ],
)
def test_a_date_outside_school_days_is_met_on_the_last_school_day_before_it(day, expected):
    assert last_school_day_on_or_before(CALENDAR_2026, day) == expected


def test_the_calendar_covers_only_school_years_with_term_dates():
    assert CALENDAR_2026.covers(date(2027, 8, 31)) is True
    assert CALENDAR_2026.covers(date(2027, 9, 1)) is False


def test_a_page_names_the_school_years_its_dates_reach_that_have_no_term_dates():
    assert years_without_term_dates(CALENDAR_2026, (date(2026, 10, 12), date(2026, 11, 6))) == []
    assert years_without_term_dates(
        CALENDAR_2026,
        (date(2027, 6, 7), date(2029, 9, 3)),  # a run across three summers
        (date(2025, 9, 1), date(2025, 9, 1)),
    ) == ["2025/26", "2027/28", "2028/29", "2029/30"]
    # A group that has not yet reached the end of its first week has counted no days.
    assert years_without_term_dates(SchoolCalendar(), (date(2026, 11, 2), date(2026, 11, 1))) == []


@pytest.mark.parametrize(
    ("day", "starts_in", "expected"),
    [
        (date(2027, 3, 31), 4, 2026),
        (date(2027, 4, 1), 4, 2027),
        (date(2027, 8, 31), 9, 2026),  # an academy's year runs September to August
        (date(2027, 9, 1), 9, 2027),
    ],
)
def test_the_financial_year_starts_in_april_or_for_academies_in_september(day, starts_in, expected):
    assert financial_year_of(day, starts_in_month=starts_in) == expected


def test_a_school_year_needs_each_term_once_in_order_and_closures_inside_terms():
    rows = [
        DatedRow("autumn", date(2026, 9, 1), date(2026, 12, 18)),
        DatedRow("spring", date(2026, 12, 1), date(2027, 3, 26)),
        DatedRow("half_term", date(2027, 4, 1), date(2027, 4, 9)),
        DatedRow("inset", date(2026, 9, 3), date(2026, 9, 2)),
    ]
    assert school_year_problems(2026, rows) == [
        "2026/27 needs one summer term (0 given).",
        "The inset from 03/09/2026 ends before it starts.",
        "The spring term of 2026/27 must start after the autumn term ends.",
        "The half term from 01/04/2027 is not inside a term of 2026/27.",
    ]


def test_copying_a_year_forward_moves_every_date_52_weeks_and_keeps_the_weekday():
    copied = copied_forward([DatedRow("autumn", date(2026, 9, 1), date(2026, 12, 18), "x")])
    assert copied == [DatedRow("autumn", date(2027, 8, 31), date(2027, 12, 17), "x")]
    assert copied[0].starts_on.weekday() == date(2026, 9, 1).weekday()


def test_a_calendar_file_is_read_by_school_year_with_every_problem_and_its_row():
    content = (
        b"kind,starts_on,ends_on,name\n"
        b"autumn,2026-09-01,2026-12-18,\n"
        b"spring,04/01/2027,2027-03-26,\n"
        b"summer,2027-04-12,2027-07-21,\n"
        b"half-term,2026-10-26,2026-10-30,October\n"
        b"inset,2026-09-01,1 Sept,\n"
    )
    years, problems = parse_calendar_csv(content)
    assert sorted(years) == [2026]
    assert [row.kind for row in years[2026]] == ["autumn", "spring", "summer"]
    assert problems == [
        "Row 5: kind must be one of autumn, spring, summer, half_term, inset, closure.",
        "Row 6: write dates as 2026-09-03 or 03/09/2026.",
    ]


def test_a_calendar_file_without_the_columns_says_which_are_missing():
    assert parse_calendar_csv(b"term,from\nautumn,2026-09-01\n") == (
        {},
        [
            "The heading row must name the columns kind, starts_on, ends_on, name "
            "(missing: kind, starts_on, ends_on)."
        ],
    )


def test_a_calendar_file_with_a_mistyped_year_is_a_problem_not_a_server_error():
    content = b"kind,starts_on,ends_on,name\nautumn,0001-09-01,0001-12-18,\nspring,9999-01-04,9999-03-26,\n"
    assert parse_calendar_csv(content) == (
        {},
        ["Row 2: dates must fall from 2000 to 2099.", "Row 3: dates must fall from 2000 to 2099."],
    )


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-1", "'-1"),
        ("@import", "'@import"),
        ("\tindented", "'\tindented"),
        ("Ava Taught", "Ava Taught"),
        ("", ""),
    ],
)
def test_a_csv_cell_never_starts_a_spreadsheet_formula(cell, written):
    assert spreadsheet_safe(cell) == written
