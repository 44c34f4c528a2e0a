import re
from collections import Counter
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from provision.models import DeliveredSession, Placement, PlanReview, PlanVersion, SupportPlan
from pupils.models import (
    Carer,
    Concern,
    ContactLogEntry,
    Passport,
    Pupil,
    SenStatus,
    SenStatusChange,
    TeachingGroup,
)
from pupils.selectors.records import with_sen_status
from senco.demo.seed import build_demo_trust, default_plans, scaled_plans
from senco.models import Membership, Role, School, SenSpend, Term, User

DAY = date(2026, 11, 24)


def _rows(queryset, *fields: str) -> list[tuple]:
    return list(queryset.order_by(*fields).values_list(*fields))


def _fingerprint() -> dict[str, list]:
    """Everything the seed decides, by natural keys: primary keys differ from run to run."""
    group = ("teachinggroup__school__urn", "teachinggroup__name")
    return {
        "schools": _rows(School.objects, "urn", "name", "phase", "la_code"),
        "pupils": _rows(
            Pupil.objects,
            *("school__urn", "upn", "first_name", "last_name", "gender", "date_of_birth"),
            *("year_group", "admitted_on"),
        ),
        "statuses": _rows(
            SenStatusChange.objects,
            *("pupil__school__urn", "pupil__upn", "effective_from", "status", "primary_need__code"),
            *("secondary_need__code", "parents_informed_on", "recorded_by__username"),
        ),
        "plans": _rows(
            SupportPlan.objects, "school__urn", "pupil__upn", "cycle", "status", "started_on", "review_due_on"
        ),
        "reviews": _rows(PlanReview.objects, "plan__pupil__upn", "plan__cycle", "held_on", "decision"),
        "versions": _rows(PlanVersion.objects, "plan__pupil__upn", "plan__cycle", "number", "made_at"),
        "carers": _rows(Carer.objects, "pupil__upn", "name", "relationship", "phone"),
        "passports": _rows(Passport.objects, "pupil__upn", "version", "written_on", "pupil_voice"),
        "contacts": _rows(ContactLogEntry.objects, "pupil__upn", "occurred_on", "kind", "summary"),
        "concerns": _rows(Concern.objects, "pupil__upn", "raised_on", "stage", "raised_by__username"),
        "terms": _rows(Term.objects, "academic_year__school__urn", "starts_on", "ends_on"),
        "placements": _rows(
            Placement.objects, "group__school__urn", "group__name", "pupil__upn", "entry_score", "exit_score"
        ),
        "sessions": _rows(DeliveredSession.objects, "group__school__urn", "group__name", "held_on", "status"),
        "groups": _rows(TeachingGroup.objects, "school__urn", "name", "kind"),
        "group_pupils": _rows(TeachingGroup.pupils.through.objects, *group, "pupil__upn"),
        "group_teachers": _rows(TeachingGroup.teachers.through.objects, *group, "user__username"),
        "group_assistants": _rows(TeachingGroup.assistants.through.objects, *group, "user__username"),
        "staff": _rows(Membership.objects, "school__urn", "role", "user__username"),
    }


def test_the_demo_trust_comes_out_the_same_from_the_same_seed(db):
    with transaction.atomic():
        build_demo_trust(seed=7, today=DAY, plans=default_plans())
        first = _fingerprint()
        transaction.set_rollback(True)  # back to an empty database for the second build
    assert School.objects.count() == 0
    build_demo_trust(seed=7, today=DAY, plans=default_plans())
    assert _fingerprint() == first


def test_a_different_seed_gives_different_pupils(db):
    with transaction.atomic():
        build_demo_trust(seed=7, today=DAY, plans=scaled_plans(1, 70))
        first = _fingerprint()["pupils"]
        transaction.set_rollback(True)
    build_demo_trust(seed=8, today=DAY, plans=scaled_plans(1, 70))
    assert _fingerprint()["pupils"] != first


def test_demo_sen_prevalence_is_plausible(db):
    build_demo_trust(seed=7, today=DAY, plans=default_plans())
    statuses = Counter(with_sen_status(Pupil.objects.all(), today=DAY).values_list("sen_status", flat=True))
    assert (School.objects.count(), Pupil.objects.count()) == (2, 1420)
    assert 0.11 < statuses[SenStatus.SEN_SUPPORT] / 1420 < 0.18
    assert 0.01 < statuses[SenStatus.EHC_PLAN] / 1420 < 0.053


def test_demo_logins_hold_their_roles(db):
    build_demo_trust(seed=1, today=DAY, plans=default_plans())
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


@pytest.mark.parametrize("plans", [default_plans(), scaled_plans(3, 70)], ids=["demo", "scaled"])
def test_every_demo_school_has_staff_in_every_role(db, plans):
    build_demo_trust(seed=1, today=DAY, plans=plans)
    roles = {
        school.name: sorted(set(Membership.objects.filter(school=school).values_list("role", flat=True)))
        for school in School.objects.all()
    }
    assert roles == {plan.name: sorted(Role.values) for plan in plans}


def test_seed_demo_refuses_pupils_per_school_without_schools(db):
    with pytest.raises(CommandError, match="--pupils-per-school needs --schools"):
        call_command("seed_demo", "--pupils-per-school", "70")


def test_seed_demo_with_one_school_says_that_senco2_is_not_created(db, capsys):
    call_command("seed_demo", "--schools", "1", "--pupils-per-school", "70")
    out = capsys.readouterr().out
    assert (
        User.objects.filter(username="senco2").exists(),
        "senco2    not created: it needs a secondary school (--schools 2 or more)" in out,
        "senco     SENCO, primary school" in out,
    ) == (False, True, True)


def test_a_small_schools_other_spend_says_one_day_a_week_not_one_days(db):
    build_demo_trust(seed=5, today=DAY, plans=scaled_plans(1, 200))
    descriptions = list(SenSpend.objects.values_list("description", flat=True))
    one_and_a_plural = [text for text in descriptions if re.search(r"(?<![\d.])\b1 (days|hours)\b", text)]
    assert ("SENCO release time: 1 day a week for 39 weeks" in descriptions, one_and_a_plural) == (True, [])
