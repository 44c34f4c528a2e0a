"""Reads about pupils. `pupils_visible_to` is the one answer to "which pupils may this user see?"."""

from django.db.models import OuterRef, QuerySet, Subquery

from pupils.models import Pupil, SenStatusChange, TeachingGroup
from senco.models import CLASSROOM, WHOLE_SCHOOL, User


def groups_of(user: User) -> QuerySet[TeachingGroup]:
    """The groups at the user's current school that they teach or support."""
    taught = TeachingGroup.objects.filter(school=user.school, teachers=user)
    supported = TeachingGroup.objects.filter(school=user.school, assistants=user)
    return (taught | supported).distinct()


def pupils_visible_to(user: User) -> QuerySet[Pupil]:
    """Pupils of the user's current school that the user may see.

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


def with_sen_status(pupils: QuerySet[Pupil]) -> QuerySet[Pupil]:
    """Annotate each pupil with their current SEN status and needs, derived from the history.

    Adds `sen_status`, `primary_need_id`, `secondary_need_id` and `primary_need_code`; a pupil with no history
    is not on the register.
    """
    latest = SenStatusChange.objects.filter(pupil=OuterRef("pk")).order_by("-effective_from", "-id")
    return pupils.annotate(
        sen_status=Subquery(latest.values("status")[:1]),
        primary_need_id=Subquery(latest.values("primary_need_id")[:1]),
        secondary_need_id=Subquery(latest.values("secondary_need_id")[:1]),
        primary_need_code=Subquery(latest.values("primary_need__code")[:1]),
    )


def current_sen_status(pupil: Pupil) -> SenStatusChange | None:
    """The latest entry of the pupil's SEN history, or None if they have never had one."""
    return pupil.sen_history.select_related("primary_need", "secondary_need").first()
