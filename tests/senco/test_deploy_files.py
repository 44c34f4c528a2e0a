"""docker-compose.yml and gunicorn.conf.py stay valid, complete and trust only their own proxy."""

import ipaddress
import os
import re
import runpy
import shutil
import subprocess

import pytest
from django.conf import settings


def _compose_command() -> list[str] | None:
    if (
        shutil.which("docker")
        and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    ):
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


@pytest.mark.skipif(_compose_command() is None, reason="no Docker Compose on this machine")
def test_docker_compose_file_is_valid_and_demands_a_secret_key():
    compose = _compose_command()
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    valid = subprocess.run([*compose, "config", "-q"], cwd=settings.BASE_DIR, env={**env, "SECRET_KEY": "x"})
    without_key = subprocess.run(
        [*compose, "config", "-q"], cwd=settings.BASE_DIR, env=env, capture_output=True
    )
    assert (valid.returncode, without_key.returncode) == (0, 1)


def variables_the_app_reads() -> set[str]:
    """Every environment variable read by the settings and the gunicorn configuration."""
    sources = (settings.BASE_DIR / "senco" / "settings.py", settings.BASE_DIR / "gunicorn.conf.py")
    pattern = re.compile(r"""(?:env_(?:str|bool|int|list)\(|os\.environ\.get\()\s*["'](\w+)["']""")
    return {name for source in sources for name in pattern.findall(source.read_text())}


# Read by the app but deliberately not passed to the containers by docker-compose.yml.
NOT_FOR_COMPOSE = {
    "SQLITE_PATH",  # compose always runs PostgreSQL
    "PORT",  # gunicorn listens on 8000 inside the container; the host port is in `ports:`
    "GUNICORN_BIND",
    "MFA_REQUIRED",  # compose runs with DEBUG off, where the second factor cannot be turned off
}


# Read by docker-compose.yml alone: the passwords of the tables' owner and of the app's role.
COMPOSE_ONLY = {"POSTGRES_PASSWORD", "APP_DB_PASSWORD"}


def test_docker_compose_passes_every_setting_on_to_the_containers():
    compose = (settings.BASE_DIR / "docker-compose.yml").read_text()
    app_block = compose.split("\nservices:")[0]
    passed = set(re.findall(r"^    (\w+):", app_block, flags=re.MULTILINE))
    assert sorted(variables_the_app_reads() - NOT_FOR_COMPOSE - passed) == []


def test_env_example_lists_every_variable():
    example = (settings.BASE_DIR / ".env.example").read_text()
    listed = set(re.findall(r"^(?:# )?(\w+)=", example, flags=re.MULTILINE))
    assert sorted((variables_the_app_reads() | COMPOSE_ONLY) - listed) == []


def test_env_example_lists_every_variable_docker_compose_reads():
    compose = (settings.BASE_DIR / "docker-compose.yml").read_text()
    example = (settings.BASE_DIR / ".env.example").read_text()
    listed = set(re.findall(r"^(?:# )?(\w+)=", example, flags=re.MULTILINE))
    assert sorted(set(re.findall(r"\$\{(\w+)", compose)) - listed) == []


def _compose_default(name: str, compose: str) -> str:
    """The default docker-compose gives `${name:-…}`, wherever it first appears."""
    return re.search(rf"\$\{{{name}:-([^}}]+)\}}", compose).group(1)


def test_docker_compose_trusts_forwarded_headers_only_from_its_own_network_gateway():
    # The host's TLS proxy reaches web through the published port, which Docker connects from
    # the network's gateway; the other containers have addresses of their own.
    compose = (settings.BASE_DIR / "docker-compose.yml").read_text()
    trusted = re.search(r"^    FORWARDED_ALLOW_IPS: (.+)$", compose, flags=re.MULTILINE).group(1)
    gateway = re.search(r"^          gateway: (.+)$", compose, flags=re.MULTILINE).group(1)
    subnet = ipaddress.ip_network(_compose_default("COMPOSE_SUBNET", compose))
    assert (trusted, ipaddress.ip_address(_compose_default("COMPOSE_GATEWAY", compose)) in subnet) == (
        gateway,
        True,
    )


def _gunicorn_trusts(monkeypatch, value: str | None) -> str:
    if value is None:
        monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    else:
        monkeypatch.setenv("FORWARDED_ALLOW_IPS", value)
    return runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))["forwarded_allow_ips"]


def test_gunicorn_trusts_forwarded_headers_from_the_loopback_by_default(monkeypatch):
    assert _gunicorn_trusts(monkeypatch, None) == "127.0.0.1"


def test_gunicorn_takes_a_list_of_proxy_addresses(monkeypatch):
    assert _gunicorn_trusts(monkeypatch, "172.30.80.1, ::1") == "172.30.80.1, ::1"


@pytest.mark.parametrize("value", ["*", "10.0.0.0/8", "proxy.example", "127.0.0.1,*"])
def test_gunicorn_refuses_to_trust_anything_but_proxy_addresses(monkeypatch, value):
    bad = value.split(",")[-1]
    with pytest.raises(SystemExit, match=re.escape(f"must list the TLS proxy's IP addresses, not {bad!r}")):
        _gunicorn_trusts(monkeypatch, value)


def test_only_the_migrate_service_holds_the_owners_password():
    compose = (settings.BASE_DIR / "docker-compose.yml").read_text()
    services = compose.split("\nservices:")[1]
    migrate, others = services.split("\n  web:")
    app_block = compose.split("\nservices:")[0]
    assert (
        "postgres://senco_app:${APP_DB_PASSWORD" in app_block,
        "postgres://senco:${POSTGRES_PASSWORD" in app_block + others,
        "DATABASE_URL: postgres://senco:${POSTGRES_PASSWORD" in migrate,
        "grant_app_role senco_app" in migrate,
    ) == (True, False, True, True)
