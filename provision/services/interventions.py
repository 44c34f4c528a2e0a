"""Writes for the intervention catalogue. Each is one business action in one transaction,
validates with `full_clean()` and writes its own audit row. The catalogue holds no pupil data, so
its audit rows name no pupil. What prices an entry from the days it applies from (its fee and
resources, its staff rate's hourly cost) is written by `provision.services.budget`."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from provision.models import CostBasis, Intervention, InterventionCost, Placement
from provision.rules.budget import FROM_THE_START
from provision.rules.impact import describe_range, score_range, usual_direction
from provision.services.budget import change_intervention_costs
from senco import audit
from senco.models import School, User

INTERVENTION_FIELDS = [
    "name",
    "area",
    "description",
    "delivered_by",
    "group_size",
    "sessions_per_week",
    "minutes_per_session",
    "typical_weeks",
    "measure_name",
    "measure_kind",
    "better_when",
    "measure_lowest",
    "measure_highest",
    "cost_basis",
    "staff_rate",
    "staff_per_session",
    "is_active",
]
# What a catalogue entry costs per group, from the day it applies from (`InterventionCost`).
COST_FIELDS = ["fixed_cost", "resources_cost"]


def _check_intervention(intervention: Intervention) -> None:
    """Model rules plus the ones that span the school: a unique name and the school's own rate."""
    others = Intervention.objects.filter(school=intervention.school, name__iexact=intervention.name)
    if others.exclude(pk=intervention.pk).exists():
        raise ValidationError(
            {"name": f"The catalogue already has an intervention called “{intervention.name}”."}
        )
    if intervention.staff_rate is not None and intervention.staff_rate.school_id != intervention.school_id:
        raise ValidationError({"staff_rate": "Choose one of this school's staff rates."})
    intervention.full_clean()


def _check_recorded_scores(intervention: Intervention, stored: Intervention) -> None:
    """A narrower range (or another kind of measure) must still hold every score recorded on the
    entry, or those scores would be refused the next time anyone saves them."""
    lowest, highest = score_range(
        intervention.measure_kind, intervention.measure_lowest, intervention.measure_highest
    )
    if (lowest, highest) == score_range(stored.measure_kind, stored.measure_lowest, stored.measure_highest):
        return
    outside = Q(entry_score__lt=lowest) | Q(exit_score__lt=lowest)
    if highest is not None:
        outside |= Q(entry_score__gt=highest) | Q(exit_score__gt=highest)
    placements = Placement.objects.filter(outside, group__intervention=intervention)
    pupils = placements.values("pupil_id").distinct().count()
    if pupils:
        who = f"{pupils} pupil{'s' if pupils > 1 else ''}"
        raise ValidationError(
            {
                "measure_highest": f"Scores already recorded for {who} fall outside the new range, "
                f"{describe_range(lowest, highest)}: correct them on their groups' scores pages first, "
                "or keep a range that holds them."
            }
        )


FEE_NEEDED = "Enter what the bought-in programme costs per group."


def _check_fee(intervention: Intervention) -> None:
    """A bought-in programme has a fee in its latest costs (those in force from the latest day)."""
    latest = InterventionCost.objects.filter(intervention=intervention).order_by("applies_from").last()
    if intervention.cost_basis == CostBasis.FIXED and (latest is None or latest.fixed_cost is None):
        raise ValidationError({"fixed_cost": FEE_NEEDED})


@transaction.atomic
def create_intervention(*, school: School, by: User, **fields) -> Intervention:
    """Add an intervention to the school's catalogue. `fields` are `INTERVENTION_FIELDS` and
    `COST_FIELDS`, its first fee and resources per group, which apply from the start; without
    `better_when`, the measure's direction is the usual one for its kind.

    Side effects: audit row `provision.intervention_created`.
    """
    fields = _only_known(fields)
    costs = {name: fields.pop(name) for name in COST_FIELDS if name in fields}
    intervention = Intervention(school=school, **fields)
    intervention.name = intervention.name.strip()
    if not fields.get("better_when"):
        intervention.better_when = usual_direction(intervention.measure_kind)
    _check_intervention(intervention)
    cost = InterventionCost(applies_from=FROM_THE_START, **costs)
    cost.full_clean(exclude=["intervention"])
    if intervention.cost_basis == CostBasis.FIXED and cost.fixed_cost is None:
        raise ValidationError({"fixed_cost": FEE_NEEDED})
    intervention.save()
    cost.intervention = intervention
    cost.save()
    audit.record("provision.intervention_created", by=by, obj=intervention, fields=[*fields, *costs])
    return intervention


@transaction.atomic
def update_intervention(
    *,
    intervention: Intervention,
    by: User,
    applies_from: date | None = None,
    today: date | None = None,
    **fields,
) -> Intervention:
    """Change a catalogue entry. Running groups keep their own sessions and minutes (they were
    copied when the group was set up); staff time follows the entry's rate, and impact follows
    its measure's direction. A blank `better_when` means the usual direction for the kind of
    measure. A new range of possible scores must hold every score already recorded on the entry.
    New `COST_FIELDS` apply from `applies_from` (`change_intervention_costs`, given `today`), and
    a bought-in programme must have a fee.

    Side effects: audit row `provision.intervention_changed` listing the fields that changed,
    and `provision.intervention_costs_changed` when the costs did.
    """
    fields = _only_known(fields)
    costs = {name: fields.pop(name) for name in COST_FIELDS if name in fields}
    if "better_when" in fields and not fields["better_when"]:
        fields["better_when"] = usual_direction(fields.get("measure_kind", intervention.measure_kind))
    stored = Intervention.objects.get(pk=intervention.pk)
    changed = [name for name, value in fields.items() if getattr(stored, name) != value]
    for name, value in fields.items():
        setattr(intervention, name, value)
    intervention.name = intervention.name.strip()
    _check_intervention(intervention)
    _check_recorded_scores(intervention, stored)
    intervention.save()
    audit.record("provision.intervention_changed", by=by, obj=intervention, fields=changed)
    if costs:
        # An amount not given stays as it is on the day.
        in_force = (
            InterventionCost.objects.filter(
                intervention=intervention, applies_from__lte=applies_from or today
            )
            .order_by("applies_from")
            .last()
        )
        costs = {name: getattr(in_force, name) for name in COST_FIELDS if in_force} | costs
        change_intervention_costs(
            intervention=intervention, applies_from=applies_from, today=today, by=by, **costs
        )
    _check_fee(intervention)
    return intervention


def _only_known(fields: dict) -> dict:
    unknown = set(fields) - {*INTERVENTION_FIELDS, *COST_FIELDS}
    if unknown:
        raise TypeError(f"Unknown intervention fields: {sorted(unknown)}")
    return dict(fields)
