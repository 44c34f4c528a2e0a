from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from senco.access import allow, public
from senco.forms import (
    AuditFilterForm,
    CalendarUploadForm,
    DatedRowFormSet,
    SwitchSchoolForm,
)
from senco.models import EVERYONE, LEADERSHIP, SENCO_TEAM, WHOLE_SCHOOL, Role
from senco.permissions import can_edit_calendar
from senco.rules import FIRST_CALENDAR_YEAR, LAST_CALENDAR_YEAR, DatedRow, academic_year_of, school_year_label
from senco.selectors import audit_trail as audit_trail_of
from senco.selectors import school_calendar, school_year_rows, school_years, schools_of
from senco.services import (
    TooManyResetRequests,
    copy_school_year_forward,
    import_calendar,
    request_password_reset,
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


@allow(*SENCO_TEAM, *LEADERSHIP)
def audit_trail(request):
    form = AuditFilterForm(request.GET)
    # A field that fails validation is left out of cleaned_data: the others still filter, and
    # the page shows why that one could not be used, keeping what was typed.
    form.is_valid()
    filters = form.cleaned_data
    events = audit_trail_of(request.user, pupil_id=filters.get("pupil"), action=filters.get("action") or "")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "senco/audit_trail.html", {"form": form, "page": page})


login = public(auth_views.LoginView.as_view(redirect_authenticated_user=True))
logout = public(auth_views.LogoutView.as_view())
password_change = allow(*EVERYONE)(auth_views.PasswordChangeView.as_view())
password_change_done = allow(*EVERYONE)(auth_views.PasswordChangeDoneView.as_view())
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


# Password reset (issue 12): one answer for every address; the account is looked up after the request.


@public
def password_reset(request):
    form = PasswordResetForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            request_password_reset(
                email=form.cleaned_data["email"], domain=request.get_host(), use_https=request.is_secure()
            )
        except TooManyResetRequests:
            form.add_error(
                None,
                "Too many password resets have been asked for from your network in the last hour. "
                "Try again later, or ask your school's administrator.",
            )
            return render(request, "registration/password_reset_form.html", {"form": form}, status=429)
        return redirect("password_reset_done")
    return render(request, "registration/password_reset_form.html", {"form": form})
