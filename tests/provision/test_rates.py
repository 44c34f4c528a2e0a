"""Rates with effective dates (issue 13, item 5): a staff rate's hourly cost and an intervention's
fee and resources apply from a date; a change re-prices provision from that date only, and the
cost of a finished financial year never moves."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from provision.rules import budget as costs
from provision.rules.budget import (
    FROM_THE_START,
    DatedAmount,
    DateRange,
    FinancialYear,
    GroupCosting,
    Stay,
    cost_lines,
    group_cost,
    share_group_cost,
)


def money(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rate(*changes: tuple[date, str]) -> DatedAmount:
    return DatedAmount(tuple((day, Decimal(amount)) for day, amount in changes))


def group(starts_on, ends_on, *rates, fee=None, resources=None, sessions=3, minutes=30) -> GroupCosting:
    return GroupCosting(
        group_id=1,
        intervention_id=10,
        starts_on=starts_on,
        ends_on=ends_on,
        sessions_per_week=sessions,
        minutes_per_session=minutes,
        staff_rates=rates,
        fee=fee if fee is not None else costs.ZERO,
        resources_cost=resources if resources is not None else costs.ZERO,
    )


# The rules: pure arithmetic on real calendar cases ------------------------------------------------


@pytest.mark.parametrize(
    ("day", "amount"),
    [
        (date(2020, 1, 1), "18.00"),
        (date(2026, 8, 31), "18.00"),  # the day before the change
        (date(2026, 9, 1), "19.50"),  # the change's own day
        (date(2028, 2, 28), "19.50"),
        (date(2028, 2, 29), "21.00"),  # a change from a leap day
        (date.max, "21.00"),
    ],
)
def test_the_amount_in_force_is_the_latest_applying_on_the_day(day, amount):
    history = rate((FROM_THE_START, "18.00"), (date(2026, 9, 1), "19.50"), (date(2028, 2, 29), "21.00"))
    assert history.on(day) == Decimal(amount)


def test_before_the_first_amount_nothing_is_recorded_so_it_costs_nothing():
    assert rate((date(2026, 9, 1), "19.50")).on(date(2026, 8, 31)) == Decimal(0)


def test_a_pay_award_mid_group_prices_each_part_of_the_group_at_its_own_rate():
    # Monday 1 June to Sunday 9 August 2026, no term dates: 10 weeks of 3 x 30 min, 70 days.
    # £18 an hour to Sunday 5 July (35 days), £20 from Monday 6 July (35 days):
    # £27 a week x 10 weeks x 35/70 + £30 a week x 10 weeks x 35/70.
    ta = rate((FROM_THE_START, "18"), (date(2026, 7, 6), "20"))
    assert group_cost(group(date(2026, 6, 1), date(2026, 8, 9), ta)) == Decimal(135 + 150)


def test_a_change_before_or_after_a_group_leaves_it_priced_at_the_one_rate_in_force():
    before = rate((FROM_THE_START, "15"), (date(2026, 5, 1), "18"))
    after = rate((FROM_THE_START, "18"), (date(2026, 8, 10), "25"))
    ten_weeks = (date(2026, 6, 1), date(2026, 8, 9))
    assert group_cost(group(*ten_weeks, before)) == group_cost(group(*ten_weeks, after)) == Decimal(270)


def test_a_change_on_1_april_re_prices_the_new_financial_year_and_leaves_the_old_one_as_it_was():
    # Tuesday 2 March to Monday 26 April 2027, no term dates: 8 weeks, 56 days, 30 of them in
    # March. At £18 throughout: £216, £115.71 in 2026-27 and £100.29 in 2027-28.
    before = group(date(2027, 3, 2), date(2027, 4, 26), rate((FROM_THE_START, "18")))
    after = group(date(2027, 3, 2), date(2027, 4, 26), rate((FROM_THE_START, "18"), (date(2027, 4, 1), "20")))
    stays = {1: [Stay(7, date(2027, 3, 2))]}
    by_year = [
        {
            str(year): money(amount)
            for year, amount in costs.totals_by(lines, lambda line: line.financial_year).items()
        }
        for lines in (cost_lines([before], stays), cost_lines([after], stays))
    ]
    assert by_year == [
        {"2026-27": Decimal("115.71"), "2027-28": Decimal("100.29")},
        # £20 x 0.5 h x 3 a week x 8 weeks x 26/56 from 1 April.
        {"2026-27": Decimal("115.71"), "2027-28": Decimal("111.43")},
    ]
    old_year = [
        line.amount for line in cost_lines([before], stays) if line.financial_year == FinancialYear(2026)
    ]
    new_year = [
        line.amount for line in cost_lines([after], stays) if line.financial_year == FinancialYear(2026)
    ]
    assert old_year == new_year  # to the last digit, not only to the penny


def test_a_pupil_pays_each_day_at_the_rate_in_force_that_day():
    # The ten weeks again, at £18 then £20 from 6 July; a second pupil joins on 6 July too.
    ta = rate((FROM_THE_START, "18"), (date(2026, 7, 6), "20"))
    first, second = Stay(1, date(2026, 6, 1)), Stay(2, date(2026, 7, 6))
    allocation = share_group_cost(group(date(2026, 6, 1), date(2026, 8, 9), ta), [first, second])
    # £135 alone at £18, then £150 shared at £20.
    assert allocation.shares == {1: Decimal(135 + 75), 2: Decimal(75)}


def test_the_fee_and_resources_are_those_in_force_on_the_groups_first_day():
    fee = rate((FROM_THE_START, "450"), (date(2026, 9, 1), "500"))
    resources = rate((FROM_THE_START, "30"), (date(2026, 9, 1), "40"))
    summer = group(date(2026, 6, 1), date(2026, 9, 25), fee=fee, resources=resources)
    autumn = group(date(2026, 9, 1), date(2026, 12, 18), fee=fee, resources=resources)
    assert (group_cost(summer), group_cost(autumn)) == (Decimal(480), Decimal(540))


def test_each_member_of_staff_is_priced_at_their_own_rates_history():
    # A teacher at £45 throughout and a TA at £18, then £20 from Monday 6 July.
    teacher = rate((FROM_THE_START, "45"))
    ta = rate((FROM_THE_START, "18"), (date(2026, 7, 6), "20"))
    ten_weeks = group(date(2026, 6, 1), date(2026, 8, 9), teacher, ta)
    # (£45 + £18) x 1.5 h x 5 weeks + (£45 + £20) x 1.5 h x 5 weeks.
    assert group_cost(ten_weeks) == Decimal("472.5") + Decimal("487.5")


def test_a_group_over_a_change_costs_the_sum_of_its_financial_years():
    ta = rate((FROM_THE_START, "18"), (date(2027, 3, 15), "19.37"), (date(2027, 4, 1), "20.11"))
    spanning = group(date(2027, 3, 2), date(2027, 4, 26), ta)
    lines = cost_lines([spanning], {1: [Stay(7, date(2027, 3, 2))]})
    assert money(costs.school_total(lines)) == money(group_cost(spanning))


def test_a_period_is_cut_only_at_changes_inside_it():
    ta = rate(
        (FROM_THE_START, "18"), (date(2026, 6, 1), "19"), (date(2026, 7, 6), "20"), (date(2027, 1, 4), "21")
    )
    assert ta.changes_within(DateRange(date(2026, 6, 1), date(2026, 8, 9))) == {date(2026, 7, 6)}
