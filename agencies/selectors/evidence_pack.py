"""The evidence a SENCO sends with a request for an EHC needs assessment (CoP 9.14: the local
authority looks for evidence of the action the school has taken through SEN support, and of the
pupil's progress), gathered from every app for one pupil."""

from dataclasses import dataclass
from datetime import date

from agencies.models import Advice, Involvement, Referral, Report
from agencies.selectors.involvement import advice_of_pupil, involvements_of_pupil, reports_of_pupil
from agencies.selectors.referrals import referrals_of_pupil
from provision.models import SupportPlan
from provision.rules.budget import ELEMENT2_THRESHOLD
from provision.selectors.plans import EvidenceRow, OutcomeRow, cycle_evidence, outcome_rows, plan_for_page
from provision.selectors.provision_map import PupilProvision, pupil_provision
from pupils.models import Pupil, SenStatusChange
from pupils.pupil_page import ChronologyEvent, all_contributions, pupil_summary
from senco.models import User


@dataclass(frozen=True)
class Cycle:
    """One assess-plan-do-review cycle: the plan, its outcomes with the progress its review
    recorded, and what the pupil received during it."""

    plan: SupportPlan
    outcomes: list[OutcomeRow]
    evidence: list[EvidenceRow]

    @property
    def review(self):
        return getattr(self.plan, "review", None)


@dataclass(frozen=True)
class View:
    """A parent's or the pupil's own view, in their words, from wherever it was recorded."""

    on: date | None
    whose: str
    words: str
    recorded_in: str


@dataclass
class EvidencePack:
    pupil: Pupil
    summary: dict
    sen_history: list[SenStatusChange]
    cycles: list[Cycle]
    provision: PupilProvision
    referrals: list[Referral]
    involvements: list[Involvement]
    reports: list[Report]
    advice: list[Advice]
    views: list[View]
    chronology: list[ChronologyEvent]
    threshold = ELEMENT2_THRESHOLD

    @property
    def years_over_threshold(self) -> list:
        return [year for year in self.provision.year_totals if year.provision.over_threshold]


def _views(cycles: list[Cycle]) -> list[View]:
    views = []
    for cycle in cycles:
        review = cycle.review
        if review is None:
            continue
        where = f"Review of plan cycle {cycle.plan.cycle}, {review.held_on:%-d %B %Y}"
        if review.parent_view:
            views.append(View(review.parent_view_on or review.held_on, "Parents", review.parent_view, where))
        if review.pupil_view:
            views.append(View(review.pupil_view_on or review.held_on, "Pupil", review.pupil_view, where))
    return sorted(views, key=lambda view: view.on or date.min)


def evidence_pack(user: User, *, pupil: Pupil, today: date) -> EvidencePack:
    """Everything the local authority asks to see, as `user` may see it (the view admits the
    SENCO team, who see the whole record): the pupil's summary, their SEN history, every support
    plan cycle with its outcomes, review and the provision delivered in it, their provision with
    its hours, costs and impact against the £6,000 element 2 threshold, the outside services it
    was referred to, their visits, reports and advice (and whether the school took it up),
    parents' and the pupil's views, and the chronology every app contributes to the pupil page.

    The caller fetched `pupil` through `pupils_visible_to(user)`. The number of queries grows
    with the number of plan cycles (three each, for what was delivered in it), not with sessions
    or placements: a pupil has a handful of cycles a year."""
    plans = list(plan_for_page(user, today=today).filter(pupil=pupil).order_by("started_on", "cycle"))
    cycles = [Cycle(plan, outcome_rows(plan), cycle_evidence(user, plan=plan, today=today)) for plan in plans]
    history = list(
        SenStatusChange.objects.filter(pupil=pupil)
        .select_related("primary_need", "secondary_need", "recorded_by")
        .order_by("effective_from", "pk")
    )
    return EvidencePack(
        pupil=pupil,
        summary=pupil_summary(user, pupil=pupil, today=today),
        sen_history=history,
        cycles=cycles,
        provision=pupil_provision(user, pupil=pupil),
        referrals=list(referrals_of_pupil(user, pupil=pupil).order_by("created_on", "pk")),
        involvements=list(involvements_of_pupil(user, pupil=pupil).order_by("happened_on", "pk")),
        reports=list(reports_of_pupil(user, pupil=pupil).order_by("received_on", "pk")),
        advice=list(advice_of_pupil(user, pupil=pupil)),
        views=_views(cycles),
        chronology=all_contributions(user, pupil=pupil, today=today).events,
    )
