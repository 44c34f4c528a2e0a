"""Pages for the pupil's parents and carers and for the contact log (SENCO team; carers also the
school office). The entries are read on the pupil page and in the chronology."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pupils.forms import CarerForm, ContactEntryForm
from pupils.permissions import CARER_WRITERS, CONTACT_LOG_WRITERS
from pupils.selectors.contacts import carers_visible_to
from pupils.selectors.records import pupils_visible_to
from pupils.services.contacts import (
    CARER_FIELDS,
    add_carer,
    log_contact,
    remove_carer,
    update_carer,
)
from senco.access import allow, open_record
from senco.concurrency import StaleEdit, redraw_stale, version_token


@allow(*CARER_WRITERS)
def carer_add(request, pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pk)
    form = CarerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_carer(pupil=pupil, by=request.user, today=timezone.localdate(), **form.carer_fields())
            messages.success(request, "The parent or carer is added.")
            return redirect(pupil)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "pupils/carer_add.html", {"pupil": pupil, "form": form})


@allow(*CARER_WRITERS)
def carer_edit(request, carer_pk: int):
    carers = carers_visible_to(request.user).select_related("pupil")
    carer = open_record(request, carers, read="carer.viewed", pk=carer_pk)
    initial = {"version": version_token(carer, fields=CARER_FIELDS)}
    form = CarerForm(request.POST or None, instance=carer, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_carer(
                carer=carer,
                version=form.cleaned_data["version"],
                by=request.user,
                today=timezone.localdate(),
                **form.carer_fields(),
            )
            messages.success(request, "The details are saved.")
            return redirect(carer.pupil)
        except StaleEdit as exc:
            form = redraw_stale(partial(CarerForm, instance=exc.current), request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "pupils/carer_edit.html", {"pupil": carer.pupil, "carer": carer, "form": form})


@allow(*CARER_WRITERS)
@require_POST
def carer_delete(request, carer_pk: int):
    carers = carers_visible_to(request.user).select_related("pupil")
    carer = open_record(request, carers, read="carer.viewed", pk=carer_pk)
    try:
        remove_carer(carer=carer, by=request.user, today=timezone.localdate())
        messages.success(request, "The parent or carer is removed from the record.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(carer.pupil)


@allow(*CONTACT_LOG_WRITERS)
def contact_add(request, pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pk)
    today = timezone.localdate()
    form = ContactEntryForm(request.POST or None, initial={"occurred_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            log_contact(pupil=pupil, by=request.user, today=today, **form.cleaned_data)
            messages.success(request, "The contact is logged.")
            return redirect(pupil)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "pupils/contact_add.html", {"pupil": pupil, "form": form})
