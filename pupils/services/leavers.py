"""Leavers: a pupil whose leaving date has come has left the school and their record is read-only.

`left_on` is the first day the pupil is no longer on roll, so a pupil leaving today has left.
The record is kept, not deleted: retention runs to date of birth + the school's `sen_retention_years` for a
leaver with an SEN record, + `PUPIL_RECORD_RETENTION_YEARS` for any other (IRMS Information
Management Toolkit for Schools; `pupils.selectors.leavers`), and disposal is a person's decision,
never an automatic one.
"""

from collections.abc import Callable
from datetime import date
from functools import wraps

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from pupils.models import Pupil, SenStatus, SenStatusChange
from pupils.services.register import sync_current_sen_status
from senco import audit
from senco.models import User


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def ensure_not_left(pupil: Pupil, today: date, *, field: str | None = None, then: str = "") -> None:
    """Refuse a change to a leaver's record: the one guard every write to a pupil's record goes
    through, usually by `refuses_leavers`. The error is keyed by `field` if given; `then` says
    what may still be done."""
    if pupil.has_left(today):
        message = f"{pupil.full_name} left on {_long_date(pupil.left_on)}; their record is kept read-only."
        message = f"{message} {then}" if then else message
        raise ValidationError({field: message} if field else message)


def pupil_of(record: models.Model) -> Pupil:
    """The pupil a record is about: the pupil itself, its `pupil`, or its plan's (a review)."""
    if isinstance(record, Pupil):
        return record
    if hasattr(record, "pupil_id"):
        return record.pupil
    return pupil_of(record.plan)


def refuses_leavers(argument: str, *, then: str = "") -> Callable:
    """Make a service that writes to a pupil's record refuse a leaver's, before it does anything.

    `argument` names the service's keyword argument that leads to the pupil (`pupil`, or a
    record about them: a plan, a review, a concern, a carer, a placement, a top-up). The day is
    the service's `today`; a service that takes none is asked about today by the clock, as a
    leaver is a leaver whatever the service. `tests/pupils/test_leavers_read_only.py` requires
    every write service of the apps to carry this or to be named there with its reason.
    """

    def decorator(service: Callable) -> Callable:
        @wraps(service)
        def guarded(**kwargs):
            today = kwargs.get("today") or timezone.localdate()
            ensure_not_left(pupil_of(kwargs[argument]), today, then=then)
            return service(**kwargs)

        guarded.refuses_leavers = argument
        return guarded

    return decorator


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
    sync_current_sen_status(pupil_ids=[pupil.pk], today=today)
    audit.record("pupil.left_register", by=by, obj=change, pupil=pupil, fields=["status"])
    return change
