"""Reads about pupils. `pupils_visible_to` is the one answer to "which pupils may this user see?"."""

from datetime import date

from django.db.models import (
    Case,
    CharField,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils import timezone

from pupils.models import GroupKind, Pupil, SenStatusChange, TeachingGroup
from senco.models import CLASSROOM, WHOLE_SCHOOL, User


def groups_of(user: User) -> QuerySet[TeachingGroup]:
    """The groups at the user's current school that they teach or support."""
    taught = TeachingGroup.objects.filter(school=user.school, teachers=user)
    supported = TeachingGroup.objects.filter(school=user.school, assistants=user)
    return (taught | supported).distinct()


def pupils_visible_to(user: User) -> QuerySet[Pupil]:
    """Pupils of the user's current school that the user may see, in the roles they act in
    (`User.roles`: a view's user acts in the roles its declaration names, and a capability's
    selector narrows to the roles granting it with `user.acting_as`).

    SENCO team, leadership and school administrators: every pupil of the school.
    Teachers and teaching assistants: the pupils in the groups they teach or support.
    Governors, and anyone else: nobody.
    """
    pupils = Pupil.objects.filter(school=user.school)
    if user.has_role(*WHOLE_SCHOOL):
        return pupils
    if user.has_role(*CLASSROOM):
        in_my_groups = TeachingGroup.pupils.through.objects.filter(teachinggroup__in=groups_of(user))
        return pupils.filter(pk__in=in_my_groups.values("pupil_id"))
    return pupils.none()


def within_reach(user: User, pupil: Pupil, *, roles) -> bool:
    """Whether `pupil` is among `pupils_visible_to(user.acting_as(roles))`: the reach of a
    capability (reading a passport, commenting on a plan, raising a concern) is that of the
    roles granting it, never of another role the user also holds. No query when one of those
    roles sees the whole school; for teachers and TAs one query per pupil, remembered for the
    request (the user object lives as long as it)."""
    acting = user.acting_as(roles)
    if acting.school is None or pupil.school_id != acting.school.pk:
        return False
    if acting.has_role(*WHOLE_SCHOOL):
        return True
    if not acting.has_role(*CLASSROOM):
        return False
    # Teachers' and TAs' reach is the same (the groups they teach or support), so one answer
    # serves every capability; kept on the user, so the copies `acting_as` makes share it.
    known = user.__dict__.setdefault("_pupils_in_my_groups", {})
    if pupil.pk not in known:
        known[pupil.pk] = pupils_visible_to(acting).filter(pk=pupil.pk).exists()
    return known[pupil.pk]


def search_pupils(pupils: QuerySet[Pupil], search: str) -> QuerySet[Pupil]:
    """The pupils whose legal or preferred name, or UPN, matches every word of `search`."""
    for word in search.split():
        pupils = pupils.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_first_name__icontains=word)
            | Q(preferred_last_name__icontains=word)
            | Q(upn__icontains=word)
        )
    return pupils


def pupils_for_audit(user: User, search: str = "") -> QuerySet[Pupil]:
    """The core's audit trail names pupils by id: these are the ones `user` may see (for the
    trail's readers, every pupil of the school, leavers too) matching `search`, by surname.
    Registered with `senco.selectors.provide_pupil_lookup` by this app's config."""
    return search_pupils(pupils_visible_to(user), search).order_by("last_name", "first_name", "pk")


def sen_history_in_force(*, today: date) -> QuerySet[SenStatusChange]:
    """The entries in force on `today`, latest first, for a Subquery over pupils
    (`OuterRef("pk")`): the first is the pupil's status that day. An entry dated after `today`
    is a change agreed ahead (parents are often told at a meeting before support starts), and
    takes effect only on its date."""
    return SenStatusChange.objects.filter(pupil=OuterRef("pk"), effective_from__lte=today).order_by(
        "-effective_from", "-id"
    )


def stored_status_answers_for(today: date) -> Q:
    """The pupils whose stored copy of the SEN history (`Pupil.sen_status_now` and its
    neighbours) is the entry in force on `today`: the copy was taken on or after the entry's
    date, and no change agreed ahead has taken effect by `today`."""
    return (Q(sen_status_since__isnull=True) | Q(sen_status_since__lte=today)) & (
        Q(next_sen_change_on__isnull=True) | Q(next_sen_change_on__gt=today)
    )


class _SettledDay:
    """The day on which this process last found every pupil's copy in force, so that the
    register's queries read the copy alone (quicker to build and to run) without asking again.

    Only the real today is remembered: every copy is taken on the day it is written, and a copy
    taken on `today` answers for `today` (it can only stop answering for earlier or later days),
    so once every copy answers for today, none stops doing so until tomorrow, in any process.
    A copy taken on another day (a test, a command given a date) forgets it (`forget`)."""

    day: date | None = None

    def holds(self, today: date) -> bool:
        if self.day == today:
            return True
        stale = Pupil.objects.filter(Q(next_sen_change_on__lte=today) | Q(sen_status_since__gt=today))
        settled = not stale.exists()
        if settled and today == timezone.localdate():
            self.day = today
        return settled

    def forget(self) -> None:
        self.day = None


settled_day = _SettledDay()


def with_sen_status(pupils: QuerySet[Pupil], *, today: date) -> QuerySet[Pupil]:
    """Annotate each pupil with their SEN status and needs on `today`.

    Adds `sen_status`, `status_from` (the day it took effect), `primary_need_id`,
    `secondary_need_id`, `primary_need_code` and `secondary_need_code`; a pupil with no history in
    force is not on the register. Read from the copy on the pupil row where it answers for
    `today` (`stored_status_answers_for`: on a normal day every pupil, and then the copy alone is
    read), otherwise from the history itself, so the answer is the history's on any day.
    """
    fields = [
        ("sen_status", "sen_status_now", "status", CharField()),
        ("primary_need_id", "primary_need_now_id", "primary_need_id", IntegerField()),
        ("secondary_need_id", "secondary_need_now_id", "secondary_need_id", IntegerField()),
        ("primary_need_code", "primary_need_now__code", "primary_need__code", CharField()),
        ("secondary_need_code", "secondary_need_now__code", "secondary_need__code", CharField()),
        ("status_from", "sen_status_since", "effective_from", DateField()),
    ]
    if settled_day.holds(today):
        return pupils.annotate(**{name: F(stored) for name, stored, _, _ in fields})
    stored = stored_status_answers_for(today)
    latest = sen_history_in_force(today=today)
    return pupils.annotate(
        **{
            name: Case(
                When(stored, then=F(stored_field)),
                default=Subquery(latest.values(history_field)[:1]),
                output_field=kind,
            )
            for name, stored_field, history_field, kind in fields
        }
    )


def current_sen_status(pupil: Pupil, *, today: date) -> SenStatusChange | None:
    """The entry of the pupil's SEN history in force on `today` (the latest dated on or before
    it, then the latest recorded), or None if there is none."""
    return (
        pupil.sen_history.filter(effective_from__lte=today)
        .select_related("primary_need", "secondary_need")
        .first()
    )


def latest_sen_entry(pupil: Pupil) -> SenStatusChange | None:
    """The last entry of the pupil's SEN history, whether in force yet or agreed ahead: the one
    a new entry must not be dated before."""
    return pupil.sen_history.select_related("primary_need", "secondary_need").first()


def upcoming_sen_statuses(pupil: Pupil, *, today: date) -> list[SenStatusChange]:
    """Changes agreed ahead, taking effect after `today`, soonest first."""
    return sen_status_now_and_ahead(pupil, today=today)[1]


def sen_status_now_and_ahead(
    pupil: Pupil, *, today: date
) -> tuple[SenStatusChange | None, list[SenStatusChange]]:
    """The entry in force on `today` (as `current_sen_status`) and the changes agreed ahead
    (as `upcoming_sen_statuses`), in one query for the pupil page."""
    in_force = pupil.sen_history.filter(effective_from__lte=today).values("pk")[:1]
    entries = list(
        pupil.sen_history.filter(Q(effective_from__gt=today) | Q(pk=Subquery(in_force)))
        .select_related("primary_need", "secondary_need")
        .order_by("effective_from", "id")
    )
    if entries and entries[0].effective_from <= today:
        return entries[0], entries[1:]
    return None, entries


def split_sen_history(
    history: list[SenStatusChange], *, today: date
) -> tuple[SenStatusChange | None, list[SenStatusChange]]:
    """`sen_status_now_and_ahead` from the pupil's whole history already read (any order), with
    no query: the entry in force on `today` (the latest effective on or before it, the last
    recorded of a day) and the changes agreed ahead, soonest first."""
    entries = sorted(history, key=lambda change: (change.effective_from, change.pk))
    in_force = [change for change in entries if change.effective_from <= today]
    ahead = [change for change in entries if change.effective_from > today]
    return (in_force[-1] if in_force else None), ahead


# Who teaches each group ------------------------------------------------------------------------


def staffed_groups(user: User) -> QuerySet[TeachingGroup]:
    """The classes, registration groups and sets of the user's current school, with their
    teachers and assistants: who may read or change them is the views' declaration. Intervention
    groups are left out: their staff are set on the provision group (`provision.services.groups`).
    No pupil is named."""
    return (
        TeachingGroup.objects.filter(school=user.school)
        .exclude(kind=GroupKind.INTERVENTION)
        .prefetch_related("teachers", "assistants")
        .order_by("kind", "name")
    )


def holders_of(user: User, role: str) -> QuerySet[User]:
    """The active staff holding `role` at the user's current school, by surname: who may be
    chosen as a group's teachers (class teachers) or its assistants (teaching assistants)."""
    return (
        User.objects.filter(is_active=True, memberships__school=user.school, memberships__role=role)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
