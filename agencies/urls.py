from django.urls import path

from agencies.views import (
    annual_reviews,
    assessments,
    directory,
    ehc_plans,
    evidence_pack,
    involvement,
    referrals,
    statutory_calendar,
)

app_name = "agencies"

urlpatterns = [
    # The directory of services.
    path("services/", directory.agency_list, name="agency_list"),
    path("services/add/", directory.agency_add, name="agency_add"),
    path("services/add-usual/", directory.agencies_add_usual, name="agencies_add_usual"),
    path("services/<int:pk>/edit/", directory.agency_edit, name="agency_edit"),
    # Referrals and consent.
    path("referrals/", referrals.referral_list, name="referral_list"),
    path("pupils/<int:pupil_pk>/referrals/", referrals.pupil_referrals, name="pupil_referrals"),
    path("pupils/<int:pupil_pk>/referrals/add/", referrals.referral_add, name="referral_add"),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/edit/", referrals.referral_edit, name="referral_edit"),
    path("referrals/<int:pk>/move/", referrals.referral_move, name="referral_move"),
    path("referrals/<int:pk>/consent/", referrals.consent_add, name="consent_add"),
    path("referrals/<int:pk>/exception/", referrals.referral_exception, name="referral_exception"),
    path("consents/<int:pk>/withdraw/", referrals.consent_withdraw, name="consent_withdraw"),
    # Outside professionals' involvement, their reports and advice.
    path("pupils/<int:pk>/involvement/", involvement.pupil_involvement, name="pupil_involvement"),
    path("pupils/<int:pk>/involvement/add/", involvement.involvement_add, name="involvement_add"),
    path("pupils/<int:pk>/reports/upload/", involvement.report_upload, name="report_upload"),
    path("reports/<int:report_pk>/", involvement.report_detail, name="report_detail"),
    path("reports/<int:report_pk>/download/", involvement.report_download, name="report_download"),
    path("reports/<int:report_pk>/health/", involvement.report_health, name="report_health"),
    path("reports/<int:report_pk>/advice/add/", involvement.advice_add, name="advice_add"),
    path("advice/<int:advice_pk>/take-up/", involvement.advice_action, name="advice_action"),
    path("advice/", involvement.advice_list, name="advice_list"),
    # EHC needs assessment requests and the LA's steps on their statutory clock.
    path("pupils/<int:pupil_pk>/ehc-requests/add/", assessments.ehc_request_add, name="ehc_request_add"),
    path("ehc-requests/<int:pk>/", assessments.ehc_request_detail, name="ehc_request_detail"),
    path("ehc-requests/<int:pk>/steps/<slug:step>/", assessments.ehc_request_step, name="ehc_request_step"),
    path("ehc-requests/<int:pk>/exemption/", assessments.ehc_request_exemption, name="ehc_request_exemption"),
    # EHC plans and their annual reviews.
    path("ehc-plans/", ehc_plans.ehc_plans_list, name="ehc_plans_list"),
    path("pupils/<int:pupil_pk>/ehc-plan/record/", ehc_plans.ehc_plans_record, name="ehc_plans_record"),
    path("ehc-plans/<int:pk>/", ehc_plans.ehc_plans_detail, name="ehc_plans_detail"),
    path("ehc-plans/<int:pk>/versions/<int:number>/", ehc_plans.ehc_plans_version, name="ehc_plans_version"),
    path("ehc-plans/<int:pk>/edit/", ehc_plans.ehc_plans_edit, name="ehc_plans_edit"),
    path("ehc-plans/<int:pk>/amend/", ehc_plans.ehc_plans_amend, name="ehc_plans_amend"),
    path(
        "ehc-plans/<int:pk>/reviews/new/",
        annual_reviews.annual_reviews_schedule,
        name="annual_reviews_schedule",
    ),
    path("annual-reviews/<int:pk>/", annual_reviews.annual_reviews_detail, name="annual_reviews_detail"),
    path("annual-reviews/<int:pk>/edit/", annual_reviews.annual_reviews_edit, name="annual_reviews_edit"),
    # Every statutory date of the school, and the evidence for an assessment request.
    path("statutory-calendar/", statutory_calendar.statutory_calendar_page, name="statutory_calendar"),
    path("pupils/<int:pk>/evidence-pack.pdf", evidence_pack.evidence_pack_pdf, name="evidence_pack_pdf"),
]
