"""Reads for annual reviews: the reviews a user may open and the dates around one meeting.

Who sees what (R4): the SENCO team and leadership, every review of their school's plans;
nobody else (a review holds the parent's views and the whole plan's discussion)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from agencies.models import AnnualReview
from agencies.permissions import AGENCY_READERS
from pupils.selectors.records import pupils_visible_to
from senco.deadlines import closed_day_note, review_schedule
from senco.models import User


def annual_reviews_for(user: User) -> QuerySet[AnnualReview]:
    pupils = pupils_visible_to(user.acting_as(AGENCY_READERS))
    return (
        AnnualReview.objects.filter(plan__pupil__in=pupils)
        .select_related("plan__pupil", "closed_by")
        .prefetch_related("invitees")
    )


@dataclass(frozen=True)
class ScheduleStep:
    label: str
    on: date
    note: str  # why the day is not a working day, or ""
    passed: bool


def schedule_steps(meeting_on: date, *, today: date) -> list[ScheduleStep]:
    """The dates around a meeting on `meeting_on` (`senco.deadlines.review_schedule`), each with
    a note where it falls on a weekend or bank holiday: the date stands, so act before it."""
    steps = review_schedule(meeting_on)
    labelled = [
        ("Advice and papers to everyone invited", steps["papers_by"]),
        ("Meeting", meeting_on),
        ("The school's report to the local authority and everyone invited", steps["report_by"]),
        ("The local authority's decision to maintain, amend or cease", steps["la_decision_by"]),
    ]
    return [ScheduleStep(label, on, closed_day_note(on), on < today) for label, on in labelled]
