"""Pages for EHC needs assessment requests: record one, follow the LA's steps on its statutory
clock, record exemptions. Thin views: selector, form, one service (R7)."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from agencies.forms import assessments as forms
from agencies.models import AssessmentDecision, AssessmentRequest
from agencies.permissions import AGENCY_READERS, AGENCY_WORKERS, can_work_with_agencies
from agencies.selectors.assessments import ehc_request_for_page, request_clock
from agencies.selectors.ehc_plans import ehc_plans_for
from agencies.services import assessments as services
from pupils.selectors.records import pupils_visible_to
from senco.access import allow, open_record
from senco.concurrency import StaleEdit, redraw_stale


@dataclass(frozen=True)
class Step:
    form: type
    service: object
    label: str  # the button
    heading: str


STEPS = {
    "receipt": Step(
        forms.ConfirmReceiptForm, services.confirm_receipt, "Confirm the date", "The LA confirmed receipt"
    ),
    "decision": Step(
        forms.DecisionForm, services.record_assessment_decision, "Record the decision", "The LA's decision"
    ),
    "advice": Step(forms.AdviceRequestedForm, services.record_advice_requested, "Record", "Advice requested"),
    "draft": Step(forms.DraftPlanForm, services.record_draft_plan, "Record the draft", "Draft EHC plan"),
    "final": Step(forms.FinalPlanForm, services.record_final_plan, "Record the final plan", "Final EHC plan"),
    "notice": Step(
        forms.NoPlanNoticeForm,
        services.record_no_plan_notice,
        "Record the notice",
        "Notice not to issue a plan",
    ),
    "mediation": Step(
        forms.MediationCertificateForm,
        services.record_mediation_certificate,
        "Record",
        "Mediation certificate",
    ),
}


def _open_steps(ehc_request: AssessmentRequest) -> list[str]:
    """The steps that may come next, in the order they usually happen."""
    assessing = ehc_request.decision == AssessmentDecision.ASSESS and not ehc_request.closed
    appealable = ehc_request.closed and not ehc_request.mediation_certificate_on
    shown = {
        "receipt": not ehc_request.received_confirmed,
        "decision": not ehc_request.decision,
        "advice": assessing and not ehc_request.advice_requested_on,
        "draft": assessing and not ehc_request.draft_sent_on,
        "final": assessing and bool(ehc_request.draft_sent_on),
        "notice": assessing and not ehc_request.draft_sent_on,
        "mediation": appealable,
    }
    return [name for name, show in shown.items() if show]


def _detail(request, ehc_request: AssessmentRequest, *, bound: tuple[str, object] | None = None):
    today = timezone.localdate()
    step_forms = []
    if can_work_with_agencies(request.user) and not ehc_request.pupil.has_left(today):
        for name in _open_steps(ehc_request):
            fresh = STEPS[name].form(initial={"version": ehc_request.version}, auto_id=f"id_{name}_%s")
            form = bound[1] if bound and bound[0] == name else fresh
            step_forms.append((name, STEPS[name], form))
        if bound and bound[0] not in _open_steps(ehc_request):
            step_forms.append((bound[0], STEPS[bound[0]], bound[1]))
    context = {
        "ehc_request": ehc_request,
        "pupil": ehc_request.pupil,
        "clock": request_clock(ehc_request, today=today),
        "step_forms": step_forms,
        "can_edit": can_work_with_agencies(request.user),
        # The final plan step made the pupil's EHC plan: the page leads on to it.
        "plan": ehc_plans_for(request.user).filter(pupil=ehc_request.pupil, ceased_on__isnull=True).first()
        if ehc_request.final_plan_on
        else None,
    }
    return render(request, "agencies/assessments_detail.html", context)


@allow(*AGENCY_READERS)
def ehc_request_detail(request, pk: int):
    ehc_request = open_record(request, ehc_request_for_page(request.user), read="ehc_request.viewed", pk=pk)
    return _detail(request, ehc_request)


@allow(*AGENCY_WORKERS)
@require_POST
def ehc_request_step(request, pk: int, step: str):
    if step not in STEPS:
        raise Http404
    ehc_request = open_record(request, ehc_request_for_page(request.user), read="ehc_request.viewed", pk=pk)
    form_class, service = STEPS[step].form, STEPS[step].service
    form = form_class(request.POST, auto_id=f"id_{step}_%s")
    if form.is_valid():
        try:
            service(request=ehc_request, by=request.user, today=timezone.localdate(), **form.cleaned_data)
            messages.success(request, f"{STEPS[step].heading}: recorded.")
            return redirect(ehc_request)
        except StaleEdit as exc:
            ehc_request = ehc_request_for_page(request.user).get(pk=pk)
            form = redraw_stale(lambda data: form_class(data, auto_id=f"id_{step}_%s"), request.POST, exc)
        except ValidationError as exc:
            ehc_request = ehc_request_for_page(request.user).get(pk=pk)
            forms.put_errors(form, exc)
    return _detail(request, ehc_request, bound=(step, form))


@allow(*AGENCY_WORKERS)
def ehc_request_add(request, pupil_pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pupil_pk)
    form = forms.EhcRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ehc_request = services.make_ehc_request(
                pupil=pupil, by=request.user, today=timezone.localdate(), **form.cleaned_data
            )
            messages.success(request, "The request is recorded: its statutory clock is below.")
            return redirect(ehc_request)
        except ValidationError as exc:
            forms.put_errors(form, exc)
    return render(request, "agencies/assessments_add.html", {"pupil": pupil, "form": form})


@allow(*AGENCY_WORKERS)
def ehc_request_exemption(request, pk: int):
    ehc_request = open_record(request, ehc_request_for_page(request.user), read="ehc_request.viewed", pk=pk)
    form = forms.ClockExemptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_clock_exemption(
                request=ehc_request, by=request.user, today=timezone.localdate(), **form.cleaned_data
            )
            messages.success(request, "The exemption is recorded beside the statutory date.")
            return redirect(ehc_request)
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {"ehc_request": ehc_request, "pupil": ehc_request.pupil, "form": form}
    return render(request, "agencies/assessments_exemption.html", context)
