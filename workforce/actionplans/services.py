"""Every write to action plans. Each runs in one transaction and applies completely, or raises
`ValidationError` naming the field at fault. Who may call which is decided by the views through
`selectors.may_edit` and `selectors.may_update`; the services check the records belong together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from workforce.actionplans import evidence as files
from workforce.actionplans.models import (
    ENDED_STATUSES,
    Action,
    ActionMeasure,
    Direction,
    Evidence,
    Recommendation,
    Source,
    SourceKind,
    Status,
    Update,
)
from workforce.core.dates import day_text
from workforce.core.models import Authority, User
from workforce.core.validation import refuse

MAX_TEXT = 20_000


@dataclass(frozen=True)
class Upload:
    """A file as it arrived: its name and bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Link:
    title: str
    url: str


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _text(field: str, value: str, label: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise refuse(field, f"Enter {label}.")
    if len(value) > MAX_TEXT:
        raise refuse(
            field, f"{label[0].upper()}{label[1:]} must be {MAX_TEXT:,} characters or fewer."
        )
    return value


def _not_future(field: str, day: dt.date, label: str, today: dt.date) -> None:
    if day > today:
        raise refuse(field, f"{label} must be today or in the past.")


def _same_authority_user(field: str, user: User | None, authority_id: int) -> None:
    if user is None:
        return
    if not user.is_active or (
        user.authority_id != authority_id
        and not user.extra_authorities.filter(pk=authority_id).exists()
    ):
        raise refuse(field, "Choose a user of this authority.")


# Sources -------------------------------------------------------------------------------------


def _source_fields(
    *,
    kind: str,
    title: str,
    body: str,
    issued_on: dt.date,
    response_due: dt.date | None,
    today: dt.date,
) -> dict[str, Any]:
    if kind not in SourceKind.values:
        raise refuse("kind", "Choose what kind of report it is.")
    _not_future("issued_on", issued_on, "The date of the report", today)
    if response_due is not None and response_due < issued_on:
        raise refuse(
            "response_due", "The formal response must be due on or after the date of the report."
        )
    return {
        "kind": kind,
        "title": _text("title", title, "the title of the report"),
        "body": _text("body", body, "who made the recommendations"),
        "issued_on": issued_on,
        "response_due": response_due,
    }


@transaction.atomic
def create_source(
    *,
    authority: Authority,
    kind: str,
    title: str,
    body: str,
    issued_on: dt.date,
    link: str = "",
    response_due: dt.date | None = None,
    summary: str = "",
    today: dt.date | None = None,
) -> Source:
    fields = _source_fields(
        kind=kind,
        title=title,
        body=body,
        issued_on=issued_on,
        response_due=response_due,
        today=_today(today),
    )
    source = Source(
        authority=authority,
        link=(link or "").strip(),
        summary=_text("summary", summary, "the summary", required=False),
        **fields,
    )
    source.full_clean()
    source.save()
    return source


@transaction.atomic
def change_source(
    source: Source,
    *,
    kind: str,
    title: str,
    body: str,
    issued_on: dt.date,
    link: str = "",
    response_due: dt.date | None = None,
    summary: str = "",
    today: dt.date | None = None,
) -> Source:
    fields = _source_fields(
        kind=kind,
        title=title,
        body=body,
        issued_on=issued_on,
        response_due=response_due,
        today=_today(today),
    )
    for name, value in fields.items():
        setattr(source, name, value)
    source.link = (link or "").strip()
    source.summary = _text("summary", summary, "the summary", required=False)
    source.full_clean()
    source.save()
    return source


@transaction.atomic
def delete_source(source: Source) -> None:
    """Remove a plan recorded in error, with everything under it (each deletion audited)."""
    stored = [
        name
        for action in Action.objects.filter(recommendation__source=source)
        for name in _delete_action_records(action)
    ]
    stored += [d.stored_as for d in source.documents.all() if d.stored_as]
    for recommendation in source.recommendations.all():
        recommendation.delete()
    for document in source.documents.all():
        document.delete()
    source.delete()
    transaction.on_commit(lambda: _discard(stored))


def _discard(stored: list[str]) -> None:
    for name in stored:
        files.discard(name)


# Recommendations -----------------------------------------------------------------------------


def _number(source: Source, number: str, *, leaving: Recommendation | None = None) -> str:
    number = _text("number", number, "the recommendation's number")
    if len(number) > 20:
        raise refuse("number", "The recommendation's number must be 20 characters or fewer.")
    clash = source.recommendations.filter(number=number)
    if leaving is not None:
        clash = clash.exclude(pk=leaving.pk)
    if clash.exists():
        raise refuse("number", f"Recommendation {number} is already in this plan.")
    return number


@transaction.atomic
def add_recommendation(*, source: Source, number: str, text: str) -> Recommendation:
    order = (source.recommendations.aggregate(top=Max("order"))["top"] or 0) + 1
    return Recommendation.objects.create(
        authority_id=source.authority_id,
        source=source,
        number=_number(source, number),
        text=_text("text", text, "the recommendation"),
        order=order,
    )


@transaction.atomic
def change_recommendation(
    recommendation: Recommendation, *, number: str, text: str
) -> Recommendation:
    recommendation.number = _number(recommendation.source, number, leaving=recommendation)
    recommendation.text = _text("text", text, "the recommendation")
    recommendation.save()
    return recommendation


@transaction.atomic
def delete_recommendation(recommendation: Recommendation) -> None:
    if recommendation.actions.exists():
        raise refuse(
            "recommendation",
            f"Recommendation {recommendation.number} has actions: remove them first.",
        )
    recommendation.delete()


# Actions -------------------------------------------------------------------------------------


def _action_fields(
    *,
    authority_id: int,
    text: str,
    responsibility: str,
    owner: User | None,
    start: dt.date,
    due: dt.date | None,
    timescale: str,
) -> dict[str, Any]:
    if due is not None and due < start:
        raise refuse("due", "The due date must be on or after the date the action started.")
    _same_authority_user("owner", owner, authority_id)
    timescale = _text("timescale", timescale, "the timescale", required=False)
    if len(timescale) > 300:
        raise refuse("timescale", "The timescale must be 300 characters or fewer.")
    responsibility = _text("responsibility", responsibility, "who is responsible")
    if len(responsibility) > 300:
        raise refuse("responsibility", "Who is responsible must be 300 characters or fewer.")
    return {
        "text": _text("text", text, "the action taken or proposed"),
        "responsibility": responsibility,
        "owner": owner,
        "start": start,
        "due": due,
        "timescale": timescale,
    }


@transaction.atomic
def add_action(
    *,
    recommendation: Recommendation,
    text: str,
    responsibility: str,
    start: dt.date,
    owner: User | None = None,
    due: dt.date | None = None,
    timescale: str = "",
) -> Action:
    fields = _action_fields(
        authority_id=recommendation.authority_id,
        text=text,
        responsibility=responsibility,
        owner=owner,
        start=start,
        due=due,
        timescale=timescale,
    )
    order = (recommendation.actions.aggregate(top=Max("order"))["top"] or 0) + 1
    return Action.objects.create(
        authority_id=recommendation.authority_id,
        recommendation=recommendation,
        order=order,
        **fields,
    )


@transaction.atomic
def change_action(
    action: Action,
    *,
    text: str,
    responsibility: str,
    start: dt.date,
    owner: User | None = None,
    due: dt.date | None = None,
    timescale: str = "",
) -> Action:
    fields = _action_fields(
        authority_id=action.authority_id,
        text=text,
        responsibility=responsibility,
        owner=owner,
        start=start,
        due=due,
        timescale=timescale,
    )
    first = action.updates.order_by("on").values_list("on", flat=True).first()
    if first is not None and start > first:
        raise refuse(
            "start",
            "The date the action started must be on or before its first update "
            f"({first:%-d %B %Y}).",
        )
    for name, value in fields.items():
        setattr(action, name, value)
    action.save()
    return action


def _delete_action_records(action: Action) -> list[str]:
    stored = [
        name
        for name in Evidence.objects.filter(update__action=action).values_list(
            "stored_as", flat=True
        )
        if name
    ]
    for update in action.updates.all():
        for item in update.evidence.all():
            item.delete()
        update.delete()
    for link in action.measures.all():
        link.delete()
    action.delete()
    return stored


@transaction.atomic
def delete_action(action: Action) -> None:
    """Remove an action recorded in error, with its updates and evidence (each audited)."""
    stored = _delete_action_records(action)
    transaction.on_commit(lambda: _discard(stored))


# Evidence ------------------------------------------------------------------------------------


def _evidence(
    *,
    authority_id: int,
    user: User,
    links: Sequence[Link],
    uploads: Sequence[Upload],
    kept: list[str],
    update: Update | None = None,
    source: Source | None = None,
) -> list[Evidence]:
    """Check the links, store the files (checked by their contents) and save the records. The
    names of the files stored go in `kept`, for `evidence.storing` to remove on a refusal."""
    made: list[Evidence] = []
    for link in links:
        url = (link.url or "").strip()
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as exc:
            raise refuse("link", "Enter a link starting with https:// or http://.") from exc
        title = _text("link_title", link.title, "what the link is", required=False)
        made.append(
            Evidence(
                authority_id=authority_id,
                update=update,
                source=source,
                added_by=user,
                title=(title or url)[:200],
                link=url,
            )
        )
    for upload in uploads:
        stored = files.store(upload.data, upload.name, kept=kept)
        made.append(
            Evidence(
                authority_id=authority_id,
                update=update,
                source=source,
                added_by=user,
                title=stored.file_name,
                file_name=stored.file_name,
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
                stored_as=stored.stored_as,
            )
        )
    for item in made:
        item.save()
    return made


def add_source_documents(
    *, source: Source, user: User, links: Sequence[Link] = (), uploads: Sequence[Upload] = ()
) -> list[Evidence]:
    """The report itself, or documents about it: uploaded files or links."""
    if not links and not uploads:
        raise refuse("file", "Choose a file or enter a link.")
    with files.storing() as kept, transaction.atomic():
        return _evidence(
            authority_id=source.authority_id,
            user=user,
            links=links,
            uploads=uploads,
            kept=kept,
            source=source,
        )


# Progress updates ----------------------------------------------------------------------------


def record_update(
    *,
    action: Action,
    author: User,
    on: dt.date,
    text: str,
    status: str,
    closed_reason: str = "",
    links: Sequence[Link] = (),
    uploads: Sequence[Upload] = (),
    today: dt.date | None = None,
) -> Update:
    """A progress update, which sets the action's status. Completing an action is an update
    saying what was done; closing one without action needs the reason. Updates come in date
    order, from the day the action started to today."""
    today = _today(today)
    _same_authority_user("author", author, action.authority_id)
    if status not in Status.values:
        raise refuse("status", "Choose the action's status after this update.")
    text = _text(
        "text",
        text,
        "what was done to complete the action" if status == Status.COMPLETE else "the progress",
    )
    _not_future("on", on, "The date of the update", today)
    if on < action.start:
        raise refuse(
            "on",
            "The date of the update must be on or after the date the action started "
            f"({day_text(action.start)}).",
        )
    last = action.updates.order_by("-on", "-pk").values_list("on", flat=True).first()
    if last is not None and on < last:
        raise refuse(
            "on", f"The date of the update must be on or after the last update ({day_text(last)})."
        )
    closed_reason = _text("closed_reason", closed_reason, "why", required=False)
    if status == Status.CLOSED and not closed_reason:
        raise refuse("closed_reason", "Enter why the action is closed without action.")
    with files.storing() as kept, transaction.atomic():
        update = Update.objects.create(
            authority_id=action.authority_id,
            action=action,
            on=on,
            author=author,
            text=text,
            status_before=action.status,
            status=status,
        )
        _evidence(
            authority_id=action.authority_id,
            user=author,
            links=links,
            uploads=uploads,
            kept=kept,
            update=update,
        )
        action.status = status
        action.ended_on = on if status in ENDED_STATUSES else None
        action.closed_reason = closed_reason if status == Status.CLOSED else ""
        action.save()
        return update


# Measures ------------------------------------------------------------------------------------


def _measure_fields(
    action: Action, *, measure: str, direction: str, value: Decimal | None, by: dt.date | None
) -> dict[str, Any]:
    from workforce.metrics.measures import REGISTRY

    if measure not in REGISTRY:
        raise refuse("measure", "Choose a measure.")
    if direction not in Direction.values:
        raise refuse("direction", "Choose what the action should do to the measure.")
    bounded = direction in (Direction.AT_MOST, Direction.AT_LEAST)
    if bounded and value is None:
        raise refuse("value", "Enter the target value.")
    if not bounded:
        value = None
    if value is not None and value < 0:
        raise refuse("value", "The target value must be 0 or more.")
    if REGISTRY[measure].is_rate and value is not None and value > 100:
        raise refuse("value", "A target rate must be a percentage from 0 to 100.")
    if by is not None and by < action.start:
        raise refuse(
            "by",
            f"The target date must be on or after the date the action started "
            f"({day_text(action.start)}).",
        )
    return {"measure": measure, "direction": direction, "value": value, "by": by}


@transaction.atomic
def link_measure(
    *,
    action: Action,
    measure: str,
    direction: str,
    value: Decimal | None = None,
    by: dt.date | None = None,
) -> ActionMeasure:
    """Tie an action to a measure it should move: "agency rate at most 20% by February 2017"."""
    fields = _measure_fields(action, measure=measure, direction=direction, value=value, by=by)
    if action.measures.filter(measure=measure).exists():
        raise refuse("measure", "This action is already linked to that measure.")
    return ActionMeasure.objects.create(authority_id=action.authority_id, action=action, **fields)


@transaction.atomic
def unlink_measure(link: ActionMeasure) -> None:
    link.delete()
