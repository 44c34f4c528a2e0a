"""Writes for the delivery log: the person who runs a group records each planned session, and
corrects or deletes a record made in error.

Session records have no version column, so a correction carries a fingerprint of the
SESSION_FIELDS as the corrector saw them (`senco.concurrency`); if the record has changed since,
the save is refused and the typed values kept (R9), as for carers.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import dateformat

from provision.models import DeliveredSession, ProvisionGroup, SessionStatus
from provision.permissions import can_correct_session, can_delete_session
from pupils.models import Pupil
from pupils.selectors.records import pupils_visible_to
from senco import audit
from senco.concurrency import check_unchanged
from senco.models import User

SESSION_FIELDS = ("held_on", "status", "cancelled_reason", "absent", "notes")
GONE_MESSAGE = "Someone else deleted this session record while you were correcting it."
TAKEN = "session_taken"  # the code of the error for a day already recorded


def _day(day: date) -> str:
    return dateformat.format(day, "l j F Y")


def _taken(
    group: ProvisionGroup, held_on: date, *, session: DeliveredSession | None = None
) -> ValidationError:
    """The error for a day the group already has a record of. It carries that record's id
    (`params["session_pk"]`, code TAKEN) so that the page can link to correcting it."""
    existing = DeliveredSession.objects.filter(group=group, held_on=held_on)
    if session is not None:
        existing = existing.exclude(pk=session.pk)
    return ValidationError(
        f"A session on {_day(held_on)} is already recorded for this group.",
        code=TAKEN,
        params={"session_pk": existing.values_list("pk", flat=True).first()},
    )


def _check(
    *,
    group: ProvisionGroup,
    held_on: date,
    status: str,
    reason: str,
    absent: list[Pupil],
    today: date,
    session: DeliveredSession | None = None,
    hidden: frozenset[int] = frozenset(),
):
    """The rules for a session record, new (`session` None) or corrected. `hidden` are absent
    pupils the user can no longer see, kept from the record as it was."""
    others = DeliveredSession.objects.filter(group=group, held_on=held_on)
    if session is not None:
        others = others.exclude(pk=session.pk)
    errors = {}
    if held_on > today:
        errors["held_on"] = "Record a session on the day it happens or afterwards."
    elif not group.starts_on <= held_on <= group.ends_on:
        errors["held_on"] = (
            f"The group runs from {dateformat.format(group.starts_on, 'j F')} "
            f"to {dateformat.format(group.ends_on, 'j F Y')}."
        )
    elif others.exists():
        errors["held_on"] = _taken(group, held_on, session=session)
    if status == SessionStatus.CANCELLED and not reason.strip():
        errors["cancelled_reason"] = "Say why the session was cancelled."
    if status == SessionStatus.CANCELLED and absent:
        errors["absent"] = "A cancelled session has no absences: untick the pupils or mark it delivered."
    placed = group.placements.filter(joined_on__lte=held_on).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=held_on)
    )
    not_placed = {pupil.pk for pupil in absent} - set(placed.values_list("pupil_id", flat=True))
    if not_placed & hidden:
        # The corrector cannot untick a pupil they do not see, so the date is what must change.
        errors["held_on"] = (
            "A pupil recorded absent from this session was not in the group on that day; "
            "ask the SENCO team to move it."
        )
    elif not_placed:
        errors["absent"] = "Only pupils in the group on that day can be marked absent."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_session(
    *,
    group: ProvisionGroup,
    held_on: date,
    status: str,
    by: User,
    today: date,
    cancelled_reason: str = "",
    absent: Iterable[Pupil] = (),
    notes: str = "",
) -> DeliveredSession:
    """Record that a session was delivered (with who was absent) or cancelled (with why).

    One record per group per day: a second for a day is refused, the error (code TAKEN) naming
    the record there is. Side effects: audit row `provision.session_recorded`, and
    `provision.pupil_absent` naming each absent pupil.
    """
    absent = list(absent)
    _check(group=group, held_on=held_on, status=status, reason=cancelled_reason, absent=absent, today=today)
    session = DeliveredSession(
        group=group,
        held_on=held_on,
        status=status,
        cancelled_reason=cancelled_reason.strip() if status == SessionStatus.CANCELLED else "",
        notes=notes,
        recorded_by=by,
    )
    session.full_clean()
    try:
        # Two people recording the same day at once: the constraint decides, the loser is told.
        with transaction.atomic():
            session.save()
    except IntegrityError as exc:
        raise ValidationError({"held_on": _taken(group, held_on)}) from exc
    session.absent.set(absent)
    audit.record(
        "provision.session_recorded", by=by, obj=session, school=group.school, fields=list(SESSION_FIELDS)
    )
    for pupil in absent:
        audit.record("provision.pupil_absent", by=by, obj=session, pupil=pupil, school=group.school)
    return session


def _with_hidden(
    absent: list[Pupil], *, was_absent: set[int], status: str, by: User
) -> tuple[list[Pupil], frozenset[int]]:
    """The absences a correction keeps: those chosen, plus those of pupils the corrector can no
    longer see (a TA does not see a pupil taken out of their group), whom they cannot untick.
    A cancelled session has no absences, so then those go too. Also returns the hidden ids."""
    seen = pupils_visible_to(by).filter(pk__in=was_absent).values_list("pk", flat=True)
    hidden = frozenset(was_absent - set(seen))
    if hidden and status == SessionStatus.DELIVERED:
        absent += list(Pupil.objects.filter(pk__in=hidden))
    return absent, hidden


@transaction.atomic
def correct_session(
    *,
    session: DeliveredSession,
    version: str,
    held_on: date,
    status: str,
    by: User,
    today: date,
    cancelled_reason: str = "",
    absent: Iterable[Pupil] = (),
    notes: str = "",
) -> DeliveredSession:
    """Correct a recorded session's date, status, reason, absences or notes, by the rules for
    recording one. Whoever may record the group's sessions may correct them.

    `version` is the session's `version_token` over SESSION_FIELDS that the form was built from;
    if the record has changed or gone since, raises StaleEdit (its `current` None if gone) and
    writes nothing. `absent` is the pupils the corrector sees; pupils absent that day whom they
    can no longer see stay absent, unless the session becomes cancelled. Side effects: audit row
    `provision.session_corrected` naming the changed fields (none if nothing changed), and
    `provision.pupil_absent` for each newly absent pupil.
    """
    if not can_correct_session(by, session):
        raise PermissionDenied
    current = DeliveredSession.objects.select_for_update().filter(pk=session.pk).first()
    check_unchanged(current, version, what="session record", fields=SESSION_FIELDS)
    was_absent = set(current.absent.values_list("pk", flat=True))
    absent, hidden = _with_hidden(list(absent), was_absent=was_absent, status=status, by=by)
    group = session.group
    _check(
        group=group,
        held_on=held_on,
        status=status,
        reason=cancelled_reason,
        absent=absent,
        today=today,
        session=current,
        hidden=hidden,
    )
    values = {
        "held_on": held_on,
        "status": status,
        "cancelled_reason": cancelled_reason.strip() if status == SessionStatus.CANCELLED else "",
        "notes": notes,
    }
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    if {pupil.pk for pupil in absent} != was_absent:
        changed.append("absent")
    if not changed:
        return current
    for name, value in values.items():
        setattr(current, name, value)
    current.full_clean()
    try:
        # Another record moved onto the same day meanwhile: the constraint decides.
        with transaction.atomic():
            current.save(update_fields=list(values))
    except IntegrityError as exc:
        raise ValidationError({"held_on": _taken(group, held_on, session=current)}) from exc
    current.absent.set(absent)
    audit.record("provision.session_corrected", by=by, obj=current, school=group.school, fields=changed)
    for pupil in absent:
        if pupil.pk not in was_absent:
            audit.record("provision.pupil_absent", by=by, obj=current, pupil=pupil, school=group.school)
    return current


@transaction.atomic
def delete_session(*, session: DeliveredSession, by: User) -> None:
    """Delete a session recorded by mistake: the SENCO team, or whoever recorded it while they
    still deliver the group. Side effects: audit row `provision.session_deleted`, which keeps the
    record's id and date, never its notes."""
    if not can_delete_session(by, session):
        raise PermissionDenied
    audit.record(
        "provision.session_deleted",
        by=by,
        obj=session,
        school=session.group.school,
        summary=f"Session of {session.held_on.isoformat()}",
    )
    session.delete()
