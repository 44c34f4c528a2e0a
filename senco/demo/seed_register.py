"""Demo data for the SEN register: EHC plan dates, a plausible monitoring list, a few leavers and a
couple of deliberate register-health problems at the primary school.

Everything is chosen by position, never by the seed's random generator, so the rest of the demo
(built from the same generator, school after school) is unchanged.
"""

from datetime import date, timedelta

from django.db.models import F

from pupils.models import Pupil, SenStatus, SenStatusChange
from senco.demo.seed_calendar import latest_school_day
from senco.models import Phase, School, User
from senco.rules import SchoolCalendar, academic_year_of, add_months


def build_register_examples(*, school: School, today: date, senco: User, calendar: SchoolCalendar) -> None:
    """Tidy the generated history into a register a SENCO keeps, then, at a primary school, add
    leavers and a few problems for the register-health page to find."""
    _date_ehc_plans(school)
    keep_overdue = 2 if school.phase == Phase.PRIMARY else 0
    _recent_monitoring(school, today=today, keep_overdue=keep_overdue, calendar=calendar)
    if school.phase == Phase.PRIMARY:
        _leavers(school, today=today, senco=senco, calendar=calendar)
        _deliberate_problems(school)


def _history(school: School, status: str):
    return SenStatusChange.objects.filter(pupil__school=school, status=status).order_by("pupil_id", "pk")


def _date_ehc_plans(school: School) -> None:
    # The status became "EHC plan" when the final plan was issued.
    _history(school, SenStatus.EHC_PLAN).filter(ehc_plan_date=None).update(ehc_plan_date=F("effective_from"))


def _recent_monitoring(school: School, *, today: date, keep_overdue: int, calendar: SchoolCalendar) -> None:
    """Monitoring is a short watch: move all but the `keep_overdue` longest watches into the last
    six weeks (on a school day), so that the register-health page shows only those as overdue."""
    monitoring = (
        _history(school, SenStatus.MONITORING).select_related("pupil").order_by("effective_from", "pk")
    )
    changes = list(monitoring)[keep_overdue:]
    for index, change in enumerate(changes):
        weeks_ago = today - timedelta(weeks=1 + index % 6)
        change.effective_from = latest_school_day(calendar, weeks_ago, not_before=change.pupil.admitted_on)
        if change.parents_informed_on:
            change.parents_informed_on = change.effective_from
    SenStatusChange.objects.bulk_update(changes, ["effective_from", "parents_informed_on"])


def _pick(school: School, *, years: tuple[int, ...], statuses: tuple[str | None, ...]) -> Pupil | None:
    """The first pupil on roll in one of `years` whose only status is one of `statuses` (None: no SEN
    history), trying the years in order; None in a school too small to have one."""
    # Pupils without a SEN support plan, so that no leaver has a plan review falling due.
    pupils = Pupil.objects.filter(school=school, left_on=None, support_plans=None).order_by("pk")
    for year in years:
        in_year = pupils.filter(year_group=year)
        for status in statuses:
            found = (
                in_year.filter(sen_history=None)
                if status is None
                else in_year.filter(sen_history__status=status)
            ).first()
            if found:
                return found
    return None


def _left_last_summer(pupil: Pupil, *, today: date, calendar: SchoolCalendar) -> date:
    """Make the pupil a leaver of last summer, a year older than this year's pupils of that year:
    their first day off roll is the day after last school year's summer term ended."""
    summer_term_ends = max(
        last for first, last in calendar.terms if last < date(academic_year_of(today), 9, 1)
    )
    left_on = summer_term_ends + timedelta(days=1)
    pupil.date_of_birth = add_months(pupil.date_of_birth, -12)  # 29 February becomes 28 February
    pupil.admitted_on = add_months(pupil.admitted_on, -12)
    pupil.left_on = left_on
    pupil.save(update_fields=["date_of_birth", "admitted_on", "left_on"])
    return left_on


def _leavers(school: School, *, today: date, senco: User, calendar: SchoolCalendar) -> None:
    top_years = (6, 5, 4)
    # A Year 6 leaver on SEN support, taken off the register by the SENCO when they left.
    closed = _pick(school, years=top_years, statuses=(SenStatus.SEN_SUPPORT,))
    if closed:
        left_on = _left_last_summer(closed, today=today, calendar=calendar)
        SenStatusChange.objects.create(
            pupil=closed,
            status=SenStatus.NO_SEN,
            effective_from=left_on,
            reason=f"Left the school on {left_on.day} {left_on:%B %Y}: taken off the SEN register.",
            recorded_by=senco,
        )
    # A Year 6 leaver with an EHC plan (or on SEN support) whom nobody took off the register.
    still_on = _pick(school, years=top_years, statuses=(SenStatus.EHC_PLAN, SenStatus.SEN_SUPPORT))
    if still_on:
        _left_last_summer(still_on, today=today, calendar=calendar)
    # An in-year leaver who moved away.
    moved = _pick(school, years=(2, 1), statuses=(None,))
    if moved:
        moved.left_on = latest_school_day(calendar, today - timedelta(days=10), not_before=moved.admitted_on)
        moved.save(update_fields=["left_on"])
    # A record kept from long ago, past DOB + 31 years: due for review for disposal.
    old = _pick(school, years=top_years, statuses=(None,))
    if old:
        old.date_of_birth, old.admitted_on, old.left_on = (
            date(1993, 3, 2),
            date(1997, 9, 1),
            date(2004, 7, 21),
        )
        old.save(update_fields=["date_of_birth", "admitted_on", "left_on"])


def _deliberate_problems(school: School) -> None:
    # Imported from the MIS without a need type (census validation 2170), on a pupil with no plan.
    support = (
        _history(school, SenStatus.SEN_SUPPORT)
        .filter(pupil__left_on=None, pupil__support_plans=None)
        .exclude(pupil__teaching_groups__name="3A")
        .first()
    )
    if support:
        SenStatusChange.objects.filter(pk=support.pk).update(primary_need=None, secondary_need=None)
    # An EHC plan whose date was never recorded.
    ehc = (
        _history(school, SenStatus.EHC_PLAN)
        .filter(pupil__left_on=None)
        .exclude(pupil__teaching_groups__name="3A")
        .first()
    )
    if ehc:
        SenStatusChange.objects.filter(pk=ehc.pk).update(ehc_plan_date=None)
