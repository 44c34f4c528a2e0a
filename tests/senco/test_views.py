import pytest
from django.urls import reverse

from senco.factories import MembershipFactory, UserFactory, staff_member
from senco.models import WHOLE_SCHOOL, AuditEvent, Role
from tests.senco.conftest import all_url_patterns

SIMPLE_GET_VIEWS = sorted(
    name
    for route, pattern, name in all_url_patterns()
    if "<" not in route
    and isinstance(getattr(pattern.callback, "access", None), frozenset)
    and name != "senco:switch_school"  # POST only: tested on its own below
)


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("name", SIMPLE_GET_VIEWS)
def test_each_role_gets_exactly_the_views_declared_for_it(client, school, role, name):
    from django.urls import resolve

    user = staff_member(role=role, school=school)
    client.force_login(user)
    url = reverse(name)
    expected = 200 if role in resolve(url).func.access else 403
    assert client.get(url).status_code == expected


def test_signed_out_visitors_are_sent_to_sign_in_from_home(client):
    response = client.get(reverse("home"))
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/")


def test_a_user_in_two_schools_switches_between_them(client, school, other_school):
    user = staff_member(role=Role.SENCO, school=school)
    MembershipFactory(user=user, school=other_school, role=Role.HEAD)
    client.force_login(user)
    response = client.post(reverse("senco:switch_school"), {"school": other_school.pk})
    user.refresh_from_db()
    assert (response.status_code, user.current_school) == (302, other_school)
    assert AuditEvent.objects.filter(action="staff.switched_school", school=other_school).count() == 1


def test_switching_to_a_school_without_a_role_there_is_refused(client, senco, other_school):
    client.force_login(senco)
    client.post(reverse("senco:switch_school"), {"school": other_school.pk})
    senco.refresh_from_db()
    assert senco.current_school == senco.school


def test_switch_school_refuses_get(client, senco):
    client.force_login(senco)
    assert client.get(reverse("senco:switch_school")).status_code == 405


def test_django_admin_is_for_superusers_only(client, senco):
    client.force_login(senco)
    assert client.get("/admin/").status_code == 302  # sent to the admin sign-in, not shown
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200


def test_unknown_pages_get_the_friendly_404(client, senco):
    client.force_login(senco)
    response = client.get("/no-such-page/")
    assert (response.status_code, "Page not found" in response.content.decode()) == (404, True)


def test_refused_pages_get_the_friendly_403(client, teacher):
    client.force_login(teacher)
    response = client.get(reverse("senco:audit_trail"))
    assert "not available to your role" in response.content.decode()


def test_whole_school_roles_are_the_senco_team_leadership_and_admin():
    assert set(WHOLE_SCHOOL) == {Role.SENCO, Role.DEPUTY_SENCO, Role.HEAD, Role.SENIOR_LEADER, Role.ADMIN}


def test_every_page_sends_a_content_security_policy(client, db):
    response = client.get(reverse("login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_pupils_page_is_never_stored_by_the_browser(client, senco, taught_pupil):
    client.force_login(senco)
    response = client.get(reverse("pupils:detail", args=[taught_pupil.pk]))
    assert (response.status_code, response["Cache-Control"]) == (200, "private, no-store")
