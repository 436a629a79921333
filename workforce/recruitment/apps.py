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

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from workforce.recruitment import models as m

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

        from workforce.recruitment.figures import register_recruitment_figures

        register_recruitment_figures()
