from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "workforce.recruitment"
    label = "recruitment"
    verbose_name = "Recruitment"

    @property
    def navigation(self) -> list:
        from workforce.core.access import Capability

        return [
            ("Recruitment", "recruitment:campaigns", Capability.VIEW_AGGREGATES),
            ("My tasks", "recruitment:my_tasks", Capability.MANAGE_RECRUITMENT),
        ]

    @property
    def report_sections(self) -> list:
        from workforce.recruitment import report
        from workforce.reports.sections import ReportSection

        return [
            ReportSection(
                "recruitment.progress",
                "Recruitment",
                "Recruitment against target by strand and role, and offers by role, as at the "
                "report date.",
                report.build,
                order=40,
            )
        ]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from workforce.core.access import register_team_rule
        from workforce.recruitment import models as m
        from workforce.recruitment.selectors import in_teams

        # An application belongs to its allocated post's team, or while none is allocated to
        # the teams of the posts its vacancy fills.
        register_team_rule(m.Application, lambda team_ids, today: in_teams(team_ids))

        for model in (
            m.Campaign,
            m.Strand,
            m.StrandTarget,
            m.Vacancy,
            m.Candidate,
            m.Application,
            m.StageTransition,
            m.Check,
            m.Offer,
            m.Task,
        ):
            if not auditlog.contains(model):
                auditlog.register(model)
        if not auditlog.contains(m.RequiredCheckRule):
            auditlog.register(m.RequiredCheckRule, m2m_fields={"roles"})
        from workforce.core.hooks import on_authorities_added
        from workforce.recruitment.backload import register_importer
        from workforce.recruitment.checks import seed_new_authorities

        on_authorities_added(seed_new_authorities)
        register_importer()

        from workforce.recruitment.figures import register_recruitment_figures

        register_recruitment_figures()
