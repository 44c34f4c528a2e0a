"""Reads of outside professionals' involvement, their reports and advice (R4).

Who sees what: the SENCO team and leadership (AGENCY_READERS) read every pupil's involvement,
reports and advice; a report marked as health information, and the advice taken from it, only
the SENCO team and the head (HEALTH_READERS). Teachers and TAs (through ADVICE_READERS) read the
advice for the pupils they teach or support, never from a health report, and never the reports.
Governors and school administrators see none of it."""

from datetime import date

from django.db.models import F, QuerySet

from agencies.models import Advice, Agency, EhcPlan, Involvement, Referral, Report
from agencies.permissions import ADVICE_READERS, AGENCY_READERS, HEALTH_READERS
from agencies.selectors.ehc_plans import ehc_plans_for
from agencies.selectors.referrals import referrals_visible_to
from provision.models import SupportPlan
from provision.selectors.plans import plans_visible_to
from pupils.models import Pupil
from pupils.selectors.records import pupils_visible_to
from senco.deadlines import advice_unactioned_flag_on
from senco.models import User
from senco.rules import SchoolCalendar

# Advice not yet taken up has no day it was taken up: those rows come first, then the rest in the
# order they were taken up.
UNACTIONED_FIRST = F("actioned_on").asc(nulls_first=True)


def involvements_visible_to(user: User) -> QuerySet[Involvement]:
    """The involvements of the pupils `user` reaches as an agency reader."""
    readers = user.acting_as(AGENCY_READERS)
    return Involvement.objects.filter(school=user.school, pupil__in=pupils_visible_to(readers))


def reports_visible_to(user: User) -> QuerySet[Report]:
    """The reports `user` may read and download: agency readers, without those marked as health
    information unless they are also a health reader in the roles they act in."""
    readers = user.acting_as(AGENCY_READERS)
    reports = Report.objects.filter(school=user.school, pupil__in=pupils_visible_to(readers))
    if not readers.has_role(*HEALTH_READERS):
        reports = reports.filter(is_health_information=False)
    return reports


def advice_visible_to(user: User) -> QuerySet[Advice]:
    """The advice `user` reads: agency readers for every pupil, classroom staff for their own
    pupils; advice from a health report only for health readers."""
    readers = user.acting_as(ADVICE_READERS)
    advice = Advice.objects.filter(school=user.school, pupil__in=pupils_visible_to(readers))
    if not readers.has_role(*HEALTH_READERS):
        advice = advice.filter(report__is_health_information=False)
    return advice


def agencies_of_school(user: User) -> QuerySet[Agency]:
    """The school's services in use, for the forms' lists."""
    return Agency.objects.filter(school=user.school, active=True)


def involvements_of_pupil(user: User, *, pupil: Pupil) -> QuerySet[Involvement]:
    return (
        involvements_visible_to(user)
        .filter(pupil=pupil)
        .select_related("agency", "recorded_by", "referral__agency")
    )


def reports_of_pupil(user: User, *, pupil: Pupil) -> QuerySet[Report]:
    return (
        reports_visible_to(user)
        .filter(pupil=pupil)
        .select_related("agency", "uploaded_by", "involvement", "referral__agency")
    )


def referrals_for_records(user: User, *, pupil: Pupil) -> QuerySet[Referral]:
    """The pupil's referrals an involvement or a report may name as where it came from."""
    return referrals_visible_to(user).filter(pupil=pupil).select_related("agency")


def reports_for_referral(user: User, *, referral: Referral) -> QuerySet[Report]:
    """The reports received for a referral that the user may read (a health report only for
    health readers), oldest first: what the referral page lists beside its "report received"."""
    return reports_visible_to(user).filter(referral=referral).order_by("received_on", "id")


def advice_taken_up_in_ehc_plan(user: User, *, plan: EhcPlan) -> QuerySet[Advice]:
    """The advice the user reads that the EHC plan took up, in the order it was taken up, with
    each one's report and service. One query."""
    return (
        advice_visible_to(user)
        .filter(actioned_in_ehc_plan=plan)
        .select_related("report__agency")
        .order_by("actioned_on", "id")
    )


def advice_of_pupil(user: User, *, pupil: Pupil) -> QuerySet[Advice]:
    """The pupil's advice the user reads, unactioned first, each with its report's agency and
    the plan that took it up."""
    return (
        advice_visible_to(user)
        .filter(pupil=pupil)
        .select_related("report__agency", "actioned_in", "actioned_in_ehc_plan", "actioned_by")
        .order_by(UNACTIONED_FIRST, "report__received_on", "id")
    )


def plans_for_advice(user: User, *, pupil: Pupil) -> QuerySet[SupportPlan]:
    """The pupil's plans advice may be taken up in: those not yet reviewed (draft or in the Do
    stage), which are where new strategies go."""
    return plans_visible_to(user).filter(pupil=pupil).exclude(status="reviewed").order_by("-cycle")


def ehc_plans_for_advice(user: User, *, pupil: Pupil) -> QuerySet[EhcPlan]:
    """The pupil's EHC plan in force, which advice may be taken up in too (CoP 9.69)."""
    return ehc_plans_for(user).filter(pupil=pupil, ceased_on__isnull=True)


def advice_list(user: User) -> QuerySet[Advice]:
    """Every piece of advice at the school that the user reads, for the SENCO's list: unactioned
    first (oldest report first, as that has waited longest), then in the order it was taken up.
    A fixed number of queries however long."""
    return (
        advice_visible_to(user)
        .select_related("pupil", "report__agency", "actioned_in", "actioned_in_ehc_plan")
        .order_by(UNACTIONED_FIRST, "report__received_on", "id")
    )


def with_flags(advice: list[Advice], *, today: date, calendar: SchoolCalendar) -> list[Advice]:
    """Set `flag_on` (the day unactioned advice counts as left for more than half a term) and
    `is_flagged` on each row. Pure: no query."""
    for item in advice:
        item.flag_on = advice_unactioned_flag_on(item.report.received_on, calendar)
        item.is_flagged = not item.is_actioned and today >= item.flag_on
    return advice
