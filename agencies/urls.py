from django.urls import path

from agencies.views import evidence_pack

app_name = "agencies"

urlpatterns = [
    # evidence_pack
    path("pupils/<int:pk>/evidence-pack.pdf", evidence_pack.evidence_pack_pdf, name="evidence_pack_pdf"),
]
