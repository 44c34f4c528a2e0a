"""The statutory calendar: every open statutory date of the school, upcoming and overdue, with the
SEN register's filters. Thin view: filters, one selector, a template."""

from django.shortcuts import render
from django.utils import timezone

from agencies.filters import StatutoryCalendarFilter
from agencies.permissions import STATUTORY_CALENDAR_READERS
from agencies.selectors.statutory_calendar import calendar_pupils, statutory_calendar
from senco.access import allow


@allow(*STATUTORY_CALENDAR_READERS)
def statutory_calendar_page(request):
    today = timezone.localdate()
    filters = StatutoryCalendarFilter(
        request.GET or None, queryset=calendar_pupils(request.user, today=today), request=request
    )
    rows = statutory_calendar(request.user, pupils=filters.qs, today=today, show=filters.chosen_show)
    context = {"filters": filters, "rows": rows, "today": today}
    return render(request, "agencies/statutory_calendar.html", context)
