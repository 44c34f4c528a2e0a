from django.urls import path

app_name = "transitions"

urlpatterns = []

# --- access_arrangements ---
from transitions.views import access_arrangements  # noqa: E402

urlpatterns += [
    path(
        "pupils/<int:pk>/access-arrangements/",
        access_arrangements.candidate_arrangements,
        name="candidate_arrangements",
    ),
    path(
        "pupils/<int:pk>/access-arrangements/add/",
        access_arrangements.arrangement_add,
        name="arrangement_add",
    ),
    path("pupils/<int:pk>/form-8/add/", access_arrangements.form8_add, name="form8_add"),
    path("access-arrangements/<int:pk>/edit/", access_arrangements.arrangement_edit, name="arrangement_edit"),
    path(
        "access-arrangements/<int:pk>/normal-way/", access_arrangements.normal_way_add, name="normal_way_add"
    ),
    path("exam-series/", access_arrangements.exam_series, name="exam_series"),
    path("exam-series/csv/", access_arrangements.exam_series_csv, name="exam_series_csv"),
]
