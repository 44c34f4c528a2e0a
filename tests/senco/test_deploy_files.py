"""docker-compose.yml stays valid: checked with whichever Compose this machine has."""

import os
import re
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
    "MEDIA_ROOT",  # no uploaded files are kept; the image's default is fine
    "PORT",  # gunicorn listens on 8000 inside the container; the host port is in `ports:`
    "GUNICORN_BIND",
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
