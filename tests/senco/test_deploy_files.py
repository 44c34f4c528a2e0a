"""docker-compose.yml stays valid: checked with whichever Compose this machine has."""

import os
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
