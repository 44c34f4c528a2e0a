"""Writes to the annual reviews of EHC plans: arranging the meeting, then recording who was
invited, the advice, the views, the recommendation, the local authority's decision and, from
Year 9, preparing for adulthood, and completing the review. One business action each, audited
(R3); a save over someone else's is refused (R9)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from agencies.models import AnnualReview, EhcPlan, ReviewInvitee
from agencies.models.annual_reviews import PFA_AREAS, PFA_FROM_YEAR
from pupils.services.leavers import refuses_leavers
from senco import audit
from senco.concurrency import update_if_unchanged
from senco.models import User

# The fields of the review form, besides the invitees and the meeting date.
RECORD_FIELDS = [
    "advice_gathered",
    "parent_views",
    "pupil_views",
    *(name for name, _ in PFA_AREAS),
    "recommendation",
    "la_decision",
    "la_decision_on",
]


@dataclass(frozen=True)
class Invitee:
    kind: str
    name: str
    invited_on: date | None


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _check_meeting(plan: EhcPlan, meeting_on: date, *, review: AnnualReview | None = None) -> None:
    if meeting_on < plan.issued_on:
        raise ValidationError(
            {"meeting_on": f"The meeting cannot be before the plan was issued ({_long(plan.issued_on)})."}
        )
    held = plan.reviews.filter(closed_on__isnull=False)
    if review is not None:
        held = held.exclude(pk=review.pk)
    last = held.order_by("-meeting_on").first()
    if last is not None and meeting_on <= last.meeting_on:
        raise ValidationError(
            {"meeting_on": f"The last review met on {_long(last.meeting_on)}: this one must meet after it."}
        )


@refuses_leavers("plan")
@transaction.atomic
def schedule_annual_review(*, plan: EhcPlan, meeting_on: date, by: User, today: date) -> AnnualReview:
    """Arrange the plan's next review meeting on `meeting_on`. One review is open at a time.
    Side effects: audit row `annual_review.scheduled`."""
    if plan.ceased_on is not None:
        raise ValidationError("This plan has ceased: it has no more reviews.")
    if plan.reviews.filter(closed_on__isnull=True).exists():
        raise ValidationError("A review of this plan is already open: complete it first.")
    _check_meeting(plan, meeting_on)
    review = AnnualReview(plan=plan, meeting_on=meeting_on, year_group=plan.pupil.year_group, recorded_by=by)
    review.full_clean()
    review.save()
    audit.record("annual_review.scheduled", by=by, obj=review, pupil=plan.pupil, summary=_long(meeting_on))
    return review


def _problems(review: AnnualReview, invitees: list[Invitee], *, closing: bool, today: date) -> dict:
    """What stops these details being saved (or the review completed), by field."""
    errors: dict[str, str] = {}
    if review.la_decision and review.la_decision_on is None:
        errors["la_decision_on"] = "Give the date of the local authority's decision."
    if review.la_decision_on and not review.la_decision:
        errors["la_decision"] = "Choose the local authority's decision, or clear its date."
    if review.la_decision_on and review.la_decision_on < review.meeting_on:
        errors["la_decision_on"] = "The local authority decides after the meeting: check the date."
    late = [invitee for invitee in invitees if invitee.invited_on and invitee.invited_on > review.meeting_on]
    if late:
        errors["__all__"] = "An invitation is dated after the meeting: check the invited dates."
    if closing:
        if review.meeting_on > today:
            errors["meeting_on"] = "The review can be completed once the meeting has been held."
        if not review.recommendation:
            errors["recommendation"] = "Record the school's recommendation to complete the review."
        if review.covers_adulthood:
            for name, label in PFA_AREAS:
                if not getattr(review, name).strip():
                    errors[name] = (
                        f"From Year {PFA_FROM_YEAR} the review covers preparing for adulthood: "
                        f"record “{label}” to complete it."
                    )
    return errors


@refuses_leavers("review")
@transaction.atomic
def update_annual_review(
    *,
    review: AnnualReview,
    version: int,
    meeting_on: date,
    details: dict,
    invitees: list[Invitee],
    complete: bool,
    by: User,
    today: date,
) -> AnnualReview:
    """Save the review's record (`details`: RECORD_FIELDS) and its invitees, and with `complete`
    mark it completed today. A completed review keeps every rule of completing it. Refused with
    `StaleEdit` if someone else saved it since `version`.
    Side effects: audit row `annual_review.updated` (or `annual_review.completed`)."""
    _check_meeting(review.plan, meeting_on, review=review)
    review.meeting_on = meeting_on
    for name in RECORD_FIELDS:
        setattr(review, name, details.get(name) or ("" if name != "la_decision_on" else None))
    closing = complete or review.closed_on is not None
    errors = _problems(review, invitees, closing=closing, today=today)
    if errors:
        raise ValidationError(errors)
    newly_closed = complete and review.closed_on is None
    if newly_closed:
        review.closed_on, review.closed_by = today, by
    review.full_clean(exclude=["version"])
    values = {
        name: getattr(review, name) for name in [*RECORD_FIELDS, "meeting_on", "closed_on", "closed_by"]
    }
    update_if_unchanged(review, version, what="annual review", **values)
    review.version = version + 1
    review.invitees.all().delete()
    for invitee in invitees:
        row = ReviewInvitee(
            review=review, kind=invitee.kind, name=invitee.name, invited_on=invitee.invited_on
        )
        row.full_clean()
        row.save()
    action = "annual_review.completed" if newly_closed else "annual_review.updated"
    audit.record(action, by=by, obj=review, pupil=review.plan.pupil, fields=[*RECORD_FIELDS, "invitees"])
    return review
