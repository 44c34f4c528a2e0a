from django.shortcuts import render
from django.utils import timezone

from provision.permissions import DELIVERY_OVERVIEW_READERS, PLAN_READERS
from provision.selectors.delivery import below_target_count
from provision.selectors.plans import reviews_due_count
from pupils.permissions import can_oversee_concerns
from pupils.selectors.concerns import my_open_concerns_count, open_concerns_count
from pupils.selectors.register_health import register_health_count
from senco.access import allow
from senco.models import CLASSROOM, EVERYONE, LEADERSHIP, SENCO_TEAM, WHOLE_SCHOOL, Role
from senco.reports import selectors


@allow(*EVERYONE)
def home(request):
    """Each role's real work on one page; a user with several roles sees each part."""
    user, today = request.user, timezone.localdate()
    context = {"sections": []}
    if user.has_role(*WHOLE_SCHOOL):
        context["sections"].append("whole_school")
        context["status_counts"] = selectors.sen_status_counts(user, today=today)
        context["need_counts"] = selectors.primary_need_counts(user, today=today)[:6]
        context["show_audit"] = user.has_role(*SENCO_TEAM, *LEADERSHIP)
        context["register_problems"] = register_health_count(user, today=today)
    if user.has_role(*CLASSROOM):
        context["sections"].append("classroom")
        context["groups"] = selectors.my_groups(user)
        context["my_pupils"] = selectors.my_pupils_on_register(user, today=today)
    if user.has_role(*PLAN_READERS):
        context["reviews_due_count"] = reviews_due_count(user, today=today)
    if user.has_role(*DELIVERY_OVERVIEW_READERS):
        context["below_target_count"] = below_target_count(user, today=today)
    if can_oversee_concerns(user):
        context["open_concerns_count"] = open_concerns_count(user)
    if user.has_role(*CLASSROOM):
        context["my_open_concerns_count"] = my_open_concerns_count(user)
    if user.has_role(Role.GOVERNOR):
        context["sections"].append("governor")
        context["governor_summary"] = selectors.governor_status_summary(user, today=today)
    return render(request, "reports/home.html", context)
