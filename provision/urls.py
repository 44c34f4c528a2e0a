from django.urls import path

from provision.views import budget, delivery, groups, impact, interventions, plans, provision_map

app_name = "provision"

urlpatterns = []

# SEN support plans (APDR cycles) and reviews due.
urlpatterns += [
    path("pupils/<int:pupil_pk>/plans/", plans.plan_list, name="plan_list"),
    path("pupils/<int:pupil_pk>/plans/start/", plans.plan_start, name="plan_start"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/finalise/", plans.plan_finalise, name="plan_finalise"),
    path("plans/<int:pk>/shared/", plans.plan_shared, name="plan_shared"),
    path("plans/<int:pk>/comment/", plans.plan_comment, name="plan_comment"),
    path("plans/<int:pk>/review/", plans.review_edit, name="review_edit"),
    path("plans/<int:pk>/review/close/", plans.review_close, name="review_close"),
    path("plans/<int:pk>/pdf/", plans.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/versions/<int:number>/", plans.plan_version, name="plan_version"),
    path("plans/<int:pk>/versions/<int:number>/pdf/", plans.plan_version_pdf, name="plan_version_pdf"),
    path("reviews-due/", plans.reviews_due, name="reviews_due"),
]

# Provision in practice: staff rates, the intervention catalogue, groups and the delivery log.
urlpatterns += [
    path("staff-rates/", interventions.staff_rates, name="staff_rates"),
    path("staff-rates/add/", interventions.staff_rate_add, name="staff_rate_add"),
    path("staff-rates/<int:pk>/edit/", interventions.staff_rate_edit, name="staff_rate_edit"),
    path("staff-rates/staff/<int:pk>/", interventions.staff_member_rate, name="staff_member_rate"),
    path("interventions/", interventions.interventions, name="interventions"),
    path("interventions/add/", interventions.intervention_add, name="intervention_add"),
    path("interventions/<int:pk>/", interventions.intervention_detail, name="intervention_detail"),
    path("interventions/<int:pk>/edit/", interventions.intervention_edit, name="intervention_edit"),
    path("groups/", groups.groups, name="groups"),
    path("groups/add/", groups.group_add, name="group_add"),
    path("groups/<int:pk>/", groups.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", groups.group_edit, name="group_edit"),
    path("groups/<int:pk>/pupils/add/", groups.placement_add, name="placement_add"),
    path("groups/<int:pk>/scores/", groups.group_scores, name="group_scores"),
    path("groups/<int:pk>/sessions/add/", delivery.session_add, name="session_add"),
    path(
        "groups/<int:pk>/sessions/<int:session_pk>/correct/",
        delivery.session_correct,
        name="session_correct",
    ),
    path(
        "groups/<int:pk>/sessions/<int:session_pk>/delete/",
        delivery.session_delete,
        name="session_delete",
    ),
    path("placements/<int:pk>/end/", groups.placement_end, name="placement_end"),
    path("placements/<int:pk>/measures/", groups.placement_measures, name="placement_measures"),
    path("delivery/", delivery.delivery, name="delivery"),
]

# The provision map and its PDF, impact, each pupil's provision and the notional SEN budget.
urlpatterns += [
    path("map/", provision_map.provision_map_page, name="map"),
    path("map/pdf/", provision_map.map_pdf, name="map_pdf"),
    path("impact/", impact.impact, name="impact"),
    path("pupils/<int:pk>/provision/", provision_map.pupil_provision_page, name="pupil_provision"),
    path("budget/", budget.budget, name="budget"),
    path("budget/financial-year/", budget.financial_year_start, name="financial_year_start"),
    path("budget/spend/add/", budget.spend_add, name="spend_add"),
    path("budget/spend/<int:pk>/", budget.spend_edit, name="spend_edit"),
    path("budget/spend/<int:pk>/remove/", budget.spend_remove, name="spend_remove"),
    path("budget/top-ups/add/", budget.top_up_add, name="top_up_add"),
    path("budget/top-ups/<int:pk>/", budget.top_up_edit, name="top_up_edit"),
    path("budget/top-ups/<int:pk>/remove/", budget.top_up_remove, name="top_up_remove"),
]
