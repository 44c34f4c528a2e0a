"""Sign-in, lockout, password rules and sessions."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from senco.factories import DEMO_PASSWORD


def test_staff_sign_in_with_their_password_and_land_on_home(client, senco):
    response = client.post(reverse("login"), {"username": "senco", "password": DEMO_PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/")


def test_a_wrong_password_shows_an_error_and_keeps_the_username(client, senco):
    response = client.post(reverse("login"), {"username": "senco", "password": "wrong-password-here"})
    assert (response.status_code, response.context["form"]["username"].value()) == (200, "senco")
    assert list(response.context["form"].non_field_errors()) == [
        "Please enter a correct username and password. Note that both fields may be case-sensitive."
    ]


def test_ten_failed_sign_ins_lock_the_account_even_with_the_right_password(client, senco):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "senco", "password": "wrong-password-here"})
    response = client.post(reverse("login"), {"username": "senco", "password": DEMO_PASSWORD})
    assert (response.status_code, "Too many failed sign-in attempts" in response.content.decode()) == (
        429,
        True,
    )


def test_passwords_need_at_least_twelve_characters():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Short1pass!")


def test_sessions_end_after_thirty_idle_minutes():
    assert (settings.SESSION_COOKIE_AGE, settings.SESSION_SAVE_EVERY_REQUEST) == (1800, True)
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_password_reset_sends_a_link_by_email(client, senco):
    response = client.post(reverse("password_reset"), {"email": senco.email})
    assert (response.status_code, len(mail.outbox)) == (302, 1)
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_signing_out_needs_a_post_and_ends_the_session(client, senco):
    client.force_login(senco)
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_password_change_works_for_any_role(client, governor):
    client.force_login(governor)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": "a-much-longer-passphrase",
            "new_password2": "a-much-longer-passphrase",
        },
    )
    governor.refresh_from_db()
    assert (response.status_code, governor.check_password("a-much-longer-passphrase")) == (302, True)
