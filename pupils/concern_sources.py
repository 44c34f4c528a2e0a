"""Concerns on the pupil page: events in the chronology (pupils/chronology.py) and a panel
offering "Log a concern" (pupils/summary.py).

Scoped through `concerns_of_pupil`, so each viewer sees only the concerns they may read: the
SENCO team and leadership all of them, classroom staff the ones they raised.
"""

from django.urls import reverse

from pupils.chronology import ChronologyEvent, register_source
from pupils.models import Pupil
from pupils.permissions import can_raise_concerns, can_read_concerns
from pupils.selectors.concerns import concerns_of_pupil
from pupils.summary import SummaryPanel, register_panel
from senco.models import User


@register_source
def concern_events(pupil: Pupil, user: User) -> list[ChronologyEvent]:
    """When each concern was raised and, once decided, the decision. The titles hold no
    observation text: that stays on the concern's own page."""
    events = []
    for concern in concerns_of_pupil(user, pupil=pupil):
        url = reverse("pupils:concern_detail", args=[concern.pk])
        events.append(
            ChronologyEvent(
                on=concern.raised_on,
                kind="concern",
                title="Concern raised",
                detail=concern.get_area_display(),
                url=url,
                by=str(concern.raised_by),
            )
        )
        if concern.decided_on:
            events.append(
                ChronologyEvent(
                    on=concern.decided_on,
                    kind="concern_decided",
                    title=f"Concern decided: {concern.get_decision_display()}",
                    url=url,
                    by=str(concern.decided_by or ""),
                )
            )
    return events


@register_panel
def concerns_panel(pupil: Pupil, user: User) -> SummaryPanel | None:
    """The concerns about the pupil the user may read, with their stage and decision, and the
    "Log a concern" link for those who may raise one. One query."""
    if not can_read_concerns(user):
        return None
    return SummaryPanel(
        title="Concerns",
        template="pupils/concern_panel.html",
        context={
            "pupil": pupil,
            "concerns": list(concerns_of_pupil(user, pupil=pupil)),
            "can_raise": can_raise_concerns(user),
        },
        order=20,
    )
