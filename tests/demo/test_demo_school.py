"""The demo trust looks like schools in the middle of a year: everyone on the register has a
complete record, interventions have run and been measured, and the SENCO's home has work to do.
The demo pair (the `demo` fixture) is built once for this module."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from provision.models import DeliveredSession, Placement, PlanStatus, PlanVersion, SupportPlan
from provision.rules.budget import financial_year_of
from provision.selectors.budget import school_costs
from provision.selectors.delivery import below_target_count
from provision.selectors.plans import reviews_due_count
from pupils.models import ON_REGISTER, Pupil, SenStatus
from pupils.selectors.concerns import open_concerns_count
from pupils.selectors.records import with_sen_status
from pupils.selectors.register import on_roll
from pupils.selectors.register_health import register_health_count
from senco.factories import english_school_year
from senco.models import School, SenBudget, User
from senco.rules import school_year_bounds
from senco.selectors import school_calendar
from tests.demo.conftest import DAY


def _register(school: School, today: date) -> list[Pupil]:
    pupils = with_sen_status(on_roll(Pupil.objects.filter(school=school), today=today), today=today)
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
@pytest.mark.parametrize("name", ["Oakfield Primary School", "Riverside Academy"])
def test_pupils_who_finished_an_intervention_have_entry_and_exit_scores(demo, name):
    finished = Placement.objects.filter(group__school__name=name, group__ends_on__lt=DAY)
    unscored = finished.filter(exit_score=None) | finished.filter(entry_score=None)
    interventions = set(finished.values_list("group__intervention__name", flat=True))
    assert (finished.count() >= 15, len(interventions) >= 4, unscored.count()) == (True, True, 0)


@pytest.mark.django_db
def test_sessions_are_logged_only_on_school_days(demo):
    held = list(DeliveredSession.objects.values_list("group__school", "held_on"))
    calendars = {school.pk: school_calendar(school) for school in School.objects.all()}
    october_half_term = next(row for row in english_school_year(2026) if row.name == "October half-term")
    assert len(held) > 100
    assert [day for school, day in held if not calendars[school].is_school_day(day)] == []
    assert [day for _, day in held if october_half_term.starts_on <= day <= october_half_term.ends_on] == []


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


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["senco", "senco2"])
def test_each_demo_sencos_home_has_work_in_every_section(demo, username):
    senco = User.objects.get(username=username)
    work = {
        "reviews due": reviews_due_count(senco, today=DAY),
        "groups below 80%": below_target_count(senco, today=DAY),
        "concerns to triage": open_concerns_count(senco),
        "register health": register_health_count(senco, today=DAY),
    }
    assert {section: count > 0 for section, count in work.items()} == dict.fromkeys(work, True)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["senco", "senco2"])
def test_planned_intervention_spend_is_a_plausible_share_of_the_notional_sen_budget(demo, username):
    """Groups and 1:1s are one part of what the notional SEN budget pays for (in-class support
    and the SENCO's time are most of the rest): from 2% to a fifth of it."""
    senco = User.objects.get(username=username)
    year = financial_year_of(DAY)
    spent = sum((line.amount for line in school_costs(senco, window=year.window).lines), Decimal(0))
    budget = SenBudget.objects.get(school=senco.school, financial_year=year.start_year).notional_sen_budget
    assert Decimal("0.02") < spent / budget < Decimal("0.2")
