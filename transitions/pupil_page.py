"""What the transitions app adds to the pupil page through its one extension point
(`pupils.pupil_page.contributes`). Each feature appends its own block."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from pupils.models import Pupil
from pupils.pupil_page import Action, ChronologyEvent, Contribution, Panel, contributes, contributes_to_plans
from pupils.selectors.records import within_reach
from senco.models import User
from transitions.models import ArrivalState, IncomingPack, PackSending, TransferPack
from transitions.permissions import ARRANGEMENT_WRITERS, CLASSROOM_READERS, PACK_READERS, TRANSITION_WORKERS
from transitions.rules import FIRST_CANDIDATE_YEAR
from transitions.selectors.access_arrangements import (
    arrangements_of_candidate,
    form8s_of,
)
from transitions.selectors.adulthood import needs_pfa_outcomes, pfa_outcomes_of_pupil
from transitions.selectors.arrivals import imported_sections
from transitions.selectors.transition_plans import plan_row, transition_plans_of_pupil


def _plan_events(plans) -> list[ChronologyEvent]:
    events = []
    for plan in plans:
        url, kind = plan.get_absolute_url(), plan.get_kind_display()
        events.append(
            ChronologyEvent(
                on=timezone.localdate(plan.recorded_at),
                kind="transition",
                title=f"Transition planned: {kind.lower()}",
                detail=plan.destination,
                url=url,
                by=str(plan.recorded_by or ""),
                recorded_at=plan.recorded_at,
                sequence=(plan.pk, 0),
            )
        )
        for visit in plan.visits.all():
            events.append(
                ChronologyEvent(
                    on=visit.visit_on,
                    kind="transition",
                    title="Transition visit",
                    detail=visit.description,
                    url=url,
                    by=str(visit.recorded_by or ""),
                    sequence=(plan.pk, 1),
                )
            )
        for contact in plan.contacts.all():
            events.append(
                ChronologyEvent(
                    on=contact.told_on,
                    kind="transition",
                    title=f"Told about the move: {contact.told}",
                    url=url,
                    by=str(contact.recorded_by or ""),
                    sequence=(plan.pk, 2),
                )
            )
    return events


@contributes
def transition_plans_contribution(user: User, *, pupil: Pupil, today: date) -> Contribution:
    """The pupil's transition plans as a panel and their planning, visits and who was told in the
    chronology, for those who read plans (CLASSROOM_READERS); "Plan a move" for the SENCO team
    where the pupil is on roll. Four queries, however many plans."""
    if not within_reach(user, pupil, roles=CLASSROOM_READERS):
        return Contribution()
    plans = transition_plans_of_pupil(user.acting_as(CLASSROOM_READERS), pupil=pupil)
    actions = []
    if within_reach(user, pupil, roles=TRANSITION_WORKERS) and not pupil.has_left(today):
        actions.append(
            Action(label="Plan a move", url=reverse("transitions:transition_add", args=[pupil.pk]))
        )
    if not plans:
        return Contribution(actions=actions)
    panel = Panel(
        title="Transitions",
        template="transitions/panels/transitions.html",
        context={"pupil": pupil, "rows": [plan_row(plan, today=today) for plan in plans]},
        order=60,
    )
    return Contribution(panels=[panel], events=_plan_events(plans), actions=actions)


# --- adulthood ----------------------------------------------------------------------------------


@contributes
def adulthood_contribution(user: User, *, pupil: Pupil, today: date) -> Contribution:
    """From Year 9, for a pupil with an EHC plan or on SEN support (or one with outcomes already):
    the four preparing-for-adulthood areas as a panel and each review in the chronology, for
    those who read plans (CLASSROOM_READERS). Two queries."""
    if pupil.year_group < 9 or not within_reach(user, pupil, roles=CLASSROOM_READERS):
        return Contribution()
    rows = pfa_outcomes_of_pupil(user.acting_as(CLASSROOM_READERS), pupil=pupil)
    recorded = [row for row in rows if row.outcome]
    if not recorded and not needs_pfa_outcomes(pupil):
        return Contribution()
    events = [
        ChronologyEvent(
            on=review.reviewed_on,
            kind="adulthood",
            title=f"Preparing for adulthood reviewed: {row.label.lower()}",
            detail=review.get_progress_display(),
            url=reverse("transitions:adulthood", args=[pupil.pk]),
            by=str(review.recorded_by or ""),
            recorded_at=review.recorded_at,
            sequence=(review.pk, 0),
        )
        for row in recorded
        for review in row.outcome.reviews.all()
    ]
    panel = Panel(
        title="Preparing for adulthood",
        template="transitions/panels/adulthood.html",
        context={"pupil": pupil, "rows": rows},
        order=65,
    )
    actions = []
    if not recorded and within_reach(user, pupil, roles=TRANSITION_WORKERS) and not pupil.has_left(today):
        url = reverse("transitions:adulthood_edit", args=[pupil.pk])
        actions.append(Action(label="Set preparing for adulthood outcomes", url=url))
    return Contribution(panels=[panel], events=events, actions=actions)


@contributes_to_plans
def adulthood_plan_section(user: User, *, pupil: Pupil, today: date) -> list[Panel]:
    """The pupil's preparing-for-adulthood outcomes on the pages of their plans and reviews, where
    they are reviewed (CoP 9.179), for the same readers and pupils as the pupil page's panel.
    Two queries; none below Year 9."""
    if pupil.year_group < 9 or not within_reach(user, pupil, roles=CLASSROOM_READERS):
        return []
    rows = pfa_outcomes_of_pupil(user.acting_as(CLASSROOM_READERS), pupil=pupil)
    if not any(row.outcome for row in rows) and not needs_pfa_outcomes(pupil):
        return []
    context = {"pupil": pupil, "rows": rows}
    return [
        Panel(
            title="Preparing for adulthood outcomes",
            template="transitions/panels/adulthood.html",
            context=context,
        )
    ]


def _arrangement_events(rows, form8s) -> list[ChronologyEvent]:
    events = []
    for row in rows:
        arrangement = row.arrangement
        url = arrangement.get_absolute_url()
        events.append(
            ChronologyEvent(
                on=arrangement.recorded_at.date(),
                kind="access_arrangement",
                title=f"Exam access arrangement recorded: {arrangement.label}",
                url=url,
                by=str(arrangement.recorded_by),
                recorded_at=arrangement.recorded_at,
                sequence=(arrangement.pk, 0),
            )
        )
        if arrangement.approved_on:
            events.append(
                ChronologyEvent(
                    on=arrangement.approved_on,
                    kind="access_arrangement",
                    title=f"Exam access arrangement approved: {arrangement.label}",
                    detail=f"Access arrangements online, {arrangement.aao_reference}",
                    url=url,
                    sequence=(arrangement.pk, 1),
                )
            )
        if arrangement.lapses_on and row.readiness.state == "lapsed":
            events.append(
                ChronologyEvent(
                    on=arrangement.lapses_on,
                    kind="access_arrangement",
                    title=f"Exam access arrangement lapsed: {arrangement.label}",
                    url=url,
                    sequence=(arrangement.pk, 2),
                    automatic="its lapse date",
                )
            )
    for form8 in form8s:
        events.append(
            ChronologyEvent(
                on=form8.assessed_on,
                kind="access_arrangement",
                title="Assessed for exam access arrangements (Form 8)",
                detail=form8.assessor_name,
                url=reverse("transitions:candidate_arrangements", args=[form8.pupil_id]),
                by=str(form8.recorded_by),
                recorded_at=form8.recorded_at,
                sequence=(form8.pk, 0),
            )
        )
    return events


@contributes
def access_arrangements_contribution(user: User, *, pupil: Pupil, today: date) -> Contribution:
    """A candidate's exam access arrangements with their state, for those who read them
    (CLASSROOM_READERS: teachers and TAs for their own pupils, so they use them in class and
    mocks), from Year 9; recording, assessing and approving them in the
    chronology; "Record an access arrangement" for the SENCO team. Five queries."""
    # Arrangements are recorded from Year 9 (AARA 2025/26, chapter 7): a younger pupil has none,
    # and their page asks nothing of this app.
    if pupil.year_group < FIRST_CANDIDATE_YEAR or not within_reach(user, pupil, roles=CLASSROOM_READERS):
        return Contribution()
    acting = user.acting_as(CLASSROOM_READERS)
    rows = arrangements_of_candidate(acting, pupil=pupil, today=today)
    writes = within_reach(user, pupil, roles=ARRANGEMENT_WRITERS)
    form8s = list(form8s_of(acting, pupil=pupil).select_related("recorded_by")) if writes else []
    panel = Panel(
        title="Exam access arrangements",
        template="transitions/panels/access_arrangements.html",
        context={"pupil": pupil, "rows": rows},
        order=60,
    )
    actions = []
    if writes and not pupil.has_left(today):
        actions.append(
            Action(
                label="Record an exam access arrangement",
                url=reverse("transitions:arrangement_add", args=[pupil.pk]),
            )
        )
    return Contribution(panels=[panel], events=_arrangement_events(rows, form8s), actions=actions)


@contributes
def transfer_packs_contribution(user: User, *, pupil: Pupil, today: date) -> Contribution:
    """Packs made and sent, and packs imported, in the chronology; the history packs brought,
    marked with the school that wrote it, as a panel; and "Transfer packs" as an action. For the
    SENCO team and leadership only (`PACK_READERS`): a pack is the whole SEN file. Three queries."""
    if not within_reach(user, pupil, roles=PACK_READERS):
        return Contribution()
    events = []
    for pack in TransferPack.objects.filter(pupil=pupil).select_related("made_by"):
        events.append(
            ChronologyEvent(
                on=pack.made_on,
                kind="transfer_pack",
                title="Transfer pack made",
                url=reverse("transitions:pack_detail", args=[pack.pk]),
                by=str(pack.made_by),
                recorded_at=pack.made_at,
                sequence=(pack.pk, 0),
            )
        )
    for sending in PackSending.objects.filter(pack__pupil=pupil).select_related("recorded_by"):
        events.append(
            ChronologyEvent(
                on=sending.sent_on,
                kind="transfer_pack",
                title=f"Transfer pack sent to {sending.sent_to} ({sending.get_method_display().lower()})",
                url=reverse("transitions:pack_detail", args=[sending.pack_id]),
                by=str(sending.recorded_by),
                recorded_at=sending.recorded_at,
                sequence=(sending.pk, 1),
            )
        )
    arrivals = list(
        IncomingPack.objects.filter(pupil=pupil, state=ArrivalState.IMPORTED).select_related("decided_by")
    )
    for arrival in arrivals:
        events.append(
            ChronologyEvent(
                on=arrival.decided_at.date(),
                kind="transfer_pack",
                title=f"Transfer pack from {arrival.from_school_name} imported",
                by=str(arrival.decided_by or ""),
                recorded_at=arrival.decided_at,
                sequence=(arrival.pk, 2),
            )
        )
    panels = []
    if arrivals:
        panels.append(
            Panel(
                title="From the previous school",
                template="transitions/panels/imported_history.html",
                context={"pupil": pupil, "arrivals": arrivals, "sections": imported_sections(pupil)},
                order=60,
            )
        )
    actions = [Action("Transfer packs", reverse("transitions:pupil_packs", args=[pupil.pk]), order=80)]
    return Contribution(panels=panels, events=events, actions=actions)
