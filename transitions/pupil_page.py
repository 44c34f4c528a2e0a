"""What the transitions app adds to the pupil page through its one extension point
(`pupils.pupil_page.contributes`)."""

from datetime import date

from django.urls import reverse

from pupils.models import Pupil
from pupils.pupil_page import Action, ChronologyEvent, Contribution, Panel, contributes
from pupils.selectors.records import within_reach
from senco.models import User

# --- access_arrangements ---
from transitions.permissions import ARRANGEMENT_WRITERS, CLASSROOM_READERS
from transitions.rules.access_arrangements import FIRST_CANDIDATE_YEAR
from transitions.selectors.access_arrangements import (
    arrangements_of_candidate,
    form8s_of,
)


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
