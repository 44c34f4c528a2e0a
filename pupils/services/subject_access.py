"""Writes for subject access requests (UK GDPR Art 15): log one, correct its details, extend
it, withhold records from its export, release it; and the audit rows of reading and downloading
it. Each audits itself as `subject_access.<verb>`, naming the pupil.

A request may be made by or for a pupil who has left: their right of access outlives their time
at the school, so nothing here refuses a leaver. Once released a request is closed: what was
sent is kept (`released_export`) and nothing about it changes.

Edits carry the version the editor read (R9, `senco.concurrency`): a changed version raises
`StaleEdit` and nothing is written.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from pupils.models import Pupil, SubjectAccessRequest, WithheldRecord, WithholdingReason
from pupils.selectors.subject_access import build_export, day, export_records, timing
from senco import audit
from senco.concurrency import check_unchanged, update_if_unchanged
from senco.deadlines import SUBJECT_ACCESS_MAX_EXTENSION_MONTHS
from senco.models import User

# What the request form edits, in the order the form shows them.
DETAIL_FIELDS = (
    "requester_name",
    "requester_relationship",
    "received_on",
    "identity_checked_how",
    "identity_checked_on",
    "information_requested_on",
    "information_received_on",
    "notes",
)
DATED_FIELDS = ("received_on", "identity_checked_on", "information_requested_on", "information_received_on")


def _not_in_the_future(values: dict, names, *, today: date) -> None:
    errors = {
        name: "This date is in the future." for name in names if values.get(name) and values[name] > today
    }
    if errors:
        raise ValidationError(errors)


def _ensure_open(sar: SubjectAccessRequest) -> None:
    if sar.released_on is not None:
        raise ValidationError(f"This request was released on {day(sar.released_on)}: it is closed.")


def _locked(sar: SubjectAccessRequest) -> SubjectAccessRequest:
    """The request's row as it is now, locked until the transaction ends, so that no withholding
    slips in beside a release (PostgreSQL; SQLite serialises writers anyway)."""
    return (
        SubjectAccessRequest.objects.select_for_update(of=("self",))
        .select_related("pupil", "school")
        .get(pk=sar.pk)
    )


@transaction.atomic
def log_subject_access_request(
    *,
    pupil: Pupil,
    requester_name: str,
    requester_relationship: str,
    received_on: date,
    identity_checked_how: str = "",
    identity_checked_on: date | None = None,
    information_requested_on: date | None = None,
    information_received_on: date | None = None,
    notes: str = "",
    by: User,
    today: date,
) -> SubjectAccessRequest:
    """Log a request for everything the school holds about `pupil`, received on `received_on`.

    Raises ValidationError for a date in the future or out of order. Side effects: audit row
    `subject_access.logged`.
    """
    values = {
        "requester_name": requester_name,
        "requester_relationship": requester_relationship,
        "received_on": received_on,
        "identity_checked_how": identity_checked_how,
        "identity_checked_on": identity_checked_on,
        "information_requested_on": information_requested_on,
        "information_received_on": information_received_on,
        "notes": notes,
    }
    _not_in_the_future(values, DATED_FIELDS, today=today)
    sar = SubjectAccessRequest(school=pupil.school, pupil=pupil, logged_by=by, **values)
    sar.full_clean()
    sar.save()
    audit.record(
        "subject_access.logged", by=by, obj=sar, fields=[name for name, value in values.items() if value]
    )
    return sar


@transaction.atomic
def update_subject_access_request(
    *, sar: SubjectAccessRequest, version: int, by: User, today: date, **values
):
    """Correct the request's details, or record that ID or clarification arrived: the fields of
    `DETAIL_FIELDS`, as given. Refused once released.

    Raises StaleEdit if it changed since `version`, ValidationError for a date in the future or
    out of order, or a save that changes nothing. Side effects: audit row
    `subject_access.updated` naming the changed fields.
    """
    # Read afresh: the edit form has already put what was typed on the object it was given.
    sar = _locked(sar)
    check_unchanged(sar, version, what="request")
    _ensure_open(sar)
    _not_in_the_future(values, DATED_FIELDS, today=today)
    changed = [name for name in DETAIL_FIELDS if getattr(sar, name) != values[name]]
    if not changed:
        raise ValidationError("Nothing has changed, so there is nothing to save.")
    for name in DETAIL_FIELDS:
        setattr(sar, name, values[name])
    sar.full_clean()
    update_if_unchanged(sar, version, what="request", **{name: values[name] for name in changed})
    audit.record("subject_access.updated", by=by, obj=sar, fields=changed)
    sar.refresh_from_db()
    return sar


@transaction.atomic
def extend_subject_access_request(
    *, sar: SubjectAccessRequest, version: int, months: int, reason: str, by: User, today: date
) -> SubjectAccessRequest:
    """Extend the time to respond by `months` (1 or 2) because the request is complex or one of
    several (UK GDPR Art 12(3)). The requester must be told within the first month, so the
    extension is refused after the original due date, as it is before the month has started
    (while waiting for ID or clarification) and once released. Recording it again within the
    first month changes it.

    Raises StaleEdit if it changed since `version`. Side effects: audit row
    `subject_access.extended`.
    """
    sar = _locked(sar)
    check_unchanged(sar, version, what="request")
    _ensure_open(sar)
    if not 1 <= months <= SUBJECT_ACCESS_MAX_EXTENSION_MONTHS:
        raise ValidationError({"months": "Extend by one or two months."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the request needs longer: what makes it complex."})
    original_due_on = timing(sar, today=today).original_due_on
    if original_due_on is None:
        raise ValidationError(
            "The month has not started: the request is waiting for ID or clarification. "
            "Record when it arrives first."
        )
    if today > original_due_on:
        raise ValidationError(
            f"An extension must be decided, and the requester told, within the first month: it "
            f"ended on {day(original_due_on)}."
        )
    update_if_unchanged(
        sar, version, what="request", extended_months=months, extension_reason=reason, extended_on=today
    )
    audit.record("subject_access.extended", by=by, obj=sar, fields=["extended_months", "extension_reason"])
    sar.refresh_from_db()
    return sar


def _record_named(sar: SubjectAccessRequest, *, kind: str, record_id: int, by: User, today: date):
    record = export_records(by, pupil=sar.pupil, today=today).get((kind, record_id))
    if record is None:
        raise ValidationError("That record is not part of this pupil's export.")
    return record


@transaction.atomic
def withhold_record(
    *, sar: SubjectAccessRequest, kind: str, record_id: int, reason: str, by: User, today: date
) -> WithheldRecord:
    """Leave one record out of the export, for `reason` (a WithholdingReason). Withholding it
    again changes the reason. The pupil's own record cannot be withheld. Refused once released.

    Side effects: audit row `subject_access.record_withheld` naming the kind of record and its id.
    """
    sar = _locked(sar)
    _ensure_open(sar)
    if reason not in WithholdingReason.values:
        raise ValidationError({"reason": "Choose why the record is withheld."})
    record = _record_named(sar, kind=kind, record_id=record_id, by=by, today=today)
    if not record.withholdable:
        raise ValidationError(
            f"The {record.kind_label.lower()} itself is what was asked for: it cannot be withheld."
        )
    withheld, _ = WithheldRecord.objects.update_or_create(
        request=sar, kind=kind, record_id=record_id, defaults={"reason": reason, "withheld_by": by}
    )
    audit.record(
        "subject_access.record_withheld",
        by=by,
        obj=sar,
        summary=f"{record.kind_label} {record_id}: {WithholdingReason(reason).label}",
    )
    return withheld


@transaction.atomic
def include_record(*, sar: SubjectAccessRequest, kind: str, record_id: int, by: User) -> None:
    """Put a withheld record back into the export. Refused once released.

    Side effects: audit row `subject_access.record_included`.
    """
    sar = _locked(sar)
    _ensure_open(sar)
    deleted, _ = WithheldRecord.objects.filter(request=sar, kind=kind, record_id=record_id).delete()
    if not deleted:
        raise ValidationError("That record is not withheld.")
    audit.record("subject_access.record_included", by=by, obj=sar, summary=f"{kind} {record_id}")


@transaction.atomic
def release_subject_access_request(
    *, sar: SubjectAccessRequest, version: int, released_on: date, released_how: str, by: User, today: date
) -> SubjectAccessRequest:
    """Record that the export was sent to the requester on `released_on`, and keep the export as
    it stands now as what was sent. Refused before the requester's identity has been checked
    and while waiting for ID or clarification.

    Raises StaleEdit if it changed since `version`. Side effects: audit row
    `subject_access.released`.
    """
    sar = _locked(sar)
    check_unchanged(sar, version, what="request")
    _ensure_open(sar)
    if sar.clock_starts_on is None:
        raise ValidationError("The request is waiting for ID or clarification: record when it arrived first.")
    if sar.identity_checked_on is None:
        raise ValidationError(
            "Record how and when the requester's identity was checked before releasing anything."
        )
    if released_on > today:
        raise ValidationError({"released_on": "This date is in the future."})
    if released_on < sar.received_on:
        raise ValidationError(
            {"released_on": f"This cannot be before the request was received ({sar.received_on:%d/%m/%Y})."}
        )
    export = build_export(by, sar=sar, today=today)
    update_if_unchanged(
        sar,
        version,
        what="request",
        released_on=released_on,
        released_how=released_how,
        released_by=by,
        released_export=export,
    )
    audit.record("subject_access.released", by=by, obj=sar, fields=["released_on", "released_how"])
    sar.refresh_from_db()
    return sar
