"""What provision adds to the pupil page: plan cycles and provision in the chronology, worked out
from the `today` the page is given."""

from datetime import date

import pytest

from provision.factories import (
    InterventionFactory,
    PlacementFactory,
    ProvisionGroupFactory,
    SupportPlanFactory,
)
from provision.models import Decision, PlanReview
from provision.pupil_page import plans_contribution
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
