from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "workforce.imports"
    label = "imports"
    verbose_name = "Imports"

    @property
    def navigation(self) -> list:
        from workforce.core.access import Capability

        return [("Imports", "imports:index", Capability.IMPORT_DATA)]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from workforce.imports import changes
        from workforce.imports.models import CodeMapping, ColumnMapping, ImportRun

        changes.connect()

        if not auditlog.contains(ImportRun):
            auditlog.register(ImportRun, exclude_fields=["data"])
        for model in (ColumnMapping, CodeMapping):
            if not auditlog.contains(model):
                auditlog.register(model)
