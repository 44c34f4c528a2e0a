"""Reads of SEN support plans, scoped by user through `pupils_visible_to` (R4).

The SENCO team and leadership see every pupil's plans in their school; teachers and TAs the
plans of the pupils in their groups; governors and anyone else nothing.
"""

from datetime import date

from django.db.models import Prefetch, QuerySet

from provision.deadlines import due_soon_cutoff, meet_by, review_state
from provision.models import OutcomeProgress, PlanStatus, ReviewComment, SupportPlan
from provision.permissions import PLAN_READERS
from pupils.models import Pupil
from pupils.selectors import pupils_visible_to
from senco.models import User


def plans_visible_to(user: User) -> QuerySet[SupportPlan]:
    if not user.has_role(*PLAN_READERS):
        return SupportPlan.objects.none()
    return SupportPlan.objects.filter(school=user.school, pupil__in=pupils_visible_to(user))


def plans_of_pupil(user: User, *, pupil: Pupil) -> QuerySet[SupportPlan]:
    """The pupil's cycles, newest first, with their reviews."""
    return plans_visible_to(user).filter(pupil=pupil).select_related("review").order_by("-cycle")


def plan_for_page(user: User) -> QuerySet[SupportPlan]:
    """Plans with everything the plan page and PDF show; fetch one with get_object_or_404."""
    return (
        plans_visible_to(user)
        .select_related("pupil", "review", "finalised_by", "previous")
        .prefetch_related(
            "outcomes",
            Prefetch("comments", queryset=ReviewComment.objects.select_related("author")),
            Prefetch("review__progress", queryset=OutcomeProgress.objects.select_related("outcome")),
            "versions__made_by",
        )
    )


def current_plan(user: User, *, pupil: Pupil) -> SupportPlan | None:
    """The pupil's open cycle (draft or finalised), else their latest reviewed one."""
    plans = list(plans_of_pupil(user, pupil=pupil)[:2])
    open_plans = [plan for plan in plans if plan.status != PlanStatus.REVIEWED]
    return (open_plans or plans or [None])[0]


def reviews_due(user: User, *, today: date) -> list[SupportPlan]:
    """Finalised plans whose review is overdue or due within two weeks, soonest first.

    Each plan gets `state` ("overdue" or "due") and `meet_by` (the weekday to meet by).
    """
    plans = list(
        plans_visible_to(user)
        .filter(status=PlanStatus.ACTIVE, review_due_on__lte=due_soon_cutoff(today))
        .select_related("pupil")
        .order_by("review_due_on", "pupil__last_name")
    )
    for plan in plans:
        plan.state = review_state(plan.review_due_on, today=today)
        plan.meet_by = meet_by(plan.review_due_on)
    return plans


def reviews_due_count(user: User, *, today: date) -> int:
    return (
        plans_visible_to(user)
        .filter(status=PlanStatus.ACTIVE, review_due_on__lte=due_soon_cutoff(today))
        .count()
    )
