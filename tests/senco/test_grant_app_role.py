"""`manage.py grant_app_role`: the app's PostgreSQL role may read and add audit rows, and
nothing more to the audit trail, while working normally everywhere else."""

from contextlib import contextmanager
from io import StringIO
from uuid import uuid4

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from senco.audit import record
from senco.models import AuditEvent

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL's")


@pytest.fixture
def app_role(db):
    """A role made for the test; the test's transaction is rolled back, and the role with it."""
    role = f"senco_test_app_{uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
    return role


@contextmanager
def signed_in_as(role: str):
    with connection.cursor() as cursor:
        # TRUNCATE and ALTER TABLE wait for no checks of rows the test inserted.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"SET ROLE {role}")
        try:
            yield cursor
        finally:
            cursor.execute("RESET ROLE")


def answer(cursor, statement: str) -> str:
    """ "done", or the start of PostgreSQL's refusal."""
    try:
        with transaction.atomic():
            cursor.execute(statement)
    except DatabaseError as error:
        return str(error).split(":")[0].split("\n")[0]
    return "done"


@postgresql_only
def test_the_app_role_reads_and_adds_audit_rows_and_can_do_nothing_else_to_them(app_role, senco):
    call_command("grant_app_role", app_role, stdout=StringIO())
    with signed_in_as(app_role) as cursor:
        event = record("pupil.viewed", by=senco)
        answers = {
            statement: answer(cursor, statement)
            for statement in (
                "SELECT count(*) FROM senco_auditevent",
                "UPDATE senco_auditevent SET action = 'x'",
                "DELETE FROM senco_auditevent",
                "TRUNCATE senco_auditevent",
                "ALTER TABLE senco_auditevent DISABLE TRIGGER senco_auditevent_no_truncate",
                "DROP TRIGGER senco_auditevent_no_truncate ON senco_auditevent",
                "UPDATE senco_school SET name = name",
                "DELETE FROM django_session",
                "INSERT INTO django_migrations (app, name, applied) VALUES ('senco', 'x', now())",
            )
        }
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert answers == {
        "SELECT count(*) FROM senco_auditevent": "done",
        "UPDATE senco_auditevent SET action = 'x'": "permission denied for table senco_auditevent",
        "DELETE FROM senco_auditevent": "permission denied for table senco_auditevent",
        "TRUNCATE senco_auditevent": "permission denied for table senco_auditevent",
        "ALTER TABLE senco_auditevent DISABLE TRIGGER senco_auditevent_no_truncate": (
            "must be owner of table senco_auditevent"
        ),
        "DROP TRIGGER senco_auditevent_no_truncate ON senco_auditevent": (
            "must be owner of relation senco_auditevent"
        ),
        "UPDATE senco_school SET name = name": "done",
        "DELETE FROM django_session": "done",
        "INSERT INTO django_migrations (app, name, applied) VALUES ('senco', 'x', now())": (
            "permission denied for table django_migrations"
        ),
    }


@postgresql_only
def test_a_right_given_by_hand_is_taken_back(app_role):
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT TRUNCATE ON senco_auditevent TO {app_role}")
        call_command("grant_app_role", app_role, stdout=StringIO())
        cursor.execute("SELECT has_table_privilege(%s, 'senco_auditevent', 'TRUNCATE')", [app_role])
        assert cursor.fetchone() == (False,)


@postgresql_only
def test_a_missing_role_is_explained_with_the_statement_that_creates_it(db):
    with pytest.raises(CommandError, match="CREATE ROLE senco_nobody LOGIN PASSWORD"):
        call_command("grant_app_role", "senco_nobody")


@postgresql_only
def test_the_owner_itself_is_refused_as_the_app_role(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="The app needs a role of its own"):
        call_command("grant_app_role", owner)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's answer")
def test_sqlite_has_no_roles_to_grant(db):
    with pytest.raises(CommandError, match="SQLite is a demo store"):
        call_command("grant_app_role", "senco_app")
