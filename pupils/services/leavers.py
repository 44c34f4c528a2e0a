"""Leavers: a pupil whose leaving date has come has left the school and their record is read-only.

`left_on` is the first day the pupil is no longer on roll, so a pupil leaving today has left.
The record is kept, not deleted: retention runs to date of birth + the school's `sen_retention_years` for a
leaver with an SEN record, + `PUPIL_RECORD_RETENTION_YEARS` for any other (IRMS Information
Management Toolkit for Schools; `pupils.selectors.leavers`), and disposal is a person's decision,
never an automatic one.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from pupils.models import Pupil, SenStatus, SenStatusChange
from senco import audit
from senco.models import User


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def ensure_not_left(pupil: Pupil, today: date) -> None:
    """Refuse a change to a leaver's record. Every write to a pupil's record calls this first."""
    if pupil.has_left(today):
        raise ValidationError(
            f"{pupil.full_name} left on {_long_date(pupil.left_on)}; their record is kept read-only."
        )


@transaction.atomic
def take_leaver_off_register(*, pupil: Pupil, by: User, today: date) -> SenStatusChange:
    """Close the SEN status of a pupil who has left, as at their leaving date.

    The one write a leaver's record accepts: it is what the register-health page asks for when a
    leaver is still recorded as monitored, on SEN support or with an EHC plan. The earlier
    history is untouched, so the status they left with stays on record for the transfer file.
    Side effects: audit row `pupil.left_register`.
    """
    if not pupil.has_left(today):
        raise ValidationError("Only a pupil who has left can be taken off the register this way.")
    latest = pupil.sen_history.first()
    if latest is None or latest.status == SenStatus.NO_SEN:
        raise ValidationError(f"{pupil.full_name} is not on the SEN register.")
    change = SenStatusChange(
        pupil=pupil,
        status=SenStatus.NO_SEN,
        effective_from=max(pupil.left_on, latest.effective_from),
        reason=f"Left the school on {_long_date(pupil.left_on)}: taken off the SEN register.",
        recorded_by=by,
    )
    change.full_clean()
    change.save()
    audit.record("pupil.left_register", by=by, obj=change, pupil=pupil, fields=["status"])
    return change
