"""The health check answers the container's own probe."""

import re

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

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
