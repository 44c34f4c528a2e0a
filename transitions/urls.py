from django.urls import path

app_name = "transitions"

urlpatterns = []

# transfer_packs
from transitions.views import transfer_packs  # noqa: E402

urlpatterns += [
    path("pupils/<int:pk>/transfer-packs/", transfer_packs.pupil_packs, name="pupil_packs"),
    path("pupils/<int:pk>/transfer-packs/make/", transfer_packs.pack_make, name="pack_make"),
    path("transfer-packs/<int:pk>/", transfer_packs.pack_detail, name="pack_detail"),
    path("transfer-packs/<int:pk>/pack.json", transfer_packs.pack_json, name="pack_json"),
    path("transfer-packs/<int:pk>/pack.pdf", transfer_packs.pack_pdf, name="pack_pdf"),
    path("transfer-packs/<int:pk>/sent/", transfer_packs.pack_sent, name="pack_sent"),
    path(
        "transfer-packs/<int:pk>/send-directly/", transfer_packs.pack_send_directly, name="pack_send_directly"
    ),
]

# arrivals
from transitions.views import arrivals  # noqa: E402

urlpatterns += [
    path("arrivals/", arrivals.arrival_list, name="arrival_list"),
    path("arrivals/upload/", arrivals.arrival_upload, name="arrival_upload"),
    path("arrivals/<int:pk>/", arrivals.arrival_detail, name="arrival_detail"),
    path("arrivals/<int:pk>/decline/", arrivals.arrival_decline, name="arrival_decline"),
]
