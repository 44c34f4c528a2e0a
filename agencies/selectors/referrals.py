"""Reads of referrals and consents, scoped by user (R4).

The SENCO team and leadership (AGENCY_READERS) see every referral of their school, consents
included; teachers, TAs, administrators and governors see none (a consent is about a family's
decision, not about teaching the pupil)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet

from agencies.models import Agency, Consent, Referral, ReferralMove
from agencies.permissions import AGENCY_READERS
from agencies.rules import FINISHED, Waits, median_days, usual_services_missing_from, waits
from pupils.models import Pupil
from pupils.selectors.records import pupils_visible_to
from senco.models import User


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    """The referrals `user` reads in the roles that read them (AGENCY_READERS)."""
    readers = pupils_visible_to(user.acting_as(AGENCY_READERS))
    return Referral.objects.filter(school=user.school, pupil__in=readers)


def referral_list(user: User, *, state: str = "", agency: Agency | None = None) -> QuerySet[Referral]:
    """Referrals for the SENCO's list, newest first, with pupil and service; narrowed to one
    state (or "open" for every state still live) and one service. Two queries at most."""
    referrals = referrals_visible_to(user).select_related("pupil", "agency")
    if state == "open":
        referrals = referrals.exclude(state__in=FINISHED)
    elif state:
        referrals = referrals.filter(state=state)
    if agency is not None:
        referrals = referrals.filter(agency=agency)
    return referrals


def referrals_of_pupil(user: User, *, pupil: Pupil) -> QuerySet[Referral]:
    return referrals_visible_to(user).filter(pupil=pupil).select_related("agency")


def referral_for_page(user: User) -> QuerySet[Referral]:
    """Referrals with everything the referral page shows; open one with `open_record`."""
    return (
        referrals_visible_to(user)
        .select_related("pupil", "agency", "created_by", "exception_recorded_by")
        .prefetch_related(
            Prefetch("moves", queryset=ReferralMove.objects.select_related("by")),
            Prefetch("consents", queryset=Consent.objects.select_related("recorded_by", "withdrawn_by")),
        )
    )


def consents_visible_to(user: User) -> QuerySet[Consent]:
    return Consent.objects.filter(referral__in=referrals_visible_to(user)).select_related("referral", "pupil")


def agencies_of(user: User, *, active_only: bool = False) -> QuerySet[Agency]:
    """The services of the user's school (the directory holds no pupil data)."""
    agencies = Agency.objects.filter(school=user.school)
    return agencies.filter(active=True) if active_only else agencies


def usual_services_missing(user: User) -> list[tuple[str, str, bool, str]]:
    """The usual services (`USUAL_SERVICES`) of a kind the school's directory does not have
    (one query): what "Add the usual services" would add."""
    return usual_services_missing_from(agencies_of(user).values_list("kind", flat=True))


def referral_waits(referral: Referral, *, today: date) -> Waits:
    return waits(
        submitted_on=referral.submitted_on,
        accepted_on=referral.accepted_on,
        first_seen_on=referral.first_seen_on,
        report_received_on=referral.report_received_on,
        state=referral.state,
        today=today,
    )


@dataclass(frozen=True)
class AgencyWaits:
    agency_id: int
    referrals: int
    to_accepted: float | None
    to_first_seen: float | None
    to_report: float | None
    submitted_to_report: float | None


def agency_waits(user: User) -> dict[int, AgencyWaits]:
    """Median days of each waiting time per service, over the school's referrals that reached
    each step (one query). Empty for users who do not read referrals."""
    rows = (
        referrals_visible_to(user)
        .exclude(submitted_on=None)
        .values_list("agency_id", "submitted_on", "accepted_on", "first_seen_on", "report_received_on")
    )
    by_agency: dict[int, list[tuple]] = {}
    for agency_id, *dates in rows:
        by_agency.setdefault(agency_id, []).append(dates)
    result = {}
    for agency_id, dated in by_agency.items():
        legs = [
            [(b - a).days if a and b else None for a, b in pairs]
            for pairs in zip(*[((s, a), (a, f), (f, r), (s, r)) for s, a, f, r in dated], strict=True)
        ]
        result[agency_id] = AgencyWaits(agency_id, len(dated), *(median_days(leg) for leg in legs))
    return result
