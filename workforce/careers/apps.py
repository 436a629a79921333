from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "workforce.careers"
    label = "careers"
    verbose_name = "Early careers and retention"

    @property
    def navigation(self) -> list:
        from workforce.core.access import Capability

        return [
            ("Early careers", "careers:programmes", Capability.VIEW_AGGREGATES),
            ("Retention", "careers:retention", Capability.VIEW_AGGREGATES),
        ]

    @property
    def report_sections(self) -> list:
        from workforce.careers.report_retention import build
        from workforce.reports.sections import ReportSection

        return [
            ReportSection(
                "careers.retention",
                "Retention",
                "How long people stay: retention by starting year and qualification route, "
                "turnover by length of service, and the stability index.",
                build,
                order=45,
            ),
        ]

    def ready(self) -> None:
        from workforce.careers import selectors_programmes, stability

        selectors_programmes.register()
        stability.register()
