from django.apps import AppConfig


class CensusConfig(AppConfig):
    name = "workforce.census"
    label = "census"
    verbose_name = "Census return"

    @property
    def navigation(self) -> list:
        from workforce.core.access import Capability

        return [("Census return", "census:export", Capability.MANAGE_PEOPLE)]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from workforce.census.models import CensusExport

        if not auditlog.contains(CensusExport):
            auditlog.register(CensusExport)
