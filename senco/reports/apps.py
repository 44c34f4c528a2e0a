from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "senco.reports"
    label = "reports"
    verbose_name = "Dashboards and reports"
