from django.apps import AppConfig


class EstablishmentConfig(AppConfig):
    name = "workforce.establishment"
    label = "establishment"
    verbose_name = "Establishment"

    @property
    def navigation(self) -> list:
        from workforce.core.access import Capability

        return [
            ("Establishment", "establishment:table", Capability.VIEW_AGGREGATES),
            ("Teams", "establishment:teams", Capability.VIEW_AGGREGATES),
            ("People", "establishment:workers", Capability.VIEW_PEOPLE),
        ]

    def ready(self) -> None:
        from workforce.establishment import audit

        audit.register_models()
