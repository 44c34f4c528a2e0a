"""Reads for packs arriving at a school: the SENCO team's list and the preview of one pack
before it is imported, and the history a pack brought, shown as the previous school's.

Arriving packs are the receiving school's SENCO team's alone (`ARRIVAL_WORKERS`): before import
they are about a child the school may not yet have; after it, the imported records are part of
the pupil's SEN file, read as the pupil page's panels are."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from pupils.models import Pupil
from pupils.permissions import can_handle_subject_access
from pupils.selectors.subject_access import ExportPart, ExportRecord, day, fields, yes_no
from senco.models import User
from transitions.models import ArrivalState, ImportedRecord, IncomingPack, TransferPack
from transitions.permissions import ARRIVAL_WORKERS
from transitions.rules import SECTIONS


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


def transfer_pack_parts(user: User, *, pupil: Pupil, today: date) -> list[ExportPart]:
    """For a subject access export (UK GDPR Art 15): each transfer pack made for the pupil with
    where it went, and each record a pack brought from a previous school. For subject access
    handlers only, [] for anyone else. Three queries."""
    if not can_handle_subject_access(user):
        return []
    records = []
    packs = TransferPack.objects.filter(pupil=pupil, school=user.school).prefetch_related("sendings")
    for pack in packs.order_by("made_on", "pk"):
        sent = "; ".join(
            f"{sending.sent_to}, {sending.get_method_display().lower()}, {day(sending.sent_on)}"
            for sending in pack.sendings.all()
        )
        records.append(
            ExportRecord(
                kind="transfer_pack",
                kind_label="Transfer pack",
                record_id=pack.pk,
                on=pack.made_on,
                title="Transfer pack made",
                fields=fields(
                    ("Health documents included", yes_no(pack.includes_health)),
                    ("Sent", sent or "Not sent"),
                ),
            )
        )
    imported = ImportedRecord.objects.filter(pupil=pupil, pupil__school=user.school)
    for record in imported.order_by("arrival_id", "section", "position"):
        records.append(
            ExportRecord(
                kind="imported_record",
                kind_label=f"From {record.from_school_name}",
                record_id=record.pk,
                on=record.dated_on,
                title=record.title,
                fields=tuple((item["label"], item["value"]) for item in record.fields),
            )
        )
    return (
        [ExportPart(title="Transfer packs and records from previous schools", records=records, order=70)]
        if records
        else []
    )
