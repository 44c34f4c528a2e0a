"""The one way to write the audit trail. Services call `record()`; nothing else writes it."""

from contextvars import ContextVar
from dataclasses import dataclass

from django.db import models

from senco.models import AuditEvent, User


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
    """Append one audit row. `action` is `<thing>.<verb>`, e.g. `pupil.viewed`.

    The school is taken from the object, else the pupil, else the actor. `summary` must not
    hold free text about a child: name the record, not what it says.
    """
    context = current_request.get()
    school = (
        school
        or getattr(obj, "school", None)
        or getattr(pupil, "school", None)
        or getattr(by, "school", None)
    )
    return AuditEvent.objects.create(
        school=school,
        actor=by,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        pupil_id=pupil.pk if pupil is not None else _pupil_id_of(obj),
        summary=summary[:255],
        fields=sorted(fields or []),
        ip_address=context.ip_address if context else None,
        path=context.path[:255] if context else "",
    )


def record_each(
    action: str, *, by: User | None, obj: models.Model, pupils, summary: str = ""
) -> list[AuditEvent]:
    """Append one row per pupil in `pupils`, each naming `obj` and that pupil, in one insert: a
    page about several pupils (a provision group's) is a read of each one's record, so "who has
    looked at this child's record?" finds it. The school is the object's, else the actor's."""
    context = current_request.get()
    school = getattr(obj, "school", None) or getattr(by, "school", None)
    return AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                school=school,
                actor=by,
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                pupil_id=pupil.pk,
                summary=summary[:255],
                ip_address=context.ip_address if context else None,
                path=context.path[:255] if context else "",
            )
            for pupil in pupils
        ]
    )
