"""The access mechanism: every view declares who may use it, and roles are checked per school."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from provision.factories import SupportPlanFactory
from pupils.factories import PupilFactory
from pupils.models import Pupil
from senco.access import PUBLIC, allow, may_open, open_record
from senco.factories import MembershipFactory, staff_member
from senco.models import EVERYONE, AuditEvent, Role
from tests.senco.conftest import all_url_patterns


def test_every_view_declares_who_may_use_it():
    undeclared = [
        route for route, pattern, _ in all_url_patterns() if not hasattr(pattern.callback, "access")
    ]
    assert undeclared == []


def test_only_sign_in_and_password_reset_are_public():
    public_names = sorted(
        pattern.name
        for _, pattern, _ in all_url_patterns()
        if getattr(pattern.callback, "access", None) == PUBLIC
    )
    assert public_names == [
        "login",
        "logout",
        "password_reset",
        "password_reset_complete",
        "password_reset_confirm",
        "password_reset_done",
    ]


@allow(Role.SENCO, Role.HEAD)
def sample_view(request):
    return HttpResponse("seen")


def _call(user):
    request = RequestFactory().get("/sample/")
    request.user = user
    return sample_view(request)


@pytest.mark.parametrize("role", [role for role in Role.values if role not in (Role.SENCO, Role.HEAD)])
def test_a_role_not_named_in_allow_is_refused(school, role):
    user = staff_member(role=role, school=school)
    with pytest.raises(PermissionDenied):
        _call(user)


@pytest.mark.parametrize("role", [Role.SENCO, Role.HEAD])
def test_a_role_named_in_allow_is_let_in(school, role):
    assert _call(staff_member(role=role, school=school)).content == b"seen"


def test_pages_for_signed_in_users_are_never_stored_by_the_browser(school):
    response = _call(staff_member(role=Role.SENCO, school=school))
    assert response["Cache-Control"] == "private, no-store"


def test_anonymous_visitors_are_sent_to_sign_in():
    response = _call(AnonymousUser())
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/sample/")


def test_a_role_held_at_another_school_does_not_count_here(school, other_school):
    user = staff_member(role=Role.TEACHER, school=school)
    MembershipFactory(user=user, school=other_school, role=Role.SENCO)
    with pytest.raises(PermissionDenied):
        _call(user)


def test_switching_school_brings_that_schools_roles(school, other_school):
    user = staff_member(role=Role.TEACHER, school=school)
    MembershipFactory(user=user, school=other_school, role=Role.SENCO)
    user.current_school = other_school
    user.save()
    assert _call(type(user).objects.get(pk=user.pk)).content == b"seen"


def test_losing_the_membership_loses_the_access(school):
    user = staff_member(role=Role.SENCO, school=school)
    user.memberships.all().delete()
    refreshed = type(user).objects.get(pk=user.pk)
    assert (refreshed.school, refreshed.roles) == (None, frozenset())


def test_allow_needs_at_least_one_role():
    with pytest.raises(ValueError, match="at least one role"):
        allow()


def test_everyone_covers_every_role():
    assert sorted(EVERYONE) == sorted(Role.values)


def test_may_open_lets_anyone_open_a_public_page_and_sends_nobody_signed_out_elsewhere():
    assert (may_open(AnonymousUser(), "login"), may_open(AnonymousUser(), "home")) == (True, False)


def test_may_open_follows_the_roles_the_view_declares(school):
    teacher, head = (
        staff_member(role=Role.TEACHER, school=school),
        staff_member(role=Role.HEAD, school=school),
    )
    assert (may_open(teacher, "senco:audit_trail"), may_open(head, "senco:audit_trail")) == (False, True)


def test_may_open_refuses_a_role_held_at_no_current_school(school):
    user = staff_member(role=Role.SENCO, school=school)
    user.memberships.all().delete()
    refreshed = type(user).objects.get(pk=user.pk)
    assert may_open(refreshed, "home") is False


# Acting in the view's roles, and opening a record -------------------------------------------


@allow(Role.TA)
def roles_view(request):
    return HttpResponse(
        ",".join(sorted(request.user.roles)) + "|" + ",".join(sorted(request.user.held_roles))
    )


def test_the_view_sees_the_user_acting_only_in_the_roles_it_declares(school):
    user = staff_member(role=Role.ADMIN, school=school)
    MembershipFactory(user=user, school=school, role=Role.TA)
    request = RequestFactory().get("/sample/")
    request.user = user
    assert roles_view(request).content == b"ta|admin,ta"


def test_acting_as_narrows_never_widens_and_keeps_the_person(school):
    user = staff_member(role=Role.HEAD, school=school)
    MembershipFactory(user=user, school=school, role=Role.TEACHER)
    teaching = user.acting_as([Role.TEACHER, Role.SENCO])
    widened = teaching.acting_as([Role.HEAD])
    assert (teaching.roles, widened.roles, teaching.pk, teaching.held_roles) == (
        frozenset({Role.TEACHER}),
        frozenset(),
        user.pk,
        frozenset({Role.HEAD, Role.TEACHER}),
    )
    assert user.roles == frozenset({Role.HEAD, Role.TEACHER})  # the original is untouched


def test_the_header_and_menu_show_every_role_held_while_the_view_acts_in_one(client, school):
    user = staff_member(role=Role.ADMIN, school=school)
    MembershipFactory(user=user, school=school, role=Role.TA)
    client.force_login(user)
    html = client.get(reverse("pupils:import")).content.decode()  # the administrator's page
    assert "(Teaching assistant, School administrator)" in html
    assert reverse("provision:groups") in html  # the TA's menu entry


def test_open_record_outside_an_allow_view_is_a_mistake(school):
    request = RequestFactory().get("/sample/")
    request.user = staff_member(role=Role.SENCO, school=school)
    with pytest.raises(ImproperlyConfigured, match="allow"):
        open_record(request, Pupil.objects.all(), read="pupil.viewed", pk=PupilFactory(school=school).pk)


def test_a_read_is_audited_when_the_page_is_sent_not_when_a_post_redirects(client, senco, taught_pupil):
    plan = SupportPlanFactory(pupil=taught_pupil)
    url = reverse("provision:plan_comment", args=[plan.pk])
    client.force_login(senco)

    def actions_after(data) -> list[str]:
        before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        client.post(url, data)
        return list(AuditEvent.objects.filter(id__gt=before).order_by("id").values_list("action", flat=True))

    # Saved and redirected: the comment's own row. Refused and shown again: the plan was read.
    assert (actions_after({"body": "Reading at home."}), actions_after({"body": ""})) == (
        ["plan.commented"],
        ["plan.viewed"],
    )


def test_a_record_outside_reach_is_a_404_and_writes_no_read(client, teacher, untaught_pupil):
    client.force_login(teacher)
    response = client.get(reverse("pupils:detail", args=[untaught_pupil.pk]))
    assert (response.status_code, AuditEvent.objects.count()) == (404, 0)
