from django.urls import path

from agencies.views import assessments, statutory_calendar

app_name = "agencies"

urlpatterns = []

# EHC needs assessment requests and the LA's steps on their statutory clock.
urlpatterns += [
    path("pupils/<int:pupil_pk>/ehc-requests/add/", assessments.ehc_request_add, name="ehc_request_add"),
    path("ehc-requests/<int:pk>/", assessments.ehc_request_detail, name="ehc_request_detail"),
    path("ehc-requests/<int:pk>/steps/<slug:step>/", assessments.ehc_request_step, name="ehc_request_step"),
    path("ehc-requests/<int:pk>/exemption/", assessments.ehc_request_exemption, name="ehc_request_exemption"),
]

# The statutory calendar: every statutory date of the school.
urlpatterns += [
    path("statutory-calendar/", statutory_calendar.statutory_calendar_page, name="statutory_calendar"),
]
