"""Reads of teachers' concerns about pupils, scoped by user (R4).

Who sees which concerns:
- the SENCO team (who triage them) and leadership (who oversee, read-only): every concern about
  a pupil of their school;
- class teachers and teaching assistants: the concerns they raised themselves, about pupils
  they still teach or support (a concern can hold sensitive observations, so colleagues sharing
  a class do not read each other's);
- governors, administrators and anyone else: none.
"""

from datetime import date

from django.db.models import Count, Q, QuerySet

from pupils.models import Concern, ConcernDecision, ConcernStage, Pupil
from pupils.permissions import CONCERN_OVERSEERS, can_oversee_concerns
from pupils.selectors.records import pupils_visible_to
from pupils.selectors.register import form_groups, on_roll
from senco.deadlines import CONCERN_WAITING_LIMIT, school_days_waiting
from senco.models import CLASSROOM, User
from senco.rules import SchoolCalendar

OPEN_STAGES = (ConcernStage.RAISED, ConcernStage.ACKNOWLEDGED, ConcernStage.GATHERING)


def concerns_visible_to(user: User) -> QuerySet[Concern]:
    """Every concern `user` may read (see the module docstring), each kind within the reach of
    the roles that read it: a head who also teaches oversees every concern, and a school
    administrator who is also a TA reads those they raised about the TA's own pupils."""
    overseen = pupils_visible_to(user.acting_as(CONCERN_OVERSEERS))
    own = pupils_visible_to(user.acting_as(CLASSROOM))
    return Concern.objects.filter(Q(pupil__in=overseen) | Q(pupil__in=own, raised_by=user))


def concern_for_page(user: User) -> QuerySet[Concern]:
    """Concerns with what the concern page shows; open one with `senco.access.open_record`."""
    return concerns_visible_to(user).select_related("pupil", "raised_by", "decided_by")


def concerns_of_pupil(user: User, *, pupil: Pupil) -> QuerySet[Concern]:
    """The pupil's concerns that `user` may read, newest first."""
    return (
        concerns_visible_to(user)
        .filter(pupil=pupil)
        .select_related("raised_by", "decided_by", "looked_again_by")
    )


def my_concerns(user: User) -> QuerySet[Concern]:
    """The concerns `user` raised, newest first, with the outcome of those decided."""
    return (
        concerns_visible_to(user)
        .filter(raised_by=user)
        .select_related("pupil", "decided_by")
        .order_by("-raised_on", "-id")
    )


def my_open_concerns_count(user: User) -> int:
    return concerns_visible_to(user).filter(raised_by=user, stage__in=OPEN_STAGES).count()


def open_concerns_count(user: User) -> int:
    """Open concerns the user oversees (none for anyone outside the SENCO team and leadership)."""
    if not can_oversee_concerns(user):
        return 0
    return concerns_visible_to(user).filter(stage__in=OPEN_STAGES).count()


def open_concerns(user: User, *, today: date, calendar: SchoolCalendar, stage: str = "") -> list[Concern]:
    """The triage queue: open concerns, oldest first, each with `days_waiting` (school days since
    raised, on the school's `calendar`) and `waiting_too_long` (more than
    `CONCERN_WAITING_LIMIT` of them), the pupil with their registration group.

    `stage` narrows to one open stage; an unknown stage gives the whole queue.
    """
    if not can_oversee_concerns(user):
        return []
    concerns = concerns_visible_to(user).filter(stage__in=[stage] if stage in OPEN_STAGES else OPEN_STAGES)
    rows = list(
        concerns.select_related("pupil", "raised_by")
        .prefetch_related(form_groups("pupil__teaching_groups"))
        .order_by("raised_on", "id")
    )
    for concern in rows:
        concern.days_waiting = school_days_waiting(concern.raised_on, today=today, calendar=calendar)
        concern.waiting_too_long = concern.days_waiting > CONCERN_WAITING_LIMIT
    return rows


def decided_concerns(user: User) -> QuerySet[Concern]:
    """Decided concerns, most recently decided first (the queue's second list)."""
    if not can_oversee_concerns(user):
        return Concern.objects.none()
    return (
        concerns_visible_to(user)
        .filter(stage=ConcernStage.DECIDED)
        .select_related("pupil", "raised_by", "decided_by")
        .prefetch_related(form_groups("pupil__teaching_groups"))
        .order_by("-decided_on", "-id")
    )


def concerns_to_look_at_again(user: User, *, today: date, due_by: date) -> list[Concern]:
    """Concerns decided "Monitor" whose date to look again is `due_by` or earlier and that nobody
    has looked at again yet, about pupils still on roll, soonest first; each with `overdue`
    (the date has passed by `today`).

    For the SENCO team and leadership, who see every concern of the school; nobody else (a
    teacher's own concerns are in "My concerns").
    """
    if not can_oversee_concerns(user):
        return []
    rows = list(
        concerns_visible_to(user)
        .filter(
            decision=ConcernDecision.MONITOR,
            look_again_on__lte=due_by,
            looked_again_at__isnull=True,
            pupil__in=on_roll(pupils_visible_to(user), today=today),
        )
        .select_related("pupil", "decided_by")
        .order_by("look_again_on", "pupil__last_name", "id")
    )
    for concern in rows:
        concern.overdue = concern.look_again_on < today
    return rows


def concern_stage_counts(user: User) -> dict[str, int]:
    """How many concerns the user oversees are at each stage, plus "open" for all open ones."""
    if not can_oversee_concerns(user):
        return {"open": 0, **dict.fromkeys(ConcernStage.values, 0)}
    return concerns_visible_to(user).aggregate(
        open=Count("id", filter=Q(stage__in=OPEN_STAGES)),
        **{stage: Count("id", filter=Q(stage=stage)) for stage in ConcernStage.values},
    )
