"""What the provision app adds to the pupil page through its one extension point
(`pupils.pupil_page.contributes`): the current plan panel, plan cycles in the chronology,
"Start the SEN support plan" as the page's main action while a pupil on the register has no
open plan, and the current plan's strategies as "How to support" advice; the provision panel
and provision started and ended in the chronology."""

from datetime import date

from django.db.models import prefetch_related_objects
from django.urls import reverse

from provision.models import PlanStatus, SupportPlan, plan_name
from provision.permissions import PLAN_READERS, PLAN_WRITERS, PUPIL_PROVISION_READERS
from provision.selectors.groups import placements_of_pupil
from provision.selectors.plans import plans_of_pupil
from pupils.models import ON_REGISTER, Pupil
from pupils.pupil_page import Action, ChronologyEvent, Contribution, Panel, SupportAdvice, contributes
from pupils.selectors.records import current_sen_status, within_reach
from senco.models import User


def _current_plan_panel(pupil: Pupil, plan: SupportPlan | None, name: str, *, can_edit: bool) -> Panel:
    """The open plan (draft or finalised): cycle, status, review date, outcomes; or, for a pupil
    on the register with none, a panel that says so. The panel is named as the plan is: a pupil
    with an EHC plan has a support plan under it, not a SEN support plan."""
    if plan is not None:
        prefetch_related_objects([plan], "outcomes")
    return Panel(
        title=f"Current {name}",
        template="provision/panels/current_plan.html",
        context={"pupil": pupil, "plan": plan, "plan_name": name, "can_edit": can_edit},
        order=10,
    )


def _start_plan_action(pupil: Pupil, name: str, *, today: date) -> Action:
    """The page's main button for a pupil on the register with no open plan: it starts the plan
    today (as the plans page's form would) and opens it to be written."""
    return Action(
        label=f"Start the {name}",
        url=reverse("provision:plan_start", args=[pupil.pk]),
        post={"started_on": today.isoformat()},
        primary=True,
        order=10,
    )


def _strategies_advice(plan: SupportPlan | None) -> list[SupportAdvice]:
    """The finalised plan's strategies, for "How to support" where the pupil has no passport.
    Only a finalised plan's: a draft's are not yet agreed with parents."""
    if plan is None or plan.status != PlanStatus.ACTIVE or not plan.strategies.strip():
        return []
    return [
        SupportAdvice(
            text=plan.strategies,
            source=f"From the {plan.name_mid_sentence}, cycle {plan.cycle}, finalised "
            f"{plan.finalised_on.day} {plan.finalised_on:%B %Y}.",
            url=plan.get_absolute_url(),
            link_text="Read the whole plan",
        )
    ]


def _plan_events(plan: SupportPlan) -> list[ChronologyEvent]:
    """The cycle started, finalised and reviewed, each with who recorded it (plans keep no time
    of day, so a day's steps keep their order through `sequence`)."""
    url = plan.get_absolute_url()
    events = [
        ChronologyEvent(
            on=plan.started_on,
            kind="plan",
            title=f"{plan.name} cycle {plan.cycle} started",
            url=url,
            by=str(plan.created_by or ""),
            sequence=(plan.pk, 0),
        )
    ]
    if plan.finalised_on:
        events.append(
            ChronologyEvent(
                on=plan.finalised_on,
                kind="plan",
                title=f"{plan.name} cycle {plan.cycle} finalised",
                url=url,
                by=str(plan.finalised_by or ""),
                sequence=(plan.pk, 1),
            )
        )
    review = getattr(plan, "review", None)
    if review is not None and review.finalised_on:
        events.append(
            ChronologyEvent(
                on=review.held_on,
                kind="plan_review",
                title=f"{plan.name} cycle {plan.cycle} reviewed",
                detail=review.get_decision_display(),
                url=url,
                by=str(review.finalised_by or ""),
                sequence=(plan.pk, 2),
            )
        )
    return events


@contributes
def plans_contribution(user: User, *, pupil: Pupil, today: date) -> Contribution:
    """The current plan panel, every cycle in the chronology and the open plan's strategies as
    advice on how to support the pupil, only for those who may read plans (PLAN_READERS; the
    selector narrows teachers and TAs to their pupils). For those who may write plans, a pupil
    on SEN support or with an EHC plan today who has no open plan and has not left gets "Start
    the SEN support plan" as the page's main action. Each within the reach of the roles granting
    it. Three queries at most, whatever the number of cycles."""
    if not within_reach(user, pupil, roles=PLAN_READERS):
        return Contribution()
    can_edit = within_reach(user, pupil, roles=PLAN_WRITERS)
    plans = list(
        plans_of_pupil(user, pupil=pupil, today=today).select_related(
            "created_by", "finalised_by", "review__finalised_by"
        )
    )
    events = [event for plan in plans for event in _plan_events(plan)]
    plan = next((plan for plan in plans if plan.status != PlanStatus.REVIEWED), None)
    if plan is not None:
        panel = _current_plan_panel(pupil, plan, plan.name_mid_sentence, can_edit=can_edit)
        return Contribution(panels=[panel], events=events, advice=_strategies_advice(plan))
    status = current_sen_status(pupil, today=today)
    if status is None or status.status not in ON_REGISTER:
        return Contribution(events=events)
    name = plan_name(status.status, mid_sentence=True)
    can_start = can_edit and not pupil.has_left(today)
    return Contribution(
        panels=[_current_plan_panel(pupil, None, name, can_edit=can_edit)],
        events=events,
        actions=[_start_plan_action(pupil, name, today=today)] if can_start else [],
    )


@contributes
def provision_contribution(user: User, *, pupil: Pupil, today: date) -> Contribution:
    """A panel linking to the pupil's provision page (groups, dates, entry and exit scores) for
    those who may open it, and provision started and ended in the chronology for those who may
    read provision groups, each event linked to the group only for those who may open it.

    Provision ends when the pupil is taken out of the group or the group's last day has passed
    by `today`. Two queries at most, whatever the number of placements.
    """
    events = []
    for placement in placements_of_pupil(user, pupil=pupil):
        group = placement.group
        url = reverse("provision:group_detail", args=[group.pk]) if placement.can_open else ""
        detail = f"{group.intervention} ({group})"
        events.append(
            ChronologyEvent(
                on=placement.joined_on,
                kind="provision",
                title="Provision started",
                detail=detail,
                url=url,
                by=str(placement.added_by or ""),
                sequence=(placement.pk, 0),
            )
        )
        ended_on = placement.left_on or (group.ends_on if group.ends_on < today else None)
        if ended_on:
            events.append(
                ChronologyEvent(
                    on=ended_on,
                    kind="provision",
                    title="Provision ended",
                    detail=detail,
                    url=url,
                    by=str(placement.ended_by or ""),
                    automatic="" if placement.left_on else "the group's end date",
                    sequence=(placement.pk, 1),
                )
            )
    if not within_reach(user, pupil, roles=PUPIL_PROVISION_READERS):
        return Contribution(events=events)
    panel = Panel(
        title="Provision",
        template="provision/panels/provision_link.html",
        context={"pupil": pupil},
        order=20,
    )
    return Contribution(panels=[panel], events=events)
