"""Reviewing a SEN support plan and opening the next cycle."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from provision.factories import SupportPlanFactory
from provision.models import Decision, PlanReview, PlanStatus, PlanVersion, Progress, SupportPlan
from provision.services.plans import close_review, save_review, start_plan
from pupils.factories import PupilFactory, SenStatusChangeFactory
from pupils.models import SenStatus
from senco.concurrency import StaleEdit
from senco.models import AuditEvent

TODAY = date(2026, 12, 14)
FULL = {
    "held_on": date(2026, 12, 10),
    "evidence": "Reading probe: 48 wpm.",
    "parent_view": "He reads at bedtime now.",
    "parent_view_on": date(2026, 12, 10),
    "pupil_view": "I like the reading club.",
    "pupil_view_on": date(2026, 12, 9),
    "next_steps": "Keep reading club; add comprehension work.",
    "decision": Decision.ADAPT,
}
# The details an exit from SEN support needs: the status it moves to, from when, and when parents
# were told.
EXIT = {
    "decision": Decision.EXIT,
    "exit_status": SenStatus.MONITORING,
    "status_from": date(2026, 12, 10),
    "parents_told_on": date(2026, 12, 10),
}


@pytest.fixture
def plan(school):
    """Cycle 1, started on Monday 21 September 2026, of a pupil on SEN support since 14 September."""
    pupil = PupilFactory(school=school)
    SenStatusChangeFactory(pupil=pupil, status=SenStatus.SEN_SUPPORT)
    return SupportPlanFactory(
        pupil=pupil, outcomes=["Read 60 words a minute.", "Write three sentences independently."]
    )


def rate(plan, *ratings):
    return {o.pk: (r, "note") for o, r in zip(plan.outcomes.all(), ratings, strict=True)}


def test_closing_a_review_opens_the_next_cycle_with_unmet_outcomes_carried_forward(plan, senco):
    review = save_review(
        plan=plan, version=0, fields=FULL, progress=rate(plan, Progress.MET, Progress.PARTLY_MET), by=senco
    )
    next_plan = close_review(review=review, version=review.version, by=senco, today=TODAY)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REVIEWED
    assert (next_plan.cycle, next_plan.status, next_plan.previous_id) == (2, PlanStatus.DRAFT, plan.pk)
    assert list(next_plan.outcomes.values_list("description", flat=True)) == [
        "Write three sentences independently."
    ]
    assert next_plan.strategies == plan.strategies
    assert next_plan.started_on == date(2026, 12, 10)
    assert list(PlanVersion.objects.filter(plan=plan).values_list("reason", flat=True)) == ["Reviewed"]
    assert PlanVersion.objects.get(plan=plan).snapshot["review"]["parent_view"] == "He reads at bedtime now."
    assert AuditEvent.objects.filter(action="plan.reviewed", object_id=str(plan.pk)).count() == 1


def test_exiting_sen_support_opens_no_new_cycle(plan, senco):
    fields = FULL | {"decision": Decision.EXIT}
    review = save_review(
        plan=plan, version=0, fields=fields, progress=rate(plan, Progress.MET, Progress.MET), by=senco
    )
    assert close_review(review=review, version=review.version, by=senco, today=TODAY) is None
    assert SupportPlan.objects.filter(pupil=plan.pupil).count() == 1


def test_a_pupil_taken_off_the_register_gets_no_next_cycle_unless_the_review_exits(plan, senco):
    SenStatusChangeFactory(pupil=plan.pupil, status=SenStatus.NO_SEN, effective_from=date(2026, 12, 1))
    review = save_review(
        plan=plan, version=0, fields=FULL, progress=rate(plan, Progress.MET, Progress.MET), by=senco
    )
    with pytest.raises(ValidationError) as refused:
        close_review(review=review, version=review.version, by=senco, today=TODAY)
    assert "since 1 December 2026" in refused.value.message_dict["decision"][0]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE

    review = save_review(
        plan=plan, version=review.version, fields=FULL | {"decision": Decision.EXIT}, progress={}, by=senco
    )
    assert close_review(review=review, version=review.version, by=senco, today=TODAY) is None


def test_a_review_cannot_close_without_progress_on_every_outcome_and_both_views(plan, senco):
    fields = FULL | {"pupil_view": "", "pupil_view_on": None}
    review = save_review(plan=plan, version=0, fields=fields, progress=rate(plan, Progress.MET, ""), by=senco)
    with pytest.raises(ValidationError) as exc:
        close_review(review=review, version=review.version, by=senco, today=TODAY)
    assert exc.value.messages == [
        "Before closing the review, record progress on every outcome, the pupil's view."
    ]


def test_a_view_needs_its_date(plan, senco):
    with pytest.raises(ValidationError) as exc:
        save_review(plan=plan, version=0, fields=FULL | {"parent_view_on": None}, progress={}, by=senco)
    assert exc.value.message_dict == {"parent_view_on": ["Give the date of the parents' view."]}


def test_two_people_editing_one_draft_review_cannot_overwrite_each_other(plan, senco):
    review = save_review(plan=plan, version=0, fields=FULL, progress={}, by=senco)
    save_review(
        plan=plan, version=review.version, fields=FULL | {"evidence": "First."}, progress={}, by=senco
    )
    with pytest.raises(StaleEdit):
        save_review(
            plan=plan, version=review.version, fields=FULL | {"evidence": "Second."}, progress={}, by=senco
        )
    review.refresh_from_db()
    assert review.evidence == "First."


def test_a_second_person_starting_the_same_review_is_told_it_changed(plan, senco):
    save_review(plan=plan, version=0, fields=FULL, progress={}, by=senco)
    with pytest.raises(StaleEdit):
        save_review(plan=plan, version=0, fields=FULL | {"evidence": "Other."}, progress={}, by=senco)


def test_a_finalised_review_is_never_changed(plan, senco):
    review = save_review(
        plan=plan, version=0, fields=FULL, progress=rate(plan, Progress.MET, Progress.NOT_MET), by=senco
    )
    close_review(review=review, version=review.version, by=senco, today=TODAY)
    with pytest.raises(ValidationError):
        save_review(
            plan=plan, version=review.version + 1, fields=FULL | {"evidence": "Later."}, progress={}, by=senco
        )
    review.refresh_from_db()
    assert review.evidence == FULL["evidence"]


# Dates: a review is not held before its plan starts, and cycles follow one another


def test_a_review_cannot_be_dated_before_its_plan_starts(plan, senco):
    with pytest.raises(ValidationError) as refused:
        save_review(plan=plan, version=0, fields=FULL | {"held_on": date(2026, 9, 18)}, progress={}, by=senco)
    assert refused.value.message_dict == {
        "held_on": ["The plan started on 21 September 2026: the review cannot be dated before that."]
    }
    assert not PlanReview.objects.exists()


def test_the_next_cycle_never_starts_before_the_last_one(plan, senco):
    PlanReview.objects.create(plan=plan, **FULL | {"decision": Decision.EXIT}, finalised_on=TODAY)
    SupportPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.REVIEWED)
    SenStatusChangeFactory(pupil=plan.pupil, status=SenStatus.MONITORING, effective_from=date(2026, 12, 10))
    SenStatusChangeFactory(pupil=plan.pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2026, 12, 11))
    with pytest.raises(ValidationError) as refused:
        start_plan(pupil=plan.pupil, started_on=date(2026, 12, 9), by=senco, today=TODAY)
    assert refused.value.message_dict == {
        "started_on": [
            "Cycle 1 ran until its review on 10 December 2026: start the next cycle on that day or later."
        ]
    }
    assert start_plan(pupil=plan.pupil, started_on=date(2026, 12, 11), by=senco, today=TODAY).cycle == 2


def test_a_cycle_cannot_start_before_the_cycle_it_follows(plan):
    later = SupportPlan(
        school=plan.school,
        pupil=plan.pupil,
        cycle=2,
        previous=plan,
        status=PlanStatus.DRAFT,
        started_on=date(2026, 9, 14),
        review_due_on=date(2026, 12, 14),
    )
    with pytest.raises(ValidationError) as refused:
        later.full_clean()
    assert refused.value.message_dict["started_on"] == [
        "Cycle 1 started on 21 September 2026: this cycle cannot start before it."
    ]
