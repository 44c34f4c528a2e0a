"""Retention and disposal: the school's SEN retention period, legal holds, and disposing of a
leaver's record once its period has ended, which takes two people.

The SENCO team proposes the disposal of a record on the disposal list; the headteacher, someone
other than the proposer, approves it, which removes the pupil's row and everything held about
them in every app, or rejects it. The disposal log keeps what kind of record went, when and on
whose authority, and how many rows of each kind were removed, without anything that identifies
the pupil. Audit rows about the pupil are kept (the trail is append-only): they hold the pupil's
record number and no name, and once the record is gone that number resolves to nobody, as no
database reuses a deleted row's id for a new one (`docs/decisions/leavers-and-retention.md`).

Apps above this one whose records of a pupil a plain cascade cannot remove (a PROTECT inside the
app's own tables) register a remover with `contribute_remover` from their AppConfig.ready().
"""

from collections import Counter
from collections.abc import Callable
from datetime import date

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from pupils.models import DisposalRecord, DisposalStatus, HoldReason, LegalHold, Pupil
from pupils.permissions import can_approve_disposal, can_manage_retention, can_propose_disposal
from pupils.selectors.leavers import leaver_row, retention_years
from pupils.selectors.retention import due_for_disposal, past_retention
from senco import audit
from senco.concurrency import check_unchanged
from senco.models import School, User

RETENTION_FIELDS = ("sen_retention_years",)

# Removes one app's records of a pupil before the pupil's row is deleted, and returns the rows
# it deleted by model label, as `QuerySet.delete()` does.
Remover = Callable[[Pupil], dict[str, int]]
_removers: dict[str, Remover] = {}


def contribute_remover(key: str, remove: Remover) -> None:
    """Run `remove` on every disposal, before the pupil's row goes. Adding a key twice adds it once."""
    _removers.setdefault(key, remove)


@transaction.atomic
def set_sen_retention_years(*, school: School, years: int, version: str, by: User) -> School:
    """Keep the school's SEN records until date of birth + `years` (25 to 100). `version` is
    `version_token(school, fields=RETENTION_FIELDS)` as the editor saw it.

    Raises StaleEdit if someone changed it since. Side effects: audit row
    `school.sen_retention_set`.
    """
    if not can_manage_retention(by):
        raise PermissionDenied
    school = School.objects.select_for_update().get(pk=school.pk)
    check_unchanged(school, version, what="retention period", fields=RETENTION_FIELDS)
    school.sen_retention_years = years
    school.full_clean()
    school.save(update_fields=list(RETENTION_FIELDS))
    audit.record(
        "school.sen_retention_set",
        by=by,
        obj=school,
        school=school,
        fields=list(RETENTION_FIELDS),
        summary=f"SEN records: date of birth + {years} years",
    )
    return school


@transaction.atomic
def place_legal_hold(*, pupil: Pupil, reason: str, detail: str, by: User, today: date) -> LegalHold:
    """Keep a leaver's record off the disposal list until the hold is lifted. A proposal awaiting
    approval is withdrawn: the record may not go while the hold stands.

    Side effects: audit row `legal_hold.placed` (the reason's kind, not its details); for a
    withdrawn proposal, `disposal.withdrawn`.
    """
    if not can_manage_retention(by):
        raise PermissionDenied
    if not pupil.has_left(today):
        raise ValidationError(
            f"{pupil.full_name} is on roll: a legal hold is for a leaver's record, as only those are "
            "ever due for disposal."
        )
    if LegalHold.objects.filter(pupil=pupil, lifted_at__isnull=True).exists():
        raise ValidationError(f"{pupil.full_name}'s record is already on legal hold.")
    hold = LegalHold(pupil=pupil, reason=reason, detail=detail, placed_by=by)
    hold.full_clean()
    hold.save()
    audit.record(
        "legal_hold.placed", by=by, obj=hold, fields=["reason", "detail"], summary=HoldReason(reason).label
    )
    for record in DisposalRecord.objects.select_for_update().filter(
        pupil=pupil, status=DisposalStatus.PROPOSED
    ):
        _decide(record, status=DisposalStatus.WITHDRAWN, by=by)
        audit.record("disposal.withdrawn", by=by, obj=record, pupil=pupil, summary=record.description)
    return hold


@transaction.atomic
def lift_legal_hold(*, hold: LegalHold, by: User) -> LegalHold:
    """End a legal hold. The record returns to the disposal list if its period has ended.

    Side effects: audit row `legal_hold.lifted`.
    """
    if not can_manage_retention(by):
        raise PermissionDenied
    hold = LegalHold.objects.select_for_update(of=("self",)).select_related("pupil").get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise ValidationError("This legal hold has already been lifted.")
    hold.lifted_by, hold.lifted_at = by, timezone.now()
    hold.full_clean()
    hold.save(update_fields=["lifted_by", "lifted_at"])
    audit.record("legal_hold.lifted", by=by, obj=hold, summary=hold.get_reason_display())
    return hold


@transaction.atomic
def propose_disposal(*, pupil: Pupil, by: User, today: date) -> DisposalRecord:
    """Ask the headteacher to approve disposing of a leaver's record on the disposal list: past
    its retention period, with no legal hold and no proposal awaiting approval.

    Side effects: a `DisposalRecord` awaiting approval; audit row `disposal.proposed`.
    """
    if not can_propose_disposal(by):
        raise PermissionDenied
    due = due_for_disposal(by, today=today).filter(pk=pupil.pk).first()
    if due is None:
        raise ValidationError(_why_not_due(pupil))
    row = leaver_row(due, today=today, **retention_years(by.school))
    record = DisposalRecord(
        school=pupil.school,
        pupil=pupil,
        record_kind=row.record_kind,
        born_in=pupil.date_of_birth.year,
        left_in=pupil.left_on.year,
        retention_rule=f"Date of birth + {row.years} years",
        proposed_by=by,
    )
    record.full_clean()
    record.save()
    audit.record("disposal.proposed", by=by, obj=record, pupil=pupil, summary=record.description)
    return record


def _why_not_due(pupil: Pupil) -> str:
    if DisposalRecord.objects.filter(pupil=pupil, status=DisposalStatus.PROPOSED).exists():
        return f"The disposal of {pupil.full_name}'s record is already awaiting the headteacher's approval."
    if LegalHold.objects.filter(pupil=pupil, lifted_at__isnull=True).exists():
        return f"{pupil.full_name}'s record is on legal hold: lift the hold before proposing its disposal."
    return f"{pupil.full_name}'s record is not due for disposal: its retention period has not ended."


@transaction.atomic
def approve_disposal(*, record: DisposalRecord, by: User, today: date) -> DisposalRecord:
    """Approve a proposal as the headteacher, someone other than the proposer, and dispose of the
    record: the pupil's row and everything held about them (SEN history, concerns, carers, the
    contact log, passports, legal holds, and every app's records, such as plans and places in
    groups). Refused if the record has since been put on hold or is no longer past its period.

    Side effects: deletes those rows; the `DisposalRecord` is marked disposed of, with the rows
    removed by kind and no link to the pupil; audit row `disposal.approved`, which keeps the
    pupil's record number as every earlier row about them does.
    """
    if not can_approve_disposal(by):
        raise PermissionDenied
    record = DisposalRecord.objects.select_for_update(of=("self",)).select_related("pupil").get(pk=record.pk)
    if record.status != DisposalStatus.PROPOSED:
        raise ValidationError(
            f"This proposal has already been decided: {record.get_status_display().lower()}."
        )
    if record.proposed_by_id == by.pk:
        raise ValidationError(
            "Disposal takes two people: the headteacher who approves it cannot be the person who proposed it."
        )
    pupil = record.pupil
    if not past_retention(by, today=today).filter(pk=pupil.pk, on_hold=False).exists():
        raise ValidationError(
            f"{pupil.full_name}'s record is on legal hold or no longer past its retention period: reject "
            "the proposal."
        )
    audit.record("disposal.approved", by=by, obj=record, pupil=pupil, summary=record.description)
    removed: Counter[str] = Counter()
    try:
        for remove in _removers.values():
            removed.update(remove(pupil))
        removed.update(pupil.delete()[1])
    except ProtectedError as exc:
        kinds = sorted({_kind_name(type(row)._meta.label) for row in exc.protected_objects})
        raise ValidationError(
            f"Nothing was disposed of: {', '.join(kinds)} of this pupil cannot be removed with the record."
        ) from exc
    record.pupil = None
    _decide(record, status=DisposalStatus.DISPOSED, by=by, removed=removed)
    return record


@transaction.atomic
def reject_disposal(*, record: DisposalRecord, by: User) -> DisposalRecord:
    """Keep the record: the headteacher turns the proposal down. It may be proposed again.

    Side effects: audit row `disposal.rejected`.
    """
    if not can_approve_disposal(by):
        raise PermissionDenied
    record = DisposalRecord.objects.select_for_update(of=("self",)).select_related("pupil").get(pk=record.pk)
    if record.status != DisposalStatus.PROPOSED:
        raise ValidationError(
            f"This proposal has already been decided: {record.get_status_display().lower()}."
        )
    _decide(record, status=DisposalStatus.REJECTED, by=by)
    audit.record("disposal.rejected", by=by, obj=record, pupil=record.pupil, summary=record.description)
    return record


def _decide(record: DisposalRecord, *, status: str, by: User, removed: Counter | None = None) -> None:
    record.status, record.decided_by, record.decided_at = status, by, timezone.now()
    if removed:
        by_kind = Counter()
        for label, rows in removed.items():
            by_kind[_kind_name(label)] += rows
        record.removed = {kind: rows for kind, rows in sorted(by_kind.items()) if rows}
    record.full_clean()
    record.save()


def _kind_name(label: str) -> str:
    """What the disposal log calls the rows of a model: "concerns", "links to teaching groups"."""
    model = apps.get_model(label)
    owner = model._meta.auto_created  # the model of a many-to-many link table
    if owner:
        return f"links to {owner._meta.verbose_name_plural}"
    return str(model._meta.verbose_name_plural)
