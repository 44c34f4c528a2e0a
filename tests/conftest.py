"""Set-up for every test that is about the test database itself, not about personas."""

import pytest
from django.apps import apps
from django.db import connection

AUDIT_TABLE = "senco_auditevent"
TRUNCATE_TRIGGER = "senco_auditevent_no_truncate"

# The tables the migrations filled (the census need types, Django's content types and
# permissions), found once the test database is built: `django_db_setup` below.
WRITTEN_BY_MIGRATIONS: set[str] = set()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, and a note of the tables the migrations filled."""
    with django_db_blocker.unblock():
        WRITTEN_BY_MIGRATIONS.update(
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy and model._base_manager.exists()
        )


@pytest.fixture(scope="session", autouse=True)
def _test_flush_keeps_the_migrations_rows_and_may_empty_the_audit_trail():
    """Tests that commit (`transaction=True`, and the browser tests' `live_server`) empty the test
    database after themselves with Django's flush. Two changes, in the test run only:

    - flush leaves the tables the migrations filled. Otherwise it empties them (the need types
      are a data migration's rows) for every later test in the same process, so whether a test
      passed would depend on which tests ran before it there: in the order pytest-django runs
      them, transactional tests last, a serial run never notices; pytest-xdist hands tests out in
      another order (`make test`).
    - on PostgreSQL, flush is one TRUNCATE of every table, which the audit trail's trigger refuses
      (senco/migrations/0010_audit_refuses_truncate.py): flush lifts that trigger inside its own
      transaction and puts it back before committing.
    """
    operations = type(connection.ops)
    original = operations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        tables = [table for table in tables if table not in WRITTEN_BY_MIGRATIONS]
        statements = original(self, style, tables, **kwargs)
        if self.connection.vendor != "postgresql" or AUDIT_TABLE not in tables or not statements:
            return statements
        trigger = f"ALTER TABLE {AUDIT_TABLE} {{}} TRIGGER {TRUNCATE_TRIGGER};"
        return [trigger.format("DISABLE"), *statements, trigger.format("ENABLE")]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(operations, "sql_flush", sql_flush)
        yield


@pytest.fixture(scope="module")
def each_pdf_laid_out_once():
    """WeasyPrint lays each distinct document out once in the module that asks for this, and
    hands the same bytes back for the same HTML and stylesheets, as it would lay them out the same.

    For tests that ask for one PDF as dozens of users (tests/senco/test_role_pairs.py): each page
    is still rendered from the user's own view, selector and template; only the layout of HTML
    already laid out is skipped, at about half a second a page.
    """
    import weasyprint

    laid_out: dict[tuple, bytes] = {}

    class RememberedHTML(weasyprint.HTML):
        def __init__(self, *args, string=None, **kwargs):
            super().__init__(*args, string=string, **kwargs)
            self.source = string

        def write_pdf(self, target=None, stylesheets=None, **kwargs):
            if self.source is None or target is not None:
                return super().write_pdf(target, stylesheets=stylesheets, **kwargs)
            key = (self.source, tuple(sheet.base_url for sheet in stylesheets or ()), repr(kwargs))
            if key not in laid_out:
                laid_out[key] = super().write_pdf(stylesheets=stylesheets, **kwargs)
            return laid_out[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(weasyprint, "HTML", RememberedHTML)
        yield
