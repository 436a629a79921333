"""What an import changed, recorded as it changes it, so that the last import of a kind can be
undone.

While a file is imported (`recording(run)`), every record of the system's own apps that is
created, changed or deleted through the ORM (the services do so) is written down as an
`ImportChange`, in order, with the values it held before. Importers that write many rows at
once in SQL say what they wrote with `created_sql` and `changed_sql`. The changes are written
in the import's transaction: an import refused or rolled back leaves none.

Undoing (`undo`) walks the changes backwards: a record the import changed gets back the values
it held before, one it deleted is put back, and one it created is deleted. Each step is a save
or a delete through the ORM, so the audit trail records it with the person who undid the
import. It is refused, before anything is changed, when it is not the last import of its kind,
or when a record it wrote has been changed since by someone or something else (the audit trail
says so): undoing it then would undo their work too. And if undoing would delete anything the
import did not create (a case allocated by hand to a case the import created), nothing is
undone.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import groupby
from typing import Any

from auditlog.cid import correlation_id
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.functions import Cast
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from workforce.core import progress
from workforce.core.models import User
from workforce.imports.models import ChangeAction, ImportChange, ImportRun, ImportStatus

_recording: ContextVar[ImportRun | None] = ContextVar("import_recording", default=None)

# Records of these are the framework's own bookkeeping, never undone.
NOT_RECORDED = {"imports", "auditlog", "contenttypes", "sessions", "django_tasks_database"}
NOT_RECORDED_MODELS = {("core", "progress")}
BATCH = 2000


def correlation(run: ImportRun) -> str:
    """The audit trail's correlation id for what an import wrote."""
    return f"import-{run.pk}"


@contextmanager
def recording(run: ImportRun) -> Iterator[None]:
    """Write down every change made inside, as changes of `run`; the audit trail's entries
    carry the run's correlation id."""
    token = _recording.set(run)
    try:
        with _correlated(correlation(run)):
            yield
    finally:
        _recording.reset(token)


@contextmanager
def _correlated(cid: str) -> Iterator[None]:
    """The audit trail's entries written inside carry `cid`."""
    token = correlation_id.set(cid)
    try:
        yield
    finally:
        correlation_id.reset(token)


def _recorded(model: type[models.Model]) -> bool:
    meta = model._meta
    return (
        model.__module__.startswith("workforce.")
        and meta.app_label not in NOT_RECORDED
        and (meta.app_label, meta.model_name) not in NOT_RECORDED_MODELS
    )


class _Exact(DjangoJSONEncoder):
    """Times to the microsecond (Django's encoder keeps milliseconds), so that a record put back
    holds exactly what it held."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def values_of(instance: models.Model) -> dict[str, Any]:
    """A record's own values, by column (foreign keys as their ids), ready for JSON."""
    values = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
    return json.loads(json.dumps(values, cls=_Exact))


def _write(
    run: ImportRun, model: type[models.Model], pk: Any, action: str, before: dict[str, Any]
) -> None:
    ImportChange.objects.create(
        run=run,
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id=pk,
        action=action,
        before=before,
    )


def _before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    run = _recording.get()
    if run is None or instance._state.adding or kwargs.get("raw") or not _recorded(sender):
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    if old is not None:
        _write(run, sender, instance.pk, ChangeAction.CHANGE, values_of(old))


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    run = _recording.get()
    if run is None or not created or kwargs.get("raw") or not _recorded(sender):
        return
    _write(run, sender, instance.pk, ChangeAction.CREATE, {})


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    run = _recording.get()
    if run is None or not _recorded(sender):
        return
    _write(run, sender, instance.pk, ChangeAction.DELETE, values_of(instance))


def connect() -> None:
    pre_save.connect(_before_save, dispatch_uid="imports.changes.before_save")
    post_save.connect(_after_save, dispatch_uid="imports.changes.after_save")
    post_delete.connect(_after_delete, dispatch_uid="imports.changes.after_delete")


# Rows written in SQL -------------------------------------------------------------------------


def _insert_sql(
    model: type[models.Model], sql: str, params: Sequence[Any], action: str, before: str
) -> None:
    run = _recording.get()
    if run is None:
        return
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    table = ImportChange._meta.db_table
    before_sql = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH chosen(pk) AS ({sql}) "  # noqa: S608
            f"INSERT INTO {table} (run_id, content_type_id, object_id, action, before) "
            f"SELECT %s, %s, chosen.pk, %s, {before_sql} FROM chosen",
            [*params, run.pk, content_type.pk, action, before],
        )


def created_sql(model: type[models.Model], sql: str, params: Sequence[Any] = ()) -> None:
    """The rows of `model` whose primary keys `sql` selects (one column) were just created by
    the import being recorded (nothing when none is)."""
    _insert_sql(model, sql, params, ChangeAction.CREATE, "{}")


def changed_sql(
    model: type[models.Model], sql: str, params: Sequence[Any], before: dict[str, Any]
) -> None:
    """The rows of `model` whose primary keys `sql` selects are about to be changed (call it
    before the UPDATE) and held `before` (for example `{"end": None}`) until now."""
    _insert_sql(model, sql, params, ChangeAction.CHANGE, json.dumps(before, cls=_Exact))


# Undoing ---------------------------------------------------------------------------------------


def _last_of_kind(run: ImportRun) -> ImportRun | None:
    return (
        ImportRun.objects.filter(
            authority=run.authority, kind=run.kind, status=ImportStatus.APPLIED
        )
        .order_by("-applied_at", "-pk")
        .first()
    )


def changed_since(run: ImportRun) -> LogEntry | None:
    """The first entry of the audit trail, after the import, about a record it wrote and made
    by anyone or anything else."""
    # A later import undone since changed nothing, taken with its undoing.
    undone = ImportRun.objects.filter(
        authority=run.authority, status=ImportStatus.UNDONE, audit_from__gte=run.audit_from or 0
    ).values_list("pk", flat=True)
    own = [correlation(run), *(f"{prefix}-{pk}" for pk in undone for prefix in ("import", "undo"))]
    entries = LogEntry.objects.filter(pk__gt=run.audit_from or 0).exclude(cid__in=own)
    written = ImportChange.objects.filter(run=run)
    for content_type_id in written.values_list("content_type", flat=True).distinct():
        ids = (
            written.filter(content_type_id=content_type_id)
            .annotate(as_text=Cast("object_id", models.CharField()))
            .values("as_text")
        )
        found = (
            entries.filter(content_type_id=content_type_id, object_pk__in=ids)
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found
    return None


def why_not_undoable(run: ImportRun) -> str:
    """Why the import cannot be undone, in a sentence; empty when it can."""
    if run.status != ImportStatus.APPLIED:
        return "Only a file that was imported can be undone."
    last = _last_of_kind(run)
    if last is not None and last.pk != run.pk:
        return (
            f"Only the last import of this kind can be undone: {last.filename} was imported "
            "after it. Undo that one first."
        )
    if not ImportChange.objects.filter(run=run).exists():
        return "Importing this file changed nothing, so there is nothing to undo."
    found = changed_since(run)
    if found is not None:
        what = found.content_type.name if found.content_type else "record"
        return (
            f"A {what} this import wrote ({found.object_repr}) has been changed since, on "
            f"{timezone.localtime(found.timestamp):%-d %B %Y at %H:%M}. Undoing the import "
            "would undo that change too: correct the records by hand instead."
        )
    return ""


def _restore(model: type[models.Model], pk: int, before: dict[str, Any]) -> None:
    instance = model._base_manager.filter(pk=pk).first()
    if instance is None:
        raise ValidationError(
            {"status": f"A {model._meta.verbose_name} the import changed no longer exists."}
        )
    fields = {f.attname: f for f in model._meta.concrete_fields}
    for name, value in before.items():
        if name in fields and not fields[name].primary_key:
            setattr(instance, name, fields[name].to_python(value))
    instance.save()


def _put_back(model: type[models.Model], before: dict[str, Any]) -> None:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    values = {k: fields[k].to_python(v) for k, v in before.items() if k in fields}
    model._base_manager.create(**values)


def _delete(model: type[models.Model], pks: list[int]) -> None:
    """Delete records the import created; refused if that would delete anything else."""
    try:
        _count, deleted = model._base_manager.filter(pk__in=pks).delete()
    except (ProtectedError, RestrictedError) as refusal:
        blocking = (
            refusal.protected_objects
            if isinstance(refusal, ProtectedError)
            else refusal.restricted_objects
        )
        held = sorted({str(o._meta.verbose_name_plural) for o in blocking})
        raise ValidationError(
            {
                "status": (
                    f"Records added since ({', '.join(held)}) rely on "
                    f"{model._meta.verbose_name_plural} it created. Nothing was undone."
                )
            }
        ) from refusal
    label = model._meta.label
    others = {name: n for name, n in deleted.items() if name != label and n}
    if others or deleted.get(label, 0) != len(pks):
        what = sorted(str(apps.get_model(name)._meta.verbose_name_plural) for name in others)
        raise ValidationError(
            {
                "status": (
                    f"Undoing it would also delete records added since "
                    f"({', '.join(what) or model._meta.verbose_name_plural}). Nothing was undone."
                )
            }
        )


def undo(run: ImportRun, *, user: User | None, reporter: progress.Reporter | None = None) -> int:
    """Undo the import: every change it made reversed, newest first, all or nothing. Returns
    how many changes were reversed."""
    reporter = reporter or progress.Reporter()
    with transaction.atomic():
        locked = ImportRun.objects.select_for_update().get(pk=run.pk)
        if reason := why_not_undoable(locked):
            raise ValidationError({"status": reason})
        changes = ImportChange.objects.filter(run=locked).order_by("-pk")
        total = changes.count()
        reporter.stage("Undoing the import", total=total)
        with (
            _correlated(f"undo-{locked.pk}"),
            set_actor(user) if user is not None else _nothing(),
        ):
            for (type_id, action), group in groupby(
                _newest_first(changes), key=lambda c: (c[0], c[1])
            ):
                model = ContentType.objects.get_for_id(type_id).model_class()
                assert model is not None
                batch: list[int] = []
                for _type, _action, pk, before in group:
                    if action == ChangeAction.CREATE:
                        batch.append(pk)
                        if len(batch) >= BATCH:
                            _delete(model, batch)
                            reporter.advance(len(batch))
                            batch = []
                        continue
                    if action == ChangeAction.CHANGE:
                        _restore(model, pk, before)
                    else:
                        _put_back(model, before)
                    reporter.advance()
                if batch:
                    _delete(model, batch)
                    reporter.advance(len(batch))
        locked.status = ImportStatus.UNDONE
        locked.undone_by = user
        locked.undone_at = timezone.now()
        locked.save()
    run.refresh_from_db()
    return total


def _newest_first(changes: Any) -> Iterator[tuple[int, str, int, dict[str, Any]]]:
    """The changes, newest first, read a batch at a time by their keys (no server-side cursor,
    which an undo refused part way would leave open in a transaction rolled back)."""
    last: int | None = None
    while True:
        batch = changes if last is None else changes.filter(pk__lt=last)
        found = list(
            batch.values_list("pk", "content_type_id", "action", "object_id", "before")[:BATCH]
        )
        if not found:
            return
        for pk, type_id, action, object_id, before in found:
            yield type_id, action, object_id, before
            last = pk


@contextmanager
def _nothing() -> Iterator[None]:
    yield
