"""Writes to preparing-for-adulthood outcomes: setting a pupil's outcomes in the four areas,
and reviewing them with the pupil's plan or its annual review. Audited (R3); a leaver's record
is read-only; a save over someone else's is refused (R9, by a fingerprint of the outcomes)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from agencies.models.annual_reviews import PFA_FROM_YEAR
from pupils.models import Pupil
from pupils.services.leavers import refuses_leavers
from senco import audit
from senco.concurrency import StaleEdit, rows_token
from senco.models import User
from transitions.models import PfaOutcome, PfaReview
from transitions.models.adulthood import PFA_AREA_CHOICES
from transitions.selectors.adulthood import needs_pfa_outcomes

OUTCOME_FIELDS = ["area", "outcome", "steps"]


def outcomes_token(pupil: Pupil) -> str:
    return rows_token(PfaOutcome.objects.filter(pupil=pupil), fields=OUTCOME_FIELDS)


@refuses_leavers("pupil")
@transaction.atomic
def set_pfa_outcomes(*, pupil: Pupil, token: str, outcomes: dict, by: User, today: date) -> list[PfaOutcome]:
    """Save the pupil's outcome and steps in each area (`outcomes`: area -> (outcome, steps));
    an area left empty keeps no outcome. Refused unless the pupil is in Year 9 or above with an
    EHC plan or on SEN support (CoP 8.9), and with `StaleEdit` if someone saved since `token`.
    Side effects: audit row `pfa_outcomes.updated`."""
    if not needs_pfa_outcomes(pupil):
        raise ValidationError(
            f"Preparing for adulthood outcomes are for pupils from Year {PFA_FROM_YEAR} with an EHC plan "
            "or on SEN support."
        )
    current = {o.area: o for o in PfaOutcome.objects.select_for_update().filter(pupil=pupil)}
    if token != rows_token(current.values(), fields=OUTCOME_FIELDS):
        raise StaleEdit(
            pupil, token=rows_token(current.values(), fields=OUTCOME_FIELDS), what="pupil's outcomes"
        )
    errors, saved = {}, []
    for area, _label in PFA_AREA_CHOICES:
        outcome, steps = (text.strip() for text in outcomes.get(area, ("", "")))
        if steps and not outcome:
            errors[f"{area}_outcome"] = "Write the outcome these steps lead to."
            continue
        row = current.get(area)
        if not outcome:
            if row is not None and row.reviews.exists():
                errors[f"{area}_outcome"] = (
                    "This outcome has been reviewed: change it rather than clearing it."
                )
            elif row is not None:
                row.delete()
            continue
        row = row or PfaOutcome(pupil=pupil, area=area, recorded_by=by)
        row.outcome, row.steps = outcome, steps
        row.full_clean(exclude=["version"])
        saved.append(row)
    if errors:
        raise ValidationError(errors)
    for row in saved:
        if row.pk:
            row.version += 1
        row.save()
    audit.record("pfa_outcomes.updated", by=by, obj=pupil, pupil=pupil, fields=[row.area for row in saved])
    return saved


@refuses_leavers("pupil")
@transaction.atomic
def review_pfa_outcomes(
    *, pupil: Pupil, reviewed_on: date, occasion: str, progress: dict, by: User, today: date
) -> list[PfaReview]:
    """Record a review of each of the pupil's outcomes (`progress`: area -> (progress, note)), at
    the meeting `occasion` on `reviewed_on`. Every outcome is reviewed, none in the future.
    Side effects: audit row `pfa_outcomes.reviewed`."""
    if reviewed_on > today:
        raise ValidationError(
            {"reviewed_on": "Record the review once it has been held: the date is in the future."}
        )
    outcomes = list(PfaOutcome.objects.filter(pupil=pupil))
    if not outcomes:
        raise ValidationError("Set the pupil's outcomes before reviewing them.")
    errors, reviews = {}, []
    for outcome in outcomes:
        chosen, note = progress.get(outcome.area, ("", ""))
        if not chosen:
            errors[f"{outcome.area}_progress"] = f"Say how far {pupil.full_name} has got."
            continue
        review = PfaReview(
            outcome=outcome,
            reviewed_on=reviewed_on,
            occasion=occasion,
            progress=chosen,
            note=note,
            recorded_by=by,
        )
        review.full_clean()
        reviews.append(review)
    if errors:
        raise ValidationError(errors)
    PfaReview.objects.bulk_create(reviews)
    audit.record("pfa_outcomes.reviewed", by=by, obj=pupil, pupil=pupil, summary=str(reviewed_on))
    return reviews
