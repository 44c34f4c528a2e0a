"""Due dates that the Code of Practice, the regulations or the school's own review cycle set.
Every app takes them from here, and they are pure functions of explicit dates and the school's
calendar (`senco.selectors.school_calendar`, fetched once per request by the caller): nothing
here reads the clock or the database (R11).

A date a school must meet lands on a school day: one that falls in a holiday, at a weekend or on
a bank holiday becomes the last school day before it, never a later one. For a school year
without term dates, only weekends and bank holidays are avoided (see `senco.rules`). The one
exception is a subject access response, whose month the ICO moves to the next working day and
which school holidays do not pause (`subject_access_due`)."""

from datetime import date, timedelta

from senco.rules import (
    SchoolCalendar,
    add_months,
    add_school_days,
    bank_holiday_name,
    is_bank_holiday,
    last_school_day_on_or_before,
    school_days_between,
)

# Plans are reviewed termly in practice, in step with meeting parents at least three times a year
# (CoP 6.65): a review date more than a year after the start is a typing slip, not a plan.
MAX_REVIEW_MONTHS = 12


# SEN support plans are reviewed termly in practice, as parents are met at least three times a
# year (CoP 6.65), so a new cycle's review falls three calendar months after it starts, clamped to
# the month end, then brought back to a school day.
REVIEW_INTERVAL_MONTHS = 3


# "Monitor" on a concern: the date suggested for looking at the pupil again is six school weeks
# on, about half a term: long enough for the strategies already tried to show whether they work.
# The Code of Practice sets no period for this; the SENCO may choose another date.
LOOK_AGAIN_SCHOOL_WEEKS = 6
SCHOOL_DAYS_A_WEEK = 5

# The concerns queue flags a concern still undecided more than ten school days (two school weeks)
# after it was raised. The Code of Practice sets no time; this is so that the member of staff who
# raised it hears back while the pupil is still in front of them.
CONCERN_WAITING_LIMIT = 10

# The reviews-due list looks two weeks ahead so the SENCO can invite parents in time.
DUE_SOON_DAYS = 14
# Without term dates for the school, "a term" is 13 weeks: a school year of 39 weeks in three terms.
TERM_FALLBACK = timedelta(weeks=13)


def default_review_date(started_on: date, calendar: SchoolCalendar) -> date:
    """The last school day on or before three calendar months after `started_on`: a cycle
    started on 28 September 2026 is reviewed on the last day of the autumn term, not on
    28 December."""
    return last_school_day_on_or_before(calendar, add_months(started_on, REVIEW_INTERVAL_MONTHS))


def look_again_suggestion(decided_on: date, calendar: SchoolCalendar) -> date:
    """The school day six school weeks (30 school days) after a "Monitor" decision: a half-term
    or holiday in between does not count, so the watch keeps its length. For a school year
    without term dates, weekends and bank holidays alone are skipped."""
    return add_school_days(calendar, decided_on, LOOK_AGAIN_SCHOOL_WEEKS * SCHOOL_DAYS_A_WEEK)


def school_days_waiting(raised_on: date, *, today: date, calendar: SchoolCalendar) -> int:
    """School days a concern raised on `raised_on` has waited by `today`: those after the day it
    was raised, `today` included (raised on a Friday, it has waited one school day on Monday)."""
    return school_days_between(calendar, raised_on + timedelta(days=1), today)


def latest_review_date(started_on: date) -> date:
    return add_months(started_on, MAX_REVIEW_MONTHS)


def due_soon_cutoff(today: date) -> date:
    """The last review date that counts as "due" today: two calendar weeks ahead."""
    return today + timedelta(days=DUE_SOON_DAYS)


def review_state(review_due_on: date, *, today: date) -> str:
    """ "overdue" (date passed), "due" (within two weeks, today included) or "later"."""
    if review_due_on < today:
        return "overdue"
    if review_due_on <= due_soon_cutoff(today):
        return "due"
    return "later"


def meet_by(review_due_on: date, calendar: SchoolCalendar) -> date:
    """The last school day on or before the review date: a date in half-term is met on the
    Friday before it, a bank holiday Monday on the Friday before that. The SEND Regulations 2014
    count calendar weeks and months and set no rule for a date that falls when the school is
    closed, so we never move one later."""
    return last_school_day_on_or_before(calendar, review_due_on)


def retention_ends(date_of_birth: date, *, years: int) -> date:
    """The last day a leaver's record is kept: date of birth + `years` (IRMS Information
    Management Toolkit for Schools: SEN files, date of birth + 31 years). It is due for disposal
    from the next day.

    A pupil born on 29 February is kept until 28 February in a common year, so due from 1 March,
    the day they count as a year older (`Pupil.age_on`) and the same day as a classmate born on
    28 February. Years clamp to the month end like every other date here (`senco.rules.add_months`).
    """
    return add_months(date_of_birth, 12 * years)


def disposal_cutoff(*, today: date, years: int) -> date:
    """The latest date of birth whose retention period (DOB + `years`) ended before `today`.

    The inverse of `retention_ends`, exact around 29 February: 29 Feb 2000 + 31 years is
    28 Feb 2031, so that record is due for review from 1 Mar 2031.
    """
    cutoff = add_months(today - timedelta(days=1), -12 * years)
    while add_months(cutoff + timedelta(days=1), 12 * years) < today:
        cutoff += timedelta(days=1)
    return cutoff


def monitoring_decision_due(started_on: date, calendar: SchoolCalendar) -> tuple[date, str]:
    """When a decision is due for a pupil monitored since `started_on`, and on what basis.

    When the school's term dates cover the start and the next term: the same point of the next
    term, so holidays do not eat into the watch (a start in a holiday counts from the first day
    of the next term; a point past the next term's end is its last day). A point that is not a
    school day (a half-term, a bank holiday) becomes the last school day before it, or, on the
    term's opening INSET day, its first teaching day. Otherwise 13 calendar weeks, as without
    term dates.
    """
    terms = _recorded_terms(calendar)
    for index, (starts_on, ends_on) in enumerate(terms):
        if ends_on < started_on:
            continue
        covered = starts_on <= started_on or index > 0
        if not covered or index + 1 == len(terms):
            break
        next_starts_on, next_ends_on = terms[index + 1]
        offset = max(started_on, starts_on) - starts_on
        point = min(next_starts_on + offset, next_ends_on)
        due = last_school_day_on_or_before(calendar, point)
        return (due if due >= next_starts_on else add_school_days(calendar, point, 1)), "school term dates"
    return started_on + TERM_FALLBACK, "13 weeks: no term dates recorded"


def _recorded_terms(calendar: SchoolCalendar) -> list[tuple[date, date]]:
    """The terms of school years with all three recorded, in order: a lone autumn term says
    nothing about when the next term starts."""
    return [(first, last) for first, last in calendar.terms if calendar.covers(last)]


def one_term_after(day: date, calendar: SchoolCalendar) -> tuple[date, str]:
    """A term after `day`, and on what basis: the same point of the next term (its last day if
    that term is shorter) when the school's term dates cover both (`monitoring_decision_due`
    explains the rule), otherwise 13 weeks. A plan's review is due termly in practice (CoP
    6.65), so a review date later than this is worth a second look."""
    return monitoring_decision_due(day, calendar)


# --- Subject access requests ----------------------------------------------------------------
#
# UK GDPR Art 12(3): "without undue delay and in any event within one month of receipt",
# extendable "by two further months where necessary, taking into account the complexity and
# number of the requests". The ICO's right of access guidance counts the month from the day of
# receipt (day 1, whatever day of the week) to the corresponding date of the next month, or that
# month's last day when it has none; a due date on a weekend or bank holiday moves to the next
# working day. School holidays do not pause it: the school's own calendar plays no part here.
SUBJECT_ACCESS_MONTHS = 1
SUBJECT_ACCESS_MAX_EXTENSION_MONTHS = 2


def next_working_day_on_or_after(day: date) -> date:
    """`day` if it is a weekday and not a bank holiday (England and Wales), else the next one."""
    while day.weekday() >= 5 or is_bank_holiday(day):
        day += timedelta(days=1)
    return day


def subject_access_due(clock_starts_on: date, *, extended_months: int = 0) -> date:
    """When a subject access response is due: one calendar month from `clock_starts_on` (the day
    the request was received, or the day the ID or clarification asked for arrived), plus any
    extension of up to two months, counted from the same start (the ICO: "three months from the
    original start date"), moved to the next working day.

    31 January 2027 gives Sunday 28 February, so Monday 1 March 2027; 25 November 2026 gives
    Christmas Day, so Tuesday 29 December (Boxing Day is observed on Monday 28th).
    """
    if not 0 <= extended_months <= SUBJECT_ACCESS_MAX_EXTENSION_MONTHS:
        raise ValueError(
            f"An extension is 0 to {SUBJECT_ACCESS_MAX_EXTENSION_MONTHS} months, not {extended_months}."
        )
    return next_working_day_on_or_after(add_months(clock_starts_on, SUBJECT_ACCESS_MONTHS + extended_months))


# --- The statutory EHC clocks ------------------------------------------------------------------
#
# The Children and Families Act 2014 and the SEND Regulations 2014 count calendar weeks and
# months from a trigger date (day 0). Weekends, half-terms and holidays neither stop nor extend
# them, and no rule moves a date that falls on a closed day: an EHC date is never moved here.
# The screen says when one falls on a weekend or bank holiday (`closed_day_note`), so that the
# SENCO acts on the last working day before it.

EHCNA_DECISION_WEEKS = 6  # SEND Regs 2014 reg 5(3); CoP 9.14 and 9.17
EHCNA_NO_PLAN_NOTICE_WEEKS = 16  # reg 10(1)
EHCNA_FINAL_PLAN_WEEKS = 20  # reg 13(2); CoP 9.40
ADVICE_WEEKS = 6  # reg 8(1): advice due six weeks from the LA's request for it
DRAFT_COMMENT_DAYS = 15  # reg 13(1): at least 15 days to comment on a draft plan
APPEAL_MONTHS = 2  # SEND Tribunal Procedure Rules r.20: two months from the decision
APPEAL_AFTER_MEDIATION_MONTHS = 1  # CFA 2014 s55(3)-(4): or one month from the certificate
ANNUAL_REVIEW_MONTHS = 12  # CFA 2014 s44(1); reg 18 and 20; CoP 9.166
REVIEW_PAPERS_WEEKS = 2  # reg 20(4): advice circulated at least two weeks before the meeting
REVIEW_REPORT_WEEKS = 2  # reg 20(7): the school's report within two weeks of the meeting
REVIEW_LA_DECISION_WEEKS = 4  # reg 20(10): the LA's decision within four weeks of the meeting


class PhaseTransfer:
    """Kinds of move a plan must name the next setting for (SEND Regs 2014 reg 18)."""

    EARLY_YEARS_TO_SCHOOL = "early_years_to_school"
    INFANT_TO_JUNIOR = "infant_to_junior"
    PRIMARY_TO_SECONDARY = "primary_to_secondary"  # also primary to middle, middle to secondary
    SECONDARY_TO_POST16 = "secondary_to_post16"
    POST16_TO_POST16 = "post16_to_post16"

    CHOICES = [
        (EARLY_YEARS_TO_SCHOOL, "Early years to school"),
        (INFANT_TO_JUNIOR, "Infant to junior"),
        (PRIMARY_TO_SECONDARY, "Primary to secondary (or to or from middle school)"),
        (SECONDARY_TO_POST16, "Secondary to post-16"),
        (POST16_TO_POST16, "Post-16 to another post-16 setting"),
    ]


# reg 18(1): 15 February for moves into school, junior, middle or secondary school; 31 March
# for a move from secondary school to post-16 education.
_PHASE_TRANSFER_DAY = {
    PhaseTransfer.EARLY_YEARS_TO_SCHOOL: (2, 15),
    PhaseTransfer.INFANT_TO_JUNIOR: (2, 15),
    PhaseTransfer.PRIMARY_TO_SECONDARY: (2, 15),
    PhaseTransfer.SECONDARY_TO_POST16: (3, 31),
}
POST16_TRANSFER_MONTHS_BEFORE = 5  # reg 18(1)(c): at least five months before the move


def weeks_after(day: date, weeks: int) -> date:
    """Calendar weeks from day 0: `weeks` × 7 days, whatever falls in between."""
    return day + timedelta(weeks=weeks)


def ehcna_deadlines(received_on: date) -> dict[str, date]:
    """The LA's deadlines on an EHC needs assessment request, counted in calendar weeks from the
    day the LA received it (SEND Regs 2014 reg 5(3), 10(1) and 13(2); CoP 9.14, 9.40):

    - `decision`: whether to assess, 6 weeks;
    - `no_plan_notice`: notice that no plan will be issued after assessing, 16 weeks;
    - `final_plan`: the final EHC plan, 20 weeks.

    Received on Monday 6 January 2025: decision 17 February, notice 28 April, final plan 26 May
    2025 (the spring bank holiday: the date stands, the LA should act before it).
    """
    return {
        "decision": weeks_after(received_on, EHCNA_DECISION_WEEKS),
        "no_plan_notice": weeks_after(received_on, EHCNA_NO_PLAN_NOTICE_WEEKS),
        "final_plan": weeks_after(received_on, EHCNA_FINAL_PLAN_WEEKS),
    }


def advice_due(requested_on: date) -> date:
    """Advice asked of a professional during an assessment is due six calendar weeks from the
    LA's request (SEND Regs 2014 reg 8(1))."""
    return weeks_after(requested_on, ADVICE_WEEKS)


def draft_plan_comments_by(draft_sent_on: date) -> date:
    """The end of the parent's or young person's window to comment on a draft EHC plan and name
    a school: at least 15 calendar days from the day it was sent (SEND Regs 2014 reg 13(1);
    CoP 9.77)."""
    return draft_sent_on + timedelta(days=DRAFT_COMMENT_DAYS)


def appeal_deadline(decision_on: date, *, mediation_certificate_on: date | None = None) -> date:
    """The last day to appeal to the SEND Tribunal against an LA decision (a refusal to assess,
    not to issue a plan, or the plan's contents): two months from the decision, or one month
    from the mediation certificate if that is later (CFA 2014 s55; Tribunal Procedure (First-tier
    Tribunal) (HESC) Rules 2008 r.20). Months clamp to the month end like every date here."""
    deadline = add_months(decision_on, APPEAL_MONTHS)
    if mediation_certificate_on is not None:
        deadline = max(deadline, add_months(mediation_certificate_on, APPEAL_AFTER_MEDIATION_MONTHS))
    return deadline


def annual_review_due(anchor_on: date) -> date:
    """When an EHC plan's review is due: 12 calendar months from the day the plan was issued
    (the first review) or from the last review meeting (CFA 2014 s44(1); SEND Regs 2014
    reg 18; CoP 9.166), clamped to the month end: a plan of 29 February 2024 is reviewed by
    28 February 2025."""
    return add_months(anchor_on, ANNUAL_REVIEW_MONTHS)


def review_schedule(meeting_on: date) -> dict[str, date]:
    """The steps around an annual review meeting (SEND Regs 2014 reg 20; CoP 9.176, 9.176–9.177):

    - `papers_by`: advice and information circulated to invitees, two weeks before the meeting;
    - `report_by`: the school's report to the LA and everyone invited, two weeks after it;
    - `la_decision_by`: the LA's decision to maintain, amend or cease, four weeks after it.
    """
    return {
        "papers_by": weeks_after(meeting_on, -REVIEW_PAPERS_WEEKS),
        "report_by": weeks_after(meeting_on, REVIEW_REPORT_WEEKS),
        "la_decision_by": weeks_after(meeting_on, REVIEW_LA_DECISION_WEEKS),
    }


def phase_transfer_final_by(kind: str, *, moves_on: date) -> date:
    """The date by which an EHC plan naming the next setting must be final, for a move on
    `moves_on` (SEND Regs 2014 reg 18(1)): 15 February of the calendar year of the move into
    school, junior, middle or secondary school; 31 March for secondary to post-16; and for a
    move between post-16 settings, five months before it (a 1 September start: 1 April). These
    dates never move: 15 February 2025 was a Saturday."""
    if kind == PhaseTransfer.POST16_TO_POST16:
        return add_months(moves_on, -POST16_TRANSFER_MONTHS_BEFORE)
    try:
        month, day = _PHASE_TRANSFER_DAY[kind]
    except KeyError:
        raise ValueError(f"Not a kind of phase transfer: {kind!r}") from None
    return date(moves_on.year, month, day)


def closed_day_note(day: date) -> str:
    """Why `day` is not a working day ("a Saturday", "a bank holiday: Christmas Day"), or "" if
    it is one. Statutory dates stand on such days; the screen says so, so that the SENCO acts on
    the working day before.

    Christmas Day or Boxing Day on a weekend is named as the weekend day it is ("a Saturday:
    Boxing Day"): the bank holiday is the substitute weekday, named "(observed)"."""
    if day.weekday() >= 5:
        name = bank_holiday_name(day)
        return f"a {day:%A}: {name}" if name else f"a {day:%A}"
    if is_bank_holiday(day):
        return f"a bank holiday: {bank_holiday_name(day)}"
    return ""


def days_left(due_on: date, *, today: date) -> int:
    """Calendar days from `today` to `due_on`: negative once it has passed."""
    return (due_on - today).days


# --- Advice from outside professionals --------------------------------------------------------
#
# The Code of Practice expects the school to act on specialist advice within the graduated
# approach, agreeing with parents the support it leads to (CoP 6.61-6.62), and sets no period.
# We flag advice no plan has taken up after half a term: six school weeks, as for a watch on a
# concern, so a half-term holiday in between does not count.
ADVICE_UNACTIONED_SCHOOL_WEEKS = 6


def advice_unactioned_flag_on(received_on: date, calendar: SchoolCalendar) -> date:
    """The first day advice received on `received_on` and not yet taken up by a plan counts as
    left unactioned for more than half a term: the day after the 30th school day after it was
    received (holidays, weekends and bank holidays do not count). Received on Monday
    12 October 2026 with a half-term of 26 to 30 October, the 30th school day is Monday
    30 November, and the advice is flagged from Tuesday 1 December (without that half-term,
    from Tuesday 24 November)."""
    last_day = add_school_days(calendar, received_on, ADVICE_UNACTIONED_SCHOOL_WEEKS * SCHOOL_DAYS_A_WEEK)
    return last_day + timedelta(days=1)


# The common transfer file and the educational record go to the next school within 15 school
# days of the pupil leaving the register (The Education (Pupil Information) (England)
# Regulations 2005, reg 9(3)).
RECORD_TRANSFER_SCHOOL_DAYS = 15


def educational_record_due(left_on: date, calendar: SchoolCalendar) -> date:
    """The last day to send a leaver's CTF and educational record: the 15th school day counted
    from their leaving date (`Pupil.left_on`, their first day off roll, counts as the first day
    if it is a school day), on the school's calendar, so half-terms and closures do not count."""
    return add_school_days(calendar, left_on - timedelta(days=1), RECORD_TRANSFER_SCHOOL_DAYS)
