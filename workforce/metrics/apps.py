from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "workforce.metrics"
    label = "metrics"
    verbose_name = "Metrics"

    @property
    def navigation(self) -> list:
        from workforce.core.access import Capability

        return [
            ("Dashboard", "metrics:dashboard", Capability.VIEW_AGGREGATES),
            ("Leavings to record", "metrics:ended_without_leaving", Capability.MANAGE_PEOPLE),
        ]

    @property
    def home_panels(self) -> list:
        from workforce.metrics.home import headline_panel, leavings_panel

        return [leavings_panel, headline_panel]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from workforce.metrics.models import Target

        if not auditlog.contains(Target):
            auditlog.register(Target)
