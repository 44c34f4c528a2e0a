import csv
from itertools import chain

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from senco.access import allow, public
from senco.filters import AuditFilter
from senco.forms import (
    CalendarUploadForm,
    DatedRowFormSet,
    QueuedPasswordResetForm,
    SwitchSchoolForm,
)
from senco.models import EVERYONE, SENCO_TEAM, WHOLE_SCHOOL, Role
from senco.permissions import AUDIT_READERS, can_edit_calendar
from senco.rules import (
    FIRST_CALENDAR_YEAR,
    LAST_CALENDAR_YEAR,
    DatedRow,
    academic_year_of,
    school_year_label,
    spreadsheet_safe,
)
from senco.selectors import (
    AUDIT_CSV_HEADER,
    audit_csv_rows,
    audit_pupil,
    audit_pupil_names,
    audit_pupils_matching,
    school_calendar,
    school_year_rows,
    school_years,
    schools_of,
)
from senco.selectors import audit_trail as audit_trail_of
from senco.services import (
    copy_school_year_forward,
    import_calendar,
    record_audit_trail_exported,
    save_school_year,
)
from senco.services import switch_school as switch_school_service


@allow(*EVERYONE)
@require_POST
def switch_school(request):
    form = SwitchSchoolForm(request.POST, schools=schools_of(request.user))
    if form.is_valid():
        try:
            switch_school_service(user=request.user, school=form.cleaned_data["school"], by=request.user)
            messages.success(request, f"You are now working in {form.cleaned_data['school']}.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, "Choose one of your schools.")
    return redirect("home")


login = public(auth_views.LoginView.as_view(redirect_authenticated_user=True))
logout = public(auth_views.LogoutView.as_view())
password_change = allow(*EVERYONE)(auth_views.PasswordChangeView.as_view())
password_change_done = allow(*EVERYONE)(auth_views.PasswordChangeDoneView.as_view())
password_reset = public(auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm))
password_reset_done = public(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = public(auth_views.PasswordResetConfirmView.as_view())
password_reset_complete = public(auth_views.PasswordResetCompleteView.as_view())


@allow(*WHOLE_SCHOOL)
def calendar(request):
    today = timezone.localdate()
    recorded = school_calendar(request.user.school)
    this_year = academic_year_of(today)
    missing = [year for year in (this_year, this_year + 1) if year not in recorded.years]
    context = {
        "years": school_years(request.user.school),
        "missing": [school_year_label(year) for year in missing],
        "this_year": this_year,
        "can_edit": can_edit_calendar(request.user),
    }
    return render(request, "senco/calendar.html", context)


@allow(*SENCO_TEAM, Role.ADMIN)
def calendar_year(request, start_year: int):
    if not FIRST_CALENDAR_YEAR <= start_year < LAST_CALENDAR_YEAR:
        raise Http404
    initial = [vars(row) for row in school_year_rows(request.user.school, start_year=start_year)]
    formset = DatedRowFormSet(request.POST or None, initial=initial)
    problems = []
    if request.method == "POST" and formset.is_valid():
        try:
            save_school_year(
                school=request.user.school, start_year=start_year, rows=_rows(formset), by=request.user
            )
            messages.success(request, f"Term dates for {school_year_label(start_year)} saved.")
            return redirect("senco:calendar")
        except ValidationError as exc:
            problems = exc.messages
    context = {"formset": formset, "problems": problems, "year_label": school_year_label(start_year)}
    return render(request, "senco/calendar_year.html", context)


@allow(*SENCO_TEAM, Role.ADMIN)
def calendar_import(request):
    form = CalendarUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            years = import_calendar(
                school=request.user.school, content=form.cleaned_data["file"], by=request.user
            )
            messages.success(request, f"Term dates imported for {', '.join(map(str, years))}.")
            return redirect("senco:calendar")
        except ValidationError as exc:
            form.add_error("file", exc)
    return render(request, "senco/calendar_import.html", {"form": form})


@allow(*SENCO_TEAM, Role.ADMIN)
@require_POST
def calendar_copy(request, start_year: int):
    try:
        copy_school_year_forward(school=request.user.school, start_year=start_year, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("senco:calendar")
    messages.success(
        request,
        f"{school_year_label(start_year + 1)} copied from {school_year_label(start_year)}: check every date.",
    )
    return redirect("senco:calendar_year", start_year=start_year + 1)


def _rows(formset) -> list[DatedRow]:
    """The filled-in rows not ticked for removal (blank spare rows have no cleaned data)."""
    return [
        DatedRow(**{name: value for name, value in form.cleaned_data.items() if name != "DELETE"})
        for form in formset
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


# --- Reading the audit trail ------------------------------------------------------------------

AUDIT_PER_PAGE = 50
PUPIL_MATCHES_SHOWN = 10


def _query_without(query, *names: str) -> str:
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _filtered_trail(request) -> AuditFilter:
    filterset = AuditFilter(request.GET, queryset=audit_trail_of(request.user), request=request)
    # Always bound and cleaned: a field that fails validation is left out of the filtering, the
    # others still apply, and the page shows why that one could not be used, keeping what was typed.
    filterset.form.is_valid()
    return filterset


def _chosen_pupil(request, filterset: AuditFilter):
    pk = filterset.form.cleaned_data.get("pupil")
    return audit_pupil(request.user, pk) if pk else None


def _with_pupils(user, events) -> list[tuple]:
    """Each event with the pupil it names (None: none named, or no longer held), in one query."""
    pupils = audit_pupil_names(user, [event.pupil_id for event in events])
    return [(event, pupils.get(event.pupil_id)) for event in events]


@allow(*AUDIT_READERS)
def audit_trail(request):
    filterset = _filtered_trail(request)
    page = Paginator(filterset.qs, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    search = filterset.form.cleaned_data.get("q")
    matches = audit_pupils_matching(request.user, search)[: PUPIL_MATCHES_SHOWN + 1] if search else []
    context = {
        "filter": filterset,
        "page": page,
        "rows": _with_pupils(request.user, page),
        "chosen_pupil_id": filterset.form.cleaned_data.get("pupil"),
        "chosen_pupil": _chosen_pupil(request, filterset),
        "matches": list(matches),
        "matches_shown": PUPIL_MATCHES_SHOWN,
        "pupil_query": _query_without(request.GET, "q", "pupil", "page"),
        "export_query": _query_without(request.GET, "page"),
    }
    return render(request, "senco/audit_trail.html", context)


class _Echo:
    """What csv.writer writes to when each line is handed straight to the response."""

    def write(self, line: str) -> str:
        return line


@allow(*AUDIT_READERS)
def audit_trail_csv(request):
    """Every entry the filters match (all pages), newest first, streamed. The export is itself
    an audit row, and the file holds only what was written before it."""
    filterset = _filtered_trail(request)
    exported = record_audit_trail_exported(
        filters=filterset.summary(),
        rows=filterset.qs.count(),
        pupil=_chosen_pupil(request, filterset),
        by=request.user,
    )
    rows = audit_csv_rows(request.user, filterset.qs.filter(pk__lt=exported.pk))
    writer = csv.writer(_Echo())
    lines = chain(
        ["\ufeff", writer.writerow(AUDIT_CSV_HEADER)],
        (writer.writerow([spreadsheet_safe(cell) for cell in row]) for row in rows),
    )
    filename = f"audit-trail-{slugify(request.user.school.name)}-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
