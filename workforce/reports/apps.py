from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "workforce.reports"
    label = "reports"
    verbose_name = "Reports"

    @property
    def navigation(self) -> list:
        from workforce.core.access import Capability

        # Board members read issued board reports, so everyone with figures sees the menu.
        return [("Reports", "reports:list", Capability.VIEW_AGGREGATES)]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from workforce.reports.models import Report, ReportSectionChoice

        for model in (Report, ReportSectionChoice):
            if not auditlog.contains(model):
                auditlog.register(model)
