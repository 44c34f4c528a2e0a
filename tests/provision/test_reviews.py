"""Reviewing a SEN support plan and opening the next cycle."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from provision.factories import SupportPlanFactory
from provision.models import (
    Decision,
    ParentsAtReview,
    PlanReview,
    PlanStatus,
    PlanVersion,
    Progress,
    SupportPlan,
)
from provision.services.plans import close_review, save_review, start_plan
from pupils.factories import PupilFactory, SenStatusChangeFactory
from pupils.models import ContactKind, ContactLogEntry, SenStatus
from pupils.selectors.contacts import parent_meetings_this_year
from pupils.selectors.records import current_sen_status, upcoming_sen_statuses
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
    "parents_at_meeting": ParentsAtReview.CAME,
    "invited": "Mrs Khan (mother), class teacher, SENCO",
    "attended": "Mrs Khan (mother), SENCO",
    "declined": "Class teacher (on a course)",
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
    fields = FULL | EXIT
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


def test_the_next_cycle_is_reviewed_on_the_last_school_day_before_the_easter_holiday(
    plan, senco, term_dates_2026
):
    # Three months after Tuesday 5 January 2027 is Monday 5 April, in the Easter holiday; the
    # spring term's last day, Friday 26 March, is Good Friday.
    fields = FULL | {"held_on": date(2027, 1, 5), "parent_view_on": date(2027, 1, 5)}
    review = save_review(
        plan=plan, version=0, fields=fields, progress=rate(plan, Progress.MET, Progress.PARTLY_MET), by=senco
    )
    next_plan = close_review(review=review, version=review.version, by=senco, today=date(2027, 1, 6))
    assert (next_plan.started_on, next_plan.review_due_on) == (date(2027, 1, 5), date(2027, 3, 25))


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


# Exiting SEN support at a review changes the pupil's SEN status in the same action


def _close(plan, senco, **fields):
    review = save_review(
        plan=plan, version=0, fields=FULL | fields, progress=rate(plan, Progress.MET, Progress.MET), by=senco
    )
    return close_review(review=review, version=review.version, by=senco, today=TODAY)


def test_closing_a_review_that_exits_sen_support_changes_the_pupils_status_in_the_same_action(plan, senco):
    assert _close(plan, senco, **EXIT) is None
    status = current_sen_status(plan.pupil, today=TODAY)
    assert (
        status.status,
        status.effective_from,
        status.parents_informed_on,
        status.primary_need,
        status.recorded_by,
        status.reason,
    ) == (
        SenStatus.MONITORING,
        date(2026, 12, 10),
        date(2026, 12, 10),
        None,
        senco,
        "Review of the SEN support plan, cycle 1, on 10 December 2026: exit SEN support.",
    )
    assert AuditEvent.objects.filter(action="pupil.sen_status_changed", pupil_id=plan.pupil_id).count() == 1
    assert SupportPlan.objects.filter(pupil=plan.pupil).count() == 1


def test_the_exit_may_take_effect_after_the_review(plan, senco):
    # Support runs to the end of the autumn term; parents were told at the review.
    _close(plan, senco, **EXIT | {"exit_status": SenStatus.NO_SEN, "status_from": date(2027, 1, 4)})
    assert current_sen_status(plan.pupil, today=TODAY).status == SenStatus.SEN_SUPPORT
    assert [(c.status, c.effective_from) for c in upcoming_sen_statuses(plan.pupil, today=TODAY)] == [
        (SenStatus.NO_SEN, date(2027, 1, 4))
    ]


def test_an_exit_needs_the_new_status_the_date_it_starts_and_when_parents_were_told(plan, senco):
    with pytest.raises(ValidationError) as refused:
        _close(plan, senco, decision=Decision.EXIT)
    assert refused.value.messages == [
        "Before closing the review, record the SEN status the pupil moves to, the date it takes effect, "
        "the date parents were told."
    ]
    assert (plan.pupil.sen_history.count(), PlanReview.objects.get().finalised_on) == (1, None)


def test_the_new_status_cannot_start_before_the_review(plan, senco):
    with pytest.raises(ValidationError) as refused:
        save_review(
            plan=plan,
            version=0,
            fields=FULL | EXIT | {"status_from": date(2026, 12, 9)},
            progress={},
            by=senco,
        )
    assert refused.value.message_dict == {
        "status_from": [
            "The review was held on 10 December 2026: the new status starts on that day or later."
        ]
    }


def test_parents_cannot_have_been_told_on_a_day_still_to_come(plan, senco):
    with pytest.raises(ValidationError) as refused:
        _close(plan, senco, **EXIT | {"parents_told_on": date(2026, 12, 15)})
    assert refused.value.message_dict == {
        "parents_told_on": [
            "Parents cannot have been told on a date still to come: record the date once they know."
        ]
    }
    assert plan.pupil.sen_history.count() == 1


def test_details_of_an_exit_are_dropped_when_the_decision_is_not_to_exit(plan, senco):
    review = save_review(
        plan=plan, version=0, fields=FULL | EXIT | {"decision": Decision.ADAPT}, progress={}, by=senco
    )
    assert (review.exit_status, review.status_from, review.parents_told_on) == ("", None, None)


def test_a_pupil_with_an_ehc_plan_is_never_exited_from_sen_support(plan, senco):
    SenStatusChangeFactory(pupil=plan.pupil, status=SenStatus.EHC_PLAN, effective_from=date(2026, 11, 2))
    with pytest.raises(ValidationError) as refused:
        save_review(plan=plan, version=0, fields=FULL | EXIT, progress={}, by=senco)
    assert refused.value.message_dict["decision"] == [
        f"{plan.pupil.full_name} has an EHC plan, which only the local authority can cease: "
        "choose another decision."
    ]


def test_a_review_saved_before_the_ehc_plan_was_issued_cannot_close_with_an_exit(plan, senco):
    review = save_review(
        plan=plan, version=0, fields=FULL | EXIT, progress=rate(plan, Progress.MET, Progress.MET), by=senco
    )
    SenStatusChangeFactory(pupil=plan.pupil, status=SenStatus.EHC_PLAN, effective_from=date(2026, 12, 1))
    with pytest.raises(ValidationError) as refused:
        close_review(review=review, version=review.version, by=senco, today=TODAY)
    assert "only the local authority can cease" in refused.value.message_dict["decision"][0]
    assert current_sen_status(plan.pupil, today=TODAY).status == SenStatus.EHC_PLAN


# Who was invited, who came, and the meetings with parents that count towards three a year


def test_a_review_closes_without_the_parents_view_when_they_did_not_come(plan, senco):
    next_plan = _close(
        plan,
        senco,
        parents_at_meeting=ParentsAtReview.DID_NOT_COME,
        parent_view="",
        parent_view_on=None,
        attended="SENCO, class teacher",
    )
    assert next_plan.cycle == 2
    assert ContactLogEntry.objects.count() == 0


def test_a_review_must_say_whether_parents_came(plan, senco):
    with pytest.raises(ValidationError) as refused:
        _close(plan, senco, parents_at_meeting="")
    assert refused.value.messages == [
        "Before closing the review, record whether parents came to the meeting."
    ]


def test_a_review_meeting_with_parents_counts_towards_the_three_meetings_a_year(plan, senco):
    _close(plan, senco)
    entry = ContactLogEntry.objects.get()
    assert (entry.pupil, entry.kind, entry.occurred_on, entry.participants, entry.agreed_actions) == (
        plan.pupil,
        ContactKind.MEETING,
        date(2026, 12, 10),
        "Mrs Khan (mother), SENCO",
        "Keep reading club; add comprehension work.",
    )
    assert entry.summary == "Review of the SEN support plan, cycle 1: adapt the plan."
    assert parent_meetings_this_year(senco, pupil=plan.pupil, today=TODAY) == 1


def test_a_review_meeting_already_logged_by_hand_is_counted_once(plan, senco):
    ContactLogEntry.objects.create(
        pupil=plan.pupil,
        kind=ContactKind.MEETING,
        occurred_on=date(2026, 12, 10),
        participants="Mother, SENCO",
        summary="Plan review.",
        recorded_by=senco,
    )
    _close(plan, senco)
    assert parent_meetings_this_year(senco, pupil=plan.pupil, today=TODAY) == 1
