"""Subject access requests (UK GDPR Art 15): the requests, their due dates, and the export of
everything the school holds about the pupil.

For the SENCO team and the school administrator (`SUBJECT_ACCESS_HANDLERS`): the requests about
pupils of their current school, and, for a request, the pupil's whole record, whatever their
other roles let them read; the export is what the law gives the requester, and handlers are the
people who prepare it. Everyone else: nothing.

The export is made of *parts* ("Concerns", "SEN support plans"), each a list of records. Other
apps add their parts without this app importing them (R2): an app calls `contribute_part` from
its AppConfig.ready() with a function

    def parts(user, *, pupil, today) -> list[ExportPart]

that returns the parts about `pupil` from its own records, scoped by `user` (R4), or [] for a
user who is not a handler, in a fixed number of queries. A record is named by its `kind` (unique
across apps, such as "concern" or "plan") and its id, which is how a withholding names it.
"""

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import QuerySet

from pupils.models import (
    ExportState,
    Pupil,
    SubjectAccessExport,
    SubjectAccessRequest,
    WithholdingReason,
)
from pupils.permissions import can_handle_subject_access
from pupils.selectors.records import pupils_visible_to
from senco.deadlines import subject_access_due
from senco.models import User

# The format of the JSON file, so that a reader can tell which shape it has.
EXPORT_FORMAT = "senco-subject-access-export/1"


@dataclass(frozen=True)
class ExportRecord:
    """One record as the export shows it: what kind of record, its date, a one-line title and
    its content as (label, text) pairs. Blank fields are left out."""

    kind: str
    kind_label: str
    record_id: int
    on: date | None
    title: str
    fields: Sequence[tuple[str, str]] = ()
    # The pupil's own record is what the request is about: it is never withheld.
    withholdable: bool = True


@dataclass(frozen=True)
class ExportPart:
    title: str
    records: Sequence[ExportRecord]
    order: int = 100  # lower comes first
    intro: str = ""


PartFunction = Callable[..., list[ExportPart]]
_contributed: list[PartFunction] = []


def contribute_part(function: PartFunction) -> None:
    """Add another app's parts to every export, after this app's own. Adding one twice adds it once."""
    if function not in _contributed:
        _contributed.append(function)


def day(value: date | None) -> str:
    """A date as the export writes it in text: 2 November 2026."""
    return f"{value.day} {value:%B %Y}" if value else ""


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def fields(*pairs: tuple[str, object]) -> tuple[tuple[str, str], ...]:
    """The (label, text) pairs whose text is not blank, as text."""
    return tuple((label, str(value)) for label, value in pairs if value not in ("", None))


# --- The requests ---------------------------------------------------------------------------


def subject_access_requests_visible_to(user: User) -> QuerySet[SubjectAccessRequest]:
    """The requests about pupils of the user's school, for handlers; nothing for anyone else."""
    if not can_handle_subject_access(user):
        return SubjectAccessRequest.objects.none()
    return SubjectAccessRequest.objects.filter(school=user.school, pupil__in=pupils_visible_to(user))


def request_for_page(user: User) -> QuerySet[SubjectAccessRequest]:
    """Requests with what their pages show; fetch one with get_object_or_404."""
    return subject_access_requests_visible_to(user).select_related(
        "pupil__designated_teacher", "school", "logged_by", "released_by"
    )


@dataclass(frozen=True)
class Timing:
    """Where a request stands on `today`: its due date (None while the school waits for ID or
    clarification), the due date before any extension, a state and its label for the list, and
    whether an extension may still be recorded (within the first month, before release)."""

    due_on: date | None
    original_due_on: date | None
    state: str  # "waiting", "open", "overdue", "released" or "released_late"
    label: str
    can_extend: bool = False


def timing(sar: SubjectAccessRequest, *, today: date) -> Timing:
    start = sar.clock_starts_on
    if start is None:
        asked = sar.information_requested_on
        return Timing(None, None, "waiting", f"Waiting for ID or clarification, asked for on {day(asked)}")
    due = subject_access_due(start, extended_months=sar.extended_months)
    original = subject_access_due(start)
    if sar.released_on:
        late = sar.released_on > due
        label = f"Released on {day(sar.released_on)}" + (", after the due date" if late else "")
        return Timing(due, original, "released_late" if late else "released", label)
    state, label = ("overdue", "Overdue") if due < today else ("open", "Open")
    return Timing(due, original, state, label, can_extend=today <= original)


def with_timing(requests: list[SubjectAccessRequest], *, today: date) -> list[SubjectAccessRequest]:
    for sar in requests:
        sar.timing = timing(sar, today=today)
    return requests


def _listed(user: User) -> QuerySet[SubjectAccessRequest]:
    # The kept export is the whole record: a list has no use for it.
    return subject_access_requests_visible_to(user).select_related("pupil").defer("released_export")


def open_requests(user: User, *, today: date) -> list[SubjectAccessRequest]:
    """Requests not yet released, each with `timing`: the soonest due first, then those waiting
    for ID or clarification (whose month has not started), oldest first."""
    requests = with_timing(
        list(_listed(user).filter(released_on=None).order_by("received_on", "id")),
        today=today,
    )
    return sorted(requests, key=lambda sar: (sar.timing.due_on is None, sar.timing.due_on or sar.received_on))


def released_requests(user: User) -> QuerySet[SubjectAccessRequest]:
    """Released requests, the latest release first; the caller pages them and adds `timing`."""
    return _listed(user).exclude(released_on=None).order_by("-released_on", "-id")


# --- What the pupils app holds about the pupil ------------------------------------------------


def _pupil_part(pupil: Pupil) -> ExportPart:
    groups = ", ".join(group.name for group in pupil.teaching_groups.all())
    record = ExportRecord(
        kind="pupil",
        kind_label="Pupil record",
        record_id=pupil.pk,
        on=None,
        title=pupil.legal_name,
        fields=fields(
            ("Legal name", pupil.legal_name),
            ("Preferred name", pupil.full_name if pupil.full_name != pupil.legal_name else ""),
            ("Date of birth", day(pupil.date_of_birth)),
            ("Gender", pupil.get_gender_display()),
            ("Unique pupil number (UPN)", pupil.upn),
            ("National Curriculum year", pupil.get_year_group_display()),
            ("Admission date", day(pupil.admitted_on)),
            ("Leaving date", day(pupil.left_on)),
            ("Groups", groups),
            ("Looked after (LAC)", yes_no(pupil.looked_after)),
            ("Previously looked after (PLAC)", yes_no(pupil.previously_looked_after)),
            ("Designated teacher", pupil.designated_teacher or ""),
            ("Pupil premium", yes_no(pupil.pupil_premium)),
            ("Free school meals", yes_no(pupil.free_school_meals)),
            ("English as an additional language", yes_no(pupil.eal)),
            ("Young carer", yes_no(pupil.young_carer)),
        ),
        withholdable=False,
    )
    return ExportPart("Pupil record", [record], order=0)


def _sen_history_part(pupil: Pupil) -> ExportPart:
    records = [
        ExportRecord(
            kind="sen_status",
            kind_label="SEN status",
            record_id=change.pk,
            on=change.effective_from,
            title=change.get_status_display(),
            fields=fields(
                ("Status", change.get_status_display()),
                ("From", day(change.effective_from)),
                ("Primary need", change.primary_need or ""),
                ("Secondary need", change.secondary_need or ""),
                ("Reason", change.reason),
                ("Parents informed on", day(change.parents_informed_on)),
                ("How parents were informed", change.parents_informed_how),
                ("EHC plan issued on", day(change.ehc_plan_date)),
                ("Recorded by", change.recorded_by or ""),
            ),
        )
        for change in pupil.sen_history.select_related("primary_need", "secondary_need", "recorded_by")
    ]
    return ExportPart("SEN status history", records, order=10)


def _concerns_part(pupil: Pupil) -> ExportPart:
    records = [
        ExportRecord(
            kind="concern",
            kind_label="Concern",
            record_id=concern.pk,
            on=concern.raised_on,
            title=f"Concern raised by {concern.raised_by}",
            fields=fields(
                ("Raised on", day(concern.raised_on)),
                ("Raised by", concern.raised_by),
                ("Area of need", concern.get_area_display()),
                ("What was noticed", concern.observed),
                ("Evidence", concern.evidence),
                ("Already tried", concern.already_tried),
                ("Stage", concern.get_stage_display()),
                ("SENCO's notes", concern.senco_notes),
                ("Decision", concern.get_decision_display()),
                ("Reason for the decision", concern.decision_reason),
                ("Decided by", concern.decided_by or ""),
                ("Decided on", day(concern.decided_on)),
            ),
        )
        for concern in pupil.concerns.select_related("raised_by", "decided_by").order_by("raised_on", "id")
    ]
    return ExportPart("Concerns", records, order=20)


def _carers_part(pupil: Pupil) -> ExportPart:
    records = [
        ExportRecord(
            kind="carer",
            kind_label="Parent or carer",
            record_id=carer.pk,
            on=None,
            title=f"{carer.name} ({carer.relationship})",
            fields=fields(
                ("Name", carer.name),
                ("Relationship", carer.relationship),
                ("Parental responsibility", yes_no(carer.parental_responsibility)),
                ("Phone", carer.phone),
                ("E-mail", carer.email),
                ("Address", carer.address),
                ("Preferred contact", carer.get_preferred_contact_display()),
                ("Notes", carer.notes),
            ),
        )
        for carer in pupil.carers.all()
    ]
    return ExportPart("Parents and carers", records, order=30)


def _contact_log_part(pupil: Pupil) -> ExportPart:
    records = [
        ExportRecord(
            kind="contact",
            kind_label="Contact log entry",
            record_id=entry.pk,
            on=entry.occurred_on,
            title=entry.get_kind_display(),
            fields=fields(
                ("Date", day(entry.occurred_on)),
                ("Who took part", entry.participants),
                ("Summary", entry.summary),
                ("Agreed actions", entry.agreed_actions),
                ("Recorded by", entry.recorded_by),
            ),
        )
        for entry in pupil.contact_log.select_related("recorded_by").order_by("occurred_on", "id")
    ]
    return ExportPart("Contact log", records, order=40)


def _passports_part(pupil: Pupil) -> ExportPart:
    records = [
        ExportRecord(
            kind="passport",
            kind_label="Pupil passport",
            record_id=passport.pk,
            on=passport.written_on,
            title=f"Version {passport.version}",
            fields=fields(
                ("Agreed on", day(passport.written_on)),
                ("Written by", passport.written_by),
                ("My strengths", passport.strengths),
                ("What is important to me", passport.important_to_me),
                ("How best to support me", passport.how_to_support),
                ("What staff should do", passport.staff_should),
                ("In the pupil's own words", passport.pupil_voice),
                ("In the parents' or carers' own words", passport.parent_voice),
            ),
        )
        for passport in pupil.passports.select_related("written_by").order_by("version")
    ]
    return ExportPart("Pupil passports", records, order=50)


def export_parts(user: User, *, pupil: Pupil, today: date) -> list[ExportPart]:
    """Every part of the export for `pupil`, in order: this app's own (the record, SEN status
    history, concerns, carers, the contact log, passports), then each contributed app's. For
    handlers only; the caller fetched `pupil` through a request the user may see. One query per
    part of this app, whatever the size of the record."""
    if not can_handle_subject_access(user):
        return []
    own = [
        build(pupil)
        for build in (
            _pupil_part,
            _sen_history_part,
            _concerns_part,
            _carers_part,
            _contact_log_part,
            _passports_part,
        )
    ]
    contributed = [part for function in _contributed for part in function(user, pupil=pupil, today=today)]
    return sorted([*own, *contributed], key=lambda part: part.order)


def export_records(user: User, *, pupil: Pupil, today: date) -> dict[tuple[str, int], ExportRecord]:
    """Every record of the export, by (kind, id): what a withholding may name."""
    return {
        (record.kind, record.record_id): record
        for part in export_parts(user, pupil=pupil, today=today)
        for record in part.records
    }


# --- The export -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewedRecord:
    """A record on the review page, with its withholding if it has one."""

    record: ExportRecord
    withheld_reason: str = ""  # a WithholdingReason value, or "" when it is released


@dataclass(frozen=True)
class ReviewedPart:
    title: str
    intro: str
    records: list[ReviewedRecord] = field(default_factory=list)


def _withholdings(sar: SubjectAccessRequest) -> dict[tuple[str, int], str]:
    """The request's withheld records: (kind, id) -> the WithholdingReason value."""
    return {
        (kind, record_id): reason
        for kind, record_id, reason in sar.withheld.values_list("kind", "record_id", "reason")
    }


def reviewed_parts(user: User, *, sar: SubjectAccessRequest, today: date) -> list[ReviewedPart]:
    """The export's parts with each record's withholding, for the review page."""
    reasons = _withholdings(sar)
    return [
        ReviewedPart(
            part.title,
            part.intro,
            [
                ReviewedRecord(record, reasons.get((record.kind, record.record_id), ""))
                for record in part.records
            ],
        )
        for part in export_parts(user, pupil=sar.pupil, today=today)
    ]


def _about(sar: SubjectAccessRequest) -> list[str]:
    """What UK GDPR Art 15(1) says the requester is told besides the data itself."""
    school = sar.school.name
    return [
        f"{school} holds this information to identify and meet the pupil's special educational "
        "needs, as the Children and Families Act 2014 and the SEND Code of Practice require "
        "(UK GDPR Art 6(1)(c) and (e); for information about health, Art 9(2)(g) and (h)).",
        "It is shared only with the school's staff who work with the pupil and, where the law or "
        "the pupil's support requires it, with the local authority, health services and a new "
        "school when the pupil moves.",
        f"Special educational needs records are kept until the pupil's date of birth plus "
        f"{sar.school.sen_retention_years} years, then reviewed for disposal.",
        "It came from the school's staff, the pupil, their parents or carers, and the "
        "professionals who work with them. No decision about the pupil is made by automated means.",
        "You may ask the school to correct information that is wrong, and to erase or restrict "
        "information in some circumstances. You may complain to the Information Commissioner's "
        "Office (ico.org.uk, 0303 123 1113). The school's privacy notice says more.",
    ]


def _record_data(record: ExportRecord) -> dict:
    return {
        "kind": record.kind,
        "record": record.kind_label,
        "date": record.on.isoformat() if record.on else None,
        "title": record.title,
        "fields": [{"label": label, "value": value} for label, value in record.fields],
    }


def build_export(user: User, *, sar: SubjectAccessRequest, today: date) -> dict:
    """The export as it stands on `today`, as data that is both the JSON file and what the PDF
    lays out: every record of every part, except those withheld, which are listed (kind of
    record, date and reason) without their content. Dates are ISO 8601 (2026-11-02)."""
    reasons = _withholdings(sar)
    parts, withheld = [], []
    for part in export_parts(user, pupil=sar.pupil, today=today):
        shown = []
        for record in part.records:
            reason = reasons.get((record.kind, record.record_id))
            if reason:
                on = record.on.isoformat() if record.on else None
                label = WithholdingReason(reason).label
                withheld.append({"record": record.kind_label, "date": on, "reason": label})
            else:
                shown.append(_record_data(record))
        parts.append({"title": part.title, "intro": part.intro, "records": shown})
    pupil, due = sar.pupil, timing(sar, today=today).due_on
    return {
        "format": EXPORT_FORMAT,
        "reference": f"SAR-{sar.pk}",
        "school": sar.school.name,
        "prepared_on": today.isoformat(),
        "pupil": {
            "name": pupil.full_name,
            "legal_name": pupil.legal_name,
            "date_of_birth": pupil.date_of_birth.isoformat(),
            "upn": pupil.upn,
        },
        "request": {
            "requester": sar.requester_name,
            "relationship": sar.get_requester_relationship_display(),
            "received_on": sar.received_on.isoformat(),
            "due_on": due.isoformat() if due else None,
        },
        "about": _about(sar),
        "parts": parts,
        "withheld": withheld,
    }


def export_of(user: User, *, sar: SubjectAccessRequest, today: date) -> dict:
    """What a download holds: once released, the export as it was released (what the requester
    was sent, whatever changed since); before that, the export as it stands on `today`."""
    if sar.released_export is not None:
        return sar.released_export
    return build_export(user, sar=sar, today=today)


def _as_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def export_for_pdf(export: dict) -> dict:
    """The export with its ISO dates read back as dates, for the PDF template to write out."""
    return {
        **export,
        "prepared_on": _as_date(export["prepared_on"]),
        "pupil": {**export["pupil"], "date_of_birth": _as_date(export["pupil"]["date_of_birth"])},
        "request": {
            **export["request"],
            "received_on": _as_date(export["request"]["received_on"]),
            "due_on": _as_date(export["request"]["due_on"]),
        },
        "parts": [
            {**part, "records": [{**record, "date": _as_date(record["date"])} for record in part["records"]]}
            for part in export["parts"]
        ],
        "withheld": [{**item, "date": _as_date(item["date"])} for item in export["withheld"]],
    }


# --- The export prepared in the background -----------------------------------------------------


def export_fingerprint(export: dict, *, released: bool) -> str:
    """What an export's files say, as SHA-256: the export's data, whatever day it was prepared,
    and whether the request was released (a draft's PDF says so on every page)."""
    content = {key: value for key, value in export.items() if key != "prepared_on"}
    text = json.dumps({"export": content, "released": released}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


# The prepared export's states on the page, beyond ExportState's.
NOT_PREPARED = "none"
STALE = "stale"  # ready, but the export as it stands has changed since


@dataclass(frozen=True)
class PreparedExport:
    """The request's export prepared in the background, as its page shows it at one moment."""

    state: str  # NOT_PREPARED, an ExportState (FAILED for one whose worker stopped) or STALE
    export: SubjectAccessExport | None

    @property
    def in_progress(self) -> bool:
        return self.state in (ExportState.QUEUED, ExportState.RUNNING)

    @property
    def ready(self) -> bool:
        return self.state == ExportState.READY

    @property
    def interrupted(self) -> bool:
        """Shown as failed because its worker stopped, not because it said so."""
        return self.state == ExportState.FAILED and self.export.state != ExportState.FAILED


def prepared_export(user: User, *, sar: SubjectAccessRequest, now: datetime, today: date) -> PreparedExport:
    """The request's prepared export at `now`, for a handler who may see `sar`: STALE when its
    files are ready but no longer hold the export as it stands on `today` (`export_of`: before
    the release, the records as they are, less what is withheld; after it, what was released).
    One query, and the export's own queries only when the files are ready."""
    export = SubjectAccessExport.objects.filter(request=sar).select_related("requested_by").first()
    if export is None:
        return PreparedExport(NOT_PREPARED, None)
    state = export.state_at(now)
    if state == ExportState.READY:
        current = export_of(user, sar=sar, today=today)
        if export.fingerprint != export_fingerprint(current, released=sar.released_on is not None):
            state = STALE
    return PreparedExport(state, export)
