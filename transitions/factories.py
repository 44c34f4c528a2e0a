"""factory_boy factories for the transitions app: deterministic, used by the tests and the demo.
Each feature appends its own block."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from pupils.factories import PupilFactory
from senco.factories import SchoolFactory, staff_member
from senco.models import Role
from transitions.rules.transfer_packs import SECTIONS

# --- transfer_packs and arrivals ----------------------------------------------------------------


def pack_of(pupil, *, made_on: date = date(2026, 7, 17), records: dict | None = None) -> dict:
    """A schema version 1 pack about `pupil` from their school, holding `records` (section name →
    list of records) and nothing else: what `transitions.selectors.transfer_packs.pack_content`
    makes, without the database."""
    sections = {name: list((records or {}).get(name, ())) for name, _ in SECTIONS}
    return {
        "schema": "senco-transfer-pack",
        "schema_version": 1,
        "made_on": made_on.isoformat(),
        "from_school": {
            "name": pupil.school.name,
            "urn": pupil.school.urn,
            "local_authority": pupil.school.local_authority,
        },
        "pupil": {
            "upn": pupil.upn,
            "first_name": pupil.first_name,
            "last_name": pupil.last_name,
            "preferred_first_name": pupil.preferred_first_name,
            "preferred_last_name": pupil.preferred_last_name,
            "date_of_birth": pupil.date_of_birth.isoformat(),
            "gender": pupil.gender,
            "year_group": pupil.year_group,
            "admitted_on": pupil.admitted_on.isoformat() if pupil.admitted_on else None,
            "left_on": pupil.left_on.isoformat() if pupil.left_on else None,
            "looked_after": pupil.looked_after,
            "previously_looked_after": pupil.previously_looked_after,
            "eal": pupil.eal,
            "young_carer": pupil.young_carer,
        },
        "sen_status": {
            "status": "sen_support",
            "primary_need": "SPLD",
            "secondary_need": None,
            "since": "2024-09-09",
        },
        "health_documents_included": False,
        "sections": sections,
    }


class TransferPackFactory(DjangoModelFactory):
    class Meta:
        model = "transitions.TransferPack"

    pupil = factory.SubFactory(PupilFactory)
    school = factory.LazyAttribute(lambda pack: pack.pupil.school)
    schema_version = 1
    made_on = date(2026, 7, 17)
    content = factory.LazyAttribute(lambda pack: pack_of(pack.pupil))
    made_by = factory.LazyAttribute(lambda pack: staff_member(role=Role.SENCO, school=pack.school))


class IncomingPackFactory(DjangoModelFactory):
    """A pack uploaded at `school`, about a pupil of another school, awaiting review."""

    class Meta:
        model = "transitions.IncomingPack"
        exclude = ["from_pupil"]

    school = factory.SubFactory(SchoolFactory)
    from_pupil = factory.SubFactory(PupilFactory, year_group=6)
    came_by = "upload"
    from_school_name = factory.LazyAttribute(lambda arrival: arrival.from_pupil.school.name)
    content = factory.LazyAttribute(lambda arrival: pack_of(arrival.from_pupil))
    upn = factory.LazyAttribute(lambda arrival: arrival.from_pupil.upn)
    pupil_name = factory.LazyAttribute(lambda arrival: arrival.from_pupil.legal_name)
