"""The pupils app's own contributions to the chronology (see pupils/chronology.py).

Each source makes one query whatever the number of events, so the pupil page stays flat.
"""

from django.urls import reverse

from pupils.chronology import ChronologyEvent, register_source
from pupils.models import Pupil
from pupils.selectors.contacts import contact_events_of
from pupils.selectors.passports import passport_versions
from senco.models import User


@register_source
def sen_status_events(pupil: Pupil, user: User) -> list[ChronologyEvent]:
    events = []
    for change in pupil.sen_history.select_related("primary_need", "secondary_need", "recorded_by"):
        needs = ", ".join(need.code for need in (change.primary_need, change.secondary_need) if need)
        events.append(
            ChronologyEvent(
                on=change.effective_from,
                kind="sen_status",
                title=f"SEN status: {change.get_status_display()}",
                detail=f"{needs}. {change.reason}" if needs else change.reason,
                by=str(change.recorded_by or ""),
            )
        )
    return events


@register_source
def contact_events(pupil: Pupil, user: User) -> list[ChronologyEvent]:
    """Meetings, calls, letters and the pupil's views: the summary and agreed actions, which the
    pupil's teachers need to act on; who took part stays in the contact log."""
    events = []
    for entry in contact_events_of(user, pupil=pupil):
        detail = entry.summary
        if entry.agreed_actions:
            detail += f"\nAgreed actions: {entry.agreed_actions}"
        events.append(
            ChronologyEvent(
                on=entry.occurred_on,
                kind="contact",
                title=entry.get_kind_display(),
                detail=detail,
                by=str(entry.recorded_by),
            )
        )
    return events


@register_source
def passport_events(pupil: Pupil, user: User) -> list[ChronologyEvent]:
    """Each version of the pupil passport, linked so staff can read what was agreed then."""
    return [
        ChronologyEvent(
            on=passport.written_on,
            kind="passport",
            title=f"Pupil passport version {passport.version} agreed",
            url=reverse("pupils:passport_version", args=[pupil.pk, passport.version]),
            by=str(passport.written_by),
        )
        for passport in passport_versions(user, pupil=pupil)
    ]
