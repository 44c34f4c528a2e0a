"""The health check answers the container's own probe; client addresses are checked before use."""

import re

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.urls import reverse

from senco.middleware import _client_ip
from senco.models import AuditEvent

# As in production: no DEBUG, HTTPS redirect on, and a real domain as the only allowed host.
PRODUCTION_LIKE = override_settings(DEBUG=False, SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["example.org"])


def _compose_health_check_url() -> tuple[str, str]:
    """The host and path that docker-compose's web health check opens."""
    compose = (settings.BASE_DIR / "docker-compose.yml").read_text()
    host, path = re.search(r"urlopen\('http://([^/']+)(/[^']*)'\)", compose).groups()
    return host, path


@PRODUCTION_LIKE
def test_the_compose_health_check_gets_ok_under_production_settings(client, db):
    host, path = _compose_health_check_url()
    response = client.get(path, HTTP_HOST=host)
    assert (response.status_code, response.content, response["Cache-Control"]) == (
        200,
        b"ok",
        "max-age=0, no-cache, no-store, must-revalidate, private",
    )


@PRODUCTION_LIKE
def test_other_paths_keep_the_host_check_and_the_https_redirect(client, db):
    host, _ = _compose_health_check_url()
    wrong_host = client.get(reverse("login"), HTTP_HOST=host)
    plain_http = client.get(reverse("login"), HTTP_HOST="example.org")
    assert (wrong_host.status_code, plain_http.status_code, plain_http["Location"]) == (
        400,
        301,
        "https://example.org/accounts/login/",
    )


def _ip(forwarded: str, proxies: int = 1) -> str | None:
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.9")
    with override_settings(AXES_IPWARE_PROXY_COUNT=proxies):
        return _client_ip(request)


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("198.51.100.1, 203.0.113.7", "203.0.113.7"),
        ("203.0.113.7:51234", "203.0.113.7"),
        ("2001:db8::7", "2001:db8::7"),
        ("[2001:db8::7]:51234", "2001:db8::7"),
        ("not-an-ip", "10.0.0.9"),
        ("203.0.113.7:port", "10.0.0.9"),
        ("[2001:db8::7", "10.0.0.9"),
        ("999.1.1.1", "10.0.0.9"),
        ("unknown", "10.0.0.9"),
    ],
)
def test_the_forwarded_client_address_is_used_only_when_it_is_an_ip_address(forwarded, expected):
    assert _ip(forwarded) == expected


def test_the_forwarded_address_is_ignored_without_trusted_proxies():
    assert _ip("203.0.113.7", proxies=0) == "10.0.0.9"


@override_settings(AXES_IPWARE_PROXY_COUNT=1)
def test_a_malformed_forwarded_address_is_recorded_as_the_peer_address(client, senco, taught_pupil):
    # On PostgreSQL the junk once reached the inet column and the page answered 500.
    client.force_login(senco)
    response = client.get(reverse("pupils:detail", args=[taught_pupil.pk]), HTTP_X_FORWARDED_FOR="not-an-ip")
    event = AuditEvent.objects.get(action="pupil.viewed")
    assert (response.status_code, event.ip_address) == (200, "127.0.0.1")
