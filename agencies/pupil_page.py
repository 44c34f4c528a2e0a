"""What the agencies app adds to the pupil page through its one extension point
(`pupils.pupil_page.contributes`). Each feature appends its own contribution function in its own
block."""

from datetime import date

from django.urls import reverse

from agencies.permissions import AGENCY_READERS, AGENCY_WORKERS
from agencies.selectors.assessments import ehc_requests_of_pupil, request_clock
from pupils.models import Pupil
from pupils.pupil_page import Action, ChronologyEvent, Contribution, Panel, contributes
from pupils.selectors.records import within_reach
from senco.models import User

# --- assessments: EHC needs assessment requests ------------------------------------------------


def _request_events(ehc_request) -> list[ChronologyEvent]:
    """The request and each of the LA's steps, dated as they happened."""
    url = ehc_request.get_absolute_url()
    steps = [
        (ehc_request.sent_on, "EHC needs assessment requested", ehc_request.get_requested_by_display()),
        (
            ehc_request.decided_on,
            "The LA decided on the EHC needs assessment request",
            ehc_request.get_decision_display(),
        ),
        (ehc_request.advice_requested_on, "The LA asked for advice for the EHC needs assessment", ""),
        (ehc_request.draft_sent_on, "Draft EHC plan sent", ""),
        (ehc_request.final_plan_on, "Final EHC plan issued", ""),
        (ehc_request.no_plan_notice_on, "The LA gave notice it will not issue an EHC plan", ""),
        (ehc_request.mediation_certificate_on, "Mediation certificate issued", ""),
    ]
    return [
        ChronologyEvent(
            on=on,
            kind="ehc_request",
            title=title,
            detail=detail,
            url=url,
            by=str(ehc_request.created_by or "") if step == 0 else "",
            sequence=(ehc_request.pk, step),
        )
        for step, (on, title, detail) in enumerate(steps)
        if on is not None
    ]


@contributes
def assessments_contribution(user: User, *, pupil: Pupil, today: date) -> Contribution:
    """A panel with the pupil's EHC needs assessment requests and each one's next statutory date,
    and the requests' steps in the chronology, for the SENCO team and leadership
    (AGENCY_READERS); "Record an EHC needs assessment request" for the SENCO team while the pupil
    is on roll. Two queries, whatever the number of requests."""
    if not within_reach(user, pupil, roles=AGENCY_READERS):
        return Contribution()
    requests = ehc_requests_of_pupil(user.acting_as(AGENCY_READERS), pupil=pupil)
    can_add = within_reach(user, pupil, roles=AGENCY_WORKERS) and not pupil.has_left(today)
    actions = []
    if can_add:
        url = reverse("agencies:ehc_request_add", args=[pupil.pk])
        actions.append(Action(label="Record an EHC needs assessment request", url=url, order=60))
    if not requests:
        return Contribution(actions=actions)
    panel = Panel(
        title="EHC needs assessment requests",
        template="agencies/panels/assessments.html",
        context={"clocks": [request_clock(ehc_request, today=today) for ehc_request in requests]},
        order=45,
    )
    events = [event for ehc_request in requests for event in _request_events(ehc_request)]
    return Contribution(panels=[panel], events=events, actions=actions)
