"""Writes for the school calendar: a school year's term dates and closures, a term-date file, and
copying a year forward."""

from django.core.exceptions import ValidationError
from django.db import transaction

from senco import audit
from senco.models import AcademicYear, Closure, School, Term, User
from senco.rules import TERM_SEASONS, DatedRow, copied_forward, parse_calendar_csv, school_year_problems
from senco.selectors import school_year_rows


def _replace_school_year(*, school: School, start_year: int, rows: list[DatedRow]) -> AcademicYear:
    year, _ = AcademicYear.objects.get_or_create(school=school, start_year=start_year)
    year.terms.all().delete()
    year.closures.all().delete()
    for row in rows:
        model = Term if row.kind in TERM_SEASONS else Closure
        fields = {"season": row.kind} if row.kind in TERM_SEASONS else {"kind": row.kind, "name": row.name}
        record = model(academic_year=year, starts_on=row.starts_on, ends_on=row.ends_on, **fields)
        record.full_clean()
        record.save()
    return year


@transaction.atomic
def save_school_year(*, school: School, start_year: int, rows: list[DatedRow], by: User) -> AcademicYear:
    """Replace one school year's term dates and closures with `rows`, or refuse them all.

    Raises ValidationError listing every problem (see `senco.rules.school_year_problems`).
    Side effects: audit row `calendar.saved`.
    """
    problems = school_year_problems(start_year, rows)
    if problems:
        raise ValidationError(problems)
    year = _replace_school_year(school=school, start_year=start_year, rows=rows)
    audit.record("calendar.saved", by=by, obj=year, school=school, summary=f"Term dates {year}")
    return year


@transaction.atomic
def import_calendar(*, school: School, content: bytes, by: User) -> list[AcademicYear]:
    """Apply a term-dates CSV file: every school year in it replaces the one recorded, and a
    file with any problem changes nothing. Raises ValidationError listing every problem.

    Side effects: audit row `calendar.imported`.
    """
    years, problems = parse_calendar_csv(content)
    if problems:
        raise ValidationError(problems)
    saved = [
        _replace_school_year(school=school, start_year=y, rows=rows) for y, rows in sorted(years.items())
    ]
    audit.record(
        "calendar.imported", by=by, school=school, summary=f"Term dates {', '.join(map(str, saved))}"
    )
    return saved


@transaction.atomic
def copy_school_year_forward(*, school: School, start_year: int, by: User) -> AcademicYear:
    """Start the next school year from this one's dates moved on 52 weeks, for the school to
    edit. Refused when the next year already has term dates, so nothing entered is lost.

    Side effects: audit row `calendar.copied_forward`.
    """
    if Term.objects.filter(academic_year__school=school, academic_year__start_year=start_year + 1).exists():
        raise ValidationError(f"{start_year + 1}/{(start_year + 2) % 100:02d} already has term dates.")
    rows = copied_forward(school_year_rows(school, start_year=start_year))
    if not rows:
        raise ValidationError(f"{start_year}/{(start_year + 1) % 100:02d} has no term dates to copy.")
    year = _replace_school_year(school=school, start_year=start_year + 1, rows=rows)
    audit.record("calendar.copied_forward", by=by, obj=year, school=school, summary=f"Term dates {year}")
    return year
