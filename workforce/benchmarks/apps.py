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
        from workforce.benchmarks import report_compare, report_pay
        from workforce.reports.sections import ReportSection

        return [
            ReportSection(
                report_pay.KEY,
                report_pay.TITLE,
                "The authority's salary ranges by role beside those of comparator authorities, "
                "with the comparators' median and the date and source of each entry.",
                report_pay.build,
                order=65,
            ),
            ReportSection(
                report_compare.KEY,
                report_compare.TITLE,
                "The authority against its statistical neighbours and England for the key "
                "measures DfE publishes, in the latest year published.",
                report_compare.build,
                order=80,
            ),
        ]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from workforce.benchmarks import models as m
        from workforce.benchmarks.services import register_reference_data

        register_reference_data()
        # Published statistics are public and written only by loading DfE's files; the groups
        # an authority defines and its pay records are its own.
        for model in (m.ComparatorGroup, m.ComparatorGroupMember, m.PayGrade, m.ComparatorPay):
            if not auditlog.contains(model):
                auditlog.register(model)
