"""Reads for the core: schools, staff and the audit trail, always scoped by the acting user."""

from dataclasses import dataclass

from django.db.models import QuerySet

from senco.access import may_open
from senco.models import AcademicYear, AuditEvent, Closure, School, Term, User
from senco.rules import DatedRow, Period, SchoolCalendar, years_without_term_dates


def schools_of(user: User) -> QuerySet[School]:
    """The schools in which `user` holds any role, for the school switcher."""
    return School.objects.filter(memberships__user=user).distinct().order_by("name")


def audit_trail(
    user: User, *, pupil_id: int | None = None, actor_id: int | None = None, action: str = ""
) -> QuerySet[AuditEvent]:
    """The audit trail of the user's current school, newest first.

    Only the SENCO team and leadership may read it (the view declares that); everyone is
    limited to their current school, whatever filter they pass.
    """
    events = AuditEvent.objects.filter(school=user.school).select_related("actor")
    if pupil_id is not None:
        events = events.filter(pupil_id=pupil_id)
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    if action:
        events = events.filter(action__startswith=action)
    return events


def school_calendar(school: School) -> SchoolCalendar:
    """The school's term dates and closures for every recorded year, in two queries.

    A school year counts as covered only once all three of its terms are recorded: a year with
    the autumn term alone would otherwise make every later day look like a holiday.
    """
    terms = list(
        Term.objects.filter(academic_year__school=school).values_list(
            "academic_year__start_year", "starts_on", "ends_on"
        )
    )
    closures = Closure.objects.filter(academic_year__school=school).values_list("starts_on", "ends_on")
    term_count: dict[int, int] = {}
    for start_year, _, _ in terms:
        term_count[start_year] = term_count.get(start_year, 0) + 1
    return SchoolCalendar(
        years=frozenset(year for year, count in term_count.items() if count == 3),
        terms=tuple(sorted((first, last) for _, first, last in terms)),
        closures=tuple(sorted(closures)),
    )


@dataclass(frozen=True)
class MissingTermDates:
    """What `templates/senco/partials/missing_term_dates.html` tells a user about dates or
    figures worked out without the school's term dates."""

    years: list[str]  # the school years without term dates, as "2026/27"; empty: say nothing
    can_open_calendar: bool  # whether to link to Term dates, where they are recorded


def missing_term_dates(user: User, calendar: SchoolCalendar, *periods: Period) -> MissingTermDates:
    """The school years that `periods` (the days a page's dates or figures were worked out over)
    reach and the user's school has no term dates for, and whether the user may open the page
    where they are recorded (its own access declaration decides)."""
    years = years_without_term_dates(calendar, *periods)
    return MissingTermDates(years=years, can_open_calendar=bool(years) and may_open(user, "senco:calendar"))


def school_years(school: School) -> QuerySet[AcademicYear]:
    """The school's recorded school years, newest first, with their terms and closures."""
    return AcademicYear.objects.filter(school=school).prefetch_related("terms", "closures")


def school_year_rows(school: School, *, start_year: int) -> list[DatedRow]:
    """One school year's terms and closures as the rows a school enters, in date order."""
    terms = Term.objects.filter(academic_year__school=school, academic_year__start_year=start_year)
    closures = Closure.objects.filter(academic_year__school=school, academic_year__start_year=start_year)
    rows = [DatedRow(kind=t.season, starts_on=t.starts_on, ends_on=t.ends_on) for t in terms]
    rows += [DatedRow(kind=c.kind, starts_on=c.starts_on, ends_on=c.ends_on, name=c.name) for c in closures]
    return sorted(rows, key=lambda row: (row.starts_on, row.kind))
