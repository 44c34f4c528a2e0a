"""Rates with effective dates (issue 13, item 5): a staff rate's hourly cost and an intervention's
fee and resources apply from a date; a change re-prices provision from that date only, and the
cost of a finished financial year never moves."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from provision.factories import InterventionFactory, PlacementFactory, ProvisionGroupFactory, StaffRateFactory
from provision.models import StaffMemberRate
from provision.rules import budget as costs
from provision.rules.budget import (
    FROM_THE_START,
    DatedAmount,
    DateRange,
    FinancialYear,
    GroupCosting,
    Stay,
    cost_lines,
    financial_year_of,
    group_cost,
    share_group_cost,
)
from provision.selectors.budget import budget_years, school_costs, staff_member_rate_on
from provision.services.budget import (
    STAFF_MEMBER_RATE_FIELDS,
    change_intervention_costs,
    change_staff_rate,
    set_staff_member_rate,
)
from provision.services.interventions import update_intervention
from senco.concurrency import version_token
from senco.factories import staff_member
from senco.models import AuditEvent, Role

ENDED_2025 = "The 2025-26 financial year has ended, so its costs are final: choose 1 April 2026 or later."


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


def test_a_member_of_staff_is_priced_at_each_rate_they_had_and_the_interventions_between():
    ta, hlta = rate((FROM_THE_START, "18"), (date(2026, 9, 1), "19")), rate((FROM_THE_START, "21"))
    catalogue = rate((FROM_THE_START, "16"))
    # Their own TA rate from 1 June, the higher-level rate from 4 January, none from 1 April.
    own = [(date(2026, 6, 1), ta), (date(2027, 1, 4), hlta), (date(2027, 4, 1), None)]
    member = costs.member_rate(own, default=catalogue)
    assert [member.on(day) for day in (date(2026, 5, 31), date(2026, 6, 1), date(2026, 9, 1))] == [16, 18, 19]
    assert [member.on(day) for day in (date(2027, 1, 3), date(2027, 1, 4), date(2027, 4, 1))] == [19, 21, 16]


# Changing a staff rate from a day: the service, its refusals and its audit row ---------------------


@pytest.fixture
def ta_rate(school):
    """A TA's rate at £18 an hour, from the start."""
    return StaffRateFactory(school=school, name="Teaching assistant", hourly_cost=Decimal("18.00"))


def three_a_week(school, rate, starts_on, ends_on):
    """A group of 3 x 30 min a week with one pupil, costed at `rate`: £27 a teaching week at £18."""
    group = ProvisionGroupFactory(
        intervention=InterventionFactory(school=school, staff_rate=rate),
        starts_on=starts_on,
        ends_on=ends_on,
        sessions_per_week=3,
        minutes_per_session=30,
    )
    PlacementFactory(group=group)
    return group


def change(rate, hourly_cost, applies_from, *, today, by, name=None):
    return change_staff_rate(
        rate=rate,
        name=name or rate.name,
        hourly_cost=Decimal(hourly_cost),
        applies_from=applies_from,
        today=today,
        by=by,
    )


def by_year(user) -> dict[str, Decimal]:
    lines = school_costs(user, window=None).lines
    return {
        str(year): money(total)
        for year, total in costs.totals_by(lines, lambda line: line.financial_year).items()
    }


def amounts_of(rate) -> list[tuple[date, Decimal]]:
    return list(rate.amounts.values_list("applies_from", "hourly_cost"))


def test_a_change_mid_group_re_prices_the_group_from_its_day_by_school_days(
    senco, school, ta_rate, term_dates_2026
):
    # Monday 2 November to Friday 18 December 2026: 7 teaching weeks, 35 school days, £189 at £18.
    three_a_week(school, ta_rate, date(2026, 11, 2), date(2026, 12, 18))
    assert by_year(senco) == {"2026-27": Decimal(189)}
    # £20 from Monday 30 November, after 20 school days: £189 x 20/35 + £210 x 15/35.
    change(ta_rate, "20.00", date(2026, 11, 30), today=date(2026, 12, 2), by=senco)
    assert by_year(senco) == {"2026-27": Decimal(108 + 90)}
    assert amounts_of(ta_rate) == [(FROM_THE_START, Decimal("18.00")), (date(2026, 11, 30), Decimal("20.00"))]


def test_a_pay_award_from_1_april_leaves_the_ending_financial_year_as_it_was(
    senco, school, ta_rate, term_dates_2026
):
    # Tuesday 2 March to Monday 26 April 2027: 6 teaching weeks over Easter, £162; 18 school days
    # fall in March and 11 in April.
    three_a_week(school, ta_rate, date(2027, 3, 2), date(2027, 4, 26))
    before = by_year(senco)
    change(ta_rate, "20.00", date(2027, 4, 1), today=date(2027, 3, 15), by=senco)
    assert (before, by_year(senco)) == (
        {"2026-27": Decimal("100.55"), "2027-28": Decimal("61.45")},
        {"2026-27": Decimal("100.55"), "2027-28": Decimal("68.28")},  # £162 x 11/29 x 20/18
    )


@pytest.mark.parametrize(
    ("applies_from", "refused"),
    [
        (date(2026, 3, 31), True),  # the last day of 2025-26, which has ended
        (date(2026, 4, 1), False),  # the first day of 2026-27: back-dating within the year is fine
        (date(2026, 5, 15), False),
        (date(2026, 9, 1), False),  # a pay award dated ahead
        (date(2024, 2, 29), True),
    ],
)
def test_a_change_dated_in_a_financial_year_that_has_ended_is_refused(senco, ta_rate, applies_from, refused):
    today = date(2026, 5, 15)
    if not refused:
        change(ta_rate, "19.00", applies_from, today=today, by=senco)
        assert amounts_of(ta_rate)[-1] == (applies_from, Decimal("19.00"))
        return
    with pytest.raises(ValidationError) as error:
        change(ta_rate, "19.00", applies_from, today=today, by=senco)
    ended = financial_year_of(applies_from)
    assert error.value.message_dict == {
        "applies_from": [
            f"The {ended} financial year has ended, so its costs are final: choose 1 April 2026 or later."
        ]
    }
    assert amounts_of(ta_rate) == [(FROM_THE_START, Decimal("18.00"))]


def test_an_academy_keeping_the_academy_year_may_change_a_rate_back_to_1_september(senco, school, ta_rate):
    school.financial_year_starts = 9
    school.save()
    today = date(2026, 5, 15)  # in the academy's 2025-26, 1 September 2025 to 31 August 2026
    change(ta_rate, "19.00", date(2025, 9, 1), today=today, by=senco)
    with pytest.raises(ValidationError, match="2024-25 financial year has ended"):
        change(ta_rate, "19.50", date(2025, 8, 31), today=today, by=senco)


def test_the_cost_of_last_financial_year_is_identical_after_a_change_today(
    senco, school, ta_rate, term_dates_2026
):
    # Today is Wednesday 2 December 2026. One group spans 31 March 2026 (2025-26 has ended), one
    # runs now; both cost at £18 an hour until the pay award.
    three_a_week(school, ta_rate, date(2026, 3, 2), date(2026, 4, 24))
    three_a_week(school, ta_rate, date(2026, 11, 2), date(2027, 2, 12))
    years = [FinancialYear(2025), FinancialYear(2026)]
    before = budget_years(senco, years=years)
    # A pay award back-dated as far as it may go, and another from today.
    change(ta_rate, "19.50", date(2026, 4, 1), today=date(2026, 12, 2), by=senco)
    change(ta_rate, "21.00", date(2026, 12, 2), today=date(2026, 12, 2), by=senco)
    after = budget_years(senco, years=years)
    last_year, this_year = years
    assert after[last_year].provision == before[last_year].provision  # to the last digit
    assert after[this_year].provision > before[this_year].provision


def test_a_second_change_on_the_same_day_replaces_it_and_a_change_back_undoes_it(senco, ta_rate):
    today = date(2026, 12, 2)
    change(ta_rate, "19.00", date(2027, 4, 1), today=today, by=senco)
    change(ta_rate, "19.25", date(2027, 4, 1), today=today, by=senco)  # a typing mistake put right
    assert amounts_of(ta_rate) == [(FROM_THE_START, Decimal("18.00")), (date(2027, 4, 1), Decimal("19.25"))]
    change(ta_rate, "18.00", date(2027, 4, 1), today=today, by=senco)  # no award after all
    assert amounts_of(ta_rate) == [(FROM_THE_START, Decimal("18.00"))]


def test_the_same_amount_from_another_day_changes_nothing_and_needs_no_day(senco, ta_rate):
    renamed = change(
        ta_rate, "18.00", None, today=date(2026, 12, 2), by=senco, name="Teaching assistant (L2)"
    )
    event = AuditEvent.objects.get(action="provision.staff_rate_changed")
    assert (renamed.name, amounts_of(ta_rate), event.fields) == (
        "Teaching assistant (L2)",
        [(FROM_THE_START, Decimal("18.00"))],
        ["name"],
    )
    with pytest.raises(ValidationError) as error:
        change(ta_rate, "19.00", None, today=date(2026, 12, 2), by=senco)
    assert error.value.message_dict == {"applies_from": ["Give the day the change applies from."]}


def test_a_change_is_audited_with_its_day_and_never_the_pay(senco, ta_rate):
    change(ta_rate, "19.37", date(2026, 9, 1), today=date(2026, 12, 2), by=senco)
    event = AuditEvent.objects.get(action="provision.staff_rate_changed")
    assert (event.object_id, event.fields, event.summary) == (
        str(ta_rate.pk),
        ["hourly_cost"],
        "Teaching assistant: hourly cost from 1 September 2026",
    )
    assert "19" not in event.summary


def test_a_negative_hourly_cost_is_refused(senco, ta_rate):
    with pytest.raises(ValidationError) as error:
        change(ta_rate, "-1", date(2026, 9, 1), today=date(2026, 12, 2), by=senco)
    assert error.value.message_dict == {"hourly_cost": ["Enter an amount of £0 or more."]}


# The pages: where rates are changed, the form asks from when; the pages list the history -------


def test_the_rate_form_offers_today_and_the_hourly_cost_in_force_today(client, senco, ta_rate, today_is):
    today_is(date(2026, 12, 2))
    change(ta_rate, "19.50", date(2026, 9, 1), today=date(2026, 12, 2), by=senco)
    change(ta_rate, "20.00", date(2027, 4, 1), today=date(2026, 12, 2), by=senco)
    client.force_login(senco)
    form = client.get(reverse("provision:staff_rate_edit", args=[ta_rate.pk])).context["form"]
    assert (form["hourly_cost"].value(), form["applies_from"].value()) == (
        Decimal("19.50"),
        date(2026, 12, 2),
    )


def test_a_new_rate_does_not_ask_from_when_its_first_cost_applies_from_the_start(client, senco):
    client.force_login(senco)
    assert "applies_from" not in client.get(reverse("provision:staff_rate_add")).context["form"].fields


def test_changing_a_rate_on_the_form_from_a_day_in_an_ended_year_is_refused_on_the_form(
    client, senco, ta_rate, today_is
):
    today_is(date(2026, 5, 15))
    client.force_login(senco)
    data = {"name": "Teaching assistant", "hourly_cost": "19.00", "applies_from": "2026-03-31"}
    response = client.post(reverse("provision:staff_rate_edit", args=[ta_rate.pk]), data)
    form = response.context["form"]
    assert (response.status_code, form.errors, form["hourly_cost"].value()) == (
        200,
        {
            "applies_from": [
                "The 2025-26 financial year has ended, so its costs are final: choose 1 April 2026 or later."
            ]
        },
        "19.00",
    )
    assert amounts_of(ta_rate) == [(FROM_THE_START, Decimal("18.00"))]
    data["applies_from"] = "2026-04-01"
    response = client.post(reverse("provision:staff_rate_edit", args=[ta_rate.pk]), data)
    assert (response.status_code, amounts_of(ta_rate)[-1]) == (302, (date(2026, 4, 1), Decimal("19.00")))


def test_the_rates_page_lists_each_rates_history_and_what_is_in_force_now(client, senco, ta_rate, today_is):
    today_is(date(2026, 12, 2))
    change(ta_rate, "19.50", date(2026, 9, 1), today=date(2026, 12, 2), by=senco)
    change(ta_rate, "20.00", date(2027, 4, 1), today=date(2026, 12, 2), by=senco)
    client.force_login(senco)
    response = client.get(reverse("provision:staff_rates"))
    (row,) = response.context["rates"]
    assert (
        row.hourly_cost,
        [(line.from_the_start, line.in_force, line.to_come) for line in row.history],
    ) == (
        Decimal("19.50"),
        [(True, False, False), (False, True, False), (False, False, True)],
    )
    page = response.content.decode()
    for text in (
        "From the start: £18.00",
        "From 1 September 2026: £19.50 (in force now)",
        "From 1 April 2027: £20.00 (to come)",
    ):
        assert text in page


# An intervention's fee and resources from a day --------------------------------------------------


@pytest.fixture
def programme(school):
    """A bought-in programme at £450 a group, £30 resources, run by no staff of ours."""
    return InterventionFactory(
        school=school,
        name="Talk Boost",
        cost_basis="fixed",
        fixed_cost=Decimal(450),
        resources_cost=30,
        staff_rate=None,
    )


def test_a_new_fee_prices_groups_starting_from_its_day_and_groups_started_before_keep_theirs(
    senco, school, programme
):
    summer = ProvisionGroupFactory(
        intervention=programme, starts_on=date(2026, 6, 1), ends_on=date(2026, 9, 25)
    )
    autumn = ProvisionGroupFactory(
        intervention=programme, starts_on=date(2026, 9, 7), ends_on=date(2026, 12, 11)
    )
    for group in (summer, autumn):
        PlacementFactory(group=group)
    change_intervention_costs(
        intervention=programme,
        fixed_cost=Decimal(500),
        resources_cost=Decimal(40),
        applies_from=date(2026, 9, 1),
        today=date(2026, 12, 2),
        by=senco,
    )
    by_group = costs.totals_by(school_costs(senco, window=None).lines, lambda line: line.group_id)
    assert (by_group[summer.pk], by_group[autumn.pk]) == (Decimal(480), Decimal(540))
    event = AuditEvent.objects.get(action="provision.intervention_costs_changed")
    assert (event.fields, event.summary) == (
        ["fixed_cost", "resources_cost"],
        "Talk Boost: costs from 1 September 2026",
    )


def test_the_catalogue_form_asks_from_when_new_costs_apply_and_refuses_an_ended_year(
    client, senco, programme, today_is
):
    today_is(date(2026, 5, 15))
    client.force_login(senco)
    url = reverse("provision:intervention_edit", args=[programme.pk])
    form = client.get(url).context["form"]
    assert (form["fixed_cost"].value(), form["resources_cost"].value(), form["applies_from"].value()) == (
        Decimal("450.00"),
        Decimal("30.00"),
        date(2026, 5, 15),
    )
    data = {name: form[name].value() for name in form.fields} | {
        "fixed_cost": "475",
        "applies_from": "2026-03-01",
    }
    data = {name: "" if value is None else value for name, value in data.items()} | {"is_active": "on"}
    response = client.post(url, data)
    assert response.context["form"].errors == {
        "applies_from": [
            "The 2025-26 financial year has ended, so its costs are final: choose 1 April 2026 or later."
        ]
    }
    response = client.post(url, data | {"applies_from": "2026-09-01"})
    assert response.status_code == 302
    assert list(programme.costs.values_list("applies_from", "fixed_cost", "resources_cost")) == [
        (FROM_THE_START, Decimal("450.00"), Decimal("30.00")),
        (date(2026, 9, 1), Decimal("475.00"), Decimal("30.00")),
    ]
    page = client.get(reverse("provision:intervention_detail", args=[programme.pk])).content.decode()
    assert "From 1 September 2026: fee £475.00, resources £30.00 (to come)" in page


def test_a_bought_in_programme_keeps_a_fee_in_its_latest_costs(senco, programme):
    with pytest.raises(ValidationError) as error:
        update_intervention(
            intervention=programme,
            fixed_cost=None,
            applies_from=date(2026, 9, 1),
            today=date(2026, 12, 2),
            by=senco,
        )
    assert error.value.message_dict == {"fixed_cost": ["Enter what the bought-in programme costs per group."]}
    assert programme.costs.count() == 1


# Query counts stay flat however many rates and changes --------------------------------------------


def rates_with_history(school, senco, n):
    """`n` groups, each run by its own member of staff on their own rate with `n` changes."""
    for index in range(n):
        rate = StaffRateFactory(school=school, name=f"Rate {index}")
        for month in range(n):
            change(rate, f"{20 + month}", date(2026, 9 + month, 1), today=date(2026, 12, 2), by=senco)
        member = staff_member(role=Role.TA, school=school)
        set_staff_member_rate(
            school=school,
            staff=member,
            staff_rate=rate,
            applies_from=date(2026, 9, 1),
            today=date(2026, 12, 2),
            version="",
            by=senco,
        )
        group = ProvisionGroupFactory(
            intervention=InterventionFactory(school=school, fixed_cost=Decimal(100)),
            starts_on=date(2026, 9, 7),
            ends_on=date(2027, 2, 12),
            staff=[member],
        )
        PlacementFactory(group=group)


@pytest.mark.parametrize("n", [1, 3])
@pytest.mark.parametrize(
    ("page", "queries"),
    [
        ("provision:budget", 16),  # with the day's check that every status copy is in force
        ("provision:map", 19),  # likewise
        ("provision:impact", 10),
        ("provision:staff_rates", 7),
    ],
)
def test_pages_priced_by_rate_histories_make_the_same_queries_however_many_rates_and_changes(
    client, senco, school, n, page, queries, today_is, django_assert_max_num_queries
):
    today_is(date(2026, 12, 2))
    rates_with_history(school, senco, n)
    client.force_login(senco)
    with django_assert_max_num_queries(queries):
        response = client.get(reverse(page))
    assert response.status_code == 200


# The rate each member of staff is costed at, from a day ------------------------------------------


def move(member, rate, applies_from, *, today, by):
    """Cost `member` at `rate` from `applies_from`, as an editor who saw their rate `today`."""
    shown = staff_member_rate_on(school=by.school, staff=member, day=today)
    return set_staff_member_rate(
        school=by.school,
        staff=member,
        staff_rate=rate,
        applies_from=applies_from,
        today=today,
        version=version_token(shown, fields=STAFF_MEMBER_RATE_FIELDS),
        by=by,
    )


def test_a_ta_moved_to_the_higher_level_rate_mid_group_is_priced_at_each_from_its_day(
    senco, school, ta, ta_rate, term_dates_2026
):
    hlta = StaffRateFactory(
        school=school, name="Higher-level teaching assistant", hourly_cost=Decimal("20.00")
    )
    move(ta, ta_rate, date(2026, 9, 1), today=date(2026, 11, 2), by=senco)
    group = three_a_week(school, ta_rate, date(2026, 11, 2), date(2026, 12, 18))
    group.staff.add(ta)
    assert by_year(senco) == {"2026-27": Decimal(189)}
    # Higher-level from Monday 30 November: 20 school days at £18, 15 at £20.
    move(ta, hlta, date(2026, 11, 30), today=date(2026, 12, 2), by=senco)
    assert by_year(senco) == {"2026-27": Decimal(108 + 90)}


def test_a_first_own_rate_from_a_day_leaves_the_days_before_at_the_interventions_rate(
    senco, school, ta, ta_rate, term_dates_2026
):
    teacher_rate = StaffRateFactory(school=school, name="Teacher", hourly_cost=Decimal("45.00"))
    group = three_a_week(school, ta_rate, date(2026, 11, 2), date(2026, 12, 18))
    group.staff.add(ta)
    move(ta, teacher_rate, date(2026, 11, 30), today=date(2026, 12, 2), by=senco)
    # £18 (the intervention's) x 1.5 h x 7 weeks x 20/35, then £45 x 1.5 h x 7 weeks x 15/35.
    assert by_year(senco) == {"2026-27": Decimal(108) + Decimal("202.50")}
    move(ta, None, date(2026, 12, 14), today=date(2026, 12, 2), by=senco)  # the last week: none again
    # £45 for 10 school days only, then the intervention's £18 for the last 5.
    assert by_year(senco) == {"2026-27": Decimal(108) + Decimal(135) + Decimal(27)}


def test_moving_a_member_of_staff_from_a_day_in_an_ended_year_is_refused_on_the_form(
    client, senco, school, ta, ta_rate, today_is
):
    today_is(date(2026, 5, 15))
    client.force_login(senco)
    url = reverse("provision:staff_member_rate", args=[ta.pk])
    form = client.get(url).context["form"]
    assert form["applies_from"].value() == date(2026, 5, 15)
    data = {"staff_rate": str(ta_rate.pk), "applies_from": "2026-03-31", "version": form["version"].value()}
    response = client.post(url, data)
    assert response.context["form"].errors == {
        "applies_from": [
            "The 2025-26 financial year has ended, so its costs are final: choose 1 April 2026 or later."
        ]
    }
    assert not StaffMemberRate.objects.exists()
    assert client.post(url, data | {"applies_from": "2026-04-01"}).status_code == 302
    assert list(StaffMemberRate.objects.values_list("applies_from", "staff_rate")) == [
        (date(2026, 4, 1), ta_rate.pk)
    ]


def test_last_years_cost_is_identical_after_a_member_of_staff_moves_rate_today(
    senco, school, ta, ta_rate, term_dates_2026
):
    hlta = StaffRateFactory(
        school=school, name="Higher-level teaching assistant", hourly_cost=Decimal("20.00")
    )
    move(ta, ta_rate, date(2026, 4, 1), today=date(2026, 4, 1), by=senco)
    for starts_on, ends_on in ((date(2026, 3, 2), date(2026, 4, 24)), (date(2026, 11, 2), date(2027, 2, 12))):
        three_a_week(school, ta_rate, starts_on, ends_on).staff.add(ta)
    years = [FinancialYear(2025), FinancialYear(2026)]
    before = budget_years(senco, years=years)
    move(ta, hlta, date(2026, 12, 2), today=date(2026, 12, 2), by=senco)
    after = budget_years(senco, years=years)
    assert after[years[0]].provision == before[years[0]].provision
    assert after[years[1]].provision > before[years[1]].provision


def test_the_rates_page_shows_each_members_rate_now_and_from_each_day(
    client, senco, school, ta, ta_rate, today_is
):
    today_is(date(2026, 12, 2))
    hlta = StaffRateFactory(
        school=school, name="Higher-level teaching assistant", hourly_cost=Decimal("20.00")
    )
    move(ta, ta_rate, date(2026, 9, 1), today=date(2026, 12, 2), by=senco)
    move(ta, hlta, date(2027, 1, 4), today=date(2026, 12, 2), by=senco)
    client.force_login(senco)
    response = client.get(reverse("provision:staff_rates"))
    row = next(row for row in response.context["staff"] if row.staff == ta)
    assert (row.staff_rate, row.hourly_cost) == (ta_rate, Decimal("18.00"))
    page = response.content.decode()
    assert "From 4 January 2027: Higher-level teaching assistant (to come)" in page
