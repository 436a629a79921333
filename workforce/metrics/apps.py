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

    @property
    def report_sections(self) -> list:
        from workforce.metrics import report
        from workforce.reports.sections import ReportSection

        return [
            ReportSection(
                "metrics.headline",
                "Headline figures",
                "The dashboard's headline figures with their targets, status and change since "
                "the comparison date.",
                report.build_headline,
                order=10,
            ),
            ReportSection(
                "metrics.trends",
                "Trends",
                "The dashboard's charts over three years, each with its figures in a table.",
                report.build_trends,
                order=20,
            ),
            ReportSection(
                "metrics.teams",
                "Figures by team",
                "The main figures for each team (internal reports only).",
                report.build_teams,
                order=90,
                internal_only=True,
            ),
        ]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from workforce.metrics.models import Target

        if not auditlog.contains(Target):
            auditlog.register(Target)
