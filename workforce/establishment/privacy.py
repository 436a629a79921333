"""A person's data: everything held about one person (a subject access export), and the
retention policy that pseudonymises leavers a number of years after they left.

Both find a person's records the same way, so neither misses an app: every model with a
foreign key to Worker, in whatever app, is one of "their records". A new app that records
something about people is included without a change here.

Pseudonymising keeps every figure: it removes names, the staff and Social Work England numbers,
the date of birth and the qualifying institution from the person, empties the free text of
their records (exit notes, interview notes, reasons written about them), and removes the same
values from the audit trail's copies and from the record of reads. Codes the figures and the
census counts use (gender, ethnicity, qualification level and date, route), dates of
engagements, leavings and absences are kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Max, Q

from workforce.core.dates import years_before
from workforce.core.exports import defuse
from workforce.core.models import Authority, PersonalDataAccess
from workforce.establishment.models import Engagement, Worker

# Worker fields that identify the person; the other fields are codes the figures count.
IDENTIFYING = ("first_name", "last_name", "staff_number", "swe_number", "date_of_birth")
ALSO_REMOVED = ("qual_institution",)
REMOVED = "[removed under the retention policy]"


def retention_years() -> int:
    return int(getattr(settings, "LEAVER_RETENTION_YEARS", 6))


def linked_models() -> Iterator[tuple[type[models.Model], str]]:
    """Every (model, field name) whose foreign key points at Worker, across all apps."""
    for rel in Worker._meta.get_fields(include_hidden=True):
        if isinstance(rel, models.ForeignObjectRel) and (rel.one_to_many or rel.one_to_one):
            yield rel.related_model, rel.field.name  # type: ignore[misc]


def _about_children(f: models.Field) -> bool:
    """A link to a child's case: a child is never part of a worker's own data."""
    target = getattr(f, "related_model", None)
    if target is None:
        return False
    return any(g.name == "child_ref" for g in target._meta.get_fields())


def _value(obj: models.Model, f: models.Field) -> Any:
    if f.choices:
        return getattr(obj, f"get_{f.name}_display")()
    value = getattr(obj, f.attname)
    if f.is_relation:
        target = getattr(obj, f.name)
        return "" if target is None else str(target)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, list | dict):
        return str(value)
    return value


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def _section(title: str, queryset: models.QuerySet, skip: str = "") -> Section:
    model = queryset.model
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.name not in {skip, "authority"} and not _about_children(f)
    ]
    section = Section(title, [str(f.verbose_name).capitalize() for f in fields])
    for obj in queryset.order_by("pk"):
        section.rows.append([_value(obj, f) for f in fields])
    return section


def subject_access(worker: Worker) -> list[Section]:
    """Everything held about one person: their record, every record about them in any app,
    the changes to those in the audit trail, and who has read their record."""
    sections = [_section("Person", Worker.objects.filter(pk=worker.pk))]
    entries = Q(content_type=ContentType.objects.get_for_model(Worker), object_pk=str(worker.pk))
    for model, fk in sorted(linked_models(), key=lambda m: m[0]._meta.label):
        rows = model._default_manager.filter(**{fk: worker})
        if not rows.exists():
            continue
        title = str(model._meta.verbose_name_plural).capitalize()
        sections.append(_section(title, rows, skip=fk))
        entries |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_pk__in=[str(pk) for pk in rows.values_list("pk", flat=True)],
        )
    trail = Section("Changes recorded", ["When", "Who", "Action", "Record", "Changes"])
    for e in LogEntry.objects.filter(entries).select_related("actor").order_by("timestamp", "pk"):
        trail.rows.append(
            [
                e.timestamp.replace(tzinfo=None),
                str(e.actor or "System"),
                e.get_action_display(),
                e.object_repr,
                str(e.changes),
            ]
        )
    sections.append(trail)
    reads = Section("Who read this record", ["When", "Who", "What", "Page"])
    for r in PersonalDataAccess.objects.filter(
        record_type=Worker._meta.label_lower, record_id=worker.pk
    ).select_related("user"):
        reads.rows.append([r.at.replace(tzinfo=None), str(r.user), r.get_action_display(), r.path])
    sections.append(reads)
    return sections


def subject_access_xlsx(worker: Worker) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for section in subject_access(worker):
        sheet = book.create_sheet(section.title[:31])
        sheet.append(section.columns)
        for row in section.rows:
            sheet.append([defuse(v) for v in row])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


# Retention ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    worker_id: int
    last_day: dt.date


def due_for_pseudonymising(authority: Authority, *, today: dt.date) -> list[Due]:
    """People with no open engagement whose last engagement ended more than the retention
    period ago, and who still carry their details."""
    cutoff = years_before(today, retention_years())
    open_ones = Engagement.objects.filter(authority=authority, end__isnull=True).values("worker_id")
    rows = (
        Engagement.objects.filter(authority=authority)
        .exclude(worker_id__in=open_ones)
        .values("worker_id")
        .annotate(last=Max("end"))
        .filter(last__lte=cutoff)
        .exclude(worker__pseudonymised_on__isnull=False)
        .order_by("last", "worker_id")
    )
    return [Due(r["worker_id"], r["last"] - dt.timedelta(days=1)) for r in rows]


def _text_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.TextField)]


@transaction.atomic
def pseudonymise(authority: Authority, *, today: dt.date, dry_run: bool = False) -> list[Due]:
    """Apply the retention policy: the people due lose what identifies them; figures stay.

    Done with set-based updates, so it adds no audit entries of its own beyond one per person
    saying the policy was applied (the audit trail would otherwise keep the removed values).
    """
    due = due_for_pseudonymising(authority, today=today)
    if dry_run or not due:
        return due
    ids = [d.worker_id for d in due]
    worker_type = ContentType.objects.get_for_model(Worker)
    for worker in Worker.objects.filter(pk__in=ids):
        Worker.objects.filter(pk=worker.pk).update(
            first_name="Former",
            last_name=f"worker {worker.pk}",
            staff_number=f"P{worker.pk}",
            swe_number="",
            date_of_birth=None,
            qual_institution="",
            pseudonymised_on=today,
        )
        _scrub_trail(
            worker_type, [worker.pk], IDENTIFYING + ALSO_REMOVED, f"Former worker {worker.pk}"
        )
    for model, fk in linked_models():
        texts = _text_fields(model)
        rows = model._default_manager.filter(**{f"{fk}__in": ids})
        pks = list(rows.values_list("pk", flat=True))
        if not pks:
            continue
        if texts:
            rows.update(**{name: "" for name in texts})
        _scrub_trail(ContentType.objects.get_for_model(model), pks, tuple(texts), None)
    PersonalDataAccess.objects.filter(
        record_type=Worker._meta.label_lower, record_id__in=ids
    ).update(description="Worker: a former worker (details removed)")
    for worker in Worker.objects.filter(pk__in=ids):
        LogEntry.objects.log_create(
            worker,
            force_log=True,
            action=LogEntry.Action.UPDATE,
            changes={"retention policy": ["personal details held", "removed"]},
        )
    return due


def _scrub_trail(
    content_type: ContentType, pks: list[int], names: tuple[str, ...], new_repr: str | None
) -> None:
    entries = LogEntry.objects.filter(
        content_type=content_type, object_pk__in=[str(p) for p in pks]
    )
    for entry in entries:
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        scrubbed = {k: ([REMOVED, REMOVED] if k in names else v) for k, v in changes.items()}
        repr_ = new_repr if new_repr is not None else f"{content_type.name} {entry.object_pk}"
        LogEntry.objects.filter(pk=entry.pk).update(
            changes=scrubbed, object_repr=repr_, changes_text="", serialized_data=None
        )
