"""Exporting the census return: build, check against the schema, record in the history."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from workforce.census import rules
from workforce.census.models import CensusExport
from workforce.census.returns import build_return, to_xml, validate
from workforce.core.models import Authority, User


@dataclass
class Export:
    """A prepared return: the XML, the schema's complaints (`errors`), the business rules'
    findings (errors first, then warnings, each in file order) and the summary.
    `worker_ids[i]` is the Worker the file's (i + 1)th `CSWWWorker` was built from, which is
    how a finding's position leads to the person's record."""

    xml: bytes
    errors: list[str]
    summary: dict
    findings: list[rules.Finding] = field(default_factory=list)
    worker_ids: list[int | None] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.xml).hexdigest()

    @property
    def rule_errors(self) -> list[rules.Finding]:
        return rules.errors(self.findings)

    @property
    def rule_warnings(self) -> list[rules.Finding]:
        return rules.warnings(self.findings)

    @property
    def blocked(self) -> bool:
        """Errors, from the schema or the business rules, stop the download; warnings do not."""
        return bool(self.errors or self.rule_errors)

    def worker_id(self, finding: rules.Finding) -> int | None:
        """The Worker a finding is about, or None for a finding about the whole file."""
        if finding.worker is None or not 1 <= finding.worker <= len(self.worker_ids):
            return None
        return self.worker_ids[finding.worker - 1]


def _errors_first(findings: list[rules.Finding]) -> list[rules.Finding]:
    return sorted(findings, key=lambda f: f.severity != rules.Severity.ERROR)


def prepare(authority: Authority, year: int, *, now: dt.datetime) -> Export:
    """The return's XML for the year, the schema's complaints about it, the business rules'
    findings and its summary (with the numbers of rule errors and warnings)."""
    ret = build_return(authority, year)
    xml = to_xml(ret, now=now)
    worker_ids = [r.worker_id for r in ret.workers]
    summary = ret.summary()
    if not ret.workers:
        nobody = (
            "There is no one to return: no one was in post, started or left in a census-counted "
            f"role in the year to 30 September {year}."
        )
        summary.update(errors=0, warnings=0)
        return Export(xml=xml, errors=[nobody], summary=summary, worker_ids=worker_ids)
    findings = _errors_first(rules.validate(xml, year))
    summary.update(errors=len(rules.errors(findings)), warnings=len(rules.warnings(findings)))
    return Export(
        xml=xml,
        errors=validate(xml),
        summary=summary,
        findings=findings,
        worker_ids=worker_ids,
    )


@transaction.atomic
def record_export(
    authority: Authority, year: int, *, user: User, now: dt.datetime
) -> tuple[Export, CensusExport]:
    """Build the return and record its download; refused while the schema or the business
    rules find errors (warnings do not stop it)."""
    export = prepare(authority, year, now=now)
    if export.errors:
        raise ValidationError({"year": "The return has problems: correct those listed first."})
    if export.rule_errors:
        found = len(export.rule_errors)
        raise ValidationError(
            {
                "year": f"The return cannot be downloaded: the checks found {found} "
                f"error{'s' if found != 1 else ''}. Correct the records listed first."
            }
        )
    entry = CensusExport.objects.create(
        authority=authority,
        year=year,
        exported_by=user,
        sha256=export.sha256,
        summary=export.summary,
    )
    return export, entry
