"""Writes to transition plans: starting one (with its first checklist), changing it, ticking
and adding steps, and recording visits and who was told what. One business action each,
audited (R3); a leaver's record is read-only; an edit over someone else's is refused (R9)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from agencies.models import EhcPlan
from pupils.models import Pupil, SenStatus
from pupils.services.leavers import refuses_leavers
from senco import audit
from senco.concurrency import update_if_unchanged
from senco.deadlines import phase_transfer_final_by
from senco.models import User
from senco.rules import HORIZON_YEARS, add_months
from transitions.models import ChecklistItem, TransitionContact, TransitionPlan, TransitionVisit
from transitions.models.transition_plans import PHASE_TRANSFERS
from transitions.rules import first_steps

# The details of the plan's own form.
PLAN_FIELDS = ["kind", "destination", "moves_on", "key_adult", "pupil_views", "parent_views", "notes"]
ON_THE_REGISTER = (SenStatus.MONITORING, SenStatus.SEN_SUPPORT, SenStatus.EHC_PLAN)


def _check_move(plan: TransitionPlan, *, today: date) -> None:
    low, high = add_months(today, -12 * HORIZON_YEARS), add_months(today, 12 * HORIZON_YEARS)
    if not low <= plan.moves_on <= high:
        raise ValidationError(
            {"moves_on": f"Give a date within {HORIZON_YEARS} years of today: check the year."}
        )


@refuses_leavers("pupil")
@transaction.atomic
def start_transition_plan(*, pupil: Pupil, details: dict, by: User, today: date) -> TransitionPlan:
    """Plan a move of a pupil on the SEN register (`details`: PLAN_FIELDS), with the usual
    checklist for its kind; for a pupil with an EHC plan moving phase, a step to have the plan
    name the destination by the reg 18 date.
    Side effects: audit row `transition_plan.started`."""
    if pupil.sen_status_now not in ON_THE_REGISTER:
        raise ValidationError("Transition plans are for pupils on the SEN register.")
    plan = TransitionPlan(
        pupil=pupil, recorded_by=by, **{name: details.get(name) or "" for name in PLAN_FIELDS}
    )
    plan.moves_on = details.get("moves_on")
    _check_move(plan, today=today)
    plan.full_clean()
    plan.save()
    has_ehc_plan = EhcPlan.objects.filter(pupil=pupil, ceased_on__isnull=True).exists()
    kind = PHASE_TRANSFERS.get(plan.kind)
    final_by = phase_transfer_final_by(kind, moves_on=plan.moves_on) if kind and has_ehc_plan else None
    ChecklistItem.objects.bulk_create(
        ChecklistItem(plan=plan, label=label, due_on=due_on)
        for label, due_on in first_steps(plan.kind, ehc_final_by=final_by)
    )
    audit.record("transition_plan.started", by=by, obj=plan, pupil=pupil, summary=plan.get_kind_display())
    return plan


@refuses_leavers("transition")
@transaction.atomic
def update_transition_plan(
    *, transition: TransitionPlan, version: int, details: dict, by: User, today: date
) -> TransitionPlan:
    """Save the plan's details. Refused with `StaleEdit` if someone saved it since `version`.
    Side effects: audit row `transition_plan.updated`."""
    for name in PLAN_FIELDS:
        setattr(transition, name, details.get(name) if name == "moves_on" else details.get(name) or "")
    _check_move(transition, today=today)
    transition.full_clean(exclude=["version"])
    update_if_unchanged(
        transition,
        version,
        what="transition plan",
        **{name: getattr(transition, name) for name in PLAN_FIELDS},
    )
    transition.version = version + 1
    audit.record("transition_plan.updated", by=by, obj=transition, pupil=transition.pupil, fields=PLAN_FIELDS)
    return transition


@refuses_leavers("step")
@transaction.atomic
def tick_checklist_item(*, step: ChecklistItem, done: bool, by: User, today: date) -> ChecklistItem:
    """Tick a step as done today, or untick it.
    Side effects: audit row `transition_step.ticked` (or `transition_step.unticked`)."""
    step.done_on, step.done_by = (today, by) if done else (None, None)
    step.full_clean()
    step.save(update_fields=["done_on", "done_by"])
    action = "transition_step.ticked" if done else "transition_step.unticked"
    audit.record(action, by=by, obj=step.plan, pupil=step.plan.pupil, summary=step.label)
    return step


@refuses_leavers("transition")
@transaction.atomic
def add_checklist_item(
    *, transition: TransitionPlan, label: str, due_on: date | None, by: User, today: date
) -> ChecklistItem:
    """Add a step of the school's own to the checklist.
    Side effects: audit row `transition_step.added`."""
    if due_on is not None and due_on > transition.moves_on:
        raise ValidationError({"due_on": "A step is due by the move at the latest: check the date."})
    step = ChecklistItem(plan=transition, label=label, due_on=due_on)
    step.full_clean()
    step.save()
    audit.record("transition_step.added", by=by, obj=transition, pupil=transition.pupil)
    return step


@refuses_leavers("transition")
@transaction.atomic
def record_transition_visit(
    *, transition: TransitionPlan, visit_on: date, description: str, by: User, today: date
) -> TransitionVisit:
    """Record an extra visit, held or planned.
    Side effects: audit row `transition_visit.recorded`."""
    if visit_on > transition.moves_on:
        raise ValidationError({"visit_on": "A transition visit comes before the move: check the date."})
    visit = TransitionVisit(plan=transition, visit_on=visit_on, description=description, recorded_by=by)
    visit.full_clean()
    visit.save()
    audit.record("transition_visit.recorded", by=by, obj=transition, pupil=transition.pupil)
    return visit


@refuses_leavers("transition")
@transaction.atomic
def record_who_was_told(
    *, transition: TransitionPlan, told: str, what: str, told_on: date, by: User, today: date
) -> TransitionContact:
    """Record who was told what about the move, and when.
    Side effects: audit row `transition_contact.recorded`."""
    if told_on > today:
        raise ValidationError({"told_on": "Record this once they have been told: the date is in the future."})
    contact = TransitionContact(plan=transition, told=told, what=what, told_on=told_on, recorded_by=by)
    contact.full_clean()
    contact.save()
    audit.record("transition_contact.recorded", by=by, obj=transition, pupil=transition.pupil)
    return contact
