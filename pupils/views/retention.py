"""Retention and disposal: the records due for disposal, legal holds, the SENCO team's proposals,
the headteacher's decisions, the disposal log and the school's SEN retention period."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pupils.forms import DisposalDecisionForm, LegalHoldForm, RetentionPeriodForm
from pupils.permissions import (
    DISPOSAL_APPROVERS,
    DISPOSAL_PROPOSERS,
    RETENTION_MANAGERS,
    can_approve_disposal,
    can_propose_disposal,
)
from pupils.selectors import retention as selectors
from pupils.selectors.leavers import leaver_row, leavers, retention_years
from pupils.selectors.records import pupils_visible_to
from pupils.services import retention as services
from senco.access import allow, open_record
from senco.concurrency import StaleEdit, redraw_stale

PER_PAGE = 50


@allow(*RETENTION_MANAGERS)
def disposal_list(request):
    user, today = request.user, timezone.localdate()
    years = retention_years(user.school)
    page = Paginator(selectors.due_for_disposal(user, today=today), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "rows": [leaver_row(pupil, today=today, **years) for pupil in page],
        "proposals": selectors.proposals_awaiting_approval(user),
        "holds": selectors.legal_holds_in_force(user),
        "can_propose": can_propose_disposal(user),
        "can_approve": can_approve_disposal(user),
        **years,
    }
    return render(request, "pupils/retention.html", context)


@allow(*RETENTION_MANAGERS)
def disposal_log(request):
    page = Paginator(selectors.disposal_log(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "pupils/retention_log.html", {"page": page})


@allow(*RETENTION_MANAGERS)
def retention_period(request):
    school = request.user.school
    form = RetentionPeriodForm(request.POST or None, initial=RetentionPeriodForm.initial_for(school))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_sen_retention_years(
                school=school, years=data["sen_retention_years"], version=data["version"], by=request.user
            )
            messages.success(request, "The school's retention period for SEN records is saved.")
            return redirect("pupils:retention")
        except StaleEdit as exc:
            form = redraw_stale(RetentionPeriodForm, request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "pupils/retention_period.html", {"form": form})


@allow(*RETENTION_MANAGERS)
def legal_hold_place(request, pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pk)
    form = LegalHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.place_legal_hold(
                pupil=pupil, by=request.user, today=timezone.localdate(), **form.cleaned_data
            )
            messages.success(
                request, f"{pupil.full_name}'s record is on legal hold: it will not be disposed of."
            )
            return redirect("pupils:retention")
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "pupils/retention_hold.html", {"pupil": pupil, "form": form})


@allow(*RETENTION_MANAGERS)
@require_POST
def legal_hold_lift(request, hold_pk: int):
    hold = open_record(
        request, selectors.legal_holds_in_force(request.user), read="legal_hold.viewed", pk=hold_pk
    )
    try:
        services.lift_legal_hold(hold=hold, by=request.user)
        messages.success(request, f"The legal hold on {hold.pupil.full_name}'s record is lifted.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("pupils:retention")


@allow(*DISPOSAL_PROPOSERS)
@require_POST
def disposal_propose(request, pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pk)
    try:
        services.propose_disposal(pupil=pupil, by=request.user, today=timezone.localdate())
        messages.success(
            request, f"The disposal of {pupil.full_name}'s record awaits the headteacher's approval."
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("pupils:retention")


def _description(proposal) -> str:
    return proposal.description  # what kind of record: the disposal log's own words, no personal data


@allow(*DISPOSAL_APPROVERS)
def disposal_decide(request, proposal_pk: int):
    user, today = request.user, timezone.localdate()
    proposals = selectors.proposals_awaiting_approval(user)
    proposal = open_record(request, proposals, read="disposal.viewed", summary=_description, pk=proposal_pk)
    form = DisposalDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            if approve:
                services.approve_disposal(record=proposal, by=user, today=today)
            else:
                services.reject_disposal(record=proposal, by=user)
            messages.success(request, f"{proposal.description}: {'disposed of' if approve else 'kept'}.")
            return redirect("pupils:disposal_log")
        except ValidationError as exc:
            form.add_error(None, exc)
    # None once the pupil is back on roll: the page then asks for the proposal to be rejected.
    leaver = leavers(user, today=today).filter(pk=proposal.pupil_id).first()
    row = leaver and leaver_row(leaver, today=today, **retention_years(user.school))
    return render(request, "pupils/retention_decide.html", {"proposal": proposal, "row": row, "form": form})
