"""Reads for retention and disposal: leavers' records due for disposal, legal holds, proposals
awaiting the headteacher, and the disposal log.

For the SENCO team and the headteacher (the views declare it): the records of their current
school, through `pupils_visible_to` and the school of the disposal log, so anyone else sees none.
A record is due for disposal once its retention period has ended (`leavers.due_for_review`); a
legal hold in force keeps it off the list, and so does a proposal already awaiting approval,
which is listed on its own.
"""

from datetime import date

from django.db.models import Exists, OuterRef, QuerySet

from pupils.models import DisposalRecord, DisposalStatus, LegalHold, Pupil
from pupils.selectors.leavers import due_for_review, leavers, retention_years
from pupils.selectors.records import pupils_visible_to
from senco.models import User


def _awaiting_approval() -> Exists:
    return Exists(DisposalRecord.objects.filter(pupil=OuterRef("pk"), status=DisposalStatus.PROPOSED))


def past_retention(user: User, *, today: date) -> QuerySet[Pupil]:
    """Leavers whose retention period has ended, held or not, annotated as `leavers` does."""
    return due_for_review(leavers(user, today=today), today=today, **retention_years(user.school))


def due_for_disposal(user: User, *, today: date) -> QuerySet[Pupil]:
    """The disposal list: leavers past their retention period, with no legal hold in force and no
    proposal awaiting approval, earliest date of birth (longest overdue) first."""
    return (
        past_retention(user, today=today)
        .filter(on_hold=False)
        .filter(~_awaiting_approval())
        .order_by("date_of_birth", "last_name", "first_name", "pk")
    )


def legal_holds_in_force(user: User) -> QuerySet[LegalHold]:
    """Holds not yet lifted on pupils the user sees, newest first, with the pupil and who placed it."""
    return LegalHold.objects.filter(pupil__in=pupils_visible_to(user), lifted_at__isnull=True).select_related(
        "pupil", "placed_by"
    )


def proposals_awaiting_approval(user: User) -> QuerySet[DisposalRecord]:
    """The school's proposals the headteacher has yet to decide, oldest first, with the pupil."""
    return (
        DisposalRecord.objects.filter(school=user.school, status=DisposalStatus.PROPOSED)
        .select_related("pupil", "proposed_by")
        .order_by("proposed_at", "pk")
    )


def disposal_log(user: User) -> QuerySet[DisposalRecord]:
    """The school's decided proposals, latest decision first: records disposed of, and proposals
    rejected or withdrawn. Nothing in a line names the pupil."""
    return (
        DisposalRecord.objects.filter(school=user.school)
        .exclude(status=DisposalStatus.PROPOSED)
        .select_related("proposed_by", "decided_by")
        .order_by("-decided_at", "-pk")
    )
