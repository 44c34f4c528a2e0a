import csv
from itertools import chain

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.util import random_hex

from senco.access import allow, may_open, owes_second_factor, public, signed_in
from senco.filters import AuditFilter
from senco.forms import (
    AddStaffForm,
    AuthenticatorCodeForm,
    CalendarUploadForm,
    DatedRowFormSet,
    GrantRoleForm,
    SignInCodeForm,
    SwitchSchoolForm,
)
from senco.models import EVERYONE, SENCO_TEAM, WHOLE_SCHOOL, Role
from senco.permissions import (
    AUDIT_READERS,
    MFA_RESETTERS,
    STAFF_LIST_READERS,
    STAFF_MANAGERS,
    can_edit_calendar,
    can_manage_staff,
    grantable_roles,
)
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
    authenticator_set_up,
    has_second_factor,
    school_calendar,
    school_year_rows,
    school_years,
    schools_of,
    staff_at_school,
    staff_list,
)
from senco.selectors import audit_trail as audit_trail_of
from senco.selectors import staff_member as staff_member_page
from senco.services.audit_trail import record_audit_trail_exported
from senco.services.calendar import copy_school_year_forward, import_calendar, save_school_year
from senco.services.schools import switch_school as switch_school_service
from senco.services.sign_in import (
    TooManyResetRequests,
    check_second_factor,
    request_password_reset,
    reset_mfa_device,
    set_up_second_factor,
)
from senco.services.staff import add_staff, deactivate_staff, grant_role, revoke_role


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


# Multi-factor sign-in --------------------------------------------------------------------------

# The session holds the new app's secret between showing it and confirming it, and the recovery
# codes between creating them and showing them once.
SET_UP_KEY = "mfa_set_up_key"
NEW_RECOVERY_CODES = "mfa_recovery_codes"


def _next(request) -> str:
    """Where the user was going before the second factor, if it is a page of this site."""
    target = request.POST.get("next") or request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else reverse("home")


def _with_next(url_name: str, request) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': _next(request)})}"


@signed_in
def mfa_verify(request):
    if not owes_second_factor(request.user):
        return redirect(_next(request))
    if not has_second_factor(request.user):
        return redirect(_with_next("mfa_set_up", request))
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            factor = check_second_factor(code=form.cleaned_data["code"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            otp_login(request, factor.device)
            if factor.recovery_codes_left is not None:
                messages.warning(request, _recovery_codes_left(factor.recovery_codes_left))
            return redirect(_next(request))
    # No menu before the second factor: every item would lead back here.
    return render(
        request, "registration/mfa_verify.html", {"form": form, "next": _next(request), "nav_items": []}
    )


def _recovery_codes_left(left: int) -> str:
    advice = "ask your school administrator or headteacher to reset your sign-in device"
    if left == 0:
        return f"That was your last recovery code: {advice} before you next sign in."
    return f"Recovery code used: {left} left. If you have lost your phone, {advice}."


@signed_in
def mfa_set_up(request):
    if not owes_second_factor(request.user):
        return redirect(_next(request))
    if has_second_factor(request.user):
        return redirect(_with_next("mfa_verify", request))
    key = request.session.setdefault(SET_UP_KEY, random_hex(20))
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = set_up_second_factor(key=key, code=form.cleaned_data["code"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            otp_login(request, new.device)
            del request.session[SET_UP_KEY]
            request.session[NEW_RECOVERY_CODES] = new.recovery_codes
            return redirect(_with_next("mfa_recovery_codes", request))
    context = {
        "form": form,
        "set_up": authenticator_set_up(request.user, key),
        "next": _next(request),
        "nav_items": [],
    }
    return render(request, "registration/mfa_set_up.html", context)


@signed_in
def mfa_recovery_codes(request):
    codes = request.session.pop(NEW_RECOVERY_CODES, None)
    if codes is None:  # shown once only: a second visit, or Back, finds nothing
        return redirect(_next(request))
    return render(
        request,
        "registration/mfa_recovery_codes.html",
        {"codes": codes, "next": _next(request), "nav_items": []},
    )


# Staff and roles -------------------------------------------------------------------------------


@allow(*STAFF_LIST_READERS)
def staff(request):
    context = {
        "staff": staff_list(request.user),
        "can_manage": can_manage_staff(request.user),
        "can_see_groups": may_open(request.user, "pupils:teaching_groups"),
    }
    return render(request, "senco/staff.html", context)


@allow(*STAFF_MANAGERS)
def staff_add(request):
    form = AddStaffForm(request.POST or None, roles=grantable_roles(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            member = add_staff(
                school=request.user.school,
                site=request.build_absolute_uri("/"),
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{member} added: an e-mail invites them to choose a password.")
            return redirect("senco:staff_member", pk=member.pk)
    return render(request, "senco/staff_add.html", {"form": form})


@allow(*STAFF_MANAGERS)
def staff_member(request, pk: int):
    member = get_object_or_404(staff_at_school(request.user), pk=pk)
    page = staff_member_page(request.user, member)
    form = GrantRoleForm(request.POST or None, roles=page.grantable)
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        try:
            grant_role(user=member, school=request.user.school, role=role, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{member} is now {Role(role).label} here.")
            return redirect("senco:staff_member", pk=member.pk)
    return render(request, "senco/staff_member.html", {"page": page, "member": member, "form": form})


@allow(*STAFF_MANAGERS)
@require_POST
def role_revoke(request, pk: int, role: str):
    member = get_object_or_404(staff_at_school(request.user), pk=pk)
    try:
        revoke_role(user=member, school=request.user.school, role=role, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{member} is no longer {Role(role).label} here.")
    return redirect("senco:staff_member", pk=member.pk)


@allow(*STAFF_MANAGERS)
def staff_deactivate(request, pk: int):
    member = get_object_or_404(staff_at_school(request.user), pk=pk)
    if request.method != "POST":
        context = {"member": member, "page": staff_member_page(request.user, member)}
        return render(request, "senco/staff_deactivate.html", context)
    try:
        deactivated = deactivate_staff(user=member, school=request.user.school, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("senco:staff_member", pk=member.pk)
    if deactivated:
        messages.success(request, f"{member} is deactivated: they can no longer sign in.")
    else:
        messages.success(
            request, f"{member} holds no role here now; they keep their account at their other school."
        )
    return redirect("senco:staff")


@allow(*MFA_RESETTERS)
def mfa_reset(request, pk: int):
    member = get_object_or_404(staff_at_school(request.user), pk=pk)
    if request.method == "POST":
        try:
            reset_mfa_device(user=member, by=request.user)
            messages.success(
                request, f"{member}'s sign-in device is reset: they set up a new one when they next sign in."
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("senco:staff_member", pk=member.pk)
    return render(request, "senco/mfa_reset.html", {"member": member, "is_you": member.pk == request.user.pk})


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
