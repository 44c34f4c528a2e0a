"""Reads of staff rates, the rate each member of staff is costed at, and the intervention
catalogue, scoped to the user's current school.

Staff rates and who is costed at which: the SENCO team, leadership and the school administrator
(pay information).
The catalogue: those roles plus teachers and TAs; governors nobody. The catalogue holds no
pupil data; whether a page shows the cost fields is the view's decision (`can_see_costs`).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet

from provision.models import Intervention, StaffMemberRate, StaffRate
from provision.permissions import CATALOGUE_READERS, COST_READERS, can_see_costs
from provision.selectors.budget import (
    HistoryLine,
    history_lines,
    hourly_cost_on,
    staff_member_rate_on,
    with_costs_on,
)
from provision.selectors.groups import deliverers
from senco.models import User


def staff_rates_visible_to(user: User) -> QuerySet[StaffRate]:
    if not user.has_role(*COST_READERS):
        return StaffRate.objects.none()
    return StaffRate.objects.filter(school=user.school)


def staff_to_cost(user: User) -> QuerySet[User]:
    """The staff who may deliver groups at the user's school, whose rate a cost reader may see."""
    if not user.has_role(*COST_READERS):
        return User.objects.none()
    return deliverers(user.school)


def staff_member_rate_of(user: User, *, staff: User, today: date) -> StaffMemberRate | None:
    """The rate `staff` (one of `staff_to_cost(user)`) is costed at `today`, if they have their
    own."""
    return staff_member_rate_on(school=user.school, staff=staff, day=today)


@dataclass(frozen=True)
class CostedStaff:
    staff: User
    staff_rate: StaffRate | None  # on the day asked about; None: each intervention's own rate
    hourly_cost: Decimal | None = None  # the rate's, that day
    history: list[HistoryLine] = field(default_factory=list)  # their own rates from each day


def costed_staff(user: User, *, today: date) -> list[CostedStaff]:
    """Each member of staff who may deliver groups, with the rate they are costed at `today`,
    its hourly cost that day, and the rates of their own from each day. Two queries."""
    rows = (
        StaffMemberRate.objects.filter(school=user.school)
        .select_related("staff_rate")
        .annotate(hourly_cost_now=hourly_cost_on(today, "staff_rate_id"))
        .order_by("staff_id", "applies_from")
    )
    own: dict[int, list[StaffMemberRate]] = {}
    for row in rows:
        own.setdefault(row.staff_id, []).append(row)
    costed = []
    for member in staff_to_cost(user):
        history = history_lines(own.get(member.pk, []), today=today)
        now = next((line.row for line in history if line.in_force), None)
        if now is None or now.staff_rate is None:
            costed.append(CostedStaff(member, None, None, history))
        else:
            costed.append(CostedStaff(member, now.staff_rate, now.hourly_cost_now, history))
    return costed


def interventions_visible_to(user: User) -> QuerySet[Intervention]:
    if not user.has_role(*CATALOGUE_READERS):
        return Intervention.objects.none()
    return Intervention.objects.filter(school=user.school).select_related("staff_rate")


def catalogue(user: User, *, today: date) -> QuerySet[Intervention]:
    """The catalogue, entries in use first, each with `group_count` (groups set up from it) and,
    for cost readers, what prices it `today` (`with_costs_on`)."""
    entries = interventions_visible_to(user).annotate(group_count=Count("groups", distinct=True))
    if can_see_costs(user):
        entries = with_costs_on(entries, today)
    return entries.order_by("-is_active", "name")


def interventions_in_use(user: User) -> QuerySet[Intervention]:
    """The entries a new group may be built from."""
    return interventions_visible_to(user).filter(is_active=True).order_by("name")
