"""The delivery log: recording, correcting and deleting sessions, and the overview of groups
delivering under target."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html

from provision.forms.delivery import SessionCorrectionForm, SessionForm
from provision.permissions import (
    DELIVERY_OVERVIEW_READERS,
    DELIVERY_RECORDERS,
    can_correct_session,
    can_delete_session,
    can_record_delivery,
)
from provision.selectors import delivery as delivery_selectors
from provision.selectors import groups as selectors
from provision.selectors.groups import group_for_page
from provision.services import delivery as delivery_services
from provision.services.delivery import GONE_MESSAGE, SESSION_FIELDS, TAKEN
from senco.access import allow, open_record
from senco.concurrency import StaleEdit, redraw_stale, version_token
from senco.selectors import missing_term_dates, school_calendar


def _refuse(form, error: ValidationError, group) -> None:
    """Put the service's errors on the form. "Already recorded" gets a link to correcting the
    record there is; format_html escapes the message, so only the link is markup."""
    form.add_error(None, error)
    for problem in form.errors.as_data().get("held_on", []):
        if problem.code == TAKEN and problem.params["session_pk"]:
            url = reverse("provision:session_correct", args=[group.pk, problem.params["session_pk"]])
            link = format_html('{} <a href="{}">Correct that session instead</a>.', problem.messages[0], url)
            form.errors["held_on"] = form.error_class([link])


@allow(*DELIVERY_RECORDERS)
def session_add(request, pk: int):
    def pupils(group):  # those the form lists, to mark absent
        return selectors.current_pupils(request.user, group=group)

    group = open_record(
        request, group_for_page(request.user), read="provision.group_viewed", pupils=pupils, pk=pk
    )
    if not can_record_delivery(request.user, group):
        raise PermissionDenied
    form = SessionForm(request.POST or None, initial={"held_on": timezone.localdate()}, pupils=pupils(group))
    if request.method == "POST" and form.is_valid():
        try:
            delivery_services.record_session(
                group=group, by=request.user, today=timezone.localdate(), **form.cleaned_data
            )
            messages.success(request, "The session is recorded.")
            return redirect("provision:group_detail", group.pk)
        except ValidationError as exc:
            _refuse(form, exc, group)
    return render(request, "provision/session_add.html", {"group": group, "form": form})


def _session_for_page(request, pk: int, session_pk: int, *, read: bool):
    """The session, reached through a group the user may see (404 otherwise); with `read`, the
    read audited naming everyone who has been in the group whom the user sees (the correction
    form lists them, with who was absent)."""
    group = get_object_or_404(group_for_page(request.user), pk=pk)
    sessions = group.sessions.select_related("recorded_by", "group")
    if not read:
        return get_object_or_404(sessions, pk=session_pk)

    def pupils(session):
        return selectors.pupils_ever_placed(request.user, group=session.group)

    return open_record(request, sessions, read="provision.session_viewed", pupils=pupils, pk=session_pk)


def _correction_form(session, pupils, data=None):
    initial = {name: getattr(session, name) for name in ("held_on", "status", "cancelled_reason", "notes")}
    initial |= {
        "absent": session.absent.filter(pk__in=pupils),
        "version": version_token(session, fields=SESSION_FIELDS),
    }
    return SessionCorrectionForm(data, initial=initial, pupils=pupils)


@allow(*DELIVERY_RECORDERS)
def session_correct(request, pk: int, session_pk: int):
    session = _session_for_page(request, pk, session_pk, read=True)
    if not can_correct_session(request.user, session):
        raise PermissionDenied
    pupils = selectors.pupils_ever_placed(request.user, group=session.group)
    form = _correction_form(session, pupils, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            delivery_services.correct_session(
                session=session, by=request.user, today=timezone.localdate(), **form.cleaned_data
            )
            messages.success(request, "The session record is corrected.")
            return redirect("provision:group_detail", pk)
        except StaleEdit as exc:
            if exc.current is None:
                messages.error(request, GONE_MESSAGE)
                return redirect("provision:group_detail", pk)
            form = redraw_stale(partial(_correction_form, exc.current, pupils), request.POST, exc)
        except ValidationError as exc:
            _refuse(form, exc, session.group)
    context = {"session": session, "form": form, "can_delete": can_delete_session(request.user, session)}
    return render(request, "provision/session_correct.html", context)


@allow(*DELIVERY_RECORDERS)
def session_delete(request, pk: int, session_pk: int):
    """A confirmation page; only the POST from it deletes."""
    session = _session_for_page(request, pk, session_pk, read=False)  # the page names no pupil
    if not can_delete_session(request.user, session):
        raise PermissionDenied
    if request.method == "POST":
        delivery_services.delete_session(session=session, by=request.user)
        day = dateformat.format(session.held_on, "j F Y")
        messages.success(request, f"The session of {day} is deleted from the log.")
        return redirect("provision:group_detail", pk)
    return render(request, "provision/session_delete.html", {"session": session})


@allow(*DELIVERY_OVERVIEW_READERS)
def delivery(request):
    today, calendar = timezone.localdate(), school_calendar(request.user.school)
    groups = delivery_selectors.delivery_overview(request.user, today=today, calendar=calendar)
    context = {
        "groups": groups,
        "today": today,
        "term_dates": missing_term_dates(
            request.user, calendar, *(group.delivery.counted for group in groups)
        ),
    }
    return render(request, "provision/delivery.html", context)
