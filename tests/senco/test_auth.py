"""Sign-in, lockout, password rules and sessions."""

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.handlers.base import BaseHandler
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from senco.factories import DEMO_PASSWORD
from senco.middleware import SESSION_REFRESHED_AT
from senco.services.sign_in import PASSWORD_RESETS_PER_ADDRESS, PASSWORD_RESETS_PER_CLIENT


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


def _session_row(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def _age_session(client, seconds: int) -> None:
    """As if `seconds` had passed since the session was last saved: its expiry and the time it
    was last pushed on both move back."""
    row = _session_row(client)
    data = row.get_decoded()
    data[SESSION_REFRESHED_AT] -= seconds
    Session.objects.filter(pk=row.pk).update(
        session_data=Session.objects.encode(data), expire_date=row.expire_date - timedelta(seconds=seconds)
    )


def _session_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_sessions_are_kept_in_the_database_for_thirty_idle_minutes():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.SESSION_COOKIE_AGE == 1800


def test_a_session_idle_for_thirty_minutes_is_signed_out(client, senco):
    client.force_login(senco)
    assert client.get(reverse("home")).status_code == 200
    _age_session(client, 30 * 60)
    response = client.get(reverse("home"))
    assert (response.status_code, response["Location"]) == (302, f"{reverse('login')}?next=/")


def test_a_request_a_minute_after_the_last_push_pushes_the_expiry_thirty_minutes_on(client, senco):
    client.force_login(senco)
    client.get(reverse("home"))
    _age_session(client, 29 * 60)
    client.get(reverse("home"))
    left = _session_row(client).expire_date - timezone.now()
    assert timedelta(minutes=29, seconds=50) < left <= timedelta(minutes=30)
    # Pushed on, the session outlives what was left before the request.
    _age_session(client, 60)
    assert client.get(reverse("home")).status_code == 200


def test_a_request_within_a_minute_of_the_last_push_does_not_write_the_session(client, senco):
    client.force_login(senco)
    client.get(reverse("home"))
    expiry = _session_row(client).expire_date
    _age_session(client, 45)  # not 59: the test itself takes a moment
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    # The expiry it keeps is within a minute of the request: the session still ends no later
    # than thirty idle minutes after it.
    assert (_session_writes(queries.captured_queries), _session_row(client).expire_date) == (
        [],
        expiry - timedelta(seconds=45),
    )


def test_a_request_a_minute_after_the_last_push_writes_the_session_once(client, senco):
    client.force_login(senco)
    client.get(reverse("home"))
    _age_session(client, 60)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    assert len(_session_writes(queries.captured_queries)) == 1


def test_a_session_pushed_on_at_a_time_ahead_of_the_clock_is_pushed_on_again(client, senco):
    client.force_login(senco)
    _age_session(client, -3600)  # as if the server's clock had been put back an hour
    client.get(reverse("home"))
    assert _session_row(client).expire_date - timezone.now() <= timedelta(minutes=30)


def test_signing_in_counts_as_pushing_the_session_on(client, senco):
    # force_login signs in outside the middleware, as any caller of login() but the sign-in page.
    client.force_login(senco)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    assert _session_writes(queries.captured_queries) == []


def test_a_visitor_who_is_not_signed_in_gets_no_session_row(client, db):
    client.get(reverse("login"))
    assert Session.objects.count() == 0


def test_password_reset_sends_a_link_by_email(client, senco, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": senco.email})
    assert (response.status_code, [message.to for message in mail.outbox]) == (302, [[senco.email]])
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


# Password reset (issue 12): it tells nobody which addresses have accounts, is rate-limited, and
# its links last an hour.


def _ask_for_reset(client, email: str, capture, **extra):
    """POST the reset form; returns the answer, the SQL the request ran and the tasks it queued
    (on commit, so not yet run)."""
    with CaptureQueriesContext(connection) as queries, capture() as queued:
        response = client.post(reverse("password_reset"), {"email": email}, follow=True, **extra)
    return response, [query["sql"] for query in queries.captured_queries], queued


def test_known_and_unknown_addresses_get_the_same_page_from_the_same_work(
    client, senco, django_capture_on_commit_callbacks
):
    known, known_sql, known_queued = _ask_for_reset(client, senco.email, django_capture_on_commit_callbacks)
    unknown, unknown_sql, unknown_queued = _ask_for_reset(
        client, "nobody@example.org", django_capture_on_commit_callbacks
    )
    assert (known.redirect_chain, [t.name for t in known.templates], known.content) == (
        unknown.redirect_chain,
        [t.name for t in unknown.templates],
        unknown.content,
    )
    # The request never looks the address up, and has sent nothing by the time it answers.
    assert (known_sql, [sql for sql in known_sql if "senco_user" in sql]) == (unknown_sql, [])
    assert (len(known_queued), len(unknown_queued), mail.outbox) == (1, 1, [])


def test_the_task_the_request_queued_finds_the_account_and_sends_the_link(
    client, senco, django_capture_on_commit_callbacks
):
    _, _, known = _ask_for_reset(client, senco.email.upper(), django_capture_on_commit_callbacks)
    _, _, unknown = _ask_for_reset(client, "nobody@example.org", django_capture_on_commit_callbacks)
    for task in known + unknown:
        task()
    assert [message.to for message in mail.outbox] == [[senco.email]]


def test_an_account_that_cannot_sign_in_is_sent_nothing(client, senco, django_capture_on_commit_callbacks):
    senco.is_active = False
    senco.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": senco.email})
    assert (response["Location"], mail.outbox) == (reverse("password_reset_done"), [])


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_link_is_sent_only_after_the_page_has_gone(senco):
    # Committed data and a real handler: the WSGI server closes the response after sending it.
    request = RequestFactory().post(reverse("password_reset"), {"email": senco.email})
    request._dont_enforce_csrf_checks = True
    handler = BaseHandler()
    handler.load_middleware()
    response = handler.get_response(request)
    sent_with_the_page = len(mail.outbox)
    response.close()
    assert (response.status_code, sent_with_the_page, len(mail.outbox)) == (302, 0, 1)


def test_a_badly_formed_address_is_shown_again_with_the_error(client):
    response = client.post(reverse("password_reset"), {"email": "not an address"})
    assert (response.status_code, response.context["form"]["email"].value()) == (200, "not an address")
    assert response.context["form"].errors == {"email": ["Enter a valid email address."]}


def test_an_address_gets_five_links_an_hour_and_the_same_page_after(
    client, senco, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answers = {
            client.post(reverse("password_reset"), {"email": senco.email})["Location"] for _ in range(6)
        }
    assert (answers, len(mail.outbox)) == ({reverse("password_reset_done")}, PASSWORD_RESETS_PER_ADDRESS)


def test_an_address_without_an_account_is_limited_the_same_way(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        answers = {
            client.post(reverse("password_reset"), {"email": "nobody@example.org"})["Location"]
            for _ in range(6)
        }
    assert (answers, len(queued)) == ({reverse("password_reset_done")}, PASSWORD_RESETS_PER_ADDRESS)


def test_a_network_asking_too_often_is_told_to_wait_and_others_are_not(client, senco):
    def ask(number: int, network: str):
        return client.post(
            reverse("password_reset"), {"email": f"staff{number}@example.org"}, REMOTE_ADDR=network
        )

    for number in range(PASSWORD_RESETS_PER_CLIENT):
        assert ask(number, "203.0.113.7").status_code == 302
    refused = ask(99, "203.0.113.7")
    assert (refused.status_code, refused.context["form"]["email"].value()) == (429, "staff99@example.org")
    assert "Too many password resets have been asked for from your network" in refused.content.decode()
    assert ask(99, "198.51.100.4").status_code == 302


@pytest.mark.parametrize(("minutes", "works"), [(59, True), (61, False)])
def test_a_reset_link_works_for_one_hour(client, senco, monkeypatch, minutes, works):
    made = datetime(2026, 3, 9, 8, 0)
    monkeypatch.setattr(default_token_generator, "_now", lambda: made)
    token = default_token_generator.make_token(senco)
    monkeypatch.setattr(default_token_generator, "_now", lambda: made + timedelta(minutes=minutes))
    uid = urlsafe_base64_encode(force_bytes(senco.pk))
    response = client.get(reverse("password_reset_confirm", args=[uid, token]))
    # A working link moves on to the page that sets the password; a dead one offers a new link.
    assert (response.status_code == 302, "Ask for a new link" in response.content.decode()) == (
        works,
        not works,
    )
