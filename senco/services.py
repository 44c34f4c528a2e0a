"""Writes for the core: switching school, the school's term dates and financial year, and telling
staff that something needs them. Mail goes
through the worker after the transaction that caused it commits, so a rolled-back change never
sends a message."""

from django.core.exceptions import ValidationError
from django.db import transaction

from senco import audit
from senco.concurrency import check_unchanged
from senco.models import AcademicYear, AuditEvent, Closure, Membership, School, Term, User
from senco.rules import TERM_SEASONS, DatedRow, copied_forward, parse_calendar_csv, school_year_problems
from senco.selectors import school_year_rows
from senco.tasks import send_email


@transaction.atomic
def switch_school(*, user: User, school: School, by: User) -> User:
    """Make `school` the one `user` works in. Refused unless they hold a role there.

    Side effects: saves `current_school`; audit row `staff.switched_school`.
    """
    if not Membership.objects.filter(user=user, school=school).exists():
        raise ValidationError({"school": "You do not hold a role at that school."})
    user.current_school = school
    user.save(update_fields=["current_school"])
    audit.record("staff.switched_school", by=by, obj=user, school=school)
    return user


@transaction.atomic
def grant_role(*, user: User, school: School, role: str, by: User | None) -> Membership:
    """Give `user` a role at `school`. Side effects: audit row `staff.role_granted`."""
    membership = Membership(user=user, school=school, role=role)
    membership.full_clean()
    membership.save()
    if user.current_school_id is None:
        user.current_school = school
        user.save(update_fields=["current_school"])
    audit.record("staff.role_granted", by=by, obj=membership, school=school, summary=f"{user} as {role}")
    return membership


FINANCIAL_YEAR_FIELDS = ("financial_year_starts",)


@transaction.atomic
def set_financial_year_start(*, school: School, starts_in_month: int, version: str, by: User) -> School:
    """Start the school's financial year in April or, for an academy keeping the academy year, in
    September. `version` is `version_token(school, fields=FINANCIAL_YEAR_FIELDS)` as the editor
    saw it. Budgets keep their year numbers, so 2026-27 becomes the year the new month starts.

    Raises StaleEdit if someone changed it since. Side effects: audit row
    `school.financial_year_start_set`.
    """
    school = School.objects.select_for_update().get(pk=school.pk)
    check_unchanged(school, version, what="financial year", fields=FINANCIAL_YEAR_FIELDS)
    school.financial_year_starts = starts_in_month
    school.full_clean()
    school.save(update_fields=["financial_year_starts"])
    audit.record(
        "school.financial_year_start_set",
        by=by,
        obj=school,
        school=school,
        fields=list(FINANCIAL_YEAR_FIELDS),
        summary=school.get_financial_year_starts_display(),
    )
    return school


def email_staff(*, to: User, subject: str, body: str) -> None:
    """Queue an e-mail to one member of staff; staff without an address are skipped."""
    if not to.email:
        return
    transaction.on_commit(lambda: send_email.delay(to=[to.email], subject=subject, body=body))


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


# --- Reading the audit trail ------------------------------------------------------------------


@transaction.atomic
def record_audit_trail_exported(*, filters: str, rows: int, pupil=None, by: User) -> AuditEvent:
    """Note that `by` downloaded `rows` entries of their school's audit trail as CSV, with the
    filters in `filters` (`senco.filters.AuditFilter.summary`, without search words). With one
    pupil chosen, the row names them, so the export shows in their own trail.

    Side effects: audit row `audit.exported`.
    """
    return audit.record(
        "audit.exported",
        by=by,
        pupil=pupil,
        school=by.school,
        summary=f"Audit trail CSV, {rows} {'entry' if rows == 1 else 'entries'} ({filters})",
    )
