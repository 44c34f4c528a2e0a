"""Multi-factor sign-in in the browser: the SENCO's first sign-in sets up an authenticator app
(the test plays the app, computing codes from the key the page shows), keeps the recovery codes
and reaches home; the next sign-in asks for a fresh code. Then the head resets the teacher's lost
device from Staff and roles. axe on every page."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from senco.factories import DEMO_PASSWORD
from senco.models import User
from senco.services.sign_in import RECOVERY_CODES

pytestmark = pytest.mark.e2e

STEP = 30  # seconds each code lasts (RFC 6238's default, as django-otp and every app use)


def sign_in_with_password(page, live_server, username: str):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def app_code(key: bytes, step: int) -> str:
    """What an authenticator app holding `key` shows during time step `step`."""
    return f"{hotp(key, step):06d}"


def test_first_sign_in_sets_up_the_app_and_the_next_asks_for_a_fresh_code(
    page, live_server, assert_accessible, demo_trust, settings
):
    settings.MFA_REQUIRED = True
    sign_in_with_password(page, live_server, "senco")
    page.wait_for_url("**/accounts/second-factor/set-up/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Set up your sign-in app"
    assert page.get_by_role("img", name="QR code").is_visible()
    assert_accessible(page)

    # A wrong code is refused with the error summary, the key unchanged.
    key = b32decode(page.locator("#authenticator-key").inner_text().replace(" ", ""))
    now = int(time.time()) // STEP
    valid = {app_code(key, step) for step in (now - 1, now, now + 1, now + 2)}
    wrong = next(code for code in ("000000", "111111", "222222", "333333", "444444") if code not in valid)
    page.get_by_label("The 6-digit code your app shows").fill(wrong)
    page.get_by_role("button", name="Confirm").click()
    assert page.get_by_role("alert").filter(has_text="There is a problem").is_visible()
    assert_accessible(page)

    set_up_step = int(time.time()) // STEP
    page.get_by_label("The 6-digit code your app shows").fill(app_code(key, set_up_step))
    page.get_by_role("button", name="Confirm").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your recovery codes"
    assert page.locator("#recovery-codes li").count() == RECOVERY_CODES
    assert_accessible(page)

    page.get_by_role("link", name="I have kept my codes: continue").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Oakfield Primary School"
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in_with_password(page, live_server, "senco")
    page.wait_for_url("**/accounts/second-factor/?next=**")
    assert page.get_by_role("heading", level=1).inner_text() == "Enter your sign-in code"
    assert_accessible(page)

    # A fresh code: the one used to set up cannot be used again, so if the clock is still in the
    # same step, the app's next code (accepted one step early, for a phone's clock).
    fresh_step = max(int(time.time()) // STEP, set_up_step + 1)
    page.get_by_label("Code").fill(app_code(key, fresh_step))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Oakfield Primary School"
    assert_accessible(page)


def test_the_head_resets_a_teachers_lost_device_from_staff_and_roles(
    page, login, assert_accessible, demo_trust
):
    teacher = User.objects.get(username="teacher")
    TOTPDevice.objects.create(user=teacher, name="Authenticator app", confirmed=True)
    login(page, "head")
    page.get_by_role("link", name="Staff and roles").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Staff and roles"
    assert_accessible(page)
    page.get_by_role("link", name=str(teacher)).click()
    assert page.get_by_text(f"{teacher} has set up an authenticator app.").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Reset sign-in device of {teacher}").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Reset {teacher}'s sign-in device"
    assert_accessible(page)
    page.get_by_role("button", name="Reset sign-in device").click()
    assert page.get_by_text(f"{teacher}'s sign-in device is reset").is_visible()
    assert_accessible(page)
    assert TOTPDevice.objects.filter(user=teacher).exists() is False
