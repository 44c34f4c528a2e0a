from django.urls import path

from transitions.views import access_arrangements, adulthood, arrivals, transfer_packs, transition_plans

app_name = "transitions"

urlpatterns = [
    # transition_plans
    path("", transition_plans.transition_year, name="transition_year"),
    path("pupils/<int:pupil_pk>/plans/add/", transition_plans.transition_add, name="transition_add"),
    path("plans/<int:pk>/", transition_plans.transition_detail, name="transition_detail"),
    path("plans/<int:pk>/edit/", transition_plans.transition_edit, name="transition_edit"),
    path("plans/<int:pk>/steps/add/", transition_plans.checklist_add, name="checklist_add"),
    path("steps/<int:item_pk>/tick/", transition_plans.checklist_tick, name="checklist_tick"),
    path("plans/<int:pk>/visits/add/", transition_plans.visit_add, name="visit_add"),
    path("plans/<int:pk>/told/add/", transition_plans.told_add, name="told_add"),
    # adulthood
    path("pupils/<int:pupil_pk>/adulthood/", adulthood.adulthood, name="adulthood"),
    path("pupils/<int:pupil_pk>/adulthood/edit/", adulthood.adulthood_edit, name="adulthood_edit"),
    path("pupils/<int:pupil_pk>/adulthood/review/", adulthood.adulthood_review, name="adulthood_review"),
    # access_arrangements
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
    # transfer_packs and arrivals
    path("pupils/<int:pk>/transfer-packs/", transfer_packs.pupil_packs, name="pupil_packs"),
    path("pupils/<int:pk>/transfer-packs/make/", transfer_packs.pack_make, name="pack_make"),
    path("transfer-packs/<int:pk>/", transfer_packs.pack_detail, name="pack_detail"),
    path("transfer-packs/<int:pk>/pack.json", transfer_packs.pack_json, name="pack_json"),
    path("transfer-packs/<int:pk>/pack.pdf", transfer_packs.pack_pdf, name="pack_pdf"),
    path("transfer-packs/<int:pk>/sent/", transfer_packs.pack_sent, name="pack_sent"),
    path(
        "transfer-packs/<int:pk>/send-directly/", transfer_packs.pack_send_directly, name="pack_send_directly"
    ),
    path("arrivals/", arrivals.arrival_list, name="arrival_list"),
    path("arrivals/upload/", arrivals.arrival_upload, name="arrival_upload"),
    path("arrivals/<int:pk>/", arrivals.arrival_detail, name="arrival_detail"),
    path("arrivals/<int:pk>/decline/", arrivals.arrival_decline, name="arrival_decline"),
]
