"""The SENCO's graduated-approach journey: two full assess-plan-do-review cycles in the browser,
with every page checked by axe."""

from datetime import timedelta

import pytest
from django.utils import timezone

from provision.models import PlanStatus, SupportPlan
from pupils.factories import SenStatusChangeFactory
from pupils.models import Pupil

pytestmark = pytest.mark.e2e


def pupil_on_sen_support_without_a_plan():
    """Every pupil on the demo's register has a plan, so the SENCO has just put one more on SEN
    support (from a pupil never on the register)."""
    pupil = (
        Pupil.objects.filter(school__name="Oakfield Primary School", left_on=None, sen_history=None)
        .order_by("pk")
        .first()
    )
    SenStatusChangeFactory(pupil=pupil, effective_from=timezone.localdate())
    return pupil


def review_and_close(page, assert_accessible, ratings: dict[str, str]):
    today = timezone.localdate().isoformat()
    page.get_by_role("link", name="Review the plan").click()
    assert_accessible(page)
    page.get_by_label("Who was invited").fill("Mother, class teacher")
    page.get_by_label("Who came", exact=True).fill("Mother")
    page.get_by_label("Parents or carers at the meeting").select_option("came")
    page.get_by_label("Evidence of progress").fill("Reading probe went from 41 to 52 words a minute.")
    page.get_by_label("Parents' view, in their own words").fill("She reads to her brother at bedtime now.")
    page.get_by_label("Parents' view given on").fill(today)
    page.get_by_label("Pupil's view, in their own words").fill("I like reading club best.")
    page.get_by_label("Pupil's view given on").fill(today)
    page.get_by_label("Next steps").fill("Keep reading club; add comprehension questions.")
    page.get_by_label("Decision").select_option("adapt")
    for label, rating in ratings.items():
        page.get_by_label(label).select_option(rating)
    page.get_by_role("button", name="Save the review").click()
    assert_accessible(page)
    page.get_by_role("button", name="Close the review").click()


def finalise(page, assert_accessible):
    page.get_by_role("button", name="Save the plan").click()
    assert_accessible(page)
    page.get_by_role("link", name="Finalise the plan").click()
    assert_accessible(page)
    page.get_by_role("button", name="Finalise the plan").click()
    page.get_by_role("button", name="Record the date it was shared").click()
    assert_accessible(page)


def test_senco_runs_two_apdr_cycles_for_a_pupil_on_sen_support(
    page, live_server, login, assert_accessible, demo_trust
):
    pupil = pupil_on_sen_support_without_a_plan()
    login(page, "senco")
    page.goto(f"{live_server.url}/provision/pupils/{pupil.pk}/plans/")
    assert_accessible(page)
    page.get_by_role("button", name="Start a plan").click()
    assert_accessible(page)
    page.get_by_label("Assess: what we know").fill("Reading fluency well below peers from the same baseline.")
    page.get_by_label("Plan: strategies and provision that will help").fill(
        "Daily paired reading; pre-teach vocabulary."
    )
    page.get_by_label("Do: who does what").fill(
        "TA runs reading club three times a week; class teacher adapts texts."
    )
    page.locator("#id_outcomes-0-area").select_option("cognition")
    page.locator("#id_outcomes-0-description").fill("Read 60 words a minute aloud from a Year 3 book.")
    page.locator("#id_outcomes-0-success_criteria").fill("Two reading probes in a row at 60 or more.")
    page.locator("#id_outcomes-1-area").select_option("semh")
    page.locator("#id_outcomes-1-description").fill("Settle to work within five minutes after break.")
    # A review date well over a term away is asked about once, with everything typed kept.
    page.get_by_label("Review date").fill((timezone.localdate() + timedelta(days=200)).isoformat())
    page.get_by_role("button", name="Save the plan").click()
    assert_accessible(page)
    page.get_by_label("Yes, review this plan more than a term after it starts").check()
    assert page.get_by_label("Do: who does what").input_value().startswith("TA runs reading club")
    finalise(page, assert_accessible)

    review_and_close(
        page,
        assert_accessible,
        {
            "Outcome 1: Read 60 words a minute aloud from a Year 3 book.": "partly_met",
            "Outcome 2: Settle to work within five minutes after break.": "met",
        },
    )
    # Cycle 2 opens pre-filled: the outcome not met is carried forward, the strategies copied.
    assert_accessible(page)
    assert page.locator("#id_outcomes-0-description").input_value() == (
        "Read 60 words a minute aloud from a Year 3 book."
    )
    assert page.locator("#id_outcomes-1-description").input_value() == ""
    assert page.get_by_label("Plan: strategies and provision that will help").input_value() == (
        "Daily paired reading; pre-teach vocabulary."
    )
    finalise(page, assert_accessible)
    review_and_close(
        page, assert_accessible, {"Outcome 1: Read 60 words a minute aloud from a Year 3 book.": "met"}
    )
    assert_accessible(page)

    cycles = list(SupportPlan.objects.filter(pupil=pupil).order_by("cycle").values_list("cycle", "status"))
    assert cycles == [(1, PlanStatus.REVIEWED), (2, PlanStatus.REVIEWED), (3, PlanStatus.DRAFT)]
    page.goto(f"{live_server.url}/provision/pupils/{pupil.pk}/plans/")
    assert_accessible(page)
    page.get_by_role("link", name="Reviews due").click()
    assert_accessible(page)
