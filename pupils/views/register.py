"""The SEN register, its CSV export, the leavers list and register health."""

import csv

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from pupils.filters import RegisterFilter
from pupils.permissions import REGISTER_READERS, SEN_STATUS_WRITERS, can_change_sen_status
from pupils.selectors import pupils_visible_to
from pupils.selectors import register as selectors
from pupils.selectors.health import register_health as register_health_of
from pupils.services.leavers import take_leaver_off_register
from pupils.services.register import record_register_exported
from senco.access import allow

PER_PAGE = 50
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _without_page(query) -> str:
    query = query.copy()
    query.pop("page", None)
    return query.urlencode()


def _filtered_register(request) -> RegisterFilter:
    # Always bound, even with no parameters, so the default (any SEN status) applies.
    pupils = selectors.register_pupils(request.user, today=timezone.localdate())
    return RegisterFilter(request.GET, queryset=pupils, request=request)


@allow(*REGISTER_READERS)
def register(request):
    filterset = _filtered_register(request)
    page = Paginator(selectors.with_groups(filterset.qs), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "counts": selectors.register_counts(filterset.qs),
        "page": page,
        "rows": [selectors.register_row(pupil) for pupil in page],
        "export_query": _without_page(request.GET),
    }
    return render(request, "pupils/register.html", context)


def _csv_cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


@allow(*REGISTER_READERS)
def register_csv(request):
    """Every matching pupil (all pages), as the page shows them. UTF-8 with a byte-order mark,
    which Excel needs to read the names' accents."""
    filterset = _filtered_register(request)
    rows = [selectors.register_row(pupil) for pupil in selectors.with_groups(filterset.qs)]
    record_register_exported(
        by=request.user, filters=filterset.summary(), rows=len(rows), columns=selectors.CSV_HEADER
    )
    filename = f"sen-register-{slugify(request.user.school.name)}-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(selectors.CSV_HEADER)
    writer.writerows([_csv_cell(cell) for cell in row.cells()] for row in rows)
    return response


@allow(*REGISTER_READERS)
def leavers(request):
    today, years = timezone.localdate(), settings.SEN_RETENTION_YEARS
    pupils = selectors.leavers(request.user, today=today)
    due = selectors.due_for_review(pupils, today=today, retention_years=years)
    due_only = request.GET.get("due") == "1"
    page = Paginator(due if due_only else pupils, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [selectors.leaver_row(pupil, today=today, retention_years=years) for pupil in page],
        "leaver_count": pupils.count(),
        "due_count": due.count(),
        "due_only": due_only,
        "retention_years": years,
    }
    return render(request, "pupils/leavers.html", context)


@allow(*REGISTER_READERS)
def register_health(request):
    sections = register_health_of(request.user, today=timezone.localdate())
    context = {
        "sections": sections,
        "total": sum(len(section.problems) for section in sections),
        "can_fix": can_change_sen_status(request.user),
    }
    return render(request, "pupils/register_health.html", context)


@allow(*SEN_STATUS_WRITERS)
@require_POST
def leaver_off_register(request, pk: int):
    pupil = get_object_or_404(pupils_visible_to(request.user), pk=pk)
    try:
        take_leaver_off_register(pupil=pupil, by=request.user, today=timezone.localdate())
        messages.success(request, f"{pupil.full_name} is off the SEN register as at their leaving date.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("pupils:register_health")
