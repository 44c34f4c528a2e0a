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
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from pupils.models import GroupKind, Pupil, SenStatus, TeachingGroup
from pupils.permissions import can_read_contact_log, can_read_passports, can_see_carer_details
from pupils.selectors import current_sen_status
from pupils.selectors.contacts import (
    PARENT_MEETINGS_EXPECTED,
    carers_of,
    contact_log,
    parent_meetings_this_year,
    senco_team_of,
)
from pupils.selectors.passports import latest_passport
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
