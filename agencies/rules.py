"""The agencies app's pure rules: the directory's usual services, a referral's path of states,
who may consent and the waiting times, what kind of file a report is, and the arithmetic of EHC
plans and their reviews. Nothing here reads the clock or the database (R11): callers pass
`today` and the records' values. Statutory dates themselves come from `senco.deadlines`."""

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import PurePath
from statistics import median

from django.core.exceptions import ValidationError

from agencies.models.directory import AgencyKind as K
from agencies.models.referrals import ReferralState as S
from agencies.models.referrals import Relationship
from senco.deadlines import PhaseTransfer, annual_review_due, phase_transfer_final_by
from senco.rules import Period, SchoolCalendar, school_weeks_between

# --- The directory's usual services ------------------------------------------------------------------
#
# The services most schools in England work with, from which a school's directory starts
# (SEND Code of Practice 6.58–6.62 and the local offer, Children and Families Act 2014 s30). The
# school fills in local names and contact details; whether it may refer directly is the usual case
# and can be changed.

# (name, kind, the school usually refers directly, how to refer)
USUAL_SERVICES: tuple[tuple[str, str, bool, str], ...] = (
    (
        "Educational psychology service",
        K.EDUCATIONAL_PSYCHOLOGY,
        True,
        "School referral, usually from the school's allocated time.",
    ),
    ("Speech and language therapy", K.SPEECH_AND_LANGUAGE, True, "School or parent referral form."),
    (
        "Occupational therapy",
        K.OCCUPATIONAL_THERAPY,
        True,
        "Referral form; some areas accept GP referrals only.",
    ),
    ("Physiotherapy", K.PHYSIOTHERAPY, False, "Through the GP or paediatrician."),
    ("CAMHS", K.CAMHS, True, "Single point of access referral form."),
    (
        "Mental health support team",
        K.MENTAL_HEALTH_SUPPORT_TEAM,
        True,
        "Through the school's link practitioner.",
    ),
    (
        "Community paediatrics",
        K.PAEDIATRICS,
        False,
        "Through the GP; the school sends its evidence when asked.",
    ),
    ("School nursing", K.SCHOOL_NURSE, True, "School nurse referral form."),
    ("Specialist teaching service", K.SPECIALIST_TEACHERS, True, "Local authority request for involvement."),
    ("Sensory support service", K.SENSORY, True, "Local authority request for involvement."),
    ("Children's social care", K.SOCIAL_CARE, True, "Through the designated safeguarding lead."),
    ("Early Help", K.EARLY_HELP, True, "Early Help assessment with the family."),
    ("Education welfare service", K.EDUCATION_WELFARE, True, "Attendance referral form."),
    ("Virtual School", K.VIRTUAL_SCHOOL, True, "For children looked after: through the designated teacher."),
    ("Area SENCO", K.AREA_SENCO, True, "Early years and primary: local authority request form."),
    (
        "SENDIASS",
        K.SENDIASS,
        False,
        "Parents contact the service themselves; the school gives them the details.",
    ),
)


def usual_services_missing_from(kinds) -> list[tuple[str, str, bool, str]]:
    """The usual services of a kind not among `kinds` (the kinds a directory has)."""
    kinds = set(kinds)
    return [service for service in USUAL_SERVICES if service[1] not in kinds]


# --- Referrals ---------------------------------------------------------------------------------------
#
# The rules of a referral, as pure functions: which state may follow which, who may consent,
# and the waiting times. No clock is read here (R11): callers pass `today`.

# The path a referral takes (draft → awaiting consent → consent refused, or consented →
# submitted → declined, or accepted → waiting → being assessed → report received → advice
# actioned → closed). Any state but withdrawn itself may move to withdrawn.
NEXT: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.AWAITING_CONSENT,),
    S.AWAITING_CONSENT: (S.CONSENT_REFUSED, S.CONSENTED),
    S.CONSENT_REFUSED: (),
    S.CONSENTED: (S.SUBMITTED,),
    S.SUBMITTED: (S.DECLINED, S.ACCEPTED),
    S.DECLINED: (),
    S.ACCEPTED: (S.WAITING,),
    S.WAITING: (S.IN_ASSESSMENT,),
    S.IN_ASSESSMENT: (S.REPORT_RECEIVED,),
    S.REPORT_RECEIVED: (S.ADVICE_ACTIONED,),
    S.ADVICE_ACTIONED: (S.CLOSED,),
    S.CLOSED: (),
    S.WITHDRAWN: (),
}
# States in which the referral is still live (the pupil page's panel, the list's default).
FINISHED = frozenset({S.CONSENT_REFUSED, S.DECLINED, S.CLOSED, S.WITHDRAWN})
# The date a state sets on the referral, for the waiting times. Being assessed is when the
# professional first saw the pupil.
DATED = {
    S.SUBMITTED: "submitted_on",
    S.ACCEPTED: "accepted_on",
    S.IN_ASSESSMENT: "first_seen_on",
    S.REPORT_RECEIVED: "report_received_on",
}
YOUNG_PERSON_AGE = 16


def next_states(state: str) -> tuple[str, ...]:
    """The states `state` may move to, withdrawal last."""
    if state == S.WITHDRAWN:
        return ()
    return (*NEXT[state], S.WITHDRAWN)


def move_refusal(state: str, to: str) -> str | None:
    """Why a referral in `state` cannot move to `to`, in words for the SENCO; None if it can."""
    if to not in S.values:
        return "Choose a state from the list."
    if to in next_states(state):
        return None
    now, then = S(state).label.lower(), S(to).label.lower()
    if state == to:
        return f"The referral is already {now}."
    if state == S.WITHDRAWN:
        return "The referral was withdrawn: it cannot move on. Start a new referral instead."
    allowed = next_states(state)
    options = " or ".join(S(s).label.lower() for s in allowed)
    return f"A referral that is {now} cannot become {then}: it can next become {options}."


def consent_problems(
    *,
    relationship: str,
    has_parental_responsibility: bool,
    covers_referral: bool,
    pupil_age: int,
    given_on: date,
    today: date,
) -> dict[str, str]:
    """What is wrong with a consent decision, keyed by field. A young person of 16 or over
    decides for themselves (Mental Capacity Act 2005, s1; SEND Code of Practice 8.9–8.15);
    for a younger pupil only someone with parental responsibility may (Children Act 1989, s3)."""
    problems = {}
    if relationship == Relationship.YOUNG_PERSON:
        if pupil_age < YOUNG_PERSON_AGE:
            problems["relationship"] = (
                f"The pupil was {pupil_age} on that date: a young person decides for themselves "
                f"only from {YOUNG_PERSON_AGE}. Record the decision of someone with parental responsibility."
            )
    elif not has_parental_responsibility:
        problems["has_parental_responsibility"] = (
            "Only someone with parental responsibility can decide for a pupil under 16 "
            "(or the young person themselves from 16). Record the decision of a parent or carer who has it."
        )
    if not covers_referral:
        problems["covers_referral"] = "A consent to this referral must cover the referral itself."
    if given_on > today:
        problems["given_on"] = "The date of the decision cannot be in the future."
    return problems


def move_date_problem(*, on: date, last_on: date | None, today: date) -> str | None:
    if on > today:
        return "The date cannot be in the future."
    if last_on is not None and on < last_on:
        return f"The date cannot be before the last change, on {last_on:%-d %B %Y}."
    return None


@dataclass(frozen=True)
class Waits:
    """Days from submission to acceptance, from acceptance to the pupil first being seen, from
    first seen to the report, and from submission to the report. None where not reached yet;
    `so_far` counts the days since the last date reached for a referral still waiting."""

    to_accepted: int | None
    to_first_seen: int | None
    to_report: int | None
    submitted_to_report: int | None
    so_far: int | None = None


def _days(start: date | None, end: date | None) -> int | None:
    return (end - start).days if start and end else None


def waits(
    *,
    submitted_on: date | None,
    accepted_on: date | None,
    first_seen_on: date | None,
    report_received_on: date | None,
    state: str,
    today: date,
) -> Waits:
    last = report_received_on or first_seen_on or accepted_on or submitted_on
    waiting = last is not None and report_received_on is None and state not in FINISHED
    return Waits(
        to_accepted=_days(submitted_on, accepted_on),
        to_first_seen=_days(accepted_on, first_seen_on),
        to_report=_days(first_seen_on, report_received_on),
        submitted_to_report=_days(submitted_on, report_received_on),
        so_far=(today - last).days if waiting else None,
    )


def median_days(values: list[int | None]) -> float | None:
    """The median of the known values, or None if there are none."""
    known = [value for value in values if value is not None]
    return median(known) if known else None


# --- Reports: what kind of file each is --------------------------------------------------------------
#
# What kind of file a professional's report is, told from its first bytes, never from its name
# or the type the browser claims: both are whatever the sender's computer made of them, and a
# script or a web page renamed `report.pdf` must not be stored as a PDF and handed back to staff.
#
# `identify_report(data, name=...)` answers with a `ReportType` or raises `ValidationError` with a
# message for the upload form's file field. Pure: bytes in, answer out (R11).


@dataclass(frozen=True)
class ReportType:
    key: str  # stored on the report
    label: str  # in messages and on the page
    media_type: str  # sent back on download
    extensions: tuple[str, ...]  # names a file of this type may have; the first is stored

    @property
    def extension(self) -> str:
        return self.extensions[0]

    @property
    def name(self) -> str:
        """The label as a page shows it alone: "PDF", "Word document" (capitalize() would
        lower the rest of "PDF")."""
        bare = self.label.removeprefix("a ")
        return bare[0].upper() + bare[1:]


PDF = ReportType("pdf", "a PDF", "application/pdf", (".pdf",))
DOCX = ReportType(
    "docx",
    "a Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
DOC = ReportType("doc", "a Word 97-2003 document", "application/msword", (".doc",))
PNG = ReportType("png", "a PNG image", "image/png", (".png",))
JPEG = ReportType("jpeg", "a JPEG image", "image/jpeg", (".jpg", ".jpeg"))
REPORT_TYPES = {kind.key: kind for kind in (PDF, DOCX, DOC, PNG, JPEG)}
REPORT_TYPE_CHOICES = [(kind.key, kind.label[2:].capitalize()) for kind in REPORT_TYPES.values()]
ACCEPTED_EXTENSIONS = tuple(ext for kind in REPORT_TYPES.values() for ext in kind.extensions)

# The signatures (magic numbers) of the formats we accept: PDF 1.7 (ISO 32000-1, 7.5.2) opens
# with "%PDF-"; PNG (RFC 2083, 3.1) with its 8-byte signature; JPEG (ITU T.81, B.1.1.2) with the
# start-of-image marker and the next marker's 0xFF; Word 97-2003 is an OLE2 compound file
# ([MS-CFB] 2.2) holding a "WordDocument" stream ([MS-DOC] 2.1.1); a .docx is a ZIP
# (PKWARE APPNOTE 4.3.7) holding word/document.xml (ECMA-376 Part 2).
_PDF_MAGIC = b"%PDF-"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_ZIP_MAGIC = b"PK\x03\x04"

WHAT_WE_TAKE = "a PDF, a Word document (.docx or .doc) or a PNG or JPEG image"


def _sniff(data: bytes) -> ReportType | None:
    if data.startswith(_PDF_MAGIC):
        return PDF
    if data.startswith(_PNG_MAGIC):
        return PNG
    if data.startswith(_JPEG_MAGIC):
        return JPEG
    if data.startswith(_OLE2_MAGIC):
        # Excel, PowerPoint and Outlook files are OLE2 too: only a Word stream makes it a .doc.
        return DOC if _WORD_STREAM in data else None
    if data.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())  # the directory only: nothing is decompressed
        except zipfile.BadZipFile:
            return None
        return DOCX if {"[Content_Types].xml", "word/document.xml"} <= names else None
    return None


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def check_report_size(size: int, *, max_bytes: int) -> None:
    """Refuse a file of `size` bytes over `max_bytes` (the REPORT_UPLOAD_MAX_MB setting)."""
    if size > max_bytes:
        raise ValidationError(
            {
                "file": f"The file is {_megabytes(size)}: the largest report we keep is "
                f"{_megabytes(max_bytes)}. Save it smaller (for a scan, at a lower resolution) and "
                "upload it again."
            }
        )


def identify_report(data: bytes, *, name: str, max_bytes: int) -> ReportType:
    """The type of the report in `data`, uploaded as `name`, no bigger than `max_bytes`.

    Refused, with a message for the file field: an empty file; one over the limit; one whose
    content is none of the accepted formats, whatever it is called; and one whose content is an
    accepted format but whose name says another (a PNG called `report.pdf`): the name is what
    staff will see and open it by, so it must not lie about what the file is."""
    if not data:
        raise ValidationError({"file": "The file is empty. Choose the report's file again."})
    check_report_size(len(data), max_bytes=max_bytes)
    kind = _sniff(data)
    extension = PurePath(name).suffix.lower()
    if kind is None:
        called = f" called “{extension}”" if extension else ""
        raise ValidationError(
            {
                "file": f"This file{called} is not {WHAT_WE_TAKE}: its contents say otherwise, "
                "whatever its name. Save the report in one of those formats and upload that."
            }
        )
    if extension not in kind.extensions:
        named = REPORT_TYPES_BY_EXTENSION.get(extension)
        if named:
            says = f"its name says it is {named.label}"
        else:
            says = f"its name ends “{extension}”" if extension else "its name has no extension"
        raise ValidationError(
            {
                "file": f"This file is {kind.label}, but {says}. Rename it to end {kind.extension} "
                "if that is right, or upload the report itself."
            }
        )
    return kind


REPORT_TYPES_BY_EXTENSION = {ext: kind for kind in REPORT_TYPES.values() for ext in kind.extensions}


# --- EHC plans and annual reviews --------------------------------------------------------------------
#
# Pure calculations for EHC plans and their annual reviews: Section F hours specified against
# hours delivered over the last six weeks, when the next review is due, and which phase transfer
# date a pupil's year group brings. Dates come in as arguments; nothing here reads the clock or
# the database (R11). Statutory dates themselves come from `senco.deadlines`.

# The plan page compares Section F with the delivery log over the last six calendar weeks,
# today included: long enough to smooth a missed session, short enough to show a drift this
# half-term. Hours a week are specified for teaching weeks, so the hours expected over the window
# count only the teaching weeks in it (`senco.rules.school_weeks_between`): a half-term holiday
# in the window is not a shortfall.
DELIVERY_WINDOW_WEEKS = 6
MINUTES_AN_HOUR = Decimal(60)


def delivery_window(today: date) -> Period:
    """The six calendar weeks ending today: 42 days, today the last of them."""
    return today - timedelta(weeks=DELIVERY_WINDOW_WEEKS) + timedelta(days=1), today


def teaching_weeks_in(calendar: SchoolCalendar, window: Period) -> int:
    return school_weeks_between(calendar, window[0], window[1])


@dataclass(frozen=True)
class Stay:
    """A pupil's time in one group: from `joined_on` to the day before `left_on` (none: still in it)."""

    group_id: int
    joined_on: date
    left_on: date | None

    def covers(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)


def minutes_received(
    sessions: Iterable[tuple[int, date]],
    *,
    minutes_per_session: dict[int, int],
    stays: Iterable[Stay],
    absent: set[tuple[int, date]],
    window: Period,
) -> dict[int, int]:
    """Minutes of each group the pupil received in `window`: delivered sessions (group id, day)
    held while they were in the group, less those they were absent from."""
    by_group: dict[int, list[Stay]] = {}
    for stay in stays:
        by_group.setdefault(stay.group_id, []).append(stay)
    received: dict[int, int] = {}
    for group_id, held_on in sessions:
        if not window[0] <= held_on <= window[1] or (group_id, held_on) in absent:
            continue
        if any(stay.covers(held_on) for stay in by_group.get(group_id, ())):
            received[group_id] = received.get(group_id, 0) + minutes_per_session[group_id]
    return received


@dataclass(frozen=True)
class HoursAgainstPlan:
    """One Section F item over the window: hours the plan specifies, hours delivered through its
    linked groups, and the shortfall (never negative: more than specified is no shortfall)."""

    specified: Decimal
    delivered: Decimal
    linked: bool

    @property
    def shortfall(self) -> Decimal:
        return max(self.specified - self.delivered, Decimal(0))

    @property
    def percent(self) -> int | None:
        if self.specified <= 0:
            return None
        return round(100 * self.delivered / self.specified)


def hours_against_plan(
    *, hours_per_week: Decimal, teaching_weeks: int, group_ids: Iterable[int], received: dict[int, int]
) -> HoursAgainstPlan:
    """Hours specified over `teaching_weeks`, against the minutes received in the item's groups.
    A group linked to two items counts towards each: the SENCO links a group to the item it delivers."""
    group_ids = list(group_ids)
    minutes = sum(received.get(group_id, 0) for group_id in group_ids)
    return HoursAgainstPlan(
        specified=(hours_per_week * teaching_weeks).quantize(Decimal("0.01")),
        delivered=(Decimal(minutes) / MINUTES_AN_HOUR).quantize(Decimal("0.01")),
        linked=bool(group_ids),
    )


def next_review_due(*, issued_on: date, last_meeting_on: date | None) -> date:
    """Due 12 months from the plan's issue or, once reviewed, from the last review meeting
    (Children and Families Act 2014 s44(1); SEND Regulations 2014 reg 18)."""
    return annual_review_due(last_meeting_on or issued_on)


# The year group a pupil is in during the school year before each kind of move, for the reg 18
# dates: the plan naming the next setting must be final by then.
YEAR_BEFORE = {
    PhaseTransfer.EARLY_YEARS_TO_SCHOOL: -1,
    PhaseTransfer.INFANT_TO_JUNIOR: 2,
    PhaseTransfer.PRIMARY_TO_SECONDARY: 6,
    PhaseTransfer.SECONDARY_TO_POST16: 11,
    PhaseTransfer.POST16_TO_POST16: 13,
}
# Without a kind recorded on the plan: the moves every school has.
USUAL_TRANSFER = {6: PhaseTransfer.PRIMARY_TO_SECONDARY, 11: PhaseTransfer.SECONDARY_TO_POST16}
SCHOOL_YEAR_STARTS = 9  # September


def move_date(today: date) -> date:
    """1 September at the end of the school year `today` falls in: the day of a phase move."""
    return date(today.year + (today.month >= SCHOOL_YEAR_STARTS), SCHOOL_YEAR_STARTS, 1)


def phase_transfer_due(*, year_group: int, recorded_kind: str, today: date) -> tuple[str, date] | None:
    """The pupil's phase transfer this school year and the date its plan must be final by
    (SEND Regulations 2014 reg 18), or None if they move on next September in neither way.
    A kind recorded on the plan (an infant school's Year 2) applies in its year; otherwise the
    year group decides (Year 6 to secondary, Year 11 to post-16)."""
    if recorded_kind and YEAR_BEFORE[recorded_kind] == year_group:
        kind = recorded_kind
    else:
        kind = USUAL_TRANSFER.get(year_group)
    if kind is None:
        return None
    return kind, phase_transfer_final_by(kind, moves_on=move_date(today))
