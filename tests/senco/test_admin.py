"""The Django admin (superusers only) shows no pupil records, keeps groups within a school, and
changes roles and group staff only through the audited services.

These test senco/admin.py and pupils/admin.py; they live here because the admin is one site, set up
in senco.
"""

import pytest
from django.urls import reverse

from pupils.models import TeachingGroup
from senco.factories import TrustFactory, UserFactory, staff_member
from senco.models import AuditEvent, Role, User
from senco.services.staff import grant_role


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


# Staff and roles go through the services, audited ----------------------------------------------


def _user_form(user, rows, *, extra=(), **changes):
    """The user change form as the admin posts it: `rows` are (membership, delete?) of the stored
    roles, `extra` (school, role) pairs for new rows."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "date_joined_0": user.date_joined.strftime("%d/%m/%Y"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": len(rows) + len(extra),
        "memberships-INITIAL_FORMS": len(rows),
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }
    for number, (membership, delete) in enumerate(rows):
        prefix = f"memberships-{number}"
        data |= {
            f"{prefix}-id": membership.pk,
            f"{prefix}-user": user.pk,
            f"{prefix}-school": membership.school_id,
            f"{prefix}-role": membership.role,
        }
        if delete:
            data[f"{prefix}-DELETE"] = "on"
    for number, (school, role) in enumerate(extra, start=len(rows)):
        data |= {f"memberships-{number}-user": user.pk, f"memberships-{number}-school": school.pk}
        data[f"memberships-{number}-role"] = role
    return {key: value for key, value in data.items() if value != ""} | changes


def _user_url(user):
    return reverse("admin:senco_user_change", args=[user.pk])


def _actions():
    return [
        (event.action, event.actor.username if event.actor else None, event.summary)
        for event in AuditEvent.objects.order_by("id")
    ]


def test_a_role_added_in_the_admin_is_granted_by_the_service_and_audited(superuser_client, teacher, school):
    [membership] = teacher.memberships.all()
    response = superuser_client.post(
        _user_url(teacher), _user_form(teacher, [(membership, False)], extra=[(school, Role.TA)])
    )
    assert (response.status_code, sorted(teacher.memberships.values_list("role", flat=True))) == (
        302,
        [Role.TA, Role.TEACHER],
    )
    assert _actions() == [("staff.role_granted", "support", "Tom Evans as Teaching assistant")]


def test_a_role_removed_or_changed_in_the_admin_is_revoked_by_the_service_and_audited(
    superuser_client, teacher, school
):
    membership = teacher.memberships.get()
    second = teacher.memberships.create(school=school, role=Role.TA)
    form = _user_form(teacher, [(membership, False), (second, True)], **{"memberships-0-role": Role.SENCO})
    response = superuser_client.post(_user_url(teacher), form)
    assert (response.status_code, list(teacher.memberships.values_list("role", flat=True))) == (
        302,
        [Role.SENCO],
    )
    assert _actions() == [
        ("staff.role_revoked", "support", "Tom Evans as Class teacher"),
        ("staff.role_revoked", "support", "Tom Evans as Teaching assistant"),
        ("staff.role_granted", "support", "Tom Evans as SENCO"),
    ]


def test_the_admin_refuses_a_superuser_a_role_of_their_own_on_the_form(superuser_client, school):
    support = User.objects.get(username="support")
    response = superuser_client.post(_user_url(support), _user_form(support, [], extra=[(school, Role.HEAD)]))
    errors = response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert (response.status_code, list(errors), support.memberships.count()) == (
        200,
        ["You cannot give a role of your own: ask a colleague who can."],
        0,
    )


def test_switching_an_account_off_in_the_admin_is_audited(superuser_client, teacher):
    membership = teacher.memberships.get()
    response = superuser_client.post(
        _user_url(teacher), _user_form(teacher, [(membership, False)], is_active="")
    )
    teacher.refresh_from_db()
    assert (response.status_code, teacher.is_active, _actions()) == (
        302,
        False,
        [("staff.deactivated", "support", "Tom Evans")],
    )


def test_the_admin_deletes_no_user(superuser_client, teacher):
    response = superuser_client.post(reverse("admin:senco_user_delete", args=[teacher.pk]), {"post": "yes"})
    assert (response.status_code, teacher.memberships.count()) == (403, 1)


def test_a_school_leaving_its_trust_in_the_admin_loses_the_trusts_administrators(
    superuser_client, school, other_school
):
    trust = TrustFactory()
    for member in (school, other_school):
        member.trust = trust
        member.save()
    trust_admin = staff_member(role=Role.TRUST_ADMIN, school=other_school, username="trust")
    grant_role(user=trust_admin, school=school, role=Role.TRUST_ADMIN, by=None)
    data = {
        "name": school.name,
        "urn": school.urn,
        "phase": school.phase,
        "local_authority": school.local_authority,
        "la_code": school.la_code,
        "financial_year_starts": school.financial_year_starts,
        "sen_retention_years": school.sen_retention_years,
    }
    left = superuser_client.post(reverse("admin:senco_school_change", args=[school.pk]), data)
    held_after_leaving = sorted(trust_admin.memberships.values_list("school__name", flat=True))
    superuser_client.post(reverse("admin:senco_school_change", args=[school.pk]), data | {"trust": trust.pk})
    assert (left.status_code, held_after_leaving) == (302, ["Hillside Primary School"])
    assert sorted(trust_admin.memberships.values_list("school__name", flat=True)) == [
        "Hillside Primary School",
        "Oakfield Primary School",
    ]
    assert [action for action, _, _ in _actions()][-2:] == ["staff.role_revoked", "staff.role_granted"]


def test_a_groups_staff_changed_in_the_admin_go_through_the_service_and_are_audited(
    superuser_client, class_3a, school, ta
):
    supply = staff_member(role=Role.TEACHER, school=school, first_name="Sol", last_name="Ply")
    response = superuser_client.post(_change_url(class_3a), _form(class_3a, teachers=[supply.pk]))
    assert (response.status_code, list(class_3a.teachers.all()), _actions()) == (
        302,
        [supply],
        [("group.staff_changed", "support", "3A: +Sol Ply, -Tom Evans")],
    )


def test_the_admin_refuses_a_teaching_assistant_as_a_classes_teacher(superuser_client, class_3a, ta):
    response = superuser_client.post(_change_url(class_3a), _form(class_3a, teachers=[ta.pk]))
    assert (response.status_code, response.context["adminform"].form.errors.get("teachers")) == (
        200,
        ["Not a class teacher at Oakfield Primary School: Tara Green."],
    )
