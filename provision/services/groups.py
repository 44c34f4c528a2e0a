"""Writes for provision groups and the pupils in them. Each is one business action in one
transaction and writes its own audit row; those about one pupil name the pupil.

Every group has a `teaching_group` of kind "intervention" that these services keep in step:
the group's staff are its teachers (or, for teaching assistants, its assistants) and its
current pupils are its pupils. That is how `pupils_visible_to` lets the staff who deliver a
group see its pupils, and nobody else: no other code touches these teaching groups.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import dateformat

from provision.models import Intervention, Placement, ProvisionGroup, Setting
from provision.rules.groups import MAX_GROUP_WEEKS, default_end, group_end_limit
from provision.rules.impact import score_problem, score_range
from provision.selectors.groups import deliverers, teaching_assistants_among
from pupils.models import GroupKind, Pupil, TeachingGroup
from pupils.services.leavers import ensure_not_left, refuses_leavers
from senco import audit
from senco.concurrency import StaleEdit, check_unchanged, rows_token, update_if_unchanged
from senco.models import School, User
from senco.rules import outside_horizon
from senco.selectors import school_calendar

TEACHING_GROUP_SUFFIX = " (intervention)"
ONE_DAY = timedelta(days=1)
GROUP_FIELDS = [
    "name",
    "starts_on",
    "ends_on",
    "sessions_per_week",
    "minutes_per_session",
    "schedule",
    "setting",
]


def _day(day: date, pattern: str = "j F Y") -> str:
    return dateformat.format(day, pattern)


def _teaching_group_name(school: School, name: str, *, exclude_pk: int | None = None) -> str:
    """ "<group name> (intervention)", cut to fit and numbered if the school already uses it."""
    limit = TeachingGroup._meta.get_field("name").max_length
    taken = set(
        TeachingGroup.objects.filter(school=school).exclude(pk=exclude_pk).values_list("name", flat=True)
    )
    number = 1
    while True:
        tail = TEACHING_GROUP_SUFFIX if number == 1 else f" {number}{TEACHING_GROUP_SUFFIX}"
        candidate = name.strip()[: limit - len(tail)].rstrip() + tail
        if candidate not in taken:
            return candidate
        number += 1


def _check_staff(school: School, staff: list[User]) -> None:
    allowed = set(deliverers(school).values_list("pk", flat=True))
    if any(user.pk not in allowed for user in staff):
        raise ValidationError(
            {"staff": "Choose teachers, teaching assistants or the SENCO team of this school."}
        )


def _sync_staff(group: ProvisionGroup, staff: list[User]) -> None:
    group.staff.set(staff)
    assistants = teaching_assistants_among(group.school, staff)
    group.teaching_group.assistants.set([user for user in staff if user.pk in assistants])
    group.teaching_group.teachers.set([user for user in staff if user.pk not in assistants])


def _check_start(starts_on: date, *, today: date) -> None:
    if problem := outside_horizon(starts_on, today=today):
        raise ValidationError({"starts_on": problem})


def _check_length(starts_on: date, ends_on: date) -> None:
    if ends_on > group_end_limit(starts_on):
        raise ValidationError(
            {
                "ends_on": f"A group runs for at most {MAX_GROUP_WEEKS} weeks (two school years): "
                f"end it by {_day(group_end_limit(starts_on))}, then start a new group to carry on."
            }
        )


def _check_dates(group: ProvisionGroup, stored: ProvisionGroup) -> None:
    """Moved dates keep every recorded session and every pupil's time in the group inside them.

    A pupil's time is from `joined_on` up to the day before `left_on` (their first day out). A
    pupil taken out after the group had already ended is not held against it; moving the end
    before the last day of a pupil whose time fitted the group is refused.
    """
    sessions = group.sessions.filter(Q(held_on__lt=group.starts_on) | Q(held_on__gt=group.ends_on))
    if sessions.exists():
        raise ValidationError(
            "Sessions are recorded outside these dates: keep the dates around every session."
        )
    errors: dict[str, list[str]] = {}
    placements = list(group.placements.select_related("pupil").order_by("joined_on", "pupil__last_name"))
    early = [p for p in placements if p.joined_on < group.starts_on]
    late = [p for p in placements if p.joined_on > group.ends_on]
    cut_short = [
        p
        for p in placements
        if p.left_on and group.ends_on < p.left_on - ONE_DAY <= stored.ends_on and p not in late
    ]
    if early:
        joined = "; ".join(f"{p.pupil.full_name} joined on {_day(p.joined_on)}" for p in early)
        errors["starts_on"] = [f"The group cannot start after a pupil joined it: {joined}."]
    if late:
        joined = "; ".join(f"{p.pupil.full_name} joined on {_day(p.joined_on)}" for p in late)
        errors.setdefault("ends_on", []).append(f"The group cannot end before a pupil joined it: {joined}.")
    if cut_short:
        last = "; ".join(
            f"{p.pupil.full_name} was in it until {_day(p.left_on - ONE_DAY)}" for p in cut_short
        )
        errors.setdefault("ends_on", []).append(
            f"The group cannot end before a pupil's last day in it: {last}."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_group(
    *,
    intervention: Intervention,
    name: str,
    starts_on: date,
    staff: list[User],
    by: User,
    today: date,
    ends_on: date | None = None,
    sessions_per_week: int | None = None,
    minutes_per_session: int | None = None,
    schedule: str = "",
    setting: str = Setting.WITHDRAWAL,
) -> ProvisionGroup:
    """Set up a running group (or a 1:1) of a catalogue intervention.

    Sessions a week and minutes a session default to the intervention's; the end date to its
    typical length in teaching weeks of the school's calendar. It starts within five years of
    `today` and runs at most `MAX_GROUP_WEEKS`. Side effects: its teaching group (kind
    "intervention") with the staff; audit row `provision.group_created`.
    """
    if not intervention.is_active:
        raise ValidationError({"intervention": "This intervention is no longer in use: choose another."})
    _check_staff(intervention.school, staff)
    _check_start(starts_on, today=today)  # before the default end is worked out from it
    ends_on = ends_on or default_end(
        school_calendar(intervention.school), starts_on, intervention.typical_weeks
    )
    _check_length(starts_on, ends_on)
    group = ProvisionGroup(
        school=intervention.school,
        intervention=intervention,
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        sessions_per_week=sessions_per_week or intervention.sessions_per_week,
        minutes_per_session=minutes_per_session or intervention.minutes_per_session,
        schedule=schedule,
        setting=setting,
    )
    group.full_clean(exclude=["teaching_group"])
    group.teaching_group = TeachingGroup.objects.create(
        school=group.school, name=_teaching_group_name(group.school, group.name), kind=GroupKind.INTERVENTION
    )
    group.save()
    _sync_staff(group, staff)
    audit.record("provision.group_created", by=by, obj=group, fields=[*GROUP_FIELDS, "staff"])
    return group


@transaction.atomic
def update_group(
    *, group: ProvisionGroup, version: int, staff: list[User], by: User, today: date, **fields
) -> ProvisionGroup:
    """Change a group's name, dates, pattern or staff. `fields` are `GROUP_FIELDS`.

    Moved dates follow the same bounds as a new group's, and every pupil's time in the group
    must stay within them. Raises `StaleEdit` if someone saved since `version` was read.
    Side effects: the teaching group's name and staff follow; audit row
    `provision.group_changed` listing what changed.
    """
    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise TypeError(f"Unknown group fields: {sorted(unknown)}")
    stored = ProvisionGroup.objects.get(pk=group.pk)
    _check_staff(group.school, staff)
    candidate = ProvisionGroup(
        pk=group.pk, school=group.school, intervention=group.intervention, teaching_group=group.teaching_group
    )
    candidate._state.adding = False  # an existing row: its own pk is not a clash
    for name in GROUP_FIELDS:
        setattr(candidate, name, fields.get(name, getattr(stored, name)))
    candidate.name = candidate.name.strip()
    candidate.full_clean(exclude=["teaching_group"])
    # Only dates being moved are bounded, so an old group can still be renamed or restaffed.
    if (candidate.starts_on, candidate.ends_on) != (stored.starts_on, stored.ends_on):
        _check_start(candidate.starts_on, today=today)
        _check_length(candidate.starts_on, candidate.ends_on)
    _check_dates(candidate, stored)
    changed = [name for name in GROUP_FIELDS if getattr(stored, name) != getattr(candidate, name)]
    values = {name: getattr(candidate, name) for name in GROUP_FIELDS}
    update_if_unchanged(group, version, what="group", **values)
    group.refresh_from_db()
    if "name" in changed:
        teaching_group = group.teaching_group
        teaching_group.name = _teaching_group_name(group.school, group.name, exclude_pk=teaching_group.pk)
        teaching_group.save(update_fields=["name"])
    if {user.pk for user in staff} != set(stored.staff.values_list("pk", flat=True)):
        changed.append("staff")
    _sync_staff(group, staff)
    audit.record("provision.group_changed", by=by, obj=group, fields=changed)
    return group


@refuses_leavers("pupil")
@transaction.atomic
def add_pupil(
    *, group: ProvisionGroup, pupil: Pupil, joined_on: date, by: User, target: str = ""
) -> Placement:
    """Put a pupil in the group. The caller chose `pupil` through `pupils_visible_to`.

    A pupil joins a group once. Going over the intervention's group size is allowed (the view
    warns). Side effects: the pupil joins the group's teaching group, so its staff see them;
    audit row `provision.pupil_added` naming the pupil.
    """
    if pupil.school_id != group.school_id:
        raise ValidationError({"pupil": "Choose a pupil of this school."})
    if pupil.left_on and pupil.left_on <= joined_on:
        raise ValidationError({"pupil": f"{pupil} left the school on {_day(pupil.left_on)}."})
    if not group.starts_on <= joined_on <= group.ends_on:
        runs = f"{_day(group.starts_on, 'j F')} to {_day(group.ends_on)}"
        raise ValidationError({"joined_on": f"Choose a date while the group runs: {runs}."})
    if Placement.objects.filter(group=group, pupil=pupil).exists():
        raise ValidationError({"pupil": f"{pupil} has already been in this group."})
    placement = Placement(group=group, pupil=pupil, joined_on=joined_on, target=target, added_by=by)
    placement.full_clean()
    placement.save()
    group.teaching_group.pupils.add(pupil)
    audit.record(
        "provision.pupil_added",
        by=by,
        obj=placement,
        pupil=pupil,
        school=group.school,
        fields=["joined_on", "target"],
    )
    return placement


@transaction.atomic
def end_placement(*, placement: Placement, left_on: date, by: User, today: date) -> Placement:
    """Take a pupil out of a group from `left_on` (today or earlier).

    Side effects: the pupil leaves the group's teaching group, so staff who see them only
    through this group no longer do; audit row `provision.pupil_removed` naming the pupil.
    """
    if placement.left_on is not None:
        raise ValidationError(f"{placement.pupil} already left this group on {_day(placement.left_on)}.")
    if left_on > today:
        raise ValidationError({"left_on": "Record the day the pupil left once it has come."})
    if left_on < placement.joined_on:
        raise ValidationError(
            {"left_on": f"The pupil joined on {_day(placement.joined_on)}: choose that day or later."}
        )
    placement.left_on, placement.ended_by = left_on, by
    placement.full_clean()
    placement.save(update_fields=["left_on", "ended_by"])
    placement.group.teaching_group.pupils.remove(placement.pupil)
    audit.record(
        "provision.pupil_removed",
        by=by,
        obj=placement,
        pupil=placement.pupil,
        school=placement.group.school,
        fields=["left_on"],
    )
    return placement


MEASURE_FIELDS = ("entry_score", "entry_measured_on", "exit_score", "exit_measured_on")


def score_field(name: str, placement_pk: int) -> str:
    """The name of one pupil's field on a group's scores grid ("exit_score_12"): errors from
    `record_group_measures` are keyed by it, so the grid puts each next to its row (R8)."""
    return f"{name}_{placement_pk}"


def scores_token(placements) -> str:
    """The token of a group's scores grid (R9): every pupil's scores on it, in one."""
    return rows_token(placements, fields=MEASURE_FIELDS)


def _measure_errors(intervention: Intervention, values: dict, *, today: date) -> dict[str, str]:
    """What is wrong with one pupil's entry and exit scores and dates, keyed by field."""
    errors = {}
    for prefix in ("entry", "exit"):
        score, measured_on = values[f"{prefix}_score"], values[f"{prefix}_measured_on"]
        if score is not None and measured_on is None:
            errors[f"{prefix}_measured_on"] = f"Enter the date the {prefix} measure was taken."
        if score is None and measured_on is not None:
            errors[f"{prefix}_score"] = f"Enter the {prefix} score, or clear the date."
        if measured_on and measured_on > today:
            errors[f"{prefix}_measured_on"] = "This date is in the future."
    if values["exit_score"] is not None and values["entry_score"] is None:
        errors["exit_score"] = "Record the entry measure first: progress is judged from entry to exit."
    entry_on, exit_on = values["entry_measured_on"], values["exit_measured_on"]
    if entry_on and exit_on and exit_on < entry_on:
        errors["exit_measured_on"] = "The exit measure is taken on or after the entry measure."
    lowest, highest = score_range(
        intervention.measure_kind, intervention.measure_lowest, intervention.measure_highest
    )
    for name in ("entry_score", "exit_score"):
        if name not in errors and (problem := score_problem(values[name], lowest=lowest, highest=highest)):
            errors[name] = problem
    return errors


def _save_measures(placement: Placement, values: dict, *, by: User, today: date) -> None:
    """Write one pupil's checked scores, with an audit row naming the fields that changed. A
    leaver's scores are read-only (their unchanged row on a group's grid is left alone)."""
    changed = [name for name in MEASURE_FIELDS if getattr(placement, name) != values[name]]
    if not changed:
        return
    ensure_not_left(placement.pupil, today)
    for name in MEASURE_FIELDS:
        setattr(placement, name, values[name])
    placement.full_clean()
    placement.save(update_fields=list(MEASURE_FIELDS))
    audit.record(
        "provision.measures_recorded",
        by=by,
        obj=placement,
        pupil=placement.pupil,
        school=placement.group.school,
        fields=changed,
    )


@refuses_leavers("placement")
@transaction.atomic
def record_measures(
    *,
    placement: Placement,
    version: str,
    entry_score: Decimal | None,
    entry_measured_on: date | None,
    exit_score: Decimal | None,
    exit_measured_on: date | None,
    by: User,
    today: date,
) -> Placement:
    """Record a pupil's entry and exit measures on the intervention's one instrument.

    A score needs the date it was taken, and must be one the measure can give (the catalogue
    entry's range, or the usual one for its kind); an exit measure needs an entry measure and a
    date on or after it. `version` is the placement's `version_token` over MEASURE_FIELDS as
    the form showed them: if someone changed them since (here or on the group's grid), raises
    StaleEdit and writes nothing. Side effects: audit row `provision.measures_recorded` naming
    the pupil and the fields that changed; no row when nothing changed.
    """
    current = Placement.objects.select_for_update(of=("self",)).select_related("pupil").get(pk=placement.pk)
    check_unchanged(current, version, what="pupil's scores", fields=MEASURE_FIELDS)
    values = {
        "entry_score": entry_score,
        "entry_measured_on": entry_measured_on,
        "exit_score": exit_score,
        "exit_measured_on": exit_measured_on,
    }
    if errors := _measure_errors(placement.group.intervention, values, today=today):
        raise ValidationError(errors)
    current.group = placement.group
    _save_measures(current, values, by=by, today=today)
    return current


@transaction.atomic
def record_group_measures(
    *,
    group: ProvisionGroup,
    version: str,
    scores: dict[int, dict],
    by: User,
    today: date,
    measured_on: date | None = None,
) -> list[Placement]:
    """Record the entry and exit scores of several pupils of a group at once: all or nothing.

    `scores` maps the id of each placement on the grid (placements of this group, which the
    caller chose through `placements_to_score`) to its MEASURE_FIELDS. A score typed without a
    date takes `measured_on`, the grid's one date, if given. `version` is `scores_token` of those
    placements as the grid was drawn: if anyone changed any of their scores since, raises
    StaleEdit and writes nothing. Each pupil's scores follow the rules of `record_measures`;
    every problem comes back in one ValidationError keyed by `score_field`, and nothing is
    saved. Side effects: audit row `provision.measures_recorded` for each pupil whose scores
    changed, naming them.
    """
    placements = list(
        group.placements.select_for_update(of=("self",))
        .filter(pk__in=scores)
        .select_related("pupil")
        .order_by("pk")
    )
    if len(placements) != len(scores):
        raise ValueError("Every placement on the grid must be one of the group's.")
    token = scores_token(placements)
    if token != version:
        raise StaleEdit(group, token=token, what="group's scores")
    if measured_on and measured_on > today:
        raise ValidationError({"measured_on": "This date is in the future."})
    rows, errors = {}, {}
    for placement in placements:
        values = dict(scores[placement.pk])
        for prefix in ("entry", "exit"):
            if values[f"{prefix}_score"] is not None and values[f"{prefix}_measured_on"] is None:
                values[f"{prefix}_measured_on"] = measured_on
        rows[placement.pk] = values
        for name, problem in _measure_errors(group.intervention, values, today=today).items():
            errors[score_field(name, placement.pk)] = problem
    if errors:
        raise ValidationError(errors)
    for placement in placements:
        placement.group = group
        _save_measures(placement, rows[placement.pk], by=by, today=today)
    return placements
