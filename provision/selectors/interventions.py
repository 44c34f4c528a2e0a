"""Reads of staff rates and the intervention catalogue, scoped to the user's current school.

Staff rates: the SENCO team, leadership and the school administrator (pay information).
The catalogue: those roles plus teachers and TAs; governors nobody. The catalogue holds no
pupil data; whether a page shows the cost fields is the view's decision (`can_see_costs`).
"""

from django.db.models import Count, QuerySet

from provision.models import Intervention, StaffRate
from provision.permissions import CATALOGUE_READERS, COST_READERS
from senco.models import User


def staff_rates_visible_to(user: User) -> QuerySet[StaffRate]:
    if not user.has_role(*COST_READERS):
        return StaffRate.objects.none()
    return StaffRate.objects.filter(school=user.school)


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
