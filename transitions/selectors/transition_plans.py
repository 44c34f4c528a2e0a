"""Reads for transition plans: the plans a user may open, a pupil's plans, and the school
year's moves grouped by kind with what is overdue.

Who sees what (R4): the SENCO team and leadership, every plan of their school; teachers and
TAs, the plans of the pupils they teach or support (CLASSROOM_READERS); governors, nothing."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from agencies.models import EhcPlan
from pupils.models import Pupil
from pupils.selectors.records import pupils_visible_to
from senco.deadlines import phase_transfer_final_by
from senco.models import User
from transitions.models import (
    ChecklistItem,
    TransitionContact,
    TransitionKind,
    TransitionPlan,
    TransitionVisit,
)
from transitions.models.transition_plans import END_OF_YEAR_KINDS
from transitions.permissions import CLASSROOM_READERS, TRANSITION_READERS
from transitions.rules import is_overdue, year_window


def _with_ehc_plan(plans: QuerySet[TransitionPlan]) -> QuerySet[TransitionPlan]:
    in_force = EhcPlan.objects.filter(pupil=OuterRef("pupil"), ceased_on__isnull=True)
    return plans.annotate(has_ehc_plan=Exists(in_force))


def transition_plans_for(user: User) -> QuerySet[TransitionPlan]:
    """Plans of the pupils the user reaches as a reader of plans (see the module)."""
    pupils = pupils_visible_to(user.acting_as(CLASSROOM_READERS))
    return _with_ehc_plan(TransitionPlan.objects.filter(pupil__in=pupils)).select_related("pupil")


def transition_plans_of_pupil(user: User, *, pupil: Pupil) -> list[TransitionPlan]:
    """The pupil's plans with their checklists, visits and who was told, for the pupil page:
    four queries, however many plans."""
    return list(
        transition_plans_for(user)
        .filter(pupil=pupil)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("checklist", queryset=ChecklistItem.objects.order_by("id")),
            Prefetch("visits", queryset=TransitionVisit.objects.select_related("recorded_by")),
            Prefetch("contacts", queryset=TransitionContact.objects.select_related("recorded_by")),
        )
    )


def ehc_final_by(plan: TransitionPlan) -> date | None:
    """The date the EHC plan naming the destination must be final by (reg 18), for a pupil with
    an EHC plan in force moving phase; None otherwise. Needs `has_ehc_plan` (the selectors')."""
    if not getattr(plan, "has_ehc_plan", False) or plan.phase_transfer is None:
        return None
    return phase_transfer_final_by(plan.phase_transfer, moves_on=plan.moves_on)


@dataclass(frozen=True)
class PlanRow:
    plan: TransitionPlan
    done: int
    steps: int
    overdue: list[ChecklistItem]
    ehc_final_by: date | None
    moved: bool


def plan_row(plan: TransitionPlan, *, today: date) -> PlanRow:
    """A plan's progress: steps ticked, and those overdue (past their date, or past the move
    for a step with none)."""
    items = list(plan.checklist.all())
    overdue = [
        item
        for item in items
        if is_overdue(due_on=item.due_on or plan.moves_on, done_on=item.done_on, today=today)
    ]
    return PlanRow(
        plan=plan,
        done=sum(1 for item in items if item.done_on),
        steps=len(items),
        overdue=overdue,
        ehc_final_by=ehc_final_by(plan),
        moved=plan.moves_on <= today,
    )


@dataclass(frozen=True)
class KindGroup:
    kind: str
    label: str
    rows: list[PlanRow]

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.overdue)


def transitions_of_year(user: User, *, start_year: int, today: date) -> list[KindGroup]:
    """Every move of the school year starting in `start_year` (`school_year_of_move`), grouped
    by kind in the order of the choices, each with its progress and overdue steps. The SENCO
    team and leadership (TRANSITION_READERS): the whole school. Two queries."""
    pupils = pupils_visible_to(user.acting_as(TRANSITION_READERS))
    end_start, end_end = year_window(True, start_year)
    in_start, in_end = year_window(False, start_year)
    plans = (
        _with_ehc_plan(TransitionPlan.objects.filter(pupil__in=pupils))
        .filter(
            Q(kind__in=END_OF_YEAR_KINDS, moves_on__range=(end_start, end_end))
            | (~Q(kind__in=END_OF_YEAR_KINDS) & Q(moves_on__range=(in_start, in_end)))
        )
        .select_related("pupil")
        .prefetch_related(Prefetch("checklist", queryset=ChecklistItem.objects.order_by("id")))
        .order_by("moves_on", "pupil__last_name", "pupil__first_name", "pk")
    )
    by_kind: dict[str, list[PlanRow]] = {}
    for plan in plans:
        by_kind.setdefault(plan.kind, []).append(plan_row(plan, today=today))
    return [
        KindGroup(kind, label, by_kind[kind]) for kind, label in TransitionKind.choices if kind in by_kind
    ]
