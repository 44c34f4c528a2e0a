"""A transfer pack arriving at the receiving school: received (uploaded, or sent directly by a
school of this installation), then imported whole or declined by the SENCO team. An import is
all or nothing (R8): the pack is checked again in full, and either the pupil and every record
of the pack are written, or nothing is."""

import json
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pupils.models import NeedType, Pupil, SenStatus, SenStatusChange
from pupils.services.leavers import ensure_not_left
from pupils.services.register import sync_current_sen_status
from senco import audit
from senco.models import User
from transitions.models import ArrivalState, CameBy, ImportedRecord, IncomingPack
from transitions.rules import MAX_PACK_BYTES, SECTIONS, read_pack
from transitions.selectors.arrivals import matched_pupil


def _need_codes() -> set[str]:
    return set(NeedType.objects.values_list("code", flat=True))


@transaction.atomic
def receive_uploaded_pack(*, content: bytes, by: User) -> IncomingPack:
    """Hold an uploaded pack for review at the user's school, once it reads as a whole valid
    pack; otherwise raise every problem found and keep nothing.
    Side effects: audit row `transfer_pack.received`."""
    read = read_pack(content, need_codes=_need_codes(), max_bytes=MAX_PACK_BYTES)
    if not read.is_valid:
        raise ValidationError({"file": read.problems})
    data = read.data
    arrival = IncomingPack(
        school=by.school,
        came_by=CameBy.UPLOAD,
        from_school_name=data["from_school"]["name"],
        content=data,
        upn=data["pupil"]["upn"],
        pupil_name=f"{data['pupil']['first_name']} {data['pupil']['last_name']}",
        received_by=by,
    )
    arrival.full_clean()
    arrival.save()
    audit.record("transfer_pack.received", by=by, obj=arrival, summary="uploaded")
    return arrival


def _awaiting(arrival: IncomingPack) -> None:
    if arrival.state != ArrivalState.AWAITING_REVIEW:
        raise ValidationError(f"This pack was {arrival.get_state_display().lower()} already.")


@transaction.atomic
def import_transfer_pack(*, arrival: IncomingPack, admitted_on: date, by: User, today: date) -> Pupil:
    """Write the pack into the receiving school: the pupil matched by UPN, or a new pupil admitted
    on `admitted_on`; their SEN status, if this school has none recorded; and every record of the
    pack, marked as the previous school's. All or nothing: every problem is raised together.
    Side effects: audit row `transfer_pack.imported`."""
    _awaiting(arrival)
    read = read_pack(json.dumps(arrival.content).encode(), need_codes=_need_codes())
    if not read.is_valid:
        raise ValidationError(read.problems)
    data = read.data
    pupil = matched_pupil(arrival)
    matched = pupil is not None
    if matched:
        ensure_not_left(pupil, today, then="Readmit them in the MIS before importing their pack.")
    else:
        facts = data["pupil"]
        pupil = Pupil(
            school=arrival.school,
            upn=facts["upn"],
            first_name=facts["first_name"],
            last_name=facts["last_name"],
            preferred_first_name=facts["preferred_first_name"],
            preferred_last_name=facts["preferred_last_name"],
            date_of_birth=date.fromisoformat(facts["date_of_birth"]),
            gender=facts["gender"],
            year_group=facts["year_group"],
            admitted_on=admitted_on,
            looked_after=facts["looked_after"],
            previously_looked_after=facts["previously_looked_after"],
            eal=facts["eal"],
            young_carer=facts["young_carer"],
        )
        pupil.full_clean()
        pupil.save()
    status = data["sen_status"]
    if status["status"] != SenStatus.NO_SEN and not pupil.sen_history.exists():
        needs = {
            need.code: need
            for need in NeedType.objects.filter(code__in=[status["primary_need"], status["secondary_need"]])
        }
        change = SenStatusChange(
            pupil=pupil,
            status=status["status"],
            primary_need=needs.get(status["primary_need"]),
            secondary_need=needs.get(status["secondary_need"]),
            effective_from=admitted_on if not matched else today,
            reason=f"Brought from {arrival.from_school_name} by their transfer pack.",
            recorded_by=by,
        )
        change.full_clean()
        change.save()
        sync_current_sen_status(pupil_ids=[pupil.pk], today=today)
    records = [
        ImportedRecord(
            pupil=pupil,
            arrival=arrival,
            from_school_name=arrival.from_school_name,
            section=section,
            position=position,
            dated_on=date.fromisoformat(record["dated_on"]) if record["dated_on"] else None,
            title=record["title"],
            fields=record["fields"],
        )
        for section, _ in SECTIONS
        for position, record in enumerate(data["sections"][section])
    ]
    ImportedRecord.objects.bulk_create(records)
    arrival.state = ArrivalState.IMPORTED
    arrival.pupil = pupil
    arrival.matched_existing = matched
    arrival.decided_by = by
    arrival.decided_at = timezone.now()
    arrival.full_clean()
    arrival.save()
    audit.record(
        "transfer_pack.imported",
        by=by,
        obj=arrival,
        pupil=pupil,
        summary=f"{len(records)} records, {'matched by UPN' if matched else 'new pupil'}",
    )
    return pupil


@transaction.atomic
def decline_transfer_pack(*, arrival: IncomingPack, by: User) -> IncomingPack:
    """Decline a pack (sent to the wrong school, or superseded): its content is removed, its row
    says who declined it and when.
    Side effects: audit row `transfer_pack.declined`."""
    _awaiting(arrival)
    arrival.state = ArrivalState.DECLINED
    arrival.content = None
    arrival.decided_by = by
    arrival.decided_at = timezone.now()
    arrival.full_clean()
    arrival.save()
    audit.record("transfer_pack.declined", by=by, obj=arrival)
    return arrival
