"""Writes about the people around the pupil: their carers and the log of contact with them.

Carer records have no version column, so an edit carries a fingerprint of the CARER_FIELDS
as the editor saw them (`senco.concurrency`); if the record has changed since, the save is
refused and the typed text kept (R9).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from pupils.models import Carer, ContactLogEntry, ContactMethod, Pupil
from pupils.services.leavers import refuses_leavers
from senco import audit
from senco.concurrency import check_unchanged
from senco.models import User

CARER_FIELDS = (
    "name",
    "relationship",
    "parental_responsibility",
    "phone",
    "email",
    "address",
    "preferred_contact",
    "notes",
)
# The contact field a preferred method needs, so the office never picks a method it cannot use.
NEEDED_FOR_METHOD = {
    ContactMethod.PHONE: ("phone", "a phone number"),
    ContactMethod.TEXT: ("phone", "a phone number"),
    ContactMethod.EMAIL: ("email", "an email address"),
    ContactMethod.LETTER: ("address", "a postal address"),
}


def _check_contact_method(fields: dict) -> None:
    needed = NEEDED_FOR_METHOD.get(fields["preferred_contact"])
    if needed and not fields[needed[0]].strip():
        field, words = needed
        raise ValidationError({field: f"Give {words}: it is the preferred contact method."})


@refuses_leavers("pupil")
@transaction.atomic
def add_carer(*, pupil: Pupil, by: User, today: date, **fields) -> Carer:
    """Add a parent or carer to the pupil's record (`fields` are CARER_FIELDS).

    Side effects: audit row `carer.added`.
    """
    _check_contact_method(fields)
    carer = Carer(pupil=pupil, **fields)
    carer.full_clean()
    carer.save()
    audit.record("carer.added", by=by, obj=carer, fields=[name for name in CARER_FIELDS if fields[name]])
    return carer


@refuses_leavers("carer")
@transaction.atomic
def update_carer(*, carer: Carer, version: str, by: User, today: date, **fields) -> Carer:
    """Change a carer's details. `version` is the carer's `version_token` over CARER_FIELDS
    that the form was built from; if it has changed since, raises StaleEdit and writes nothing.
    Side effects: audit row `carer.changed` naming the changed fields."""
    current = Carer.objects.select_for_update().get(pk=carer.pk)
    check_unchanged(current, version, what="carer's details", fields=CARER_FIELDS)
    _check_contact_method(fields)
    changed = [name for name in CARER_FIELDS if getattr(current, name) != fields[name]]
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    current.save()
    audit.record("carer.changed", by=by, obj=current, fields=changed)
    return current


@refuses_leavers("carer")
@transaction.atomic
def remove_carer(*, carer: Carer, by: User, today: date) -> None:
    """Remove a carer who is no longer involved. Side effects: audit row `carer.removed` (which
    keeps the record's id, never its contents)."""
    audit.record("carer.removed", by=by, obj=carer)
    carer.delete()


@refuses_leavers("pupil")
@transaction.atomic
def log_contact(
    *,
    pupil: Pupil,
    kind: str,
    occurred_on: date,
    participants: str,
    summary: str,
    agreed_actions: str = "",
    by: User,
    today: date,
) -> ContactLogEntry:
    """Record a meeting, call or letter with parents or carers, or the pupil's own views.

    Side effects: audit row `contact.logged`.
    """
    if occurred_on > today:
        raise ValidationError({"occurred_on": "Log contact once it has happened: the date is in the future."})
    entry = ContactLogEntry(
        pupil=pupil,
        kind=kind,
        occurred_on=occurred_on,
        participants=participants,
        summary=summary,
        agreed_actions=agreed_actions,
        recorded_by=by,
    )
    entry.full_clean()
    entry.save()
    audit.record("contact.logged", by=by, obj=entry, fields=["kind", "occurred_on", "summary"])
    return entry
