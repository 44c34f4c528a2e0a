from django.urls import path

from pupils import views

app_name = "pupils"

urlpatterns = [
    path("<int:pk>/", views.pupil_detail, name="detail"),
]
