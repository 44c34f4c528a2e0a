"""Pages for preparing for adulthood: a pupil's outcomes in the four areas with their reviews,
setting them, and reviewing them. Thin views (R7)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from agencies.views.ehc_plans import add_errors
from pupils.selectors.records import pupils_visible_to
from senco.access import allow, open_record
from senco.concurrency import StaleEdit, redraw_stale
from transitions.forms import OutcomesForm, ReviewForm
from transitions.permissions import CLASSROOM_READERS, TRANSITION_WORKERS
from transitions.selectors.adulthood import needs_pfa_outcomes, pfa_outcomes_of_pupil
from transitions.services import adulthood as services


def _pupil(request, pupil_pk: int, *, read: str = "pfa_outcomes.viewed"):
    return open_record(request, pupils_visible_to(request.user), read=read, pk=pupil_pk)


@allow(*CLASSROOM_READERS)
def adulthood(request, pupil_pk: int):
    pupil = _pupil(request, pupil_pk)
    today = timezone.localdate()
    context = {
        "pupil": pupil,
        "rows": pfa_outcomes_of_pupil(request.user, pupil=pupil),
        "due": needs_pfa_outcomes(pupil),
        "can_edit": request.user.has_role(*TRANSITION_WORKERS) and not pupil.has_left(today),
    }
    return render(request, "transitions/adulthood.html", context)


@allow(*TRANSITION_WORKERS)
def adulthood_edit(request, pupil_pk: int):
    pupil = _pupil(request, pupil_pk)
    rows = pfa_outcomes_of_pupil(request.user, pupil=pupil)
    initial = {"token": services.outcomes_token(pupil)}
    for row in rows:
        if row.outcome:
            initial |= {f"{row.area}_outcome": row.outcome.outcome, f"{row.area}_steps": row.outcome.steps}
    form = OutcomesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_pfa_outcomes(
                pupil=pupil,
                token=form.cleaned_data["token"],
                outcomes=form.outcomes(),
                by=request.user,
                today=timezone.localdate(),
            )
            messages.success(request, "Saved.")
            return redirect("transitions:adulthood", pupil.pk)
        except StaleEdit as exc:
            form = redraw_stale(lambda data: OutcomesForm(data), request.POST, exc)
        except ValidationError as exc:
            add_errors(form, exc)
    heading = f"Preparing for adulthood outcomes of {pupil.full_name}"
    return render(
        request, "transitions/adulthood_form.html", {"pupil": pupil, "form": form, "heading": heading}
    )


@allow(*TRANSITION_WORKERS)
def adulthood_review(request, pupil_pk: int):
    pupil = _pupil(request, pupil_pk)
    rows = pfa_outcomes_of_pupil(request.user, pupil=pupil)
    areas = [(row.area, row.label) for row in rows if row.outcome]
    form = ReviewForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.review_pfa_outcomes(
                pupil=pupil,
                reviewed_on=data["reviewed_on"],
                occasion=data["occasion"],
                progress=form.progress(),
                by=request.user,
                today=timezone.localdate(),
            )
            messages.success(request, "The review is recorded.")
            return redirect("transitions:adulthood", pupil.pk)
        except ValidationError as exc:
            add_errors(form, exc)
    heading = f"Review the preparing for adulthood outcomes of {pupil.full_name}"
    return render(
        request, "transitions/adulthood_form.html", {"pupil": pupil, "form": form, "heading": heading}
    )
