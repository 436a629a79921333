from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    name = "workforce.benchmarks"
    label = "benchmarks"
    verbose_name = "Benchmarks"

    @property
    def navigation(self) -> list:
        from workforce.core.access import Capability

        return [("Benchmarking", "benchmarks:compare", Capability.VIEW_AGGREGATES)]

    @property
    def report_sections(self) -> list:
        from workforce.benchmarks import report_compare
        from workforce.reports.sections import ReportSection

        return [
            ReportSection(
                report_compare.KEY,
                report_compare.TITLE,
                "The authority against its statistical neighbours and England for the key "
                "measures DfE publishes, in the latest year published.",
                report_compare.build,
                order=80,
            )
        ]

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
