"""The caseloads app's report sections: caseloads, and the demand funnel (Leeds 3.4).

Both read `measures.caseload_overview`, the function the caseloads overview page shows (the
demand section only its `year_funnel`): cases
held and average caseload (the same measure as the dashboard's), unallocated cases, children
in care with three or more social workers in the year, supervision compliance, and the
referrals of the 12 months to the date and how far they went. In board mode counts of children
or staff from 1 to 4 are withheld, with the rates and FTE built on them.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from workforce.caseloads import measures, tables
from workforce.caseloads.measures import CaseloadFilter
from workforce.core import numbers
from workforce.core.dates import day_text
from workforce.core.suppression import withheld
from workforce.core.tables import SUPPRESSED, Kind, Table
from workforce.reports.document import Note, Paragraph, SectionContent, TableBlock
from workforce.reports.figures import Line, lines_table, slug
from workforce.reports.sections import ReportContext

CASELOAD_DEFINITIONS = (
    "Definitions: cases held are cases allocated at the date to a worker in post in a "
    "census-counted role (siblings count separately); average caseload is cases held ÷ the FTE "
    "of the workers holding at least one case, agency staff included (DfE); unallocated cases "
    "have no such worker at the date; children in care with three or more social workers are "
    "those looked after at the date who had three or more different social workers allocated "
    "in the 12 months to it (DfE); supervision compliance is the share of case holders whose "
    "supervision is not overdue under the authority's policy."
)
DEMAND_DEFINITIONS = (
    "Referrals received in the 12 months to the report date, and how many of them, by that "
    "date, had an initial assessment, went on to a core assessment or reached a plan; and how "
    "the others ended: no further action, information, advice or signposting, or referred to "
    "early help (without an assessment), or assessed and not in need (the children in need "
    "census's categories). Open referrals had no outcome by the report date. Shares are of the "
    "referrals, worked out from the exact numbers and rounded once, half up."
)


def _where(context: ReportContext) -> CaseloadFilter:
    return CaseloadFilter.for_scope(context.scope)


def _count(n: Any) -> str:
    return numbers.count_text(n)


def build_caseloads(context: ReportContext) -> SectionContent:
    on = context.report_date
    o = measures.caseload_overview(_where(context), on)
    s, c, k = o.summary, o.changes, o.compliance
    if not (s.cases_held or o.unallocated or c.children_in_care):
        return SectionContent(empty=f"There were no open cases at {day_text(on)}.")
    lines = [
        Line("cases_held", "Cases held", s.cases_held, _count(s.cases_held), count=True),
        Line("case_holders", "Case holders", s.case_holders, _count(s.case_holders), count=True),
        Line(
            "case_holder_fte",
            "Case holders' FTE",
            s.case_holder_fte,
            numbers.number_text(s.case_holder_fte, 2),
            built_on=("case_holders",),
        ),
        Line(
            "average_caseload",
            "Average caseload",
            s.average_caseload,
            numbers.number_text(s.average_caseload, 1),
            built_on=("case_holders", "cases_held"),
        ),
        Line("unallocated", "Unallocated cases", o.unallocated, _count(o.unallocated), count=True),
        Line(
            "unallocated_escalated",
            f"Unallocated for more than {o.threshold} days",
            o.escalated,
            _count(o.escalated),
            count=True,
        ),
        Line(
            "children_in_care",
            "Children in care",
            c.children_in_care,
            _count(c.children_in_care),
            count=True,
        ),
        Line(
            "three_or_more",
            "Children in care with 3 or more social workers in the year",
            c.three_or_more,
            _count(c.three_or_more),
            count=True,
        ),
        Line(
            "three_or_more_rate",
            "Share of children in care with 3 or more social workers",
            c.share_three_or_more,
            numbers.percent_text(c.share_three_or_more, 1),
            built_on=("three_or_more", "children_in_care"),
        ),
        Line(
            "supervision_within_policy",
            "Case holders supervised within policy",
            k.within_policy,
            _count(k.within_policy),
            count=True,
        ),
        Line(
            "supervision_compliance",
            "Supervision compliance",
            k.rate,
            numbers.percent_text(k.rate, 1),
            built_on=("supervision_within_policy", "case_holders"),
        ),
    ]
    table, hidden = lines_table(
        f"Caseloads at {day_text(on)}", lines, board_mode=context.board_mode, key="caseloads"
    )
    figures: dict[str, Any] = {}
    for line in lines:
        value = line.value
        if line.key.endswith(("rate", "compliance")) and value is not None:
            value = numbers.percentage(value, 1)
        elif line.key == "average_caseload" and value is not None:
            value = numbers.rounded(value, 1)
        figures[f"caseloads.{line.key}"] = SUPPRESSED if line.key in hidden else value

    def say(key: str) -> str:
        return SUPPRESSED if key in hidden else next(x.text for x in lines if x.key == key)

    sentences = []
    if "average_caseload" not in hidden and s.average_caseload is not None:
        sentences.append(
            f"At {day_text(on)} the average caseload was {say('average_caseload')}: "
            f"{say('cases_held')} cases held by {say('case_holders')} case holders "
            f"({say('case_holder_fte')} FTE)."
        )
    sentences.append(
        f"{say('unallocated')} cases were unallocated, of which {say('unallocated_escalated')} "
        f"had been waiting more than {o.threshold} days."
    )
    if c.children_in_care:
        sentences.append(
            f"Of {say('children_in_care')} children in care, {say('three_or_more')} "
            f"({say('three_or_more_rate')}) had three or more social workers in the year."
        )
    if k.case_holders:
        sentences.append(
            f"Supervision compliance was {say('supervision_compliance')}: "
            f"{say('supervision_within_policy')} of {say('case_holders')} case holders were "
            "supervised within policy."
        )
    return SectionContent(
        blocks=[*[Paragraph(x) for x in sentences], TableBlock(table), Note(CASELOAD_DEFINITIONS)],
        figures=figures,
    )


def _board_funnel(table: Table) -> Table:
    columns = [
        dataclasses.replace(col, suppressible=True)
        if col.key == "number"
        else dataclasses.replace(col, built_on=("number",))
        if col.kind == Kind.PERCENT
        else col
        for col in table.columns
    ]
    return dataclasses.replace(table, columns=columns)


def build_demand(context: ReportContext) -> SectionContent:
    on = context.report_date
    funnel = measures.year_funnel(_where(context), on)
    if not funnel.referrals:
        return SectionContent(
            empty=f"No referrals were received in the 12 months to {day_text(on)}."
        )
    table = tables.funnel_table(funnel)
    if context.board_mode:
        table = context.table(_board_funnel(table))
    figures: dict[str, Any] = {}
    said: dict[str, str] = {}  # each stage's number, with its share of referrals when shown
    number, share = table.columns[1], table.columns[2]
    for stage, n, p in table.rows:
        key = slug(stage)
        figures[f"demand.{key}"] = SUPPRESSED if withheld(n) else n
        figures[f"demand.{key}.share"] = SUPPRESSED if withheld(p) else share.value(p)
        said[key] = number.text(n)
        if not withheld(p) and p is not None and key != "referrals":
            said[key] += f" ({share.text(p)})"
    sentence = (
        f"In the 12 months to {day_text(on)}, {said['referrals']} referrals were received: "
        f"{said['initial_assessments']} had an initial assessment, "
        f"{said['going_on_to_core_assessment']} went on to a core assessment and "
        f"{said['going_on_to_a_care_plan']} to a care plan. "
        f"{said['no_further_action']} ended with no further action, "
        f"{said['information_advice_or_signposting']} with information, advice or signposting "
        f"and {said['referred_to_early_help']} with a referral to early help; "
        f"{said['assessed_not_in_need']} were assessed and found not in need. "
        f"{said['open_no_outcome_yet']} had no outcome yet."
    )
    return SectionContent(
        blocks=[Paragraph(sentence), TableBlock(table), Note(DEMAND_DEFINITIONS)],
        figures=figures,
    )
