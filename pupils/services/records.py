"""Writes to a pupil's own record: the census-style fields and flags the SENCO and the school
administrator keep in step with the MIS, SEN status changes, and the audited view of the record.
Each is one business action, one transaction, and audits itself (R3). Changed fields are audited
by name, never by value.

Optimistic concurrency without a version column (`senco.concurrency`): the edit form carries
the fingerprint of the EDITABLE_FIELDS when it was drawn; `update_pupil` locks the row and
refuses the save with `StaleEdit` if they differ."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from pupils.models import GroupKind, NeedType, Pupil, SenStatusChange, TeachingGroup
from pupils.permissions import can_correct_leaving_date
from pupils.selectors.records import latest_sen_entry
from pupils.services.leavers import ensure_not_left, refuses_leavers
from pupils.services.register import sync_current_sen_status
from senco import audit
from senco.concurrency import check_unchanged
from senco.models import STAFF, Membership, Role, User
from senco.rules import add_months

# How far ahead a change of SEN status may be recorded: far enough for support agreed at a
# summer meeting to start in September, near enough that a mistyped year is caught.
FUTURE_MONTHS = 6

# The fields of the record form, in the order the form shows them.
EDITABLE_FIELDS = [
    "upn",
    "first_name",
    "last_name",
    "preferred_first_name",
    "preferred_last_name",
    "date_of_birth",
    "gender",
    "year_group",
    "admitted_on",
    "left_on",
    "looked_after",
    "designated_teacher",
    "previously_looked_after",
    "pupil_premium",
    "free_school_meals",
    "eal",
    "young_carer",
]


def designated_teacher_choices(school) -> QuerySet[User]:
    """The school's staff (anyone holding a staff role there: not governors only)."""
    return (
        User.objects.filter(memberships__school=school, memberships__role__in=STAFF)
        .distinct()
        .order_by("last_name", "first_name")
    )


def _differs(pupil: Pupil, name: str, value) -> bool:
    if name == "designated_teacher":
        return pupil.designated_teacher_id != (value.pk if value is not None else None)
    return getattr(pupil, name) != value


def changed_fields(pupil: Pupil, changes: dict) -> list[str]:
    """The names in `changes` whose value differs from the pupil's, in form order."""
    return [name for name in EDITABLE_FIELDS if name in changes and _differs(pupil, name, changes[name])]


def _is_staff_here(pupil: Pupil) -> bool:
    return designated_teacher_choices(pupil.school).filter(pk=pupil.designated_teacher_id).exists()


# Cross-field rules: (fields that trigger it, field the error goes on, broken when, message).
# Each is checked only when one of its fields changes, so that an old inconsistency elsewhere
# in the record never blocks an unrelated correction (or an import).
RULES = [
    (
        {"date_of_birth"},
        "date_of_birth",
        lambda p, today: p.date_of_birth and p.date_of_birth > today,
        "The date of birth cannot be in the future.",
    ),
    (
        {"date_of_birth", "admitted_on"},
        "admitted_on",
        lambda p, today: p.admitted_on and p.date_of_birth and p.admitted_on < p.date_of_birth,
        "The admission date cannot be before the date of birth.",
    ),
    (
        {"admitted_on", "left_on"},
        "left_on",
        lambda p, today: p.admitted_on and p.left_on and p.left_on < p.admitted_on,
        "The leaving date cannot be before the admission date.",
    ),
    (
        {"looked_after", "previously_looked_after"},
        "previously_looked_after",
        lambda p, today: p.looked_after and p.previously_looked_after,
        "A child is either looked after now or previously looked after, not both.",
    ),
    (
        {"designated_teacher", "looked_after", "previously_looked_after"},
        "designated_teacher",
        lambda p, today: p.designated_teacher_id and not (p.looked_after or p.previously_looked_after),
        "Record a designated teacher only for a looked-after or previously looked-after child.",
    ),
    (
        {"designated_teacher"},
        "designated_teacher",
        lambda p, today: p.designated_teacher_id and not _is_staff_here(p),
        "Choose a member of staff at this school.",
    ),
    (
        {"upn"},
        "upn",
        lambda p, today: Pupil.objects.filter(school=p.school, upn=p.upn).exclude(pk=p.pk).exists(),
        "Another pupil at this school already has this UPN.",
    ),
]


def _rule_errors(pupil: Pupil, changed: set[str], today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    for fields, field, broken, message in RULES:
        if fields & changed and field not in errors and broken(pupil, today):
            errors[field] = message
    return errors


def record_errors(pupil: Pupil, changed: list[str], today: date) -> dict[str, str]:
    """What `update_pupil` or `create_pupil` would refuse in `pupil` (already holding the new
    values of the `changed` fields), keyed by field, without writing: the MIS import's preview."""
    errors = _rule_errors(pupil, set(changed), today)
    try:
        # Only the changed fields: the rest were checked when saved, and checking the school's
        # key would cost a query per row of an import. The one unique rule (UPN per school) is
        # checked above with a plainer message; the database constraint still stands behind it.
        pupil.full_clean(
            exclude=[f.name for f in Pupil._meta.concrete_fields if f.name not in changed],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, messages[0])
    return errors


def _validate(pupil: Pupil, changed: list[str], today: date) -> None:
    errors = record_errors(pupil, changed, today)
    if errors:
        raise ValidationError(errors)


def _ensure_editable(pupil: Pupil, changed: list[str], by: User, today: date) -> None:
    if set(changed) == {"left_on"} and can_correct_leaving_date(by):
        return
    ensure_not_left(pupil, today)


@transaction.atomic
def update_pupil(*, pupil: Pupil, changes: dict, by: User, today: date, version: str | None = None) -> Pupil:
    """Apply `changes` (field name -> new value, names from EDITABLE_FIELDS) to the record.

    `version` is the record's `version_token` over EDITABLE_FIELDS when the editor loaded it; if
    given and the record has changed since, raises `StaleEdit` and writes nothing. Leavers are
    refused (see `_ensure_editable`). Writes only if a value differs. Side effects: audit row
    `pupil.updated` listing the changed field names (never the values). Returns the saved pupil
    (a fresh instance).
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    current = Pupil.objects.select_for_update().select_related("school").get(pk=pupil.pk)
    if version is not None:
        check_unchanged(current, version, what="pupil's record", fields=EDITABLE_FIELDS)
    changed = changed_fields(current, changes)
    if not changed:
        return current
    _ensure_editable(current, changed, by, today)
    for name in changed:
        setattr(current, name, changes[name])
    _validate(current, changed, today)
    current.save(update_fields=changed)
    audit.record("pupil.updated", by=by, obj=current, fields=changed)
    return current


@transaction.atomic
def create_pupil(*, school, fields: dict, by: User, today: date) -> Pupil:
    """Add a pupil to `school` with `fields` (names from EDITABLE_FIELDS).

    Side effects: audit row `pupil.created` listing the fields given.
    """
    pupil = Pupil(school=school, **fields)
    _validate(pupil, list(fields), today)
    pupil.save()
    audit.record("pupil.created", by=by, obj=pupil, fields=list(fields))
    return pupil


@transaction.atomic
def move_pupil_to_group(*, pupil: Pupil, group: TeachingGroup, by: User, today: date) -> None:
    """Put the pupil in `group` and take them out of their other groups of the same kind (a
    pupil has one class, or one registration group). Does nothing if that is already so;
    otherwise leavers are refused. Side effects: audit row `pupil.group_changed` naming the group.
    """
    if group.school_id != pupil.school_id:
        raise ValidationError("That group belongs to another school.")
    Through = TeachingGroup.pupils.through
    memberships = Through.objects.filter(pupil=pupil, teachinggroup__kind=group.kind)
    current = set(memberships.values_list("teachinggroup_id", flat=True))
    if current == {group.pk}:
        return
    ensure_not_left(pupil, today)
    # Two or three queries, not five: this runs once per pupil of a whole-school import.
    if current - {group.pk}:
        memberships.exclude(teachinggroup=group).delete()
    if group.pk not in current:
        Through.objects.create(teachinggroup=group, pupil=pupil)
    audit.record(
        "pupil.group_changed", by=by, obj=pupil, fields=["teaching_groups"], summary=f"Now in {group.name}"
    )


# What a status entry records, for the audit row's list of what an entry changed (a correction
# from register health typically changes only the parents-informed details or the plan date).
ENTRY_FIELDS = (
    "status",
    "effective_from",
    "primary_need",
    "secondary_need",
    "parents_informed_on",
    "parents_informed_how",
    "ehc_plan_date",
)


@refuses_leavers("pupil")
@transaction.atomic
def change_sen_status(
    *,
    pupil: Pupil,
    status: str,
    effective_from: date,
    reason: str,
    by: User | None,
    today: date,
    primary_need: NeedType | None = None,
    secondary_need: NeedType | None = None,
    parents_informed_on: date | None = None,
    parents_informed_how: str = "",
    ehc_plan_date: date | None = None,
) -> SenStatusChange:
    """Add a dated entry to the pupil's SEN history; it becomes the status from `effective_from`.
    `ehc_plan_date` is the date on the final EHC plan (only an EHC plan status has one).

    A change may be agreed ahead: parents are often told at a meeting that support will start
    on a later day (the first day of an intervention, or of next term), so `effective_from` may
    lie up to six months after `today` and the entry takes effect on that day
    (`pupils.selectors.records.current_sen_status`). Parents may have been told before it takes
    effect, but not on a day still to come.

    The status on a day is the entry with the latest `effective_from` on or before it (then the
    latest recorded), so an entry dated before the last one, in force or agreed ahead, would be
    saved yet never take effect as meant: it is refused. One dated the same day supersedes it,
    which is how a correction is recorded.
    Side effects: audit row `pupil.sen_status_changed`, listing the details that differ from the
    last entry.
    """
    furthest = add_months(today, FUTURE_MONTHS)
    if effective_from > furthest:
        raise ValidationError(
            {
                "effective_from": "A change can be recorded up to six months ahead: "
                f"choose {furthest:%d/%m/%Y} or earlier."
            }
        )
    if parents_informed_on and parents_informed_on > today:
        raise ValidationError(
            {
                "parents_informed_on": "Parents cannot have been told on a date still to come: "
                "record the date once they know."
            }
        )
    # Locked so that two changes saved at once cannot both pass the date check against a stale entry.
    Pupil.objects.select_for_update().filter(pk=pupil.pk).first()
    current = latest_sen_entry(pupil)
    if current is not None and effective_from < current.effective_from:
        began = current.effective_from
        if began > today:
            message = (
                f"A change to {current.get_status_display()} is already recorded from "
                f"{began.day} {began:%B %Y}; a change must take effect on or after that date "
                "(one dated that day takes its place)."
            )
        else:
            message = (
                f"The current status ({current.get_status_display()}) began on "
                f"{began.day} {began:%B %Y}; a change must take effect on or after that date."
            )
        raise ValidationError({"effective_from": message})
    change = SenStatusChange(
        pupil=pupil,
        status=status,
        primary_need=primary_need,
        secondary_need=secondary_need,
        effective_from=effective_from,
        reason=reason,
        recorded_by=by,
        parents_informed_on=parents_informed_on,
        parents_informed_how=parents_informed_how,
        ehc_plan_date=ehc_plan_date,
    )
    change.full_clean()
    change.save()
    sync_current_sen_status(pupil_ids=[pupil.pk], today=today)
    before = current or SenStatusChange()  # a first entry: every detail it records is new
    changed = [
        name for name in ENTRY_FIELDS if change.serializable_value(name) != before.serializable_value(name)
    ]
    audit.record("pupil.sen_status_changed", by=by, obj=change, pupil=pupil, fields=changed)
    return change


# Who teaches each group ------------------------------------------------------------------------

# Who may staff a group, by field: its teachers hold the class teacher role at the school, its
# assistants the teaching assistant role, since that is what lets them see its pupils.
GROUP_STAFF_ROLES = {"teachers": Role.TEACHER, "assistants": Role.TA}


def group_staff_problems(
    *, group: TeachingGroup, teachers: list[User], assistants: list[User], by: User | None
) -> dict[str, str]:
    """What is wrong with making `teachers` and `assistants` the staff of `group`, by field (empty
    when nothing is): anyone without the role at the group's school, and `by` themselves joining
    or leaving it (which would widen or narrow their own reach: ask a colleague)."""
    problems = {}
    for field, chosen in (("teachers", teachers), ("assistants", assistants)):
        role = GROUP_STAFF_ROLES[field]
        holders = set(
            Membership.objects.filter(school_id=group.school_id, role=role, user__is_active=True).values_list(
                "user_id", flat=True
            )
        )
        outsiders = sorted(str(user) for user in chosen if user.pk not in holders)
        if outsiders:
            problems[field] = f"Not a {Role(role).label.lower()} at {group.school}: {', '.join(outsiders)}."
        before = set(getattr(group, field).values_list("pk", flat=True)) if group.pk else set()
        if by is not None and (by.pk in before) != any(user.pk == by.pk for user in chosen):
            problems.setdefault(
                field, "You cannot add yourself to a group or take yourself off one: ask a colleague."
            )
    return problems


@transaction.atomic
def set_group_staff(
    *, group: TeachingGroup, teachers: list[User], assistants: list[User], by: User | None
) -> TeachingGroup:
    """Make `teachers` and `assistants` the staff of `group`, a class, registration group or set:
    who teaches and supports it decides which pupils a teacher or TA sees (`pupils_visible_to`),
    from their next request. Refused (ValidationError by field) as `group_staff_problems` says,
    and for an intervention group, whose staff are its provision group's. Does nothing when
    nothing changes.

    Side effects: the group's teachers and assistants; audit row `group.staff_changed` naming
    who joined and who left (staff's names, never a pupil's).
    """
    if group.kind == GroupKind.INTERVENTION:
        raise ValidationError("An intervention group's staff are set on its provision group.")
    problems = group_staff_problems(group=group, teachers=teachers, assistants=assistants, by=by)
    if problems:
        raise ValidationError(problems)
    changes, changed_fields = [], []
    for field, chosen in (("teachers", teachers), ("assistants", assistants)):
        before = {user.pk: user for user in getattr(group, field).all()}
        after = {user.pk: user for user in chosen}
        joined = [str(after[pk]) for pk in after.keys() - before.keys()]
        left = [str(before[pk]) for pk in before.keys() - after.keys()]
        if joined or left:
            getattr(group, field).set(chosen)
            changed_fields.append(field)
            changes += [f"+{name}" for name in sorted(joined)] + [f"-{name}" for name in sorted(left)]
    if changed_fields:
        audit.record(
            "group.staff_changed",
            by=by,
            obj=group,
            school=group.school,
            fields=changed_fields,
            summary=f"{group.name}: {', '.join(changes)}",
        )
    return group
