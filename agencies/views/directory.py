"""The school's directory of services: list, add, change, and add the usual ones (R7)."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from agencies.forms.directory import AgencyForm
from agencies.permissions import AGENCY_READERS, DIRECTORY_READERS, DIRECTORY_WRITERS, can_edit_directory
from agencies.rules import usual_services_missing_from
from agencies.selectors.referrals import agencies_of, agency_waits, usual_services_missing
from agencies.services import directory as services
from agencies.services.directory import AGENCY_FIELDS
from senco.access import allow
from senco.concurrency import StaleEdit, redraw_stale, version_token


@allow(*DIRECTORY_READERS)
def agency_list(request):
    user = request.user
    agencies = list(agencies_of(user).order_by("-active", "name"))
    shows_waits = user.has_role(*AGENCY_READERS)
    waits = agency_waits(user) if shows_waits else {}
    context = {
        "rows": [(agency, waits.get(agency.pk)) for agency in agencies],
        "shows_waits": shows_waits,
        "can_edit": can_edit_directory(user),
        "usual_missing": bool(usual_services_missing_from(agency.kind for agency in agencies)),
    }
    return render(request, "agencies/directory_list.html", context)


@allow(*DIRECTORY_WRITERS)
def agency_add(request):
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in AGENCY_FIELDS}
        try:
            services.add_agency(school=request.user.school, by=request.user, **values)
            messages.success(request, f"{values['name']} is in the directory.")
            return redirect("agencies:agency_list")
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "agencies/directory_form.html", {"form": form, "agency": None})


@allow(*DIRECTORY_WRITERS)
def agency_edit(request, pk: int):
    agency = get_object_or_404(agencies_of(request.user), pk=pk)
    token = version_token(agency, fields=AGENCY_FIELDS)
    form = AgencyForm(request.POST or None, instance=agency, initial={"version": token})
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in AGENCY_FIELDS}
        try:
            services.update_agency(
                agency=agency, version=form.cleaned_data["version"], by=request.user, **values
            )
            messages.success(request, "The service's details are saved.")
            return redirect("agencies:agency_list")
        except StaleEdit as exc:
            form = redraw_stale(partial(AgencyForm, instance=exc.current), request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "agencies/directory_form.html", {"form": form, "agency": agency})


@allow(*DIRECTORY_WRITERS)
def agencies_add_usual(request):
    """GET lists the usual services the directory lacks; POST adds them."""
    if request.method != "POST":
        context = {"missing": usual_services_missing(request.user)}
        return render(request, "agencies/directory_add_usual.html", context)
    added = services.add_usual_agencies(school=request.user.school, by=request.user)
    messages.success(request, f"{len(added)} usual services added: fill in their local contact details.")
    return redirect("agencies:agency_list")
