"""Writes about the audit trail itself: noting that it was exported."""

from django.db import transaction

from senco import audit
from senco.models import AuditEvent, User


@transaction.atomic
def record_audit_trail_exported(*, filters: str, rows: int, pupil=None, by: User) -> AuditEvent:
    """Note that `by` downloaded `rows` entries of their school's audit trail as CSV, with the
    filters in `filters` (`senco.filters.AuditFilter.summary`, without search words). With one
    pupil chosen, the row names them, so the export shows in their own trail.

    Side effects: audit row `audit.exported`.
    """
    return audit.record(
        "audit.exported",
        by=by,
        pupil=pupil,
        school=by.school,
        summary=f"Audit trail CSV, {rows} {'entry' if rows == 1 else 'entries'} ({filters})",
    )
