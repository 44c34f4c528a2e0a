"""Reading a pupil file exported from the school's MIS: a pure function of the file's bytes.

`parse_mis_file` checks EVERY row and returns the rows it could read with a list of problems,
each with its spreadsheet row number (the heading row is row 1), its column and a message in
plain English. It touches no database: which pupils are new or changed is worked out by
`pupils.services.imports`, which also refuses to apply a file with any problem at all.

Columns (see docs/mis-import-example.csv):
upn, legal_first_name, legal_last_name, preferred_first_name, preferred_last_name, date_of_birth,
gender, nc_year, registration_group, admission_date, sen_status, sen_status_from, primary_need,
secondary_need.
"""

import codecs
import csv
import io
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError

from pupils.models import SenStatus, validate_upn

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

# Column -> (required column, what it holds, an example), in the order a file should have them.
COLUMNS = {
    "upn": (True, "13 characters, check letter first", "B801200005001"),
    "legal_first_name": (True, "text, up to 100 characters", "Amelia"),
    "legal_last_name": (True, "text, up to 100 characters", "Smith"),
    "preferred_first_name": (False, "text; blank if the same as legal", "Millie"),
    "preferred_last_name": (False, "text; blank if the same as legal", ""),
    "date_of_birth": (True, "YYYY-MM-DD or DD/MM/YYYY", "2018-04-09"),
    "gender": (True, "F or M", "F"),
    "nc_year": (True, "N (nursery), R (Reception) or 1 to 13", "3"),
    "registration_group": (True, "the class or form name, up to 50 characters", "3A"),
    "admission_date": (False, "YYYY-MM-DD or DD/MM/YYYY; blank keeps what is recorded", "01/09/2022"),
    "sen_status": (True, "N, K, E (census codes) or M for monitoring", "K"),
    "sen_status_from": (
        False,
        "YYYY-MM-DD or DD/MM/YYYY: when the status began in the MIS; blank: the day of the import",
        "14/09/2026",
    ),
    "primary_need": (False, "census need type code; only with K or E", "SLCN"),
    "secondary_need": (False, "census need type code; only with a primary need", ""),
}
REQUIRED_COLUMNS = [name for name, (required, _, _) in COLUMNS.items() if required]

STATUS_CODES = {
    "N": SenStatus.NO_SEN,
    "K": SenStatus.SEN_SUPPORT,
    "E": SenStatus.EHC_PLAN,
    "M": SenStatus.MONITORING,
}
YEAR_CODES = {"N": -1, "R": 0, **{str(year): year for year in range(1, 14)}}
GENDERS = {"F", "M"}
# ASCII digits only, as the UPN (`[0-9]`, not `\d`, which matches any script's digits).
DATE_FORMATS = [
    (re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$"), (1, 2, 3)),
    (re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$"), (3, 2, 1)),
]
MAX_LENGTHS = {
    "legal_first_name": 100,
    "legal_last_name": 100,
    "preferred_first_name": 100,
    "preferred_last_name": 100,
    "registration_group": 50,
}

# The pupil's own field for each column that maps straight onto one.
PUPIL_FIELDS = {
    "legal_first_name": "first_name",
    "legal_last_name": "last_name",
    "preferred_first_name": "preferred_first_name",
    "preferred_last_name": "preferred_last_name",
    "date_of_birth": "date_of_birth",
    "gender": "gender",
    "nc_year": "year_group",
    "admission_date": "admitted_on",
}
COLUMN_OF_FIELD = {pupil_field: column for column, pupil_field in PUPIL_FIELDS.items()} | {"upn": "upn"}


@dataclass(frozen=True)
class Problem:
    row: int | None  # spreadsheet row (heading = 1); None for the file as a whole
    column: str
    message: str


@dataclass(frozen=True)
class ImportRow:
    row: int
    upn: str
    fields: dict  # pupil field name -> value, only for what the file carries
    registration_group: str
    sen_status: str
    sen_status_from: date | None  # when the MIS says the status began; None: not given
    primary_need: str
    secondary_need: str


@dataclass
class ParsedFile:
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)


def _decode(content: bytes) -> str:
    """UTF-8 (with or without Excel's byte-order mark), else Windows-1252, the two encodings
    MIS and spreadsheet exports use; anything else is refused rather than guessed at."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in content:
        raise ValueError(
            "This is not a CSV text file (it may be a spreadsheet). Save it from the MIS or "
            'spreadsheet as "CSV UTF-8" and upload that.'
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise ValueError(
            'The file\'s characters could not be read as UTF-8 or Windows-1252. Save it as "CSV UTF-8".'
        ) from None


def _heading(cell: str) -> str:
    return re.sub(r"[\s\-]+", "_", cell.strip().lower())


def _check_headings(headings: list[str]) -> list[Problem]:
    problems = []
    seen = set()
    for heading in headings:
        if heading in seen:
            problems.append(Problem(1, heading, f'The column "{heading}" appears more than once.'))
        elif heading and heading not in COLUMNS:
            problems.append(
                Problem(1, heading, f'Unknown column "{heading}". The columns are: {", ".join(COLUMNS)}.')
            )
        seen.add(heading)
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            problems.append(Problem(1, name, f'The required column "{name}" is missing.'))
    return problems


def parse_date(text: str) -> date:
    for pattern, (y, m, d) in DATE_FORMATS:
        match = pattern.match(text)
        if match:
            return date(int(match.group(y)), int(match.group(m)), int(match.group(d)))
    raise ValueError


class _RowReader:
    """Checks one row's cells, collecting every problem rather than stopping at the first."""

    def __init__(self, number: int, cells: dict[str, str], need_codes: Collection[str], today: date):
        self.number, self.cells, self.need_codes, self.today = number, cells, need_codes, today
        self.problems: list[Problem] = []

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.number, column, message))

    def text(self, column: str) -> str | None:
        """The cell's text, stripped; None if the file has no such column."""
        if column not in self.cells:
            return None
        value = self.cells[column].strip()
        if not value and COLUMNS[column][0]:
            self.problem(column, "This is required.")
        elif column in MAX_LENGTHS and len(value) > MAX_LENGTHS[column]:
            self.problem(column, f"This is longer than {MAX_LENGTHS[column]} characters.")
        return value

    def coded(self, column: str, codes: dict, message: str):
        value = self.text(column)
        if not value:
            return None
        if value.upper() not in codes:
            self.problem(column, f'"{value}" is not allowed here: {message}')
            return None
        return codes[value.upper()]

    def day(self, column: str) -> date | None:
        value = self.text(column)
        if not value:
            return None
        try:
            return parse_date(value)
        except ValueError:
            self.problem(column, f'"{value}" is not a date: write YYYY-MM-DD or DD/MM/YYYY, e.g. 2018-04-09.')
            return None

    def upn(self) -> str:
        value = (self.text("upn") or "").upper()
        if value:
            try:
                validate_upn(value)
            except ValidationError as exc:
                self.problem("upn", exc.messages[0])
        return value

    def need(self, column: str) -> str:
        value = (self.text(column) or "").upper()
        if value and value not in self.need_codes:
            self.problem(column, f'Unknown need type code "{value}": use a census code such as SLCN or ASD.')
            return ""
        return value

    def read(self) -> ImportRow:
        upn = self.upn()
        values = {column: self.text(column) for column in MAX_LENGTHS}
        born, admitted = self.day("date_of_birth"), self.day("admission_date")
        if born and born > self.today:
            self.problem("date_of_birth", "The date of birth is in the future.")
        if born and admitted and admitted < born:
            self.problem("admission_date", "The admission date is before the date of birth.")
        started = self.day("sen_status_from")
        if started and started > self.today:
            self.problem("sen_status_from", "The SEN status cannot start in the future.")
        elif born and started and started < born:
            self.problem("sen_status_from", "The SEN status cannot start before the date of birth.")
        values |= {
            "date_of_birth": born,
            "admission_date": admitted,
            "gender": self.coded("gender", {g: g for g in GENDERS}, "use F or M, as in the school census."),
            "nc_year": self.coded("nc_year", YEAR_CODES, "use N (nursery), R (Reception) or 1 to 13."),
        }
        status = self.coded("sen_status", STATUS_CODES, "use N, K or E (census codes), or M for monitoring.")
        primary, secondary = self.need("primary_need"), self.need("secondary_need")
        self._check_needs(status, primary, secondary)
        # A column the file lacks, or a blank date, leaves the pupil's value alone; a blank
        # preferred name means "the same as legal" and clears it.
        fields = {
            PUPIL_FIELDS[column]: value
            for column, value in values.items()
            if column in PUPIL_FIELDS
            and value is not None
            and (value != "" or column.startswith("preferred"))
        }
        return ImportRow(
            row=self.number,
            upn=upn,
            fields=fields,
            registration_group=values["registration_group"] or "",
            sen_status=status or "",
            sen_status_from=started,
            primary_need=primary,
            secondary_need=secondary,
        )

    def _check_needs(self, status: str | None, primary: str, secondary: str) -> None:
        # DfE census rules: 2125 no type when N; 2170 K or E needs a type; 2175 NSA only with K.
        if status is None:
            return
        on_register = status in (SenStatus.SEN_SUPPORT, SenStatus.EHC_PLAN)
        if on_register and not primary and "primary_need" not in {p.column for p in self.problems}:
            self.problem("primary_need", "A pupil with status K or E needs a primary need type.")
        if not on_register and (primary or secondary):
            self.problem(
                "primary_need" if primary else "secondary_need",
                "Only K or E pupils have a need type: leave it blank with N or M.",
            )
        if secondary and secondary == primary:
            self.problem("secondary_need", "The secondary need must differ from the primary need.")
        if secondary and not primary and on_register:
            self.problem("secondary_need", "Give a primary need before a secondary need.")
        if status == SenStatus.EHC_PLAN:
            for column, code in (("primary_need", primary), ("secondary_need", secondary)):
                if code == "NSA":
                    self.problem(column, "NSA (no specialist assessment) is only valid with K (SEN support).")
        elif primary and secondary and "NSA" in (primary, secondary) and primary != secondary:
            # As `SenStatusChange.clean`: NSA says the type is unassessed, so nothing sits beside it.
            column = "secondary_need" if secondary == "NSA" else "primary_need"
            self.problem(column, "NSA (no specialist assessment) cannot sit beside an assessed need.")


def _rows(text: str) -> list[list[str]]:
    try:
        return [cells for cells in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in cells)]
    except csv.Error as exc:
        raise ValueError(f"The file could not be read as CSV ({exc}).") from None


def parse_mis_file(content: bytes, *, need_codes: Collection[str], today: date) -> ParsedFile:
    """Read and check every row of an MIS export. Pure: no database, no clock.

    `need_codes` are the census need type codes known to the installation. Returns the rows
    that could be read and every problem found; a file with any problem must not be applied.
    """
    parsed = ParsedFile()
    if len(content) > MAX_BYTES:
        parsed.problems.append(
            Problem(None, "", "The file is larger than 2 MB: split it into smaller files.")
        )
        return parsed
    try:
        table = _rows(_decode(content))
    except ValueError as exc:
        parsed.problems.append(Problem(None, "", str(exc)))
        return parsed
    if not table:
        parsed.problems.append(Problem(None, "", "The file is empty."))
        return parsed
    headings, body = [_heading(cell) for cell in table[0]], table[1:]
    parsed.columns = [h for h in headings if h]
    parsed.problems += _check_headings(headings)
    if not body:
        parsed.problems.append(Problem(None, "", "The file has column headings but no pupils."))
    if len(body) > MAX_ROWS:
        parsed.problems.append(
            Problem(
                None, "", f"The file has {len(body):,} pupils; the most at once is {MAX_ROWS:,}. Split it."
            )
        )
        return parsed
    first_row_of: dict[str, int] = {}
    for number, cells in enumerate(body, start=2):
        parsed.rows.append(_read_row(parsed, number, headings, cells, need_codes, today, first_row_of))
    return parsed


def _read_row(parsed, number, headings, cells, need_codes, today, first_row_of) -> ImportRow:
    known = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(headings) if h in COLUMNS}
    reader = _RowReader(number, known, need_codes, today)
    if any(cell.strip() for cell in cells[len(headings) :]):
        reader.problem("", "This row has more cells than there are column headings.")
    if any(cells[i].strip() for i, h in enumerate(headings) if not h and i < len(cells)):
        reader.problem("", "This row has a value in a column with no heading.")
    row = reader.read()
    if row.upn in first_row_of:
        reader.problem("upn", f"This UPN is also on row {first_row_of[row.upn]}: each pupil once only.")
    elif row.upn:
        first_row_of[row.upn] = number
    parsed.problems += reader.problems
    return row
