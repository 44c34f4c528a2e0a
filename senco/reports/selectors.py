"""Aggregate reads for the role home pages and dashboards. Counts shown to governors go through
`suppress`, so no template can show a small number."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from pupils.models import NeedType, Pupil, SenStatus, TeachingGroup
from pupils.selectors.records import groups_of, pupils_visible_to, with_sen_status
from pupils.selectors.register import on_roll
from senco.models import User

# Counts of 1-4 are suppressed: governors oversee systems, not pupils, and so small a count can
# identify a child (UK GDPR Article 5(1)(c), data minimisation).
SMALL_NUMBER = 5


def suppress(count: int) -> str:
    """A count as governors may see it: 0 and 5+ shown, 1-4 as 'fewer than 5'."""
    return "fewer than 5" if 0 < count < SMALL_NUMBER else str(count)


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int
    percent: float


def _on_roll(user: User, today: date) -> QuerySet[Pupil]:
    """The pupils the user sees who are on roll on `today` (a leaving date still to come counts)."""
    return on_roll(pupils_visible_to(user), today=today)


def _count_by(pupils: QuerySet[Pupil], annotation: str) -> Counter:
    """How many of `pupils` have each value of `annotation`: one grouped query."""
    rows = pupils.order_by().values(annotation).annotate(n=Count("pk")).values_list(annotation, "n")
    return Counter(dict(rows))


KEYS = ("sen_status", "primary_need_id")


def _by_status_and_need(user: User, today: date) -> Counter:
    """How many pupils on roll the user sees have each (SEN status, primary need id) on `today`:
    one grouped query, from which both the status and the need counts are read."""
    pupils = with_sen_status(_on_roll(user, today), today=today).order_by()
    rows = pupils.values(*KEYS).annotate(n=Count("pk"))
    return Counter({(status, need): n for status, need, n in rows.values_list(*KEYS, "n")})


def _status_counts(counts: Counter) -> list[StatusCount]:
    statuses: Counter = Counter()
    for (status, _), n in counts.items():
        statuses[status or SenStatus.NO_SEN] += n
    roll = sum(statuses.values())
    # Labelled with the census code, so that monitoring (which the register lists) is not read
    # as "off the register" and no SEN as its own census code.
    return [
        StatusCount(
            status,
            status.census_label,
            statuses[status],
            round(100 * statuses[status] / roll, 1) if roll else 0.0,
        )
        for status in SenStatus
    ]


def _need_counts(counts: Counter) -> list[tuple[NeedType, int]]:
    """Of `counts`, the pupils on SEN support or with an EHC plan by primary need, largest first
    (one query for the need types)."""
    needs_counted: Counter = Counter()
    for (status, need), n in counts.items():
        if status in (SenStatus.SEN_SUPPORT, SenStatus.EHC_PLAN):
            needs_counted[need] += n
    needs = NeedType.objects.in_bulk(list(needs_counted))
    return sorted(
        ((needs[pk], n) for pk, n in needs_counted.items() if pk in needs),
        key=lambda row: (-row[1], row[0].code),
    )


def sen_status_counts(user: User, *, today: date) -> list[StatusCount]:
    """Pupils on roll at the user's school by current SEN status, with the share of the roll.

    For the SENCO team, leadership and administrators (the view declares it): whole school.
    """
    return _status_counts(_by_status_and_need(user, today))


def primary_need_counts(user: User, *, today: date) -> list[tuple[NeedType, int]]:
    """Pupils on SEN support or with an EHC plan at the user's school by primary need, largest first."""
    return _need_counts(_by_status_and_need(user, today))


def status_and_need_counts(
    user: User, *, today: date
) -> tuple[list[StatusCount], list[tuple[NeedType, int]]]:
    """`sen_status_counts` and `primary_need_counts` together, from one grouped query (and one
    for the need types), for the home page."""
    counts = _by_status_and_need(user, today)
    return _status_counts(counts), _need_counts(counts)


def governor_status_summary(user: User, *, today: date) -> list[dict[str, str]]:
    """Census counts (E, K, N) for governors, suppressed. Monitoring is the school's own status,
    not a census code, so it counts as N (DfE school census guide: SEN provision E, K or N)."""
    school_pupils = with_sen_status(
        on_roll(Pupil.objects.filter(school=user.school), today=today), today=today
    )
    statuses = _count_by(school_pupils, "sen_status")
    ehc = statuses[SenStatus.EHC_PLAN]
    support = statuses[SenStatus.SEN_SUPPORT]
    roll = sum(statuses.values())
    return [
        {"label": "EHC plan (census E)", "count": suppress(ehc), "percent": _percent(ehc, roll)},
        {"label": "SEN support (census K)", "count": suppress(support), "percent": _percent(support, roll)},
        {"label": "Pupils on roll", "count": suppress(roll), "percent": ""},
    ]


def _percent(count: int, total: int) -> str:
    if 0 < count < SMALL_NUMBER:
        return "fewer than 5"
    return f"{100 * count / total:.1f}%" if total else "0.0%"


def my_groups(user: User, *, today: date) -> QuerySet[TeachingGroup]:
    """The groups a teacher or TA works with, each with `pupil_count`, its pupils on roll on
    `today`. Distinct: `groups_of` joins a group's teachers and assistants, so a plain count
    would count each pupil once per member of staff on the other side of that join."""
    on_roll_today = Q(pupils__left_on__isnull=True) | Q(pupils__left_on__gt=today)  # as `on_roll`
    return (
        groups_of(user)
        .annotate(pupil_count=Count("pupils", distinct=True, filter=on_roll_today))
        .order_by("name")
    )


def my_pupils_on_register(user: User, *, today: date) -> QuerySet[Pupil]:
    """Pupils the user teaches or supports who are on the register or being monitored."""
    return (
        with_sen_status(_on_roll(user, today), today=today)
        .filter(sen_status__in=[SenStatus.MONITORING, SenStatus.SEN_SUPPORT, SenStatus.EHC_PLAN])
        .order_by("year_group", "last_name", "first_name")
    )
