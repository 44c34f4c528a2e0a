"""The Django admin (superusers only) shows no pupil records and keeps groups within a school.

These test pupils/admin.py; they live here because the admin is one site, set up in senco.
"""

import pytest
from django.urls import reverse

from pupils.models import TeachingGroup
from senco.factories import UserFactory, staff_member
from senco.models import Role


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True, username="support"))
    return client


def _change_url(group):
    return reverse("admin:pupils_teachinggroup_change", args=[group.pk])


def _form(group, **changes):
    data = {
        "school": group.school.pk,
        "name": group.name,
        "kind": group.kind,
        "teachers": [user.pk for user in group.teachers.all()],
        "assistants": [user.pk for user in group.assistants.all()],
    }
    return {**data, **changes}


def test_a_teaching_group_in_the_admin_lists_no_pupils(superuser_client, class_3a, taught_pupil):
    response = superuser_client.get(_change_url(class_3a))
    page = response.content.decode()
    assert (response.status_code, "Taught" in page, 'name="pupils"' in page) == (200, False, False)


def test_the_admin_refuses_a_teacher_from_another_school(superuser_client, class_3a, other_school, teacher):
    outsider = staff_member(role=Role.TEACHER, school=other_school, first_name="Olly", last_name="Out")
    response = superuser_client.post(
        _change_url(class_3a), _form(class_3a, teachers=[teacher.pk, outsider.pk])
    )
    assert (
        response.status_code,
        response.context["adminform"].form.errors.get("teachers"),
        sorted(class_3a.teachers.values_list("username", flat=True)),
    ) == (200, ["Not on the staff of Oakfield Primary School: Olly Out."], ["teacher"])


def test_the_admin_refuses_to_move_a_group_with_pupils_to_another_school(
    superuser_client, class_3a, taught_pupil, other_school
):
    response = superuser_client.post(
        _change_url(class_3a), _form(class_3a, school=other_school.pk, teachers=[], assistants=[])
    )
    class_3a.refresh_from_db()
    assert (response.status_code, class_3a.school.name) == (200, "Oakfield Primary School")


def test_the_admin_keeps_a_groups_pupils_when_it_is_saved(superuser_client, class_3a, taught_pupil):
    response = superuser_client.post(_change_url(class_3a), _form(class_3a, name="3 Ash"))
    class_3a.refresh_from_db()
    assert (response.status_code, class_3a.name, list(class_3a.pupils.all())) == (
        302,
        "3 Ash",
        [taught_pupil],
    )


def test_a_new_group_in_the_admin_can_take_its_schools_staff(superuser_client, school, teacher):
    response = superuser_client.post(
        reverse("admin:pupils_teachinggroup_add"),
        {"school": school.pk, "name": "4B", "kind": "class", "teachers": [teacher.pk]},
    )
    assert (response.status_code, TeachingGroup.objects.get(name="4B").school) == (302, school)


def test_an_unknown_teacher_is_a_form_error_not_a_server_error(superuser_client, class_3a):
    response = superuser_client.post(_change_url(class_3a), _form(class_3a, teachers=[999999]))
    assert (response.status_code, "Select a valid choice" in response.content.decode()) == (200, True)
