"""The one way to write the audit trail. Services call `record()`; nothing else writes it.

Each school's rows form a hash chain (docs/decisions/audit-trail.md): a row stores the hash of
the school's row before it (`previous_hash`) and its own `row_hash`, SHA-256 over a canonical
serialisation of its fields and that previous hash. `verify_chains()` walks the chains and
names the first row that no longer fits (`manage.py verify_audit`).
"""

import hashlib
import json
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC

from django.db import connection, models, transaction
from django.utils import timezone

from senco.models import AuditEvent, School, User

# The two-part key of PostgreSQL's transaction advisory lock on one school's chain: this fixed
# first part (any constant no other code uses) and the school's id. Held until the transaction
# that appends the row commits, so two requests appending at once chain one after the other.
CHAIN_LOCK = 0x5E4C0
# A chain's first row follows no row.
CHAIN_START = ""


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None
    path: str


# Set per request by `senco.middleware.request_context`, so services record "from where"
# without every service taking the request as an argument. Celery tasks leave it empty.
current_request: ContextVar[RequestContext | None] = ContextVar("current_request", default=None)


def _pupil_id_of(obj: models.Model | None) -> int | None:
    if obj is None:
        return None
    if obj._meta.label == "pupils.Pupil":
        return obj.pk
    return getattr(obj, "pupil_id", None)


def row_hash(event: AuditEvent) -> str:
    """SHA-256 of the row's fields and its `previous_hash`, as the database gives them back.

    Canonical JSON: sorted keys, no spaces, UTF-8; the time in UTC to the microsecond. The id is
    left out (it is assigned by the insert, after the hash is made): the chain itself orders the
    rows. Works on migrations' historical models too, which have the same fields.
    """
    fields = {
        "previous_hash": event.previous_hash,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "school": event.school_id,
        "actor": event.actor_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "pupil_id": event.pupil_id,
        "summary": event.summary,
        "fields": event.fields,
        "ip_address": event.ip_address,
        "path": event.path,
    }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _chain_end(school_id: int | None) -> str:
    """The `row_hash` of the school's last row, locking the chain until the transaction ends.

    PostgreSQL: an advisory lock per school, which the app's database role may take although it
    may not update the audit table (SELECT ... FOR UPDATE would need that right). SQLite has
    one writer at a time: a second request appending at once fails rather than forking the chain.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The key's second part is an int4; schools past 2^31 share locks, which only queues
            # their appends together.
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CHAIN_LOCK, (school_id or 0) % 2**31])
    last = AuditEvent.objects.filter(school_id=school_id).order_by("-id").values_list("row_hash", flat=True)
    return last.first() or CHAIN_START


def record(
    action: str,
    *,
    by: User | None,
    obj: models.Model | None = None,
    pupil: models.Model | None = None,
    school=None,
    summary: str = "",
    fields: list[str] | None = None,
) -> AuditEvent:
    """Append one audit row to its school's chain. `action` is `<thing>.<verb>`, e.g. `pupil.viewed`.

    The school is taken from the object, else the pupil, else the actor. `summary` must not
    hold free text about a child: name the record, not what it says.
    """
    school = (
        school
        or getattr(obj, "school", None)
        or getattr(pupil, "school", None)
        or getattr(by, "school", None)
    )
    pupil_id = pupil.pk if pupil is not None else _pupil_id_of(obj)
    event = _event(action, by=by, obj=obj, pupil_id=pupil_id, school=school, summary=summary, fields=fields)
    # No savepoint: the caller's transaction, if any, is enough, and the lock lasts until it ends.
    with transaction.atomic(savepoint=False):
        event.previous_hash = _chain_end(event.school_id)
        event.row_hash = row_hash(event)
        event.save()
    return event


def _event(action: str, *, by, obj, pupil_id, school, summary: str, fields, at=None) -> AuditEvent:
    """An unsaved row, with the request's address and page."""
    context = current_request.get()
    ip_field = AuditEvent._meta.get_field("ip_address")
    return AuditEvent(
        at=at or timezone.now(),
        school=school,
        actor=by,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        pupil_id=pupil_id,
        summary=summary[:255],
        fields=sorted(fields or []),
        # Hashed as the database will give it back: IPv6 in its one compressed form.
        ip_address=ip_field.to_python(context.ip_address) if context else None,
        path=context.path[:255] if context else "",
    )


def record_each(
    action: str, *, by: User | None, obj: models.Model, pupils, summary: str = ""
) -> list[AuditEvent]:
    """Append one row per pupil in `pupils`, each naming `obj` and that pupil, chained in order
    and written in one insert: a page about several pupils (a provision group's) is a read of
    each one's record, so "who has looked at this child's record?" finds it. The school is the
    object's, else the actor's."""
    school = getattr(obj, "school", None) or getattr(by, "school", None)
    at = timezone.now()
    events = [
        _event(action, by=by, obj=obj, pupil_id=pupil.pk, school=school, summary=summary, fields=None, at=at)
        for pupil in pupils
    ]
    with transaction.atomic(savepoint=False):
        previous = _chain_end(school.pk if school else None)
        for event in events:
            event.previous_hash = previous
            event.row_hash = previous = row_hash(event)
        # Ids come in the list's order, and the chain's lock keeps the school's rows together.
        return AuditEvent.objects.bulk_create(events)


@dataclass(frozen=True)
class Entry:
    """One row for `record_many`: what `record()` would be given, bar who and the school."""

    action: str
    obj: models.Model | None = None
    pupil: models.Model | None = None
    summary: str = ""
    fields: list[str] | None = None


def record_many(entries: list[Entry], *, by: User | None, school: School, batch_size: int = 1000) -> int:
    """Append one row per entry, as `record()` would write it, chained in order and inserted
    `batch_size` rows a statement: a bulk write (the MIS import) audits every change to every
    record without a query per row. Call it last in the transaction: on PostgreSQL the
    chain's lock is then held only while the rows go in. Returns the number of rows."""
    at = timezone.now()
    events = [
        _event(
            entry.action,
            by=by,
            obj=entry.obj,
            pupil_id=entry.pupil.pk if entry.pupil is not None else _pupil_id_of(entry.obj),
            school=school,
            summary=entry.summary,
            fields=entry.fields,
            at=at,
        )
        for entry in entries
    ]
    with transaction.atomic(savepoint=False):
        previous = _chain_end(school.pk)
        for event in events:
            event.previous_hash = previous
            event.row_hash = previous = row_hash(event)
        AuditEvent.objects.bulk_create(events, batch_size=batch_size)
    return len(events)


@dataclass(frozen=True)
class ChainReport:
    """One school's chain (`school` None: rows that belong to no school), as verified."""

    school: School | None
    rows: int
    last_hash: str
    broken_at: int | None = None  # the id of the first row that does not fit
    problem: str = ""

    @property
    def name(self) -> str:
        return str(self.school) if self.school else "No school"


def _walk(school: School | None) -> ChainReport:
    rows, previous, previous_id = 0, CHAIN_START, None
    events = AuditEvent.objects.filter(school=school).order_by("id").iterator(chunk_size=2000)
    for event in events:
        if event.previous_hash != previous:
            problem = (
                f"it does not follow row {previous_id}: a row between them was removed, or row "
                f"{previous_id} was altered"
                if previous_id
                else "it should start the chain but follows another row: the rows before it were removed"
            )
            return ChainReport(school, rows, previous, broken_at=event.pk, problem=problem)
        if row_hash(event) != event.row_hash:
            problem = "its contents no longer match its hash: it was changed after it was written"
            return ChainReport(school, rows, previous, broken_at=event.pk, problem=problem)
        rows, previous, previous_id = rows + 1, event.row_hash, event.pk
    return ChainReport(school, rows, previous)


def verify_chains(schools: list[School] | None = None) -> Iterator[ChainReport]:
    """Walk each school's chain (every school's, and the rows of no school, unless `schools`
    is given), one report each, in school order."""
    if schools is None:
        schools = [*School.objects.order_by("name", "pk"), None]
    for school in schools:
        yield _walk(school)
