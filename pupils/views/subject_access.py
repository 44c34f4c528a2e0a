"""Subject access requests: the list, logging one, its page, correcting it, extending it, the
records with what is withheld, preparing the export in the background and following it, the PDF
and JSON downloads, and recording the release."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pupils.forms import (
    SubjectAccessExtendForm,
    SubjectAccessReleaseForm,
    SubjectAccessRequestForm,
    WithholdForm,
)
from pupils.models import WithholdingReason
from pupils.permissions import (
    SUBJECT_ACCESS_HANDLERS,
    SUBJECT_ACCESS_REVIEWERS,
    can_withhold_from_subject_access,
)
from pupils.selectors import subject_access as selectors
from pupils.selectors.records import pupils_visible_to
from pupils.services import subject_access as services
from senco.access import allow, open_record
from senco.concurrency import StaleEdit, redraw_stale

PER_PAGE = 25


def _request(request, pk: int, *, read: str = "subject_access.viewed", summary: str = ""):
    """The request, if the user handles it (404 otherwise); the page or file showing it audited as
    `read`."""
    return open_record(request, selectors.request_for_page(request.user), read=read, summary=summary, pk=pk)


@allow(*SUBJECT_ACCESS_HANDLERS)
def subject_access_list(request):
    today = timezone.localdate()
    page = Paginator(selectors.released_requests(request.user), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "open_requests": selectors.open_requests(request.user, today=today),
        "page": page,
        "released": selectors.with_timing(list(page), today=today),
    }
    return render(request, "pupils/subject_access_list.html", context)


@allow(*SUBJECT_ACCESS_HANDLERS)
def subject_access_add(request):
    today = timezone.localdate()
    pupils = pupils_visible_to(request.user).order_by("last_name", "first_name", "pk")
    form = SubjectAccessRequestForm(request.POST or None, pupils=pupils, initial={"received_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            sar = services.log_subject_access_request(
                pupil=form.cleaned_data["pupil"], by=request.user, today=today, **form.details()
            )
            messages.success(request, "The request is logged.")
            return redirect(sar)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "pupils/subject_access_add.html", {"form": form})


@allow(*SUBJECT_ACCESS_HANDLERS)
def subject_access_detail(request, pk: int):
    sar = _request(request, pk)
    today = timezone.localdate()
    context = {
        "sar": sar,
        "pupil": sar.pupil,
        "timing": selectors.timing(sar, today=today),
        "withheld_count": sar.withheld.count(),
        "prepared": selectors.prepared_export(request.user, sar=sar, now=timezone.now(), today=today),
    }
    return render(request, "pupils/subject_access_detail.html", context)


@allow(*SUBJECT_ACCESS_HANDLERS)
def subject_access_edit(request, pk: int):
    sar = _request(request, pk)
    form = SubjectAccessRequestForm(request.POST or None, instance=sar, initial={"version": sar.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_subject_access_request(
                sar=sar,
                version=form.cleaned_data["version"],
                by=request.user,
                today=timezone.localdate(),
                **form.details(),
            )
            messages.success(request, "The request is saved.")
            return redirect(sar)
        except StaleEdit as exc:
            current = selectors.request_for_page(request.user).get(pk=pk)
            form = redraw_stale(partial(SubjectAccessRequestForm, instance=current), request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "pupils/subject_access_edit.html", {"sar": sar, "form": form})


@allow(*SUBJECT_ACCESS_HANDLERS)
def subject_access_extend(request, pk: int):
    sar = _request(request, pk)
    form = SubjectAccessExtendForm(request.POST or None, initial={"version": sar.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.extend_subject_access_request(
                sar=sar,
                version=data["version"],
                months=data["months"],
                reason=data["reason"],
                by=request.user,
                today=timezone.localdate(),
            )
            messages.success(request, "The extension is recorded. Tell the requester, and why.")
            return redirect(sar)
        except StaleEdit as exc:
            form = redraw_stale(SubjectAccessExtendForm, request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {"sar": sar, "form": form, "timing": selectors.timing(sar, today=timezone.localdate())}
    return render(request, "pupils/subject_access_extend.html", context)


@allow(*SUBJECT_ACCESS_HANDLERS)
def subject_access_records(request, pk: int):
    sar = _request(request, pk, read="subject_access.records_viewed")
    context = {
        "sar": sar,
        "pupil": sar.pupil,
        "parts": selectors.reviewed_parts(request.user, sar=sar, today=timezone.localdate()),
        "reasons": WithholdingReason.choices,
        "can_withhold": can_withhold_from_subject_access(request.user) and sar.released_on is None,
    }
    return render(request, "pupils/subject_access_records.html", context)


def _withholding(request, pk: int, action) -> HttpResponse:
    """Bind the withhold form, run `action(sar, **data)` and go back to the record on the page."""
    sar = _request(request, pk)
    form = WithholdForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the record and, to withhold it, a reason.")
        return redirect("pupils:subject_access_records", sar.pk)
    data = form.cleaned_data
    try:
        action(sar, kind=data["kind"], record_id=data["record_id"], reason=data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(
        f"{reverse('pupils:subject_access_records', args=[sar.pk])}#{data['kind']}-{data['record_id']}"
    )


@allow(*SUBJECT_ACCESS_REVIEWERS)
@require_POST
def subject_access_withhold(request, pk: int):
    def action(sar, **data):
        services.withhold_record(sar=sar, by=request.user, today=timezone.localdate(), **data)
        messages.success(
            request, "The record is withheld: the export lists it, with the reason, but not what it says."
        )

    return _withholding(request, pk, action)


@allow(*SUBJECT_ACCESS_REVIEWERS)
@require_POST
def subject_access_include(request, pk: int):
    def action(sar, *, kind, record_id, reason):
        services.include_record(sar=sar, kind=kind, record_id=record_id, by=request.user)
        messages.success(request, "The record is back in the export.")

    return _withholding(request, pk, action)


@allow(*SUBJECT_ACCESS_HANDLERS)
@require_POST
def subject_access_prepare(request, pk: int):
    sar = _request(request, pk)
    services.queue_subject_access_export(sar=sar, by=request.user)
    return redirect(f"{sar.get_absolute_url()}#export-heading")


@allow(*SUBJECT_ACCESS_HANDLERS)
def subject_access_export(request, pk: int):
    """The prepared export's state, which the request's page polls while it is being prepared.
    It shows no pupil's name nor record, so a poll is not audited; each download is."""
    sar = get_object_or_404(selectors.request_for_page(request.user), pk=pk)
    today, now = timezone.localdate(), timezone.now()
    prepared = selectors.prepared_export(request.user, sar=sar, now=now, today=today)
    return render(request, "pupils/partials/subject_access_export.html", {"sar": sar, "prepared": prepared})


def _download(request, pk: int, *, kind: str):
    """The prepared file, if it holds the export as it stands; else back to the request's page,
    which offers to prepare it (nothing sent, nothing audited)."""
    sar = _request(request, pk, read="subject_access.exported", summary=kind.upper())
    today, now = timezone.localdate(), timezone.now()
    prepared = selectors.prepared_export(request.user, sar=sar, now=now, today=today)
    if not prepared.ready:
        messages.info(request, "Prepare the export first: it is ready to download once this page says so.")
        return redirect(f"{sar.get_absolute_url()}#export-heading")
    stored = prepared.export.pdf if kind == "pdf" else prepared.export.json
    return FileResponse(
        stored.open("rb"),
        as_attachment=kind == "json",
        filename=f"subject-access-{sar.pk}.{kind}",
        content_type="application/pdf" if kind == "pdf" else "application/json",
    )


@allow(*SUBJECT_ACCESS_HANDLERS)
def subject_access_pdf(request, pk: int):
    return _download(request, pk, kind="pdf")


@allow(*SUBJECT_ACCESS_HANDLERS)
def subject_access_json(request, pk: int):
    return _download(request, pk, kind="json")


@allow(*SUBJECT_ACCESS_HANDLERS)
def subject_access_release(request, pk: int):
    sar = _request(request, pk)
    today = timezone.localdate()
    form = SubjectAccessReleaseForm(
        request.POST or None, initial={"version": sar.version, "released_on": today}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.release_subject_access_request(
                sar=sar, by=request.user, today=today, **form.cleaned_data
            )
            messages.success(
                request,
                "The release is recorded. The export as released is being prepared: the downloads "
                "give it once it is ready.",
            )
            return redirect(sar)
        except StaleEdit as exc:
            form = redraw_stale(SubjectAccessReleaseForm, request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "pupils/subject_access_release.html", {"sar": sar, "form": form})
