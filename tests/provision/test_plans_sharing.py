"""Whether parents have the plan as it now stands: sharing, then amending, a plan."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from provision.factories import SupportPlanFactory
from provision.models import Decision, PlanVersion, Progress, SupportPlan
from provision.selectors.plans import amended_after_sharing, plan_for_page, version_was_shared
from provision.services.plans import close_review, record_plan_shared, save_review
from pupils.factories import SenStatusChangeFactory
from tests.provision.conftest import amend

SHARED_ON = date(2026, 9, 25)
WARNING = "after it was shared with parents on"


def share(plan, by, shared_on=SHARED_ON):
    plan.refresh_from_db()
    return record_plan_shared(
        plan=plan, version=plan.version, shared_on=shared_on, by=by, today=timezone.localdate()
    )


def post_shared_today(client, plan):
    version = SupportPlan.objects.get(pk=plan.pk).version
    data = {"shared_on": timezone.localdate().isoformat(), "version": version}
    return client.post(reverse("provision:plan_shared", args=[plan.pk]), data)


def amendment_after_sharing(plan):
    return amended_after_sharing(SupportPlan.objects.get(pk=plan.pk))


# The selectors ---------------------------------------------------------------------------------


def test_a_plan_never_shared_has_nothing_to_reshare(plan, senco):
    amend(plan, senco)
    assert amendment_after_sharing(plan) is None
    assert version_was_shared(SupportPlan.objects.get(pk=plan.pk), number=1) is False


def test_a_plan_shared_as_it_stands_is_current(plan, senco):
    shared = share(plan, senco)
    assert (shared.shared_version, amendment_after_sharing(plan)) == (1, None)


def test_an_amendment_after_sharing_is_found(plan, senco):
    share(plan, senco)
    amend(plan, senco)
    amendment = amendment_after_sharing(plan)
    assert (amendment.number, amendment.reason) == (2, PlanVersion.AMENDED)


def test_sharing_again_after_the_amendment_makes_the_plan_current(plan, senco):
    share(plan, senco)
    amend(plan, senco)
    shared = share(plan, senco, shared_on=timezone.localdate())
    assert (shared.shared_version, amendment_after_sharing(plan)) == (3, None)


def test_a_plan_shared_before_any_version_was_kept_counts_its_first_amendment(plan, senco):
    # As the demo data is: a sharing date and no versions.
    SupportPlan.objects.filter(pk=plan.pk).update(shared_with_parents_on=SHARED_ON)
    assert amendment_after_sharing(plan) is None
    amend(plan, senco)
    assert amendment_after_sharing(plan).number == 1


def test_closing_the_review_is_not_an_amendment(school, senco):
    plan = SupportPlanFactory(pupil=SenStatusChangeFactory(pupil__school=school).pupil)
    share(plan, senco)
    review = save_review(
        plan=plan,
        version=0,
        fields={
            "held_on": date(2026, 11, 20),
            "evidence": "Probe: 58 wpm.",
            "parent_view": "Reads at home.",
            "parent_view_on": date(2026, 11, 20),
            "pupil_view": "I like reading now.",
            "pupil_view_on": date(2026, 11, 20),
            "next_steps": "Keep going.",
            "parents_at_meeting": "came",
            "decision": Decision.EXIT,
            "exit_status": "monitoring",
            "status_from": date(2026, 11, 20),
            "parents_told_on": date(2026, 11, 20),
        },
        progress={o.pk: (Progress.MET, "") for o in plan.outcomes.all()},
        by=senco,
    )
    close_review(review=review, version=review.version, by=senco, today=date(2026, 11, 30))
    assert amendment_after_sharing(plan) is None


def test_a_reviewed_plan_amended_after_sharing_still_says_so(plan, senco):
    share(plan, senco)
    amend(plan, senco)
    SupportPlan.objects.filter(pk=plan.pk).update(status="reviewed")
    assert amendment_after_sharing(plan).number == 2


def test_which_versions_hold_the_text_parents_were_last_given(plan, senco):
    # The factory keeps no version when it finalises, so version 1 is the first amendment.
    amend(plan, senco, "First")  # version 1
    share(plan, senco, shared_on=timezone.localdate())  # version 2: the text of version 1
    amend(plan, senco, "Second")  # version 3
    plan = SupportPlan.objects.get(pk=plan.pk)
    assert [version_was_shared(plan, number=n) for n in (1, 2, 3)] == [True, True, False]


# The service -----------------------------------------------------------------------------------


def test_sharing_cannot_be_dated_before_the_last_amendment(plan, senco):
    amend(plan, senco)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        share(plan, senco, shared_on=SHARED_ON)
    assert exc.value.message_dict == {
        "shared_on": [
            f"The plan was amended on {today:%d/%m/%Y}: "
            "parents can only have been given this version on that day or later."
        ]
    }
    plan.refresh_from_db()
    assert (plan.shared_with_parents_on, plan.shared_version) == (None, None)


def test_a_shared_version_needs_a_sharing_date(plan):
    with pytest.raises(IntegrityError):
        SupportPlan.objects.filter(pk=plan.pk).update(shared_version=1)


# The pages -------------------------------------------------------------------------------------


def test_the_plan_page_says_when_the_plan_was_amended_after_sharing(client, senco, plan):
    share(plan, senco)
    amend(plan, senco)
    client.force_login(senco)
    response = client.get(reverse("provision:plan_detail", args=[plan.pk]))
    page = response.content.decode()
    today = timezone.localdate()
    assert (
        f"Amended on {today:%-d %b %Y} after it was shared with parents on 25 Sep 2026: "
        "share the current version" in page
    )
    assert 'action="{}"'.format(reverse("provision:plan_shared", args=[plan.pk])) in page


@pytest.mark.parametrize("steps", ["never shared", "shared", "shared, amended, shared again"])
def test_the_plan_page_says_nothing_while_parents_have_the_current_plan(client, senco, plan, steps):
    if steps != "never shared":
        share(plan, senco)
    if steps == "shared, amended, shared again":
        amend(plan, senco)
        share(plan, senco, shared_on=timezone.localdate())
    client.force_login(senco)
    assert WARNING not in client.get(reverse("provision:plan_detail", args=[plan.pk])).content.decode()


def test_a_teacher_reads_the_warning_without_the_form(client, senco, teacher, plan):
    share(plan, senco)
    amend(plan, senco)
    client.force_login(teacher)
    page = client.get(reverse("provision:plan_detail", args=[plan.pk])).content.decode()
    assert (WARNING in page, reverse("provision:plan_shared", args=[plan.pk]) in page) == (True, False)


def test_a_reviewed_plan_amended_after_sharing_offers_no_form(client, senco, plan):
    share(plan, senco)
    amend(plan, senco)
    SupportPlan.objects.filter(pk=plan.pk).update(status="reviewed")
    client.force_login(senco)
    page = client.get(reverse("provision:plan_detail", args=[plan.pk])).content.decode()
    assert "Parents were not given the amended version before the review closed this cycle." in page
    assert reverse("provision:plan_shared", args=[plan.pk]) not in page


def test_a_past_version_says_whether_it_is_the_text_parents_were_given(client, senco, plan):
    amend(plan, senco, "First")
    share(plan, senco, shared_on=timezone.localdate())
    amend(plan, senco, "Second")
    client.force_login(senco)
    pages = [
        client.get(reverse("provision:plan_version", args=[plan.pk, n])).context["version_was_shared"]
        for n in (1, 2, 3)
    ]
    assert pages == [True, True, False]
    page = client.get(reverse("provision:plan_version", args=[plan.pk, 3])).content.decode()
    assert "This is not the plan as parents were last given it" in page
    assert reverse("provision:plan_version", args=[plan.pk, 2]) in page


@pytest.mark.parametrize("persona", ["head", "teacher", "ta"])
def test_only_the_senco_team_records_the_new_sharing(client, request, senco, plan, persona):
    share(plan, senco)
    amend(plan, senco)
    client.force_login(request.getfixturevalue(persona))
    response = post_shared_today(client, plan)
    assert response.status_code == 403
    assert SupportPlan.objects.get(pk=plan.pk).shared_version == 1


def test_the_senco_records_the_new_sharing_from_the_plan_page(client, senco, plan):
    share(plan, senco)
    amend(plan, senco)
    client.force_login(senco)
    response = post_shared_today(client, plan)
    assert response.status_code == 302
    assert amended_after_sharing(plan_for_page(senco, today=date(2026, 12, 1)).get(pk=plan.pk)) is None


def test_the_plan_page_spends_no_query_per_amendment(client, senco, plan):
    share(plan, senco)
    client.force_login(senco)
    url = reverse("provision:plan_detail", args=[plan.pk])
    counts = []
    for strategies in ("One", "Two", "Three"):
        amend(plan, senco, strategies)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        counts.append(len(captured))
    assert counts[1:] == counts[:-1]
