"""Set-up for every test that is about the test database itself, not about personas."""

import pytest
from django.db.backends.postgresql.operations import DatabaseOperations

AUDIT_TABLE = "senco_auditevent"
TRUNCATE_TRIGGER = "senco_auditevent_no_truncate"


@pytest.fixture(scope="session", autouse=True)
def _test_flush_may_empty_the_audit_trail():
    """Browser tests (`live_server`) empty the test database after each test with Django's flush,
    one TRUNCATE of every table, which the audit trail's trigger refuses on PostgreSQL
    (senco/migrations/0010_audit_refuses_truncate.py). In the test run only, flush lifts that
    trigger inside its own transaction and puts it back before committing."""
    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        if AUDIT_TABLE not in tables or not statements:
            return statements
        trigger = f"ALTER TABLE {AUDIT_TABLE} {{}} TRIGGER {TRUNCATE_TRIGGER};"
        return [trigger.format("DISABLE"), *statements, trigger.format("ENABLE")]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield
