"""Build the synthetic demo: `manage.py seed_demo --scale la --seed 1`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workforce.core.dates import day_text
from workforce.core.services import load_reference_data
from workforce.demo import generator


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today must be a date like 2025-09-30, not {value!r}.") from exc


class Command(BaseCommand):
    help = (
        "Build synthetic demo data with obviously invented people: the demo authority "
        f"({generator.DEMO_NAME}, code {generator.DEMO_CODE}) at scale team or la, or with real "
        "authorities' names and codes at region or england scale; plus one demo login per "
        "role. The same --seed and --today always build the same data. Run once on an empty "
        "database (`make demo` does, with --if-empty)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=generator.SCALES,
            default="la",
            help="team: 2 teams; la: one authority of about 200 FTE (default); region: about "
            "33 authorities; england: every authority in the reference list, about 36,000 FTE.",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the demo authority has already been built.",
        )
        parser.add_argument(
            "--establishment-only",
            action="store_true",
            help="Build teams, posts and people only, without other apps' demo data "
            "(caseloads, recruitment, careers).",
        )
        parser.add_argument(
            "--empty",
            action="store_true",
            help="Create the demo authority and its logins with no records at all: a new "
            "authority, to start from the demo authority's census return (import_csww).",
        )
        parser.add_argument(
            "--without-statistics",
            action="store_true",
            help="Leave out DfE's published statistics for benchmarking (quicker; tests).",
        )
        parser.add_argument(
            "--timings",
            metavar="PATH",
            default="",
            help="Also write the build's timings (seconds, per other app) to this JSON file.",
        )
        parser.add_argument(
            "--today",
            type=_day,
            default=None,
            help="The last day of the history, YYYY-MM-DD (default: today).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if generator.demo_authority_exists():
            if options["if_empty"]:
                self.stdout.write(
                    f"{generator.DEMO_NAME} is already built; nothing to do "
                    "(use a new database to build it again)."
                )
                return
            raise CommandError(
                f"{generator.DEMO_NAME} is already built in this database. Use --if-empty to "
                "keep it, or point DATABASE_URL at a new database."
            )
        today = options["today"] or dt.date.today()
        load_reference_data(published_statistics=not options["without_statistics"])
        if options["empty"]:
            authority = generator.create_empty_demo()
            self.stdout.write(
                f"Created {authority.name} (code {authority.code}) with no records, and its "
                "demo logins."
            )
            return
        try:
            report = generator.build(
                scale=options["scale"],
                seed=options["seed"],
                today=today,
                progress=lambda line: self.stdout.write(f"  {line}"),
                hooks=not options["establishment_only"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["timings"]:
            timings = {
                "seconds": round(report.seconds, 2),
                "other_apps": {k: round(v, 2) for k, v in report.hook_seconds.items()},
                "authorities": len(report.authorities),
                "engagements": report.rows("engagements"),
            }
            Path(options["timings"]).write_text(json.dumps(timings, indent=2))
        establishment = report.total("establishment")
        in_post = report.total("in_post")
        agency = report.total("agency")
        vacancy = report.total("vacancy")
        self.stdout.write(
            self.style.SUCCESS(
                f"Built the {report.scale} demo (seed {report.seed}, history to "
                f"{day_text(today)}) in {report.seconds:.1f} s: "
                f"{len(report.authorities)} authorities, {report.rows('teams')} teams, "
                f"{report.rows('posts')} posts, {report.rows('workers')} workers, "
                f"{report.rows('engagements')} engagements."
            )
        )
        if report.hook_seconds:
            parts = ", ".join(f"{name} {sec:.1f} s" for name, sec in report.hook_seconds.items())
            self.stdout.write(f"Of which other apps' demo data: {parts}.")
        self.stdout.write(
            f"Census-counted FTE at {day_text(today)}: establishment {establishment:.1f}, "
            f"in post {in_post:.1f}, agency {agency:.1f} "
            f"(agency rate {agency / max(agency + in_post, 1):.0%}), vacancy {vacancy:.1f} "
            f"(vacancy rate {vacancy / max(vacancy + in_post, 1):.0%})."
        )
