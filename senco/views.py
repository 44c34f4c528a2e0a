from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from senco.access import allow, public
from senco.forms import AuditFilterForm, QueuedPasswordResetForm, SwitchSchoolForm
from senco.models import EVERYONE, LEADERSHIP, SENCO_TEAM
from senco.selectors import audit_trail as audit_trail_of
from senco.selectors import schools_of
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
password_reset = public(auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm))
password_reset_done = public(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = public(auth_views.PasswordResetConfirmView.as_view())
password_reset_complete = public(auth_views.PasswordResetCompleteView.as_view())
