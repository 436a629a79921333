"""A small importer for the tests: a list of teams, one a line ("name, service area"), written
through the establishment's services."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from workforce.core.models import Authority
from workforce.establishment.models import Team
from workforce.establishment.services import create_team, update_team
from workforce.imports import base
from workforce.imports.base import Action, Importer, Outcome, Problem, Refused, Severity


class TeamsImporter(Importer):
    kind = "teams"
    title = "List of teams"
    description = "One team a line: its name, a comma, then its service area."
    extensions = (".csv", ".txt")
    max_bytes = 10_000

    def __init__(self) -> None:
        self.loads = 0  # how many times a file was read

    def load(self, data: bytes, authority: Authority, outcome: Outcome) -> None:
        self.loads += 1
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Refused(
                [Problem(Severity.ERROR, "The file is not text (UTF-8).", field="file")]
            ) from exc
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                self._line(authority, outcome, f"Line {number}", line)

    def _line(self, authority: Authority, outcome: Outcome, record: str, line: str) -> None:
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 2:
            outcome.error(
                "Give the team's name and its service area, separated by a comma.",
                record=record,
                field="line",
            )
            return
        name, area = parts
        team = Team.objects.filter(authority=authority, name__iexact=name).first()
        try:
            if team is None:
                create_team(authority=authority, name=name, service_area=area)
                outcome.add(Action.CREATE, "Team", name, area)
            elif team.service_area != area:
                update_team(team=team, name=team.name, service_area=area)
                outcome.add(Action.CHANGE, "Team", name, f"service area {area}")
            else:
                outcome.add(Action.MATCH, "Team", name)
        except ValidationError as refusal:
            for field, messages in refusal.message_dict.items():
                outcome.error(messages[0], record=record, field=field)
            return
        if area == "other":
            outcome.warn("The service area is Other: check the team's work.", record=record)


@pytest.fixture
def teams_importer(monkeypatch: Any) -> TeamsImporter:
    importer = TeamsImporter()
    monkeypatch.setitem(base._IMPORTERS, importer.kind, importer)
    return importer
