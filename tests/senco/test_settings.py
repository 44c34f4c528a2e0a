import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from senco.settings import cache_settings, email_settings, env_bool, env_int, env_list


def test_env_bool_refuses_junk(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG must be true or false"):
        env_bool("SOME_FLAG", False)


def test_env_int_refuses_junk(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("SOME_NUMBER", 1)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", "a.example, b.example")
    assert env_list("SOME_HOSTS", []) == ["a.example", "b.example"]


def test_env_list_refuses_an_empty_value_that_would_replace_a_default(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", " , ")
    with pytest.raises(ImproperlyConfigured, match="SOME_HOSTS is set but lists nothing"):
        env_list("SOME_HOSTS", ["localhost"])


def test_env_list_takes_an_empty_value_as_none_where_none_is_the_default(monkeypatch):
    monkeypatch.setenv("SOME_ORIGINS", "")
    assert env_list("SOME_ORIGINS", []) == []


def test_email_url_smtp_becomes_starttls_settings():
    assert email_settings("smtp://user:p%40ss@mail.example:587") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "user",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
    }


def test_email_url_with_an_unknown_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL scheme"):
        email_settings("pigeon://loft")


def _settings_process(code: str = "import senco.settings", **env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SECRET_KEY", "DEBUG", "DATABASE_URL", "PROXY_COUNT", "SESSION_IDLE_MINUTES")
    }
    return subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True)


def _setting(name: str, **env) -> str:
    """`repr()` of one setting as senco.settings computes it from `env`."""
    result = _settings_process(f"import senco.settings as s; print(repr(s.{name}))", DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_secret_key_is_required_when_debug_is_off():
    result = _settings_process(DEBUG="0")
    assert (result.returncode, "SECRET_KEY is required" in result.stderr) == (1, True)


@pytest.mark.parametrize("limit", ["11", "0"])
def test_a_lockout_limit_outside_one_to_ten_is_refused(limit):
    result = _settings_process(DEBUG="1", AXES_FAILURE_LIMIT=limit)
    expected = (
        f"AXES_FAILURE_LIMIT must be between 1 and 10 (sign-in locks after at most 10 tries), not {limit}"
    )
    assert (result.returncode, expected in result.stderr) == (1, True)


def test_a_lockout_limit_of_ten_is_accepted():
    assert _settings_process(DEBUG="1", AXES_FAILURE_LIMIT="10").returncode == 0


@pytest.mark.parametrize("years", ["17", "26"])
def test_a_pupil_record_period_under_18_or_over_25_years_is_refused(years):
    # 25 is the shortest SEN period a school may choose: an SEN file is kept at least as long as
    # the rest of the record.
    result = _settings_process(DEBUG="1", PUPIL_RECORD_RETENTION_YEARS=years)
    expected = (
        "PUPIL_RECORD_RETENTION_YEARS must be between 18 and 25 (IRMS advises 25; an SEN file is kept "
        f"at least as long as the rest of the record), not {years}"
    )
    assert (result.returncode, expected in result.stderr) == (1, True)


@pytest.mark.parametrize("years", ["18", "25"])
def test_a_pupil_record_period_from_18_to_25_years_is_accepted(years):
    assert _settings_process(DEBUG="1", PUPIL_RECORD_RETENTION_YEARS=years).returncode == 0


@pytest.mark.parametrize("minutes", ["4", "481"])
def test_an_idle_time_outside_five_minutes_to_eight_hours_is_refused(minutes):
    result = _settings_process(DEBUG="1", SESSION_IDLE_MINUTES=minutes)
    expected = (
        "SESSION_IDLE_MINUTES must be between 5 and 480 (5 minutes to a school day of 8 hours), "
        f"not {minutes}"
    )
    assert (result.returncode, expected in result.stderr) == (1, True)


@pytest.mark.parametrize(("minutes", "seconds"), [("5", "300"), ("480", "28800")])
def test_an_idle_time_at_either_end_of_the_range_is_accepted(minutes, seconds):
    assert _setting("SESSION_COOKIE_AGE", SESSION_IDLE_MINUTES=minutes) == seconds


@pytest.mark.parametrize("count", ["-1", "6"])
def test_a_proxy_count_outside_zero_to_five_is_refused(count):
    result = _settings_process(DEBUG="1", PROXY_COUNT=count)
    expected = f"PROXY_COUNT must be between 0 and 5 (the reverse proxies in front of gunicorn), not {count}"
    assert (result.returncode, expected in result.stderr) == (1, True)


def test_without_a_proxy_nobody_is_believed_about_https():
    assert (_setting("SECURE_PROXY_SSL_HEADER"), _setting("AXES_IPWARE_PROXY_COUNT")) == ("None", "0")


def test_behind_a_proxy_its_https_header_is_believed():
    assert (
        _setting("SECURE_PROXY_SSL_HEADER", PROXY_COUNT="1"),
        _setting("AXES_IPWARE_PROXY_COUNT", PROXY_COUNT="1"),
    ) == ("('HTTP_X_FORWARDED_PROTO', 'https')", "1")


def test_reset_links_last_one_hour():
    assert _setting("PASSWORD_RESET_TIMEOUT") == "3600"


def test_cache_url_points_the_cache_at_redis():
    assert cache_settings("redis://redis:6379/1") == {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://redis:6379/1",
        }
    }


def test_without_cache_url_each_process_counts_in_its_own_memory():
    assert cache_settings(None) == {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_a_cache_url_that_is_not_redis_is_refused():
    result = _settings_process(DEBUG="1", CACHE_URL="memcached://cache:11211")
    expected = "CACHE_URL must be redis://host:6379/1 or rediss://…, not 'memcached'"
    assert (result.returncode, expected in result.stderr) == (1, True)


@pytest.mark.parametrize(
    "deployment",
    [{}, {"PROXY_COUNT": "1", "CACHE_URL": "redis://127.0.0.1:6379/1"}],
    ids=["alone", "behind a proxy, with redis"],
)
def test_deploy_check_passes_with_production_settings(deployment):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            **{
                key: value
                for key, value in os.environ.items()
                # A production environment: none of the test run's own Django settings.
                if not key.startswith(("DJANGO_", "SECURE_", "PROXY_", "CACHE_"))
            },
            "DJANGO_SETTINGS_MODULE": "senco.settings",
            "DEBUG": "0",
            "SECRET_KEY": "x7!kq2@Lm9#pR4$vT8^wZ1&yB6*nC3(dF5)gH0-jK2+sM4=uP7",
            "ALLOWED_HOSTS": "senco.example-trust.org.uk",
            "DATABASE_URL": "postgres://senco:secret@127.0.0.1:5432/senco",
            **deployment,
        },
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stderr) == (0, "")


def test_mfa_is_required_unless_the_environment_turns_it_off():
    env = {
        **{key: value for key, value in os.environ.items() if key not in ("DEBUG", "MFA_REQUIRED")},
        "SECRET_KEY": "x",
    }
    code = "import senco.settings as s; print(s.MFA_REQUIRED)"
    answers = [
        subprocess.run(
            [sys.executable, "-c", code], env={**env, **extra}, capture_output=True, text=True
        ).stdout
        for extra in ({}, {"DEBUG": "1", "MFA_REQUIRED": "0"})
    ]
    assert answers == ["True\n", "False\n"]


def test_mfa_cannot_be_turned_off_with_debug_off():
    result = _settings_process(DEBUG="0", SECRET_KEY="x", MFA_REQUIRED="0")
    assert (result.returncode, "MFA_REQUIRED can be turned off only with DEBUG on" in result.stderr) == (
        1,
        True,
    )


def test_an_mfa_setting_that_is_not_yes_or_no_is_refused():
    result = _settings_process(DEBUG="1", MFA_REQUIRED="sometimes")
    assert (result.returncode, "MFA_REQUIRED must be true or false" in result.stderr) == (1, True)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("DB_CONN_MAX_AGE", "3601", "between 0 and 3600 (0 opens a connection per request; at most an hour)"),
        ("BROKER_TIMEOUT_MS", "900", "between 100 and 800 (two tries must leave a page that queues"),
    ],
)
def test_a_database_or_broker_wait_out_of_bounds_is_refused(name, value, expected):
    result = _settings_process(DEBUG="1", **{name: value})
    assert (result.returncode, f"{name} must be {expected}" in result.stderr) == (1, True)


def test_by_default_a_database_connection_is_kept_a_minute_and_checked_and_the_broker_given_half_a_second():
    code = (
        "import senco.settings as s; d = s.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], s.CELERY_BROKER_TRANSPORT_OPTIONS)"
    )
    result = _settings_process(code, DEBUG="1", DATABASE_URL="postgres://senco@127.0.0.1:5432/senco")
    assert result.stdout.strip() == "60 True {'socket_connect_timeout': 0.5, 'socket_timeout': 0.5}"
