"""Reads of pupil passports (one-page profiles), scoped through `pupils_visible_to` (R4).

The SENCO team and leadership read every pupil's passport in their school; teachers and TAs the
passports of the pupils in their groups (that is what a passport is for); administrators and
governors none.
"""

from django.db.models import QuerySet

from pupils.models import Passport, Pupil
from pupils.permissions import PASSPORT_READERS
from pupils.selectors.records import pupils_visible_to
from senco.models import User


def passports_visible_to(user: User) -> QuerySet[Passport]:
    """Every passport version the user may read, within the reach of their roles that read
    passports (a school administrator who is also a TA reads their own pupils' only)."""
    return Passport.objects.filter(pupil__in=pupils_visible_to(user.acting_as(PASSPORT_READERS)))


def passport_versions(user: User, *, pupil: Pupil) -> QuerySet[Passport]:
    """The pupil's passport versions, newest first, with who wrote each."""
    return passports_visible_to(user).filter(pupil=pupil).select_related("written_by").order_by("-version")


def latest_passport(user: User, *, pupil: Pupil) -> Passport | None:
    """The version staff should follow now, or None if no passport has been written."""
    return passport_versions(user, pupil=pupil).first()
