"""Reads of staff rates, the rate each member of staff is costed at, and the intervention
catalogue, scoped to the user's current school.

Staff rates and who is costed at which: the SENCO team, leadership and the school administrator
(pay information).
The catalogue: those roles plus teachers and TAs; governors nobody. The catalogue holds no
pupil data; whether a page shows the cost fields is the view's decision (`can_see_costs`).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet

from provision.models import Intervention, StaffMemberRate, StaffRate
from provision.permissions import CATALOGUE_READERS, COST_READERS, can_see_costs
from provision.selectors.budget import hourly_cost_on, with_costs_on
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


def staff_member_rate_of(user: User, *, staff: User) -> StaffMemberRate | None:
    """The rate `staff` (one of `staff_to_cost(user)`) is costed at, if they have their own."""
    return (
        StaffMemberRate.objects.filter(school=user.school, staff=staff).select_related("staff_rate").first()
    )


@dataclass(frozen=True)
class CostedStaff:
    staff: User
    staff_rate: StaffRate | None  # None: each intervention's own rate
    hourly_cost: Decimal | None = None  # the rate's, in force on the day asked about


def costed_staff(user: User, *, today: date) -> list[CostedStaff]:
    """Each member of staff who may deliver groups, with the rate they are costed at and its
    hourly cost `today`. Two queries."""
    rows = (
        StaffMemberRate.objects.filter(school=user.school)
        .select_related("staff_rate")
        .annotate(hourly_cost_now=hourly_cost_on(today, "staff_rate_id"))
    )
    rates = {row.staff_id: row for row in rows}
    return [
        CostedStaff(member, row.staff_rate, row.hourly_cost_now)
        if (row := rates.get(member.pk))
        else CostedStaff(member, None)
        for member in staff_to_cost(user)
    ]


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
