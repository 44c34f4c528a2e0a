"""Reads of provision groups, their pupils and their delivery, scoped by user (R4).

The SENCO team and leadership see every group of their school; teachers and TAs the groups
they deliver (they are in `group.staff`); the school administrator, governors and anyone else
none. Pupils are only ever reached through `pupils_visible_to`.
"""

from datetime import date

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from provision.models import Placement, ProvisionGroup
from provision.permissions import GROUP_READERS
from pupils.models import Pupil
from pupils.selectors.records import pupils_visible_to, within_reach
from senco.models import CLASSROOM, LEADERSHIP, SENCO_TEAM, Membership, Role, School, User

# Who may be named as delivering a group: the SENCO team (an ELSA-trained SENCO, say),
# teachers and TAs. External specialists are not users; the catalogue says who delivers.
DELIVERER_ROLES = (*SENCO_TEAM, *CLASSROOM)


def groups_visible_to(user: User) -> QuerySet[ProvisionGroup]:
    """The groups `user` sees in the roles they act in that read groups (GROUP_READERS)."""
    reader = user.acting_as(GROUP_READERS)
    groups = ProvisionGroup.objects.filter(school=user.school)
    if reader.has_role(*SENCO_TEAM, *LEADERSHIP):
        return groups
    if reader.has_role(*CLASSROOM):
        return groups.filter(staff=user)
    return groups.none()


def group_state(group: ProvisionGroup, *, today: date) -> str:
    if today < group.starts_on:
        return "Not started"
    return "Running" if today <= group.ends_on else "Finished"


def group_list(user: User, *, today: date) -> list[ProvisionGroup]:
    """Every group the user may see, running ones first, each with `pupil_count` (pupils in it
    now), its staff and `state`."""
    groups = list(
        groups_visible_to(user)
        .select_related("intervention")
        .prefetch_related("staff")
        .annotate(pupil_count=Count("placements", filter=Q(placements__left_on__isnull=True)))
        .order_by("-ends_on", "name")
    )
    for group in groups:
        group.state = group_state(group, today=today)
    order = {"Running": 0, "Not started": 1, "Finished": 2}
    return sorted(groups, key=lambda group: order[group.state])


def group_for_page(user: User) -> QuerySet[ProvisionGroup]:
    """Groups with what the group page shows; open one with `senco.access.open_record`."""
    return (
        groups_visible_to(user)
        .select_related("intervention", "teaching_group", "school")
        .prefetch_related("staff")
    )


def current_placements(group: ProvisionGroup) -> QuerySet[Placement]:
    """The pupils in the group now (not yet taken out), in name order."""
    return group.placements.filter(left_on__isnull=True).select_related("pupil")


def current_pupils(user: User, *, group: ProvisionGroup) -> QuerySet[Pupil]:
    """The pupils in the group now, as the user may see them, in name order."""
    in_group = Placement.objects.filter(group=group, left_on__isnull=True).values("pupil_id")
    return pupils_visible_to(user).filter(pk__in=in_group).order_by("last_name", "first_name")


def placements_to_score(user: User, *, group: ProvisionGroup) -> list[Placement]:
    """The group's scores grid: the pupils in it now whom the user may see, in name order, with
    their scores."""
    visible = current_placements(group).filter(pupil__in=pupils_visible_to(user))
    return list(visible.order_by("pupil__last_name", "pupil__first_name", "pk"))


def pupils_ever_placed(user: User, *, group: ProvisionGroup) -> QuerySet[Pupil]:
    """Everyone who has been in the group whom the user may see: a correction to a session may
    concern a day when a pupil since taken out was there."""
    return pupils_visible_to(user).filter(placements__group=group).order_by("last_name", "first_name")


def placements_for_page(user: User, *, group: ProvisionGroup) -> list[Placement]:
    """Everyone who has been in the group whom the user may see: current pupils first, then
    those who left (staff who see a pupil only through this group no longer see them)."""
    placements = list(group.placements.filter(pupil__in=pupils_visible_to(user)).select_related("pupil"))
    return sorted(placements, key=lambda placement: placement.left_on is not None)


def placement_for_page(user: User) -> QuerySet[Placement]:
    """Placements in groups the user may see, of pupils they may see."""
    return Placement.objects.filter(
        group__in=groups_visible_to(user), pupil__in=pupils_visible_to(user)
    ).select_related("group__intervention", "pupil")


def pupils_to_place(user: User, *, group: ProvisionGroup, today: date) -> QuerySet[Pupil]:
    """Pupils the user may see at the group's school who are on roll and have not been in it."""
    return (
        pupils_visible_to(user)
        .filter(school=group.school)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .exclude(placements__group=group)
        .order_by("year_group", "last_name", "first_name")
    )


def deliverers(school: School) -> QuerySet[User]:
    """Staff of the school who may deliver a group, each with `role_here` (their first such role)."""
    roles_here = Membership.objects.filter(user=OuterRef("pk"), school=school, role__in=DELIVERER_ROLES)
    return (
        User.objects.filter(pk__in=roles_here.values("user_id"))
        .annotate(role_here=Subquery(roles_here.order_by("role").values("role")[:1]))
        .order_by("last_name", "first_name")
    )


def teaching_assistants_among(school: School, users) -> set[int]:
    """Ids of those `users` who are teaching assistants at `school`."""
    return set(
        Membership.objects.filter(school=school, role=Role.TA, user__in=users).values_list(
            "user_id", flat=True
        )
    )


def size_warning(group: ProvisionGroup, *, pupil_count: int) -> str:
    """A warning when the group is bigger than its intervention is designed for (not a refusal)."""
    size = group.intervention.group_size
    if pupil_count <= size:
        return ""
    return (
        f"This group now has {pupil_count} pupils; {group.intervention} is designed for groups of "
        f"up to {size}. Larger groups usually make an intervention less effective."
    )


# Delivery -----------------------------------------------------------------------------------


def placements_of_pupil(user: User, *, pupil: Pupil) -> list[Placement]:
    """The pupil's placements, each with `can_open` (whether the user may open the group page),
    for those whose group-reading roles reach the pupil."""
    if not within_reach(user, pupil, roles=GROUP_READERS):
        return []
    placements = list(
        pupil.placements.select_related("group__intervention", "added_by", "ended_by").order_by("joined_on")
    )
    open_ids = set(
        groups_visible_to(user).filter(pk__in=[p.group_id for p in placements]).values_list("pk", flat=True)
    )
    for placement in placements:
        placement.can_open = placement.group_id in open_ids
    return placements
