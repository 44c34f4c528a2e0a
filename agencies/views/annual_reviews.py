"""Pages for the annual reviews of EHC plans: arranging the meeting (with the dates around it),
a review, and its record. Thin views (R7)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from agencies.forms.annual_reviews import (
    InviteeFormSet,
    ReviewForm,
    ScheduleReviewForm,
    invitee_initial,
    invitees_from,
)
from agencies.permissions import AGENCY_READERS, AGENCY_WORKERS
from agencies.selectors.annual_reviews import annual_reviews_for, schedule_steps
from agencies.selectors.ehc_plans import ehc_plans_for, plan_page
from agencies.services import annual_reviews as services
from agencies.services.annual_reviews import RECORD_FIELDS
from agencies.views.ehc_plans import add_errors
from pupils.pupil_page import plan_sections
from senco.access import allow, open_record
from senco.concurrency import StaleEdit, redraw_stale
from senco.selectors import school_calendar


@allow(*AGENCY_WORKERS)
def annual_reviews_schedule(request, pk: int):
    """GET with a date shows the dates around it; POST arranges the meeting."""
    today = timezone.localdate()
    plan = open_record(request, ehc_plans_for(request.user), read="ehc_plan.viewed", pk=pk)
    form = ScheduleReviewForm(request.POST or request.GET or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.schedule_annual_review(
                plan=plan, meeting_on=form.cleaned_data["meeting_on"], by=request.user, today=today
            )
            messages.success(request, "The review meeting is arranged: record the invitations next.")
            return redirect("agencies:annual_reviews_edit", review.pk)
        except ValidationError as exc:
            add_errors(form, exc)
    page = plan_page(request.user, plan, today=today, calendar=school_calendar(request.user.school))
    steps = (
        schedule_steps(form.cleaned_data["meeting_on"], today=today)
        if form.is_bound and form.is_valid()
        else []
    )
    context = {"plan": plan, "pupil": plan.pupil, "page": page, "form": form, "steps": steps}
    return render(request, "agencies/annual_reviews_schedule.html", context)


def _review(request, pk: int):
    records = annual_reviews_for(request.user)
    return open_record(
        request, records, read="annual_review.viewed", pupils=lambda review: [review.plan.pupil], pk=pk
    )


@allow(*AGENCY_READERS)
def annual_reviews_detail(request, pk: int):
    review = _review(request, pk)
    context = {
        "review": review,
        "plan": review.plan,
        "pupil": review.plan.pupil,
        "steps": schedule_steps(review.meeting_on, today=timezone.localdate()),
        "can_edit": request.user.has_role(*AGENCY_WORKERS)
        and not review.plan.pupil.has_left(timezone.localdate()),
        # What other apps keep about the pupil and review with the plan (preparing for adulthood).
        "plan_sections": plan_sections(request, pupil=review.plan.pupil, today=timezone.localdate()),
    }
    return render(request, "agencies/annual_reviews_detail.html", context)


@allow(*AGENCY_WORKERS)
def annual_reviews_edit(request, pk: int):
    review, today = _review(request, pk), timezone.localdate()
    initial = {"version": review.version}

    def make_form(data):
        return ReviewForm(data, instance=review, initial=initial, adulthood=review.covers_adulthood)

    form = make_form(request.POST or None)
    invitees = InviteeFormSet(request.POST or None, initial=invitee_initial(review), prefix="invitees")
    if request.method == "POST" and form.is_valid() and invitees.is_valid():
        data = form.cleaned_data
        try:
            services.update_annual_review(
                review=review,
                version=data["version"],
                meeting_on=data["meeting_on"],
                details={name: data.get(name) for name in RECORD_FIELDS},
                invitees=invitees_from(invitees),
                complete="complete" in request.POST,
                by=request.user,
                today=today,
            )
            messages.success(request, "The review is completed." if "complete" in request.POST else "Saved.")
            return redirect(review)
        except StaleEdit as exc:
            form = redraw_stale(make_form, request.POST, exc)
        except ValidationError as exc:
            add_errors(form, exc)
    steps = schedule_steps(review.meeting_on, today=today)
    context = {
        "review": review,
        "plan": review.plan,
        "pupil": review.plan.pupil,
        "form": form,
        "invitees": invitees,
        "steps": steps,
        "plan_sections": plan_sections(request, pupil=review.plan.pupil, today=today),
    }
    return render(request, "agencies/annual_reviews_edit.html", context)
