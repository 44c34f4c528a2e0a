"""Pages for SEN support plans (APDR cycles). Thin views: selector, form, one service."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from provision.forms.plans import (
    CommentForm,
    OutcomeFormSet,
    PlanForm,
    ReviewForm,
    SharedForm,
    StartPlanForm,
    VersionForm,
    outcome_initial,
    outcomes_from,
)
from provision.models import PlanReview, PlanStatus
from provision.permissions import PLAN_COMMENTERS, PLAN_READERS, PLAN_WRITERS
from provision.selectors import plans as selectors
from provision.selectors.plans import (
    cycle_evidence,
    outcome_rows,
    past_version,
    plan_for_page,
    plans_of_pupil,
)
from provision.services import plans as services
from pupils.permissions import can_oversee_concerns
from pupils.pupil_page import plan_sections
from pupils.selectors.concerns import concerns_to_look_at_again
from pupils.selectors.records import current_sen_status, pupils_visible_to, within_reach
from senco.access import allow, open_record
from senco.concurrency import StaleEdit, redraw_stale
from senco.deadlines import due_soon_cutoff
from senco.pdf import pdf_response
from senco.selectors import missing_term_dates, school_calendar

FINALISED = (
    "The plan is finalised and kept as version 1. Next: download it for parents, give it to them, "
    "then record the date it was shared."
)


def _plan(request, pk: int, *, version: int | None = None):
    """The plan, with what its pages show, if the user reads it (404 otherwise); the read audited."""
    plans = plan_for_page(request.user, today=timezone.localdate())
    summary = f"Version {version}" if version else ""
    return open_record(request, plans, read="plan.viewed", summary=summary, pk=pk)


def _detail(request, plan, status: int = 200, **forms):
    user = request.user
    amended_after_sharing = selectors.amended_after_sharing(plan)
    # A leaver's plan is read-only (their services refuse it): nothing to offer but reading.
    open_to_change = not plan.pupil.has_left(timezone.localdate())
    context = {
        "plan": plan,
        "pupil": plan.pupil,
        "review": getattr(plan, "review", None),
        "outcomes": outcome_rows(plan),
        "amended_after_sharing": amended_after_sharing,
        # Parents have not been given the plan as it stands: sharing it is the next thing to do.
        "sharing_due": plan.status == PlanStatus.ACTIVE
        and (plan.shared_with_parents_on is None or amended_after_sharing is not None),
        "can_edit": open_to_change and within_reach(user, plan.pupil, roles=PLAN_WRITERS),
        # A refused comment is shown again with its error, whatever refused it.
        "can_comment": "comment_form" in forms
        or (
            open_to_change
            and within_reach(user, plan.pupil, roles=PLAN_COMMENTERS)
            and plan.status != PlanStatus.REVIEWED
        ),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "shared_form": forms.get("shared_form")
        or SharedForm(initial={"shared_on": timezone.localdate(), "version": plan.version}),
        "error": forms.get("error"),
        # What other apps keep about the pupil and review with the plan (preparing for adulthood).
        "plan_sections": plan_sections(request, pupil=plan.pupil, today=timezone.localdate()),
    }
    return render(request, "provision/plan_detail.html", context, status=status)


@allow(*PLAN_READERS)
def plan_list(request, pupil_pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pupil_pk)
    context = {
        "pupil": pupil,
        "plans": plans_of_pupil(request.user, pupil=pupil, today=timezone.localdate()),
        "can_edit": within_reach(request.user, pupil, roles=PLAN_WRITERS)
        and not pupil.has_left(timezone.localdate()),
        "form": StartPlanForm(request.POST or None, initial={"started_on": timezone.localdate()}),
    }
    return render(request, "provision/plan_list.html", context)


@allow(*PLAN_WRITERS)
@require_POST
def plan_start(request, pupil_pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pupil_pk)
    form = StartPlanForm(request.POST)
    if form.is_valid():
        try:
            plan = services.start_plan(
                pupil=pupil,
                started_on=form.cleaned_data["started_on"],
                by=request.user,
                today=timezone.localdate(),
            )
            return redirect("provision:plan_edit", plan.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {
        "pupil": pupil,
        "plans": plans_of_pupil(request.user, pupil=pupil, today=timezone.localdate()),
        "can_edit": True,
        "form": form,
    }
    return render(request, "provision/plan_list.html", context)


@allow(*PLAN_READERS)
def plan_detail(request, pk: int):
    return _detail(request, _plan(request, pk))


@allow(*PLAN_WRITERS)
def plan_edit(request, pk: int):
    plan = _plan(request, pk)
    form = PlanForm(request.POST or None, instance=plan, initial={"version": plan.version})
    outcomes = OutcomeFormSet(request.POST or None, initial=outcome_initial(plan), prefix="outcomes")
    if request.method == "POST" and form.is_valid() and outcomes.is_valid():
        try:
            services.update_plan(
                plan=plan, outcomes=outcomes_from(outcomes), by=request.user, **form.cleaned_data
            )
            messages.success(request, "The plan is saved.")
            return redirect(plan)
        except StaleEdit as exc:
            plan = exc.current
            form = redraw_stale(partial(PlanForm, instance=plan), request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    due = (plan.review_due_on, plan.review_due_on)
    context = {"plan": plan, "pupil": plan.pupil, "form": form, "outcomes": outcomes}
    context["term_dates"] = missing_term_dates(request.user, school_calendar(plan.school), due)
    return render(request, "provision/plan_edit.html", context)


PLAN_PARTS = (
    ("assessment", "what we know (assess)"),
    ("strategies", "strategies and provision (plan)"),
    ("arrangements", "who does what (do)"),
)


def _finalise_page(request, plan, error: str = ""):
    context = {
        "plan": plan,
        "pupil": plan.pupil,
        "form": VersionForm(initial={"version": plan.version}),
        "unwritten": [words for field, words in PLAN_PARTS if not getattr(plan, field).strip()],
        "error": error,
    }
    return render(request, "provision/plan_finalise.html", context)


@allow(*PLAN_WRITERS)
def plan_finalise(request, pk: int):
    """GET asks "Finalise this plan?", saying what finalising means; POST finalises."""
    plan = _plan(request, pk)
    if not plan.is_draft:
        messages.info(request, "This plan is already finalised.")
        return redirect(plan)
    if request.method != "POST":
        return _finalise_page(request, plan)
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("The form was incomplete: reload the page and try again.")
        services.finalise_plan(
            plan=plan, version=form.cleaned_data["version"], by=request.user, today=timezone.localdate()
        )
        messages.success(request, FINALISED)
        return redirect(plan)
    except (StaleEdit, ValidationError) as exc:
        error = str(exc) if isinstance(exc, StaleEdit) else " ".join(exc.messages)
        plan = plan_for_page(request.user, today=timezone.localdate()).get(pk=pk)
        return _finalise_page(request, plan, error)


@allow(*PLAN_WRITERS)
@require_POST
def plan_shared(request, pk: int):
    plan = _plan(request, pk)
    form = SharedForm(request.POST)
    if form.is_valid():
        try:
            services.record_plan_shared(
                plan=plan, by=request.user, today=timezone.localdate(), **form.cleaned_data
            )
            return redirect(plan)
        except StaleEdit as exc:
            plan = exc.current
            form = redraw_stale(SharedForm, request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    return _detail(request, plan, shared_form=form)


@allow(*PLAN_COMMENTERS)
@require_POST
def plan_comment(request, pk: int):
    plan = _plan(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_review_comment(plan=plan, body=form.cleaned_data["body"], by=request.user)
            return redirect(plan)
        except ValidationError as exc:
            form.add_error(None, exc)
    return _detail(request, plan, comment_form=form)


def _review_form_class(plan, *, today) -> partial:
    """The review form for this plan: its outcomes, and the decisions the pupil's SEN status
    allows today (no exit from SEN support with an EHC plan)."""
    status = current_sen_status(plan.pupil, today=today)
    return partial(
        ReviewForm, outcomes=list(plan.outcomes.all()), pupil_status=status.status if status else None
    )


def _review_page(request, plan, review, form, *, today):
    context = {
        "plan": plan,
        "pupil": plan.pupil,
        "review": review,
        "form": form,
        "close_form": VersionForm(initial={"version": review.version}) if review else None,
        "evidence": cycle_evidence(request.user, plan=plan, today=today),
        "plan_sections": plan_sections(request, pupil=plan.pupil, today=today),
    }
    return render(request, "provision/review_edit.html", context)


@allow(*PLAN_WRITERS)
def review_edit(request, pk: int):
    today = timezone.localdate()
    plan = _plan(request, pk)
    review = getattr(plan, "review", None)
    if plan.status != PlanStatus.ACTIVE and not review:
        messages.info(request, "Finalise the plan before reviewing it.")
        return redirect(plan)
    progress = {p.outcome_id: (p.rating, p.note) for p in review.progress.all()} if review else {}
    initial = {"version": review.version if review else 0, "held_on": today}
    bound = _review_form_class(plan, today=today)
    form = bound(request.POST or None, instance=review, initial=initial, progress=progress)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_review(
                plan=plan,
                version=form.cleaned_data["version"],
                fields=form.review_fields(),
                progress=form.progress(),
                by=request.user,
            )
            messages.success(request, "The review is saved. Close it when everything is recorded.")
            return redirect("provision:review_edit", plan.pk)
        except StaleEdit as exc:
            form = redraw_stale(partial(bound, instance=review), request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    return _review_page(request, plan, review, form, today=today)


@allow(*PLAN_WRITERS)
@require_POST
def review_close(request, pk: int):
    plan = _plan(request, pk)
    review = get_object_or_404(PlanReview, plan=plan)
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("The form was incomplete: reload the page and try again.")
        next_plan = services.close_review(
            review=review, version=form.cleaned_data["version"], by=request.user, today=timezone.localdate()
        )
        return redirect("provision:plan_edit", next_plan.pk) if next_plan else redirect(plan)
    except (StaleEdit, ValidationError) as exc:
        error = str(exc) if isinstance(exc, StaleEdit) else " ".join(exc.messages)
        return _detail(request, plan, error=error)


@allow(*PLAN_READERS)
def plan_pdf(request, pk: int):
    today = timezone.localdate()
    plan = _plan(request, pk)
    context = {
        "plan": plan,
        "pupil": plan.pupil,
        "review": getattr(plan, "review", None),
        "outcomes": outcome_rows(plan),
        "for_parents": selectors.for_parents(request.user, pupil=plan.pupil, on=today),
    }
    filename = f"support-plan-{plan.pk}-cycle-{plan.cycle}.pdf"
    return pdf_response("provision/plan_pdf.html", context, filename=filename)


def _past_version(request, pk: int, number: int) -> dict:
    """A past version of a plan the user may read (404 otherwise), audited as a view of the plan."""
    plan = _plan(request, pk, version=number)
    past = past_version(get_object_or_404(plan.versions, number=number))
    return {
        "live": plan,
        "pupil": plan.pupil,
        "version": past.version,
        "plan": past.plan,
        "review": past.review,
        "outcomes": past.outcomes,
        "version_was_shared": selectors.version_was_shared(plan, number=number),
    }


@allow(*PLAN_READERS)
def plan_version(request, pk: int, number: int):
    return render(request, "provision/plan_version.html", _past_version(request, pk, number))


@allow(*PLAN_READERS)
def plan_version_pdf(request, pk: int, number: int):
    context = _past_version(request, pk, number)
    kept_on = timezone.localdate(context["version"].made_at)
    context["for_parents"] = selectors.for_parents(request.user, pupil=context["pupil"], on=kept_on)
    filename = f"support-plan-{pk}-cycle-{context['plan'].cycle}-version-{number}.pdf"
    return pdf_response("provision/plan_pdf.html", context, filename=filename)


@allow(*PLAN_READERS)
def reviews_due(request):
    today, calendar = timezone.localdate(), school_calendar(request.user.school)
    plans = selectors.reviews_due(request.user, today=today, calendar=calendar)
    context = {
        "plans": plans,
        "due_by": due_soon_cutoff(today),
        "term_dates": missing_term_dates(request.user, calendar, *((p.meet_by, p.meet_by) for p in plans)),
        "show_concerns": can_oversee_concerns(request.user),
        "concerns": concerns_to_look_at_again(request.user, today=today, due_by=due_soon_cutoff(today)),
    }
    return render(request, "provision/reviews_due.html", context)
