"""Reads for preparing for adulthood: a pupil's outcomes in the four areas with their reviews,
and which pupils should have them.

Who sees what (R4): the SENCO team and leadership, every pupil of their school; teachers and
TAs, the pupils they teach or support (CLASSROOM_READERS), as the outcomes belong to the
pupil's plan; governors, nothing."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from agencies.models.annual_reviews import PFA_FROM_YEAR
from pupils.models import Pupil, SenStatus
from pupils.selectors.records import pupils_visible_to
from senco.models import User
from transitions.models import PfaOutcome, PfaReview
from transitions.models.adulthood import PFA_AREA_CHOICES
from transitions.permissions import CLASSROOM_READERS

# CoP 8.9: from Year 9 for pupils with EHC plans; the school does the same for SEN support.
PFA_STATUSES = (SenStatus.EHC_PLAN, SenStatus.SEN_SUPPORT)


def needs_pfa_outcomes(pupil: Pupil) -> bool:
    """Whether the pupil's plan should carry preparing-for-adulthood outcomes now."""
    return pupil.year_group >= PFA_FROM_YEAR and pupil.sen_status_now in PFA_STATUSES


def without_pfa_outcomes(pupils: QuerySet[Pupil]) -> QuerySet[Pupil]:
    """Those of `pupils` in Year 9 and above, with an EHC plan or on SEN support, who lack an
    outcome in any of the four areas: the register's filter. One subquery."""
    complete = (
        PfaOutcome.objects.values("pupil")
        .annotate(areas=Count("area"))
        .filter(areas=len(PFA_AREA_CHOICES))
        .values("pupil")
    )
    return pupils.filter(Q(year_group__gte=PFA_FROM_YEAR) & Q(sen_status_now__in=PFA_STATUSES)).exclude(
        pk__in=complete
    )


@dataclass(frozen=True)
class AreaRow:
    area: str
    label: str
    outcome: PfaOutcome | None


def pfa_outcomes_of_pupil(user: User, *, pupil: Pupil) -> list[AreaRow]:
    """The four areas in order, each with the pupil's outcome and its reviews (newest first), or
    None; nothing outside the user's reach. Two queries."""
    pupils = pupils_visible_to(user.acting_as(CLASSROOM_READERS))
    outcomes = {
        outcome.area: outcome
        for outcome in PfaOutcome.objects.filter(pupil=pupil, pupil__in=pupils).prefetch_related(
            Prefetch("reviews", queryset=PfaReview.objects.select_related("recorded_by"))
        )
    }
    return [AreaRow(area, label, outcomes.get(area)) for area, label in PFA_AREA_CHOICES]
