from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    name = "workforce.benchmarks"
    label = "benchmarks"
    verbose_name = "Benchmarks"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from workforce.benchmarks import models as m
        from workforce.benchmarks.services import register_reference_data

        register_reference_data()
        # Published statistics are public and written only by loading DfE's files; the groups
        # an authority defines are its own records.
        for model in (m.ComparatorGroup, m.ComparatorGroupMember):
            if not auditlog.contains(model):
                auditlog.register(model)
