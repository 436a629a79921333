from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "workforce.careers"
    label = "careers"
    verbose_name = "Early careers and retention"

    @property
    def navigation(self) -> list:
        from workforce.core.access import Capability

        return [("Early careers", "careers:programmes", Capability.VIEW_AGGREGATES)]

    def ready(self) -> None:
        from workforce.careers import selectors_programmes

        selectors_programmes.register()
