"""The tables of the action-plan pages, each shown on its page and downloaded as CSV or XLSX.

The rows are built from what the selectors read; each row's RAG is `Action.rag_on(day)`, the
same colour the plan, the lists and the exports give.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from workforce.actionplans.models import RAG_TAG, Action, Rag, Source, Status, Update
from workforce.core.dates import day_text
from workforce.core.tables import Column, Kind, Table


def person(user: object | None) -> str:
    if user is None:
        return ""
    name = user.get_full_name() or user.username  # type: ignore[attr-defined]
    return str(name)


def latest_update(action: Action) -> Update | None:
    """The newest update, from the prefetched updates (oldest first)."""
    updates = list(action.updates.all())
    return updates[-1] if updates else None


def days_overdue(action: Action, on: dt.date) -> int | None:
    return (on - action.due).days if action.is_overdue_on(on) and action.due else None


# The list of plans ---------------------------------------------------------------------------

RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.COMPLETE, Rag.CLOSED, Rag.NOT_STARTED]


@dataclass
class PlanRow:
    source: Source
    recommendations: int = 0
    actions: int = 0
    counts: dict[Rag, int] = field(default_factory=lambda: dict.fromkeys(Rag, 0))

    @property
    def tags(self) -> list[tuple[str, int, str]]:
        """(label, count, govuk-tag modifier) of each colour with any actions."""
        return [(c.label, self.counts[c], RAG_TAG[c]) for c in RAG_ORDER if self.counts[c]]


def plan_rows(sources: Iterable[Source], actions: Iterable[Action], on: dt.date) -> list[PlanRow]:
    """Each source (annotated with `n_recommendations`) with its number of actions and their
    colours on `on`."""
    rows = {s.pk: PlanRow(s, recommendations=getattr(s, "n_recommendations", 0)) for s in sources}
    for action in actions:
        row = rows.get(action.recommendation.source_id)
        if row is not None:
            row.actions += 1
            row.counts[action.rag_on(on)] += 1
    return list(rows.values())


def counts_of(actions: Iterable[Action], on: dt.date) -> list[tuple[str, int, str]]:
    """(label, count, govuk-tag modifier) of each colour the actions have on `on`."""
    row = PlanRow(source=Source())
    for action in actions:
        row.counts[action.rag_on(on)] += 1
    return row.tags


@dataclass(frozen=True)
class Line:
    """An action as the lists show it: its colour, latest update and days overdue."""

    action: Action
    rag: Rag
    tag: str
    last: Update | None
    days_overdue: int | None


def line(action: Action, on: dt.date) -> Line:
    rag = action.rag_on(on)
    return Line(action, rag, RAG_TAG[rag], latest_update(action), days_overdue(action, on))


PLAN_COLUMNS = [
    Column("title", "Plan"),
    Column("kind", "Kind"),
    Column("body", "Made by"),
    Column("issued_on", "Date", Kind.DATE),
    Column("recommendations", "Recommendations", Kind.COUNT),
    Column("actions", "Actions", Kind.COUNT),
    *(Column(f"rag_{c.value}", c.label, Kind.COUNT) for c in RAG_ORDER),
]


def plans_table(rows: Sequence[PlanRow], on: dt.date) -> Table:
    return Table(
        f"Action plans at {day_text(on)}",
        PLAN_COLUMNS,
        [
            [
                r.source.title,
                r.source.get_kind_display(),  # type: ignore[attr-defined]
                r.source.body,
                r.source.issued_on,
                r.recommendations,
                r.actions,
                *(r.counts[c] for c in RAG_ORDER),
            ]
            for r in rows
        ],
        key="plans",
        empty="No action plans match.",
    )


# Actions -------------------------------------------------------------------------------------

ACTION_COLUMNS = [
    Column("recommendation", "Recommendation"),
    Column("action", "Action"),
    Column("responsibility", "Responsibility"),
    Column("owner", "Owner"),
    Column("start", "Start", Kind.DATE),
    Column("due", "Due", Kind.DATE),
    Column("timescale", "Timescale"),
    Column("status", "Status"),
    Column("rag", "RAG"),
    Column("last_update_on", "Last update", Kind.DATE),
    Column("last_update", "Last update text"),
]


def actions_table(actions: Sequence[Action], on: dt.date, *, title: str) -> Table:
    rows = []
    for action in actions:
        last = latest_update(action)
        rows.append(
            [
                action.recommendation.number,
                action.text,
                action.responsibility,
                person(action.owner),
                action.start,
                action.due,
                action.timescale,
                action.get_status_display(),  # type: ignore[attr-defined]
                action.rag_on(on).label,
                last.on if last else None,
                last.text if last else "",
            ]
        )
    return Table(title, ACTION_COLUMNS, rows, key="actions", empty="No actions match.")


def filter_actions(
    actions: Iterable[Action], on: dt.date, chosen: dict[str, object]
) -> list[Action]:
    """The actions with the status, the colour and overdue-only chosen on the page."""
    out = []
    for action in actions:
        if chosen.get("status") and action.status != chosen["status"]:
            continue
        if chosen.get("rag") and action.rag_on(on) != chosen["rag"]:
            continue
        if chosen.get("overdue") and not action.is_overdue_on(on):
            continue
        out.append(action)
    return out


MY_COLUMNS = [
    Column("plan", "Plan"),
    Column("recommendation", "Recommendation"),
    Column("action", "Action"),
    Column("due", "Due", Kind.DATE),
    Column("timescale", "Timescale"),
    Column("status", "Status"),
    Column("rag", "RAG"),
    Column("last_update_on", "Last update", Kind.DATE),
]


def my_actions_table(actions: Sequence[Action], on: dt.date) -> Table:
    rows = []
    for action in actions:
        last = latest_update(action)
        rows.append(
            [
                action.recommendation.source.title,
                action.recommendation.number,
                action.text,
                action.due,
                action.timescale,
                action.get_status_display(),  # type: ignore[attr-defined]
                action.rag_on(on).label,
                last.on if last else None,
            ]
        )
    return Table("My actions", MY_COLUMNS, rows, key="mine", empty="You own no actions.")


ATTENTION_COLUMNS = [
    Column("plan", "Plan"),
    Column("recommendation", "Recommendation"),
    Column("action", "Action"),
    Column("owner", "Owner"),
    Column("due", "Due", Kind.DATE),
    Column("days_overdue", "Days overdue", Kind.COUNT),
    Column("status", "Status"),
    Column("rag", "RAG"),
    Column("reason", "Latest update"),
]


def attention_table(actions: Sequence[Action], on: dt.date) -> Table:
    rows = []
    for action in actions:
        last = latest_update(action)
        rows.append(
            [
                action.recommendation.source.title,
                action.recommendation.number,
                action.text,
                person(action.owner),
                action.due,
                days_overdue(action, on),
                action.get_status_display(),  # type: ignore[attr-defined]
                action.rag_on(on).label,
                last.text if last else "",
            ]
        )
    return Table(
        f"Actions needing attention at {day_text(on)}",
        ATTENTION_COLUMNS,
        rows,
        key="attention",
        empty="No open action is overdue, at risk or off track.",
    )


# The audit trail of an action ----------------------------------------------------------------

# Bookkeeping fields that say nothing to a reader of the action's history.
UNSHOWN_FIELDS = {
    "id",
    "authority",
    "created_at",
    "updated_at",
    "order",
    "recommendation",
    "measures",
    "updates",
}


@dataclass(frozen=True)
class Change:
    when: dt.datetime
    who: str
    what: str
    fields: list[tuple[str, str, str]]  # (label, before, after)


def _shown(name: str, value: object, people: dict[str, str]) -> str:
    if value in (None, "None", ""):
        return "–"
    if name == "owner":
        return people.get(str(value), "a former user")
    if name == "status":
        return str(dict(Status.choices).get(str(value), value))
    if name in ("start", "due", "ended_on"):
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return f"{day.day} {day:%B %Y}"
    return str(value)


def changes(entries: Iterable[Any], people: dict[str, str]) -> list[Change]:
    """Audit log entries of an action as a reader wants them: field labels, names, dates."""
    labels = {
        f.name: str(f.verbose_name) for f in Action._meta.get_fields() if hasattr(f, "verbose_name")
    }
    out = []
    for entry in entries:
        fields = [
            (labels.get(name, name).capitalize(), was, now)
            for name, (before, after) in (entry.changes_dict or {}).items()
            if name not in UNSHOWN_FIELDS
            and (was := _shown(name, before, people)) != (now := _shown(name, after, people))
        ]
        out.append(
            Change(
                when=entry.timestamp,
                who=person(entry.actor) or "The system",
                what=entry.get_action_display().capitalize(),
                fields=fields,
            )
        )
    return out


def owner_ids(entries: Iterable[Any]) -> set[int]:
    ids = set()
    for entry in entries:
        for value in (entry.changes_dict or {}).get("owner", ()):
            if value not in (None, "None", "") and str(value).isdigit():
                ids.add(int(value))
    return ids
