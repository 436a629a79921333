from django.apps import AppConfig


class ActionPlansConfig(AppConfig):
    name = "workforce.actionplans"
    label = "actionplans"
    verbose_name = "Action plans"

    @property
    def navigation(self) -> list:
        from workforce.core.access import Capability

        return [
            ("Action plans", "actionplans:plans", Capability.VIEW_AGGREGATES),
            ("My actions", "actionplans:my_actions", Capability.UPDATE_ACTIONS),
        ]

    @property
    def report_sections(self) -> list:
        from workforce.actionplans import report
        from workforce.reports.sections import ReportSection

        return [
            ReportSection(
                "actionplans.progress",
                "Action plans",
                "Each plan's actions by RAG status, progress since the last report, overdue "
                "actions with their reasons and the measures they are meant to move, as at the "
                "report date.",
                report.build,
                order=70,
            )
        ]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from workforce.actionplans import models as m

        for model in (m.Source, m.Recommendation, m.Action, m.Update, m.ActionMeasure):
            if not auditlog.contains(model):
                auditlog.register(model)
        if not auditlog.contains(m.Evidence):
            # The stored name is where the file is kept: not for the audit trail.
            auditlog.register(m.Evidence, exclude_fields=["stored_as"])
