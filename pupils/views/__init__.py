from django.shortcuts import get_object_or_404, render

from pupils.selectors import current_sen_status, pupils_visible_to, sen_history
from pupils.services import record_pupil_viewed
from senco.access import allow
from senco.models import STAFF


@allow(*STAFF)
def pupil_detail(request, pk: int):
    pupil = get_object_or_404(pupils_visible_to(request.user), pk=pk)
    record_pupil_viewed(pupil=pupil, by=request.user)
    context = {
        "pupil": pupil,
        "current": current_sen_status(pupil),
        "history": sen_history(pupil),
        "groups": pupil.teaching_groups.all(),
    }
    return render(request, "pupils/pupil_detail.html", context)
