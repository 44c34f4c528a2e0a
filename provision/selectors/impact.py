"""Reads that feed `provision.rules.impact`: entry and exit scores per pupil and intervention,
for the SENCO team and leadership only."""

from dataclasses import dataclass

from provision.models import Intervention, Placement, ProvisionGroup
from provision.permissions import can_see_impact
from provision.rules import budget as costs
from provision.rules.budget import Stay
from provision.rules.impact import InterventionImpact, Measurement, PupilResult
from provision.selectors.budget import cost_calendar, costings_of, groups_overlapping
from pupils.models import Pupil
from pupils.selectors.records import pupils_visible_to
from senco.models import User


@dataclass(frozen=True)
class ImpactRow:
    """One pupil's result in one group, with the objects the page shows."""

    result: PupilResult
    pupil: Pupil
    group: ProvisionGroup


@dataclass(frozen=True)
class InterventionImpactPage:
    intervention: Intervention
    impact: InterventionImpact
    rows: list[ImpactRow]


def measurement_of(placement: Placement, intervention: Intervention) -> Measurement:
    """A placement's entry and exit on its intervention's instrument, read the way it is better.
    No query: the caller has the intervention."""
    return Measurement(
        kind=intervention.measure_kind,
        better=intervention.better_when,
        entry=placement.entry_score,
        exit=placement.exit_score,
        entry_on=placement.entry_measured_on,
        exit_on=placement.exit_measured_on,
    )


def intervention_impact(user: User) -> list[InterventionImpactPage]:
    """Every intervention the school has run, with each placed pupil's entry-to-exit change read
    the way its measure is better, and the intervention's cost per pupil and per unit of progress
    (whole planned periods).

    For the SENCO team and leadership (whole school); anyone else gets an empty list. Four
    queries: groups with their interventions, placements with their pupils, and the school's
    term dates and closures.
    """
    if not can_see_impact(user):
        return []
    groups = {group.pk: group for group in groups_overlapping(user, window=None)}
    placements = list(
        Placement.objects.filter(group_id__in=list(groups), pupil__in=pupils_visible_to(user))
        .select_related("pupil")
        .order_by("pupil__last_name", "pupil__first_name", "pk")
    )
    stays: dict[int, list[Stay]] = {}
    for placement in placements:
        stays.setdefault(placement.group_id, []).append(
            Stay(placement.pupil_id, placement.joined_on, placement.left_on)
        )
    costings = costings_of(user.school, groups.values())
    lines = costs.cost_lines(costings, stays, calendar=cost_calendar(user.school))
    shares = costs.totals_by(lines, lambda line: (line.pupil_id, line.group_id))
    by_intervention = costs.totals_by_intervention(lines)
    rows: dict[int, list[ImpactRow]] = {group.intervention_id: [] for group in groups.values()}
    for placement in placements:
        group = groups[placement.group_id]
        result = PupilResult(
            pupil_id=placement.pupil_id,
            group_id=placement.group_id,
            measurement=measurement_of(placement, group.intervention),
            cost=shares.get((placement.pupil_id, placement.group_id), costs.ZERO),
        )
        rows[group.intervention_id].append(ImpactRow(result, placement.pupil, group))
    interventions = {group.intervention_id: group.intervention for group in groups.values()}
    pages = [
        InterventionImpactPage(
            intervention=interventions[intervention_id],
            impact=InterventionImpact(
                intervention_id=intervention_id,
                measure_kind=interventions[intervention_id].measure_kind,
                better=interventions[intervention_id].better_when,
                results=[row.result for row in intervention_rows],
                total_cost=by_intervention.get(intervention_id, costs.ZERO),
            ),
            rows=intervention_rows,
        )
        for intervention_id, intervention_rows in rows.items()
    ]
    return sorted(pages, key=lambda page: (page.intervention.name.lower(), page.intervention.pk))
