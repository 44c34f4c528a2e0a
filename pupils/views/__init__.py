"""The pupil page: a summary a teacher can read in a minute, other apps' panels, the chronology."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from pupils.chronology import chronology
from pupils.permissions import (
    can_change_sen_status,
    can_correct_leaving_date,
    can_edit_carers,
    can_edit_passports,
    can_edit_record,
    can_log_contact,
)
from pupils.selectors import pupils_visible_to
from pupils.services import record_pupil_viewed
from pupils.summary import pupil_summary, rendered_panels
from senco.access import allow
from senco.models import STAFF


def _can(user, *, read_only: bool) -> dict[str, bool]:
    """What the Actions list may offer (other features add their links there too); a leaver's
    record is read-only, except that the SENCO team may still correct the leaving date."""
    return {
        "edit_record": can_edit_record(user) and (not read_only or can_correct_leaving_date(user)),
        "change_sen_status": can_change_sen_status(user) and not read_only,
        "edit_passport": can_edit_passports(user) and not read_only,
        "edit_carers": can_edit_carers(user) and not read_only,
        "log_contact": can_log_contact(user) and not read_only,
    }


@allow(*STAFF)
def pupil_detail(request, pk: int):
    pupil = get_object_or_404(
        pupils_visible_to(request.user).select_related("school", "designated_teacher"), pk=pk
    )
    record_pupil_viewed(pupil=pupil, by=request.user)
    context = pupil_summary(request.user, pupil=pupil, today=timezone.localdate())
    context["can"] = _can(request.user, read_only=context["has_left"])
    context["panels"] = rendered_panels(pupil, request.user, request=request)
    context["events"] = chronology(pupil, request.user)
    return render(request, "pupils/pupil_detail.html", context)
