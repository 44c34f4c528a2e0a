"""The demo trust's passports, carers and contact log (`senco.demo.seed_summary`)."""

from datetime import date

from pupils.factories import PupilFactory, SenStatusChangeFactory
from pupils.models import Carer, ContactLogEntry, Passport
from senco.demo.seed_summary import seed_summary


def test_the_demo_seed_gives_every_second_primary_pupil_on_sen_support_a_passport_carers_and_contacts(
    school, senco
):
    pupils = PupilFactory.create_batch(4, school=school)
    for pupil in pupils:
        SenStatusChangeFactory(pupil=pupil)
    today = date(2026, 9, 3)
    seed_summary(school=school, senco=senco, today=today)
    with_passports = sorted(Passport.objects.values_list("pupil_id", flat=True))
    assert with_passports == [pupils[0].pk, pupils[2].pk]
    assert sorted(set(Carer.objects.values_list("pupil_id", flat=True))) == with_passports
    dates = list(ContactLogEntry.objects.values_list("occurred_on", flat=True))
    assert (len(dates), min(dates) >= date(2026, 9, 1), max(dates) <= today) == (3, True, True)
    assert Passport.objects.get(pupil=pupils[0]).how_to_support.startswith(
        "Tell me about changes"
    )  # SLCN: communication


def test_the_demo_seed_leaves_secondary_schools_alone(other_school, other_school_senco):
    other_school.phase = "secondary"
    other_school.save()
    SenStatusChangeFactory(pupil=PupilFactory(school=other_school))
    seed_summary(school=other_school, senco=other_school_senco, today=date(2026, 11, 24))
    assert Passport.objects.count() == 0
