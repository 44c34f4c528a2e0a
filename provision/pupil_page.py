"""What the provision app adds to the pupil page: the current SEN support plan and provision
panels, and plan cycles and provision in the chronology (see `pupils.pupil_page`)."""

from django.urls import reverse
from django.utils import timezone

from provision.models import PlanStatus
from provision.permissions import PLAN_READERS, can_edit_plans, can_open_pupil_provision
from provision.selectors.groups import placements_of_pupil
from provision.selectors.plans import plans_of_pupil
from pupils.models import ON_REGISTER, Pupil
from pupils.pupil_page import ChronologyEvent, SummaryPanel, register_panel, register_source
from pupils.selectors.records import current_sen_status
from senco.models import User


@register_panel
def current_plan_panel(pupil: Pupil, user: User) -> SummaryPanel | None:
    """The open SEN support plan (draft or finalised): cycle, status, review date, outcomes.

    Only for those who may read plans (PLAN_READERS; the selector narrows teachers and TAs to
    their pupils). A pupil on the register with no open plan gets a panel that says so; anyone
    else without one gets no panel. Three queries at most, whatever the number of cycles.
    """
    if not user.has_role(*PLAN_READERS):
        return None
    plan = (
        plans_of_pupil(user, pupil=pupil)
        .exclude(status=PlanStatus.REVIEWED)
        .prefetch_related("outcomes")
        .first()
    )
    if plan is None:
        status = current_sen_status(pupil)
        if status is None or status.status not in ON_REGISTER:
            return None
    return SummaryPanel(
        title="Current SEN support plan",
        template="provision/panels/current_plan.html",
        context={"pupil": pupil, "plan": plan, "can_edit": can_edit_plans(user)},
        order=10,
    )


@register_panel
def provision_panel(pupil: Pupil, user: User) -> SummaryPanel | None:
    """A link to the pupil's provision page (groups, dates, entry and exit scores) for those who
    may open it. No query."""
    if not can_open_pupil_provision(user):
        return None
    return SummaryPanel(
        title="Provision",
        template="provision/panels/provision_link.html",
        context={"pupil": pupil},
        order=20,
    )


@register_source
def plan_events(pupil: Pupil, user: User) -> list[ChronologyEvent]:
    """SEN support plan cycles started, finalised and reviewed, for those who may read plans."""
    events = []
    for plan in plans_of_pupil(user, pupil=pupil):
        url = plan.get_absolute_url()
        events.append(
            ChronologyEvent(
                on=plan.started_on, kind="plan", title=f"SEN support plan cycle {plan.cycle} started", url=url
            )
        )
        if plan.finalised_on:
            events.append(
                ChronologyEvent(
                    on=plan.finalised_on,
                    kind="plan",
                    title=f"SEN support plan cycle {plan.cycle} finalised",
                    url=url,
                )
            )
        review = getattr(plan, "review", None)
        if review is not None and review.finalised_on:
            events.append(
                ChronologyEvent(
                    on=review.held_on,
                    kind="plan_review",
                    title=f"SEN support plan cycle {plan.cycle} reviewed",
                    detail=review.get_decision_display(),
                    url=url,
                )
            )
    return events


@register_source
def provision_events(pupil: Pupil, user: User) -> list[ChronologyEvent]:
    """Provision started and ended, for those who may read provision groups; each event links
    to the group only for those who may open it.

    Provision ends when the pupil is taken out of the group or the group's last day passes.
    The source interface has no `today`, so, like a view, it reads the date here.
    """
    today = timezone.localdate()
    events = []
    for placement in placements_of_pupil(user, pupil=pupil):
        group = placement.group
        url = reverse("provision:group_detail", args=[group.pk]) if placement.can_open else ""
        detail = f"{group.intervention} ({group})"
        events.append(
            ChronologyEvent(
                on=placement.joined_on, kind="provision", title="Provision started", detail=detail, url=url
            )
        )
        ended_on = placement.left_on or (group.ends_on if group.ends_on < today else None)
        if ended_on:
            events.append(
                ChronologyEvent(
                    on=ended_on, kind="provision", title="Provision ended", detail=detail, url=url
                )
            )
    return events
