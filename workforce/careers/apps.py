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
            ("Progression", "careers:progression", Capability.VIEW_PEOPLE),
            ("Incentives", "careers:incentive_costs", Capability.VIEW_AGGREGATES),
            ("Learning", "careers:learning", Capability.VIEW_AGGREGATES),
        ]

    def ready(self) -> None:
        from workforce.careers import selectors_programmes
        from workforce.careers.services_incentives import register_incentives

        selectors_programmes.register()
        register_incentives()
