"""Reads that feed `provision/rules/budget.py` (and, through `provision/selectors/impact.py`,
`provision/rules/impact.py`): a few queries up front, then pure arithmetic.

Costs and budgets are visible to the SENCO team, leadership and the school administrator of
the user's current school; impact to the SENCO team and leadership. Everyone else gets nothing
from these selectors, whatever the view.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from provision.models import Placement, ProvisionGroup, StaffMemberRate, TopUp
from provision.permissions import can_see_costs
from provision.rules import budget as costs
from provision.rules.budget import (
    BudgetSummary,
    CostCalendar,
    CostLine,
    DateRange,
    FinancialYear,
    GroupCosting,
    PupilYear,
    Stay,
)
from pupils.models import ON_REGISTER, Pupil, SenStatus, SenStatusChange
from pupils.selectors.records import pupils_visible_to, with_sen_status
from senco.models import School, SenBudget, SenSpend, SpendKind, User
from senco.selectors import school_calendar

# How far back and forward the financial-year choosers reach from the current year.
YEARS_BACK, YEARS_AHEAD = 4, 1


def financial_year_choices(school: School, *, today: date) -> list[FinancialYear]:
    """The school's financial years a chooser offers, newest first, around the one containing
    `today` (they start in April, or September for an academy keeping the academy year)."""
    month = school.financial_year_starts
    current = costs.financial_year_of(today, starts_in_month=month).start_year
    return [FinancialYear(year, month) for year in range(current + YEARS_AHEAD, current - YEARS_BACK - 1, -1)]


def cost_calendar(school: School) -> CostCalendar:
    """The school's term dates and financial-year start, for the cost rules (two queries)."""
    return CostCalendar(terms=school_calendar(school), financial_year_starts=school.financial_year_starts)


def register_of(school: School) -> costs.Register:
    """The days each pupil of the school was on the SEN register, from their dated status history
    (one query): element 2 is for those days only."""
    history = (
        SenStatusChange.objects.filter(pupil__school=school)
        .order_by("pupil_id", "effective_from", "id")
        .values_list("pupil_id", "effective_from", "status")
    )
    return costs.register_periods((pupil_id, day, status in ON_REGISTER) for pupil_id, day, status in history)


def staff_member_rates(school: School) -> dict[int, Decimal]:
    """Each member of staff's own hourly rate, by user id, for the staff with one (one query)."""
    rows = StaffMemberRate.objects.filter(school=school).values_list("staff_id", "staff_rate__hourly_cost")
    return dict(rows)


def _costing_of(group: ProvisionGroup, *, own_rates: dict[int, Decimal]) -> GroupCosting:
    """The pricing of a group fetched with `intervention__staff_rate` and its `staff` prefetched
    (no query here); `own_rates` from `staff_member_rates`."""
    intervention = group.intervention
    return GroupCosting(
        group_id=group.pk,
        intervention_id=group.intervention_id,
        starts_on=group.starts_on,
        ends_on=group.ends_on,
        sessions_per_week=group.sessions_per_week,
        minutes_per_session=group.minutes_per_session,
        staff_rates=costs.staff_rates_for(
            [own_rates.get(member.pk) for member in group.staff.all()],
            default_rate=intervention.staff_rate.hourly_cost if intervention.staff_rate_id else None,
            default_count=intervention.staff_per_session,
        ),
        fee=intervention.fixed_cost or costs.ZERO,
        resources_cost=intervention.resources_cost,
    )


def costings_of(school: School, groups) -> list[GroupCosting]:
    """`_costing_of` each group (fetched as it needs), with one query for staff rates."""
    own_rates = staff_member_rates(school)
    return [_costing_of(group, own_rates=own_rates) for group in groups]


def missing_term_dates(calendar: CostCalendar, year: FinancialYear) -> list[str]:
    """The school years of `year` with no term dates, as "2025/26": their weeks are costed by
    weekdays, and the pages say so."""
    return [
        f"{start}/{(start + 1) % 100:02d}" for start in calendar.school_years_without_term_dates(year.window)
    ]


def _groups_of_school(user: User) -> QuerySet[ProvisionGroup]:
    return (
        ProvisionGroup.objects.filter(school=user.school)
        .select_related("intervention__staff_rate")
        .prefetch_related("staff")
    )


def groups_overlapping(user: User, *, window: DateRange | None) -> QuerySet[ProvisionGroup]:
    """The school's groups that run on any day of `window` (all of them when None)."""
    groups = _groups_of_school(user)
    if window is not None:
        groups = groups.filter(starts_on__lte=window.ends_on, ends_on__gte=window.starts_on)
    return groups


def stays_in(group_ids) -> dict[int, list[Stay]]:
    """Every placement of the groups as `Stay`s, in one query. Callers have already scoped the
    groups to the user's school; all pupils count here, because who else is in a group
    changes each pupil's share."""
    stays: dict[int, list[Stay]] = {}
    rows = Placement.objects.filter(group_id__in=group_ids).values_list(
        "group_id", "pupil_id", "joined_on", "left_on"
    )
    for group_id, pupil_id, joined_on, left_on in rows:
        stays.setdefault(group_id, []).append(Stay(pupil_id, joined_on, left_on))
    return stays


@dataclass(frozen=True)
class SchoolCosts:
    """The school's groups in a window and their cost lines (by pupil, group and financial year)."""

    window: DateRange | None
    groups: dict[int, ProvisionGroup]
    stays: dict[int, list[Stay]]
    lines: list[CostLine]
    calendar: CostCalendar


def school_costs(user: User, *, window: DateRange | None, groups: QuerySet | None = None) -> SchoolCosts:
    """Cost lines for the school's groups in `window` (whole periods when None): seven queries
    (groups with their rates, their staff, the staff's own rates, placements, the school's term
    dates and closures, and the pupils' SEN status history).

    Pass `groups` (already scoped to the user's school) to prefetch more with them.
    """
    if not can_see_costs(user):
        return SchoolCosts(window, {}, {}, [], costs.APRIL_WITHOUT_TERM_DATES)
    groups = {
        group.pk: group
        for group in (groups if groups is not None else groups_overlapping(user, window=window))
    }
    stays = stays_in(list(groups))
    calendar = cost_calendar(user.school)
    costings = costings_of(user.school, groups.values())
    lines = costs.cost_lines(costings, stays, window, calendar=calendar, register=register_of(user.school))
    return SchoolCosts(window, groups, stays, lines, calendar)


def sen_budgets(user: User) -> QuerySet[SenBudget]:
    """The school's recorded budgets, newest first."""
    if not can_see_costs(user):
        return SenBudget.objects.none()
    return SenBudget.objects.filter(school=user.school).order_by("-financial_year")


def sen_budget_for(user: User, *, year: FinancialYear) -> SenBudget | None:
    return sen_budgets(user).filter(financial_year=year.start_year).first()


@dataclass(frozen=True)
class SpendRow:
    """A line of other spend and what it costs."""

    spend: SenSpend
    cost: Decimal


def sen_spend_in(user: User, *, years: list[FinancialYear]) -> list[SpendRow]:
    """The school's lines of other spend in `years`, in the order entered by kind, with their
    costs (one query). For cost readers only."""
    if not can_see_costs(user):
        return []
    lines = SenSpend.objects.filter(
        school=user.school, financial_year__in=[year.start_year for year in years]
    )
    return [
        SpendRow(line, costs.spend_cost(hours=line.hours, hourly_cost=line.hourly_cost, amount=line.amount))
        for line in lines
    ]


def spend_line_for_page(user: User) -> QuerySet[SenSpend]:
    """The school's lines of other spend, for the pages that change one (cost readers only)."""
    if not can_see_costs(user):
        return SenSpend.objects.none()
    return SenSpend.objects.filter(school=user.school)


def other_spend_by_kind(rows: list[SpendRow], year: FinancialYear) -> list[tuple[str, Decimal]]:
    """(label, total) for every kind of other spend in `year`, in the kinds' order."""
    totals = dict.fromkeys(SpendKind.values, costs.ZERO)
    for row in rows:
        if row.spend.financial_year == year.start_year:
            totals[row.spend.kind] += row.cost
    return [(SpendKind(kind).label, total) for kind, total in totals.items()]


def top_ups_in(user: User, *, years: list[FinancialYear]) -> list[TopUp]:
    """The school's element 3 top-ups for `years`, with their pupils (one query). For cost
    readers only."""
    if not can_see_costs(user):
        return []
    starts = [year.start_year for year in years]
    return list(TopUp.objects.filter(school=user.school, financial_year__in=starts).select_related("pupil"))


def top_up_for_page(user: User) -> QuerySet[TopUp]:
    """The school's top-ups, for the pages that change one (cost readers only)."""
    if not can_see_costs(user):
        return TopUp.objects.none()
    return TopUp.objects.filter(school=user.school).select_related("pupil")


def top_up_amounts(top_ups: list[TopUp], year: FinancialYear) -> dict[int, Decimal]:
    """Each pupil's top-up for `year`, by pupil id."""
    return {top_up.pupil_id: top_up.amount for top_up in top_ups if top_up.financial_year == year.start_year}


def budget_summary_for(
    user: User, *, year: FinancialYear, lines: list[CostLine], top_ups: dict[int, Decimal] | None = None
) -> BudgetSummary:
    """The year's spend (provision from `lines`, which must cover the whole school, and the other
    spend entered for it) against its budget, with its element 3 top-ups (fetched unless given,
    by pupil id). Two or three queries."""
    budget = sen_budget_for(user, year=year)
    if top_ups is None:
        top_ups = top_up_amounts(top_ups_in(user, years=[year]), year)
    return costs.budget_summary(
        lines,
        year=year,
        notional_sen_budget=budget.notional_sen_budget if budget else None,
        top_ups=top_ups,
        other_spend=other_spend_by_kind(sen_spend_in(user, years=[year]), year),
    )


@dataclass(frozen=True)
class PupilRow:
    """A pupil's provision in a financial year, with their top-up for it if they have one."""

    pupil: Pupil
    provision: PupilYear
    top_up: TopUp | None = None


@dataclass(frozen=True)
class BudgetYear:
    financial_year: FinancialYear
    budget: SenBudget | None
    provision: Decimal  # intervention groups and 1:1s
    spend: list[SpendRow]  # the year's other spend
    top_ups: list[PupilRow]  # the year's pupils with a top-up
    over_without_top_up: list[PupilRow]  # pupils over £6,000 with none
    missing_term_dates: list[str]

    @property
    def other_total(self) -> Decimal:
        return sum((row.cost for row in self.spend), costs.ZERO)

    @property
    def element3_income(self) -> Decimal:
        return sum((row.top_up.amount for row in self.top_ups), costs.ZERO)

    @property
    def spent(self) -> Decimal:
        return self.provision + self.other_total

    @property
    def remaining(self) -> Decimal | None:
        return self.budget.notional_sen_budget - self.spent if self.budget else None


def budget_years(user: User, *, years: list[FinancialYear]) -> dict[FinancialYear, BudgetYear]:
    """For each offered year (newest first), its recorded budget if any, its planned provision,
    its other spend, its pupils' top-ups and the pupils over £6,000 without one. For cost readers
    only (empty for anyone else). A fixed number of queries, whatever the number of years,
    groups, lines and pupils."""
    if not can_see_costs(user) or not years:
        return {}
    budgets = {budget.financial_year: budget for budget in sen_budgets(user)}
    window = DateRange(min(years).starts_on, max(years).ends_on)
    school = school_costs(user, window=window)
    provision = costs.totals_by(school.lines, lambda line: line.financial_year)
    spend, top_ups = sen_spend_in(user, years=years), top_ups_in(user, years=years)
    pupil_years = {
        year: costs.pupil_years(school.lines, year, top_ups=top_up_amounts(top_ups, year)) for year in years
    }
    uncovered = {
        pupil_id for by_pupil in pupil_years.values() for pupil_id, p in by_pupil.items() if p.without_top_up
    }
    pupils = {pupil.pk: pupil for pupil in Pupil.objects.filter(school=user.school, pk__in=uncovered)}
    return {
        year: BudgetYear(
            year,
            budgets.get(year.start_year),
            provision.get(year, costs.ZERO),
            [row for row in spend if row.spend.financial_year == year.start_year],
            [
                PupilRow(top_up.pupil, pupil_years[year][top_up.pupil_id], top_up)
                for top_up in top_ups
                if top_up.financial_year == year.start_year
            ],
            sorted(
                (
                    PupilRow(pupils[pupil_id], pupil_year)
                    for pupil_id, pupil_year in pupil_years[year].items()
                    if pupil_year.without_top_up
                ),
                key=lambda row: (row.pupil.last_name, row.pupil.first_name, row.pupil.pk),
            ),
            missing_term_dates(school.calendar, year),
        )
        for year in sorted(years, reverse=True)
    }


def pupils_for_top_up(user: User, *, today: date) -> QuerySet[Pupil]:
    """The pupils on roll a top-up may be recorded for, with their SEN status (cost readers)."""
    if not can_see_costs(user):
        return Pupil.objects.none()
    pupils = pupils_visible_to(user).filter(left_on__isnull=True)
    return with_sen_status(pupils, today=today).order_by("last_name", "first_name", "pk")


def ehc_plans_without_top_up(user: User, *, year: FinancialYear, today: date) -> QuerySet[Pupil]:
    """Pupils on roll who now have an EHC plan and no top-up recorded for `year`: most EHC plans
    come with one. For cost readers only."""
    if not can_see_costs(user):
        return Pupil.objects.none()
    with_top_up = TopUp.objects.filter(school=user.school, financial_year=year.start_year).values("pupil_id")
    return (
        with_sen_status(pupils_visible_to(user).filter(left_on__isnull=True), today=today)
        .filter(sen_status=SenStatus.EHC_PLAN)
        .exclude(pk__in=with_top_up)
        .order_by("last_name", "first_name", "pk")
    )
