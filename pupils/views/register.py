"""The SEN register, its CSV export, the leavers list and register health."""

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.views.decorators.vary import vary_on_headers

from pupils.filters import RegisterFilter
from pupils.permissions import REGISTER_READERS
from pupils.selectors import register as selectors
from pupils.services.register import record_register_exported
from senco.access import allow
from senco.rules import spreadsheet_safe

PER_PAGE = 50


class CountedPaginator(Paginator):
    """A paginator told how many rows match, when the page has counted them already (the
    register's status counts add up to every matching pupil, each counted once)."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def _without_page(query) -> str:
    query = query.copy()
    query.pop("page", None)
    return query.urlencode()


def _filtered_register(request) -> RegisterFilter:
    # Always bound, even with no parameters, so the default (any SEN status) applies.
    pupils = selectors.register_pupils(request.user, today=timezone.localdate())
    return RegisterFilter(request.GET, queryset=pupils, request=request)


@allow(*REGISTER_READERS)
@vary_on_headers("HX-Request")
def register(request):
    """The whole page; or, for htmx (a filter changed), only the results (R17)."""
    filterset = _filtered_register(request)
    counts = selectors.register_counts(filterset.qs)
    paginator = CountedPaginator(selectors.with_groups(filterset.qs), PER_PAGE, count=counts["total"])
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "counts": counts,
        "page": page,
        "rows": selectors.register_rows(page),
        "export_query": _without_page(request.GET),
        "filters_in_use": filterset.folded_in_use(),
    }
    template = (
        "pupils/partials/register_results.html"
        if request.headers.get("HX-Request")
        else "pupils/register.html"
    )
    return render(request, template, context)


@allow(*REGISTER_READERS)
def register_csv(request):
    """Every matching pupil (all pages), as the page shows them, with the UPN, date of birth and
    census SEN provision code a SENCO checks before the census. UTF-8 with a byte-order mark,
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
    writer.writerows([spreadsheet_safe(cell) for cell in row.cells()] for row in rows)
    return response
