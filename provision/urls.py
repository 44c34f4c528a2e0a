from django.urls import path

from provision.views import budget as budget_views
from provision.views import groups as group_views
from provision.views import interventions as intervention_views
from provision.views import plans as plan_views
from provision.views import provision_map as map_views

app_name = "provision"

urlpatterns = []

# SEN support plans (APDR cycles) and reviews due.
urlpatterns += [
    path("pupils/<int:pupil_pk>/plans/", plan_views.plan_list, name="plan_list"),
    path("pupils/<int:pupil_pk>/plans/start/", plan_views.plan_start, name="plan_start"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plan_views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/finalise/", plan_views.plan_finalise, name="plan_finalise"),
    path("plans/<int:pk>/shared/", plan_views.plan_shared, name="plan_shared"),
    path("plans/<int:pk>/comment/", plan_views.plan_comment, name="plan_comment"),
    path("plans/<int:pk>/review/", plan_views.review_edit, name="review_edit"),
    path("plans/<int:pk>/review/close/", plan_views.review_close, name="review_close"),
    path("plans/<int:pk>/pdf/", plan_views.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/versions/<int:number>/", plan_views.plan_version, name="plan_version"),
    path("plans/<int:pk>/versions/<int:number>/pdf/", plan_views.plan_version_pdf, name="plan_version_pdf"),
    path("reviews-due/", plan_views.reviews_due, name="reviews_due"),
]

# Provision in practice: staff rates, the intervention catalogue, groups and the delivery log.
urlpatterns += [
    path("staff-rates/", intervention_views.staff_rates, name="staff_rates"),
    path("staff-rates/add/", intervention_views.staff_rate_add, name="staff_rate_add"),
    path("staff-rates/<int:pk>/edit/", intervention_views.staff_rate_edit, name="staff_rate_edit"),
    path("interventions/", intervention_views.interventions, name="interventions"),
    path("interventions/add/", intervention_views.intervention_add, name="intervention_add"),
    path("interventions/<int:pk>/", intervention_views.intervention_detail, name="intervention_detail"),
    path("interventions/<int:pk>/edit/", intervention_views.intervention_edit, name="intervention_edit"),
    path("groups/", group_views.groups, name="groups"),
    path("groups/add/", group_views.group_add, name="group_add"),
    path("groups/<int:pk>/", group_views.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", group_views.group_edit, name="group_edit"),
    path("groups/<int:pk>/pupils/add/", group_views.placement_add, name="placement_add"),
    path("groups/<int:pk>/sessions/add/", group_views.session_add, name="session_add"),
    path(
        "groups/<int:pk>/sessions/<int:session_pk>/correct/",
        group_views.session_correct,
        name="session_correct",
    ),
    path(
        "groups/<int:pk>/sessions/<int:session_pk>/delete/",
        group_views.session_delete,
        name="session_delete",
    ),
    path("placements/<int:pk>/end/", group_views.placement_end, name="placement_end"),
    path("placements/<int:pk>/measures/", group_views.placement_measures, name="placement_measures"),
    path("delivery/", group_views.delivery, name="delivery"),
]

# The provision map and its PDF, impact, each pupil's provision and the notional SEN budget.
urlpatterns += [
    path("map/", map_views.provision_map_page, name="map"),
    path("map/pdf/", map_views.map_pdf, name="map_pdf"),
    path("impact/", map_views.impact, name="impact"),
    path("pupils/<int:pk>/provision/", map_views.pupil_provision_page, name="pupil_provision"),
    path("budget/", budget_views.budget, name="budget"),
]
