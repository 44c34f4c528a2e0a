"""Business actions on the school's directory of services (R3)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from agencies.models import Agency
from agencies.rules import USUAL_SERVICES
from senco import audit
from senco.concurrency import check_unchanged
from senco.models import School, User

AGENCY_FIELDS = (
    "name",
    "kind",
    "refers_directly",
    "contact_name",
    "phone",
    "email",
    "address",
    "website",
    "how_to_refer",
    "active",
)


def _check_name_free(school: School, name: str, *, pk: int | None = None) -> None:
    if Agency.objects.filter(school=school, name=name).exclude(pk=pk).exists():
        raise ValidationError({"name": "The directory already has a service of that name."})


@transaction.atomic
def add_agency(*, school: School, by: User, **values) -> Agency:
    """Add a service to the school's directory. Side effects: audit row `agency.added`."""
    _check_name_free(school, values["name"])
    agency = Agency(school=school, **values)
    agency.full_clean()
    agency.save()
    audit.record("agency.added", by=by, obj=agency, summary=agency.name)
    return agency


@transaction.atomic
def update_agency(*, agency: Agency, version: str, by: User, **values) -> Agency:
    """Change a service's details. Refuses a stale edit (R9: a fingerprint of the fields, as
    the directory has no version column). Side effects: audit row `agency.changed`."""
    current = Agency.objects.select_for_update().get(pk=agency.pk)
    check_unchanged(current, version, what="service", fields=AGENCY_FIELDS)
    _check_name_free(current.school, values["name"], pk=current.pk)
    changed = [name for name in AGENCY_FIELDS if getattr(current, name) != values[name]]
    for name in AGENCY_FIELDS:
        setattr(current, name, values[name])
    current.full_clean()
    current.save()
    audit.record("agency.changed", by=by, obj=current, summary=current.name, fields=changed)
    return current


@transaction.atomic
def add_usual_agencies(*, school: School, by: User | None) -> list[Agency]:
    """Add the usual services (`USUAL_SERVICES`) the school does not have yet, by name or kind;
    safe to run twice. Side effects: audit row `agency.usual_added` when any is added."""
    have = set(school.agencies.values_list("name", flat=True))
    kinds = set(school.agencies.values_list("kind", flat=True))
    added = []
    for name, kind, refers_directly, how_to_refer in USUAL_SERVICES:
        if name in have or kind in kinds:
            continue
        agency = Agency(
            school=school, name=name, kind=kind, refers_directly=refers_directly, how_to_refer=how_to_refer
        )
        agency.full_clean()
        agency.save()
        added.append(agency)
    if added:
        audit.record("agency.usual_added", by=by, school=school, summary=f"{len(added)} services")
    return added
