"""Pages for EHC plans: the SENCO's list, recording a plan already issued, the plan page (every
section for the SENCO team and leadership, Sections E and F for teachers and TAs), a past
version, editing the version in force and amending the plan. Thin views (R7)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from agencies.forms.ehc_plans import (
    AmendPlanForm,
    EditPlanForm,
    RecordPlanForm,
    content_from,
    section_formsets,
    text_initial,
)
from agencies.permissions import AGENCY_READERS, AGENCY_WORKERS, EHC_PLAN_SUMMARY_READERS
from agencies.selectors.ehc_plans import (
    ehc_plan_rows,
    ehc_plans_for,
    linkable_groups,
    plan_page,
    version_in_force,
)
from agencies.selectors.involvement import advice_taken_up_in_ehc_plan
from agencies.services import ehc_plans as services
from pupils.selectors.records import pupils_visible_to, within_reach
from senco.access import allow, open_record
from senco.concurrency import StaleEdit, redraw_stale
from senco.selectors import school_calendar


def add_errors(form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: on its field where the form has it, else above it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _all_valid(form, formsets: dict) -> bool:
    return all([form.is_valid(), *(formsets[name].is_valid() for name in ("needs", "outcomes", "provision"))])


def _plan(request, pk: int, *, summary: str = ""):
    return open_record(request, ehc_plans_for(request.user), read="ehc_plan.viewed", summary=summary, pk=pk)


@allow(*AGENCY_READERS)
def ehc_plans_list(request):
    today = timezone.localdate()
    return render(request, "agencies/ehc_plans_list.html", {"rows": ehc_plan_rows(request.user, today=today)})


@allow(*AGENCY_WORKERS)
def ehc_plans_record(request, pupil_pk: int):
    today = timezone.localdate()
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pupil_pk)
    form = RecordPlanForm(request.POST or None, initial={"local_authority": pupil.school.local_authority})
    formsets = section_formsets(request.POST or None, groups=linkable_groups(pupil))
    if request.method == "POST" and _all_valid(form, formsets):
        data = form.cleaned_data
        try:
            plan = services.issue_ehc_plan(
                pupil=pupil,
                issued_on=data["issued_on"],
                local_authority=data["local_authority"],
                phase_transfer=data["phase_transfer"],
                primary_need=data["primary_need"],
                content=content_from(form, formsets),
                by=request.user,
                today=today,
            )
            messages.success(request, "The EHC plan is recorded, and the SEN register shows it (E).")
            return redirect(plan)
        except ValidationError as exc:
            add_errors(form, exc)
    return render(request, "agencies/ehc_plans_record.html", {"pupil": pupil, "form": form, **formsets})


def _detail(request, page):
    pupil, today = page.plan.pupil, timezone.localdate()
    open_to_change = page.plan.ceased_on is None and not pupil.has_left(today)
    context = {
        "page": page,
        "plan": page.plan,
        "pupil": pupil,
        "version": page.version,
        "advice_taken_up": list(advice_taken_up_in_ehc_plan(request.user, plan=page.plan)),
        "can_edit": open_to_change
        and page.is_current
        and within_reach(request.user, pupil, roles=AGENCY_WORKERS),
    }
    return render(request, "agencies/ehc_plans_detail.html", context)


@allow(*EHC_PLAN_SUMMARY_READERS)
def ehc_plans_detail(request, pk: int):
    plan = _plan(request, pk)
    calendar = school_calendar(request.user.school)
    return _detail(request, plan_page(request.user, plan, today=timezone.localdate(), calendar=calendar))


@allow(*AGENCY_READERS)
def ehc_plans_version(request, pk: int, number: int):
    plan = _plan(request, pk, summary=f"Version {number}")
    calendar = school_calendar(request.user.school)
    page = plan_page(request.user, plan, today=timezone.localdate(), calendar=calendar, number=number)
    if page is None:
        raise Http404("No such version")
    return _detail(request, page)


@allow(*AGENCY_WORKERS)
def ehc_plans_edit(request, pk: int):
    plan = _plan(request, pk)
    version = version_in_force(plan)

    def make_form(data):
        return EditPlanForm(data, instance=plan, initial={"version": plan.version, **text_initial(version)})

    form = make_form(request.POST or None)
    formsets = section_formsets(request.POST or None, groups=linkable_groups(plan.pupil), version=version)
    if request.method == "POST" and _all_valid(form, formsets):
        data = form.cleaned_data
        try:
            services.update_ehc_plan(
                plan=plan,
                version=data["version"],
                local_authority=data["local_authority"],
                phase_transfer=data["phase_transfer"],
                content=content_from(form, formsets),
                by=request.user,
                today=timezone.localdate(),
            )
            messages.success(request, f"Version {version.number} of the plan is saved.")
            return redirect(plan)
        except StaleEdit as exc:
            form = redraw_stale(make_form, request.POST, exc)
        except ValidationError as exc:
            add_errors(form, exc)
    context = {"plan": plan, "pupil": plan.pupil, "version": version, "form": form, **formsets}
    return render(request, "agencies/ehc_plans_edit.html", context)


@allow(*AGENCY_WORKERS)
def ehc_plans_amend(request, pk: int):
    plan = _plan(request, pk)
    today = timezone.localdate()

    def make_form(data):
        return AmendPlanForm(data, initial={"issued_on": today, "version": plan.version})

    form = make_form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            amended = services.amend_ehc_plan(plan=plan, by=request.user, today=today, **form.cleaned_data)
            messages.success(
                request, f"Version {amended.number} started: bring it in line with the amended plan."
            )
            return redirect("agencies:ehc_plans_edit", plan.pk)
        except StaleEdit as exc:
            form = redraw_stale(make_form, request.POST, exc)
        except ValidationError as exc:
            add_errors(form, exc)
    return render(request, "agencies/ehc_plans_amend.html", {"plan": plan, "pupil": plan.pupil, "form": form})
