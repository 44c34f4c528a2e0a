"""The pupil's chronology: one dated timeline of everything that happened for them.

Each app contributes its own events through one small interface instead of keeping a
timeline of its own: it registers a *source*, a function that returns the events it
knows about for one pupil, from its AppConfig.ready():

    from pupils.chronology import ChronologyEvent, register_source

    @register_source
    def plan_events(pupil, user):
        return [ChronologyEvent(on=plan.started_on, kind="plan", title="SEN support plan started",
                                url=plan.get_absolute_url()) for plan in ...]

A source receives the viewing user so it can leave out what that user may not see.
Sources are read-only: they must not write (the pupil page is a GET).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from pupils.models import Pupil
from senco.models import User


@dataclass(frozen=True)
class ChronologyEvent:
    on: date
    kind: str  # a short machine name, e.g. "sen_status", "concern", "plan", "provision"
    title: str  # what a SENCO would write in a log, without sensitive detail
    detail: str = ""
    url: str = ""
    by: str = ""


Source = Callable[[Pupil, User], Iterable[ChronologyEvent]]
_sources: list[Source] = []


def register_source(source: Source) -> Source:
    """Add a source of events; returns it unchanged so it can be used as a decorator."""
    if source not in _sources:
        _sources.append(source)
    return source


def chronology(pupil: Pupil, user: User) -> list[ChronologyEvent]:
    """Every registered source's events for `pupil`, newest first.

    The caller has already fetched `pupil` through `pupils_visible_to(user)`.
    """
    events = [event for source in _sources for event in source(pupil, user)]
    return sorted(events, key=lambda event: (event.on, event.kind), reverse=True)
