"""Pages for concerns: a member of staff logs one, the SENCO team triages it, the teacher sees
the outcome. Thin views: selector, form, one service."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pupils.forms import AcknowledgeForm, ConcernForm, DecideForm, GatheringForm, LookAgainForm
from pupils.models import ConcernStage
from pupils.permissions import (
    CONCERN_OVERSEERS,
    CONCERN_RAISERS,
    CONCERN_READERS,
    CONCERN_TRIAGERS,
    can_triage_concerns,
)
from pupils.selectors import concerns as selectors
from pupils.selectors.concerns import OPEN_STAGES, concern_for_page
from pupils.selectors.records import pupils_visible_to, within_reach
from pupils.services import concerns as services
from senco.access import allow, may_open, open_record
from senco.concurrency import StaleEdit, redraw_stale
from senco.deadlines import CONCERN_WAITING_LIMIT, look_again_suggestion
from senco.selectors import school_calendar

QUEUE_TABS = [("", "All open"), *[(stage, stage.label) for stage in OPEN_STAGES], ("decided", "Decided")]


def _decide_initial(concern, school) -> dict:
    today = timezone.localdate()
    look_again_on = look_again_suggestion(today, school_calendar(school))
    return {"version": concern.version, "effective_from": today, "look_again_on": look_again_on}


def _triage_forms(concern, bound: dict, *, has_left: bool, school) -> dict:
    """The triage forms the concern's stage allows, plus any bound one being re-shown. A leaver's
    concern can only be closed, so it gets the decision form alone. A concern decided "Monitor"
    gets the form to record looking at the pupil again, until that is recorded."""
    initial = {"version": concern.version}
    fresh = {
        "acknowledge_form": lambda: AcknowledgeForm(initial=initial),
        "gathering_form": lambda: GatheringForm(initial={**initial, "senco_notes": concern.senco_notes}),
        "decide_form": lambda: DecideForm(initial=_decide_initial(concern, school)),
        "look_again_form": lambda: LookAgainForm(initial=initial),
    }
    shown = {
        "acknowledge_form": concern.stage == ConcernStage.RAISED and not has_left,
        "gathering_form": concern.stage in OPEN_STAGES and not has_left,
        "decide_form": concern.stage in OPEN_STAGES,
        "look_again_form": concern.look_again_on is not None
        and concern.looked_again_at is None
        and not has_left,
    }
    return {name: bound.get(name) or (make() if shown[name] else None) for name, make in fresh.items()}


def _detail(request, concern, **bound):
    user, pupil = request.user, concern.pupil
    overseer = within_reach(user, pupil, roles=CONCERN_OVERSEERS)
    context = {
        "concern": concern,
        "pupil": concern.pupil,
        "show_notes": overseer,
        "back": ("pupils:concern_queue", "Concerns") if overseer else ("pupils:my_concerns", "My concerns"),
        "has_left": concern.pupil.has_left(timezone.localdate()),
    }
    if within_reach(user, pupil, roles=CONCERN_TRIAGERS):
        context |= _triage_forms(concern, bound, has_left=context["has_left"], school=user.school)
    return render(request, "pupils/concern_detail.html", context)


def _triage(request, pk: int, form_class, name: str, action: Callable, success: str):
    """Bind `form_class`, run `action(concern, **cleaned_data)`, and on a stale version re-show
    what was typed against the concern as it is now."""
    concern = open_record(request, concern_for_page(request.user), read="concern.viewed", pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(concern, **form.cleaned_data)
            messages.success(request, success)
            return redirect("pupils:concern_detail", concern.pk)
        except StaleEdit as exc:
            concern = concern_for_page(request.user).get(pk=pk)
            form = redraw_stale(form_class, request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    return _detail(request, concern, **{name: form})


@allow(*CONCERN_RAISERS)
def concern_add(request, pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pk)
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.raise_concern(
                pupil=pupil, by=request.user, today=timezone.localdate(), **form.cleaned_data
            )
            messages.success(
                request,
                f"Your concern about {pupil.full_name} is logged. The SENCO team will look at it, "
                "and you will see the outcome here.",
            )
            return redirect("pupils:my_concerns")
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "pupils/concern_add.html", {"pupil": pupil, "form": form})


@allow(*CONCERN_RAISERS)
def my_concerns(request):
    context = {
        "concerns": selectors.my_concerns(request.user),
        "show_my_pupils": may_open(request.user, "pupils:my_pupils"),
    }
    return render(request, "pupils/my_concerns.html", context)


@allow(*CONCERN_OVERSEERS)
def concern_queue(request):
    user = request.user
    stage = request.GET.get("stage", "")
    stage = stage if stage in dict(QUEUE_TABS) else ""
    counts = selectors.concern_stage_counts(user)
    context = {
        "stage": stage,
        "tabs": [(value, label, counts[value or "open"]) for value, label in QUEUE_TABS],
        "can_triage": can_triage_concerns(user),
        "waiting_limit": CONCERN_WAITING_LIMIT,
    }
    if stage == ConcernStage.DECIDED:
        context["page"] = Paginator(selectors.decided_concerns(user), 25).get_page(request.GET.get("page"))
    else:
        context["concerns"] = selectors.open_concerns(
            user, today=timezone.localdate(), calendar=school_calendar(user.school), stage=stage
        )
    return render(request, "pupils/concern_queue.html", context)


@allow(*CONCERN_READERS)
def concern_detail(request, pk: int):
    concern = open_record(request, concern_for_page(request.user), read="concern.viewed", pk=pk)
    return _detail(request, concern)


@allow(*CONCERN_TRIAGERS)
@require_POST
def concern_acknowledge(request, pk: int):
    def action(concern, **data):
        return services.acknowledge_concern(
            concern=concern, by=request.user, today=timezone.localdate(), **data
        )

    return _triage(request, pk, AcknowledgeForm, "acknowledge_form", action, "The concern is acknowledged.")


@allow(*CONCERN_TRIAGERS)
@require_POST
def concern_gather(request, pk: int):
    def action(concern, **data):
        return services.gather_information(
            concern=concern, by=request.user, today=timezone.localdate(), **data
        )

    return _triage(
        request, pk, GatheringForm, "gathering_form", action, "The concern is at “Gathering information”."
    )


@allow(*CONCERN_TRIAGERS)
@require_POST
def concern_decide(request, pk: int):
    def action(concern, **data):
        return services.decide_concern(
            concern=concern,
            by=request.user,
            today=timezone.localdate(),
            outcome_url=request.build_absolute_uri(reverse("pupils:my_concerns")),
            **data,
        )

    return _triage(
        request,
        pk,
        DecideForm,
        "decide_form",
        action,
        "The decision is recorded. Whoever raised the concern can now see the outcome.",
    )


@allow(*CONCERN_TRIAGERS)
@require_POST
def concern_look_again(request, pk: int):
    def action(concern, **data):
        return services.record_looked_again(
            concern=concern, by=request.user, today=timezone.localdate(), **data
        )

    return _triage(
        request, pk, LookAgainForm, "look_again_form", action, "Looking at this pupil again is recorded."
    )
