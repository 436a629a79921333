from django.apps import AppConfig


class CaseloadsConfig(AppConfig):
    name = "workforce.caseloads"
    label = "caseloads"
    verbose_name = "Caseloads"

    @property
    def navigation(self) -> list:
        from workforce.core.access import Capability

        return [("Caseloads", "caseloads:overview", Capability.VIEW_AGGREGATES)]

    @property
    def report_sections(self) -> list:
        from workforce.caseloads import report
        from workforce.reports.sections import ReportSection

        return [
            ReportSection(
                "caseloads.caseloads",
                "Caseloads",
                "Average caseload, unallocated cases, children in care with three or more "
                "social workers, and supervision compliance.",
                report.build_caseloads,
                order=50,
            ),
            ReportSection(
                "caseloads.demand",
                "Demand",
                "Referrals in the 12 months to the report date and how far they went: "
                "assessment, plan, no further action.",
                report.build_demand,
                order=60,
            ),
        ]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from workforce.caseloads import case_import
        from workforce.caseloads import models as m
        from workforce.caseloads.components import register_caseload_measures
        from workforce.caseloads.services import end_allocations_of_leaver
        from workforce.core import hooks

        register_caseload_measures()
        case_import.register()
        _register_team_rules()
        _register_importers()
        # Recording a leaver ends their case allocations, without establishment importing us.
        hooks.on_leaver_recorded(end_allocations_of_leaver)

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


def _register_team_rules() -> None:
    """Cases belong to a team through their team spells; ASYE and supervision follow the person."""
    from workforce.caseloads import models as m
    from workforce.core.access import register_team_rule, through_intervals
    from workforce.establishment.models import Engagement

    register_team_rule(m.Case, through_intervals(m.CaseTeam, link="case", closed_with="end"))
    register_team_rule(
        m.Allocation,
        through_intervals(m.CaseTeam, link="case", outer="case_id", closed_with="case__end"),
    )
    for about_a_person in (m.AsyePeriod, m.Supervision):
        register_team_rule(
            about_a_person,
            through_intervals(Engagement, link="worker", outer="worker_id", team="post__team_id"),
        )


def _register_importers() -> None:
    """Case-system extracts: referrals, and supervision sessions."""
    from workforce.caseloads.importers import (
        REFERRAL_OUTCOME_LIST,
        REFERRAL_OUTCOMES,
        ReferralsImporter,
        SupervisionImporter,
    )
    from workforce.imports.base import register_importer
    from workforce.imports.mappings import register_code_list

    register_importer(ReferralsImporter())
    register_importer(SupervisionImporter())
    register_code_list(REFERRAL_OUTCOME_LIST, "Referral outcome", REFERRAL_OUTCOMES)
