"""Writes for subject access requests (UK GDPR Art 15): log one, correct its details, extend
it, withhold records from its export, release it; and the audit rows of reading and downloading
it. Each audits itself as `subject_access.<verb>`, naming the pupil.

A request may be made by or for a pupil who has left: their right of access outlives their time
at the school, so nothing here refuses a leaver. Once released a request is closed: what was
sent is kept (`released_export`) and nothing about it changes.

Edits carry the version the editor read (R9, `senco.concurrency`): a changed version raises
`StaleEdit` and nothing is written.

The export's PDF of a long record takes longer than a page may (docs/decisions/pdfs.md), so it
is prepared in the background: `queue_subject_access_export` queues the Celery task
`pupils.tasks.prepare_subject_access_export` on commit, which calls
`prepare_subject_access_export` to write the PDF and the JSON file to the default storage (under
MEDIA_ROOT, served by no URL) and mark them ready. The request's page follows it
(`pupils.selectors.subject_access.prepared_export`).
"""

import json
import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from pupils.models import (
    EXPORT_STALE_AFTER,
    ExportState,
    Pupil,
    SubjectAccessExport,
    SubjectAccessRequest,
    WithheldRecord,
    WithholdingReason,
)
from pupils.permissions import SUBJECT_ACCESS_HANDLERS, can_handle_subject_access
from pupils.selectors.subject_access import (
    build_export,
    day,
    export_fingerprint,
    export_for_pdf,
    export_of,
    export_records,
    timing,
)
from senco import audit
from senco.concurrency import check_unchanged, update_if_unchanged
from senco.deadlines import SUBJECT_ACCESS_MAX_EXTENSION_MONTHS
from senco.models import User
from senco.pdf import render_pdf

logger = logging.getLogger(__name__)

PDF_TEMPLATE = "pupils/subject_access_pdf.html"
EXPORT_FAILED = (
    "Something went wrong, so the export was not prepared. Prepare it again; if it fails again, "
    "tell your IT support."
)
ASKER_GONE = (
    "{name}, who asked for the export, no longer handles subject access requests at this school, "
    "so it was not prepared. Prepare it again."
)

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
    # The draft's files say "Draft" on every page: the files of what was released replace them.
    _queue_export(sar, by=by)
    return sar


# --- The export prepared in the background -------------------------------------------------


def _queue_export(sar: SubjectAccessRequest, *, by: User) -> SubjectAccessExport:
    """The request's export queued (its row made, or set back to queued) and its task queued on
    commit; one already waiting or being prepared is left as it is. Its earlier files stay until
    the new ones replace them, and are not sent meanwhile (only ready files are)."""
    from pupils.tasks import prepare_subject_access_export as task  # the task module imports this one
    from senco.tasks import enqueue_on_commit

    now = timezone.now()
    export = SubjectAccessExport.objects.select_for_update().filter(request=sar).first()
    if export is not None and export.state_at(now) in (ExportState.QUEUED, ExportState.RUNNING):
        return export
    export = export or SubjectAccessExport(request=sar)
    export.state, export.requested_by, export.message = ExportState.QUEUED, by, ""
    export.queued_at, export.started_at, export.finished_at = now, None, None
    export.full_clean(exclude=["request", "requested_by"])
    export.save()
    enqueue_on_commit(task, export_id=export.pk)
    return export


@transaction.atomic
def queue_subject_access_export(*, sar: SubjectAccessRequest, by: User) -> SubjectAccessExport:
    """Prepare the request's export (the PDF and the JSON file) in the background, as it stands
    when the task runs: before the release, the records less what is withheld; after it, what
    was released. Asking again while it waits or runs changes nothing.

    Side effects: the request's `SubjectAccessExport` queued; audit row
    `subject_access.export_queued`; on commit, the task (`prepare_subject_access_export`).
    """
    sar = _locked(sar)
    export = _queue_export(sar, by=by)
    audit.record("subject_access.export_queued", by=by, obj=sar)
    return export


class _AskerGone(Exception):
    pass


def _handler_for(export: SubjectAccessExport) -> User:
    """Who asked for the export, acting as a handler at the request's school, as the export is
    built for them (R4). Raises _AskerGone if they no longer handle requests there."""
    user, school = export.requested_by, export.request.school
    if school.pk not in user.school_ids:
        raise _AskerGone
    user.current_school = school  # their school now may be another: this export is this one's
    acting = user.acting_as(SUBJECT_ACCESS_HANDLERS)
    if not can_handle_subject_access(acting):
        raise _AskerGone
    return acting


def _file_names(export: SubjectAccessExport) -> list[str]:
    return [name for name in (export.pdf.name, export.json.name) if name]


def _delete_files(storage, names) -> None:
    for name in names:
        storage.delete(name)


def prepare_subject_access_export(*, export_id: int, today: date) -> SubjectAccessExport | None:
    """Write a queued export's PDF and JSON file (as `export_of` gives it on `today`) to the
    default storage and mark it ready, with the fingerprint of what they hold.

    Takes the export only if it is queued, or running with a worker that stopped
    (EXPORT_STALE_AFTER), so running twice does no harm (R12): returns None if it was not taken.
    The new files replace the earlier ones, so a request has one PDF and one JSON file at most.
    Any error marks it failed, with a message to prepare it again, and removes its files.
    Side effects: the files; the export's state; audit row `subject_access.export_prepared`,
    naming the pupil, by whoever asked for it.
    """
    now = timezone.now()
    stopped = Q(state=ExportState.RUNNING, started_at__lt=now - EXPORT_STALE_AFTER)
    taken = SubjectAccessExport.objects.filter(Q(state=ExportState.QUEUED) | stopped, pk=export_id).update(
        state=ExportState.RUNNING, started_at=now, attempts=F("attempts") + 1
    )
    if not taken:
        return None
    export = SubjectAccessExport.objects.select_related(
        "request__pupil", "request__school", "requested_by"
    ).get(pk=export_id)
    sar, storage, earlier, written = export.request, export.pdf.storage, _file_names(export), []
    this_run = SubjectAccessExport.objects.filter(
        pk=export_id, state=ExportState.RUNNING, attempts=export.attempts
    )
    try:
        user = _handler_for(export)
        released = sar.released_on is not None
        data = export_of(user, sar=sar, today=today)
        pdf = render_pdf(PDF_TEMPLATE, {"export": export_for_pdf(data), "released": released})
        text = json.dumps(data, ensure_ascii=False, indent=2).encode()
        stem = f"subject-access-{sar.pk}"
        written = [storage.save(f"subject-access/{stem}.pdf", ContentFile(pdf))]
        written.append(storage.save(f"subject-access/{stem}.json", ContentFile(text)))
        fingerprint = export_fingerprint(data, released=released)
        finished = {"fingerprint": fingerprint, "prepared_on": date.fromisoformat(data["prepared_on"])}
        finished |= {"finished_at": timezone.now(), "pdf": written[0], "json": written[1]}
        with transaction.atomic():
            if not this_run.update(state=ExportState.READY, **finished):
                _delete_files(storage, written)  # another run took it over: its files stand
                return None
            audit.record("subject_access.export_prepared", by=export.requested_by, obj=sar)
        _delete_files(storage, set(earlier) - set(written))
    except Exception as error:
        if isinstance(error, _AskerGone):
            message = ASKER_GONE.format(name=export.requested_by)
        else:
            logger.exception("Subject access export %s failed", export_id)
            message = EXPORT_FAILED
        _delete_files(storage, set(earlier) | set(written))
        failed = {"message": message, "finished_at": timezone.now(), "pdf": "", "json": ""}
        this_run.update(state=ExportState.FAILED, **failed)
    return SubjectAccessExport.objects.get(pk=export_id)


def remove_subject_access_exports(pupil: Pupil) -> dict[str, int]:
    """Delete the pupil's prepared exports, rows now and files once the disposal commits (a
    remover for `pupils.services.retention.approve_disposal`, which cascades would not reach)."""
    exports = SubjectAccessExport.objects.filter(request__pupil=pupil)
    names = [name for export in exports for name in _file_names(export)]
    storage = SubjectAccessExport._meta.get_field("pdf").storage
    transaction.on_commit(lambda: _delete_files(storage, names))
    return exports.delete()[1]
