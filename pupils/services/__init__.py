"""Writes about pupils. Each is one business action in one transaction, and audits itself."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from pupils.models import NeedType, Pupil, SenStatusChange
from pupils.selectors import current_sen_status
from pupils.services.leavers import ensure_not_left
from senco import audit
from senco.models import User

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


def record_pupil_viewed(*, pupil: Pupil, by: User) -> None:
    """Audit that `by` opened this pupil's record: the only write a GET may make."""
    audit.record("pupil.viewed", by=by, obj=pupil)


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
    """Add a dated entry to the pupil's SEN history; it becomes the current status.
    `ehc_plan_date` is the date on the final EHC plan (only an EHC plan status has one).

    The current status is the entry with the latest `effective_from` (then the latest recorded),
    so an entry dated before the current one would be saved yet never take effect: it is refused.
    One dated the same day supersedes the current entry, which is how a correction is recorded.
    Side effects: audit row `pupil.sen_status_changed`, listing the details that differ from the
    current entry.
    """
    ensure_not_left(pupil, today)
    if effective_from > today:
        raise ValidationError({"effective_from": "A status change cannot take effect in the future."})
    # Locked so that two changes saved at once cannot both pass the date check against a stale entry.
    Pupil.objects.select_for_update().filter(pk=pupil.pk).first()
    current = current_sen_status(pupil)
    if current is not None and effective_from < current.effective_from:
        began = current.effective_from
        raise ValidationError(
            {
                "effective_from": f"The current status ({current.get_status_display()}) began on "
                f"{began.day} {began:%B %Y}; a change must take effect on or after that date."
            }
        )
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
    before = current or SenStatusChange()  # a first entry: every detail it records is new
    changed = [
        name for name in ENTRY_FIELDS if change.serializable_value(name) != before.serializable_value(name)
    ]
    audit.record("pupil.sen_status_changed", by=by, obj=change, pupil=pupil, fields=changed)
    return change
