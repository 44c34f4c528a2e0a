import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from senco.audit import RequestContext, current_request, record
from senco.models import AuditEvent


def test_record_takes_school_and_pupil_from_the_object(senco, taught_pupil):
    event = record("pupil.viewed", by=senco, obj=taught_pupil)
    assert (event.school, event.pupil_id, event.object_type, event.object_id) == (
        senco.school,
        taught_pupil.pk,
        "pupils.pupil",
        str(taught_pupil.pk),
    )


def test_record_notes_where_the_request_came_from(senco):
    token = current_request.set(RequestContext(ip_address="10.1.2.3", path="/pupils/7/"))
    try:
        event = record("pupil.viewed", by=senco)
    finally:
        current_request.reset(token)
    assert (event.ip_address, event.path) == ("10.1.2.3", "/pupils/7/")


def test_changed_fields_are_listed_by_name_only(senco):
    assert record("pupil.changed", by=senco, fields=["last_name", "gender"]).fields == ["gender", "last_name"]


def test_audit_rows_cannot_be_changed_through_the_orm(senco):
    event = record("pupil.viewed", by=senco)
    event.action = "pupil.edited"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_updates_and_deletes_from_any_client(senco):
    record("pupil.viewed", by=senco)
    for statement in ("UPDATE senco_auditevent SET action = 'x'", "DELETE FROM senco_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEvent.objects.filter(action="pupil.viewed").count() == 1
