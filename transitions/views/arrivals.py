"""Transfer packs arriving at this school: the SENCO team's list, uploading a pack, its preview
with the pupil it matches, and importing it (all or nothing) or declining it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from senco.access import allow, open_record
from transitions.forms import ImportPackForm, PackUploadForm
from transitions.models import ArrivalState
from transitions.permissions import ARRIVAL_WORKERS
from transitions.selectors import arrivals as selectors
from transitions.services import arrivals as services


@allow(*ARRIVAL_WORKERS)
def arrival_list(request):
    return render(
        request, "transitions/arrival_list.html", {"arrivals": selectors.arrivals_visible_to(request.user)}
    )


@allow(*ARRIVAL_WORKERS)
def arrival_upload(request):
    form = PackUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            arrival = services.receive_uploaded_pack(content=form.content(), by=request.user)
            return redirect("transitions:arrival_detail", arrival.pk)
        except ValidationError as exc:
            form.add_error("file", exc.message_dict["file"])
    return render(request, "transitions/arrival_upload.html", {"form": form})


@allow(*ARRIVAL_WORKERS)
def arrival_detail(request, pk: int):
    arrival = open_record(
        request, selectors.arrivals_visible_to(request.user), read="transfer_pack.reviewed", pk=pk
    )
    awaiting = arrival.state == ArrivalState.AWAITING_REVIEW
    form = ImportPackForm(request.POST or None, initial={"admitted_on": timezone.localdate()})
    if request.method == "POST" and awaiting and form.is_valid():
        try:
            pupil = services.import_transfer_pack(
                arrival=arrival,
                admitted_on=form.cleaned_data["admitted_on"],
                by=request.user,
                today=timezone.localdate(),
            )
            messages.success(request, f"{pupil.full_name}'s transfer pack is imported.")
            return redirect(pupil.get_absolute_url())
        except ValidationError as exc:  # about the pack, not the one field here: listed whole
            form.add_error(None, exc.messages)
    context = {
        "arrival": arrival,
        "form": form,
        "awaiting": awaiting,
        "matched": selectors.matched_pupil(arrival) if awaiting else arrival.pupil,
        "sections": selectors.pack_sections(arrival.content) if arrival.content else [],
    }
    return render(request, "transitions/arrival_detail.html", context)


@allow(*ARRIVAL_WORKERS)
@require_POST
def arrival_decline(request, pk: int):
    arrival = open_record(
        request, selectors.arrivals_visible_to(request.user), read="transfer_pack.reviewed", pk=pk
    )
    try:
        services.decline_transfer_pack(arrival=arrival, by=request.user)
        messages.success(request, "The pack is declined and its content removed.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("transitions:arrival_list")
