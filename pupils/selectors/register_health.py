"""Register health: the data that makes an SEN register untrustworthy, pupil by pupil.

For the SENCO team, leadership and school administrators (the view declares it): every pupil of
the user's current school, through `pupils_visible_to`. Most problems arrive with imported data
(the model's own rules stop them being typed in), so each check reads what is stored, not what
the forms allow. One query per check plus one for the term dates, however many pupils.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet, Subquery

from pupils.models import ON_REGISTER, Pupil, SenStatus
from pupils.selectors.records import pupils_visible_to, with_sen_status
from pupils.selectors.register import REGISTER_STATUSES, latest_sen_change, left, on_roll
from senco.deadlines import monitoring_decision_due
from senco.models import Term, User


@dataclass(frozen=True)
class Check:
    key: str
    title: str
    why: str
    # What puts a line right: "correct" the current status entry (its date kept), "decide" on a
    # new status, or "take_off" a leaver. The page links each line there for the SENCO team.
    fix: str = "correct"


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


@dataclass(frozen=True)
class Problem:
    pupil: Pupil
    detail: str


@dataclass(frozen=True)
class Section:
    check: Check
    problems: list[Problem]


def _with_current_entry(pupils: QuerySet[Pupil], *, today: date) -> QuerySet[Pupil]:
    latest = latest_sen_change(today=today)
    return with_sen_status(pupils, today=today).annotate(
        status_from=Subquery(latest.values("effective_from")[:1]),
        current_ehc_plan_date=Subquery(latest.values("ehc_plan_date")[:1]),
        current_parents_informed_on=Subquery(latest.values("parents_informed_on")[:1]),
        secondary_need_code=Subquery(latest.values("secondary_need__code")[:1]),
    )


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _since(pupil: Pupil) -> str:
    return f"{pupil.sen_status_label} since {_day(pupil.status_from)}"


def register_health(user: User, *, today: date) -> list[Section]:
    """Every check with the pupils who fail it, in `CHECKS` order, by year then name.

    Pupils on roll are checked for (a) no primary need, (b) a secondary need without a primary,
    (c) an EHC plan without its date, (e) parents not informed and (f) monitoring overdue; the
    leavers for (d) still holding an SEN status. Leavers are read-only, so (d) is their only check.
    """
    pupils = pupils_visible_to(user)
    current = _with_current_entry(on_roll(pupils, today=today), today=today).order_by(
        "year_group", "last_name", "first_name"
    )
    found = {
        "no_primary_need": [
            Problem(p, _since(p)) for p in current.filter(sen_status__in=ON_REGISTER, primary_need_id=None)
        ],
        "secondary_without_primary": [
            Problem(p, f"{_since(p)}; secondary need {p.secondary_need_code}")
            for p in current.filter(secondary_need_id__isnull=False, primary_need_id=None)
        ],
        "ehc_plan_without_date": [
            Problem(p, _since(p))
            for p in current.filter(sen_status=SenStatus.EHC_PLAN, current_ehc_plan_date=None)
        ],
        "leaver_on_register": [
            Problem(p, f"Left on {_day(p.left_on)}; SEN status still {p.sen_status_label}")
            for p in _with_current_entry(left(pupils, today=today), today=today)
            .filter(sen_status__in=REGISTER_STATUSES)
            .order_by("-left_on", "last_name", "first_name")
        ],
        "parents_not_informed": [
            Problem(p, _since(p))
            for p in current.filter(sen_status__in=ON_REGISTER, current_parents_informed_on=None)
        ],
        "monitoring_overdue": _monitoring_overdue(user, current, today=today),
    }
    return [Section(check, found[check.key]) for check in CHECKS]


def _monitoring_overdue(user: User, current: QuerySet[Pupil], *, today: date) -> list[Problem]:
    terms = list(
        Term.objects.filter(academic_year__school=user.school)
        .order_by("starts_on")
        .values_list("starts_on", "ends_on")
    )
    problems = []
    for pupil in current.filter(sen_status=SenStatus.MONITORING):
        due, basis = monitoring_decision_due(pupil.status_from, terms)
        if due < today:
            problems.append(Problem(pupil, f"{_since(pupil)}; a decision was due by {_day(due)} ({basis})"))
    return problems


def register_health_count(user: User, *, today: date) -> int:
    """How many problems the register-health page lists, for the home page."""
    return sum(len(section.problems) for section in register_health(user, today=today))
