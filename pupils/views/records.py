"""The pupil page (a summary a teacher can read in a minute, other apps' panels, the chronology),
editing a pupil's record and changing their SEN status, a teacher's "My pupils", and who
teaches each group. Thin views:
selector, form, one service."""

from copy import copy
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from pupils.filters import MyPupilsFilter
from pupils.forms import GroupStaffForm, PupilRecordForm, StatusChangeForm
from pupils.models import ON_REGISTER
from pupils.permissions import (
    CARER_WRITERS,
    CONTACT_LOG_WRITERS,
    GROUP_STAFF_READERS,
    GROUP_STAFF_WRITERS,
    OWN_GROUP_READERS,
    PASSPORT_WRITERS,
    RECORD_EDITORS,
    SEN_STATUS_WRITERS,
    can_correct_leaving_date,
    can_raise_concerns,
    can_staff_groups,
)
from pupils.pupil_page import all_contributions, pupil_summary, rendered_panels
from pupils.selectors.records import (
    current_sen_status,
    holders_of,
    latest_sen_entry,
    pupils_visible_to,
    staffed_groups,
    upcoming_sen_statuses,
    within_reach,
)
from pupils.selectors.register import REGISTER_STATUSES, my_pupils, register_row
from pupils.services.records import EDITABLE_FIELDS, change_sen_status, set_group_staff, update_pupil
from senco.access import allow, open_record
from senco.concurrency import StaleEdit, redraw_stale, version_token
from senco.models import STAFF, Role


def _next_url(request) -> str:
    """The `next` page the form was opened from (register health's list), when it is a path on
    this site; "" otherwise, so a link crafted to send staff to another site after a save, or
    anything but a path, is ignored (the page then returns to the pupil)."""
    url = request.GET.get("next", "")
    same_site = url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=set())
    return url if same_site else ""


def _record_form(
    request, pupil, today, data=None, *, stale: StaleEdit | None = None
) -> PupilRecordForm | None:
    """The form for this user and pupil, or None when the record is read-only to them; after a
    `stale` save, what was typed against the record as it is now. The form works on a copy, so
    what was typed never shows as the pupil's name or state on the page."""
    has_left = pupil.has_left(today)
    if has_left and not can_correct_leaving_date(request.user):
        return None
    initial = {"version": version_token(pupil, fields=EDITABLE_FIELDS)}
    make_form = partial(PupilRecordForm, instance=copy(pupil), initial=initial, leaving_date_only=has_left)
    return redraw_stale(make_form, request.POST, stale) if stale else make_form(data)


@allow(*RECORD_EDITORS)
def pupil_edit(request, pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pk)
    today = timezone.localdate()
    form = _record_form(request, pupil, today, request.POST if request.method == "POST" else None)
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            version = form.cleaned_data["version"]
            update_pupil(pupil=pupil, changes=form.changes(), by=request.user, today=today, version=version)
            messages.success(request, f"{pupil.full_name}'s record is saved.")
            return redirect(_next_url(request) or pupil.get_absolute_url())
        except StaleEdit as exc:
            pupil, form = exc.current, _record_form(request, exc.current, today, stale=exc)
            if form is None:  # they have left meanwhile, so the record is now read-only to this user
                messages.error(request, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {"pupil": pupil, "form": form, "has_left": pupil.has_left(today), "next": _next_url(request)}
    return render(request, "pupils/pupil_edit.html", context)


def _status_initial(current, *, correcting: bool, today) -> dict:
    """A change starts today (or on the day a change agreed ahead takes effect) from the last
    entry's status and needs. A correction (`?correct=1`, from register health) starts from every
    detail of the last entry, its date included: history rows are never edited, so the corrected
    entry is added with the same date and supersedes it."""
    if current is None:
        return {"effective_from": today}
    initial = {
        "status": current.status,
        "effective_from": max(today, current.effective_from),
        "primary_need": current.primary_need_id,
        "secondary_need": current.secondary_need_id,
    }
    if correcting:
        initial |= {
            "effective_from": current.effective_from,
            "parents_informed_on": current.parents_informed_on,
            "parents_informed_how": current.parents_informed_how,
            "ehc_plan_date": current.ehc_plan_date,
        }
    return initial


@allow(*SEN_STATUS_WRITERS)
def change_status(request, pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pk)
    today = timezone.localdate()
    latest = latest_sen_entry(pupil)
    correcting = latest is not None and request.GET.get("correct") == "1"
    initial = _status_initial(latest, correcting=correcting, today=today)
    form = StatusChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            change = change_sen_status(pupil=pupil, by=request.user, today=today, **form.cleaned_data)
            messages.success(request, _status_saved(pupil, change, correcting=correcting, today=today))
            # Back to the list the change was made from; otherwise to the top of the pupil's page,
            # where the message and, a few lines below it, the next step (for a pupil now on the
            # register: starting the plan) are both in view.
            return redirect(_next_url(request) or pupil.get_absolute_url())
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {
        "pupil": pupil,
        "current": current_sen_status(pupil, today=today),
        "upcoming": upcoming_sen_statuses(pupil, today=today),
        "form": form,
        "has_left": pupil.has_left(today),
        "correcting": correcting,
        "next": _next_url(request),
    }
    return render(request, "pupils/change_status.html", context)


def _status_saved(pupil, change, *, correcting: bool, today) -> str:
    if correcting:
        return f"The correction to {pupil.full_name}'s SEN status is saved."
    status = change.get_status_display()
    if change.effective_from > today:
        return f"{pupil.full_name}'s SEN status will change to {status} on {change.effective_from:%d/%m/%Y}."
    saved = f"{pupil.full_name}'s SEN status is changed to {status}."
    return f"{saved} What to do next is under Actions, below." if change.status in ON_REGISTER else saved


def _can(user, pupil, *, read_only: bool) -> dict[str, bool]:
    """What the Actions list may offer (other features add their links there too), each within
    the reach of the roles granting it; a leaver's record is read-only, except that the SENCO
    team may still correct the leaving date."""

    def may(roles) -> bool:
        return within_reach(user, pupil, roles=roles)

    return {
        "edit_record": may(RECORD_EDITORS) and (not read_only or can_correct_leaving_date(user)),
        "change_sen_status": may(SEN_STATUS_WRITERS) and not read_only,
        "edit_passport": may(PASSPORT_WRITERS) and not read_only,
        "edit_carers": may(CARER_WRITERS) and not read_only,
        "log_contact": may(CONTACT_LOG_WRITERS) and not read_only,
    }


@allow(*STAFF)
def pupil_detail(request, pk: int):
    pupils = pupils_visible_to(request.user).select_related("school", "designated_teacher")
    pupil = open_record(request, pupils, read="pupil.viewed", pk=pk)
    today = timezone.localdate()
    context = pupil_summary(request.user, pupil=pupil, today=today)
    context["can"] = _can(request.user, pupil, read_only=context["has_left"])
    contributed = all_contributions(request.user, pupil=pupil, today=today)
    context["panels"] = rendered_panels(contributed.panels, request=request)
    context["events"] = contributed.events
    context["actions"] = contributed.actions
    context["advice"] = next(iter(contributed.advice), None)
    return render(request, "pupils/pupil_detail.html", context)


MY_PUPILS_PER_PAGE = 50


@allow(*OWN_GROUP_READERS)
def my_pupils_list(request):
    """Every pupil in the teacher's or TA's groups, found by name, each a click from the pupil
    page and from logging a concern: a need is noticed before anyone has recorded it."""
    pupils = my_pupils(request.user, today=timezone.localdate())
    filterset = MyPupilsFilter(request.GET, queryset=pupils)
    page = Paginator(filterset.qs, MY_PUPILS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "rows": [register_row(pupil) for pupil in page],
        "register_statuses": REGISTER_STATUSES,
        "can_raise": can_raise_concerns(request.user),
        "searching": bool(filterset.form.is_valid() and filterset.form.cleaned_data.get("q")),
    }
    return render(request, "pupils/my_pupils.html", context)


# Who teaches each group ------------------------------------------------------------------------


@allow(*GROUP_STAFF_READERS)
def teaching_groups(request):
    context = {"groups": staffed_groups(request.user), "can_edit": can_staff_groups(request.user)}
    return render(request, "pupils/teaching_groups.html", context)


@allow(*GROUP_STAFF_WRITERS)
def group_staff(request, pk: int):
    group = get_object_or_404(staffed_groups(request.user), pk=pk)
    form = GroupStaffForm(
        request.POST or None,
        teachers=holders_of(request.user, Role.TEACHER),
        assistants=holders_of(request.user, Role.TA),
        initial={"teachers": group.teachers.all(), "assistants": group.assistants.all()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            set_group_staff(group=group, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Staff of {group.name} saved.")
            return redirect("pupils:teaching_groups")
    return render(request, "pupils/group_staff.html", {"form": form, "group": group})
