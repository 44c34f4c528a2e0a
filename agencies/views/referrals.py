"""Referrals to outside services and their consents (R7): the SENCO's list, a pupil's
referrals, the referral page with its history, and the forms that move it on."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from agencies.forms.referrals import (
    ConsentForm,
    ExceptionForm,
    MoveForm,
    ReferralFilterForm,
    ReferralForm,
    WithdrawConsentForm,
)
from agencies.models import ConsentDecision, ReferralState
from agencies.permissions import AGENCY_READERS, AGENCY_WORKERS, can_work_with_agencies
from agencies.selectors import referrals as selectors
from agencies.selectors.involvement import reports_for_referral
from agencies.services import referrals as services
from pupils.selectors.records import pupils_visible_to
from senco.access import allow, open_record
from senco.concurrency import StaleEdit, redraw_stale

LIST_ROWS = 200


def _referral(request, pk: int):
    return open_record(request, selectors.referral_for_page(request.user), read="referral.viewed", pk=pk)


def _can_edit(request, referral, today) -> bool:
    return can_work_with_agencies(request.user) and not referral.pupil.has_left(today)


@allow(*AGENCY_READERS)
def referral_list(request):
    agencies = selectors.agencies_of(request.user)
    form = ReferralFilterForm(request.GET or None, agencies=agencies)
    chosen = form.cleaned_data if form.is_valid() else {}
    referrals = selectors.referral_list(
        request.user, state=chosen.get("state", ""), agency=chosen.get("agency")
    )[:LIST_ROWS]
    context = {"form": form, "referrals": referrals, "limit": LIST_ROWS}
    return render(request, "agencies/referrals_list.html", context)


def _pupil_page(request, pupil, form, status=200):
    today = timezone.localdate()
    context = {
        "pupil": pupil,
        "referrals": selectors.referrals_of_pupil(request.user, pupil=pupil),
        "form": form,
        "can_edit": can_work_with_agencies(request.user) and not pupil.has_left(today),
    }
    return render(request, "agencies/referrals_pupil.html", context, status=status)


@allow(*AGENCY_READERS)
def pupil_referrals(request, pupil_pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pupil_pk)
    return _pupil_page(
        request, pupil, ReferralForm(agencies=selectors.agencies_of(request.user, active_only=True))
    )


@allow(*AGENCY_WORKERS)
@require_POST
def referral_add(request, pupil_pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pupil_pk)
    form = ReferralForm(request.POST, agencies=selectors.agencies_of(request.user, active_only=True))
    if form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.start_referral(
                pupil=pupil,
                agency=data["agency"],
                reason=data["reason"],
                professional=data["professional"],
                by=request.user,
                today=timezone.localdate(),
            )
            messages.success(request, "The referral is started as a draft. Next: seek consent.")
            return redirect(referral)
        except ValidationError as exc:
            form.add_error(None, exc)
    return _pupil_page(request, pupil, form)


def _detail(request, referral, **forms):
    today = timezone.localdate()
    consents = list(referral.consents.all())
    latest = consents[0] if consents else None
    context = {
        "referral": referral,
        "pupil": referral.pupil,
        "moves": list(referral.moves.all()),
        "consents": consents,
        "withdrawn": latest if latest and latest.withdrawn_on else None,
        "consent_in_force": bool(latest and latest.in_force),
        "waits": selectors.referral_waits(referral, today=today),
        "can_edit": _can_edit(request, referral, today),
        "move_form": forms.get("move_form")
        or MoveForm(state=referral.state, initial={"on": today, "version": referral.version}),
        "given": ConsentDecision.GIVEN,
        "reports": list(reports_for_referral(request.user, referral=referral)),
        # The service's report has come: the next step is to keep it and its advice.
        "report_due": referral.state == ReferralState.REPORT_RECEIVED,
    }
    return render(request, "agencies/referral_detail.html", context)


@allow(*AGENCY_READERS)
def referral_detail(request, pk: int):
    return _detail(request, _referral(request, pk))


@allow(*AGENCY_WORKERS)
@require_POST
def referral_move(request, pk: int):
    referral = _referral(request, pk)
    form = MoveForm(request.POST, state=referral.state)
    if form.is_valid():
        try:
            services.move_referral(
                referral=referral, by=request.user, today=timezone.localdate(), **form.cleaned_data
            )
            return redirect(referral)
        except StaleEdit as exc:
            form = redraw_stale(partial(MoveForm, state=exc.current.state), request.POST, exc)
            referral = _referral(request, pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return _detail(request, referral, move_form=form)


@allow(*AGENCY_WORKERS)
def referral_edit(request, pk: int):
    referral = _referral(request, pk)
    agencies = selectors.agencies_of(request.user)
    form = ReferralForm(
        request.POST or None, instance=referral, agencies=agencies, initial={"version": referral.version}
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        try:
            services.update_referral(
                referral=referral,
                version=form.cleaned_data["version"] or 0,
                by=request.user,
                today=timezone.localdate(),
                **values,
            )
            messages.success(request, "The referral is saved.")
            return redirect(referral)
        except StaleEdit as exc:
            form = redraw_stale(
                partial(ReferralForm, instance=exc.current, agencies=agencies), request.POST, exc
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "agencies/referral_form.html", {"form": form, "referral": referral})


@allow(*AGENCY_WORKERS)
def consent_add(request, pk: int):
    referral = _referral(request, pk)
    initial = {"given_on": timezone.localdate(), "version": referral.version, "covers_referral": True}
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in ConsentForm.Meta.fields}
        try:
            services.record_consent(
                referral=referral,
                version=form.cleaned_data["version"],
                by=request.user,
                today=timezone.localdate(),
                **values,
            )
            messages.success(request, "The decision is recorded.")
            return redirect(referral)
        except StaleEdit as exc:
            form = redraw_stale(ConsentForm, request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "agencies/consent_form.html", {"form": form, "referral": referral})


@allow(*AGENCY_WORKERS)
def consent_withdraw(request, pk: int):
    consent = open_record(request, selectors.consents_visible_to(request.user), read="consent.viewed", pk=pk)
    form = WithdrawConsentForm(request.POST or None, initial={"withdrawn_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_consent(
                consent=consent,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                note=form.cleaned_data["note"],
                by=request.user,
                today=timezone.localdate(),
            )
            messages.success(request, "The withdrawal of consent is recorded.")
            return redirect(consent.referral)
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {"form": form, "consent": consent, "referral": consent.referral}
    return render(request, "agencies/consent_withdraw.html", context)


@allow(*AGENCY_WORKERS)
def referral_exception(request, pk: int):
    referral = _referral(request, pk)
    form = ExceptionForm(request.POST or None, initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_consent_exception(
                referral=referral, by=request.user, today=timezone.localdate(), **form.cleaned_data
            )
            messages.success(request, "The exception is recorded: the referral may go ahead without consent.")
            return redirect(referral)
        except StaleEdit as exc:
            form = redraw_stale(ExceptionForm, request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "agencies/referral_exception.html", {"form": form, "referral": referral})
