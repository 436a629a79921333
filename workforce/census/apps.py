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

        from workforce.census.importer import CSWWImporter
        from workforce.census.models import CensusExport, CensusSnapshot, CensusSnapshotWorker
        from workforce.imports.base import register_importer

        for model in (CensusExport, CensusSnapshot, CensusSnapshotWorker):
            if not auditlog.contains(model):
                auditlog.register(model)
        register_importer(CSWWImporter())
