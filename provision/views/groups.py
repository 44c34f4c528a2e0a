"""Pages for provision groups, their pupils and their scores, one pupil's or the whole group's
on one grid. Thin views: selector, form, one service."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from provision.forms.groups import (
    EndPlacementForm,
    GroupEditForm,
    GroupForm,
    GroupScoresForm,
    MeasuresForm,
    PlacementForm,
)
from provision.permissions import (
    DELIVERY_OVERVIEW_READERS,
    DELIVERY_RECORDERS,
    GROUP_READERS,
    GROUP_WRITERS,
    can_manage_groups,
    can_record_delivery,
)
from provision.rules.groups import default_end
from provision.selectors import delivery as delivery_selectors
from provision.selectors import groups as selectors
from provision.selectors.groups import group_for_page, placement_for_page
from provision.selectors.interventions import interventions_in_use
from provision.services import groups as services
from provision.services.groups import MEASURE_FIELDS
from senco.access import allow, open_record
from senco.concurrency import StaleEdit, redraw_stale, version_token
from senco.selectors import missing_term_dates, school_calendar


@allow(*GROUP_READERS)
def groups(request):
    context = {
        "groups": selectors.group_list(request.user, today=timezone.localdate()),
        "can_manage": can_manage_groups(request.user),
        "can_see_delivery": request.user.has_role(*DELIVERY_OVERVIEW_READERS),
    }
    return render(request, "provision/groups.html", context)


@allow(*GROUP_WRITERS)
def group_add(request):
    interventions = interventions_in_use(request.user)
    chosen_pk = request.GET.get("intervention", "")
    chosen = interventions.filter(pk=chosen_pk).first() if chosen_pk.isdigit() else None
    today, calendar = timezone.localdate(), school_calendar(request.user.school)
    initial = _defaults_from(chosen, today=today, calendar=calendar)
    form = GroupForm(
        request.POST or None,
        initial=initial,
        interventions=interventions,
        deliverers=selectors.deliverers(request.user.school),
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group(by=request.user, today=today, **form.cleaned_data)
            messages.success(request, "The group is set up. Add its pupils below.")
            return redirect("provision:group_detail", group.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    proposed = [(today, initial["ends_on"])] if chosen else []  # the end date worked out, if any
    context = {
        "form": form,
        "chosen": chosen,
        "has_interventions": interventions.exists(),
        "term_dates": missing_term_dates(request.user, calendar, *proposed),
    }
    return render(request, "provision/group_add.html", context)


def _defaults_from(intervention, *, today, calendar) -> dict:
    """A new group's form starts from the catalogue entry's pattern."""
    if intervention is None:
        return {"starts_on": today}
    return {
        "intervention": intervention,
        "name": intervention.name,
        "starts_on": today,
        "ends_on": default_end(calendar, today, intervention.typical_weeks),
        "sessions_per_week": intervention.sessions_per_week,
        "minutes_per_session": intervention.minutes_per_session,
    }


def _detail(request, group, **forms):
    user, today = request.user, timezone.localdate()
    placements = selectors.placements_for_page(user, group=group)
    calendar = school_calendar(group.school)
    delivery = delivery_selectors.group_deliveries([group], today=today, calendar=calendar)[group.pk]
    current = [placement for placement in placements if placement.left_on is None]
    can_manage = can_manage_groups(user)
    context = {
        "group": group,
        "state": selectors.group_state(group, today=today),
        "placements": delivery_selectors.with_pupil_deliveries(
            group, placements, today=today, calendar=calendar
        ),
        "delivery": delivery,
        "term_dates": missing_term_dates(user, calendar, delivery.counted),
        "sessions": delivery_selectors.recent_sessions(user, group=group),
        "size_warning": selectors.size_warning(group, pupil_count=len(current)),
        "can_manage": can_manage,
        "can_record": can_record_delivery(user, group),
        "placement_form": forms.get("placement_form")
        or (
            PlacementForm(initial={"joined_on": max(today, group.starts_on)}, pupils=_pupils(request, group))
            if can_manage
            else None
        ),
        "end_form": forms.get("end_form") or EndPlacementForm(initial={"left_on": today}),
        "end_error_pk": forms.get("end_error_pk"),
    }
    return render(request, "provision/group_detail.html", context)


def _pupils(request, group):
    return selectors.pupils_to_place(request.user, group=group, today=timezone.localdate())


def _group(request, pk: int, *, read: str = "provision.group_viewed", shows=selectors.placements_for_page):
    """The group, if the user sees it (404 otherwise); its read is audited naming each pupil
    whose placement the page shows (`shows(user, group=group)`)."""

    def pupils(group):
        return [placement.pupil for placement in shows(request.user, group=group)]

    return open_record(request, group_for_page(request.user), read=read, pupils=pupils, pk=pk)


@allow(*GROUP_READERS)
def group_detail(request, pk: int):
    return _detail(request, _group(request, pk))


@allow(*GROUP_WRITERS)
def group_edit(request, pk: int):
    group = get_object_or_404(group_for_page(request.user), pk=pk)
    initial = {name: getattr(group, name) for name in services.GROUP_FIELDS}
    initial |= {"version": group.version, "staff": list(group.staff.all())}
    deliverers = selectors.deliverers(group.school)
    form = GroupEditForm(request.POST or None, initial=initial, deliverers=deliverers)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_group(
                group=group, by=request.user, today=timezone.localdate(), **form.cleaned_data
            )
            messages.success(request, "The group is saved.")
            return redirect("provision:group_detail", group.pk)
        except StaleEdit as exc:
            form = redraw_stale(partial(GroupEditForm, deliverers=deliverers), request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "provision/group_edit.html", {"group": group, "form": form})


@allow(*GROUP_WRITERS)
@require_POST
def placement_add(request, pk: int):
    group = _group(request, pk)
    form = PlacementForm(request.POST, pupils=_pupils(request, group))
    if form.is_valid():
        try:
            services.add_pupil(group=group, by=request.user, **form.cleaned_data)
            messages.success(request, f"{form.cleaned_data['pupil'].full_name} is in the group.")
            warning = selectors.size_warning(group, pupil_count=selectors.current_placements(group).count())
            if warning:
                messages.warning(request, warning)
            return redirect("provision:group_detail", group.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return _detail(request, group, placement_form=form)


@allow(*GROUP_WRITERS)
@require_POST
def placement_end(request, pk: int):
    placement = open_record(
        request, placement_for_page(request.user), read="provision.placement_viewed", pk=pk
    )
    form = EndPlacementForm(request.POST)
    if form.is_valid():
        try:
            services.end_placement(
                placement=placement, by=request.user, today=timezone.localdate(), **form.cleaned_data
            )
            messages.success(request, f"{placement.pupil.full_name} has left the group.")
            return redirect("provision:group_detail", placement.group_id)
        except ValidationError as exc:
            form.add_error(None, exc)
    group = _group(request, placement.group_id)
    return _detail(request, group, end_form=form, end_error_pk=placement.pk)


@allow(*DELIVERY_RECORDERS)
def placement_measures(request, pk: int):
    placement = open_record(
        request, placement_for_page(request.user), read="provision.placement_viewed", pk=pk
    )
    initial = {name: getattr(placement, name) for name in MEASURE_FIELDS}
    initial["version"] = version_token(placement, fields=MEASURE_FIELDS)
    make_form = partial(MeasuresForm, intervention=placement.group.intervention)
    form = make_form(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_measures(
                placement=placement, by=request.user, today=timezone.localdate(), **form.cleaned_data
            )
            messages.success(request, f"Measures saved for {placement.pupil.full_name}.")
            return redirect("provision:group_detail", placement.group_id)
        except StaleEdit as exc:
            form = redraw_stale(make_form, request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "provision/group_measures.html", {"placement": placement, "form": form})


@allow(*DELIVERY_RECORDERS)
def group_scores(request, pk: int):
    """Every current pupil's entry and exit scores on one grid, saved together."""
    group = _group(request, pk, read="provision.group_scores_viewed", shows=selectors.placements_to_score)
    if not can_record_delivery(request.user, group):
        raise PermissionDenied
    today, placements = timezone.localdate(), selectors.placements_to_score(request.user, group=group)
    make_form = partial(GroupScoresForm, placements=placements)
    form = make_form(request.POST or None, initial=GroupScoresForm.initial_for(placements, today=today))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_group_measures(
                group=group,
                version=form.cleaned_data["version"],
                scores=form.scores(),
                measured_on=form.cleaned_data["measured_on"],
                by=request.user,
                today=today,
            )
            messages.success(request, f"Scores saved for {group.name}.")
            return redirect("provision:group_detail", group.pk)
        except StaleEdit as exc:
            form = redraw_stale(make_form, request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "provision/group_scores.html", {"group": group, "form": form})
