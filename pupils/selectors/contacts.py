"""Reads of the people around the pupil: carers, the contact log and the school's SENCO (R4).

Carers: every member of staff who can see the pupil sees their carers' names and relationship,
so they know who is who at the gate. Phone numbers, e-mail and postal addresses and contact
notes are for the SENCO team and the school office only (`CARER_DETAIL_READERS`); for anyone
else they are never fetched, so no template can show them.

Contact log: the SENCO team and leadership read it in full. Teachers and TAs see each entry's
date, kind, summary and agreed actions in the chronology (they have to act on what was agreed),
not who took part. Administrators and governors see none of it.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from pupils.models import Carer, ContactKind, ContactLogEntry, Pupil
from pupils.permissions import CARER_DETAIL_READERS, CONTACT_EVENT_READERS, CONTACT_LOG_READERS
from pupils.selectors.records import pupils_visible_to, within_reach
from senco.models import SENCO_TEAM, Membership, User
from senco.rules import school_year_bounds

# SEND Code of Practice 6.65: meet parents of a pupil on SEN support at least three times a year.
PARENT_MEETINGS_EXPECTED = 3


@dataclass(frozen=True)
class CarerContact:
    """What the viewing user may know about one carer; contact fields stay blank for staff who
    may not see them."""

    pk: int
    name: str
    relationship: str
    parental_responsibility: bool
    phone: str = ""
    email: str = ""
    address: str = ""
    preferred_contact: str = ""
    notes: str = ""


def carers_visible_to(user: User) -> QuerySet[Carer]:
    """Carers of the pupils the user can see (every member of staff's pupils; governors none)."""
    return Carer.objects.filter(pupil__in=pupils_visible_to(user))


def carers_of(user: User, *, pupil: Pupil) -> list[CarerContact]:
    """The pupil's carers, those with parental responsibility first, with contact details only
    for the SENCO team and administrators."""
    carers = carers_visible_to(user).filter(pupil=pupil)
    if not within_reach(user, pupil, roles=CARER_DETAIL_READERS):
        rows = carers.values("pk", "name", "relationship", "parental_responsibility")
        return [CarerContact(**row) for row in rows]
    return [
        CarerContact(
            pk=carer.pk,
            name=carer.name,
            relationship=carer.relationship,
            parental_responsibility=carer.parental_responsibility,
            phone=carer.phone,
            email=carer.email,
            address=carer.address,
            preferred_contact=carer.get_preferred_contact_display(),
            notes=carer.notes,
        )
        for carer in carers
    ]


def senco_team_of(user: User) -> list[tuple[str, User]]:
    """The SENCO and deputies at the user's school, as (role label, person), SENCO first."""
    memberships = (
        Membership.objects.filter(school=user.school, role__in=SENCO_TEAM)
        .select_related("user")
        .order_by("-role", "user__last_name", "user__first_name")
    )
    return [(membership.get_role_display(), membership.user) for membership in memberships]


def contact_log(user: User, *, pupil: Pupil) -> QuerySet[ContactLogEntry]:
    """The pupil's full contact log, newest first, for the SENCO team and leadership."""
    readers = pupils_visible_to(user.acting_as(CONTACT_LOG_READERS))
    return (
        ContactLogEntry.objects.filter(pupil__in=readers, pupil=pupil)
        .select_related("recorded_by")
        .order_by("-occurred_on", "-id")
    )


def contact_events_of(user: User, *, pupil: Pupil) -> QuerySet[ContactLogEntry]:
    """The entries that may appear in the chronology: for contact-log readers and the pupil's
    teachers and TAs, each within the reach of the roles that grant it (a school administrator
    who is also a TA sees the events of the TA's pupils only)."""
    readers = pupils_visible_to(user.acting_as(CONTACT_EVENT_READERS))
    return ContactLogEntry.objects.filter(pupil__in=readers, pupil=pupil).select_related("recorded_by")


def meetings_this_year(entries: list[ContactLogEntry], *, today: date) -> int:
    """`parent_meetings_this_year` counted in a contact log already read, with no query."""
    first_day, _ = school_year_bounds(today)
    meetings = [entry for entry in entries if entry.kind == ContactKind.MEETING]
    return sum(1 for entry in meetings if first_day <= entry.occurred_on <= today)


def parent_meetings_this_year(user: User, *, pupil: Pupil, today: date) -> int:
    """Meetings with parents or carers logged in the current school year, up to `today`
    (CoP 6.65 expects at least three a year for a pupil on SEN support)."""
    first_day, _ = school_year_bounds(today)
    return (
        contact_log(user, pupil=pupil)
        .filter(kind=ContactKind.MEETING, occurred_on__range=(first_day, today))
        .count()
    )
