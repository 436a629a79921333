from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "workforce.metrics"
    label = "metrics"
    verbose_name = "Metrics"
    navigation: list = []
