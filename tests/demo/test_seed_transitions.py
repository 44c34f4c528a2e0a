"""The demo schools' transitions: Year 6 pupils at the primary and Year 11 pupils at the
secondary mid-transfer, by the demo SENCO logins, with the EHC plan's reg 18 step; and at the
secondary preparing-for-adulthood outcomes, with some pupils still for the register's filter."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from senco.models import School, User
from tests.demo.conftest import DAY
from transitions.models import PfaOutcome, PfaReview, TransitionPlan
from transitions.rules import EHC_STEP

PRIMARY, SECONDARY = "Oakfield Primary School", "Riverside Academy"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "login", "year", "kind", "final_by"),
    [
        (PRIMARY, "senco", 6, "primary_to_secondary", date(2027, 2, 15)),
        (SECONDARY, "senco2", 11, "secondary_to_post16", date(2027, 3, 31)),
    ],
)
def test_each_school_has_pupils_mid_transfer_in_different_states(demo, name, login, year, kind, final_by):
    plans = list(TransitionPlan.objects.filter(pupil__school__name=name).order_by("pk"))
    assert {(plan.kind, plan.pupil.year_group, plan.recorded_by.username) for plan in plans} == {
        (kind, year, login)
    }
    assert [sum(1 for step in plan.checklist.all() if step.done_on) for plan in plans] == [4, 2, 0][
        : len(plans)
    ]
    # The reg 18 step exactly for those with an EHC plan in force, due by the date of their move.
    ehc_steps = {
        (plan.pupil.ehc_plans.filter(ceased_on=None).exists(), step.due_on)
        for plan in plans
        for step in plan.checklist.all()
        if step.label == EHC_STEP
    }
    with_plans = {plan.pupil_id for plan in plans if plan.pupil.ehc_plans.filter(ceased_on=None).exists()}
    assert ehc_steps == ({(True, final_by)} if with_plans else set())


@pytest.mark.django_db
def test_a_year_11_pupil_with_an_ehc_plan_is_mid_transfer_with_the_31_march_step(demo):
    steps = TransitionPlan.objects.filter(pupil__school__name=SECONDARY, checklist__label=EHC_STEP)
    assert steps.exists()


@pytest.mark.django_db
def test_the_senco_sees_the_years_moves_and_the_register_finds_pupils_without_outcomes(demo):
    client = Client()
    senco = User.objects.get(username="senco2")
    client.force_login(senco)
    year = client.get(reverse("transitions:transition_year"), {"year": 2026})
    register = client.get(reverse("pupils:register"), {"without_pfa": "on"})
    assert [group.kind for group in year.context["groups"]] == ["secondary_to_post16"]
    assert register.context["counts"]["total"] > 0
    school = School.objects.get(name=SECONDARY)
    assert PfaOutcome.objects.filter(pupil__school=school).exists()
    assert PfaReview.objects.filter(outcome__pupil__school=school, reviewed_on__lt=DAY).exists()
