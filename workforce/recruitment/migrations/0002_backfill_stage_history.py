"""Every application's stage history reaches its current stage.

The progress figures answer as at a date from the stage history (`StageTransition`). The
services write a transition for every move, but an application recorded another way (a bulk
load, an edit outside the services) may have none, or a history that stops before its current
stage. This adds what the application itself records: the application on `applied_on`, the stage
it left from (for one that left the process) and its current stage on `stage_on`. The dates of
any stages in between are not known, so the application counts at its earlier known stage until
`stage_on`.
"""

from django.db import migrations
from django.db.models import F, OuterRef, Q, Subquery

EXITS = ("withdrawn", "rejected", "declined")


def backfill(apps, schema_editor):
    Application = apps.get_model("recruitment", "Application")
    StageTransition = apps.get_model("recruitment", "StageTransition")
    latest = StageTransition.objects.filter(application_id=OuterRef("pk")).order_by("-on", "-pk")
    behind = (
        Application.objects.annotate(
            last_stage=Subquery(latest.values("to_stage")[:1]),
            last_on=Subquery(latest.values("on")[:1]),
        )
        .filter(
            Q(last_stage__isnull=True) | Q(last_stage__lt=F("stage")) | Q(last_stage__gt=F("stage"))
        )
        .order_by("pk")
    )
    new = []
    for a in behind.iterator():
        previous, moves = a.last_stage, []
        if previous is None:
            moves.append(("", "applied", a.applied_on))
            previous = "applied"
        on = max(a.stage_on, a.last_on or a.stage_on)
        if a.stage in EXITS and a.exit_stage and a.exit_stage != previous:
            moves.append((previous, a.exit_stage, on))
            previous = a.exit_stage
        if a.stage != previous:
            moves.append((previous, a.stage, on))
        new += [
            StageTransition(
                application_id=a.pk,
                from_stage=from_stage,
                to_stage=to_stage,
                on=day,
                reason=a.exit_reason if to_stage in EXITS else "",
            )
            for from_stage, to_stage, day in moves
        ]
    StageTransition.objects.bulk_create(new, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0001_campaigns_applications_checks")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
