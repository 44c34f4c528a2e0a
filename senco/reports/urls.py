from django.urls import path

from senco.reports import views

urlpatterns = [
    path("", views.home, name="home"),
]
