"""Write a board or committee workforce report of one authority to a Word or PDF file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from workforce.core.access import Scope
from workforce.core.models import Authority, User, UserRole
from workforce.reports import render, services
from workforce.reports.document import AUDIENCE_LABELS, Audience
from workforce.reports.sections import report_sections

FORMATS = ("docx", "pdf")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date must be a date like 2025-03-31, not {value!r}.") from exc


def _audience(value: str) -> Audience:
    try:
        return Audience(value)
    except ValueError as exc:
        known = ", ".join(f"{a.value} ({AUDIENCE_LABELS[a].lower()})" for a in Audience)
        raise CommandError(f"--audience must be one of {known}; not {value!r}.") from exc


def _authority(code: str | None) -> Authority:
    if code is None:
        authorities = list(Authority.objects.all()[:2])
        if len(authorities) != 1:
            raise CommandError(
                "--authority: give the authority's DfE LA code, for example 999"
                + (" (there is more than one authority)." if authorities else ".")
            )
        return authorities[0]
    authority = Authority.objects.filter(code=code).first()
    if authority is None:
        raise CommandError(f"--authority: there is no authority with the code {code!r}.")
    return authority


def system_scope(authority: Authority) -> Scope:
    """The whole authority, as a report for a board is built: no team limit."""
    user = User(username="board_report", role=UserRole.ADMIN, authority=authority)
    return Scope(
        user=user, authority=authority, authority_ids=frozenset({authority.pk}), team_ids=None
    )


class Command(BaseCommand):
    help = (
        "Write a workforce report for a board or committee (or internal management) at a date, "
        "as Word (docx) or PDF, with the default sections or those given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", required=True, help="Report date, for example 2025-03-31.")
        parser.add_argument(
            "--audience",
            required=True,
            help="scrutiny_board, improvement_board, employment_committee or internal.",
        )
        parser.add_argument("--format", required=True, help="docx or pdf.")
        parser.add_argument("--out", required=True, help="The file to write.")
        parser.add_argument("--authority", help="DfE LA code (needed if there are several).")
        parser.add_argument(
            "--sections", help="Section keys in order, separated by commas (default: standard)."
        )
        parser.add_argument("--title", help="The report's title.")
        parser.add_argument("--author", default="", help="Who the report is by.")

    def handle(self, *args: Any, **options: Any) -> None:
        report_date = _date(options["date"])
        audience = _audience(options["audience"])
        fmt = options["format"]
        if fmt not in FORMATS:
            raise CommandError(f"--format must be docx or pdf, not {fmt!r}.")
        out = Path(options["out"])
        if out.is_dir() or not out.parent.is_dir():
            raise CommandError(f"--out: cannot write a file at {out} (is the folder there?).")
        authority = _authority(options["authority"])
        offered = report_sections(audience)
        if options["sections"]:
            keys = [k.strip() for k in options["sections"].split(",") if k.strip()]
            known = {s.key for s in offered}
            unknown = [k for k in keys if k not in known]
            if unknown:
                listed = ", ".join(sorted(known)) or "none"
                raise CommandError(
                    f"--sections: there is no section {unknown[0]!r} for a "
                    f"{AUDIENCE_LABELS[audience].lower()} report. Sections: {listed}."
                )
        else:
            keys = [s.key for s in offered if s.default]
        comparison_date = services.year_earlier(report_date)
        try:
            services.check_dates(
                authority, report_date, comparison_date, today=timezone.localdate()
            )
        except ValidationError as refusal:
            raise CommandError(f"--date: {' '.join(refusal.messages)}") from refusal
        document = services.compose_document(
            system_scope(authority),
            title=options["title"]
            or f"{authority.name} children's social work workforce: "
            f"{report_date.day} {report_date:%B %Y}",
            audience=audience,
            report_date=report_date,
            comparison_date=comparison_date,
            author=options["author"],
            protective_marking="",
            chosen=[(k, "") for k in keys],
        )
        content = getattr(render, fmt)(document)
        try:
            out.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"--out: cannot write {out}: {exc.strerror}.") from exc
        self.stdout.write(
            f"Wrote {out}: {AUDIENCE_LABELS[audience].lower()} report for {authority.name} at "
            f"{report_date.isoformat()}, {len(document.sections)} sections."
        )
