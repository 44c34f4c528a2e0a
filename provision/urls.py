from django.urls import path

from provision.views import plans as plan_views

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
    path("reviews-due/", plan_views.reviews_due, name="reviews_due"),
]
