from django.urls import path

from agencies.views import annual_reviews, ehc_plans

app_name = "agencies"

urlpatterns = []

# EHC plans and annual reviews ------------------------------------------------------------------
urlpatterns += [
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
]
