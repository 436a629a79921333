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

    @property
    def report_sections(self) -> list:
        from workforce.establishment import report
        from workforce.reports.sections import ReportSection

        return [
            ReportSection(
                "establishment.table",
                "Establishment",
                "The establishment table by role: budgeted FTE, permanent, agency, vacant and "
                "(over)/under establishment, reconciled.",
                report.build,
                order=30,
            )
        ]

    def ready(self) -> None:
        from workforce.core.access import register_team_rule, through_intervals
        from workforce.establishment import audit, measures
        from workforce.establishment.models import Absence, Engagement, Leaving, Worker

        audit.register_models()
        self._register_importers()
        measures.register_establishment_measures()
        # A person belongs to a team through their engagements in its posts; what is recorded
        # about them (absences, leavings) follows the person.
        in_team = {"link": "worker", "team": "post__team_id"}
        register_team_rule(Worker, through_intervals(Engagement, **in_team))
        for about_a_person in (Absence, Leaving):
            register_team_rule(
                about_a_person, through_intervals(Engagement, outer="worker_id", **in_team)
            )

    def _register_importers(self) -> None:
        from workforce.establishment.importers import (
            AGENCY_COVER_LIST,
            CONTRACT_LIST,
            CONTRACTS,
            COVERS,
            SERVICE_AREA_LIST,
            AbsenceImporter,
            AgencyImporter,
            EstablishmentImporter,
            LeaverImporter,
            StaffImporter,
        )
        from workforce.establishment.models import ServiceArea
        from workforce.imports.base import register_importer
        from workforce.imports.mappings import register_code_list

        register_importer(EstablishmentImporter())
        register_importer(StaffImporter())
        register_importer(AgencyImporter())
        register_importer(LeaverImporter())
        register_importer(AbsenceImporter())
        register_code_list(SERVICE_AREA_LIST, "Service area", dict(ServiceArea.choices))
        register_code_list(CONTRACT_LIST, "Contract type", CONTRACTS)
        register_code_list(AGENCY_COVER_LIST, "Agency cover", COVERS)
