from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "workforce.metrics"
    label = "metrics"
    verbose_name = "Metrics"

    @property
    def navigation(self) -> list:
        from workforce.core.access import Capability

        return [("Dashboard", "metrics:dashboard", Capability.VIEW_AGGREGATES)]

    @property
    def home_panels(self) -> list:
        from workforce.metrics.home import headline_panel

        return [headline_panel]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from workforce.metrics.models import Target

        if not auditlog.contains(Target):
            auditlog.register(Target)
