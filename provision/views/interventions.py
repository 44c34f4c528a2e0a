"""Pages for staff rates and the intervention catalogue. Thin views: selector, form, one service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from provision.forms.interventions import InterventionForm, StaffMemberRateForm, StaffRateForm
from provision.permissions import (
    CATALOGUE_READERS,
    CATALOGUE_WRITERS,
    COST_READERS,
    STAFF_RATE_WRITERS,
    can_edit_catalogue,
    can_edit_staff_rates,
    can_manage_groups,
    can_see_costs,
)
from provision.selectors.budget import (
    intervention_cost_history,
    staff_member_rate_history,
    staff_rate_history,
    staff_rates_with_history,
)
from provision.selectors.groups import groups_visible_to
from provision.selectors.interventions import (
    catalogue,
    costed_staff,
    staff_member_rate_of,
    staff_rates_visible_to,
    staff_to_cost,
)
from provision.services import budget as cost_services
from provision.services import interventions as services
from senco.access import allow
from senco.concurrency import StaleEdit, redraw_stale


@allow(*COST_READERS)
def staff_rates(request):
    today = timezone.localdate()
    context = {
        "rates": staff_rates_with_history(request.user, today=today),
        "staff": costed_staff(request.user, today=today),
        "can_edit": can_edit_staff_rates(request.user),
    }
    return render(request, "provision/staff_rates.html", context)


def _save_rate(request, rate=None):
    today = timezone.localdate()
    history = staff_rate_history(request.user, rate=rate, today=today) if rate else []
    now = next((line.row.hourly_cost for line in history if line.in_force), None)
    form = StaffRateForm(
        request.POST or None, instance=rate, initial={"hourly_cost": now, "applies_from": today}
    )
    if request.method == "POST" and form.is_valid():
        try:
            if rate is None:
                cost_services.create_staff_rate(
                    school=request.user.school, by=request.user, **form.cleaned_data
                )
            else:
                cost_services.change_staff_rate(rate=rate, today=today, by=request.user, **form.cleaned_data)
            messages.success(request, "The staff rate is saved.")
            return redirect("provision:staff_rates")
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "provision/staff_rate_form.html", {"form": form, "rate": rate, "history": history})


@allow(*STAFF_RATE_WRITERS)
def staff_rate_add(request):
    return _save_rate(request)


@allow(*STAFF_RATE_WRITERS)
def staff_rate_edit(request, pk: int):
    return _save_rate(request, get_object_or_404(staff_rates_visible_to(request.user), pk=pk))


@allow(*STAFF_RATE_WRITERS)
def staff_member_rate(request, pk: int):
    user, today = request.user, timezone.localdate()
    staff = get_object_or_404(staff_to_cost(user), pk=pk)
    rates = staff_rates_visible_to(user)
    initial = StaffMemberRateForm.initial_for(
        staff_member_rate_of(user, staff=staff, today=today), today=today
    )
    form = StaffMemberRateForm(request.POST or None, initial=initial, staff_rates=rates)
    if request.method == "POST" and form.is_valid():
        try:
            cost_services.set_staff_member_rate(
                school=user.school, staff=staff, today=today, by=user, **form.cleaned_data
            )
            messages.success(request, f"{staff}'s rate is saved.")
            return redirect("provision:staff_rates")
        except StaleEdit as exc:
            form = redraw_stale(lambda data: StaffMemberRateForm(data, staff_rates=rates), request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    history = staff_member_rate_history(user, staff=staff, today=today)
    return render(
        request, "provision/staff_member_rate.html", {"form": form, "staff": staff, "history": history}
    )


@allow(*CATALOGUE_READERS)
def interventions(request):
    context = {
        "interventions": catalogue(request.user, today=timezone.localdate()),
        "show_costs": can_see_costs(request.user),
        "can_edit": can_edit_catalogue(request.user),
    }
    return render(request, "provision/interventions.html", context)


@allow(*CATALOGUE_READERS)
def intervention_detail(request, pk: int):
    today = timezone.localdate()
    intervention = get_object_or_404(catalogue(request.user, today=today), pk=pk)
    context = {
        "intervention": intervention,
        "groups": groups_visible_to(request.user).filter(intervention=intervention).order_by("-starts_on"),
        "costs": intervention_cost_history(request.user, intervention=intervention, today=today),
        "show_costs": can_see_costs(request.user),
        "can_edit": can_edit_catalogue(request.user),
        "can_start_group": can_manage_groups(request.user) and intervention.is_active,
    }
    return render(request, "provision/intervention_detail.html", context)


def _save_intervention(request, intervention=None):
    today = timezone.localdate()
    initial = {"applies_from": today}
    if intervention is not None:
        initial |= {
            "fixed_cost": intervention.fixed_cost_now,
            "resources_cost": intervention.resources_cost_now,
        }
    form = InterventionForm(
        request.POST or None,
        instance=intervention,
        initial=initial,
        staff_rates=staff_rates_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if intervention is None:
                intervention = services.create_intervention(
                    school=request.user.school, by=request.user, **form.cleaned_data
                )
            else:
                services.update_intervention(
                    intervention=intervention, today=today, by=request.user, **form.cleaned_data
                )
            messages.success(request, "The catalogue entry is saved.")
            return redirect("provision:intervention_detail", intervention.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "provision/intervention_form.html", {"form": form, "intervention": intervention})


@allow(*CATALOGUE_WRITERS)
def intervention_add(request):
    return _save_intervention(request)


@allow(*CATALOGUE_WRITERS)
def intervention_edit(request, pk: int):
    entry = get_object_or_404(catalogue(request.user, today=timezone.localdate()), pk=pk)
    return _save_intervention(request, entry)
