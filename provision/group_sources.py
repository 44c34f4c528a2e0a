"""Provision groups' contributions to the pupil's chronology (see pupils/chronology.py):
when the pupil started and finished each intervention."""

from django.urls import reverse
from django.utils import timezone

from provision.selectors.groups import placements_of_pupil
from pupils.chronology import ChronologyEvent, register_source
from pupils.models import Pupil
from senco.models import User


@register_source
def provision_events(pupil: Pupil, user: User) -> list[ChronologyEvent]:
    """Provision started and ended, for those who may read provision groups; each event links
    to the group only for those who may open it.

    Provision ends when the pupil is taken out of the group or the group's last day passes.
    The source interface has no `today`, so, like a view, it reads the date here.
    """
    today = timezone.localdate()
    events = []
    for placement in placements_of_pupil(user, pupil=pupil):
        group = placement.group
        url = reverse("provision:group_detail", args=[group.pk]) if placement.can_open else ""
        detail = f"{group.intervention} ({group})"
        events.append(
            ChronologyEvent(
                on=placement.joined_on, kind="provision", title="Provision started", detail=detail, url=url
            )
        )
        ended_on = placement.left_on or (group.ends_on if group.ends_on < today else None)
        if ended_on:
            events.append(
                ChronologyEvent(
                    on=ended_on, kind="provision", title="Provision ended", detail=detail, url=url
                )
            )
    return events
