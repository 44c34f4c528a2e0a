"""Pages for transition plans: the school year's moves, starting a plan, a plan with its
checklist, editing it, and its steps, visits and who was told. Thin views (R7)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from agencies.views.ehc_plans import add_errors
from pupils.selectors.records import pupils_visible_to
from senco.access import allow, open_record
from senco.concurrency import StaleEdit, redraw_stale
from senco.rules import academic_year_of, school_year_label
from transitions.forms import ChecklistItemForm, ToldForm, TransitionPlanForm, VisitForm
from transitions.models import ChecklistItem
from transitions.permissions import CLASSROOM_READERS, TRANSITION_READERS, TRANSITION_WORKERS
from transitions.selectors import transition_plans as selectors
from transitions.services import transition_plans as services
from transitions.services.transition_plans import PLAN_FIELDS


@allow(*TRANSITION_READERS)
def transition_year(request):
    """Every move of the school year, by kind, with what is overdue; `?year=2026` for another."""
    today = timezone.localdate()
    try:
        start_year = int(request.GET.get("year", ""))
    except ValueError:
        start_year = academic_year_of(today)
    groups = selectors.transitions_of_year(request.user, start_year=start_year, today=today)
    context = {
        "groups": groups,
        "year_label": school_year_label(start_year),
        "previous_year": start_year - 1,
        "next_year": start_year + 1,
        "overdue": sum(group.overdue for group in groups),
    }
    return render(request, "transitions/transition_year.html", context)


@allow(*TRANSITION_WORKERS)
def transition_add(request, pupil_pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pupil_pk)
    form = TransitionPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.start_transition_plan(
                pupil=pupil, details=form.cleaned_data, by=request.user, today=timezone.localdate()
            )
            messages.success(request, "The transition plan is started with the usual checklist.")
            return redirect(plan)
        except ValidationError as exc:
            add_errors(form, exc)
    return render(request, "transitions/transition_form.html", {"pupil": pupil, "form": form, "plan": None})


def _plan(request, pk: int):
    return open_record(
        request, selectors.transition_plans_for(request.user), read="transition_plan.viewed", pk=pk
    )


@allow(*CLASSROOM_READERS)
def transition_detail(request, pk: int):
    plan, today = _plan(request, pk), timezone.localdate()
    context = {
        "plan": plan,
        "pupil": plan.pupil,
        "row": selectors.plan_row(plan, today=today),
        "items": list(plan.checklist.all()),
        "visits": list(plan.visits.all()),
        "contacts": list(plan.contacts.all()),
        "can_edit": request.user.has_role(*TRANSITION_WORKERS) and not plan.pupil.has_left(today),
        "step_form": ChecklistItemForm(),
    }
    return render(request, "transitions/transition_detail.html", context)


@allow(*TRANSITION_WORKERS)
def transition_edit(request, pk: int):
    plan = _plan(request, pk)

    def make_form(data):
        return TransitionPlanForm(data, instance=plan, initial={"version": plan.version})

    form = make_form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_transition_plan(
                transition=plan,
                version=data["version"] or 0,
                details={name: data.get(name) for name in PLAN_FIELDS},
                by=request.user,
                today=timezone.localdate(),
            )
            messages.success(request, "Saved.")
            return redirect(plan)
        except StaleEdit as exc:
            form = redraw_stale(make_form, request.POST, exc)
        except ValidationError as exc:
            add_errors(form, exc)
    return render(
        request, "transitions/transition_form.html", {"pupil": plan.pupil, "form": form, "plan": plan}
    )


@allow(*TRANSITION_WORKERS)
@require_POST
def checklist_tick(request, item_pk: int):
    items = ChecklistItem.objects.filter(
        plan__in=selectors.transition_plans_for(request.user)
    ).select_related("plan__pupil")
    item = open_record(
        request, items, read="transition_plan.viewed", pupils=lambda i: [i.plan.pupil], pk=item_pk
    )
    try:
        services.tick_checklist_item(
            step=item, done="done" in request.POST, by=request.user, today=timezone.localdate()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(item.plan)


def _small_form(request, pk: int, form_class, save, *, heading: str, done: str):
    """A plan's one-form page (a step, a visit, who was told): bind, save through `save`,
    redirect to the plan or re-render keeping what was typed (R8)."""
    plan = _plan(request, pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save(transition=plan, by=request.user, today=timezone.localdate(), **form.cleaned_data)
            messages.success(request, done)
            return redirect(plan)
        except ValidationError as exc:
            add_errors(form, exc)
    context = {"plan": plan, "pupil": plan.pupil, "form": form, "heading": heading}
    return render(request, "transitions/transition_small_form.html", context)


@allow(*TRANSITION_WORKERS)
def checklist_add(request, pk: int):
    return _small_form(
        request, pk, ChecklistItemForm, services.add_checklist_item, heading="Add a step", done="Step added."
    )


@allow(*TRANSITION_WORKERS)
def visit_add(request, pk: int):
    return _small_form(
        request,
        pk,
        VisitForm,
        services.record_transition_visit,
        heading="Record a visit",
        done="Visit recorded.",
    )


@allow(*TRANSITION_WORKERS)
def told_add(request, pk: int):
    return _small_form(
        request, pk, ToldForm, services.record_who_was_told, heading="Record who was told", done="Recorded."
    )
