from django.urls import path

app_name = "agencies"

urlpatterns = []

# The directory of services (feature: directory).
from agencies.views import directory  # noqa: E402

urlpatterns += [
    path("services/", directory.agency_list, name="agency_list"),
    path("services/add/", directory.agency_add, name="agency_add"),
    path("services/add-usual/", directory.agencies_add_usual, name="agencies_add_usual"),
    path("services/<int:pk>/edit/", directory.agency_edit, name="agency_edit"),
]

# Referrals and consent (feature: referrals).
from agencies.views import referrals  # noqa: E402

urlpatterns += [
    path("referrals/", referrals.referral_list, name="referral_list"),
    path("pupils/<int:pupil_pk>/referrals/", referrals.pupil_referrals, name="pupil_referrals"),
    path("pupils/<int:pupil_pk>/referrals/add/", referrals.referral_add, name="referral_add"),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/edit/", referrals.referral_edit, name="referral_edit"),
    path("referrals/<int:pk>/move/", referrals.referral_move, name="referral_move"),
    path("referrals/<int:pk>/consent/", referrals.consent_add, name="consent_add"),
    path("referrals/<int:pk>/exception/", referrals.referral_exception, name="referral_exception"),
    path("consents/<int:pk>/withdraw/", referrals.consent_withdraw, name="consent_withdraw"),
]
