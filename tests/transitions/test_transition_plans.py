"""Transition plans: starting one with the usual checklist (and for a pupil with an EHC plan
moving phase, the reg 18 date from the deadline engine), changing it, ticking steps, visits and
who was told; the year's moves by kind with what is overdue; who may see and change them; the
audit trail; leavers refused; the pupil page."""

from datetime import date

import pytest
from django.urls import reverse

from agencies.factories import EhcPlanFactory
from pupils.factories import PupilFactory, SenStatusChangeFactory
from pupils.models import SenStatus
from senco.factories import staff_member
from senco.models import AuditEvent, Role
from transitions.factories import ChecklistItemFactory, TransitionPlanFactory
from transitions.models import ChecklistItem, TransitionContact, TransitionPlan, TransitionVisit
from transitions.rules import EHC_STEP, school_year_of_move

TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _today(today_is):
    today_is(TODAY)


@pytest.fixture
def year_6(school, class_3a):
    """A Year 6 pupil with an EHC plan, taught by the teacher and TA of 3A."""
    pupil = PupilFactory(school=school, first_name="Leo", last_name="Moving", year_group=6)
    class_3a.pupils.add(pupil)
    SenStatusChangeFactory(pupil=pupil, status=SenStatus.EHC_PLAN)
    EhcPlanFactory(pupil=pupil)
    return pupil


def _plan_data(**changes) -> dict:
    data = {
        "kind": "primary_to_secondary",
        "destination": "Riverside Academy",
        "moves_on": "2027-09-02",
        "key_adult": "Mrs Khan",
        "pupil_views": "Worried about getting lost.",
        "parent_views": "Want a quiet place at lunch.",
        "notes": "",
    }
    return data | changes


def test_a_year_6_pupil_with_an_ehc_plan_gets_the_usual_checklist_and_the_15_february_step(
    client, senco, year_6
):
    client.force_login(senco)
    response = client.post(reverse("transitions:transition_add", args=[year_6.pk]), _plan_data())
    plan = TransitionPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url()
    steps = list(plan.checklist.values_list("label", "due_on"))
    assert (EHC_STEP, date(2027, 2, 15)) in steps
    assert ("Transfer pack sent to the next setting", None) in steps
    assert len(steps) == 7
    assert AuditEvent.objects.filter(action="transition_plan.started", pupil_id=year_6.pk).count() == 1


def test_a_move_to_post_16_is_due_by_31_march(client, senco, school):
    pupil = PupilFactory(school=school, year_group=11)
    SenStatusChangeFactory(pupil=pupil, status=SenStatus.EHC_PLAN)
    EhcPlanFactory(pupil=pupil)
    client.force_login(senco)
    data = _plan_data(kind="secondary_to_post16", destination="Oakshire College")
    client.post(reverse("transitions:transition_add", args=[pupil.pk]), data)
    assert ChecklistItem.objects.get(label=EHC_STEP).due_on == date(2027, 3, 31)


def test_a_pupil_on_sen_support_has_no_ehc_step(client, senco, school):
    pupil = PupilFactory(school=school, year_group=6)
    SenStatusChangeFactory(pupil=pupil, status=SenStatus.SEN_SUPPORT)
    client.force_login(senco)
    client.post(reverse("transitions:transition_add", args=[pupil.pk]), _plan_data())
    assert not ChecklistItem.objects.filter(label=EHC_STEP).exists()
    assert ChecklistItem.objects.count() == 6


def test_a_pupil_not_on_the_register_is_refused_and_nothing_is_written(client, senco, school):
    pupil = PupilFactory(school=school, year_group=6)
    client.force_login(senco)
    response = client.post(reverse("transitions:transition_add", args=[pupil.pk]), _plan_data())
    assert response.status_code == 200
    assert "Transition plans are for pupils on the SEN register." in response.content.decode()
    assert TransitionPlan.objects.count() == 0


def test_a_mistyped_year_is_refused_beside_the_field_keeping_what_was_typed(client, senco, year_6):
    client.force_login(senco)
    data = _plan_data(moves_on="2062-09-02", pupil_views="Excited about science labs.")
    response = client.post(reverse("transitions:transition_add", args=[year_6.pk]), data)
    form = response.context["form"]
    assert response.status_code == 200
    assert "moves_on" in form.errors
    assert "Excited about science labs." in response.content.decode()
    assert TransitionPlan.objects.count() == 0


def test_a_leavers_record_is_refused_with_the_read_only_message(client, senco, year_6):
    year_6.left_on = date(2026, 10, 1)
    year_6.save()
    client.force_login(senco)
    response = client.post(reverse("transitions:transition_add", args=[year_6.pk]), _plan_data())
    assert response.status_code == 200
    assert "their record is kept read-only" in response.content.decode()
    assert TransitionPlan.objects.count() == 0


@pytest.fixture
def plan(year_6):
    return TransitionPlanFactory(pupil=year_6)


def test_teachers_and_tas_read_their_pupils_plans_but_do_not_change_them(client, teacher, ta, plan):
    answers = []
    for user in (teacher, ta):
        client.force_login(user)
        detail = client.get(plan.get_absolute_url())
        edit = client.get(reverse("transitions:transition_edit", args=[plan.pk]))
        answers.append((detail.status_code, detail.context["can_edit"], edit.status_code))
    assert answers == [(200, False, 403), (200, False, 403)]


def test_a_teacher_gets_404_for_a_pupil_they_do_not_teach(client, school, teacher):
    elsewhere = TransitionPlanFactory(pupil=PupilFactory(school=school, year_group=6))
    client.force_login(teacher)
    assert client.get(elsewhere.get_absolute_url()).status_code == 404


def test_another_schools_senco_gets_404_and_governors_403(client, other_school_senco, governor, plan):
    client.force_login(other_school_senco)
    other = client.get(plan.get_absolute_url()).status_code
    client.force_login(governor)
    assert (other, client.get(plan.get_absolute_url()).status_code) == (404, 403)


def test_opening_a_plan_is_audited_with_its_pupil(client, head, plan):
    client.force_login(head)
    client.get(plan.get_absolute_url())
    assert AuditEvent.objects.filter(action="transition_plan.viewed", pupil_id=plan.pupil_id).count() == 1


def test_the_senco_changes_the_plan_and_a_stale_save_keeps_what_was_typed(client, senco, plan):
    client.force_login(senco)
    url = reverse("transitions:transition_edit", args=[plan.pk])
    saved = client.post(url, _plan_data(version=str(plan.version), key_adult="Mr Osei"))
    stale = client.post(url, _plan_data(version=str(plan.version), key_adult="Ms Byrne"))
    plan.refresh_from_db()
    assert (saved.status_code, stale.status_code, plan.key_adult) == (302, 200, "Mr Osei")
    assert "Ms Byrne" in stale.content.decode()
    assert AuditEvent.objects.filter(action="transition_plan.updated").count() == 1


def test_ticking_and_unticking_a_step_is_dated_and_audited(client, senco, plan):
    item = ChecklistItemFactory(plan=plan, label="Key adult named")
    client.force_login(senco)
    url = reverse("transitions:checklist_tick", args=[item.pk])
    client.post(url, {"done": "1"})
    item.refresh_from_db()
    ticked = (item.done_on, item.done_by)
    client.post(url, {})
    item.refresh_from_db()
    assert (ticked, item.done_on) == ((TODAY, senco), None)
    actions = set(AuditEvent.objects.filter(pupil_id=plan.pupil_id).values_list("action", flat=True))
    assert {"transition_step.ticked", "transition_step.unticked"} <= actions


def test_a_visit_after_the_move_is_refused_keeping_what_was_typed(client, senco, plan):
    client.force_login(senco)
    url = reverse("transitions:visit_add", args=[plan.pk])
    late = client.post(url, {"visit_on": "2027-10-01", "description": "Tour of the science block"})
    ok = client.post(url, {"visit_on": "2027-06-10", "description": "Tour of the science block"})
    assert late.status_code == 200
    assert "Tour of the science block" in late.content.decode()
    assert ok.status_code == 302
    assert TransitionVisit.objects.count() == 1


def test_who_was_told_cannot_be_dated_in_the_future(client, senco, plan):
    client.force_login(senco)
    url = reverse("transitions:told_add", args=[plan.pk])
    data = {"told": "Riverside's SENCO", "what": "Needs a quiet space at lunch.", "told_on": "2026-12-01"}
    future = client.post(url, data)
    past = client.post(url, data | {"told_on": "2026-11-19"})
    assert future.status_code == 200
    assert "Needs a quiet space at lunch." in future.content.decode()
    assert past.status_code == 302
    assert TransitionContact.objects.count() == 1


def test_the_year_page_groups_moves_by_kind_and_shows_what_is_overdue(client, senco, school, plan):
    overdue = ChecklistItemFactory(plan=plan, label="Amend the plan", due_on=date(2026, 11, 1))
    ChecklistItemFactory(plan=plan, label="Visit", due_on=date(2027, 6, 1))
    moving_in = TransitionPlanFactory(
        pupil=PupilFactory(school=school), kind="in_year_in", moves_on=date(2026, 9, 15)
    )
    ChecklistItemFactory(plan=moving_in, label="Records read")  # the move has passed: overdue
    last_year = TransitionPlanFactory(pupil=PupilFactory(school=school), moves_on=date(2026, 9, 3))
    client.force_login(senco)
    response = client.get(reverse("transitions:transition_year"))
    groups = {
        group.kind: [(row.plan, row.overdue) for row in group.rows] for group in response.context["groups"]
    }
    assert groups == {
        "primary_to_secondary": [(plan, [overdue])],
        "in_year_in": [(moving_in, list(moving_in.checklist.all()))],
    }
    assert last_year not in [row.plan for group in response.context["groups"] for row in group.rows]
    assert response.context["overdue"] == 2


def test_teachers_do_not_open_the_year_page(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("transitions:transition_year")).status_code == 403


def test_the_year_page_does_not_show_another_schools_moves(client, senco, other_school):
    TransitionPlanFactory(pupil=PupilFactory(school=other_school))
    client.force_login(senco)
    assert client.get(reverse("transitions:transition_year")).context["groups"] == []


@pytest.mark.parametrize("rows", [1, 3])
def test_the_year_page_queries_stay_flat(client, senco, school, rows, django_assert_max_num_queries):
    for _ in range(rows):
        pupil = PupilFactory(school=school, year_group=6)
        EhcPlanFactory(pupil=pupil)
        ChecklistItemFactory(plan=TransitionPlanFactory(pupil=pupil))
    client.force_login(senco)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("transitions:transition_year"))
    assert sum(len(group.rows) for group in response.context["groups"]) == rows


def test_the_pupil_page_shows_the_plan_and_its_visits_in_the_chronology(client, senco, plan):
    TransitionVisit.objects.create(plan=plan, visit_on=date(2026, 11, 10), description="Taster morning")
    client.force_login(senco)
    response = client.get(plan.pupil.get_absolute_url())
    page = response.content.decode()
    assert "Riverside Academy" in page
    assert "Transition visit" in page
    assert "Taster morning" in page


def test_the_pupil_page_offers_no_plan_to_a_governor_or_a_teacher_elsewhere(client, school, teacher):
    pupil = PupilFactory(school=school, year_group=6)
    TransitionPlanFactory(pupil=pupil, destination="Hidden Academy")
    staff_member(role=Role.TEACHER, school=school)
    client.force_login(teacher)
    assert client.get(pupil.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("kind", "moves_on", "year"),
    [
        ("primary_to_secondary", date(2027, 9, 2), 2026),
        ("next_class", date(2027, 9, 1), 2026),
        ("primary_to_secondary", date(2027, 8, 31), 2026),
        ("in_year_in", date(2027, 9, 2), 2027),
        ("in_year_out", date(2027, 2, 28), 2026),
    ],
)
def test_a_move_belongs_to_the_school_year_whose_work_it_is(kind, moves_on, year):
    assert school_year_of_move(kind, moves_on) == year


@pytest.mark.parametrize("plans", [1, 3])
def test_the_pupil_page_contributions_make_the_same_queries_whatever_the_number_of_plans(
    senco, year_6, plans, django_assert_max_num_queries
):
    from transitions.pupil_page import adulthood_contribution, transition_plans_contribution

    for n in range(plans):
        plan = TransitionPlanFactory(pupil=year_6, moves_on=date(2027, 9, 2 + n))
        ChecklistItemFactory(plan=plan)
        TransitionVisit.objects.create(
            plan=plan, visit_on=date(2026, 11, 10), description="Visit", recorded_by=senco
        )
        TransitionContact.objects.create(
            plan=plan, told="SENCO", what="Needs", told_on=TODAY, recorded_by=senco
        )
    # The user's roles once; the plans, their steps, visits and who was told.
    with django_assert_max_num_queries(5):
        contribution = transition_plans_contribution(senco, pupil=year_6, today=TODAY)
        adulthood_contribution(senco, pupil=year_6, today=TODAY)
    assert len(contribution.events) == 3 * plans
