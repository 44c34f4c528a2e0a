"""What provision adds to the pupil page: plan cycles and provision in the chronology, worked out
from the `today` the page is given."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from provision.factories import (
    InterventionFactory,
    PlacementFactory,
    ProvisionGroupFactory,
    SupportPlanFactory,
)
from provision.models import Decision, PlanReview, PlanStatus, SupportPlan
from provision.pupil_page import plans_contribution
from pupils.factories import SenStatusChangeFactory
from pupils.models import SenStatus
from pupils.pupil_page import all_contributions

TODAY = date(2026, 11, 24)


def test_plan_started_finalised_and_reviewed_appear_in_the_chronology(senco, taught_pupil):
    plan = SupportPlanFactory(pupil=taught_pupil, started_on=date(2026, 9, 7), finalised_on=date(2026, 9, 9))
    PlanReview.objects.create(
        plan=plan, held_on=date(2026, 12, 10), decision=Decision.CONTINUE, finalised_on=date(2026, 12, 10)
    )
    events = all_contributions(senco, pupil=taught_pupil, today=TODAY).events
    assert [(e.on, e.title) for e in events if e.kind.startswith("plan")] == [
        (date(2026, 12, 10), "SEN support plan cycle 1 reviewed"),
        (date(2026, 9, 9), "SEN support plan cycle 1 finalised"),
        (date(2026, 9, 7), "SEN support plan cycle 1 started"),
    ]


def test_a_governor_gets_nothing_from_plans(governor, taught_pupil):
    SupportPlanFactory(pupil=taught_pupil)
    contributed = plans_contribution(governor, pupil=taught_pupil, today=TODAY)
    assert (list(contributed.panels), list(contributed.events)) == ([], [])


@pytest.mark.parametrize(
    ("today", "titles"),
    [
        (date(2026, 12, 11), ["Provision started"]),  # the group's last day: still running
        (date(2026, 12, 12), ["Provision ended", "Provision started"]),
    ],
)
def test_provision_ends_once_the_groups_last_day_is_before_the_given_today(
    senco, taught_pupil, today, titles
):
    intervention = InterventionFactory(school=taught_pupil.school)
    PlacementFactory(
        group=ProvisionGroupFactory(intervention=intervention, ends_on=date(2026, 12, 11)), pupil=taught_pupil
    )
    events = all_contributions(senco, pupil=taught_pupil, today=today).events
    assert [event.title for event in events if event.kind == "provision"] == titles


# The next step and how to support: what plans add besides panels --------------------------------


def start_actions(user, pupil, today=TODAY):
    return [action.label for action in plans_contribution(user, pupil=pupil, today=today).actions]


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (SenStatus.SEN_SUPPORT, "Start the SEN support plan"),
        (SenStatus.EHC_PLAN, "Start the support plan (EHC plan)"),
    ],
)
def test_a_pupil_on_the_register_with_no_open_plan_is_offered_the_plan_as_the_main_action(
    senco, taught_pupil, status, label
):
    SenStatusChangeFactory(pupil=taught_pupil, status=status, effective_from=date(2026, 9, 14))
    [action] = plans_contribution(senco, pupil=taught_pupil, today=TODAY).actions
    assert (action.label, action.primary, action.post) == (label, True, {"started_on": "2026-11-24"})
    assert action.url == reverse("provision:plan_start", args=[taught_pupil.pk])


def test_the_start_action_starts_the_plan_and_opens_it_to_be_written(client, senco, taught_pupil):
    SenStatusChangeFactory(pupil=taught_pupil, effective_from=date(2026, 9, 14))
    [action] = plans_contribution(senco, pupil=taught_pupil, today=timezone.localdate()).actions
    client.force_login(senco)
    response = client.post(action.url, action.post)
    plan = SupportPlan.objects.get(pupil=taught_pupil)
    assert (response.status_code, response["Location"], plan.started_on, plan.status) == (
        302,
        reverse("provision:plan_edit", args=[plan.pk]),
        timezone.localdate(),
        PlanStatus.DRAFT,
    )


@pytest.mark.parametrize("plan_status", [PlanStatus.DRAFT, PlanStatus.ACTIVE])
def test_a_pupil_with_an_open_plan_is_not_offered_another(senco, taught_pupil, plan_status):
    SenStatusChangeFactory(pupil=taught_pupil, effective_from=date(2026, 9, 14))
    SupportPlanFactory(pupil=taught_pupil, status=plan_status)
    assert start_actions(senco, taught_pupil) == []


def test_after_a_reviewed_cycle_with_no_next_one_the_plan_is_offered_again(senco, taught_pupil):
    SenStatusChangeFactory(pupil=taught_pupil, effective_from=date(2026, 9, 14))
    plan = SupportPlanFactory(pupil=taught_pupil, status=PlanStatus.REVIEWED)
    PlanReview.objects.create(plan=plan, held_on=date(2026, 11, 20), decision=Decision.EXIT)
    assert start_actions(senco, taught_pupil) == ["Start the SEN support plan"]


@pytest.mark.parametrize("status", [None, SenStatus.MONITORING, SenStatus.NO_SEN])
def test_a_pupil_not_on_the_register_is_offered_no_plan(senco, taught_pupil, status):
    if status:
        SenStatusChangeFactory(pupil=taught_pupil, status=status, effective_from=date(2026, 9, 14))
    assert start_actions(senco, taught_pupil) == []


def test_sen_support_agreed_ahead_is_not_yet_offered_a_plan(senco, taught_pupil):
    SenStatusChangeFactory(pupil=taught_pupil, effective_from=date(2026, 12, 1))
    assert start_actions(senco, taught_pupil) == []


@pytest.mark.parametrize("persona", ["head", "teacher", "ta"])
def test_only_the_senco_team_is_offered_to_start_a_plan(request, taught_pupil, persona):
    SenStatusChangeFactory(pupil=taught_pupil, effective_from=date(2026, 9, 14))
    assert start_actions(request.getfixturevalue(persona), taught_pupil) == []


def test_a_leaver_is_offered_no_plan(senco, taught_pupil):
    SenStatusChangeFactory(pupil=taught_pupil, effective_from=date(2026, 9, 14))
    taught_pupil.left_on = date(2026, 10, 23)
    taught_pupil.save()
    assert start_actions(senco, taught_pupil) == []


def advice_of(user, pupil):
    return list(plans_contribution(user, pupil=pupil, today=TODAY).advice)


def test_the_finalised_plans_strategies_are_advice_on_how_to_support(teacher, taught_pupil):
    plan = SupportPlanFactory(
        pupil=taught_pupil, cycle=1, strategies="Visual timetable.", finalised_on=date(2026, 9, 23)
    )
    [advice] = advice_of(teacher, taught_pupil)
    assert (advice.text, advice.source, advice.url) == (
        "Visual timetable.",
        "From the SEN support plan, cycle 1, finalised 23 September 2026.",
        plan.get_absolute_url(),
    )


def test_a_drafts_strategies_are_not_advice_yet(teacher, taught_pupil):
    SupportPlanFactory(pupil=taught_pupil, status=PlanStatus.DRAFT, finalised_on=None)
    assert advice_of(teacher, taught_pupil) == []


def test_a_plan_with_no_strategies_gives_no_advice(teacher, taught_pupil):
    SupportPlanFactory(pupil=taught_pupil, strategies="  ")
    assert advice_of(teacher, taught_pupil) == []
