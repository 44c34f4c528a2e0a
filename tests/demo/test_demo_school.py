"""The demo trust looks like schools in the middle of a year: everyone on the register has a
complete record, interventions have run and been measured, and the SENCO's home has work to do.

The demo pair is built once for this module (about three seconds) and rolled back at the end."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.urls import reverse

from provision.models import PlanStatus, PlanVersion, SupportPlan
from pupils.models import ON_REGISTER, Pupil, SenStatus
from pupils.selectors.records import with_sen_status
from pupils.selectors.register import on_roll
from senco.demo.seed import build_demo_trust, default_plans
from senco.models import School, User
from senco.rules import school_year_bounds
from senco.selectors import school_calendar

DAY = date(2026, 11, 24)  # a Tuesday in the autumn term, after October half-term


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        build_demo_trust(seed=2026, today=DAY, plans=default_plans())
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def _register(school: School, today: date) -> list[Pupil]:
    pupils = with_sen_status(on_roll(Pupil.objects.filter(school=school), today=today))
    return list(pupils.filter(sen_status__in=[SenStatus.MONITORING, *ON_REGISTER]).order_by("pk"))


def _incomplete_records(school: School, today: date) -> list[str]:
    """Each pupil on the register who lacks a carer, a passport or a contact this school year."""
    first_day, _ = school_year_bounds(today)
    missing = []
    for pupil in _register(school, today):
        lacks = [
            what
            for what, present in [
                ("carer", pupil.carers.exists()),
                ("passport", pupil.passports.exists()),
                ("contact", pupil.contact_log.filter(occurred_on__range=(first_day, today)).exists()),
            ]
            if not present
        ]
        if lacks:
            missing.append(f"{pupil.full_name} ({pupil.sen_status}): no {', '.join(lacks)}")
    return missing


def _plans_out_of_place(school: School, today: date) -> list[str]:
    """Each pupil on the register whose plans do not fit their status: on SEN support or with an
    EHC plan, one open plan (a draft or finalised) started by `today` whose review is at most
    three weeks overdue; being monitored, no open plan."""
    wrong = []
    for pupil in _register(school, today):
        open_plans = list(pupil.support_plans.exclude(status=PlanStatus.REVIEWED))
        if pupil.sen_status == SenStatus.MONITORING:
            if open_plans:
                wrong.append(f"{pupil.full_name}: monitored, with an open plan")
        elif len(open_plans) != 1:
            wrong.append(f"{pupil.full_name}: {len(open_plans)} open plans")
        elif not (
            open_plans[0].started_on <= today and open_plans[0].review_due_on >= today - timedelta(weeks=3)
        ):
            plan = open_plans[0]
            wrong.append(f"{pupil.full_name}: plan from {plan.started_on}, review due {plan.review_due_on}")
    return wrong


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Oakfield Primary School", "Riverside Academy"])
def test_every_pupil_on_the_register_has_carers_a_passport_and_a_contact_this_school_year(demo, name):
    assert _incomplete_records(School.objects.get(name=name), DAY) == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Oakfield Primary School", "Riverside Academy"])
def test_every_pupil_on_the_register_has_plans_that_fit_their_status(demo, name):
    assert _plans_out_of_place(School.objects.get(name=name), DAY) == []


@pytest.mark.django_db
def test_plans_have_a_history_of_reviewed_cycles_and_some_pupils_came_off_sen_support(demo):
    primary = School.objects.get(name="Oakfield Primary School")
    reviewed = SupportPlan.objects.filter(school=primary, status=PlanStatus.REVIEWED)
    monitored = [pupil.pk for pupil in _register(primary, DAY) if pupil.sen_status == SenStatus.MONITORING]
    assert reviewed.count() >= 30
    assert reviewed.filter(review__finalised_on__isnull=False).count() == reviewed.count()
    assert reviewed.filter(pupil__in=monitored, review__decision="exit").exists()


@pytest.mark.django_db
def test_every_finalised_plan_keeps_the_version_it_was_finalised_as(demo):
    finalised = SupportPlan.objects.exclude(status=PlanStatus.DRAFT)
    kept = PlanVersion.objects.filter(reason="Finalised").values_list("plan_id", flat=True)
    assert (finalised.count() > 0, finalised.exclude(pk__in=kept).count()) == (True, 0)


@pytest.mark.django_db
def test_a_reviewed_demo_plan_shows_its_versions_and_the_text_kept_at_review(demo, client):
    senco = User.objects.get(username="senco")
    plan = SupportPlan.objects.filter(school=senco.school, status=PlanStatus.REVIEWED).order_by("pk").first()
    client.force_login(senco)
    detail = client.get(plan.get_absolute_url())
    kept = client.get(reverse("provision:plan_version", args=[plan.pk, 3]))
    assert (detail.status_code, kept.status_code) == (200, 200)
    assert "No versions yet" not in detail.content.decode()
    assert [outcome.description in kept.content.decode() for outcome in plan.outcomes.all()] == [True, True]
    assert plan.review.parent_view in kept.content.decode()


@pytest.mark.django_db
def test_each_demo_school_has_term_dates_for_last_this_and_next_school_year(demo):
    years = {
        school.name: sorted(school.academic_years.values_list("start_year", flat=True))
        for school in School.objects.all()
    }
    calendars = [school_calendar(school) for school in School.objects.all()]
    assert years == {"Oakfield Primary School": [2025, 2026, 2027], "Riverside Academy": [2025, 2026, 2027]}
    assert [sorted(calendar.years) for calendar in calendars] == [[2025, 2026, 2027]] * 2
    assert all(len(calendar.closures) == 3 * 5 for calendar in calendars)  # 3 half-terms, 2 INSET rows
