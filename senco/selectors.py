"""Reads for the core: schools, staff and the audit trail, always scoped by the acting user."""

from django.db.models import QuerySet

from senco.models import AuditEvent, School, User


def schools_of(user: User) -> QuerySet[School]:
    """The schools in which `user` holds any role, for the school switcher."""
    return School.objects.filter(memberships__user=user).distinct().order_by("name")


def audit_trail(
    user: User, *, pupil_id: int | None = None, actor_id: int | None = None, action: str = ""
) -> QuerySet[AuditEvent]:
    """The audit trail of the user's current school, newest first.

    Only the SENCO team and leadership may read it (the view declares that); everyone is
    limited to their current school, whatever filter they pass.
    """
    events = AuditEvent.objects.filter(school=user.school).select_related("actor")
    if pupil_id is not None:
        events = events.filter(pupil_id=pupil_id)
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    if action:
        events = events.filter(action__startswith=action)
    return events
