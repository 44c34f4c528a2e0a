app_name = "agencies"

urlpatterns = []

# Involvement: outside professionals' work, their reports and advice --------------------------
from django.urls import path  # noqa: E402 (each feature's block keeps its own imports)

from agencies.views import involvement  # noqa: E402

urlpatterns += [
    path("pupils/<int:pk>/involvement/", involvement.pupil_involvement, name="pupil_involvement"),
    path("pupils/<int:pk>/involvement/add/", involvement.involvement_add, name="involvement_add"),
    path("pupils/<int:pk>/reports/upload/", involvement.report_upload, name="report_upload"),
    path("reports/<int:report_pk>/", involvement.report_detail, name="report_detail"),
    path("reports/<int:report_pk>/download/", involvement.report_download, name="report_download"),
    path("reports/<int:report_pk>/health/", involvement.report_health, name="report_health"),
    path("reports/<int:report_pk>/advice/add/", involvement.advice_add, name="advice_add"),
    path("advice/<int:advice_pk>/take-up/", involvement.advice_action, name="advice_action"),
    path("advice/", involvement.advice_list, name="advice_list"),
]
