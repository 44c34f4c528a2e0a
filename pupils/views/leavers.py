"""Leavers: pupils who have left, kept read-only until their records may be reviewed for disposal,
and taking a leaver off the SEN register."""

from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pupils.permissions import REGISTER_READERS, SEN_STATUS_WRITERS
from pupils.selectors import leavers as selectors
from pupils.selectors.records import pupils_visible_to
from pupils.services.leavers import take_leaver_off_register
from senco.access import allow, may_open, open_record

PER_PAGE = 50


@allow(*REGISTER_READERS)
def leavers(request):
    today = timezone.localdate()
    years = selectors.retention_years(request.user.school)
    pupils = selectors.leavers(request.user, today=today)
    due = selectors.due_for_review(pupils, today=today, **years)
    due_only = request.GET.get("due") == "1"
    page = Paginator(due if due_only else pupils, PER_PAGE).get_page(request.GET.get("page"))
    columns = selectors.leaver_columns(request.user, list(page), today=today)
    context = {
        "page": page,
        "columns": columns,
        "rows": [
            replace(
                selectors.leaver_row(pupil, today=today, **years),
                extra=tuple(column.cells.get(pupil.pk, "") for column in columns),
            )
            for pupil in page
        ],
        "leaver_count": pupils.count(),
        "due_count": due.count(),
        "due_only": due_only,
        "can_open_retention": may_open(request.user, "pupils:retention"),
        **years,
    }
    return render(request, "pupils/leavers.html", context)


@allow(*SEN_STATUS_WRITERS)
@require_POST
def leaver_off_register(request, pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pk)
    try:
        take_leaver_off_register(pupil=pupil, by=request.user, today=timezone.localdate())
        messages.success(request, f"{pupil.full_name} is off the SEN register as at their leaving date.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("pupils:register_health")
