"""Transfer packs in the demo trust: an in-year leaver from the secondary whose pack went by
secure e-mail, and a Year 6 pupil on the register (with an EHC plan where the demo has one in
Year 6) whose pack the primary sent directly to the secondary, where it waits for the SENCO's
review. Both are pupils the demo already has (the first in id order that fit), so the trust's
pupils stay as the seed made them; run last."""

from datetime import date, timedelta

from pupils.models import GroupKind, Pupil, SenStatus
from senco.models import Phase, Role, School, User
from transitions.services.transfer_packs import make_transfer_pack, record_pack_sent, send_pack_directly


def _senco(school: School) -> User | None:
    return (
        User.objects.filter(memberships__school=school, memberships__role=Role.SENCO).order_by("pk").first()
    )


def _weekday_before(day: date, days: int) -> date:
    day -= timedelta(days=days)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _first(school: School, **filters) -> Pupil | None:
    return Pupil.objects.filter(school=school, left_on=None, **filters).order_by("pk").first()


def seed_transfer_packs(*, schools: list[School], today: date) -> None:
    primary = next((school for school in schools if school.phase == Phase.PRIMARY), None)
    secondary = next((school for school in schools if school.phase == Phase.SECONDARY), None)
    if secondary is not None and (senco := _senco(secondary)):
        leaver = _first(secondary, year_group=8, sen_status_now=SenStatus.SEN_SUPPORT)
        if leaver is not None:
            # Left nine days ago: the pack went the next school day, well within the 15 school
            # days for the CTF and educational record.
            left_on = _weekday_before(today, 9)
            Pupil.objects.filter(pk=leaver.pk).update(left_on=left_on)
            leaver.left_on = left_on
            # Off roll: out of their registration group and sets, as the next MIS import does.
            leaver.teaching_groups.remove(*leaver.teaching_groups.exclude(kind=GroupKind.INTERVENTION))
            pack = make_transfer_pack(pupil=leaver, include_health=False, by=senco, today=left_on)
            record_pack_sent(
                pack=pack,
                sent_to="Hillside School, the SENCO",
                method="secure_email",
                sent_on=left_on + timedelta(days=1 if left_on.weekday() < 4 else 3),
                by=senco,
            )
    if primary is not None and secondary is not None and (senco := _senco(primary)):
        mover = _first(primary, year_group=6, sen_status_now=SenStatus.EHC_PLAN) or _first(
            primary, year_group=6, sen_status_now=SenStatus.SEN_SUPPORT
        )
        if mover is not None:
            pack = make_transfer_pack(pupil=mover, include_health=False, by=senco, today=today)
            send_pack_directly(pack=pack, to_school=secondary, by=senco, today=today)
