"""Reads of staff rates, the rate each member of staff is costed at, and the intervention
catalogue, scoped to the user's current school.

Staff rates and who is costed at which: the SENCO team, leadership and the school administrator
(pay information).
The catalogue: those roles plus teachers and TAs; governors nobody. The catalogue holds no
pupil data; whether a page shows the cost fields is the view's decision (`can_see_costs`).
"""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from provision.models import Intervention, StaffMemberRate, StaffRate
from provision.permissions import CATALOGUE_READERS, COST_READERS
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


def costed_staff(user: User) -> list[CostedStaff]:
    """Each member of staff who may deliver groups, with the rate they are costed at. Two queries."""
    rates = {
        row.staff_id: row.staff_rate
        for row in StaffMemberRate.objects.filter(school=user.school).select_related("staff_rate")
    }
    return [CostedStaff(member, rates.get(member.pk)) for member in staff_to_cost(user)]


def interventions_visible_to(user: User) -> QuerySet[Intervention]:
    if not user.has_role(*CATALOGUE_READERS):
        return Intervention.objects.none()
    return Intervention.objects.filter(school=user.school).select_related("staff_rate")


def catalogue(user: User) -> QuerySet[Intervention]:
    """The catalogue, entries in use first, each with `group_count` (groups set up from it)."""
    return (
        interventions_visible_to(user)
        .annotate(group_count=Count("groups", distinct=True))
        .order_by("-is_active", "name")
    )


def interventions_in_use(user: User) -> QuerySet[Intervention]:
    """The entries a new group may be built from."""
    return interventions_visible_to(user).filter(is_active=True).order_by("name")
