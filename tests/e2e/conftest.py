"""Browser tests: Playwright for Python driving Debian's Chromium, with axe on every page.

Playwright's own browser download does not work on our machines, so we launch the system
Chromium. The live server runs in a thread of this process, hence DJANGO_ALLOW_ASYNC_UNSAFE:
Playwright's sync API runs an event loop that Django's ORM guard would otherwise refuse.
"""

import os
import shutil
import sqlite3
from datetime import date

import pytest
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from senco.demo.seed import build_demo_trust, default_plans
from senco.factories import DEMO_PASSWORD
from senco.models import School
from tests.conftest import WRITTEN_BY_MIGRATIONS

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (.ci/run installs it)")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(live_server):
    def sign_in(page, username: str, password: str = DEMO_PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")

    return sign_in


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(axe):
    def check(page):
        # A click that navigates returns once the new page commits; axe must see it styled.
        page.wait_for_load_state("load")
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
        violations = results.response["violations"]
        assert violations == [], f"{page.url}: {results.generate_report()}"

    return check


class DemoSnapshot:
    """The demo trust as the first browser test in this process built it, put back for each
    later one in a fraction of the two seconds a build takes (the build is deterministic: the
    same seed and day give the same rows, ids included).

    The browser tests commit (`live_server`), so the test database is emptied after each one;
    the tables the migrations filled are left as they are and so are not copied
    (tests/conftest.py). SQLite's test database lives in this process's memory and is copied
    whole with SQLite's backup; PostgreSQL's rows are copied into a schema of their own, and back,
    in one transaction (its foreign keys are checked at commit), then the id sequences are moved
    on past them.
    """

    SCHEMA = "e2e_demo_snapshot"

    def __init__(self, day: date) -> None:
        self.day = day
        self.tables = [
            table
            for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
            if table not in WRITTEN_BY_MIGRATIONS
        ]
        if connection.vendor == "sqlite":
            self.copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.ensure_connection()
            connection.connection.backup(self.copy)
            return
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {self.SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {self.SCHEMA}")
            for table in self.tables:
                cursor.execute(f"CREATE UNLOGGED TABLE {self.SCHEMA}.{quote(table)} AS TABLE {quote(table)}")

    def restore(self) -> None:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            self.copy.backup(connection.connection)
            return
        quote = connection.ops.quote_name
        models = apps.get_models(include_auto_created=True)
        with transaction.atomic(), connection.cursor() as cursor:
            for table in self.tables:
                cursor.execute(f"INSERT INTO {quote(table)} TABLE {self.SCHEMA}.{quote(table)}")
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)


_snapshot: list[DemoSnapshot] = []


@pytest.fixture
def demo_trust(transactional_db):
    """The demo trust built for today, in a database that holds nothing else."""
    today = timezone.localdate()
    if _snapshot and _snapshot[0].day == today:
        _snapshot[0].restore()
        return list(School.objects.order_by("pk"))
    schools = build_demo_trust(seed=2026, today=today, plans=default_plans())
    _snapshot[:] = [DemoSnapshot(today)]
    return schools


@pytest.fixture(autouse=True)
def _media_in_a_folder_of_its_own():
    """The demo's reports are stored when the demo trust is built, which may be once for many
    tests, so these tests keep the test process's own media folder (senco/settings_test.py)
    rather than one of each test's own."""
