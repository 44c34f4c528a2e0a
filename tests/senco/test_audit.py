import threading
from contextlib import contextmanager
from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from provision.factories import ProvisionGroupFactory
from pupils.factories import PupilFactory
from senco.audit import RequestContext, current_request, record, record_each, row_hash
from senco.factories import SchoolFactory, staff_member
from senco.models import AuditEvent, Role

APPEND_ONLY = "senco_auditevent_append_only"


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


# The hash chain ---------------------------------------------------------------------------------


def test_each_row_follows_the_schools_row_before_it(senco, other_school_senco):
    first = record("pupil.viewed", by=senco)
    theirs = record("pupil.viewed", by=other_school_senco)
    second = record("pupil.changed", by=senco)
    assert (first.previous_hash, second.previous_hash, theirs.previous_hash) == ("", first.row_hash, "")


@pytest.mark.parametrize(
    ("address", "stored_as"),
    [("2001:DB8:0:0:0:0:0:1", "2001:db8::1"), ("::ffff:a00:1", "::ffff:10.0.0.1"), ("10.1.2.3", "10.1.2.3")],
)
def test_the_stored_hash_is_what_the_row_hashes_to_when_read_back(senco, taught_pupil, address, stored_as):
    # An IPv6 address in a long form is stored, and so hashed, in its one compressed form.
    token = current_request.set(RequestContext(ip_address=address, path="/pupils/7/"))
    try:
        event = record("pupil.changed", by=senco, obj=taught_pupil, fields=["gender"], summary="Zoë’s record")
    finally:
        current_request.reset(token)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.ip_address, len(stored.row_hash), row_hash(stored)) == (stored_as, 64, event.row_hash)


def test_rows_for_each_pupil_of_a_page_are_chained_in_order_after_the_schools_last(senco, taught_pupil):
    group = ProvisionGroupFactory(intervention__school=senco.school)
    first = record("pupil.viewed", by=senco, obj=taught_pupil)
    others = PupilFactory.create_batch(2, school=senco.school)
    events = record_each("provision.group_viewed", by=senco, obj=group, pupils=[taught_pupil, *others])
    stored = list(AuditEvent.objects.filter(pk__in=[event.pk for event in events]).order_by("pk"))
    assert [event.pupil_id for event in stored] == [pupil.pk for pupil in [taught_pupil, *others]]
    assert [event.previous_hash for event in stored] == [first.row_hash, *(e.row_hash for e in stored[:2])]
    assert [row_hash(event) for event in stored] == [event.row_hash for event in stored]
    assert verify_audit()[0] == 0


def test_a_row_altered_after_it_was_written_no_longer_matches_its_hash(senco):
    event = record("pupil.viewed", by=senco)
    event.summary = "something else"
    assert row_hash(event) != event.row_hash


def check_foreign_keys_now(cursor):
    # PostgreSQL alters no table with checks of the rows inserted in this (the test's)
    # transaction still pending: Django's foreign keys are checked at commit.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@contextmanager
def behind_the_apps_back():
    """What an owner of the tables could do: on PostgreSQL, with the append-only trigger lifted
    (the test's transaction puts it back)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            check_foreign_keys_now(cursor)
            cursor.execute(f"ALTER TABLE senco_auditevent DISABLE TRIGGER {APPEND_ONLY}")
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE senco_auditevent ENABLE TRIGGER {APPEND_ONLY}")


def verify_audit(*args) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except CommandError as error:
        return 1, f"{err.getvalue()}{error}"
    return 0, out.getvalue()


def test_verify_audit_counts_the_rows_of_an_intact_chain(senco, other_school_senco):
    for by in (senco, senco, other_school_senco):
        record("pupil.viewed", by=by)
    status, output = verify_audit()
    assert (status, output.splitlines()[-1]) == (0, "3 rows, chain intact")
    last = AuditEvent.objects.filter(school=senco.school).first()
    assert f"Oakfield Primary School: 2 rows, chain intact, last hash {last.row_hash}" in output


def test_verify_audit_names_a_row_altered_with_a_queryset_update(senco):
    events = [record("pupil.viewed", by=senco) for _ in range(3)]
    with behind_the_apps_back():
        AuditEvent.objects.filter(pk=events[1].pk).update(action="pupil.changed")
    status, output = verify_audit()
    assert status == 1
    assert f"row {events[1].pk} (Oakfield Primary School): its contents no longer match its hash" in output


def test_verify_audit_names_a_row_altered_in_raw_sql_with_its_hash_made_again(senco):
    events = [record("pupil.viewed", by=senco) for _ in range(3)]
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.summary = "nothing to see"
    with behind_the_apps_back(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE senco_auditevent SET summary = %s, row_hash = %s WHERE id = %s",
            [forged.summary, row_hash(forged), forged.pk],
        )
    status, output = verify_audit()
    assert status == 1
    assert f"row {events[2].pk} (Oakfield Primary School): it does not follow row {events[1].pk}" in output


def test_verify_audit_names_the_row_after_one_deleted_from_the_middle(senco):
    events = [record("pupil.viewed", by=senco) for _ in range(3)]
    with behind_the_apps_back(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM senco_auditevent WHERE id = %s", [events[1].pk])
    status, output = verify_audit()
    assert (status, f"row {events[2].pk}" in output, f"does not follow row {events[0].pk}" in output) == (
        1,
        True,
        True,
    )


def test_verify_audit_names_a_chain_whose_first_rows_were_deleted(senco):
    events = [record("pupil.viewed", by=senco) for _ in range(2)]
    with behind_the_apps_back():
        AuditEvent.objects.filter(pk=events[0].pk)._raw_delete(connection.alias)
    status, output = verify_audit()
    assert status == 1
    assert f"row {events[1].pk} (Oakfield Primary School): it should start the chain" in output


def test_verify_audit_checks_one_school_alone(senco, other_school_senco):
    record("pupil.viewed", by=senco)
    broken = record("pupil.viewed", by=other_school_senco)
    with behind_the_apps_back():
        AuditEvent.objects.filter(pk=broken.pk).update(summary="altered")
    ours = AuditEvent.objects.get(school=senco.school)
    assert verify_audit("--school", senco.school.urn) == (
        0,
        f"Oakfield Primary School: 1 row, chain intact, last hash {ours.row_hash}\n1 row, chain intact\n",
    )
    assert verify_audit("--school", "999999") == (1, "No school has the URN 999999.")


def test_the_migration_chains_rows_written_before_the_chain(senco, other_school_senco):
    migration = import_module("senco.migrations.0009_chain_existing_audit_rows")
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(school=by.school, actor=by, action="pupil.viewed")
            for by in (senco, other_school_senco, senco)
        ]
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            check_foreign_keys_now(cursor)
    # Not entered: SQLite's editor cannot start inside the test's transaction, and the
    # migration only runs statements through it.
    migration.chain_existing_rows(django_apps, connection.schema_editor())
    ours = list(AuditEvent.objects.filter(school=senco.school).order_by("id"))
    assert (ours[0].previous_hash, ours[1].previous_hash) == ("", ours[0].row_hash)
    assert verify_audit()[1].splitlines()[-1] == "3 rows, chain intact"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_truncate_of_the_audit_trail(senco):
    record("pupil.viewed", by=senco)
    with connection.cursor() as cursor:
        check_foreign_keys_now(cursor)  # else TRUNCATE is refused for that reason instead
    for statement in ("TRUNCATE senco_auditevent", "TRUNCATE senco_school CASCADE"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditEvent.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the advisory lock is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_two_requests_appending_at_once_chain_one_after_the_other():
    school = SchoolFactory()
    user = staff_member(role=Role.SENCO, school=school)
    assert user.school == school  # fetched here, not in the threads
    first_written, release = threading.Event(), threading.Event()

    def first_request():
        try:
            with transaction.atomic():
                record("pupil.viewed", by=user, summary="first")
                first_written.set()
                release.wait(10)
        finally:
            connections.close_all()

    def second_request():
        try:
            record("pupil.viewed", by=user, summary="second")
        finally:
            connections.close_all()

    first, second = threading.Thread(target=first_request), threading.Thread(target=second_request)
    first.start()
    first_written.wait(10)
    second.start()
    second.join(1)
    second_waited = second.is_alive()
    release.set()
    first.join(10)
    second.join(10)
    rows = list(AuditEvent.objects.filter(school=school).order_by("id"))
    assert (second_waited, [row.summary for row in rows]) == (True, ["first", "second"])
    assert rows[1].previous_hash == rows[0].row_hash
