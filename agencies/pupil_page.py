"""What the agencies app adds to the pupil page through its one extension point
(`pupils.pupil_page.contributes`). Each feature appends its own contribution function below,
under its name."""

from datetime import date

from django.urls import reverse

from agencies.permissions import ADVICE_READERS, AGENCY_READERS
from agencies.selectors.involvement import advice_of_pupil, involvements_of_pupil, reports_of_pupil
from pupils.models import Pupil
from pupils.pupil_page import ChronologyEvent, Contribution, Panel, contributes
from pupils.selectors.records import within_reach
from senco.models import User

# Involvement --------------------------------------------------------------------------------


def _involvement_events(user: User, pupil: Pupil) -> list[ChronologyEvent]:
    """Each visit, assessment or meeting, each report received and each piece of advice taken up
    in a plan, for agency readers (health reports and their advice for health readers alone)."""
    url = reverse("agencies:pupil_involvement", args=[pupil.pk])
    events = [
        ChronologyEvent(
            on=involvement.happened_on,
            kind="involvement",
            title=f"{involvement.get_kind_display()}: {involvement.agency}",
            url=url,
            by=str(involvement.recorded_by),
            recorded_at=involvement.recorded_at,
            sequence=(involvement.pk, 0),
        )
        for involvement in involvements_of_pupil(user, pupil=pupil)
    ]
    events += [
        ChronologyEvent(
            on=report.received_on,
            kind="agency_report",
            title=f"Report received from {report.agency}",
            detail=report.title,
            url=report.get_absolute_url(),
            by=str(report.uploaded_by),
            sequence=(report.pk, 0),
        )
        for report in reports_of_pupil(user, pupil=pupil)
    ]
    return events


@contributes
def involvement_contribution(user: User, *, pupil: Pupil, today: date) -> Contribution:
    """For the pupils one teaches or supports and for the SENCO team and leadership, a panel of
    the advice outside professionals gave (never the reports; advice from a health report only
    for the SENCO team and the head); for agency readers, involvements, reports and advice
    taken up in the chronology, and a link to the pupil's involvement page. Four queries at
    most, whatever the number of records."""
    if not within_reach(user, pupil, roles=ADVICE_READERS):
        return Contribution()
    advice = list(advice_of_pupil(user.acting_as(ADVICE_READERS), pupil=pupil))
    can_open = within_reach(user, pupil, roles=AGENCY_READERS)
    panel = Panel(
        title="Advice from outside professionals",
        template="agencies/panels/advice.html",
        context={"pupil": pupil, "advice": advice, "can_open": can_open},
        order=30,
    )
    if not can_open:
        return Contribution(panels=[panel] if advice else [])
    readers = user.acting_as(AGENCY_READERS)
    events = _involvement_events(readers, pupil)
    events += [
        ChronologyEvent(
            on=item.actioned_on,
            kind="advice",
            title=f"Advice from {item.report.agency} taken up in the plan, cycle {item.actioned_in.cycle}",
            url=item.actioned_in.get_absolute_url(),
            by=str(item.actioned_by or ""),
            sequence=(item.pk, 1),
        )
        for item in advice
        if item.is_actioned
    ]
    return Contribution(panels=[panel], events=events)
