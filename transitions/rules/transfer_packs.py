"""Reading a transfer pack a school has received: the bytes, before anything is written.

A pack is checked whole and every problem found is listed, so the SENCO can ask the sending
school for one corrected file (R8: check every row, then apply all or nothing). The checks, in
order, stop at the first that makes the rest meaningless: the size, the text encoding, JSON
itself, then the schema and its version; after those, the JSON Schema
(`transitions/schemas/transfer-pack-v<N>.json`, described in docs/transfer-pack.md) and what a
schema cannot say: the UPN's check letter, real calendar dates and known need codes."""

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

from pupils.models import upn_check_letter

SCHEMA_NAME = "senco-transfer-pack"
SCHEMA_VERSION = 1
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
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
