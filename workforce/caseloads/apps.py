from django.apps import AppConfig


class CaseloadsConfig(AppConfig):
    name = "workforce.caseloads"
    label = "caseloads"
    verbose_name = "Caseloads"

    @property
    def navigation(self) -> list:
        from workforce.core.access import Capability

        return [("Caseloads", "caseloads:overview", Capability.VIEW_AGGREGATES)]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from workforce.caseloads import models as m
        from workforce.caseloads.components import register_caseload_measures

        register_caseload_measures()

        for model in (
            m.Case,
            m.CaseTeam,
            m.CaseCategory,
            m.Allocation,
            m.AsyePeriod,
            m.Supervision,
            m.Referral,
            m.WorkloadScheme,
            m.WorkloadWeight,
            m.SupervisionPolicy,
        ):
            if not auditlog.contains(model):
                auditlog.register(model)
