"""Reads that feed `provision/rules/budget.py` (and, through `provision/selectors/impact.py`,
`provision/rules/impact.py`): a few queries up front, then pure arithmetic.

Costs and budgets are visible to the SENCO team, leadership and the school administrator of
the user's current school; impact to the SENCO team and leadership. Everyone else gets nothing
from these selectors, whatever the view.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, F, IntegerField, OuterRef, QuerySet, Subquery, Value

from provision.models import (
    Intervention,
    InterventionCost,
    Placement,
    ProvisionGroup,
    StaffMemberRate,
    StaffRate,
    StaffRateAmount,
    TopUp,
)
from provision.permissions import can_see_costs
from provision.rules import budget as costs
from provision.rules.budget import (
    BudgetSummary,
    CostCalendar,
    CostLine,
    DatedAmount,
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
    """The school's term dates and financial-year start, for the cost rules (one query)."""
    return CostCalendar(terms=school_calendar(school), financial_year_starts=school.financial_year_starts)


def register_of(school: School, *, pupil_ids=None) -> costs.Register:
    """The days each pupil of the school (or of `pupil_ids` only, a list or a subquery) was on the
    SEN register, from their dated status history (one query): element 2 is for those days only."""
    history = SenStatusChange.objects.filter(pupil__school=school)
    if pupil_ids is not None:
        history = history.filter(pupil_id__in=pupil_ids)
    history = history.order_by("pupil_id", "effective_from", "id").values_list(
        "pupil_id", "effective_from", "status"
    )
    return costs.register_periods((pupil_id, day, status in ON_REGISTER) for pupil_id, day, status in history)


def _histories(rows) -> dict[int, DatedAmount]:
    """(owner id, applies from, amount) rows, in that order, as each owner's `DatedAmount`."""
    changes: dict[int, list[tuple[date, Decimal]]] = {}
    for owner_id, applies_from, amount in rows:
        changes.setdefault(owner_id, []).append((applies_from, amount))
    return {owner_id: DatedAmount(tuple(dated)) for owner_id, dated in changes.items()}


OwnRates = dict[int, tuple[tuple[date, int | None], ...]]  # by user id: (from, staff rate id or None)


def staff_rate_histories(school: School) -> tuple[dict[int, DatedAmount], OwnRates]:
    """Each of the school's staff rates' hourly cost from the days it applies from, by rate id;
    and the rates each member of staff with any of their own is costed at from the days they
    apply from, oldest first, by user id (None for each intervention's rate). One query: the two
    histories side by side, the amounts with no member of staff and the members' with no amount.
    """
    amounts = (
        StaffRateAmount.objects.filter(staff_rate__school=school)
        .order_by()  # SQLite orders only the union as a whole
        .annotate(amount=F("hourly_cost"), member=Value(None, output_field=IntegerField()))
        .values_list("staff_rate_id", "applies_from", "amount", "member")
    )
    own_rates = (
        StaffMemberRate.objects.filter(school=school)
        .order_by()
        .annotate(amount=Value(None, output_field=DecimalField()), member=F("staff_id"))
        .values_list("staff_rate_id", "applies_from", "amount", "member")
    )
    rows = sorted(amounts.union(own_rates, all=True), key=lambda row: row[1])  # by day
    own: dict[int, list[tuple[date, int | None]]] = {}
    for rate_id, applies_from, _, staff_id in rows:
        if staff_id is not None:
            own.setdefault(staff_id, []).append((applies_from, rate_id))
    rates = _histories((rate_id, day, amount) for rate_id, day, amount, staff_id in rows if staff_id is None)
    return rates, {staff_id: tuple(changes) for staff_id, changes in own.items()}


NOTHING = DatedAmount()  # no amount recorded: it costs nothing


@dataclass(frozen=True)
class InterventionCosts:
    """An entry's programme fee and resources per group from the days they apply from."""

    fee: DatedAmount = NOTHING
    resources: DatedAmount = NOTHING


def intervention_cost_histories(intervention_ids) -> dict[int, InterventionCosts]:
    """The fee and resources histories of the interventions, by id (one query). Callers have
    already scoped the interventions to the user's school."""
    rows = list(
        InterventionCost.objects.filter(intervention_id__in=intervention_ids)
        .order_by("intervention_id", "applies_from")
        .values_list("intervention_id", "applies_from", "fixed_cost", "resources_cost")
    )
    fees = _histories((owner, day, fee) for owner, day, fee, _ in rows)
    resources = _histories((owner, day, amount) for owner, day, _, amount in rows)
    return {owner: InterventionCosts(fees[owner], resources[owner]) for owner in fees}


@dataclass(frozen=True)
class Prices:
    """What prices a school's groups, each with its dates: its staff rates' hourly costs (by rate
    id), the rates each member of staff has of their own (by user id), and the interventions'
    fees and resources (by intervention id)."""

    rates: dict[int, DatedAmount]
    own_rates: OwnRates
    interventions: dict[int, InterventionCosts]

    def member_rate(self, staff_id: int, *, default: DatedAmount) -> DatedAmount | None:
        """A member of staff's hourly rate over time, or None with no rate of their own ever."""
        own = self.own_rates.get(staff_id)
        if own is None:
            return None
        dated = [(day, None if rate_id is None else self.rates.get(rate_id, NOTHING)) for day, rate_id in own]
        return costs.member_rate(dated, default=default)


def prices_for(school: School, groups) -> Prices:
    """The `Prices` of `groups` (the school's), whatever their number: two queries."""
    rates, own_rates = staff_rate_histories(school)
    return Prices(rates, own_rates, intervention_cost_histories({group.intervention_id for group in groups}))


def _costing_of(group: ProvisionGroup, *, prices: Prices) -> GroupCosting:
    """The pricing of a group fetched with its `intervention` and its `staff` prefetched (no
    query here)."""
    intervention = group.intervention
    default = prices.rates.get(intervention.staff_rate_id, NOTHING)
    entry = prices.interventions.get(group.intervention_id, InterventionCosts())
    return GroupCosting(
        group_id=group.pk,
        intervention_id=group.intervention_id,
        starts_on=group.starts_on,
        ends_on=group.ends_on,
        sessions_per_week=group.sessions_per_week,
        minutes_per_session=group.minutes_per_session,
        staff_rates=costs.staff_rates_for(
            [prices.member_rate(member.pk, default=default) for member in group.staff.all()],
            default_rate=default,
            default_count=intervention.staff_per_session,
        ),
        fee=entry.fee,
        resources_cost=entry.resources,
    )


def costings_of(school: School, groups) -> list[GroupCosting]:
    """`_costing_of` each group (fetched as it needs), with two queries for their prices."""
    groups = list(groups)
    prices = prices_for(school, groups)
    return [_costing_of(group, prices=prices) for group in groups]


def hourly_cost_on(day: date, rate: str = "pk") -> Subquery:
    """For an annotation: the hourly cost in force on `day` of the staff rate whose id is at
    `rate` (a path from the outer row), or None."""
    in_force = StaffRateAmount.objects.filter(staff_rate=OuterRef(rate), applies_from__lte=day)
    return Subquery(in_force.order_by("-applies_from").values("hourly_cost")[:1])


def with_costs_on(interventions: QuerySet[Intervention], day: date) -> QuerySet[Intervention]:
    """`interventions` with what prices them on `day`, in the same query: `fixed_cost_now`,
    `resources_cost_now`, and `hourly_cost_now`, their own staff rate's hourly cost."""
    in_force = InterventionCost.objects.filter(intervention=OuterRef("pk"), applies_from__lte=day)
    in_force = in_force.order_by("-applies_from")
    return interventions.annotate(
        fixed_cost_now=Subquery(in_force.values("fixed_cost")[:1]),
        resources_cost_now=Subquery(in_force.values("resources_cost")[:1]),
        hourly_cost_now=hourly_cost_on(day, "staff_rate_id"),
    )


@dataclass(frozen=True)
class HistoryLine:
    """One row of a rate's, an entry's or a member of staff's history, as a page lists it."""

    row: StaffRateAmount | InterventionCost | StaffMemberRate
    from_the_start: bool
    in_force: bool  # the one in force on the day the page is shown
    to_come: bool  # applies from a later day


def history_lines(rows, *, today: date) -> list[HistoryLine]:
    """`rows` (one owner's, oldest first) as lines: which has always applied, which is in force
    `today` and which are still to come."""
    rows = list(rows)
    current = next((row for row in reversed(rows) if row.applies_from <= today), None)
    return [
        HistoryLine(row, row.applies_from == costs.FROM_THE_START, row is current, row.applies_from > today)
        for row in rows
    ]


@dataclass(frozen=True)
class RateHistory:
    rate: StaffRate
    hourly_cost: Decimal | None  # in force on the day the page is shown
    history: list[HistoryLine]


def staff_rates_with_history(user: User, *, today: date) -> list[RateHistory]:
    """The school's staff rates, each with the hourly cost in force `today` and every amount it
    has had or will have, from the day each applies (two queries). For cost readers only."""
    if not can_see_costs(user):
        return []
    rates = StaffRate.objects.filter(school=user.school).prefetch_related("amounts")
    rows = []
    for rate in rates:
        history = history_lines(rate.amounts.all(), today=today)
        now = next((line.row.hourly_cost for line in history if line.in_force), None)
        rows.append(RateHistory(rate, now, history))
    return rows


def staff_rate_history(user: User, *, rate: StaffRate, today: date) -> list[HistoryLine]:
    """One of the school's staff rates' amounts, oldest first (one query). Cost readers only."""
    if not can_see_costs(user) or rate.school_id != user.school.pk:
        return []
    return history_lines(StaffRateAmount.objects.filter(staff_rate=rate), today=today)


def staff_member_rate_on(*, school: School, staff: User, day: date) -> StaffMemberRate | None:
    """The row of `staff`'s own rates in force on `day`, if any (one query). Callers have
    scoped `staff` to the user's school."""
    rows = StaffMemberRate.objects.filter(school=school, staff=staff, applies_from__lte=day)
    return rows.select_related("staff_rate").order_by("applies_from").last()


def staff_member_rate_history(user: User, *, staff: User, today: date) -> list[HistoryLine]:
    """The rates `staff` has been or will be costed at, oldest first (one query). Cost readers
    only; callers have scoped `staff` to the user's school."""
    if not can_see_costs(user):
        return []
    rows = StaffMemberRate.objects.filter(school=user.school, staff=staff).select_related("staff_rate")
    return history_lines(rows.order_by("applies_from"), today=today)


def intervention_cost_history(user: User, *, intervention: Intervention, today: date) -> list[HistoryLine]:
    """A catalogue entry's fees and resources, oldest first (one query). Cost readers only."""
    if not can_see_costs(user) or intervention.school_id != user.school.pk:
        return []
    return history_lines(InterventionCost.objects.filter(intervention=intervention), today=today)


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
    (groups with their interventions, their staff, the staff rates' hourly costs with the
    staff's own rates, the interventions' costs, each from their days, placements, the school's
    term dates and closures, and the placed pupils' SEN status history).

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
    # The register periods of the pupils placed in these groups: no other pupil has a share.
    placed = sorted({stay.pupil_id for group_stays in stays.values() for stay in group_stays})
    register = register_of(user.school, pupil_ids=placed)
    lines = costs.cost_lines(costings, stays, window, calendar=calendar, register=register)
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


def top_up_amounts_in(user: User, *, year: FinancialYear) -> dict[int, Decimal]:
    """Each pupil's element 3 top-up for `year`, by pupil id (one query; empty for anyone but
    cost readers): `top_up_amounts(top_ups_in(...))` without fetching the pupils."""
    if not can_see_costs(user):
        return {}
    top_ups = TopUp.objects.filter(school=user.school, financial_year=year.start_year)
    return dict(top_ups.values_list("pupil_id", "amount"))


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
        top_ups = top_up_amounts_in(user, year=year)
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
