"""Transition plans and preparing for adulthood in each demo school, written through the
services as the SENCO would: at a primary, Year 6 pupils on the register mid-transfer to the
trust's secondary (those with EHC plans first, with the 15 February step); at a secondary,
Year 11 pupils mid-transfer to college, and pupils from Year 9 with preparing-for-adulthood
outcomes, most of them reviewed and some still without (for the register's filter). Pupils are
taken in id order: deterministic."""

from datetime import date, timedelta

from agencies.models import EhcPlan
from pupils.models import Pupil, SenStatus
from senco.models import School, User
from senco.rules import academic_year_of
from transitions.models import PfaOccasion, PfaProgress
from transitions.models.adulthood import PFA_AREA_CHOICES
from transitions.services.adulthood import outcomes_token, review_pfa_outcomes, set_pfa_outcomes
from transitions.services.transition_plans import (
    record_transition_visit,
    record_who_was_told,
    start_transition_plan,
    tick_checklist_item,
)

ON_REGISTER = (SenStatus.SEN_SUPPORT, SenStatus.EHC_PLAN)
OUTCOMES = {
    "employment": (
        "To choose a college course by the spring of Year 11.",
        "Careers interview; two taster days.",
    ),
    "independent_living": ("To travel to school on the bus alone.", "Travel training with the TA this term."),
    "community": ("To join a club outside school.", "Try the youth centre's Thursday group."),
    "health": ("To explain their needs to a new adult.", "Practise with the one-page profile."),
}


def _first_weekday_from(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _movers(school: School, year_group: int) -> list[Pupil]:
    pupils = Pupil.objects.filter(
        school=school, left_on=None, year_group=year_group, sen_status_now__in=ON_REGISTER
    )
    with_plan = set(
        EhcPlan.objects.filter(pupil__in=pupils, ceased_on=None).values_list("pupil_id", flat=True)
    )
    return sorted(pupils, key=lambda pupil: (pupil.pk not in with_plan, pupil.pk))[:3]


def _plan_moves(*, pupils, kind: str, destination: str, key_adult: str, senco: User, today: date) -> None:
    moves_on = _first_weekday_from(date(academic_year_of(today) + 1, 9, 2))
    for n, pupil in enumerate(pupils):
        plan = start_transition_plan(
            pupil=pupil,
            details={
                "kind": kind,
                "destination": destination,
                "moves_on": moves_on,
                "key_adult": key_adult if n != 2 else "",
                "pupil_views": "Looking forward to new subjects; worried about finding the way round.",
                "parent_views": "Would like the key adult to meet them before the summer.",
            },
            by=senco,
            today=today,
        )
        # The first is well on, the second has started, the third has only just been planned.
        for step in list(plan.checklist.order_by("id"))[: (4, 2, 0)[n]]:
            tick_checklist_item(step=step, done=True, by=senco, today=today)
        if n < 2:
            record_transition_visit(
                transition=plan,
                visit_on=today - timedelta(days=14),
                description="Taster morning",
                by=senco,
                today=today,
            )
            record_transition_visit(
                transition=plan,
                visit_on=moves_on - timedelta(days=60),
                description="Induction day with the key adult",
                by=senco,
                today=today,
            )
            record_who_was_told(
                transition=plan,
                told=f"SENCO at {destination}",
                what="Needs, what works, current provision and the one-page profile.",
                told_on=today - timedelta(days=7),
                by=senco,
                today=today,
            )


def _adulthood(*, school: School, senco: User, today: date) -> None:
    pupils = list(
        Pupil.objects.filter(
            school=school, left_on=None, year_group__gte=9, sen_status_now__in=ON_REGISTER
        ).order_by("pk")
    )
    # Two in three have outcomes; the rest are what the register's filter finds.
    for n, pupil in enumerate(pupil for i, pupil in enumerate(pupils) if i % 3 != 2):
        set_pfa_outcomes(pupil=pupil, token=outcomes_token(pupil), outcomes=OUTCOMES, by=senco, today=today)
        if n % 2 == 0:
            progress = {
                area: ((PfaProgress.PROGRESSING, "Going well.") if i % 2 else (PfaProgress.NOT_STARTED, ""))
                for i, (area, _) in enumerate(PFA_AREA_CHOICES)
            }
            review_pfa_outcomes(
                pupil=pupil,
                reviewed_on=today - timedelta(days=21),
                occasion=PfaOccasion.PLAN_REVIEW,
                progress=progress,
                by=senco,
                today=today,
            )


def seed_transitions(*, school: School, senco: User, today: date, secondary: str) -> None:
    years = set(Pupil.objects.filter(school=school).values_list("year_group", flat=True))
    if 6 in years:
        _plan_moves(
            pupils=_movers(school, 6),
            kind="primary_to_secondary",
            destination=secondary,
            key_adult="Year 7 pastoral lead",
            senco=senco,
            today=today,
        )
    if 11 in years:
        _plan_moves(
            pupils=_movers(school, 11),
            kind="secondary_to_post16",
            destination="Northshire College",
            key_adult="College learning support coordinator",
            senco=senco,
            today=today,
        )
        _adulthood(school=school, senco=senco, today=today)
