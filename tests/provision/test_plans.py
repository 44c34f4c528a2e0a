"""SEN support plans as APDR cycles: the services' rules."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from provision.factories import SupportPlanFactory
from provision.models import PlanStatus, PlanVersion, SupportPlan
from provision.services.plans import (
    NOT_ON_REGISTER,
    add_review_comment,
    finalise_plan,
    start_plan,
    update_plan,
)
from pupils.factories import PupilFactory, SenStatusChangeFactory
from pupils.models import SenStatus
from senco.concurrency import StaleEdit
from senco.factories import english_school_year
from senco.models import AuditEvent
from senco.services.calendar import save_school_year

TODAY = date(2026, 10, 1)
OUTCOME = {
    "id": None,
    "area": "communication",
    "description": "Ask for help using a help card.",
    "success_criteria": "Uses the card unprompted in 4 of 5 lessons.",
}


def on_sen_support(school):
    pupil = PupilFactory(school=school)
    SenStatusChangeFactory(pupil=pupil, status=SenStatus.SEN_SUPPORT)
    return pupil


def edit(plan, by, **overrides):
    fields = {
        "assessment": "Assessed.",
        "strategies": "Visual prompts.",
        "arrangements": "TA daily.",
        "review_due_on": date(2026, 12, 21),
        "outcomes": [OUTCOME],
    }
    return update_plan(plan=plan, version=plan.version, by=by, **fields | overrides)


def test_starting_a_plan_opens_draft_cycle_one_with_a_termly_review_date(senco):
    pupil = on_sen_support(senco.school)
    plan = start_plan(pupil=pupil, started_on=date(2026, 9, 30), by=senco, today=TODAY)
    assert (plan.cycle, plan.status, plan.review_due_on) == (1, PlanStatus.DRAFT, date(2026, 12, 30))
    assert list(AuditEvent.objects.filter(action="plan.started").values_list("object_id", flat=True)) == [
        str(plan.pk)
    ]


def test_a_pupil_not_on_the_sen_register_cannot_have_a_plan(senco):
    pupil = PupilFactory(school=senco.school)
    SenStatusChangeFactory(pupil=pupil, status=SenStatus.MONITORING)
    with pytest.raises(ValidationError) as exc:
        start_plan(pupil=pupil, started_on=TODAY, by=senco, today=TODAY)
    assert exc.value.messages == [NOT_ON_REGISTER]


def test_a_pupil_with_an_ehc_plan_can_have_a_plan(senco):
    pupil = PupilFactory(school=senco.school)
    SenStatusChangeFactory(pupil=pupil, status=SenStatus.EHC_PLAN)
    assert start_plan(pupil=pupil, started_on=TODAY, by=senco, today=TODAY).cycle == 1


def test_a_second_open_plan_is_refused(senco):
    pupil = on_sen_support(senco.school)
    start_plan(pupil=pupil, started_on=TODAY, by=senco, today=TODAY)
    with pytest.raises(ValidationError):
        start_plan(pupil=pupil, started_on=TODAY, by=senco, today=TODAY)
    assert SupportPlan.objects.filter(pupil=pupil).count() == 1


def test_saving_a_draft_stores_outcomes_and_bumps_the_version(senco):
    plan = start_plan(pupil=on_sen_support(senco.school), started_on=TODAY, by=senco, today=TODAY)
    plan = edit(plan, senco)
    assert plan.version == 2
    assert list(plan.outcomes.values_list("area", "description")) == [
        ("communication", OUTCOME["description"])
    ]


def test_two_editors_of_one_draft_cannot_overwrite_each_other(senco):
    plan = start_plan(pupil=on_sen_support(senco.school), started_on=TODAY, by=senco, today=TODAY)
    first_read = SupportPlan.objects.get(pk=plan.pk)
    second_read = SupportPlan.objects.get(pk=plan.pk)
    edit(first_read, senco, strategies="First editor's strategies.")
    with pytest.raises(StaleEdit):
        edit(second_read, senco, strategies="Second editor's strategies.")
    plan.refresh_from_db()
    assert plan.strategies == "First editor's strategies."


def test_a_plan_without_outcomes_cannot_be_finalised(senco):
    plan = start_plan(pupil=on_sen_support(senco.school), started_on=TODAY, by=senco, today=TODAY)
    with pytest.raises(ValidationError):
        finalise_plan(plan=plan, version=plan.version, by=senco, today=TODAY)


def test_finalising_keeps_version_one_and_amending_keeps_version_two(senco):
    plan = edit(
        start_plan(pupil=on_sen_support(senco.school), started_on=TODAY, by=senco, today=TODAY), senco
    )
    plan = finalise_plan(plan=plan, version=plan.version, by=senco, today=TODAY)
    assert plan.status == PlanStatus.ACTIVE
    edit(plan, senco, strategies="Amended strategies.")
    versions = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
    assert [(v.number, v.reason) for v in versions] == [(1, "Finalised"), (2, "Amended after finalisation")]
    assert versions[0].snapshot["strategies"] == "Visual prompts."
    assert versions[1].snapshot["strategies"] == "Amended strategies."
    assert AuditEvent.objects.filter(action="plan.amended").count() == 1


def test_review_date_must_follow_the_start(senco):
    plan = start_plan(pupil=on_sen_support(senco.school), started_on=TODAY, by=senco, today=TODAY)
    with pytest.raises(ValidationError) as exc:
        edit(plan, senco, review_due_on=TODAY)
    assert exc.value.message_dict == {"review_due_on": ["The review date must be after the plan starts."]}


def test_a_teacher_comment_is_stored_and_audited(teacher, taught_pupil):
    plan = SupportPlanFactory(pupil=taught_pupil)
    comment = add_review_comment(plan=plan, body="Using the help card more.", by=teacher)
    assert list(plan.comments.values_list("body", "author")) == [("Using the help card more.", teacher.pk)]
    assert AuditEvent.objects.get(action="plan.commented").pupil_id == taught_pupil.pk
    assert comment.plan == plan


def test_a_plan_can_start_on_the_day_sen_support_agreed_ahead_begins(senco):
    pupil = PupilFactory(school=senco.school)
    SenStatusChangeFactory(pupil=pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2026, 10, 12))
    with pytest.raises(ValidationError) as refused:
        start_plan(pupil=pupil, started_on=date(2026, 10, 5), by=senco, today=TODAY)
    assert refused.value.messages == [NOT_ON_REGISTER]
    assert start_plan(pupil=pupil, started_on=date(2026, 10, 12), by=senco, today=TODAY).cycle == 1


# A review date more than a term after the start asks for confirmation. With the school's term
# dates for 2026/27 (autumn from Tuesday 1 September, spring from Monday 4 January 2027), a plan
# started on Monday 21 September, 20 days into the autumn term, is reviewed a term later by
# 24 January 2027, 20 days into the spring term: a Sunday, so Friday 22 January.


@pytest.fixture
def calendar(senco):
    save_school_year(school=senco.school, start_year=2026, rows=english_school_year(2026), by=senco)


def started_on_21_september(senco):
    return start_plan(pupil=on_sen_support(senco.school), started_on=date(2026, 9, 21), by=senco, today=TODAY)


def test_a_review_date_a_term_after_the_start_by_the_term_dates_needs_no_confirmation(senco, calendar):
    plan = edit(started_on_21_september(senco), senco, review_due_on=date(2027, 1, 22))
    assert plan.review_due_on == date(2027, 1, 22)


def test_a_review_date_more_than_a_term_after_the_start_asks_for_confirmation(senco, calendar):
    plan = started_on_21_september(senco)
    with pytest.raises(ValidationError) as refused:
        edit(plan, senco, review_due_on=date(2027, 2, 5))
    assert refused.value.message_dict == {
        "review_due_on": [
            "5 February 2027 is more than a term after the plan starts on 21 September 2026: a term "
            "later is 22 January 2027, by the school's term dates. Plans are reviewed termly; tick the "
            "box to keep this date."
        ]
    }
    assert refused.value.error_dict["review_due_on"][0].code == "more_than_a_term"
    plan = edit(plan, senco, review_due_on=date(2027, 2, 5), confirm_review_date=True)
    assert plan.review_due_on == date(2027, 2, 5)


def test_without_term_dates_a_term_is_thirteen_weeks(senco):
    plan = started_on_21_september(senco)
    assert edit(plan, senco, review_due_on=date(2026, 12, 21)).review_due_on == date(2026, 12, 21)
    with pytest.raises(ValidationError) as refused:
        edit(plan, senco, review_due_on=date(2026, 12, 22))
    assert refused.value.message_dict["review_due_on"] == [
        "22 December 2026 is more than a term after the plan starts on 21 September 2026: a term later "
        "is 21 December 2026, counting 13 weeks as the school has no term dates for then. Plans are "
        "reviewed termly; tick the box to keep this date."
    ]


def test_an_unchanged_review_date_is_not_asked_about_again(senco):
    plan = edit(
        started_on_21_september(senco), senco, review_due_on=date(2027, 2, 5), confirm_review_date=True
    )
    plan = edit(plan, senco, review_due_on=date(2027, 2, 5), strategies="Amended.")
    assert plan.strategies == "Amended."
