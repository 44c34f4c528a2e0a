"""Writes for the rate each member of staff is costed at and the intervention catalogue. Each is
one business action in one transaction, validates with `full_clean()` and writes its own audit
row. Rates and the catalogue hold no pupil data, so their audit rows name no pupil. Staff rates
themselves, and an entry's costs from the dates they apply from, are written by
`provision.services.budget`."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from provision.models import CostBasis, Intervention, InterventionCost, Placement, StaffMemberRate, StaffRate
from provision.rules.budget import FROM_THE_START
from provision.rules.impact import describe_range, score_range, usual_direction
from provision.selectors.groups import deliverers
from provision.services.budget import change_intervention_costs
from senco import audit
from senco.concurrency import StaleEdit, check_unchanged, version_token
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


STAFF_MEMBER_RATE_FIELDS = ("staff_rate",)


@transaction.atomic
def set_staff_member_rate(
    *, school: School, staff: User, staff_rate: StaffRate | None, version: str, by: User
) -> StaffMemberRate | None:
    """Cost a member of staff who may deliver groups at one of the school's staff rates, or, with
    `staff_rate` None, at each intervention's own rate. `version` is the fingerprint of their
    current rate (`version_token(row, fields=STAFF_MEMBER_RATE_FIELDS)`), "" if they have none.

    Raises ValidationError for staff who do not deliver groups here or another school's rate;
    StaleEdit if someone else set their rate since. Side effects: audit row
    `provision.staff_member_rate_set` (the rate's name, never the pay).
    """
    if not deliverers(school).filter(pk=staff.pk).exists():
        raise ValidationError("Only staff who may deliver groups at this school are costed here.")
    if staff_rate is not None and staff_rate.school_id != school.pk:
        raise ValidationError({"staff_rate": "Choose one of this school's staff rates."})
    row = StaffMemberRate.objects.select_for_update().filter(school=school, staff=staff).first()
    check_unchanged(row, version, what="member of staff's rate", fields=STAFF_MEMBER_RATE_FIELDS)
    if staff_rate is None:
        if row is not None:
            row.delete()
        audit.record(
            "provision.staff_member_rate_set",
            by=by,
            obj=staff,
            school=school,
            summary=f"{staff}: no own rate",
        )
        return None
    row = row or StaffMemberRate(school=school, staff=staff)
    row.staff_rate = staff_rate
    row.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # set by someone else between our read and our insert
        current = StaffMemberRate.objects.get(school=school, staff=staff)
        token = version_token(current, fields=STAFF_MEMBER_RATE_FIELDS)
        raise StaleEdit(current, token=token, what="member of staff's rate") from exc
    audit.record(
        "provision.staff_member_rate_set",
        by=by,
        obj=row,
        fields=list(STAFF_MEMBER_RATE_FIELDS),
        summary=f"{staff}: {staff_rate.name}",
    )
    return row


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
