"""The pupil page: the pupils app's own one-minute summary (`pupil_summary`) and the one
extension point through which every app, this one included, adds panels and chronology events
to the page without the page importing it (R2).

To add to the pupil page, an app writes a *contribution function* in its own `pupil_page.py`,
which its AppConfig.ready() imports:

    from pupils.pupil_page import ChronologyEvent, Contribution, Panel, contributes

    @contributes
    def plans_contribution(user, *, pupil, today):
        if not within_reach(user, pupil, roles=PLAN_READERS):
            return Contribution()
        plans = list(plans_of_pupil(user, pupil=pupil, today=today))
        return Contribution(
            panels=[Panel(title="Current SEN support plan", template="provision/panels/current_plan.html",
                          context={"pupil": pupil, "plan": ...}, order=10)],
            events=[ChronologyEvent(on=plan.started_on, kind="plan", title="SEN support plan started",
                                    url=plan.get_absolute_url()) for plan in plans],
        )

It receives the viewing user, the pupil (which the view fetched through
`pupils_visible_to(user)`) and `today`, and returns a `Contribution`: panels for the page,
events for the chronology (one dated timeline of everything that happened for the pupil),
actions for the page's Actions list (a `primary` one is drawn as the page's main button: the
next thing to do) and advice for "How to support", shown where the pupil has no passport; or
an empty `Contribution()` when the user may see nothing of it or there is nothing to say. It

- leaves out what the user may not see, reading through its app's selectors (R4), and decides
  each panel and action by `within_reach(user, pupil, roles=...)` with the roles granting it:
  the page admits every member of staff who sees the pupil, and one role's reach must not open
  another role's panel (a school administrator who is also a TA sees the TA's pupils' plans only);
- is read-only, because the pupil page is a GET;
- makes a fixed number of queries whatever the size of the pupil's record (a test holds every
  contribution together to one budget);
- never reads the clock: it works from the `today` it is given (R11).

A panel's template is rendered with the panel's context only, inside a section headed by the
panel's title (an `<h2>`), so the template's own headings start at `<h3>`. Panels show in
`order`, then by title.

Every event names who recorded it (`by`; `automatic` for one the app works out, such as a group
reaching its end date). Events run newest first: by date, then within a day by when they were
recorded (`recorded_at`, where the record keeps it), then by `sequence` (the record's id and the
step within it), so that entries recorded with no time keep the order they were made in.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Protocol

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from pupils.models import (
    Concern,
    ContactLogEntry,
    GroupKind,
    Passport,
    Pupil,
    SenStatus,
    SenStatusChange,
    TeachingGroup,
)
from pupils.permissions import (
    CARER_DETAIL_READERS,
    CONCERN_RAISERS,
    CONCERN_READERS,
    CONTACT_LOG_READERS,
    PASSPORT_READERS,
)
from pupils.selectors.concerns import concerns_of_pupil
from pupils.selectors.contacts import (
    PARENT_MEETINGS_EXPECTED,
    carers_of,
    contact_events_of,
    contact_log,
    meetings_this_year,
    senco_team_of,
)
from pupils.selectors.passports import passport_versions
from pupils.selectors.records import split_sen_history, within_reach
from senco.access import may_open
from senco.models import User


@dataclass(frozen=True)
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100  # lower comes first; ties are ordered by title


@dataclass(frozen=True)
class ChronologyEvent:
    on: date
    kind: str  # a short machine name, e.g. "sen_status", "concern", "plan", "provision"
    title: str  # what a SENCO would write in a log, without sensitive detail
    detail: str = ""
    url: str = ""
    by: str = ""  # who recorded it, by name; empty where the record does not say
    recorded_at: datetime | None = None  # when it was recorded, where the record keeps it
    sequence: tuple[int, int] = (0, 0)  # (record id, step within the record): orders a day's untimed entries
    automatic: str = ""  # for an event no one recorded: what the app worked it out from

    @property
    def recorded_by(self) -> str:
        if self.automatic:
            return f"Recorded automatically: {self.automatic}"
        return f"Recorded by {self.by}" if self.by else "Recorded by: not known"


def _newest_first(event: ChronologyEvent) -> tuple:
    """The sort key, for `reverse=True`: date, then the time recorded (entries with none come
    after the timed ones of their day), then the record and step, then the kind."""
    timed = event.recorded_at is not None
    return (event.on, timed, event.recorded_at if timed else _NO_TIME, event.sequence, event.kind)


_NO_TIME = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Action:
    """A link in the page's Actions list or, with `post`, a one-button form that posts those
    hidden fields to `url` (with the CSRF token). A `primary` action is the next thing to do for
    the pupil: the page draws it as its main button, ahead of the list."""

    label: str
    url: str
    post: dict[str, str] | None = None
    primary: bool = False
    order: int = 100  # lower comes first; ties are ordered by label


@dataclass(frozen=True)
class SupportAdvice:
    """What "How to support" shows when the pupil has no passport: `text` (such as the current
    plan's strategies), where it comes from, and a link to read it there."""

    text: str
    source: str  # e.g. "From the SEN support plan, cycle 2, finalised 3 March 2026."
    url: str
    link_text: str
    order: int = 100


@dataclass(frozen=True)
class Contribution:
    """What one contribution function adds to the pupil page: panels, chronology events, actions
    and advice on how to support the pupil, any of them or none."""

    panels: Sequence[Panel] = ()
    events: Sequence[ChronologyEvent] = ()
    actions: Sequence[Action] = ()
    advice: Sequence[SupportAdvice] = ()


class ContributionFunction(Protocol):
    def __call__(self, user: User, *, pupil: Pupil, today: date) -> Contribution: ...


_contribution_functions: list[ContributionFunction] = []


def contributes(function: ContributionFunction) -> ContributionFunction:
    """Add a contribution function to the pupil page; returns it unchanged, so it can be used as
    a decorator. Adding the same function twice adds it once."""
    if function not in _contribution_functions:
        _contribution_functions.append(function)
    return function


def all_contributions(user: User, *, pupil: Pupil, today: date) -> Contribution:
    """Every contribution function's panels, events, actions and advice for `pupil`, as `user`
    may see them on `today`, merged: panels, actions and advice in display order, events newest
    first.

    The caller has already fetched `pupil` through `pupils_visible_to(user)`.
    """
    contributions = [function(user, pupil=pupil, today=today) for function in _contribution_functions]
    panels = [panel for contribution in contributions for panel in contribution.panels]
    events = [event for contribution in contributions for event in contribution.events]
    actions = [action for contribution in contributions for action in contribution.actions]
    advice = [advice for contribution in contributions for advice in contribution.advice]
    return Contribution(
        panels=sorted(panels, key=lambda panel: (panel.order, panel.title)),
        events=sorted(events, key=_newest_first, reverse=True),
        actions=sorted(actions, key=lambda action: (action.order, action.label)),
        advice=sorted(advice, key=lambda advice: advice.order),
    )


@dataclass(frozen=True)
class RenderedPanel:
    panel: Panel
    html: SafeString

    @property
    def title(self) -> str:
        return self.panel.title


def rendered_panels(panels: Sequence[Panel], *, request: HttpRequest | None = None) -> list[RenderedPanel]:
    """The panels with their templates rendered, ready for the page to place in order."""
    return [
        RenderedPanel(panel=panel, html=render_to_string(panel.template, panel.context, request=request))
        for panel in panels
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


# Reads the summary and this app's contributions share -------------------------------------------


def _read_once(user: User, pupil: Pupil, name: str, read: Callable[[], list]) -> list:
    """A read of the pupil's record that the summary and a contribution both need, made once a
    page: kept on the pupil instance the view fetched for this request, for this user (the
    summary and every contribution receive the same instance)."""
    reads = pupil.__dict__.setdefault("_pupil_page_reads", {})
    key = (name, user.pk)
    if key not in reads:
        reads[key] = read()
    return reads[key]


def _sen_history(user: User, pupil: Pupil) -> list[SenStatusChange]:
    """Every entry of the pupil's SEN history, with its needs and who recorded it."""
    history = pupil.sen_history.select_related("primary_need", "secondary_need", "recorded_by")
    return _read_once(user, pupil, "sen_history", lambda: list(history))


def _passports(user: User, pupil: Pupil) -> list[Passport]:
    """The passport versions the user may read, newest first (`passport_versions`)."""
    return _read_once(user, pupil, "passports", lambda: list(passport_versions(user, pupil=pupil)))


def _contact_log(user: User, pupil: Pupil) -> list[ContactLogEntry]:
    """The full contact log, newest first (`contact_log`): for its readers only."""
    return _read_once(user, pupil, "contact_log", lambda: list(contact_log(user, pupil=pupil)))


def pupil_summary(user: User, *, pupil: Pupil, today: date) -> dict:
    """Everything the pupil page shows about `pupil` to `user`, a fixed number of queries
    whatever the size of the record. The caller fetched `pupil` through `pupils_visible_to(user)`.

    Passport: passport readers only. Carers: names for all staff, contact details only for the
    SENCO team and administrators. Contact log and parent meetings: the SENCO team and leadership.
    Each within the reach of the roles granting it (`within_reach`), not of the user's other roles.
    The key contacts name the teachers of the pupil's class (a primary school's class teacher)
    or registration group (a secondary school's form tutor).
    """
    registration_group, other_groups = _groups(pupil)
    current, upcoming = split_sen_history(_sen_history(user, pupil), today=today)
    reads_log = within_reach(user, pupil, roles=CONTACT_LOG_READERS)
    log = _contact_log(user, pupil) if reads_log else []
    passports = _passports(user, pupil)
    on_sen_support = current is not None and current.status == SenStatus.SEN_SUPPORT
    form_tutor = registration_group is not None and registration_group.kind == GroupKind.REGISTRATION
    return {
        "pupil": pupil,
        "age": pupil.age_on(today),
        "has_left": pupil.has_left(today),
        "registration_group": registration_group,
        "other_groups": other_groups,
        "home_teacher_role": "Form tutor" if form_tutor else "Class teacher",
        "home_teachers": list(registration_group.teachers.all()) if registration_group else [],
        "current": current,
        "upcoming": upcoming,
        "flags": _flags(pupil),
        "reads_passport": within_reach(user, pupil, roles=PASSPORT_READERS),
        "passport": passports[0] if passports else None,
        "senco_team": senco_team_of(user),
        "carers": carers_of(user, pupil=pupil),
        "sees_carer_details": within_reach(user, pupil, roles=CARER_DETAIL_READERS),
        "reads_contact_log": reads_log,
        "contact_log": log,
        "parent_meetings": meetings_this_year(log, today=today),
        "parent_meetings_expected": PARENT_MEETINGS_EXPECTED if on_sen_support else None,
        # "Who has looked at this record?": offered to whoever the audit trail's own view admits.
        "reads_audit_trail": may_open(user, "senco:audit_trail"),
    }


# The pupils app's own contributions. Each makes one query whatever the size of the record.


@contributes
def sen_status_contribution(user: User, *, pupil: Pupil, today: date) -> Contribution:
    """Each change of SEN status, with the needs and the reason, for everyone who sees the pupil;
    a change agreed ahead is marked as such until it takes effect."""
    events = []
    for change in _sen_history(user, pupil):
        needs = ", ".join(need.code for need in (change.primary_need, change.secondary_need) if need)
        events.append(
            ChronologyEvent(
                on=change.effective_from,
                kind="sen_status",
                title=f"SEN status: {change.get_status_display()}"
                + (" (agreed ahead)" if change.effective_from > today else ""),
                detail=f"{needs}. {change.reason}" if needs else change.reason,
                by=str(change.recorded_by or ""),
                recorded_at=change.recorded_at,
                sequence=(change.pk, 0),
            )
        )
    return Contribution(events=events)


@contributes
def contact_contribution(user: User, *, pupil: Pupil, today: date) -> Contribution:
    """Meetings, calls, letters and the pupil's views: the summary and agreed actions, which the
    pupil's teachers need to act on; who took part stays in the contact log."""
    events = []
    # A contact-log reader's events are the whole log, which the summary has read already.
    reads_log = within_reach(user, pupil, roles=CONTACT_LOG_READERS)
    for entry in _contact_log(user, pupil) if reads_log else contact_events_of(user, pupil=pupil):
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
                recorded_at=entry.recorded_at,
                sequence=(entry.pk, 0),
            )
        )
    return Contribution(events=events)


@contributes
def passport_contribution(user: User, *, pupil: Pupil, today: date) -> Contribution:
    """Each version of the pupil passport, linked so staff can read what was agreed then."""
    return Contribution(
        events=[
            ChronologyEvent(
                on=passport.written_on,
                kind="passport",
                title=f"Pupil passport version {passport.version} agreed",
                url=reverse("pupils:passport_version", args=[pupil.pk, passport.version]),
                by=str(passport.written_by),
                recorded_at=passport.created_at,
                sequence=(passport.pk, 0),
            )
            for passport in _passports(user, pupil)
        ]
    )


def _concern_events(concern: Concern) -> list[ChronologyEvent]:
    """When the concern was raised, once decided the decision (with the date to look again after
    "Monitor"), and looking again. The titles hold no observation text: that stays on the
    concern's own page."""
    url = reverse("pupils:concern_detail", args=[concern.pk])
    events = [
        ChronologyEvent(
            on=concern.raised_on,
            kind="concern",
            title="Concern raised",
            detail=concern.get_area_display(),
            url=url,
            by=str(concern.raised_by),
            recorded_at=concern.raised_at,
            sequence=(concern.pk, 0),
        )
    ]
    if concern.decided_on:
        look_again = concern.look_again_on
        events.append(
            ChronologyEvent(
                on=concern.decided_on,
                kind="concern_decided",
                title=f"Concern decided: {concern.get_decision_display()}",
                detail=f"Look again on {look_again.day} {look_again:%B %Y}" if look_again else "",
                url=url,
                by=str(concern.decided_by or ""),
                recorded_at=concern.decided_at,
                sequence=(concern.pk, 1),
            )
        )
    if concern.looked_again_at:
        events.append(
            ChronologyEvent(
                on=timezone.localdate(concern.looked_again_at),  # the day recorded, in local time
                kind="concern_looked_again",
                title="Concern looked at again",
                url=url,
                by=str(concern.looked_again_by or ""),
                recorded_at=concern.looked_again_at,
                sequence=(concern.pk, 2),
            )
        )
    return events


@contributes
def concerns_contribution(user: User, *, pupil: Pupil, today: date) -> Contribution:
    """The concerns about the pupil the user may read (`concerns_of_pupil`: the SENCO team and
    leadership all of them, classroom staff the ones they raised) in the chronology, and for
    concern readers a "Concerns" panel listing them with their stage and decision, offering
    "Log a concern" to those who may raise one."""
    concerns = list(concerns_of_pupil(user, pupil=pupil))
    events = [event for concern in concerns for event in _concern_events(concern)]
    if not within_reach(user, pupil, roles=CONCERN_READERS):
        return Contribution(events=events)
    can_raise = within_reach(user, pupil, roles=CONCERN_RAISERS) and not pupil.has_left(today)
    panel = Panel(
        title="Concerns",
        template="pupils/panels/concerns.html",
        context={"pupil": pupil, "concerns": concerns, "can_raise": can_raise},
        order=20,
    )
    return Contribution(panels=[panel], events=events)


# Sections on the pages of a pupil's plans ------------------------------------------------------
#
# What is reviewed with a pupil's plans but kept by a higher app (preparing-for-adulthood
# outcomes, from the transitions app) is shown on the page of each plan and its review (an SEN
# support plan, an EHC plan's annual review) through this second registry. A section function
# takes the same arguments as a contribution function and returns panels only, under the same
# rules: nothing the user may not see, read-only, a fixed number of queries, no clock.

_plan_section_functions: list[Callable[..., Sequence[Panel]]] = []


def contributes_to_plans(function: Callable[..., Sequence[Panel]]) -> Callable[..., Sequence[Panel]]:
    """Add a section function to the plan pages; returns it unchanged (a decorator)."""
    if function not in _plan_section_functions:
        _plan_section_functions.append(function)
    return function


def plan_sections(request: HttpRequest, *, pupil: Pupil, today: date) -> list[RenderedPanel]:
    """The sections every app adds to a page of the pupil's plans, rendered in order, for
    `templates/pupils/partials/plan_sections.html`."""
    panels = [
        panel
        for section in _plan_section_functions
        for panel in section(request.user, pupil=pupil, today=today)
    ]
    return rendered_panels(sorted(panels, key=lambda panel: (panel.order, panel.title)), request=request)
