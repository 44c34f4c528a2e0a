"""The test database between tests (tests/conftest.py): what a committing test leaves behind."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from pupils.factories import PupilFactory
from pupils.models import NeedType, Pupil
from senco.audit import record
from senco.models import AuditEvent


@pytest.mark.django_db(transaction=True)
def test_emptying_the_database_after_a_committing_test_keeps_the_rows_the_migrations_wrote(senco):
    pupil = PupilFactory(school=senco.school)
    record("pupil.viewed", by=senco, pupil=pupil)
    call_command("flush", interactive=False, verbosity=0)
    assert (Pupil.objects.count(), AuditEvent.objects.count(), NeedType.objects.count()) == (0, 0, 14)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_after_emptying_the_database_the_audit_trail_still_refuses_truncate(senco):
    call_command("flush", interactive=False, verbosity=0)
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE senco_auditevent")
