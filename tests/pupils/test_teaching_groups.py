"""Who teaches and supports each class: changed by those who manage staff, read by the SENCO
team, audited, and deciding which pupils a teacher or TA sees."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pupils.factories import TeachingGroupFactory
from pupils.models import GroupKind
from pupils.selectors.records import pupils_visible_to
from pupils.services.records import set_group_staff
from senco.factories import MembershipFactory, staff_member
from senco.models import AuditEvent, Role

GROUPS = reverse("pupils:teaching_groups")


def _staff_url(group) -> str:
    return reverse("pupils:group_staff", args=[group.pk])


def _staff_of(group) -> tuple[list[str], list[str]]:
    return (
        sorted(group.teachers.values_list("username", flat=True)),
        sorted(group.assistants.values_list("username", flat=True)),
    )


@pytest.fixture
def supply(school):
    return staff_member(
        role=Role.TEACHER, school=school, username="supply", first_name="Sol", last_name="Ply"
    )


def test_the_head_changes_who_teaches_a_class_and_it_is_audited(head, class_3a, teacher, ta, supply):
    set_group_staff(group=class_3a, teachers=[supply], assistants=[ta], by=head)
    event = AuditEvent.objects.get(action="group.staff_changed")
    assert _staff_of(class_3a) == (["supply"], ["ta"])
    assert (event.actor, event.school, event.fields, event.summary) == (
        head,
        class_3a.school,
        ["teachers"],
        "3A: +Sol Ply, -Tom Evans",
    )


def test_a_teacher_sees_a_classes_pupils_from_when_they_join_it_until_they_leave_it(
    head, class_3a, taught_pupil, supply, teacher, ta
):
    before = list(pupils_visible_to(supply))
    set_group_staff(group=class_3a, teachers=[teacher, supply], assistants=[ta], by=head)
    joined = list(pupils_visible_to(type(supply).objects.get(pk=supply.pk)))
    set_group_staff(group=class_3a, teachers=[teacher], assistants=[ta], by=head)
    assert (before, joined, list(pupils_visible_to(type(supply).objects.get(pk=supply.pk)))) == (
        [],
        [taught_pupil],
        [],
    )


@pytest.mark.parametrize(
    ("field", "who", "message"),
    [
        ("teachers", "ta", "Not a class teacher at Oakfield Primary School: Tara Green."),
        ("assistants", "teacher", "Not a teaching assistant at Oakfield Primary School: Tom Evans."),
        ("teachers", "other_school_senco", "Not a class teacher at Oakfield Primary School"),
        ("teachers", "governor", "Not a class teacher at Oakfield Primary School: Gil Hall."),
    ],
)
def test_only_the_schools_class_teachers_teach_and_its_tas_support(
    request, head, class_3a, field, who, message
):
    chosen = {"teachers": list(class_3a.teachers.all()), "assistants": list(class_3a.assistants.all())}
    chosen[field].append(request.getfixturevalue(who))
    with pytest.raises(ValidationError, match=message):
        set_group_staff(group=class_3a, by=head, **chosen)
    assert (_staff_of(class_3a), AuditEvent.objects.count()) == ((["teacher"], ["ta"]), 0)


def test_nobody_adds_themselves_to_a_group_or_takes_themselves_off(head, class_3a, teacher, ta, school):
    MembershipFactory(user=head, school=school, role=Role.TEACHER)
    with pytest.raises(ValidationError, match="You cannot add yourself to a group"):
        set_group_staff(group=class_3a, teachers=[teacher, head], assistants=[ta], by=head)
    class_3a.teachers.add(head)
    with pytest.raises(ValidationError, match="take yourself off"):
        set_group_staff(group=class_3a, teachers=[teacher], assistants=[ta], by=head)


def test_an_intervention_groups_staff_are_not_set_here(head, school, teacher):
    group = TeachingGroupFactory(school=school, name="Reading (intervention)", kind=GroupKind.INTERVENTION)
    with pytest.raises(ValidationError, match="set on its provision group"):
        set_group_staff(group=group, teachers=[teacher], assistants=[], by=head)


def test_saving_the_same_staff_writes_no_audit_row(head, class_3a, teacher, ta):
    set_group_staff(group=class_3a, teachers=[teacher], assistants=[ta], by=head)
    assert AuditEvent.objects.count() == 0


# The pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "can_edit"), [("head", True), ("school_admin", True), ("senco", False)])
def test_the_senco_team_reads_who_teaches_each_class_and_managers_change_it(
    client, request, who, can_edit, class_3a
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(GROUPS)
    rows = {group.name: _staff_of(group) for group in response.context["groups"]}
    assert (response.status_code, response.context["can_edit"], rows) == (
        200,
        can_edit,
        {"3A": (["teacher"], ["ta"])},
    )
    assert ("Change staff" in response.content.decode(), client.get(_staff_url(class_3a)).status_code) == (
        can_edit,
        200 if can_edit else 403,
    )


@pytest.mark.parametrize("who", ["teacher", "ta", "governor"])
def test_classroom_staff_and_governors_get_403(client, request, who, class_3a):
    client.force_login(request.getfixturevalue(who))
    assert [client.get(GROUPS).status_code, client.post(_staff_url(class_3a)).status_code] == [403, 403]


def test_intervention_groups_and_other_schools_groups_are_not_listed_or_found(
    client, head, school, other_school
):
    intervention = TeachingGroupFactory(
        school=school, name="Reading (intervention)", kind=GroupKind.INTERVENTION
    )
    theirs = TeachingGroupFactory(school=other_school, name="6C")
    client.force_login(head)
    listed = [group.name for group in client.get(GROUPS).context["groups"]]
    answers = [client.get(_staff_url(group)).status_code for group in (intervention, theirs)]
    assert (listed, answers) == ([], [404, 404])


@pytest.mark.parametrize("n", [1, 3])
def test_the_groups_page_queries_stay_flat(client, head, school, n, django_assert_max_num_queries):
    for number in range(n):
        TeachingGroupFactory(
            school=school,
            name=f"{number + 1}A",
            teachers=[staff_member(role=Role.TEACHER, school=school)],
            assistants=[staff_member(role=Role.TA, school=school)],
        )
    client.force_login(head)
    with django_assert_max_num_queries(6):
        response = client.get(GROUPS)
    assert len(response.context["groups"]) == n


def test_the_head_changes_a_classes_staff_on_its_page(client, head, class_3a, teacher, ta, supply):
    client.force_login(head)
    page = client.get(_staff_url(class_3a))
    offered = [choice.data["value"].value for choice in page.context["form"]["teachers"]]
    response = client.post(_staff_url(class_3a), {"teachers": [teacher.pk, supply.pk], "assistants": [ta.pk]})
    assert (sorted(offered), response.status_code, response["Location"]) == (
        sorted([teacher.pk, supply.pk]),
        302,
        GROUPS,
    )
    assert _staff_of(class_3a) == (["supply", "teacher"], ["ta"])


def test_a_refused_change_redraws_the_form_with_what_was_ticked(
    client, school_admin, class_3a, teacher, ta, supply
):
    MembershipFactory(user=school_admin, school=class_3a.school, role=Role.TEACHER)
    client.force_login(school_admin)
    response = client.post(
        _staff_url(class_3a), {"teachers": [teacher.pk, supply.pk, school_admin.pk], "assistants": [ta.pk]}
    )
    form = response.context["form"]
    assert (response.status_code, form.errors["teachers"], sorted(form["teachers"].value())) == (
        200,
        ["You cannot add yourself to a group or take yourself off one: ask a colleague."],
        sorted(str(pk) for pk in (teacher.pk, supply.pk, school_admin.pk)),
    )
    assert _staff_of(class_3a) == (["teacher"], ["ta"])


def test_the_staff_page_links_to_who_teaches_each_class(client, senco):
    client.force_login(senco)
    response = client.get(reverse("senco:staff"))
    assert (response.context["can_see_groups"], GROUPS in response.content.decode()) == (True, True)
