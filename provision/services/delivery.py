"""Writes for the delivery log: the person who runs a group records each planned session."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import dateformat

from provision.models import DeliveredSession, ProvisionGroup, SessionStatus
from pupils.models import Pupil
from senco import audit
from senco.models import User


def _day(day: date) -> str:
    return dateformat.format(day, "l j F Y")


def _check(
    *, group: ProvisionGroup, held_on: date, status: str, reason: str, absent: list[Pupil], today: date
):
    errors = {}
    if held_on > today:
        errors["held_on"] = "Record a session on the day it happens or afterwards."
    elif not group.starts_on <= held_on <= group.ends_on:
        errors["held_on"] = (
            f"The group runs from {dateformat.format(group.starts_on, 'j F')} "
            f"to {dateformat.format(group.ends_on, 'j F Y')}."
        )
    elif DeliveredSession.objects.filter(group=group, held_on=held_on).exists():
        errors["held_on"] = f"A session on {_day(held_on)} is already recorded for this group."
    if status == SessionStatus.CANCELLED and not reason.strip():
        errors["cancelled_reason"] = "Say why the session was cancelled."
    if status == SessionStatus.CANCELLED and absent:
        errors["absent"] = "A cancelled session has no absences: untick the pupils or mark it delivered."
    placed = group.placements.filter(joined_on__lte=held_on).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=held_on)
    )
    if {pupil.pk for pupil in absent} - set(placed.values_list("pupil_id", flat=True)):
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

    One record per group per day. Side effects: audit row `provision.session_recorded`, and
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
        raise ValidationError(
            {"held_on": f"A session on {_day(held_on)} is already recorded for this group."}
        ) from exc
    session.absent.set(absent)
    fields = ["held_on", "status", "cancelled_reason", "absent", "notes"]
    audit.record("provision.session_recorded", by=by, obj=session, school=group.school, fields=fields)
    for pupil in absent:
        audit.record("provision.pupil_absent", by=by, obj=session, pupil=pupil, school=group.school)
    return session
