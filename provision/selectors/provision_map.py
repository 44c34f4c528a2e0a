"""The provision map: who receives what, how often, from whom, when, and each pupil's share of
the cost in one financial year, against the school's notional SEN budget (a provision map, CoP
6.76-6.77).

For the SENCO team, leadership and the school administrator (the view declares it; the cost
selectors return nothing to anyone else). Pupils come only through `pupils_visible_to`.
A fixed number of queries whatever the number of pupils: the groups running in the year with
their staff, every placement in them, the matching pupils and the year's budget.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from provision.models import Intervention, Placement, ProvisionGroup
from provision.permissions import can_see_costs
from provision.rules import budget as costs
from provision.rules.budget import BudgetSummary, FinancialYear, PupilYear
from provision.rules.impact import Measurement
from provision.selectors.budget import (
    budget_summary_for,
    cost_calendar,
    costings_of,
    groups_overlapping,
    missing_term_dates,
    register_of,
    school_costs,
    stays_in,
    top_up_amounts_in,
    top_up_for_page,
)
from provision.selectors.impact import measurement_of
from pupils.models import NeedArea, Pupil, YearGroup
from pupils.selectors.records import pupils_visible_to, with_sen_status
from senco.models import User

AREA_ORDER = {value: index for index, value in enumerate(NeedArea.values)}


def map_pupils(user: User, *, today: date) -> QuerySet[Pupil]:
    """The pupils the map may show, with their SEN status on `today`: the queryset the filters
    narrow."""
    return with_sen_status(pupils_visible_to(user), today=today)


@dataclass
class MapRow:
    pupil: Pupil
    group: ProvisionGroup
    starts_on: date
    ends_on: date
    share: Decimal
    pupil_year: PupilYear  # all the pupil's provision in the map's year

    @property
    def intervention(self) -> Intervention:
        return self.group.intervention

    @property
    def staff_names(self) -> list[str]:
        return [str(member) for member in self.group.staff.all()]

    @property
    def over_threshold(self) -> bool:
        return self.pupil_year.over_threshold


@dataclass
class MapSection:
    title: str
    pupil: Pupil | None = None  # set when the map is grouped by pupil
    rows: list[MapRow] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((row.share for row in self.rows), costs.ZERO)


@dataclass
class ProvisionMap:
    financial_year: FinancialYear
    grouping: str
    sections: list[MapSection]
    budget: BudgetSummary
    missing_term_dates: list[str]  # school years of the financial year costed without term dates

    @property
    def rows(self) -> list[MapRow]:
        return [row for section in self.sections for row in section.rows]

    @property
    def total(self) -> Decimal:
        """The shown rows' shares, unrounded: the map's grand total."""
        return sum((section.total for section in self.sections), costs.ZERO)

    @property
    def pupil_count(self) -> int:
        return len({row.pupil.pk for row in self.rows})

    @property
    def pupils_over_threshold(self) -> int:
        return len({row.pupil.pk for row in self.rows if row.over_threshold})


def _pupil_key(pupil: Pupil) -> tuple:
    return (pupil.last_name.lower(), pupil.first_name.lower(), pupil.pk)


def _section_of(row: MapRow, grouping: str) -> tuple[tuple, str]:
    """(sort key, title) of the section a row belongs to."""
    if grouping == "year_group":
        return (row.pupil.year_group,), YearGroup(row.pupil.year_group).label
    if grouping == "area":
        area = row.intervention.area
        return (AREA_ORDER.get(area, 99),), NeedArea(area).label
    if grouping == "intervention":
        return (row.intervention.name.lower(), row.intervention.pk), row.intervention.name
    return _pupil_key(row.pupil), row.pupil.full_name


def _sections(rows: list[MapRow], grouping: str) -> list[MapSection]:
    sections: dict[tuple, MapSection] = {}
    for row in sorted(rows, key=lambda r: (_pupil_key(r.pupil), r.intervention.name.lower(), r.starts_on)):
        key, title = _section_of(row, grouping)
        pupil = row.pupil if grouping == "pupil" else None
        sections.setdefault(key, MapSection(title, pupil)).rows.append(row)
    return [sections[key] for key in sorted(sections)]


def provision_map(
    user: User,
    *,
    pupils: QuerySet[Pupil],
    year: FinancialYear,
    grouping: str = "pupil",
    intervention: Intervention | None = None,
) -> ProvisionMap:
    """The map for `year`: a row per placement of a pupil in `pupils` (already narrowed by the
    filters) in a group running that year, optionally of one intervention only.

    Shares and the budget summary are computed over every placement of the school's groups, so
    a pupil's share and their £6,000 flag do not depend on the filters.
    """
    groups_qs = groups_overlapping(user, window=year.window)
    school = school_costs(user, window=year.window, groups=groups_qs)
    placed = Placement.objects.filter(group_id__in=list(school.groups)).values("pupil_id")
    shown = {pupil.pk: pupil for pupil in pupils.filter(school=user.school, pk__in=placed)}
    shares = costs.totals_by(school.lines, lambda line: (line.pupil_id, line.group_id))
    top_ups = top_up_amounts_in(user, year=year)
    pupil_years = costs.pupil_years(school.lines, year, top_ups=top_ups)
    rows = []
    for group_id, stays in school.stays.items():
        group = school.groups[group_id]
        if intervention is not None and group.intervention_id != intervention.pk:
            continue
        period = costs.DateRange(group.starts_on, group.ends_on).overlap(year.window)
        for stay in stays:
            days = costs.presence(stay, period) if stay.pupil_id in shown else None
            if days:
                rows.append(
                    MapRow(
                        pupil=shown[stay.pupil_id],
                        group=group,
                        starts_on=days.starts_on,
                        ends_on=days.ends_on,
                        share=shares.get((stay.pupil_id, group_id), costs.ZERO),
                        pupil_year=pupil_years.get(stay.pupil_id, costs.NO_PROVISION),
                    )
                )
    return ProvisionMap(
        financial_year=year,
        grouping=grouping,
        sections=_sections(rows, grouping),
        budget=budget_summary_for(user, year=year, lines=school.lines, top_ups=top_ups),
        missing_term_dates=missing_term_dates(school.calendar, year),
    )


@dataclass
class PupilPlacementRow:
    placement: Placement
    share: Decimal | None  # None when the user may not see costs

    @property
    def group(self) -> ProvisionGroup:
        return self.placement.group

    @property
    def staff_names(self) -> list[str]:
        return [str(member) for member in self.group.staff.all()]

    @property
    def measurement(self) -> Measurement:
        return measurement_of(self.placement, self.group.intervention)


@dataclass
class YearTotal:
    financial_year: FinancialYear
    provision: PupilYear


@dataclass
class PupilProvision:
    rows: list[PupilPlacementRow]
    year_totals: list[YearTotal]  # empty when the user may not see costs
    show_costs: bool


def pupil_provision(user: User, *, pupil: Pupil) -> PupilProvision:
    """Every placement of a pupil the user can already see, newest first, with who runs it.

    Costs (the pupil's share of each group over its whole period, and their total and element 3
    top-up in each financial year against the £6,000 threshold) only for the SENCO team,
    leadership and the administrator; teachers and TAs see the provision without them. Three
    queries, and a fixed number more for costs.
    """
    placements = list(
        Placement.objects.filter(pupil=pupil, group__school=user.school)
        .select_related("group__intervention__staff_rate")
        .prefetch_related("group__staff")
        .order_by("-group__starts_on", "group__name")
    )
    if not can_see_costs(user):
        return PupilProvision([PupilPlacementRow(placement, None) for placement in placements], [], False)
    groups = {placement.group_id: placement.group for placement in placements}
    costings = costings_of(user.school, groups.values())
    calendar, register = cost_calendar(user.school), register_of(user.school)
    lines = [
        line
        for line in costs.cost_lines(costings, stays_in(list(groups)), calendar=calendar, register=register)
        if line.pupil_id == pupil.pk
    ]
    shares = costs.totals_by(lines, lambda line: line.group_id)
    top_ups = {
        FinancialYear(top_up.financial_year, calendar.financial_year_starts): top_up.amount
        for top_up in top_up_for_page(user).filter(pupil=pupil)
    }
    year_totals = []
    for year in sorted({line.financial_year for line in lines} | set(top_ups), reverse=True):
        top_up = {pupil.pk: top_ups[year]} if year in top_ups else {}
        year_totals.append(YearTotal(year, costs.pupil_years(lines, year, top_ups=top_up)[pupil.pk]))
    return PupilProvision(
        rows=[
            PupilPlacementRow(placement, shares.get(placement.group_id, costs.ZERO))
            for placement in placements
        ],
        year_totals=year_totals,
        show_costs=True,
    )
