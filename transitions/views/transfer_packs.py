"""A leaver's transfer pack: the pupil's packs, making one, its page, its two files (JSON and an
A4 PDF) and logging where it went, or sending it directly to a school using this system."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from pupils.selectors.records import pupils_visible_to
from senco.access import allow, open_record
from senco.pdf import pdf_response
from transitions.forms import MakePackForm, PackSentForm, SendDirectlyForm
from transitions.permissions import PACK_READERS, PACK_WORKERS
from transitions.selectors import transfer_packs as selectors
from transitions.selectors.arrivals import pack_sections
from transitions.services import transfer_packs as services


@allow(*PACK_READERS)
def pupil_packs(request, pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pk)
    context = {
        "pupil": pupil,
        "packs": selectors.packs_of_pupil(request.user, pupil=pupil),
        "can_make": request.user.has_role(*PACK_WORKERS),
    }
    return render(request, "transitions/pupil_packs.html", context)


@allow(*PACK_WORKERS)
def pack_make(request, pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pk)
    form = MakePackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            pack = services.make_transfer_pack(
                pupil=pupil,
                include_health=form.cleaned_data["include_health"],
                by=request.user,
                today=timezone.localdate(),
            )
            messages.success(request, "The transfer pack is made. Download it or send it from here.")
            return redirect("transitions:pack_detail", pack.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "transitions/pack_make.html", {"pupil": pupil, "form": form})


@allow(*PACK_READERS)
def pack_detail(request, pk: int):
    pack = open_record(request, selectors.packs_visible_to(request.user), read="transfer_pack.viewed", pk=pk)
    context = {
        "pack": pack,
        "sections": pack_sections(pack.content),
        "sendings": pack.sendings.select_related("to_school", "recorded_by"),
        "can_send": request.user.has_role(*PACK_WORKERS),
    }
    return render(request, "transitions/pack_detail.html", context)


@allow(*PACK_READERS)
def pack_json(request, pk: int):
    pack = open_record(
        request,
        selectors.packs_visible_to(request.user),
        read="transfer_pack.downloaded",
        summary="JSON",
        pk=pk,
    )
    response = HttpResponse(
        json.dumps(pack.content, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="transfer-pack-{pack.pk}.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@allow(*PACK_READERS)
def pack_pdf(request, pk: int):
    pack = open_record(
        request,
        selectors.packs_visible_to(request.user),
        read="transfer_pack.downloaded",
        summary="PDF",
        pk=pk,
    )
    context = {"pack": pack, "content": pack.content, "sections": pack_sections(pack.content)}
    return pdf_response("transitions/pack_pdf.html", context, filename=f"transfer-pack-{pack.pk}.pdf")


@allow(*PACK_WORKERS)
def pack_sent(request, pk: int):
    pack = open_record(request, selectors.packs_visible_to(request.user), read="transfer_pack.viewed", pk=pk)
    form = PackSentForm(request.POST or None, initial={"sent_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_pack_sent(pack=pack, by=request.user, **form.sending_fields())
            messages.success(request, "The sending is logged.")
            return redirect("transitions:pack_detail", pack.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "transitions/pack_sent.html", {"pack": pack, "form": form})


@allow(*PACK_WORKERS)
def pack_send_directly(request, pk: int):
    pack = open_record(request, selectors.packs_visible_to(request.user), read="transfer_pack.viewed", pk=pk)
    form = SendDirectlyForm(request.POST or None, schools=selectors.schools_to_send_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.send_pack_directly(
                pack=pack,
                to_school=form.cleaned_data["to_school"],
                by=request.user,
                today=timezone.localdate(),
            )
            messages.success(
                request, "The pack is sent. It waits for the receiving school's SENCO to review it."
            )
            return redirect("transitions:pack_detail", pack.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "transitions/pack_send_directly.html", {"pack": pack, "form": form})
