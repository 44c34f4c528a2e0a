"""Multi-factor sign-in: who must give a second factor, that every page but a few asks for it,
setting up an authenticator app, recovery codes, and a colleague resetting a lost device.

The test settings turn MFA_REQUIRED off so that the rest of the suite signs in with a password;
every test here turns it on (the `mfa_on` fixture) unless it is about the setting being off.
"""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.urls.converters import IntConverter
from django.utils import timezone
from django.utils.http import urlencode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from senco.access import SIGNED_IN
from senco.factories import DEMO_PASSWORD, MembershipFactory, UserFactory, staff_member
from senco.models import AuditEvent, Role
from senco.permissions import must_use_second_factor
from senco.selectors import staff_list
from senco.selectors import staff_member as staff_member_page
from senco.services.sign_in import RECOVERY_CODES, check_second_factor, reset_mfa_device, set_up_second_factor
from tests.senco.conftest import all_url_patterns

VERIFY = reverse("mfa_verify")
SET_UP = reverse("mfa_set_up")


@pytest.fixture
def mfa_on(settings):
    settings.MFA_REQUIRED = True


def _app(user) -> TOTPDevice:
    """An authenticator app `user` has set up, and its recovery codes "recovery1" and "recovery2"."""
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    codes = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(StaticToken(device=codes, token=t) for t in ("recovery1", "recovery2"))
    return device


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def _verified(client, user):
    """Sign `user` in as if they had given their password and their app's code."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = _app(user).persistent_id
    session.save()


def _sign_in(client, username: str, **extra):
    return client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD}, **extra)


def _dummy_url(pattern, name: str) -> str:
    kwargs = {
        key: 7 if isinstance(converter, IntConverter) else "dummy"
        for key, converter in pattern.pattern.converters.items()
    }
    return reverse(name, kwargs=kwargs)


# Every view that shows or changes anything: all but the public ones and the second factor's own.
GUARDED = sorted(
    (name, _dummy_url(pattern, name))
    for _, pattern, name in all_url_patterns()
    if isinstance(pattern.callback.access, frozenset)
)


# Who must -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [role for role in Role.values if role != Role.GOVERNOR])
def test_every_role_that_sees_a_pupils_name_must_use_a_second_factor(school, role):
    assert must_use_second_factor(staff_member(role=role, school=school)) is True


def test_a_governor_only_needs_no_second_factor(governor):
    assert must_use_second_factor(governor) is False


def test_a_governor_here_who_teaches_at_another_school_must_use_one_even_while_governing(
    governor, other_school
):
    MembershipFactory(user=governor, school=other_school, role=Role.TEACHER)
    governor.refresh_from_db()
    assert (governor.school.name, must_use_second_factor(governor)) == ("Oakfield Primary School", True)


def test_a_superuser_without_a_role_must_use_one(db):
    assert must_use_second_factor(UserFactory(is_superuser=True, is_staff=True)) is True


# Enforcement ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "url"), GUARDED, ids=[name for name, _ in GUARDED])
def test_a_signed_in_user_without_the_second_factor_is_sent_to_it_from_every_page(
    client, mfa_on, senco, name, url
):
    client.force_login(senco)
    answers = {method: getattr(client, method)(url) for method in ("get", "post")}
    assert {method: (r.status_code, r["Location"]) for method, r in answers.items()} == {
        # A GET keeps where the user was going; a POST's form is not worth keeping.
        "get": (302, f"{VERIFY}?{urlencode({'next': url})}"),
        "post": (302, VERIFY),
    }


def test_the_guarded_walk_reaches_every_kind_of_page():
    names = {name for name, _ in GUARDED}
    assert {"home", "pupils:detail", "provision:plan_pdf", "senco:switch_school", "password_change"} <= names


def test_the_django_admin_asks_a_superuser_for_the_second_factor_too(client, db, mfa_on):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get("/admin/")
    assert (response.status_code, response["Location"]) == (302, f"{VERIFY}?next=%2Fadmin%2F")


def test_a_superuser_without_a_role_can_open_the_set_up_page(client, db, mfa_on):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(SET_UP).status_code == 200


def test_sign_out_and_password_reset_stay_open_without_the_second_factor(client, mfa_on, senco):
    client.force_login(senco)
    reset = client.get(reverse("password_reset"))
    signed_out = client.post(reverse("logout"))
    assert (reset.status_code, signed_out.status_code, SESSION_KEY in client.session) == (200, 302, False)


def test_the_second_factors_own_pages_are_the_only_ones_open_to_any_signed_in_user():
    open_to_any = sorted(
        name for _, pattern, name in all_url_patterns() if pattern.callback.access == SIGNED_IN
    )
    assert open_to_any == ["mfa_recovery_codes", "mfa_set_up", "mfa_verify"]


@pytest.mark.parametrize("url", [VERIFY, SET_UP, reverse("mfa_recovery_codes")])
def test_signed_out_visitors_are_sent_to_sign_in_from_the_second_factor_pages(client, db, url):
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={url}")


def test_a_governor_only_signs_in_with_the_password_alone(client, mfa_on, governor):
    response = _sign_in(client, "governor", follow=True)
    assert (response.status_code, response.redirect_chain) == (200, [("/", 302)])


def test_a_user_who_gave_the_second_factor_reaches_the_pages_of_their_role(
    client, mfa_on, senco, taught_pupil
):
    _verified(client, senco)
    answers = [
        client.get(url).status_code
        for url in ("/", taught_pupil.get_absolute_url(), reverse("password_change"))
    ]
    assert answers == [200, 200, 200]


def test_with_mfa_off_the_password_alone_opens_every_page(client, senco):
    client.force_login(senco)
    assert client.get("/").status_code == 200


def test_the_menu_is_not_shown_before_the_second_factor(client, mfa_on, senco):
    client.force_login(senco)
    _app(senco)
    response = client.get(VERIFY)
    assert (response.status_code, response.context["nav_items"], b"SEN register" in response.content) == (
        200,
        [],
        False,
    )


# Setting up an authenticator app --------------------------------------------------------------


def test_first_sign_in_goes_to_setting_up_the_app_keeping_where_the_user_was_going(
    client, mfa_on, senco, taught_pupil
):
    pupil_url = taught_pupil.get_absolute_url()
    response = client.post(
        f"{reverse('login')}?next={pupil_url}",
        {"username": "senco", "password": DEMO_PASSWORD, "next": pupil_url},
        follow=True,
    )
    assert [url for url, _ in response.redirect_chain] == [
        pupil_url,
        f"{VERIFY}?{urlencode({'next': pupil_url})}",
        f"{SET_UP}?{urlencode({'next': pupil_url})}",
    ]
    assert response.context["next"] == pupil_url


def test_the_set_up_page_shows_the_key_as_text_and_as_a_qr_code_and_keeps_it_while_unconfirmed(
    client, mfa_on, senco
):
    client.force_login(senco)
    first, second = client.get(SET_UP), client.get(SET_UP)
    set_up = first.context["set_up"]
    assert set_up.qr_code.startswith("data:image/svg+xml;base64,")
    assert (set_up.secret, len(set_up.secret.replace(" ", ""))) == (second.context["set_up"].secret, 32)
    assert set_up.secret in first.content.decode()
    assert first["Cache-Control"] == "private, no-store"


def test_the_right_code_sets_up_the_app_gives_ten_recovery_codes_and_signs_the_user_in(client, mfa_on, senco):
    client.force_login(senco)
    client.get(SET_UP)
    key = client.session["mfa_set_up_key"]
    response = client.post(f"{SET_UP}?next=/", {"code": f"{totp(bytes.fromhex(key)):06d}", "next": "/"})
    assert (response.status_code, response["Location"]) == (302, f"{reverse('mfa_recovery_codes')}?next=%2F")
    device = TOTPDevice.objects.get(user=senco)
    assert (device.confirmed, device.key) == (True, key)
    assert StaticToken.objects.filter(device__user=senco).count() == RECOVERY_CODES
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="staff.second_factor_set_up", actor=senco).count() == 1


def test_the_recovery_codes_are_shown_once_only(client, mfa_on, senco):
    client.force_login(senco)
    client.get(SET_UP)
    key = client.session["mfa_set_up_key"]
    client.post(SET_UP, {"code": f"{totp(bytes.fromhex(key)):06d}"})
    first = client.get(reverse("mfa_recovery_codes"))
    again = client.get(reverse("mfa_recovery_codes"))
    stored = set(StaticToken.objects.filter(device__user=senco).values_list("token", flat=True))
    assert (set(first.context["codes"]), first["Cache-Control"]) == (stored, "private, no-store")
    assert (again.status_code, again["Location"]) == (302, "/")


def test_a_wrong_code_is_refused_on_its_field_keeping_what_was_typed_and_the_key(client, mfa_on, senco):
    client.force_login(senco)
    key = client.get(SET_UP).context["set_up"].secret
    right = totp(bytes.fromhex(client.session["mfa_set_up_key"]))
    wrong = f"{(right + 1) % 1_000_000:06d}"
    response = client.post(SET_UP, {"code": wrong})
    assert (response.status_code, response.context["form"]["code"].value()) == (200, wrong)
    assert response.context["form"].errors["code"] == [
        "That is not the code your app shows now. Enter the 6 digits it shows, without spaces."
    ]
    assert (response.context["set_up"].secret, TOTPDevice.objects.filter(user=senco).exists()) == (key, False)


def test_a_user_with_an_app_cannot_set_up_another_before_or_after_the_second_factor(client, mfa_on, senco):
    device = _app(senco)
    client.force_login(senco)
    page = client.get(SET_UP)
    with pytest.raises(ValidationError, match="You already have a sign-in device"):
        set_up_second_factor(key="ab" * 20, code="123456", by=senco)
    assert (page.status_code, page["Location"], list(TOTPDevice.objects.filter(user=senco))) == (
        302,
        f"{VERIFY}?next=%2F",
        [device],
    )


def test_the_code_used_to_set_up_the_app_cannot_sign_in_again(mfa_on, senco):
    key = "3132333435363738393031323334353637383930"
    code = f"{TOTP(bytes.fromhex(key)).token():06d}"
    set_up_second_factor(key=key, code=code, by=senco)
    with pytest.raises(ValidationError, match="That code is not right"):
        check_second_factor(code=code, by=senco)


# Signing in with the second factor ------------------------------------------------------------


def test_the_apps_current_code_signs_in_and_goes_where_the_user_was_going(
    client, mfa_on, senco, taught_pupil
):
    device = _app(senco)
    client.force_login(senco)
    pupil_url = taught_pupil.get_absolute_url()
    response = client.post(f"{VERIFY}?next={pupil_url}", {"code": _code(device), "next": pupil_url})
    assert (response.status_code, response["Location"]) == (302, pupil_url)
    assert client.get(pupil_url).status_code == 200


def test_a_next_address_on_another_site_is_ignored(client, mfa_on, senco):
    device = _app(senco)
    client.force_login(senco)
    response = client.post(VERIFY, {"code": _code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_wrong_code_is_refused_keeping_what_was_typed(client, mfa_on, senco):
    device = _app(senco)
    client.force_login(senco)
    wrong = f"{(totp(device.bin_key) + 500_000) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert (response.status_code, response.context["form"]["code"].value()) == (200, wrong)
    assert response.context["form"].errors["code"] == ["That code is not right. Check it and try again."]
    assert client.get("/").status_code == 302


def test_after_wrong_codes_even_the_right_one_waits(client, mfa_on, senco):
    device = _app(senco)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=5, throttling_failure_timestamp=timezone.now()
    )
    client.force_login(senco)
    response = client.post(VERIFY, {"code": _code(device)})
    assert (
        response.context["form"]
        .errors["code"][0]
        .startswith("Too many wrong codes in a row: try again after")
    )
    assert client.get("/").status_code == 302


def test_a_recovery_code_signs_in_once_only(client, mfa_on, senco):
    _app(senco)
    client.force_login(senco)
    # Typed as people copy codes from paper: capitals and a space.
    first = client.post(VERIFY, {"code": "RECOV ERY1"}, follow=True)
    assert (first.status_code, [str(m) for m in first.context["messages"]]) == (
        200,
        [
            "Recovery code used: 1 left. If you have lost your phone, ask your school administrator or "
            "headteacher to reset your sign-in device."
        ],
    )
    client.post(reverse("logout"))
    client.force_login(senco)
    again = client.post(VERIFY, {"code": "recovery1"})
    assert again.context["form"].errors["code"] == ["That code is not right. Check it and try again."]
    assert list(StaticToken.objects.filter(device__user=senco).values_list("token", flat=True)) == [
        "recovery2"
    ]
    assert AuditEvent.objects.filter(action="staff.recovery_code_used", actor=senco).count() == 1


def test_a_user_who_must_use_it_but_has_no_app_is_sent_to_set_one_up(client, mfa_on, senco):
    client.force_login(senco)
    response = client.get(f"{VERIFY}?next=/pupils/")
    assert response["Location"] == f"{SET_UP}?next=%2Fpupils%2F"


def test_a_user_who_owes_nothing_is_sent_on_from_the_second_factor_pages(client, mfa_on, governor):
    client.force_login(governor)
    answers = [client.get(url)["Location"] for url in (VERIFY, SET_UP, reverse("mfa_recovery_codes"))]
    assert (answers, TOTPDevice.objects.exists()) == (["/", "/", "/"], False)


# Resetting a lost device ----------------------------------------------------------------------


@pytest.mark.parametrize("resetter", ["head", "school_admin"])
def test_the_head_or_administrator_resets_a_colleagues_device_and_it_is_audited(
    client, request, teacher, resetter
):
    by = request.getfixturevalue(resetter)
    _app(teacher)
    client.force_login(by)
    page = client.get(reverse("senco:mfa_reset", args=[teacher.pk]))
    response = client.post(reverse("senco:mfa_reset", args=[teacher.pk]))
    assert (page.status_code, response.status_code, response["Location"]) == (
        200,
        302,
        reverse("senco:staff_member", args=[teacher.pk]),
    )
    assert (
        TOTPDevice.objects.filter(user=teacher).exists(),
        StaticDevice.objects.filter(user=teacher).exists(),
    ) == (
        False,
        False,
    )
    event = AuditEvent.objects.get(action="staff.second_factor_reset")
    assert (event.actor, event.object_id, event.school) == (by, str(teacher.pk), by.school)


@pytest.mark.parametrize("role", [Role.SENCO, Role.TEACHER, Role.GOVERNOR])
def test_other_roles_get_403_from_the_reset_pages(client, school, teacher, role):
    _app(teacher)
    client.force_login(staff_member(role=role, school=school))
    answers = [
        client.get(reverse("senco:mfa_reset", args=[teacher.pk])).status_code,
        client.post(reverse("senco:mfa_reset", args=[teacher.pk])).status_code,
    ]
    assert (answers, TOTPDevice.objects.filter(user=teacher).exists()) == ([403, 403], True)


def test_another_schools_staff_are_not_found_and_not_listed(client, head, other_school_senco):
    _app(other_school_senco)
    client.force_login(head)
    listed = [row.user for row in client.get(reverse("senco:staff")).context["staff"]]
    answer = client.post(reverse("senco:mfa_reset", args=[other_school_senco.pk])).status_code
    assert (
        other_school_senco in listed,
        answer,
        TOTPDevice.objects.filter(user=other_school_senco).exists(),
    ) == (
        False,
        404,
        True,
    )


def test_nobody_resets_their_own_device(client, head):
    _app(head)
    client.force_login(head)
    page = client.get(reverse("senco:mfa_reset", args=[head.pk]))
    response = client.post(reverse("senco:mfa_reset", args=[head.pk]), follow=True)
    assert (page.context["is_you"], b"Reset sign-in device</button>" in page.content) == (True, False)
    assert [str(m) for m in response.context["messages"]] == [
        "You cannot reset your own sign-in device: ask a colleague who can."
    ]
    assert TOTPDevice.objects.filter(user=head).exists() is True


def test_a_reset_asks_a_signed_in_user_to_set_up_a_new_app_at_once(client, mfa_on, teacher, head):
    _verified(client, teacher)
    assert client.get("/").status_code == 200
    reset_mfa_device(user=teacher, by=head)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == f"{SET_UP}?next=%2F"


def test_resetting_a_user_without_a_device_is_refused(teacher, head):
    with pytest.raises(ValidationError, match="has no sign-in device to reset"):
        reset_mfa_device(user=teacher, by=head)


def test_the_staff_list_says_who_has_set_up_who_has_not_and_who_need_not(
    head, teacher, ta, governor, school_admin
):
    _app(teacher)
    _app(head)
    rows = {
        row.user.username: (
            row.roles,
            row.has_device,
            row.must_use,
            staff_member_page(head, row.user).can_reset_device,
        )
        for row in staff_list(head)
    }
    assert rows == {
        "admin": (["School administrator"], False, True, False),
        "governor": (["Governor"], False, False, False),
        "head": (["Headteacher"], True, True, False),  # their own
        "ta": (["Teaching assistant"], False, True, False),
        "teacher": (["Class teacher"], True, True, True),
    }


def test_the_staff_list_agrees_with_who_must_use_a_second_factor(head, teacher, governor, other_school):
    MembershipFactory(user=governor, school=other_school, role=Role.TA)
    rows = {row.user: row.must_use for row in staff_list(head)}
    assert rows == {user: must_use_second_factor(user) for user in rows}


@pytest.mark.parametrize("n", [1, 3])
def test_the_staff_list_queries_stay_flat(client, head, school, n, django_assert_max_num_queries):
    for _ in range(n):
        _app(staff_member(role=Role.TEACHER, school=school))
    client.force_login(head)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("senco:staff"))
    assert len(response.context["staff"]) == n + 1


def test_support_resets_a_device_from_the_command_line_audited_without_an_actor(teacher):
    _app(teacher)
    call_command("reset_mfa_device", "teacher")
    event = AuditEvent.objects.get(action="staff.second_factor_reset")
    assert (TOTPDevice.objects.filter(user=teacher).exists(), event.actor, event.school) == (
        False,
        None,
        teacher.school,
    )


def test_the_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user is called 'nobody'"):
        call_command("reset_mfa_device", "nobody")
