"""The copy of each pupil's current SEN status on the pupil row never disagrees with the history:
whatever day the copy was taken and whatever day is asked about, `with_sen_status` answers as the
history does (`current_sen_status`), including changes agreed ahead, same-day corrections and
leavers taken off the register."""

import random
from datetime import date, timedelta

from django.utils import timezone

from pupils.factories import PupilFactory
from pupils.models import ON_REGISTER, NeedType, Pupil, SenStatus
from pupils.selectors.records import current_sen_status, with_sen_status
from pupils.services.leavers import take_leaver_off_register
from pupils.services.records import change_sen_status
from pupils.services.register import bring_sen_changes_into_force, sync_current_sen_status
from pupils.tasks import bring_sen_changes_into_force_tonight
from senco.demo.seed import build_demo_trust, default_plans

START = date(2024, 2, 26)  # a leap year's February, so histories cross 29 February 2024


def _answers(pupils, day: date) -> dict[int, tuple]:
    rows = with_sen_status(Pupil.objects.filter(pk__in=[p.pk for p in pupils]), today=day)
    return {
        row.pk: (row.sen_status, row.primary_need_id, row.secondary_need_id, row.status_from) for row in rows
    }


def _history_answer(pupil: Pupil, day: date) -> tuple:
    entry = current_sen_status(pupil, today=day)
    if entry is None:
        return (None, None, None, None)
    return (entry.status, entry.primary_need_id, entry.secondary_need_id, entry.effective_from)


def _random_history(pupil: Pupil, rng: random.Random, senco, needs: list[NeedType]) -> None:
    """Changes recorded on random days, some agreed up to six months ahead, some correcting the
    last entry on its own day, as the SENCO's page records them."""
    recorded_on = START
    last_from = START
    for _ in range(rng.randint(0, 5)):
        recorded_on += timedelta(days=rng.randint(0, 120))
        status = rng.choice(
            [SenStatus.MONITORING, SenStatus.SEN_SUPPORT, SenStatus.EHC_PLAN, SenStatus.NO_SEN]
        )
        ahead = rng.choice([0, 0, 0, rng.randint(1, 150)])
        effective_from = max(last_from, recorded_on + timedelta(days=ahead))
        if rng.random() < 0.2:
            effective_from = last_from  # a correction, dated the day of the entry it replaces
        primary, secondary = rng.sample(needs, 2)
        change_sen_status(
            pupil=pupil,
            status=status,
            effective_from=effective_from,
            reason="Agreed at a review.",
            by=senco,
            today=recorded_on,
            primary_need=primary if status in ON_REGISTER else None,
            secondary_need=secondary if status in ON_REGISTER and rng.random() < 0.5 else None,
            ehc_plan_date=effective_from if status == SenStatus.EHC_PLAN else None,
        )
        last_from = effective_from


def test_the_copy_on_the_pupil_row_answers_as_the_history_on_every_day(db, school, senco):
    rng = random.Random(13)
    needs = list(NeedType.objects.exclude(code="NSA"))
    pupils = [PupilFactory(school=school) for _ in range(12)]
    for pupil in pupils:
        _random_history(pupil, rng, senco, needs)
    days = [START + timedelta(days=n) for n in range(0, 900, 9)] + [date(2024, 2, 29), date(2025, 12, 25)]
    for day in days:
        expected = {pupil.pk: _history_answer(pupil, day) for pupil in pupils}
        assert _answers(pupils, day) == expected, day


def test_a_copy_taken_on_any_day_still_answers_as_the_history(db, school, senco):
    rng = random.Random(2026)
    needs = list(NeedType.objects.exclude(code="NSA"))
    pupils = [PupilFactory(school=school) for _ in range(8)]
    for pupil in pupils:
        _random_history(pupil, rng, senco, needs)
    for taken_on in (START, date(2024, 12, 31), date(2025, 6, 30), date(2027, 3, 1)):
        sync_current_sen_status(pupil_ids=[p.pk for p in pupils], today=taken_on)
        for day in (START, date(2024, 9, 2), date(2025, 3, 31), date(2025, 11, 3), date(2026, 7, 31)):
            assert _answers(pupils, day) == {p.pk: _history_answer(p, day) for p in pupils}, (taken_on, day)


def test_a_change_agreed_ahead_shows_from_its_day_before_and_after_the_nightly_refresh(db, school, senco):
    pupil = PupilFactory(school=school)
    slcn = NeedType.objects.get(code="SLCN")
    change_sen_status(
        pupil=pupil,
        status=SenStatus.SEN_SUPPORT,
        effective_from=date(2026, 9, 1),
        reason="Support starts with the new school year.",
        by=senco,
        today=date(2026, 7, 15),
        primary_need=slcn,
    )
    pupil.refresh_from_db()
    assert (pupil.sen_status_now, pupil.next_sen_change_on) == (None, date(2026, 9, 1))
    assert _answers([pupil], date(2026, 8, 31))[pupil.pk][0] is None
    assert _answers([pupil], date(2026, 9, 1))[pupil.pk][0] == SenStatus.SEN_SUPPORT  # from the history

    assert bring_sen_changes_into_force(today=date(2026, 9, 1)) == 1
    pupil.refresh_from_db()
    assert (pupil.sen_status_now, pupil.primary_need_now, pupil.next_sen_change_on) == (
        SenStatus.SEN_SUPPORT,
        slcn,
        None,
    )
    assert bring_sen_changes_into_force(today=date(2026, 9, 2)) == 0


def test_taking_a_leaver_off_the_register_updates_the_copy(db, school, senco):
    pupil = PupilFactory(school=school, left_on=date(2026, 7, 22))
    change_sen_status(
        pupil=pupil,
        status=SenStatus.MONITORING,
        effective_from=date(2026, 3, 2),
        reason="Watching reading.",
        by=senco,
        today=date(2026, 3, 2),
    )
    take_leaver_off_register(pupil=pupil, by=senco, today=date(2026, 9, 7))
    pupil.refresh_from_db()
    assert (pupil.sen_status_now, pupil.sen_status_since) == (SenStatus.NO_SEN, date(2026, 7, 22))


def test_every_demo_pupils_copy_matches_their_history(db):
    today = date(2026, 11, 24)
    build_demo_trust(seed=2026, today=today, plans=default_plans()[:1])
    pupils = list(Pupil.objects.all())
    stored = {p.pk: (p.sen_status_now, p.primary_need_now_id, p.secondary_need_now_id) for p in pupils}
    assert stored == {p.pk: _history_answer(p, today)[:3] for p in pupils}
    assert any(status == SenStatus.EHC_PLAN for status, _, _ in stored.values())


def test_the_nightly_task_is_scheduled_and_brings_changes_into_force(db, school, senco, settings):
    entry = settings.CELERY_BEAT_SCHEDULE["sen-changes-into-force"]
    assert entry["task"] == bring_sen_changes_into_force_tonight.name
    pupil = PupilFactory(school=school)
    today = timezone.localdate()
    change_sen_status(
        pupil=pupil,
        status=SenStatus.MONITORING,
        effective_from=today,
        reason="Watching reading.",
        by=senco,
        today=today - timedelta(days=3),
    )
    assert bring_sen_changes_into_force_tonight.delay().get() == 1
    pupil.refresh_from_db()
    assert pupil.sen_status_now == SenStatus.MONITORING
