"""Register health: the SENCO's list of records that break a census or Code of Practice rule,
each line linking to the page that puts it right."""

from django.shortcuts import render
from django.utils import timezone

from pupils.permissions import REGISTER_READERS, can_change_sen_status
from pupils.selectors.register_health import register_health as register_health_of
from senco.access import allow


@allow(*REGISTER_READERS)
def register_health(request):
    sections = register_health_of(request.user, today=timezone.localdate())
    context = {
        "sections": sections,
        "total": sum(len(section.problems) for section in sections),
        "can_fix": can_change_sen_status(request.user),
    }
    return render(request, "pupils/register_health.html", context)
