"""Writes for pupil passports (one-page profiles). A passport is never edited in place: each save
writes the next version, so the school can always show what staff were told and when.

Two people may edit the same passport, so the form carries the version it was based on and a
save over a newer version is refused (`StaleEdit`, `senco.concurrency`), keeping what was typed
(R9).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pupils.models import Passport, Pupil
from pupils.services.leavers import refuses_leavers
from senco import audit
from senco.concurrency import StaleEdit, check_unchanged
from senco.models import User

PASSPORT_FIELDS = (
    "strengths",
    "important_to_me",
    "how_to_support",
    "staff_should",
    "pupil_voice",
    "parent_voice",
    "written_on",
)


def _changed_fields(previous: Passport | None, fields: dict) -> list[str]:
    if previous is None:
        return [name for name in PASSPORT_FIELDS if fields[name]]
    return [name for name in PASSPORT_FIELDS if getattr(previous, name) != fields[name]]


@refuses_leavers("pupil")
@transaction.atomic
def save_passport(
    *,
    pupil: Pupil,
    based_on: int,
    strengths: str,
    important_to_me: str,
    how_to_support: str,
    staff_should: str,
    pupil_voice: str = "",
    parent_voice: str = "",
    written_on: date,
    by: User,
    today: date,
) -> Passport:
    """Write the next version of the pupil's passport.

    `based_on` is the version the editor started from (0 for a first passport). Raises
    StaleEdit if a newer one exists, ValidationError for a leaver, a future date or a save
    that changes nothing. Side effects: audit row `passport.saved` naming the changed fields.
    """
    if written_on > today:
        raise ValidationError({"written_on": "The date it was agreed cannot be in the future."})
    # Lock the pupil row so two saves of the same passport queue up rather than both reading the
    # same latest version (PostgreSQL; SQLite serialises writers anyway).
    Pupil.objects.select_for_update().filter(pk=pupil.pk).exists()
    previous = pupil.passports.order_by("-version").first()
    check_unchanged(previous, based_on, what="passport")
    latest = previous.version if previous else 0
    fields = {
        "strengths": strengths,
        "important_to_me": important_to_me,
        "how_to_support": how_to_support,
        "staff_should": staff_should,
        "pupil_voice": pupil_voice,
        "parent_voice": parent_voice,
        "written_on": written_on,
    }
    changed = _changed_fields(previous, fields)
    if previous is not None and not changed:
        raise ValidationError(f"Nothing has changed since version {latest}, so there is nothing to save.")
    passport = Passport(pupil=pupil, version=latest + 1, written_by=by, **fields)
    # The (pupil, version) constraint is left to the database, which reports a race as an error.
    passport.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            passport.save()
    except IntegrityError as exc:  # a concurrent save took this version number first
        newest = pupil.passports.order_by("-version").first()
        raise StaleEdit(newest, token=newest.version, what="passport") from exc
    audit.record("passport.saved", by=by, obj=passport, fields=changed, summary=f"Version {passport.version}")
    return passport
