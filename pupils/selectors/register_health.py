"""Register health: the data that makes an SEN register untrustworthy, pupil by pupil.

For the SENCO team, leadership and school administrators (the view declares it): every pupil of
the user's current school, through `pupils_visible_to`. Most problems arrive with imported data
(the model's own rules stop them being typed in), so each check reads what is stored, not what
the forms allow. One query per check plus one for the school's calendar, however many pupils.

Other apps add checks about their own records without this app importing them (R2): an app
calls `contribute_check` from its AppConfig.ready() with a `Check` and a function

    def find(user, pupils, *, today) -> QuerySet[Pupil] | None

that narrows `pupils` (those on roll, annotated with their current status entry: `sen_status`,
`status_from`, `primary_need_id` and so on) to the ones with the problem, in ONE query, scoping
its own records by `user` (R4). It returns None when the user may not see what the check is
about; the check is then left out for them, as a pupil-page contribution is.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, DateField, Q, QuerySet, Subquery, When

from pupils.models import ON_REGISTER, TEMPORARY_UPN, Pupil, SenStatus
from pupils.permissions import can_change_sen_status, can_edit_record
from pupils.selectors.records import pupils_visible_to, with_sen_status
from pupils.selectors.register import REGISTER_STATUSES, latest_sen_change, left, on_roll
from senco.deadlines import monitoring_decision_due
from senco.models import User
from senco.rules import SchoolCalendar
from senco.selectors import school_calendar


@dataclass(frozen=True)
class Check:
    key: str
    title: str
    why: str
    # What puts a line right: "correct" the current status entry (its date kept), "decide" on a
    # new status, "take_off" a leaver, "edit_record" (the pupil's record), or "link": open the
    # page named by `fix_url` (a URL name taking the pupil's id), labelled `fix_text` + the name.
    # The page offers it to those `may_fix` allows.
    fix: str = "correct"
    may_fix: Callable[[User], bool] = can_change_sen_status
    fix_url: str = ""
    fix_text: str = ""


CHECKS = [
    Check(
        "no_primary_need",
        "SEN support or EHC plan with no primary need",
        "Every pupil on SEN support or with an EHC plan needs a primary need type "
        "(DfE census validation 2170).",
    ),
    Check(
        "secondary_without_primary",
        "Secondary need with no primary need",
        "A secondary need ranks below a primary need, so it is only valid alongside one "
        "(school census: need types ranked 1 and 2).",
    ),
    Check(
        "ehc_plan_without_date",
        "EHC plan with no plan date",
        "Annual reviews run from the date of the final plan (CFA 2014 s44; SEND Regulations reg 20).",
    ),
    Check(
        "temporary_upn",
        "Temporary UPN",
        "A temporary UPN (ending in a letter) stands in until the permanent one is known, and must "
        "then be replaced (DfE UPN guidance). The MIS import matches pupils by UPN: correct it here "
        "when the MIS does, or the next import adds the pupil again without their SEN history.",
        fix="edit_record",
        may_fix=can_edit_record,
    ),
    Check(
        "leaver_on_register",
        "Leavers still recorded with an SEN status",
        "A pupil who has left is off the register: take them off as at their leaving date, and send "
        "their SEN file with the CTF within 15 school days (Pupil Information Regulations 2005 reg 9).",
        fix="take_off",
    ),
    Check(
        "parents_not_informed",
        "Parents not recorded as informed",
        "The school must tell parents when it makes special educational provision for their child "
        "(CFA 2014 s68; SEND Code of Practice 6.43).",
    ),
    Check(
        "monitoring_overdue",
        "Monitoring for longer than a term",
        "Monitoring is a short watch, not a status to stay in: after a term, decide on SEN support "
        "or take the pupil off monitoring.",
        fix="decide",
    ),
]

CheckFinder = Callable[..., QuerySet[Pupil] | None]
_contributed: list[tuple[Check, CheckFinder]] = []


def contribute_check(check: Check, find: CheckFinder) -> None:
    """Add another app's check, listed after this app's own. Adding the same key twice adds it once."""
    if check.key not in {known.key for known in CHECKS} | {added.key for added, _ in _contributed}:
        _contributed.append((check, find))


@dataclass(frozen=True)
class Problem:
    pupil: Pupil
    detail: str


@dataclass(frozen=True)
class Section:
    check: Check
    problems: list[Problem]
    can_fix: bool  # whether the user is offered the page that puts a line right


def _with_current_entry(pupils: QuerySet[Pupil], *, today: date) -> QuerySet[Pupil]:
    """`with_sen_status`, and for pupils on the SEN register the plan date and the day parents
    were told from their current entry (`current_ehc_plan_date`, `current_parents_informed_on`;
    None for anyone else, whom no check asks about them): the database looks the entry up for
    those pupils only, not for the whole school."""
    latest = latest_sen_change(today=today)

    def of_current_entry(field: str, output_field) -> Case:
        found = Subquery(latest.values(field)[:1], output_field=output_field)
        return Case(When(sen_status__in=ON_REGISTER, then=found), default=None, output_field=output_field)

    return with_sen_status(pupils, today=today).annotate(
        current_ehc_plan_date=of_current_entry("ehc_plan_date", DateField()),
        current_parents_informed_on=of_current_entry("parents_informed_on", DateField()),
    )


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _since(pupil: Pupil) -> str:
    return f"{pupil.sen_status_label} since {_day(pupil.status_from)}"


def _upn(pupil: Pupil) -> str:
    return f"UPN {pupil.upn}; {_since(pupil)}" if pupil.sen_status else f"UPN {pupil.upn}"


def _current(user: User, today: date) -> QuerySet[Pupil]:
    return _with_current_entry(on_roll(pupils_visible_to(user), today=today), today=today).order_by(
        "year_group", "last_name", "first_name"
    )


def _own_checks() -> dict[str, Q]:
    """This app's checks that are one filter over the pupils on roll (annotated as
    `_with_current_entry`), by key."""
    return {
        "no_primary_need": Q(sen_status__in=ON_REGISTER, primary_need_id=None),
        "secondary_without_primary": Q(secondary_need_id__isnull=False, primary_need_id=None),
        "ehc_plan_without_date": Q(sen_status=SenStatus.EHC_PLAN, current_ehc_plan_date=None),
        "temporary_upn": Q(upn__regex=TEMPORARY_UPN),
        "parents_not_informed": Q(sen_status__in=ON_REGISTER, current_parents_informed_on=None),
    }


# A leaver's only check: still recorded with an SEN status (`leaver_on_register`).
LEAVER_STILL_ON_REGISTER = Q(sen_status__in=REGISTER_STATUSES)


def _queried_checks(user: User, current: QuerySet[Pupil], *, today: date) -> dict:
    """Each check that is one query: key -> (the pupils with the problem, what to say of each)."""
    leavers = _with_current_entry(left(pupils_visible_to(user), today=today), today=today)
    own = _own_checks()
    found = {
        "no_primary_need": (current.filter(own["no_primary_need"]), _since),
        "secondary_without_primary": (
            current.filter(own["secondary_without_primary"]),
            lambda p: f"{_since(p)}; secondary need {p.secondary_need_code}",
        ),
        "ehc_plan_without_date": (current.filter(own["ehc_plan_without_date"]), _since),
        "temporary_upn": (current.filter(own["temporary_upn"]), _upn),
        "leaver_on_register": (
            leavers.filter(LEAVER_STILL_ON_REGISTER).order_by("-left_on", "last_name", "first_name"),
            lambda p: f"Left on {_day(p.left_on)}; SEN status still {p.sen_status_label}",
        ),
        "parents_not_informed": (current.filter(own["parents_not_informed"]), _since),
    }
    for check, find in _contributed:
        pupils = find(user, current, today=today)
        if pupils is not None:
            found[check.key] = (pupils, _since)
    return found


def register_health(user: User, *, today: date) -> list[Section]:
    """Every check the user may see with the pupils who fail it, in `CHECKS` order (contributed
    checks last), by year then name.

    Pupils on roll are checked for (a) no primary need, (b) a secondary need without a primary,
    (c) an EHC plan without its date, (g) a temporary UPN, (e) parents not informed and (f)
    monitoring overdue, and by each contributed check; the leavers for (d) still holding an SEN
    status. Leavers are read-only, so (d) is their only check.
    """
    current = _current(user, today)
    found = {
        key: [Problem(pupil, describe(pupil)) for pupil in pupils]
        for key, (pupils, describe) in _queried_checks(user, current, today=today).items()
    }
    found["monitoring_overdue"] = _monitoring_overdue(user, current, today=today)
    return [
        Section(check, found[check.key], check.may_fix(user))
        for check in [*CHECKS, *(check for check, _ in _contributed)]
        if check.key in found
    ]


def _monitoring_overdue(user: User, current: QuerySet[Pupil], *, today: date) -> list[Problem]:
    calendar = school_calendar(user.school)
    problems = []
    for pupil in current.filter(sen_status=SenStatus.MONITORING):
        due, basis = monitoring_decision_due(pupil.status_from, calendar)
        if due < today:
            problems.append(Problem(pupil, f"{_since(pupil)}; a decision was due by {_day(due)} ({basis})"))
    return problems


def register_health_count(user: User, *, today: date, calendar: SchoolCalendar | None = None) -> int:
    """How many problems the register-health page lists, for the home page: every check counted
    in one aggregate query over the user's pupils (on roll and leavers), monitoring aside, whose
    due dates come from the school calendar (one more query for those pupils' start dates, and
    one for the calendar unless the caller has read it)."""
    pupils = _with_current_entry(pupils_visible_to(user), today=today)
    current = on_roll(pupils, today=today)
    on_roll_now = Q(left_on__isnull=True) | Q(left_on__gt=today)  # as `on_roll`
    counts = {key: Count("pk", filter=on_roll_now & check) for key, check in _own_checks().items()}
    counts["leaver_on_register"] = Count("pk", filter=~on_roll_now & LEAVER_STILL_ON_REGISTER)
    for check, find in _contributed:
        found = find(user, current, today=today)
        if found is not None:
            counts[check.key] = Count("pk", filter=Q(pk__in=found.values("pk")))
    counted = sum(pupils.aggregate(**counts).values())
    monitored = current.filter(sen_status=SenStatus.MONITORING).values_list("status_from", flat=True)
    if not monitored:
        return counted
    if calendar is None:
        calendar = school_calendar(user.school)
    return counted + sum(monitoring_decision_due(since, calendar)[0] < today for since in monitored)
