"""Pure rules of the transitions app (R11: dates come in as arguments). Each feature appends its
own block.

transition_plans: which school year a move belongs to, the checklist a new plan starts with, and
what is overdue."""

import json
from calendar import monthrange
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

from pupils.models import upn_check_letter
from senco.rules import academic_year_of
from transitions.models.transition_plans import END_OF_YEAR_KINDS, LEAVING_KINDS, TransitionKind

# The steps of every plan (CoP 5.47 and 6.57: information shared, a key adult, extra visits;
# CoP 1.8 and 9.179: the pupil's and parents' views).
USUAL_STEPS = [
    "One-page profile brought up to date with the pupil",
    "Key adult named and introduced to the pupil",
    "Extra visits arranged",
    "The pupil's and parents' views recorded",
    "Staff at the destination told about the pupil's needs and what works",
]
STEPS_BY_KIND = {
    **{key: ["Transfer pack sent to the next setting"] for key in LEAVING_KINDS},
    TransitionKind.IN_YEAR_IN: [
        "Records from the previous school received and read",
        "Support in place from the first day",
    ],
    TransitionKind.NEXT_CLASS: ["Pupil passport shared with the new class teacher"],
}
EHC_STEP = "EHC plan amended to name the next setting"


def school_year_of_move(kind: str, moves_on: date) -> int:
    """The start year of the school year whose work a move is. A move at the end of the year
    (a phase transfer, the next class) starts in early September but is prepared in the year
    before, so a September start counts there; any other move counts in the year it happens."""
    if kind in END_OF_YEAR_KINDS and moves_on.month == 9:
        return moves_on.year - 1
    return academic_year_of(moves_on)


def year_window(kind_is_end_of_year: bool, start_year: int) -> tuple[date, date]:
    """The move dates that belong to the school year starting in `start_year`."""
    if kind_is_end_of_year:
        return date(start_year, 10, 1), date(start_year + 1, 9, 30)
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def first_steps(kind: str, *, ehc_final_by: date | None) -> list[tuple[str, date | None]]:
    """The checklist a new plan starts with, as (step, due by): the usual steps, those of its
    kind, and for a pupil with an EHC plan moving phase the plan's amendment, due by the date
    reg 18 gives."""
    steps = [(label, None) for label in [*USUAL_STEPS, *STEPS_BY_KIND.get(kind, [])]]
    if ehc_final_by is not None:
        steps.append((EHC_STEP, ehc_final_by))
    return steps


def is_overdue(*, due_on: date | None, done_on: date | None, today: date) -> bool:
    return due_on is not None and done_on is None and due_on < today


# --- Exam access arrangements ---------------------------------------------------------------------
#
# Exam access arrangements: whether an arrangement is ready for exams, from its evidence, and the
# exam series it is listed for. Pure: dates come in as arguments (R11).
#
# The rules are the JCQ's, in *Access Arrangements and Reasonable Adjustments* (AARA), reissued
# every 1 September; paragraph numbers are those of the 2025/26 edition and are checked against
# each new one (docs/decisions/exam-access-arrangements.md).

# Standard scores in speed of working that count towards 25% extra time (AARA 2025/26, chapter 5,
# paragraph 5.2.2): "below average" is 84 or less, "low average" 85 to 89.
BELOW_AVERAGE_MAX = 84
LOW_AVERAGE_MAX = 89
# An approval through Access arrangements online lasts 26 months (AARA 2025/26, chapter 8).
AAO_APPROVAL_MONTHS = 26
# Access arrangements are assessed for from Year 9, not before (AARA 2025/26, chapter 7).
FIRST_CANDIDATE_YEAR = 9

EXTRA_TIME = "extra_time_25"
# Applied for through Access arrangements online (AARA 2025/26, chapter 5; modified papers are
# ordered from the awarding bodies, chapter 6); the rest are delegated to the centre, which holds
# the evidence for inspection.
NEEDS_APPROVAL = frozenset({EXTRA_TIME, "reader", "scribe", "modified_papers"})
SPEED_AREAS = frozenset({"reading_speed", "reading_comprehension_speed", "writing_speed", "processing_speed"})

NOT_READY, AWAITING_APPROVAL, IN_PLACE, LAPSED = "not_ready", "awaiting_approval", "in_place", "lapsed"
STATE_LABELS = {
    NOT_READY: "Not ready",
    AWAITING_APPROVAL: "Awaiting approval",
    IN_PLACE: "In place",
    LAPSED: "Lapsed",
}


@dataclass(frozen=True)
class Form8Facts:
    """What the rules read from a Form 8: the date of Part 1 (the centre's picture of need), of
    Parts 2 and 3 (the assessor's), the assessor's qualification and the scores (area, score)."""

    part1_on: date
    assessed_on: date
    qualification: str
    scores: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Readiness:
    state: str
    reasons: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


def meets_extra_time_scores(scores: Iterable[tuple[str, int]]) -> bool:
    """Two below-average speed-of-working scores (84 or less), or one below average and one low
    average (85 to 89), in speed of reading, reading comprehension, writing or cognitive
    processing (AARA 2025/26, paragraph 5.2.2). Scores in other areas do not count."""
    speed = sorted(score for area, score in scores if area in SPEED_AREAS)
    if len(speed) < 2:
        return False
    return speed[0] <= BELOW_AVERAGE_MAX and speed[1] <= LOW_AVERAGE_MAX


def form8_problems(form8: Form8Facts) -> list[str]:
    problems = []
    if form8.assessed_on < form8.part1_on:
        # Part 1 is the centre's evidence, gathered before the assessor sees the candidate
        # (AARA 2025/26, paragraph 7.5).
        problems.append("the Form 8's Parts 2 and 3 are dated before its Part 1")
    if not form8.qualification:
        problems.append("the assessor's qualification is not recorded on the Form 8")
    return problems


def _evidence_problems(
    *, kind: str, evidence: str, has_ehc_plan: bool, form8: Form8Facts | None, other_evidence: str
) -> list[str]:
    if evidence == "ehc_plan":
        return [] if has_ehc_plan else ["the evidence is an EHC plan, but the pupil has no EHC plan in force"]
    if evidence == "form_8":
        if form8 is None:
            return ["no Form 8 is chosen as its evidence"]
        problems = form8_problems(form8)
        if kind == EXTRA_TIME and not meets_extra_time_scores(form8.scores):
            problems.append(
                "the Form 8's scores do not meet the rule for 25% extra time: two speed of working "
                "or processing scores of 84 or less, or one of 84 or less and one of 85 to 89"
            )
        return problems
    if kind == EXTRA_TIME:
        # The medical routes to extra time need evidence this record does not model (decision note).
        return ["25% extra time needs an EHC plan in force or a Form 8 with qualifying scores"]
    return [] if other_evidence.strip() else ["the evidence behind it is not described"]


def readiness(
    *,
    kind: str,
    evidence: str,
    has_ehc_plan: bool,
    form8: Form8Facts | None,
    other_evidence: str,
    normal_way_dates: Iterable[date],
    approved_on: date | None,
    aao_reference: str,
    lapses_on: date | None,
    on: date,
) -> Readiness:
    """Whether an arrangement can be used in exams on `on`, and if not, why. An arrangement must
    be the candidate's normal way of working, in class and in mocks (AARA 2025/26, paragraph
    4.2), so it needs a teacher's dated record of it, on or before `on`."""
    if lapses_on is not None and lapses_on < on:
        return Readiness(LAPSED, (f"it lapsed on {lapses_on:%-d %B %Y}",))
    reasons = _evidence_problems(
        kind=kind, evidence=evidence, has_ehc_plan=has_ehc_plan, form8=form8, other_evidence=other_evidence
    )
    if not any(day <= on for day in normal_way_dates):
        reasons.append("no teacher has recorded it as the pupil's normal way of working")
    if reasons:
        return Readiness(NOT_READY, tuple(reasons))
    if kind in NEEDS_APPROVAL and not (approved_on and aao_reference):
        return Readiness(AWAITING_APPROVAL, ("it needs approval through Access arrangements online",))
    return Readiness(IN_PLACE)


def approval_lapses_on(approved_on: date) -> date:
    """The same date 26 months on, or that month's last day when it is shorter (an approval of
    31 December 2025 lapses on 29 February 2028, a leap year)."""
    months = approved_on.month - 1 + AAO_APPROVAL_MONTHS
    year, month = approved_on.year + months // 12, months % 12 + 1
    return date(year, month, min(approved_on.day, monthrange(year, month)[1]))


@dataclass(frozen=True)
class ExamSeries:
    """A JCQ exam series: the summer series (GCSE and A level, May to June) and the November
    series (GCSE English language and mathematics resits)."""

    slug: str
    label: str
    starts_on: date
    ends_on: date


def exam_series(start_year: int) -> list[ExamSeries]:
    """The series of the school year starting in September `start_year`, in order."""
    november = ExamSeries(
        f"november-{start_year}", f"November {start_year}", date(start_year, 11, 1), date(start_year, 11, 30)
    )
    summer = ExamSeries(
        f"summer-{start_year + 1}",
        f"Summer {start_year + 1}",
        date(start_year + 1, 5, 1),
        date(start_year + 1, 6, 30),
    )
    return [november, summer]


def series_around(today: date) -> list[ExamSeries]:
    """This school year's series and next year's, for choosing from."""
    start_year = today.year if today.month >= 9 else today.year - 1
    return exam_series(start_year) + exam_series(start_year + 1)


def next_series(today: date) -> ExamSeries:
    """The first series that has not ended by `today`."""
    return next(series for series in series_around(today) if series.ends_on >= today)


# --- Transfer packs -------------------------------------------------------------------------------
#
# Reading a transfer pack a school has received: the bytes, before anything is written.
#
# A pack is checked whole and every problem found is listed, so the SENCO can ask the sending
# school for one corrected file (R8: check every row, then apply all or nothing). The checks, in
# order, stop at the first that makes the rest meaningless: the size, the text encoding, JSON
# itself, then the schema and its version; after those, the JSON Schema
# (`transitions/schemas/transfer-pack-v<N>.json`, described in docs/transfer-pack.md) and what a
# schema cannot say: the UPN's check letter, real calendar dates and known need codes.

SCHEMA_NAME = "senco-transfer-pack"
SCHEMA_VERSION = 1
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
# A pack is text: a whole school career of SEN records is a few hundred kilobytes. Health
# documents travel as their titles and dates, never as files.
MAX_PACK_BYTES = 2 * 1024 * 1024

SECTIONS = (
    ("profile", "Profile and views"),
    ("sen_history", "SEN history"),
    ("plans", "Support plans and reviews"),
    ("provision", "Provision and its impact"),
    ("agencies", "Agency involvement and advice"),
    ("ehc_plan", "EHC plan and latest annual review"),
    ("access_arrangements", "Exam access arrangements"),
    ("consents", "Consents"),
    ("health_documents", "Health documents"),
)
SECTION_LABELS = dict(SECTIONS)
SEN_STATUSES = ("no_sen", "monitoring", "sen_support", "ehc_plan")


@cache
def schema(version: int = SCHEMA_VERSION) -> dict:
    return json.loads((SCHEMA_DIR / f"transfer-pack-v{version}.json").read_text(encoding="utf-8"))


@dataclass
class ReadPack:
    data: dict | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return self.data is not None and not self.problems


def _where(path) -> str:
    parts = [f"item {part + 1}" if isinstance(part, int) else str(part) for part in path]
    return " → ".join(parts) if parts else "the pack"


def schema_problems(data) -> list[str]:
    """Every place where `data` breaks the current schema, as "where: what", in file order."""
    validator = Draft202012Validator(schema())
    errors = sorted(
        validator.iter_errors(data), key=lambda error: [str(part) for part in error.absolute_path]
    )
    return [f"{_where(error.absolute_path)}: {error.message}" for error in errors]


def _date_problems(data: dict) -> list[str]:
    problems = []

    def check(where: str, text) -> None:
        if text is None:
            return
        try:
            date.fromisoformat(text)
        except ValueError:
            problems.append(f"{where}: {text} is not a real date.")

    check("made_on", data["made_on"])
    for name in ("date_of_birth", "admitted_on", "left_on"):
        check(f"pupil → {name}", data["pupil"][name])
    check("sen_status → since", data["sen_status"]["since"])
    for section, _ in SECTIONS:
        for number, record in enumerate(data["sections"][section], start=1):
            check(f"sections → {section} → item {number} → dated_on", record["dated_on"])
    return problems


def read_pack(content: bytes, *, need_codes: Collection[str], max_bytes: int = MAX_PACK_BYTES) -> ReadPack:
    """The pack in `content` and every problem with it; `data` is None when it could not be read
    as a pack of this schema version at all. `need_codes` are the census need types known here."""
    if len(content) > max_bytes:
        return ReadPack(
            problems=[
                f"The file is {len(content) / 1024 / 1024:.1f} MB; a transfer pack may be at most "
                f"{max_bytes / 1024 / 1024:.0f} MB."
            ]
        )
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return ReadPack(problems=["The file is not text in UTF-8, so it is not a transfer pack (JSON)."])
    except json.JSONDecodeError as exc:
        return ReadPack(
            problems=[f"The file is not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."]
        )
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_NAME:
        return ReadPack(
            problems=[
                f"The file is JSON but not a transfer pack: it does not name the “{SCHEMA_NAME}” schema."
            ]
        )
    if data.get("schema_version") != SCHEMA_VERSION:
        return ReadPack(
            problems=[
                f"This pack is written in schema version {data.get('schema_version')!r}; this "
                f"system reads version {SCHEMA_VERSION}. Ask the sending school for a version "
                f"{SCHEMA_VERSION} pack."
            ]
        )
    problems = schema_problems(data)
    if problems:
        return ReadPack(data=data, problems=problems)
    upn = data["pupil"]["upn"]
    if upn_check_letter(upn[1:]) != upn[0]:
        problems.append(
            f"pupil → upn: {upn} has the wrong check letter (it should start with "
            f"{upn_check_letter(upn[1:])}); check it with the sending school."
        )
    problems += _date_problems(data)
    status = data["sen_status"]
    for name in ("primary_need", "secondary_need"):
        if status[name] is not None and status[name] not in need_codes:
            problems.append(f"sen_status → {name}: {status[name]} is not a census need type.")
    return ReadPack(data=data, problems=problems)
