"""Reads for packs arriving at a school: the SENCO team's list and the preview of one pack
before it is imported, and the history a pack brought, shown as the previous school's.

Arriving packs are the receiving school's SENCO team's alone (`ARRIVAL_WORKERS`): before import
they are about a child the school may not yet have; after it, the imported records are part of
the pupil's SEN file, read as the pupil page's panels are."""

from dataclasses import dataclass

from django.db.models import QuerySet

from pupils.models import Pupil
from senco.models import User
from transitions.models import ArrivalState, ImportedRecord, IncomingPack
from transitions.permissions import ARRIVAL_WORKERS
from transitions.rules.transfer_packs import SECTIONS


def arrivals_visible_to(user: User) -> QuerySet[IncomingPack]:
    """Packs that arrived at the user's school, newest first, for the SENCO team; none for
    anyone else."""
    if not user.acting_as(ARRIVAL_WORKERS).roles:
        return IncomingPack.objects.none()
    return IncomingPack.objects.filter(school=user.school).select_related("pupil", "decided_by", "school")


def awaiting_review(user: User) -> QuerySet[IncomingPack]:
    return arrivals_visible_to(user).filter(state=ArrivalState.AWAITING_REVIEW)


def matched_pupil(arrival: IncomingPack) -> Pupil | None:
    """The pupil of the receiving school with the pack's UPN, if there is one."""
    return Pupil.objects.filter(school=arrival.school, upn=arrival.upn).first()


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    records: list[dict]


def pack_sections(content: dict) -> list[Section]:
    """The pack's sections in the schema's order, for the preview and the PDF."""
    return [Section(key, label, content["sections"][key]) for key, label in SECTIONS]


def imported_sections(pupil: Pupil) -> list[Section]:
    """The records packs brought for `pupil`, by section, each saying which school wrote it.
    The caller has checked that the viewer may read the pupil's SEN file."""
    records = list(ImportedRecord.objects.filter(pupil=pupil).order_by("arrival_id", "position"))
    return [
        Section(
            key,
            label,
            [
                {
                    "dated_on": record.dated_on,
                    "title": record.title,
                    "fields": record.fields,
                    "from_school_name": record.from_school_name,
                }
                for record in records
                if record.section == key
            ],
        )
        for key, label in SECTIONS
    ]
