"""The action plans' report section: where each plan stands, what changed since the last report,
what is overdue and why, and how the measures the actions are meant to move have moved.

Everything is as at the report date: an action's status is the one its last progress update on
or before the date gave it (`Action.status_on`), its colour worked out from that status and its
due date by the same rule as everywhere (`models.rag`), so a paper issued in September reads the
same after October's updates. "Since the last report" is since the report date of the last
issued report to the same audience before this one, or the comparison date when there is none.
The measures are `selectors.impacts` at the report date. In board mode no user is named: the
plan's responsibility (a role) is shown, never an owner or an update's author, and a measure
built on a count of 1 to 4 people is withheld (`metrics.measures.count_behind`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from workforce.actionplans import selectors
from workforce.actionplans.models import Action, Rag, Recommendation, Source, Status
from workforce.core.dates import day_text
from workforce.core.suppression import SMALL_NUMBER, small
from workforce.core.tables import SUPPRESSED, SUPPRESSED_CELL, Column, Kind, Table
from workforce.reports.document import Heading, Note, Paragraph, SectionContent, TableBlock
from workforce.reports.figures import slug
from workforce.reports.sections import ReportContext

COLOURS = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NOT_STARTED, Rag.COMPLETE, Rag.CLOSED)
ARROW = "→"

DEFINITIONS = (
    "Definitions, as at the report date: an action's status is the one its last progress "
    "update on or before the date gave it. An open action (not started, on track, at risk or "
    "off track) past its due date is red whatever its status; otherwise off track is red, at "
    "risk amber and on track green; not started is counted apart. Complete and closed (closed "
    "without action, with the reason recorded) are ended. An action is overdue when it is open "
    "and its due date has passed; days overdue are counted from the due date to the report "
    "date, and the reason given is the text of its latest progress update. A plan is counted "
    "while it has an open action. A target is met when the measure's latest figure is within "
    "it, or for a direction when the figure has moved that way since the action started."
)


@dataclass(frozen=True)
class _Plan:
    source: Source
    recommendations: list[Recommendation]
    actions: list[Action]  # agreed by the report date


def _plans(context: ReportContext) -> list[_Plan]:
    on = context.report_date
    found = []
    for source in selectors.sources(context.scope).order_by("issued_on", "title", "pk"):
        if source.issued_on > on:
            continue
        recommendations = selectors.plan(context.scope, source)
        actions = [a for r in recommendations for a in r.actions.all() if a.start <= on]
        found.append(_Plan(source, recommendations, actions))
    return found


def since(context: ReportContext) -> tuple[dt.date, str]:
    """The date changes are counted from, and how the paper says it: the last issued report to
    the same audience before this one, or the comparison date."""
    from workforce.reports.models import Report, ReportStatus

    last = (
        Report.objects.filter(
            authority=context.authority,
            audience=str(context.audience),
            status=ReportStatus.ISSUED,
            report_date__lt=context.report_date,
        )
        .order_by("-report_date", "-issued_at", "-pk")
        .first()
    )
    if last is not None:
        to = (
            "the last internal management report"
            if not context.board_mode
            else f"the last report to the {context.audience.label.lower()}"
        )
        return last.report_date, f"{to} (figures as at {day_text(last.report_date)})"
    return context.comparison_date, day_text(context.comparison_date)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _short(action: Action) -> str:
    return str(action)


def _one_plan(table: Table, plans: list[_Plan]) -> Table:
    """The table without its Plan column when every action is of one plan."""
    if len({p.source.pk for p in plans if p.actions}) > 1:
        return table
    i = table.index("plan")
    return Table(
        table.title,
        table.columns[:i] + table.columns[i + 1 :],
        [row[:i] + row[i + 1 :] for row in table.rows],
        notes=table.notes,
        key=table.key,
        empty=table.empty,
    )


def _rag_table(plans: list[_Plan], on: dt.date) -> tuple[Table, dict[str, Any]]:
    columns = [Column("plan", "Plan")]
    columns += [Column(str(c), str(c.label), Kind.COUNT) for c in COLOURS]
    columns.append(Column("total", "Total", Kind.COUNT))
    rows, figures = [], {}
    totals = dict.fromkeys(COLOURS, 0)
    names: set[str] = set()
    for plan in plans:
        counts = dict.fromkeys(COLOURS, 0)
        for action in plan.actions:
            counts[action.rag_on(on)] += 1
        if not any(counts[c] for c in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NOT_STARTED)):
            continue  # no open action: the plan is done
        name = slug(plan.source.title)
        if name in names:
            name = f"{name}_{plan.source.pk}"
        names.add(name)
        for colour in COLOURS:
            totals[colour] += counts[colour]
            figures[f"actionplans.plan.{name}.{colour}"] = counts[colour]
        figures[f"actionplans.plan.{name}.total"] = len(plan.actions)
        rows.append([plan.source.title, *(counts[c] for c in COLOURS), len(plan.actions)])
    for colour in COLOURS:
        figures[f"actionplans.rag.{colour}"] = totals[colour]
    figures["actionplans.total"] = sum(totals.values())
    figures["actionplans.plans"] = len(rows)
    table = Table(
        f"Actions by status at {day_text(on)}",
        columns,
        rows,
        totals=["Total", *(totals[c] for c in COLOURS), sum(totals.values())]
        if len(rows) > 1
        else None,
        key="rag",
        empty=f"No plan had an open action at {day_text(on)}.",
    )
    return table, figures


def _rag_sentence(figures: dict[str, Any], on: dt.date) -> str:
    f = {c: figures[f"actionplans.rag.{c}"] for c in COLOURS}
    open_count = sum(f[c] for c in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NOT_STARTED))
    plans = figures["actionplans.plans"]
    if not open_count:
        return f"No action plan had an open action at {day_text(on)}."
    parts = [f"{f[Rag.RED]} red", f"{f[Rag.AMBER]} amber", f"{f[Rag.GREEN]} green"]
    parts.append(f"{f[Rag.NOT_STARTED]} not started")
    ended = (
        f" In the same plans {_count(f[Rag.COMPLETE], 'action was', 'actions were')} complete "
        f"and {f[Rag.CLOSED]} closed without action."
    )
    return (
        f"At {day_text(on)} there {'was' if open_count == 1 else 'were'} "
        f"{_count(open_count, 'open action', 'open actions')} in "
        f"{_count(plans, 'plan', 'plans')}: {_listed(parts)}.{ended}"
    )


def _changes(plans: list[_Plan], context: ReportContext, start: dt.date) -> tuple[Table, int, int]:
    on = context.report_date
    columns = [
        Column("plan", "Plan"),
        Column("action", "Action"),
        Column("change", "Status"),
        Column("on", "Date", Kind.DATE),
        Column("text", "Progress"),
    ]
    if not context.board_mode:
        columns.append(Column("by", "Recorded by"))
    rows = []
    changed = 0
    for plan in plans:
        for action in plan.actions:
            for update in action.updates.all():
                if not start < update.on <= on:
                    continue
                before, after = Status(update.status_before), Status(update.status)
                if before != after:
                    changed += 1
                    change = f"{before.label} {ARROW} {after.label}"
                else:
                    change = f"{after.label} (no change)"
                row = [
                    plan.source.title,
                    _short(action),
                    change,
                    update.on,
                    update.text.strip(),
                ]
                if not context.board_mode:
                    author = update.author
                    row.append(author.get_full_name() or author.username)
                rows.append(row)
    rows.sort(key=lambda r: (r[3], r[0]))
    table = Table(
        f"Progress recorded from {day_text(start + dt.timedelta(days=1))} to {day_text(on)}",
        columns,
        rows,
        key="changes",
        empty="No progress was recorded in this time.",
    )
    return table, len(rows), changed


def _overdue(plans: list[_Plan], context: ReportContext) -> Table:
    on = context.report_date
    columns = [
        Column("plan", "Plan"),
        Column("action", "Action"),
        Column("responsibility", "Responsibility"),
    ]
    if not context.board_mode:
        columns.append(Column("owner", "Owner"))
    columns += [
        Column("due", "Due by", Kind.DATE),
        Column("days", "Days overdue", Kind.COUNT),
        Column("status", "Status"),
        Column("reason", "Reason (latest update)"),
    ]
    rows = []
    for plan in plans:
        for action in plan.actions:
            if not action.is_overdue_on(on):
                continue
            assert action.due is not None
            latest = action.latest_on(on)
            row: list[Any] = [plan.source.title, _short(action), action.responsibility]
            if not context.board_mode:
                owner = action.owner
                row.append(owner.get_full_name() or owner.username if owner else "")
            row += [
                action.due,
                (on - action.due).days,
                action.status_on(on).label,
                latest.text.strip() if latest else "No progress recorded.",
            ]
            rows.append(row)
    days = columns.index(next(c for c in columns if c.key == "days"))
    rows.sort(key=lambda r: -r[days])
    return Table(
        f"Actions overdue at {day_text(on)}",
        columns,
        rows,
        key="overdue",
        empty=f"No action was overdue at {day_text(on)}.",
    )


def _withheld(context: ReportContext, measure: str, days: list[dt.date]) -> set[dt.date]:
    """In board mode, the days on which the measure is built on 1 to 4 people."""
    from workforce.metrics.measures import REGISTRY, count_behind
    from workforce.metrics.selectors import filter_for_scope, measures_on

    if not context.board_mode:
        return set()
    count = count_behind(measure)
    if count is None or count not in REGISTRY:
        return set()
    where = filter_for_scope(context.scope)
    out = set()
    for day in set(days):
        value = measures_on(where=where, on=day, keys=[count]).at(0)[count]
        if small(value, SMALL_NUMBER):
            out.add(day)
    return out


def _point(point: Any, hidden: set[dt.date]) -> Any:
    if point is None:
        return "No figure"
    if point.on in hidden:
        return SUPPRESSED_CELL
    return f"{point.text} ({day_text(point.on)})"


def _measures(plans: list[_Plan], context: ReportContext) -> tuple[Table, dict[str, Any]]:
    on = context.report_date
    columns = [
        Column("plan", "Plan"),
        Column("action", "Action"),
        Column("target", "Target"),
        Column("baseline", "When the action started"),
        Column("latest", f"At {day_text(on)}"),
        Column("moving", "Moving"),
        Column("met", "Target met"),
    ]
    rows, figures = [], {}
    met = not_met = 0
    any_withheld = False
    for plan in plans:
        for action in plan.actions:
            for impact in selectors.impacts(context.scope, action, on):
                first, last = impact.baseline, impact.latest
                hidden = _withheld(
                    context, impact.link.measure, [p.on for p in (first, last) if p is not None]
                )
                name = f"actionplans.measure.{impact.link.pk}"

                figures[f"{name}.baseline"] = (
                    None if first is None else SUPPRESSED if first.on in hidden else first.shown
                )
                figures[f"{name}.latest"] = (
                    None if last is None else SUPPRESSED if last.on in hidden else last.shown
                )
                if hidden:
                    any_withheld = True
                    moving: Any = SUPPRESSED_CELL
                    status: Any = SUPPRESSED_CELL
                else:
                    moving = impact.moving or "Too few figures"
                    status = impact.status_label
                    met += impact.met is True
                    not_met += impact.met is False
                rows.append(
                    [
                        plan.source.title,
                        _short(action),
                        impact.target_text,
                        _point(first, hidden),
                        _point(last, hidden),
                        moving,
                        status,
                    ]
                )
    # A withheld measure's target met or not is withheld too, and so are the counts of them.
    figures["actionplans.targets_met"] = SUPPRESSED if any_withheld else met
    figures["actionplans.targets_not_met"] = SUPPRESSED if any_withheld else not_met
    table = Table(
        f"Measures the actions are meant to move, at {day_text(on)}",
        columns,
        rows,
        notes=[
            "Figures from the workforce records for the whole authority, as the dashboard "
            "gives them, on the day each action started and at the report date."
        ],
        key="measures",
        empty="No action is linked to a measure.",
    )
    return table, figures


def build(context: ReportContext) -> SectionContent:
    on = context.report_date
    plans = _plans(context)
    if not plans:
        return SectionContent(empty=f"The authority had no action plans at {day_text(on)}.")
    rag_table, figures = _rag_table(plans, on)
    blocks: list[Any] = [Paragraph(_rag_sentence(figures, on))]
    if rag_table.rows:
        blocks.append(TableBlock(context.table(rag_table)))

    start, start_text = since(context)
    changes, updates, changed = _changes(plans, context, start)
    figures["actionplans.changes"] = updates
    figures["actionplans.status_changes"] = changed
    blocks.append(Heading(f"Progress since {start_text}"))
    if updates:
        recorded = _count(updates, "progress update was", "progress updates were")
        effect = (
            f"{changed} of them changing an action's status"
            if changed
            else "none of them changing an action's status"
        )
        if updates == 1:
            effect = "changing the action's status" if changed else "leaving its status as it was"
        blocks.append(
            Paragraph(f"Between {start_text} and {day_text(on)}, {recorded} recorded, {effect}.")
        )
        blocks.append(TableBlock(context.table(_one_plan(changes, plans))))
    else:
        blocks.append(
            Paragraph(
                f"No progress was recorded on any action between {start_text} and {day_text(on)}."
            )
        )

    overdue = _overdue(plans, context)
    figures["actionplans.overdue"] = len(overdue.rows)
    blocks.append(Heading("Overdue actions"))
    if overdue.rows:
        longest = max(overdue.column("days"))
        blocks.append(
            Paragraph(
                f"{_count(len(overdue.rows), 'action was', 'actions were')} overdue at "
                f"{day_text(on)}, the longest by {_count(longest, 'day', 'days')}."
            )
        )
        blocks.append(TableBlock(context.table(_one_plan(overdue, plans))))
    else:
        blocks.append(Paragraph(f"No action was overdue at {day_text(on)}."))

    measures, measure_figures = _measures(plans, context)
    figures.update(measure_figures)
    if measures.rows:
        blocks.append(Heading("Measures"))
        met, not_met = figures["actionplans.targets_met"], figures["actionplans.targets_not_met"]
        linked = _count(len(measures.rows), "measure", "measures")
        blocks.append(
            Paragraph(
                f"Of the {linked} linked to actions, {met} {'was' if met == 1 else 'were'} "
                f"meeting the target at {day_text(on)} and {not_met} "
                f"{'was' if not_met == 1 else 'were'} not."
                if met != SUPPRESSED
                else f"{linked[0].upper()}{linked[1:]} {'is' if len(measures.rows) == 1 else 'are'}"
                " linked to actions. Some are built on so few people that their figures are not "
                f"shown ({SUPPRESSED}), so how many were meeting their targets is not given."
            )
        )
        blocks.append(TableBlock(context.table(_one_plan(measures, plans))))
    blocks.append(Note(DEFINITIONS))
    return SectionContent(blocks=blocks, figures=figures)
