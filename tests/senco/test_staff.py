"""Staff and roles: who may grant which role, the services that add staff, grant and revoke roles
and deactivate leavers (each audited), and the Staff and roles pages.

Group staffing is in tests/pupils/test_teaching_groups.py; the Django admin's path through the
same services in tests/senco/test_admin.py.
"""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from pupils.selectors.records import pupils_visible_to
from senco.factories import DEMO_PASSWORD, MembershipFactory, SchoolFactory, TrustFactory, staff_member
from senco.models import AuditEvent, Membership, Role, User
from senco.permissions import grantable_roles, may_grant
from senco.selectors import staff_list
from senco.services.staff import add_staff, deactivate_staff, grant_role, revoke_role

R = Role

# Who may grant which role (and so revoke it), by the one role they hold: the rule of
# docs/decisions/staff-and-roles.md, written out in full.
MAY_GRANT = {
    R.SENCO: set(),
    R.DEPUTY_SENCO: set(),
    R.HEAD: set(Role.values) - {R.TRUST_ADMIN},
    R.SENIOR_LEADER: set(),
    R.TEACHER: set(),
    R.TA: set(),
    R.GOVERNOR: set(),
    R.ADMIN: {R.ADMIN},
    R.TRUST_ADMIN: set(Role.values),
    R.EXAMS_OFFICER: set(),
}
PAIRS = [(granter, role) for granter in Role.values for role in Role.values]


def test_the_grant_table_names_every_role():
    assert sorted(MAY_GRANT) == sorted(Role.values)


@pytest.mark.parametrize(("granter", "role"), PAIRS, ids=[f"{g}-grants-{r}" for g, r in PAIRS])
def test_who_may_grant_which_role(granter, role):
    assert may_grant({granter}, role) is (role in MAY_GRANT[granter])


@pytest.mark.parametrize(
    ("held", "allowed"),
    [
        ({R.ADMIN, R.TA}, {R.ADMIN, R.TA}),  # an administrator who also supports a class
        ({R.SENCO, R.TEACHER}, set()),  # holding roles is not managing staff
        ({R.HEAD, R.TEACHER}, set(Role.values) - {R.TRUST_ADMIN}),
    ],
)
def test_an_administrator_grants_only_roles_they_hold_and_nobody_else_grants_by_holding(held, allowed):
    assert {role for role in Role.values if may_grant(held, role)} == allowed


@pytest.fixture
def trust(school, other_school):
    trust = TrustFactory(name="Northshire Learning Trust")
    for member in (school, other_school):
        member.trust = trust
        member.save()
    return trust


@pytest.fixture
def trust_admin(trust, school, other_school):
    user = staff_member(
        role=R.TRUST_ADMIN, school=school, username="trust", first_name="Tia", last_name="Rust"
    )
    MembershipFactory(user=user, school=other_school, role=R.TRUST_ADMIN)
    return user


def test_the_trust_administrators_role_is_offered_only_at_a_school_of_a_trust(trust_admin, head, school):
    assert (R.TRUST_ADMIN in grantable_roles(trust_admin), R.TRUST_ADMIN in grantable_roles(head)) == (
        True,
        False,
    )
    school.trust = None
    school.save()
    trust_admin.refresh_from_db()
    assert R.TRUST_ADMIN not in grantable_roles(User.objects.get(pk=trust_admin.pk))


def _roles(user, school) -> list[str]:
    return sorted(Membership.objects.filter(user=user, school=school).values_list("role", flat=True))


def _audit(action: str) -> list[tuple]:
    return [
        (event.actor.username if event.actor else None, event.school.name, event.object_id, event.summary)
        for event in AuditEvent.objects.filter(action=action).order_by("id")
    ]


# Granting --------------------------------------------------------------------------------------


def test_the_head_grants_a_role_and_it_is_audited(head, teacher, school):
    grant_role(user=teacher, school=school, role=R.TA, by=head)
    assert _roles(teacher, school) == [R.TA, R.TEACHER]
    assert _audit("staff.role_granted") == [
        ("head", "Oakfield Primary School", str(teacher.pk), "Tom Evans as Teaching assistant")
    ]


@pytest.mark.parametrize(
    ("by", "who", "role", "message"),
    [
        ("head", "head", R.SENCO, "You cannot give a role of your own"),
        ("school_admin", "teacher", R.TEACHER, "You may not give the role Class teacher"),
        ("school_admin", "teacher", R.SENCO, "You may not give the role SENCO"),
        ("head", "teacher", R.TRUST_ADMIN, "You may not give the role Trust administrator"),
        ("senco", "teacher", R.TA, "You may not give the role Teaching assistant"),
        ("head", "teacher", R.TEACHER, "Tom Evans is already Class teacher here"),
        ("head", "other_school_senco", R.TA, "is not on the staff of Oakfield Primary School"),
    ],
)
def test_a_grant_the_rule_refuses_writes_nothing(request, school, by, who, role, message):
    granter, user = request.getfixturevalue(by), request.getfixturevalue(who)
    before = _roles(user, school)
    with pytest.raises(ValidationError, match=message):
        grant_role(user=user, school=school, role=role, by=granter)
    assert (_roles(user, school), AuditEvent.objects.count()) == (before, 0)


def test_nobody_grants_at_a_school_they_are_not_working_in(head, other_school):
    colleague = staff_member(role=R.TEACHER, school=other_school)
    MembershipFactory(user=head, school=other_school, role=R.HEAD)  # head there too, working here
    with pytest.raises(ValidationError, match="You may not give the role Teaching assistant"):
        grant_role(user=colleague, school=other_school, role=R.TA, by=head)


def test_a_deactivated_account_is_given_no_role(head, teacher, school):
    teacher.is_active = False
    teacher.save()
    with pytest.raises(ValidationError, match="has left"):
        grant_role(user=teacher, school=school, role=R.TA, by=head)


def test_the_trust_administrator_is_granted_at_every_school_of_the_trust(
    trust_admin, head, school, other_school
):
    grant_role(user=head, school=school, role=R.TRUST_ADMIN, by=trust_admin)
    assert (_roles(head, school), _roles(head, other_school)) == ([R.HEAD, R.TRUST_ADMIN], [R.TRUST_ADMIN])
    assert sorted((who, where) for who, where, _, _ in _audit("staff.role_granted")) == [
        ("trust", "Hillside Primary School"),
        ("trust", "Oakfield Primary School"),
    ]


def test_a_school_outside_any_trust_has_no_trust_administrator(school, head):
    superuser = User.objects.create_superuser("support", "support@example.org", "not-used-here-1")
    with pytest.raises(ValidationError, match="not part of a trust"):
        grant_role(user=head, school=school, role=R.TRUST_ADMIN, by=superuser)


# Revoking --------------------------------------------------------------------------------------


def test_the_head_revokes_a_role_and_it_is_audited(head, teacher, school):
    MembershipFactory(user=teacher, school=school, role=R.TA)
    removed = revoke_role(user=teacher, school=school, role=R.TA, by=head)
    assert (removed, _roles(teacher, school)) == (1, [R.TEACHER])
    assert _audit("staff.role_revoked") == [
        ("head", "Oakfield Primary School", str(teacher.pk), "Tom Evans as Teaching assistant")
    ]


@pytest.mark.parametrize(
    ("by", "role", "message"),
    [
        ("school_admin", R.TA, "You may not remove the role Teaching assistant"),
        ("head", R.SENCO, "Tom Evans is not SENCO here"),
        ("teacher", R.TA, "You cannot remove a role of your own"),
    ],
)
def test_a_revocation_the_rule_refuses_writes_nothing(request, teacher, school, by, role, message):
    MembershipFactory(user=teacher, school=school, role=R.TA)
    with pytest.raises(ValidationError, match=message):
        revoke_role(user=teacher, school=school, role=role, by=request.getfixturevalue(by))
    assert (_roles(teacher, school), AuditEvent.objects.count()) == ([R.TA, R.TEACHER], 0)


def test_someones_only_role_is_not_revoked_a_leaver_is_deactivated(head, teacher, school):
    with pytest.raises(ValidationError, match="only role here: if they have left, deactivate them"):
        revoke_role(user=teacher, school=school, role=R.TEACHER, by=head)
    assert _roles(teacher, school) == [R.TEACHER]


def test_the_trust_administrator_is_revoked_at_every_school_of_the_trust(
    trust_admin, head, school, other_school
):
    colleague = staff_member(role=R.ADMIN, school=school)
    grant_role(user=colleague, school=school, role=R.TRUST_ADMIN, by=trust_admin)
    revoke_role(user=colleague, school=school, role=R.TRUST_ADMIN, by=trust_admin)
    assert (_roles(colleague, school), _roles(colleague, other_school)) == ([R.ADMIN], [])


def test_a_revoked_role_takes_effect_at_the_next_request(client, head, school):
    colleague = staff_member(role=R.SENCO, school=school)
    MembershipFactory(user=colleague, school=school, role=R.TEACHER)
    client.force_login(colleague)
    before = client.get(reverse("pupils:register")).status_code
    revoke_role(user=colleague, school=school, role=R.SENCO, by=head)
    assert (before, client.get(reverse("pupils:register")).status_code) == (200, 403)


# Adding staff ----------------------------------------------------------------------------------

NEW = {
    "first_name": "Nia",
    "last_name": "Okafor",
    "username": "n.okafor",
    "email": "n.okafor@oakfield.example.org",
    "role": R.TA,
}


def _sign_in(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def _invitation_link(body: str) -> str:
    return re.search(r"http://testserver(/accounts/password/reset/[^\s]+/)", body).group(1)


def test_a_new_member_of_staff_is_added_with_a_role_and_invited_to_choose_a_password(
    client, head, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = add_staff(school=school, site="http://testserver/", by=head, **NEW)
    assert (_roles(user, school), user.current_school, user.has_usable_password()) == ([R.TA], school, True)
    assert [event.action for event in AuditEvent.objects.order_by("id")] == [
        "staff.added",
        "staff.role_granted",
    ]
    [invitation] = mail.outbox
    assert (invitation.to, invitation.subject) == (
        ["n.okafor@oakfield.example.org"],
        "Your SENCO caseload account at Oakfield Primary School",
    )
    assert "Your username is: n.okafor" in invitation.body
    # The link is Django's password reset: it opens the page to choose a password, once.
    chosen = client.get(_invitation_link(invitation.body), follow=True)
    client.post(
        chosen.redirect_chain[-1][0],
        {"new_password1": "a long new password", "new_password2": "a long new password"},
    )
    assert _sign_in(client, "n.okafor", "a long new password").status_code == 302


def test_adding_staff_reports_every_problem_on_its_field_and_writes_nothing(school_admin, head):
    fields = {**NEW, "username": "HEAD", "email": "", "role": R.TEACHER}
    with pytest.raises(ValidationError) as refused:
        add_staff(school=school_admin.school, site="http://testserver/", by=school_admin, **fields)
    assert sorted(refused.value.message_dict) == ["email", "role", "username"]
    assert (User.objects.filter(last_name="Okafor").exists(), AuditEvent.objects.count()) == (False, 0)


# Deactivating leavers --------------------------------------------------------------------------


def test_a_leaver_loses_their_roles_and_can_no_longer_sign_in(client, head, teacher, school):
    client.force_login(teacher)
    assert deactivate_staff(user=teacher, school=school, by=head) is True
    teacher.refresh_from_db()
    assert (teacher.is_active, _roles(teacher, school)) == (False, [])
    # The session left open ends at its next request, and the password no longer works.
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert _sign_in(client, "teacher", DEMO_PASSWORD).status_code == 200  # the form again
    assert [e.action for e in AuditEvent.objects.order_by("id")] == [
        "staff.role_revoked",
        "staff.deactivated",
    ]


def test_a_leaver_still_working_at_another_school_keeps_their_account_there(
    head, teacher, school, other_school
):
    MembershipFactory(user=teacher, school=other_school, role=R.TEACHER)
    assert deactivate_staff(user=teacher, school=school, by=head) is False
    teacher.refresh_from_db()
    assert (teacher.is_active, _roles(teacher, school), _roles(teacher, other_school)) == (
        True,
        [],
        [R.TEACHER],
    )


def test_what_a_leaver_recorded_keeps_pointing_at_them(head, teacher, school):
    AuditEvent.objects.create(school=school, actor=teacher, action="pupil.viewed")
    deactivate_staff(user=teacher, school=school, by=head)
    assert AuditEvent.objects.get(action="pupil.viewed").actor == teacher


@pytest.mark.parametrize(
    ("by", "who", "message"),
    [
        ("head", "head", "your own account"),
        ("school_admin", "teacher", "You may not remove the role Class teacher"),
    ],
)
def test_a_deactivation_the_rule_refuses_changes_nothing(request, school, by, who, message):
    user = request.getfixturevalue(who)
    with pytest.raises(ValidationError, match=message):
        deactivate_staff(user=user, school=school, by=request.getfixturevalue(by))
    user.refresh_from_db()
    assert (user.is_active, len(_roles(user, school))) == (True, 1)


# The pages -------------------------------------------------------------------------------------

STAFF = reverse("senco:staff")


def _member_url(user, name="senco:staff_member") -> str:
    return reverse(name, args=[user.pk])


@pytest.mark.parametrize(("who", "can_manage"), [("head", True), ("school_admin", True), ("senco", False)])
def test_the_staff_page_lists_the_schools_staff_for_managers_and_the_senco_team(
    client, request, who, can_manage, teacher, other_school_senco
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(STAFF)
    listed = {row.user.username: row.roles for row in response.context["staff"]}
    assert (response.status_code, response.context["can_manage"], listed.get("teacher")) == (
        200,
        can_manage,
        ["Class teacher"],
    )
    assert ("senco-other" in listed, "Add a member of staff" in response.content.decode()) == (
        False,
        can_manage,
    )


@pytest.mark.parametrize("who", ["teacher", "ta", "governor"])
def test_classroom_staff_and_governors_get_403_from_the_staff_pages(client, request, who, head):
    client.force_login(request.getfixturevalue(who))
    answers = [client.get(STAFF).status_code, client.get(_member_url(head)).status_code]
    assert answers == [403, 403]


def test_the_senco_reads_the_list_but_opens_no_member_of_staff(client, senco, teacher):
    client.force_login(senco)
    assert (
        client.get(_member_url(teacher)).status_code,
        client.get(reverse("senco:staff_add")).status_code,
    ) == (
        403,
        403,
    )


def test_another_schools_member_of_staff_is_not_found(client, head, other_school_senco):
    client.force_login(head)
    answers = [
        client.get(_member_url(other_school_senco)).status_code,
        client.post(_member_url(other_school_senco), {"role": R.TA}).status_code,
        client.post(reverse("senco:staff_deactivate", args=[other_school_senco.pk])).status_code,
    ]
    assert (answers, _roles(other_school_senco, other_school_senco.school)) == ([404, 404, 404], [R.SENCO])


@pytest.mark.parametrize("n", [1, 3])
def test_the_staff_page_queries_stay_flat(client, head, school, n, django_assert_max_num_queries):
    for _ in range(n):
        MembershipFactory(user=staff_member(role=R.TEACHER, school=school), school=school, role=R.TA)
    client.force_login(head)
    with django_assert_max_num_queries(5):
        response = client.get(STAFF)
    assert len(response.context["staff"]) == n + 1


def test_the_head_adds_a_member_of_staff_from_the_page(
    client, head, school, django_capture_on_commit_callbacks
):
    client.force_login(head)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("senco:staff_add"), NEW)
    user = User.objects.get(username="n.okafor")
    assert (response.status_code, response["Location"], _roles(user, school), len(mail.outbox)) == (
        302,
        _member_url(user),
        [R.TA],
        1,
    )
    assert "http://testserver/accounts/password/reset/" in mail.outbox[0].body


def test_the_add_form_offers_only_the_roles_the_user_may_grant_and_keeps_what_was_typed(
    client, school_admin, head
):
    client.force_login(school_admin)
    offered = [
        value for value, _ in client.get(reverse("senco:staff_add")).context["form"].fields["role"].choices
    ]
    response = client.post(reverse("senco:staff_add"), {**NEW, "role": R.ADMIN, "username": "Head"})
    form = response.context["form"]
    assert (offered, response.status_code, form.errors["username"], form["email"].value()) == (
        ["", R.ADMIN],
        200,
        ["That username is taken: choose another."],
        NEW["email"],
    )


def test_the_head_grants_and_revokes_a_role_on_the_member_of_staffs_page(client, head, teacher, school):
    client.force_login(head)
    page = client.get(_member_url(teacher))
    granted = client.post(_member_url(teacher), {"role": R.TA})
    after_grant = _roles(teacher, school)
    revoked = client.post(reverse("senco:role_revoke", args=[teacher.pk, R.TA]))
    assert (page.status_code, granted["Location"], revoked["Location"]) == (
        200,
        _member_url(teacher),
        _member_url(teacher),
    )
    assert (after_grant, _roles(teacher, school)) == ([R.TA, R.TEACHER], [R.TEACHER])
    assert [e.action for e in AuditEvent.objects.order_by("id")] == [
        "staff.role_granted",
        "staff.role_revoked",
    ]


def test_a_role_the_user_may_not_grant_is_refused_on_the_form(client, school_admin, teacher, school):
    client.force_login(school_admin)
    response = client.post(_member_url(teacher), {"role": R.SENCO})
    assert (response.status_code, bool(response.context["form"].errors["role"]), _roles(teacher, school)) == (
        200,
        True,
        [R.TEACHER],
    )


def test_the_member_page_offers_what_the_viewer_may_do(client, school_admin, head, teacher, school):
    MembershipFactory(user=teacher, school=school, role=R.ADMIN)
    client.force_login(school_admin)
    page = client.get(_member_url(teacher)).context["page"]
    own = client.get(_member_url(school_admin)).context["page"]
    assert (
        [(held.role, held.can_remove) for held in page.roles],
        page.grantable,
        page.can_deactivate,
        (own.is_you, own.grantable, own.can_deactivate),
    ) == ([(R.TEACHER, False), (R.ADMIN, True)], [], False, (True, [], False))


def test_revoking_from_the_page_shows_why_it_is_refused(client, school_admin, teacher, school):
    client.force_login(school_admin)
    response = client.post(reverse("senco:role_revoke", args=[teacher.pk, R.TEACHER]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "You may not remove the role Class teacher: nobody hands out a role they could not hold themselves."
    ]


def test_the_head_deactivates_a_leaver_after_confirming(client, head, teacher):
    client.force_login(head)
    confirm = client.get(reverse("senco:staff_deactivate", args=[teacher.pk]))
    response = client.post(reverse("senco:staff_deactivate", args=[teacher.pk]), follow=True)
    teacher.refresh_from_db()
    assert (confirm.status_code, response.redirect_chain[-1][0], teacher.is_active) == (200, STAFF, False)
    assert "teacher" not in [row.user.username for row in response.context["staff"]]


def test_a_trust_administrator_manages_the_staff_of_the_school_they_work_in_only(
    client, trust_admin, teacher, other_school_senco, school
):
    client.force_login(trust_admin)
    listed = [row.user.username for row in client.get(STAFF).context["staff"]]
    granted = client.post(_member_url(teacher), {"role": R.SENCO})
    assert (sorted(listed), granted.status_code, _roles(teacher, school)) == (
        ["teacher", "trust"],
        302,
        [R.SENCO, R.TEACHER],
    )
    assert client.get(_member_url(other_school_senco)).status_code == 404


def test_a_trust_administrator_sees_no_pupil_and_is_pointed_to_the_staff(client, trust_admin, taught_pupil):
    client.force_login(trust_admin)
    home = client.get(reverse("home"))
    assert (pupils_visible_to(trust_admin).count(), home.context["show_staff"]) == (0, True)
    assert client.get(taught_pupil.get_absolute_url()).status_code == 403


def test_the_menu_offers_staff_and_roles_where_its_page_admits(client, head, teacher):
    labels = {}
    for user in (head, teacher):
        client.force_login(user)
        labels[user.username] = [item["label"] for item in client.get(reverse("home")).context["nav_items"]]
    assert ("Staff and roles" in labels["head"], "Staff and roles" in labels["teacher"]) == (True, False)


def test_staff_list_shows_only_active_staff_with_a_role_here(head, teacher, school):
    staff_member(role=R.TA, school=school, is_active=False)
    staff_member(role=R.TA, school=SchoolFactory())
    assert {row.user for row in staff_list(head)} == {head, teacher}


def test_on_the_staff_pages_an_administrator_still_grants_every_role_they_hold(client, school, teacher):
    # The page acts in the administrator's role (senco.access.allow), but the rule is about the
    # roles the granter holds: one who also supports a class may give a colleague that role too.
    admin = staff_member(role=R.ADMIN, school=school, username="office")
    MembershipFactory(user=admin, school=school, role=R.TA)
    client.force_login(admin)
    url = reverse("senco:staff_member", args=[teacher.pk])
    offered = {value for value, _ in client.get(url).context["form"].fields["role"].choices if value}
    response = client.post(url, {"role": R.TA})
    assert (offered, response.status_code, Membership.objects.filter(user=teacher, role=R.TA).exists()) == (
        {R.ADMIN, R.TA},
        302,
        True,
    )
