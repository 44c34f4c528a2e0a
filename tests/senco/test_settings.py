import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from senco.settings import email_settings, env_bool, env_int, env_list


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


def _settings_process(**env):
    clean = {
        key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DEBUG", "DATABASE_URL")
    }
    return subprocess.run(
        [sys.executable, "-c", "import senco.settings"], env={**clean, **env}, capture_output=True, text=True
    )


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


def test_deploy_check_passes_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            **{
                key: value
                for key, value in os.environ.items()
                # A production environment: none of the test run's own Django settings.
                if not key.startswith(("DJANGO_", "SECURE_"))
            },
            "DJANGO_SETTINGS_MODULE": "senco.settings",
            "DEBUG": "0",
            "SECRET_KEY": "x7!kq2@Lm9#pR4$vT8^wZ1&yB6*nC3(dF5)gH0-jK2+sM4=uP7",
            "ALLOWED_HOSTS": "senco.example-trust.org.uk",
            "DATABASE_URL": "postgres://senco:secret@127.0.0.1:5432/senco",
        },
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stderr) == (0, "")
