"""Making a leaver's transfer pack and logging every time it is sent (domain: send securely and
log). A pack is made for a pupil who is leaving or has left, so these services do not refuse
leavers: they write about the record, never to it."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from pupils.models import Pupil
from senco import audit
from senco.models import School, User
from transitions.models import ArrivalState, CameBy, IncomingPack, PackSending, SendingMethod, TransferPack
from transitions.rules import SCHEMA_VERSION, schema_problems
from transitions.selectors.transfer_packs import pack_content


@transaction.atomic
def make_transfer_pack(*, pupil: Pupil, include_health: bool, by: User, today: date) -> TransferPack:
    """Make the pack of `pupil` as it stands today, health documents only when the SENCO ticked
    them in. The pack is checked against its own schema before it is kept, so a school never
    sends a file the next school cannot read.
    Side effects: audit row `transfer_pack.made`."""
    content = pack_content(by, pupil=pupil, include_health=include_health, today=today)
    problems = schema_problems(content)
    if problems:
        raise ValidationError(f"The pack could not be made: {problems[0]}")
    pack = TransferPack(
        school=pupil.school,
        pupil=pupil,
        schema_version=SCHEMA_VERSION,
        content=content,
        includes_health=include_health,
        made_on=today,
        made_by=by,
    )
    pack.full_clean()
    pack.save()
    audit.record(
        "transfer_pack.made",
        by=by,
        obj=pack,
        pupil=pupil,
        summary="with health documents" if include_health else "without health documents",
    )
    return pack


@transaction.atomic
def record_pack_sent(
    *, pack: TransferPack, sent_to: str, method: str, sent_on: date, by: User
) -> PackSending:
    """Log that `pack` went outside this system: to whom, how and when.
    Side effects: audit row `transfer_pack.sent`."""
    if method == SendingMethod.DIRECT:
        raise ValidationError({"method": "Send to a school using this system with “Send directly”."})
    sending = PackSending(pack=pack, sent_to=sent_to, method=method, sent_on=sent_on, recorded_by=by)
    sending.full_clean()
    sending.save()
    audit.record(
        "transfer_pack.sent", by=by, obj=sending, pupil=pack.pupil, summary=sending.get_method_display()
    )
    return sending


@transaction.atomic
def send_pack_directly(*, pack: TransferPack, to_school: School, by: User, today: date) -> IncomingPack:
    """Send `pack` to another school of this installation, where it waits for their SENCO team's
    review: nothing about the pupil is written there until they import it.
    Side effects: audit rows `transfer_pack.sent` (this school) and `transfer_pack.received`
    (the receiving school)."""
    if to_school.pk == pack.school_id:
        raise ValidationError({"to_school": "A pack goes to another school, not back to this one."})
    sending = PackSending(
        pack=pack,
        sent_to=to_school.name,
        method=SendingMethod.DIRECT,
        sent_on=today,
        to_school=to_school,
        recorded_by=by,
    )
    sending.full_clean()
    sending.save()
    pupil = pack.content["pupil"]
    arrival = IncomingPack(
        school=to_school,
        came_by=CameBy.DIRECT,
        from_school_name=pack.content["from_school"]["name"],
        sending=sending,
        content=pack.content,
        upn=pupil["upn"],
        pupil_name=f"{pupil['first_name']} {pupil['last_name']}",
        state=ArrivalState.AWAITING_REVIEW,
    )
    arrival.full_clean()
    arrival.save()
    audit.record(
        "transfer_pack.sent", by=by, obj=sending, pupil=pack.pupil, summary=f"directly to {to_school.name}"
    )
    audit.record(
        "transfer_pack.received", by=by, obj=arrival, school=to_school, summary=f"from {pack.school.name}"
    )
    return arrival
