from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "workforce.careers"
    label = "careers"
    verbose_name = "Early careers and retention"

    @property
    def navigation(self) -> list:
        from workforce.core.access import Capability

        # One entry: the careers pages reach each other through the areas at their top
        # (`workforce.careers.areas`).
        return [("Careers and retention", "careers:overview", Capability.VIEW_AGGREGATES)]

    @property
    def report_sections(self) -> list:
        from workforce.careers import report_exits
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
            ReportSection(
                report_exits.KEY,
                report_exits.TITLE,
                "The themes leavers gave in their exit interviews in the year to the report "
                "date, counted once per leaver under each theme.",
                report_exits.build,
                order=60,
            ),
        ]

    def ready(self) -> None:
        from workforce.careers import selectors_programmes, stability
        from workforce.careers.services_incentives import register_incentives

        selectors_programmes.register()
        stability.register()
        register_incentives()
        self._ready_exits()

    def _ready_exits(self) -> None:
        from auditlog.registry import auditlog

        from workforce.careers.models.exits import ExitInterview, ExitTheme
        from workforce.careers.services_exits import seed_new_authorities
        from workforce.core.access import register_team_rule, through_intervals
        from workforce.core.hooks import on_authorities_added
        from workforce.establishment.models import Engagement

        if not auditlog.contains(ExitTheme):
            auditlog.register(ExitTheme)
        if not auditlog.contains(ExitInterview):
            auditlog.register(ExitInterview, m2m_fields={"themes"})
        # An exit interview is about a person: it follows them like their leaving does.
        register_team_rule(
            ExitInterview,
            through_intervals(Engagement, link="worker", outer="worker_id", team="post__team_id"),
        )
        on_authorities_added(seed_new_authorities)
