from django.urls import path

from transitions.views import adulthood, transition_plans

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
]
