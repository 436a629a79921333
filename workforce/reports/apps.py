from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "workforce.reports"
    label = "reports"
    verbose_name = "Reports"
