"""The demo pair, built once per test module (about three seconds) and rolled back after it."""

from datetime import date

import pytest
from django.db import transaction

from senco.demo.seed import build_demo_trust, default_plans

DAY = date(2026, 11, 24)  # a Tuesday in the autumn term, after October half-term


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        build_demo_trust(seed=2026, today=DAY, plans=default_plans())
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _media_in_a_folder_of_its_own():
    """The demo's reports are stored when the demo trust is built, which may be once for many
    tests, so these tests keep the test process's own media folder (senco/settings_test.py)
    rather than one of each test's own."""
