"""Writes about the provision map as a whole."""

from django.db import transaction

from senco import audit
from senco.models import User

# What the printed map holds for each pupil: the audit row lists them, as a change lists the
# fields it touched.
MAP_PDF_COLUMNS = [
    "pupil",
    "year_group",
    "sen_status",
    "intervention",
    "sessions",
    "staff",
    "dates",
    "cost_share",
]


@transaction.atomic
def record_provision_map_exported(*, by: User, financial_year: str, filters: str, pupils: int) -> None:
    """Audit one PDF of the provision map: one row however many pupils it names, as the SEN
    register's CSV export is audited.

    `filters` describes the filters in use without search words (no free text about a child).
    Side effects: audit row `provision_map.exported`.
    """
    audit.record(
        "provision_map.exported",
        by=by,
        school=by.school,
        summary=f"{financial_year}: {pupils} pupil{'' if pupils == 1 else 's'}; {filters or 'no filters'}",
        fields=MAP_PDF_COLUMNS,
    )
