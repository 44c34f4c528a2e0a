"""Writes for staff rates, the rate each member of staff is costed at, and the intervention
catalogue. Each is one business action in one transaction, validates with `full_clean()` and
writes its own audit row. Rates and the catalogue hold no pupil data, so their audit rows name no
pupil."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from provision.models import Intervention, Placement, StaffMemberRate, StaffRate
from provision.rules.impact import describe_range, score_range, usual_direction
from provision.selectors.groups import deliverers
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
    "fixed_cost",
    "resources_cost",
    "is_active",
]


def _check_rate_name_free(*, school: School, name: str, exclude_pk: int | None = None) -> None:
    """Also refuses a name that differs only in capitals, which the database would allow."""
    others = StaffRate.objects.filter(school=school, name__iexact=name.strip()).exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError({"name": f"There is already a staff rate called “{name.strip()}”."})


@transaction.atomic
def create_staff_rate(*, school: School, name: str, hourly_cost: Decimal, by: User) -> StaffRate:
    """Add an hourly cost for a kind of staff. Side effects: audit row `provision.staff_rate_created`."""
    _check_rate_name_free(school=school, name=name)
    _check_not_negative(hourly_cost=hourly_cost)
    rate = StaffRate(school=school, name=name.strip(), hourly_cost=hourly_cost)
    rate.full_clean()
    rate.save()
    audit.record("provision.staff_rate_created", by=by, obj=rate, fields=["name", "hourly_cost"])
    return rate


@transaction.atomic
def update_staff_rate(*, rate: StaffRate, name: str, hourly_cost: Decimal, by: User) -> StaffRate:
    """Rename or re-price a staff rate; every intervention priced at it follows.

    Side effects: audit row `provision.staff_rate_changed` listing the fields that changed.
    """
    _check_rate_name_free(school=rate.school, name=name, exclude_pk=rate.pk)
    _check_not_negative(hourly_cost=hourly_cost)
    stored = StaffRate.objects.get(pk=rate.pk)
    changed = [
        field
        for field, value in (("name", name.strip()), ("hourly_cost", hourly_cost))
        if getattr(stored, field) != value
    ]
    rate.name, rate.hourly_cost = name.strip(), hourly_cost
    rate.full_clean()
    rate.save()
    audit.record("provision.staff_rate_changed", by=by, obj=rate, fields=changed)
    return rate


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


def _check_not_negative(**amounts: Decimal | None) -> None:
    errors = {
        name: "Enter an amount of £0 or more." for name, amount in amounts.items() if amount and amount < 0
    }
    if errors:
        raise ValidationError(errors)


def _check_intervention(intervention: Intervention) -> None:
    """Model rules plus the ones that span the school: a unique name and the school's own rate."""
    _check_not_negative(fixed_cost=intervention.fixed_cost, resources_cost=intervention.resources_cost)
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


@transaction.atomic
def create_intervention(*, school: School, by: User, **fields) -> Intervention:
    """Add an intervention to the school's catalogue. `fields` are `INTERVENTION_FIELDS`; without
    `better_when`, the measure's direction is the usual one for its kind.

    Side effects: audit row `provision.intervention_created`.
    """
    intervention = Intervention(school=school, **_only_known(fields))
    intervention.name = intervention.name.strip()
    if not fields.get("better_when"):
        intervention.better_when = usual_direction(intervention.measure_kind)
    _check_intervention(intervention)
    intervention.save()
    audit.record("provision.intervention_created", by=by, obj=intervention, fields=list(fields))
    return intervention


@transaction.atomic
def update_intervention(*, intervention: Intervention, by: User, **fields) -> Intervention:
    """Change a catalogue entry. Running groups keep their own sessions and minutes (they were
    copied when the group was set up); costs follow the entry, and impact follows its measure's
    direction. A blank `better_when` means the usual direction for the kind of measure. A new
    range of possible scores must hold every score already recorded on the entry.

    Side effects: audit row `provision.intervention_changed` listing the fields that changed.
    """
    fields = _only_known(fields)
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
    return intervention


def _only_known(fields: dict) -> dict:
    unknown = set(fields) - set(INTERVENTION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown intervention fields: {sorted(unknown)}")
    return fields
