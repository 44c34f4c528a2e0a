"""Reads for the delivery log: sessions planned and delivered per group and per pupil, over the
teaching weeks of the school's calendar (`senco.selectors.school_calendar`, fetched once per
request by the caller)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q

from provision.models import DeliveredSession, Placement, ProvisionGroup, SessionStatus
from provision.rules.delivery import below_target, count_in_window, delivery_percent, planned_window
from provision.selectors.groups import groups_visible_to
from pupils.selectors.records import pupils_visible_to
from senco.models import User
from senco.rules import Period, SchoolCalendar
from senco.selectors import school_calendar


@dataclass(frozen=True)
class Delivery:
    """Sessions planned and delivered, and which weeks the figures count, for the pages to say
    (`templates/provision/partials/weeks_counted.html`)."""

    planned: int
    delivered: int
    counted_until: date
    counted: Period  # the days the figures cover: first day to the last day of the weeks over
    weeks: int = 0  # the teaching weeks among them
    # The first week not counted yet (first day, last school day) and whether it has begun.
    next_week: Period | None = None
    in_progress: bool = False

    @property
    def any_counted(self) -> bool:
        """Whether any week is over yet (a holiday week counts, with nothing planned)."""
        return self.counted[0] <= self.counted[1]

    @property
    def percent(self) -> int | None:
        return delivery_percent(self.delivered, self.planned)

    @property
    def below_target(self) -> bool:
        return below_target(self.delivered, self.planned)


def _delivered_days(groups: list[ProvisionGroup]) -> dict[int, list[date]]:
    days = defaultdict(list)
    sessions = DeliveredSession.objects.filter(group__in=groups, status=SessionStatus.DELIVERED)
    for group_id, held_on in sessions.values_list("group_id", "held_on"):
        days[group_id].append(held_on)
    return days


def _delivery(
    calendar: SchoolCalendar, *, starts_on: date, ends_on: date, per_week: int, days: list[date], today: date
) -> Delivery:
    window = planned_window(calendar, starts_on=starts_on, ends_on=ends_on, today=today)
    return Delivery(
        planned=per_week * window.weeks,
        delivered=count_in_window(days, starts_on=starts_on, window=window),
        counted_until=window.counted_until,
        counted=(starts_on, min(window.counted_until - timedelta(days=1), ends_on)),
        weeks=window.weeks,
        next_week=window.next_week,
        in_progress=window.next_week is not None and window.next_week[0] <= today,
    )


def group_deliveries(
    groups: list[ProvisionGroup], *, today: date, calendar: SchoolCalendar
) -> dict[int, Delivery]:
    """Planned and delivered sessions of each group, in one query for all of them."""
    days = _delivered_days(groups)
    return {
        group.pk: _delivery(
            calendar,
            starts_on=group.starts_on,
            ends_on=group.ends_on,
            per_week=group.sessions_per_week,
            days=days[group.pk],
            today=today,
        )
        for group in groups
    }


def with_pupil_deliveries(
    group: ProvisionGroup, placements: list[Placement], *, today: date, calendar: SchoolCalendar
) -> list[Placement]:
    """Give each placement `delivery`: sessions planned while the pupil was in the group, and
    sessions they attended (delivered sessions while placed, less those they were absent from).
    Two queries, however many pupils and sessions."""
    days = _delivered_days([group])[group.pk]
    absences = defaultdict(set)
    absent_rows = DeliveredSession.absent.through.objects.filter(
        deliveredsession__group=group, deliveredsession__status=SessionStatus.DELIVERED
    ).values_list("pupil_id", "deliveredsession__held_on")
    for pupil_id, held_on in absent_rows:
        absences[pupil_id].add(held_on)
    for placement in placements:
        # A pupil who left on a day is no longer in the group that day (as `Pupil.left_on`).
        starts_on = max(group.starts_on, placement.joined_on)
        last_day = placement.left_on - timedelta(days=1) if placement.left_on else group.ends_on
        ends_on = max(starts_on, min(group.ends_on, last_day))
        placement.delivery = _delivery(
            calendar,
            starts_on=starts_on,
            ends_on=ends_on,
            per_week=group.sessions_per_week,
            days=[day for day in days if day <= last_day and day not in absences[placement.pupil_id]],
            today=today,
        )
    return placements


def delivery_overview(user: User, *, today: date, calendar: SchoolCalendar) -> list[ProvisionGroup]:
    """Every running group (started, not yet finished) of the user's school with `delivery`,
    those below 80% first, then the lowest percentage first."""
    groups = list(
        groups_visible_to(user)
        .filter(starts_on__lte=today, ends_on__gte=today)
        .select_related("intervention")
        .prefetch_related("staff")
        .annotate(pupil_count=Count("placements", filter=Q(placements__left_on__isnull=True)))
    )
    deliveries = group_deliveries(groups, today=today, calendar=calendar)
    for group in groups:
        group.delivery = deliveries[group.pk]
    return sorted(
        groups,
        key=lambda group: (
            not group.delivery.below_target,
            group.delivery.percent is None,
            group.delivery.percent or 0,
            group.name,
        ),
    )


def below_target_count(user: User, *, today: date, calendar: SchoolCalendar | None = None) -> int:
    """How many running groups are below 80% delivered (for the home page), as `delivery_overview`
    finds them: each group's dates and pattern only, and their delivered sessions (two queries,
    and one for the calendar unless the caller has read it)."""
    running = groups_visible_to(user).filter(starts_on__lte=today, ends_on__gte=today)
    groups = list(running.only("pk", "starts_on", "ends_on", "sessions_per_week"))
    if not groups:
        return 0
    if calendar is None:
        calendar = school_calendar(user.school)
    deliveries = group_deliveries(groups, today=today, calendar=calendar)
    return sum(1 for delivery in deliveries.values() if delivery.below_target)


def recent_sessions(user: User, *, group: ProvisionGroup, limit: int = 20) -> list[DeliveredSession]:
    """The group's latest session records with who recorded them and who was absent (of the
    pupils the user may see)."""
    absent = pupils_visible_to(user).order_by("last_name", "first_name")
    return list(
        group.sessions.select_related("recorded_by")
        .prefetch_related(Prefetch("absent", queryset=absent))
        .order_by("-held_on")[:limit]
    )
