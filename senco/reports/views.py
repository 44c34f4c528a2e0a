from django.shortcuts import render
from django.utils import timezone

from agencies.permissions import STATUTORY_CALENDAR_READERS, can_read_statutory_calendar
from agencies.selectors.statutory_calendar import calendar_counts
from provision.permissions import can_read_plans, can_see_delivery_overview
from provision.selectors.delivery import below_target_count
from provision.selectors.plans import reviews_due_count
from pupils.permissions import (
    can_oversee_concerns,
    can_raise_concerns,
    can_read_register,
    can_read_sen_summary,
    can_see_own_groups,
)
from pupils.selectors.concerns import my_open_concerns_count, open_concerns_count
from pupils.selectors.register_health import register_health_count
from senco.access import allow, may_open
from senco.models import EVERYONE
from senco.reports import selectors
from senco.selectors import school_calendar


@allow(*EVERYONE)
def home(request):
    """Each role's real work on one page; a user with several roles sees each part."""
    user, today = request.user, timezone.localdate()
    context = {"sections": []}
    # Register health's monitoring check and the groups' delivery both work from the school
    # calendar: read once when the page shows both (each reads it itself otherwise, if needed).
    both = can_read_register(user) and can_see_delivery_overview(user)
    calendar = school_calendar(user.school) if both else None
    if can_read_register(user):
        context["sections"].append("whole_school")
        statuses, needs = selectors.status_and_need_counts(user, today=today)
        context["status_counts"], context["need_counts"] = statuses, needs[:6]
        context["show_audit"] = may_open(user, "senco:audit_trail")
        context["register_problems"] = register_health_count(user, today=today, calendar=calendar)
    if can_see_own_groups(user):
        context["sections"].append("classroom")
        context["groups"] = selectors.my_groups(user, today=today)
        context["show_my_pupils"] = may_open(user, "pupils:my_pupils")
        context["my_pupils"] = selectors.my_pupils_on_register(user, today=today)
        if can_raise_concerns(user):
            context["my_open_concerns_count"] = my_open_concerns_count(user)
    if can_read_plans(user):
        context["reviews_due_count"] = reviews_due_count(user, today=today)
    if can_see_delivery_overview(user):
        context["below_target_count"] = below_target_count(user, today=today, calendar=calendar)
    if can_read_statutory_calendar(user):
        context["statutory_counts"] = calendar_counts(user.acting_as(STATUTORY_CALENDAR_READERS), today=today)
    if can_oversee_concerns(user):
        context["open_concerns_count"] = open_concerns_count(user)
    if can_read_sen_summary(user):
        context["sections"].append("governor")
        context["governor_summary"] = selectors.governor_status_summary(user, today=today)
    if not context["sections"]:  # a trust administrator or an exams officer: no pupil pages
        context["show_staff"] = may_open(user, "senco:staff")
        context["show_exam_series"] = may_open(user, "transitions:exam_series")
    return render(request, "reports/home.html", context)
