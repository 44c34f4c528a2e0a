"""Provision costs: the pure arithmetic of provision/rules/budget.py on awkward calendar cases, and the
selector that feeds it from the database."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from provision.factories import InterventionFactory, PlacementFactory, ProvisionGroupFactory, StaffRateFactory
from provision.rules import budget as costs
from provision.rules.budget import (
    DateRange,
    FinancialYear,
    GroupCosting,
    Stay,
    budget_summary,
    cost_lines,
    financial_year_of,
    group_cost,
    planned_weeks,
    share_group_cost,
    staff_rates_for,
)
from provision.selectors.budget import budget_summary_for, school_costs
from provision.services.budget import set_staff_member_rate
from pupils.factories import PupilFactory, SenStatusChangeFactory
from pupils.models import SenStatus
from senco.factories import english_school_year
from senco.services.calendar import save_school_year

FY_2026 = FinancialYear(2026)


def money(amount: Decimal) -> Decimal:
    """An amount as the pages show it: rounded to pence, half up, as `floatformat` does."""
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def staff_group(starts_on, ends_on, *, rate="18", minutes=30, sessions=3, staff=1, resources="0", group_id=1):
    return GroupCosting(
        group_id=group_id,
        intervention_id=10,
        starts_on=starts_on,
        ends_on=ends_on,
        sessions_per_week=sessions,
        minutes_per_session=minutes,
        staff_rates=(Decimal(rate),) * staff,
        resources_cost=Decimal(resources),
    )


def ten_weeks(**kwargs):
    # Monday 1 June to Sunday 9 August 2026: exactly 70 days.
    return staff_group(date(2026, 6, 1), date(2026, 8, 9), **kwargs)


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2027, 3, 31), "2026-27"),
        (date(2027, 4, 1), "2027-28"),
        (date(2028, 2, 29), "2027-28"),
        (date(2099, 12, 31), "2099-00"),
    ],
)
def test_financial_years_run_from_1_april_to_31_march(day, label):
    assert str(financial_year_of(day)) == label


def test_a_financial_year_knows_its_first_and_last_day():
    assert (FY_2026.starts_on, FY_2026.ends_on) == (date(2026, 4, 1), date(2027, 3, 31))


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "weeks"),
    [
        (date(2026, 9, 14), date(2026, 12, 11), Decimal(13)),  # Monday to Friday: 13 school weeks
        (date(2027, 3, 2), date(2027, 4, 26), Decimal(8)),  # Tuesday to Monday: 56 days
        (date(2027, 2, 1), date(2027, 2, 28), Decimal(4)),
        (date(2028, 2, 1), date(2028, 2, 29), Decimal("4.2")),  # leap day, a Tuesday, is a fifth
        (date(2026, 6, 1), date(2026, 6, 8), Decimal("1.2")),  # Monday to the next Monday
        (date(2026, 6, 6), date(2026, 6, 7), Decimal(0)),  # a weekend only
        (date(2026, 6, 3), date(2026, 6, 3), Decimal("0.2")),  # one Wednesday
    ],
)
def test_planned_weeks_count_whole_weeks_and_leftover_school_days(starts_on, ends_on, weeks):
    assert planned_weeks(starts_on, ends_on) == weeks


def test_staff_time_cost_is_rate_times_hours_sessions_weeks_and_staff_plus_resources():
    group = ten_weeks(rate="18", minutes=30, sessions=3, staff=2, resources="45.50")
    # £18 x 0.5 h x 3 a week x 10 weeks x 2 staff + £45.50
    assert group_cost(group) == Decimal("585.50")


def test_a_bought_in_programme_with_none_of_our_staff_costs_its_fee_plus_resources_whatever_its_length():
    short, long = (
        GroupCosting(
            group_id=1,
            intervention_id=1,
            starts_on=date(2026, 6, 1),
            ends_on=ends_on,
            sessions_per_week=5,
            minutes_per_session=20,
            fee=Decimal("450"),
            resources_cost=Decimal("50"),
        )
        for ends_on in (date(2026, 6, 12), date(2026, 12, 18))
    )
    assert (group_cost(short), group_cost(long)) == (Decimal(500), Decimal(500))


def test_a_bought_in_programme_run_by_our_staff_adds_their_time_to_its_fee():
    group = GroupCosting(
        group_id=1,
        intervention_id=1,
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 8, 9),
        sessions_per_week=3,
        minutes_per_session=30,
        staff_rates=(Decimal(18),),
        fee=Decimal("750"),
    )
    assert group_cost(group) == Decimal(1020)  # £750 + £18 x 0.5 h x 3 x 10 weeks


@pytest.mark.parametrize(
    ("own_rates", "default_rate", "default_count", "expected"),
    [
        ([Decimal(45), Decimal(18)], Decimal(16), 1, (Decimal(45), Decimal(18))),  # each their own
        ([None, Decimal(18)], Decimal(16), 1, (Decimal(16), Decimal(18))),  # no own rate: the catalogue's
        ([], Decimal(16), 2, (Decimal(16), Decimal(16))),  # nobody named: the catalogue's plan
        ([None], None, 1, (Decimal(0),)),  # nobody has recorded a rate
    ],
)
def test_each_member_of_staff_is_costed_at_their_own_rate_else_the_catalogues(
    own_rates, default_rate, default_count, expected
):
    assert staff_rates_for(own_rates, default_rate=default_rate, default_count=default_count) == expected


def test_a_bought_in_programme_is_shared_by_pupil_days_like_any_group():
    group = GroupCosting(
        group_id=1,
        intervention_id=1,
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 8, 9),
        sessions_per_week=5,
        minutes_per_session=20,
        fee=Decimal("600"),
    )
    allocation = share_group_cost(group, [Stay(1, date(2026, 6, 1)), Stay(2, date(2026, 6, 1))])
    assert {pupil: money(share) for pupil, share in allocation.shares.items()} == {
        1: Decimal(300),
        2: Decimal(300),
    }


def test_a_group_of_one_carries_the_whole_cost():
    group = ten_weeks()  # £270
    allocation = share_group_cost(group, [Stay(7, date(2026, 6, 1))])
    assert (allocation.shares, allocation.unallocated) == ({7: Decimal(270)}, Decimal(0))


def test_a_pupil_joining_midway_pays_only_for_the_days_they_were_in():
    group = ten_weeks()  # £270 over 70 days
    allocation = share_group_cost(group, [Stay(1, date(2026, 6, 1)), Stay(2, date(2026, 7, 6))])
    # Days 1-35: pupil 1 alone (£135); days 36-70 shared (£67.50 each).
    assert {p: money(s) for p, s in allocation.shares.items()} == {1: Decimal("202.50"), 2: Decimal("67.50")}
    assert money(allocation.total) == Decimal(270)


def test_a_pupil_leaving_early_pays_to_the_day_before_they_left_and_the_rest_falls_to_those_still_in():
    group = ten_weeks()
    # Taken out on Monday 6 July (their first day out): in the group for days 1-35.
    allocation = share_group_cost(
        group, [Stay(1, date(2026, 6, 1), date(2026, 7, 6)), Stay(2, date(2026, 6, 1))]
    )
    assert {p: money(s) for p, s in allocation.shares.items()} == {1: Decimal("67.50"), 2: Decimal("202.50")}


def test_when_the_only_pupil_leaves_early_the_rest_of_the_group_is_unallocated():
    group = ten_weeks()
    allocation = share_group_cost(group, [Stay(1, date(2026, 6, 1), date(2026, 7, 6))])
    assert (money(allocation.shares[1]), money(allocation.unallocated)) == (Decimal(135), Decimal(135))


def test_the_day_a_pupil_is_taken_out_is_not_charged_to_them_as_in_the_delivery_log():
    # Monday 5 to Friday 16 January 2026, two pupils; A is taken out on Monday 12 January.
    group = staff_group(date(2026, 1, 5), date(2026, 1, 16), rate="18", minutes=60, sessions=1)
    allocation = share_group_cost(
        group, [Stay(1, date(2026, 1, 5), date(2026, 1, 12)), Stay(2, date(2026, 1, 5))]
    )
    # 12 days cost £36 (2 weeks x £18), £3 a day: A shares 5-11 January only, not the 12th.
    assert {p: money(s) for p, s in allocation.shares.items()} == {1: Decimal("10.50"), 2: Decimal("25.50")}


def test_a_pupil_taken_out_the_day_they_joined_pays_nothing():
    allocation = share_group_cost(ten_weeks(), [Stay(1, date(2026, 6, 8), date(2026, 6, 8))])
    assert (allocation.shares, allocation.unallocated) == ({}, Decimal(270))


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [(date(9999, 12, 30), date(9999, 12, 31)), (date(1, 1, 1), date(1, 1, 7)), (date(9999, 1, 1), date.max)],
)
def test_dates_at_the_ends_of_the_calendar_are_priced_without_overflowing(starts_on, ends_on):
    group = staff_group(starts_on, ends_on)
    lines = cost_lines([group], {1: [Stay(1, starts_on)]})
    assert costs.school_total(lines) == group_cost(group)


def test_financial_years_at_the_ends_of_the_calendar_are_cut_to_the_dates_there_are():
    assert (FinancialYear(9999).ends_on, FinancialYear(0).starts_on) == (date.max, date.min)


def test_a_group_with_no_pupils_is_wholly_unallocated():
    allocation = share_group_cost(ten_weeks(), [])
    assert (allocation.shares, allocation.unallocated) == ({}, Decimal(270))
    lines = cost_lines([ten_weeks()], {})
    assert [(line.pupil_id, line.amount) for line in lines] == [(None, Decimal(270))]


def test_placement_dates_outside_the_group_are_ignored():
    group = ten_weeks()
    allocation = share_group_cost(group, [Stay(1, date(2026, 1, 5), date(2026, 12, 31))])
    assert allocation.shares == {1: Decimal(270)}


def test_a_plan_spanning_two_financial_years_splits_by_days_in_each():
    # Tuesday 2 March to Monday 26 April 2027: 8 weeks, 30 days in March and 26 in April.
    group = staff_group(date(2027, 3, 2), date(2027, 4, 26), rate="20", minutes=60, sessions=2)  # £320
    lines = cost_lines([group], {1: [Stay(5, date(2027, 3, 2))]})
    by_year = {str(line.financial_year): money(line.amount) for line in lines}
    assert by_year == {"2026-27": Decimal("171.43"), "2027-28": Decimal("148.57")}


def test_a_window_cuts_a_group_to_its_days_inside():
    group = staff_group(date(2027, 3, 2), date(2027, 4, 26), rate="20", minutes=60, sessions=2)
    lines = cost_lines([group], {}, window=FinancialYear(2027).window)
    assert [(str(line.financial_year), money(line.amount)) for line in lines] == [
        ("2027-28", Decimal("148.57"))
    ]


def test_leap_year_february_is_priced_and_shared_by_its_29_days():
    # 1-29 February 2028: 4 1/5 weeks at £15 x 1 h x 5 a week = £315 over 29 days.
    group = staff_group(date(2028, 2, 1), date(2028, 2, 29), rate="15", minutes=60, sessions=5)
    allocation = share_group_cost(group, [Stay(1, date(2028, 2, 1)), Stay(2, date(2028, 2, 15))])
    assert money(group_cost(group)) == Decimal(315)
    # Pupil 1 alone for 14 days (£152.07), then 15 days shared (£81.47 each).
    assert {p: money(s) for p, s in allocation.shares.items()} == {1: Decimal("233.53"), 2: Decimal("81.47")}


def test_totals_by_pupil_intervention_and_school():
    first = ten_weeks(group_id=1)  # £270
    second = GroupCosting(
        group_id=2,
        intervention_id=20,
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 8, 9),
        sessions_per_week=1,
        minutes_per_session=60,
        staff_rates=(Decimal(30),),
    )  # £300
    lines = cost_lines([first, second], {1: [Stay(1, date(2026, 6, 1))], 2: [Stay(1, date(2026, 6, 1))]})
    lines += cost_lines([ten_weeks(group_id=3)], {3: [Stay(2, date(2026, 6, 1))]})
    assert costs.totals_by_pupil(lines) == {1: Decimal(570), 2: Decimal(270)}
    assert costs.totals_by_intervention(lines) == {10: Decimal(540), 20: Decimal(300)}
    assert costs.school_total(lines) == Decimal(840)


def year_long(rate, *, group_id=1, starts_on=date(2026, 4, 1), ends_on=date(2027, 3, 31)):
    return staff_group(starts_on, ends_on, rate=rate, minutes=60, sessions=5, group_id=group_id)


def pupils_over_threshold(lines, year: FinancialYear) -> int:
    summary = budget_summary(lines, year=year, notional_sen_budget=None)
    return summary.pupils_over_threshold


def test_the_6000_threshold_flags_pupils_whose_year_total_exceeds_it_not_equals_it():
    # 1 April 2026 to 31 March 2027: 52 weeks and one weekday (Wednesday 31 March), 52.2 weeks.
    over = year_long("23")  # £23 x 5 h a week x 52.2 weeks = £6,003
    lines = cost_lines([over], {1: [Stay(2, date(2026, 4, 1))]})
    lines.append(costs.CostLine(1, 2, 10, FY_2026, Decimal(6000)))
    assert pupils_over_threshold(lines, FY_2026) == 1


def test_the_threshold_is_per_financial_year_not_per_plan():
    # £23 x 5 h a week from 1 October 2026 to 30 September 2027: £6,003 in all, under in each year.
    group = year_long("23", starts_on=date(2026, 10, 1), ends_on=date(2027, 9, 30))
    lines = cost_lines([group], {1: [Stay(1, date(2026, 10, 1))]})
    assert costs.school_total(lines) > costs.ELEMENT2_THRESHOLD
    in_each_year = [pupils_over_threshold(lines, FinancialYear(year)) for year in (2026, 2027)]
    assert in_each_year == [0, 0]


def test_budget_summary_splits_spend_into_element_2_above_threshold_and_unallocated():
    lines = [
        costs.CostLine(1, 1, 10, FY_2026, Decimal("7500")),
        costs.CostLine(2, 1, 10, FY_2026, Decimal("2000")),
        costs.CostLine(None, 2, 10, FY_2026, Decimal("500")),
        costs.CostLine(3, 1, 10, FinancialYear(2025), Decimal("9999")),  # another year: left out
    ]
    summary = budget_summary(
        lines, year=FY_2026, notional_sen_budget=Decimal(150000), top_ups={1: Decimal(1000)}
    )
    assert (summary.spent, summary.element2, summary.above_threshold, summary.unallocated) == (
        Decimal(10000),
        Decimal(8000),
        Decimal(1500),
        Decimal(500),
    )
    assert (summary.pupils_over_threshold, summary.remaining, summary.element3_shortfall) == (
        1,
        Decimal(140000),
        Decimal(500),
    )


def test_budget_summary_without_a_recorded_budget_still_counts_the_spend():
    summary = budget_summary(
        [costs.CostLine(1, 1, 10, FY_2026, Decimal(10))],
        year=FY_2026,
        notional_sen_budget=None,
    )
    assert (summary.spent, summary.remaining, summary.element3_shortfall) == (Decimal(10), None, Decimal(0))


def test_date_ranges_overlap_only_on_shared_days():
    june = DateRange(date(2026, 6, 1), date(2026, 6, 30))
    assert june.overlap(DateRange(date(2026, 6, 30), date(2026, 7, 5))) == DateRange(
        date(2026, 6, 30), date(2026, 6, 30)
    )
    assert june.overlap(DateRange(date(2026, 7, 1), date(2026, 7, 5))) is None


def test_school_costs_prices_groups_from_the_database_in_a_few_queries(
    senco, school, django_assert_num_queries
):
    rate = StaffRateFactory(school=school, name="Level 3 TA", hourly_cost=Decimal("18.00"))
    intervention = InterventionFactory(school=school, staff_rate=rate, resources_cost=Decimal("30"))
    group = ProvisionGroupFactory(
        intervention=intervention,
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 8, 9),
        sessions_per_week=3,
        minutes_per_session=30,
    )
    first, second = PupilFactory.create_batch(2, school=school)
    PlacementFactory(group=group, pupil=first)
    PlacementFactory(group=group, pupil=second, joined_on=date(2026, 7, 6))
    senco.school  # noqa: B018 (load the user's school and roles before counting queries)
    # Groups with their interventions, their staff, the staff rates' hourly costs from their
    # days with the staff's own rates, the interventions' costs from their days, placements,
    # terms and closures (one query), and the SEN status history.
    with django_assert_num_queries(7):
        result = school_costs(senco, window=FY_2026.window)
    by_pupil = {pupil: money(total) for pupil, total in costs.totals_by_pupil(result.lines).items()}
    # £300 (£270 staff time + £30 resources): £150 alone then £75 each.
    assert by_pupil == {first.pk: Decimal("225.00"), second.pk: Decimal("75.00")}


def test_school_costs_see_only_the_users_school_and_nothing_for_a_teacher(senco, teacher, other_school):
    ProvisionGroupFactory(intervention=InterventionFactory(school=other_school))
    assert (school_costs(senco, window=None).lines, school_costs(teacher, window=None).lines) == ([], [])


# Teaching weeks and the school's financial year (issue 10, item 1).


@pytest.fixture
def term_dates_2026(school, senco):
    """The school's real 2026/27 term dates: half-terms, INSET days and the holidays between."""
    return save_school_year(school=school, start_year=2026, rows=english_school_year(2026), by=senco)


def three_a_week(school, starts_on, ends_on, **kwargs):
    """A group of 3 x 30 min a week with one TA at £18 an hour: £27 a teaching week."""
    rate = StaffRateFactory(school=school, name="Level 3 TA", hourly_cost=Decimal("18.00"))
    group = ProvisionGroupFactory(
        intervention=InterventionFactory(school=school, staff_rate=rate),
        starts_on=starts_on,
        ends_on=ends_on,
        sessions_per_week=3,
        minutes_per_session=30,
        **kwargs,
    )
    PlacementFactory(group=group)
    return group


def test_a_school_year_group_is_costed_over_its_38_teaching_weeks_not_45_weeks(
    senco, school, term_dates_2026
):
    # Monday 7 September 2026 to Friday 16 July 2027: 45 weeks by weekdays, 38 in term time.
    three_a_week(school, date(2026, 9, 7), date(2027, 7, 16))
    lines = school_costs(senco, window=None).lines
    assert costs.school_total(lines) == Decimal(38 * 27)


def test_without_term_dates_the_same_group_is_costed_by_weekdays_as_before(senco, school):
    three_a_week(school, date(2026, 9, 7), date(2027, 7, 16))
    assert costs.school_total(school_costs(senco, window=None).lines) == Decimal(45 * 27)


def test_a_group_over_the_easter_holiday_splits_between_financial_years_by_teaching_days(
    senco, school, term_dates_2026
):
    # Tuesday 2 March to Monday 26 April 2027: 6 teaching weeks (Easter is 29 March to 9 April),
    # £162; 18 school days fall in March and 11 in April.
    three_a_week(school, date(2027, 3, 2), date(2027, 4, 26))
    by_year = costs.totals_by(school_costs(senco, window=None).lines, lambda line: str(line.financial_year))
    assert {year: money(amount) for year, amount in by_year.items()} == {
        "2026-27": Decimal("100.55"),
        "2027-28": Decimal("61.45"),
    }


def test_weeks_in_a_school_year_without_term_dates_fall_back_to_weekdays(senco, school, term_dates_2026):
    # Monday 5 July to Friday 24 September 2027: 2026/27 has term dates (term ends Wednesday 21
    # July, so 3 teaching weeks), 2027/28 has none (every week from 30 August counts: 4 weeks).
    three_a_week(school, date(2027, 7, 5), date(2027, 9, 24))
    assert costs.school_total(school_costs(senco, window=None).lines) == Decimal(7 * 27)


@pytest.mark.parametrize(
    ("starts_in", "day", "first", "last", "label"),
    [
        (4, date(2027, 3, 31), date(2026, 4, 1), date(2027, 3, 31), "2026-27"),
        (9, date(2027, 3, 31), date(2026, 9, 1), date(2027, 8, 31), "2026-27"),
        (9, date(2026, 8, 31), date(2025, 9, 1), date(2026, 8, 31), "2025-26"),
    ],
)
def test_a_financial_year_starts_in_the_schools_month(starts_in, day, first, last, label):
    year = financial_year_of(day, starts_in_month=starts_in)
    assert (year.starts_on, year.ends_on, str(year)) == (first, last, label)


def test_an_academy_with_a_september_year_splits_a_group_at_31_august_not_31_march(senco, school):
    school.financial_year_starts = 9
    school.save()
    # Wednesday 4 August to Tuesday 28 September 2027, no term dates: 8 weeks, 28 days on each
    # side of 31 August.
    three_a_week(school, date(2027, 8, 4), date(2027, 9, 28))
    by_year = costs.totals_by(school_costs(senco, window=None).lines, lambda line: str(line.financial_year))
    assert by_year == {"2026-27": Decimal(108), "2027-28": Decimal(108)}


# Fee plus staff time; a group's own staff at their own rates (issue 10, item 2).


def ten_week_group(school, intervention, staff=()):
    # Monday 1 June to Sunday 9 August 2026, no term dates: 10 weeks of 3 x 30 min.
    group = ProvisionGroupFactory(
        intervention=intervention,
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 8, 9),
        sessions_per_week=3,
        minutes_per_session=30,
        staff=list(staff),
    )
    PlacementFactory(group=group)
    return group


def test_a_bought_in_programme_run_by_a_ta_costs_its_fee_plus_the_tas_time(senco, school, ta):
    rate = StaffRateFactory(school=school, name="Teaching assistant", hourly_cost=Decimal("18.00"))
    programme = InterventionFactory(
        school=school, cost_basis="fixed", fixed_cost=Decimal("750"), staff_rate=rate, resources_cost=30
    )
    ten_week_group(school, programme, staff=[ta])
    # £750 fee + £18 x 0.5 h x 3 a week x 10 weeks + £30 resources.
    assert costs.school_total(school_costs(senco, window=None).lines) == Decimal(1050)


def test_a_group_is_costed_with_its_own_staff_at_their_rates_not_the_catalogues(senco, school, ta, teacher):
    ta_rate = StaffRateFactory(school=school, name="Teaching assistant", hourly_cost=Decimal("18.00"))
    teacher_rate = StaffRateFactory(school=school, name="Teacher", hourly_cost=Decimal("45.00"))
    for member, rate in ((ta, ta_rate), (teacher, teacher_rate)):
        set_staff_member_rate(
            school=school,
            staff=member,
            staff_rate=rate,
            applies_from=date(2026, 4, 1),
            today=date(2026, 4, 1),
            version="",
            by=senco,
        )
    catalogue_says_one_ta = InterventionFactory(school=school, staff_rate=ta_rate, staff_per_session=1)
    ten_week_group(school, catalogue_says_one_ta, staff=[teacher, ta])
    # (£45 + £18) x 0.5 h x 3 a week x 10 weeks.
    assert costs.school_total(school_costs(senco, window=None).lines) == Decimal("945")


def test_staff_with_no_rate_of_their_own_are_costed_at_the_interventions_rate(senco, school, ta, teacher):
    rate = StaffRateFactory(school=school, name="Teaching assistant", hourly_cost=Decimal("18.00"))
    ten_week_group(school, InterventionFactory(school=school, staff_rate=rate), staff=[teacher, ta])
    assert costs.school_total(school_costs(senco, window=None).lines) == Decimal(540)


def test_a_group_naming_no_staff_yet_is_costed_by_the_catalogue(senco, school):
    rate = StaffRateFactory(school=school, name="Teaching assistant", hourly_cost=Decimal("18.00"))
    ten_week_group(school, InterventionFactory(school=school, staff_rate=rate, staff_per_session=2))
    assert costs.school_total(school_costs(senco, window=None).lines) == Decimal(540)


# Element 2 is for pupils on the SEN register (issue 10, item 2).


def test_a_share_counts_as_element_2_only_for_the_days_the_pupil_is_on_the_register():
    # £270 over 70 days for one pupil, who goes on SEN support on Monday 6 July (day 36).
    register = {1: (DateRange(date(2026, 7, 6), date.max),)}
    lines = cost_lines([ten_weeks()], {1: [Stay(1, date(2026, 6, 1))]}, register=register)
    summary = budget_summary(lines, year=FY_2026, notional_sen_budget=None)
    assert (summary.element2, summary.not_on_register, summary.spent) == (
        Decimal(135),
        Decimal(135),
        Decimal(270),
    )
    assert costs.totals_by_pupil(lines) == {1: Decimal(270)}


@pytest.mark.parametrize(
    ("history", "periods"),
    [
        ([(1, date(2026, 9, 1), True)], (DateRange(date(2026, 9, 1), date.max),)),
        (
            [(1, date(2026, 9, 1), True), (1, date(2027, 1, 4), False), (1, date(2027, 3, 1), True)],
            (DateRange(date(2026, 9, 1), date(2027, 1, 3)), DateRange(date(2027, 3, 1), date.max)),
        ),
        # Two entries on one day: the later one is the status (as everywhere else).
        (
            [(1, date(2026, 9, 1), False), (1, date(2026, 9, 1), True)],
            (DateRange(date(2026, 9, 1), date.max),),
        ),
        ([(1, date(2026, 9, 1), True), (1, date(2026, 9, 1), False)], ()),
        # EHC plan after SEN support is one stay on the register.
        (
            [(1, date(2026, 9, 1), True), (1, date(2027, 2, 1), True)],
            (DateRange(date(2026, 9, 1), date.max),),
        ),
    ],
)
def test_register_periods_follow_the_dated_status_history(history, periods):
    assert costs.register_periods(history).get(1, ()) == periods


def test_pupils_not_on_the_register_are_left_out_of_element_2_and_the_6000_flag(senco, school):
    costly = InterventionFactory(
        school=school, cost_basis="fixed", fixed_cost=Decimal("7000"), staff_rate=None
    )
    on_support, monitored = PupilFactory.create_batch(2, school=school)
    SenStatusChangeFactory(pupil=on_support, status=SenStatus.SEN_SUPPORT, effective_from=date(2025, 9, 1))
    SenStatusChangeFactory(pupil=monitored, status=SenStatus.MONITORING, effective_from=date(2025, 9, 1))
    for pupil in (on_support, monitored):
        group = ProvisionGroupFactory(
            intervention=costly, starts_on=date(2026, 9, 14), ends_on=date(2026, 12, 11)
        )
        PlacementFactory(group=group, pupil=pupil)
    summary = budget_summary_for(senco, year=FY_2026, lines=school_costs(senco, window=FY_2026.window).lines)
    assert (
        summary.element2,
        summary.above_threshold,
        summary.not_on_register,
        summary.pupils_over_threshold,
    ) == (
        Decimal(6000),
        Decimal(1000),
        Decimal(7000),
        1,
    )


# Element 3 top-up per pupil (issue 10, item 2).


def test_the_6000_flag_says_who_is_over_the_threshold_without_a_top_up():
    lines = [
        costs.CostLine(1, 1, 10, FY_2026, Decimal(7500)),  # top-up £1,000: £500 above it uncovered
        costs.CostLine(2, 1, 10, FY_2026, Decimal(6500)),  # no top-up
        costs.CostLine(3, 1, 10, FY_2026, Decimal(2000)),  # an EHC plan's top-up, little group provision
    ]
    top_ups = {1: Decimal(1000), 3: Decimal(8000)}
    pupils = costs.pupil_years(lines, FY_2026, top_ups=top_ups)
    assert [(p.over_threshold, p.without_top_up, p.top_up_shortfall) for p in pupils.values()] == [
        (True, False, Decimal(500)),
        (True, True, Decimal(500)),
        (False, False, Decimal(0)),
    ]
    summary = budget_summary(lines, year=FY_2026, notional_sen_budget=None, top_ups=top_ups)
    # Counted pupil by pupil: pupil 3's unused £6,000 of top-up does not cover pupil 2.
    assert (summary.element3_income, summary.element3_shortfall, summary.pupils_without_top_up) == (
        Decimal(9000),
        Decimal(1000),
        1,
    )
