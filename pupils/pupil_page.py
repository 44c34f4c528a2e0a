"""What the pupil page shows: `pupil_summary` (the pupils app's own one-minute summary) and the
panels other apps contribute, so the page never imports them (R2).

An app registers a *panel function* from its AppConfig.ready(), in a `panels.py`:

    from pupils.summary import SummaryPanel, register_panel

    @register_panel
    def current_plan_panel(pupil, user):
        if not user.has_role(*PLAN_READERS):
            return None
        return SummaryPanel(title="Current SEN support plan", template="provision/panels/current_plan.html",
                            context={"plan": ...}, order=10)

A panel function receives the viewing user and returns None when that user may not see it,
or when it has nothing to say. It is read-only (the pupil page is a GET) and should make a
fixed number of queries, whatever the size of the pupil's record. Its template is rendered
with its own context only, inside a section headed by the panel's title (an `<h2>`), so the
template's own headings start at `<h3>`.

The pupil's chronology: one dated timeline of everything that happened for them.

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

The pupils app's own contributions to the chronology (see pupils/chronology.py).

Each source makes one query whatever the number of events, so the pupil page stays flat.

Concerns on the pupil page: events in the chronology (pupils/chronology.py) and a panel
offering "Log a concern" (pupils/summary.py).

Scoped through `concerns_of_pupil`, so each viewer sees only the concerns they may read: the
SENCO team and leadership all of them, classroom staff the ones they raised.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from pupils.models import GroupKind, Pupil, SenStatus, TeachingGroup
from pupils.permissions import (
    can_raise_concerns,
    can_read_concerns,
    can_read_contact_log,
    can_read_passports,
    can_see_carer_details,
)
from pupils.selectors.concerns import concerns_of_pupil
from pupils.selectors.contacts import (
    PARENT_MEETINGS_EXPECTED,
    carers_of,
    contact_events_of,
    contact_log,
    parent_meetings_this_year,
    senco_team_of,
)
from pupils.selectors.passports import latest_passport, passport_versions
from pupils.selectors.records import current_sen_status
from senco.models import User


@dataclass(frozen=True)
class SummaryPanel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100  # lower comes first; ties are ordered by title


@dataclass(frozen=True)
class RenderedPanel:
    panel: SummaryPanel
    html: SafeString

    @property
    def title(self) -> str:
        return self.panel.title


PanelFunction = Callable[[Pupil, User], SummaryPanel | None]
_panel_functions: list[PanelFunction] = []


def register_panel(panel_function: PanelFunction) -> PanelFunction:
    """Add a panel function; returns it unchanged so it can be used as a decorator."""
    if panel_function not in _panel_functions:
        _panel_functions.append(panel_function)
    return panel_function


def summary_panels(pupil: Pupil, user: User) -> list[SummaryPanel]:
    """Every panel the registered functions offer `user` for `pupil`, in display order.

    The caller has already fetched `pupil` through `pupils_visible_to(user)`.
    """
    panels = [panel for function in _panel_functions if (panel := function(pupil, user)) is not None]
    return sorted(panels, key=lambda panel: (panel.order, panel.title))


def rendered_panels(pupil: Pupil, user: User, *, request: HttpRequest | None = None) -> list[RenderedPanel]:
    """The panels with their templates rendered, ready for the page to place in order."""
    return [
        RenderedPanel(panel=panel, html=render_to_string(panel.template, panel.context, request=request))
        for panel in summary_panels(pupil, user)
    ]


def _flags(pupil: Pupil) -> list[tuple[str, str]]:
    """The flags a teacher must know, as (flag, detail)."""
    designated = (
        f"Designated teacher: {pupil.designated_teacher}"
        if pupil.designated_teacher
        else "No designated teacher recorded"
    )
    flags = [
        (pupil.looked_after, "Looked after (LAC)", designated),
        (pupil.previously_looked_after, "Previously looked after (PLAC)", designated),
        (pupil.pupil_premium, "Pupil premium (PP)", ""),
        (pupil.free_school_meals, "Free school meals (FSM)", ""),
        (pupil.eal, "English as an additional language (EAL)", ""),
        (pupil.young_carer, "Young carer", ""),
    ]
    return [(label, detail) for present, label, detail in flags if present]


def _groups(pupil: Pupil) -> tuple[TeachingGroup | None, list[TeachingGroup]]:
    """The registration group (a primary's class where there is none) and the other groups."""
    groups = list(pupil.teaching_groups.all())
    home = next((g for g in groups if g.kind == GroupKind.REGISTRATION), None) or next(
        (g for g in groups if g.kind == GroupKind.CLASS), None
    )
    return home, [group for group in groups if group != home]


def pupil_summary(user: User, *, pupil: Pupil, today: date) -> dict:
    """Everything the pupil page shows about `pupil` to `user`, a fixed number of queries
    whatever the size of the record. The caller fetched `pupil` through `pupils_visible_to(user)`.

    Passport: passport readers only. Carers: names for all staff, contact details only for the
    SENCO team and administrators. Contact log and parent meetings: the SENCO team and leadership.
    """
    registration_group, other_groups = _groups(pupil)
    current = current_sen_status(pupil)
    reads_log = can_read_contact_log(user)
    on_sen_support = current is not None and current.status == SenStatus.SEN_SUPPORT
    return {
        "pupil": pupil,
        "has_left": pupil.has_left(today),
        "registration_group": registration_group,
        "other_groups": other_groups,
        "current": current,
        "flags": _flags(pupil),
        "reads_passport": can_read_passports(user),
        "passport": latest_passport(user, pupil=pupil),
        "senco_team": senco_team_of(user),
        "carers": carers_of(user, pupil=pupil),
        "sees_carer_details": can_see_carer_details(user),
        "reads_contact_log": reads_log,
        "contact_log": list(contact_log(user, pupil=pupil)) if reads_log else [],
        "parent_meetings": parent_meetings_this_year(user, pupil=pupil, today=today) if reads_log else 0,
        "parent_meetings_expected": PARENT_MEETINGS_EXPECTED if on_sen_support else None,
    }


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
