"""Writes about the SEN register as a whole."""

from django.db import transaction

from senco import audit
from senco.models import User


@transaction.atomic
def record_register_exported(*, by: User, filters: str, rows: int, columns: list[str]) -> None:
    """Audit one export of the SEN register: one row however many pupils it holds.

    `filters` describes the filters in use (no free text about a child); the columns go in
    `fields`, as a change lists the fields it touched. Side effects: audit row `register.exported`.
    """
    audit.record(
        "register.exported",
        by=by,
        school=by.school,
        summary=f"{rows} pupil{'' if rows == 1 else 's'}; {filters}",
        fields=columns,
    )
