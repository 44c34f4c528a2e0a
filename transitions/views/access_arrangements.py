"""Exam access arrangements: a candidate's page, recording a Form 8, an arrangement, its changes
and its use as the normal way of working; each exam series' list, on screen and as CSV (R7)."""

import csv
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from senco.access import allow, open_record
from senco.concurrency import StaleEdit, redraw_stale
from senco.rules import spreadsheet_safe
from transitions.forms import ArrangementForm, Form8Form, NormalWayForm
from transitions.permissions import (
    ARRANGEMENT_WRITERS,
    CLASSROOM_READERS,
    EXAM_SERIES_READERS,
    NORMAL_WAY_RECORDERS,
)
from transitions.rules import next_series, series_around
from transitions.selectors import access_arrangements as selectors
from transitions.services import access_arrangements as services


def _pupil(request, pk: int, read: str):
    return open_record(request, selectors.candidates_visible_to(request.user), read=read, pk=pk)


@allow(*CLASSROOM_READERS)
def candidate_arrangements(request, pk: int):
    pupil = _pupil(request, pk, "access_arrangements.viewed")
    user, today = request.user, timezone.localdate()
    context = {
        "pupil": pupil,
        "rows": selectors.arrangements_of_candidate(user, pupil=pupil, today=today),
        "form8s": selectors.form8s_of(user, pupil=pupil) if user.has_role(*ARRANGEMENT_WRITERS) else [],
        "can_edit": user.has_role(*ARRANGEMENT_WRITERS) and not pupil.has_left(today),
        "can_record_use": user.has_role(*NORMAL_WAY_RECORDERS) and not pupil.has_left(today),
    }
    return render(request, "transitions/candidate_arrangements.html", context)


@allow(*ARRANGEMENT_WRITERS)
def form8_add(request, pk: int):
    pupil = _pupil(request, pk, "access_arrangements.viewed")
    form = Form8Form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.record_form8(
                pupil=pupil,
                scores=form.cleaned_data["scores"],
                by=request.user,
                today=timezone.localdate(),
                **values,
            )
            messages.success(request, "The Form 8 is recorded.")
            return redirect("transitions:candidate_arrangements", pk=pupil.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "transitions/form8_add.html", {"form": form, "pupil": pupil})


@allow(*ARRANGEMENT_WRITERS)
def arrangement_add(request, pk: int):
    pupil = _pupil(request, pk, "access_arrangements.viewed")
    form = ArrangementForm(request.POST or None, pupil=pupil)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.ARRANGEMENT_FIELDS}
        try:
            services.record_arrangement(pupil=pupil, by=request.user, today=timezone.localdate(), **values)
            messages.success(request, "The arrangement is recorded.")
            return redirect("transitions:candidate_arrangements", pk=pupil.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request, "transitions/arrangement_form.html", {"form": form, "pupil": pupil, "arrangement": None}
    )


@allow(*ARRANGEMENT_WRITERS)
def arrangement_edit(request, pk: int):
    arrangement = open_record(
        request, selectors.arrangements_visible_to(request.user), read="access_arrangement.viewed", pk=pk
    )
    make = partial(ArrangementForm, instance=arrangement, pupil=arrangement.pupil)
    form = make(request.POST or None, initial={"version": arrangement.version})
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.ARRANGEMENT_FIELDS}
        try:
            services.update_arrangement(
                arrangement=arrangement,
                version=form.cleaned_data["version"],
                by=request.user,
                today=timezone.localdate(),
                **values,
            )
            messages.success(request, "The arrangement is saved.")
            return redirect(arrangement)
        except StaleEdit as exc:
            form = redraw_stale(
                partial(ArrangementForm, instance=exc.current, pupil=arrangement.pupil), request.POST, exc
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {"form": form, "pupil": arrangement.pupil, "arrangement": arrangement}
    return render(request, "transitions/arrangement_form.html", context)


@allow(*NORMAL_WAY_RECORDERS)
def normal_way_add(request, pk: int):
    arrangement = open_record(
        request, selectors.arrangements_visible_to(request.user), read="access_arrangement.viewed", pk=pk
    )
    form = NormalWayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_normal_way(
                arrangement=arrangement, by=request.user, today=timezone.localdate(), **form.cleaned_data
            )
            messages.success(request, "Its use is recorded.")
            return redirect(arrangement)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "transitions/normal_way_add.html", {"form": form, "arrangement": arrangement})


def _series(request):
    today = timezone.localdate()
    choices = series_around(today)
    chosen = next((s for s in choices if s.slug == request.GET.get("series")), next_series(today))
    return today, choices, chosen


@allow(*EXAM_SERIES_READERS)
def exam_series(request):
    today, choices, series = _series(request)
    rows = selectors.series_list(request.user, series=series, today=today)
    context = {"series": series, "choices": choices, "rows": rows}
    return render(request, "transitions/exam_series.html", context)


CSV_HEADER = [
    "Surname",
    "First name",
    "Year",
    "Registration group",
    "Arrangement",
    "State",
    "AAO reference",
    "Lapses on",
]


@allow(*EXAM_SERIES_READERS)
def exam_series_csv(request):
    today, _, series = _series(request)
    rows = selectors.series_list(request.user, series=series, today=today)
    services.record_series_exported(by=request.user, series=series.label, rows=len(rows), columns=CSV_HEADER)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-arrangements-{series.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in rows:
        pupil, arrangement = row.pupil, row.arrangement
        cells = [pupil.last_name, pupil.first_name, str(pupil.year_group), pupil.registration_group_label]
        cells += [arrangement.label, row.readiness.label, arrangement.aao_reference]
        cells.append(arrangement.lapses_on.isoformat() if arrangement.lapses_on else "")
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return response
