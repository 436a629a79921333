"""Recruitment progress as at any date, from the applications' stage history, in one SQL query.

Every move of an application is a `StageTransition` (`on` the day it happened). Each transition
starts a span that lasts until the application's next transition: the stage it held over
`[on, next on)`. As at day D an application is at the stage of the span with `on <= D < next on`,
so September's figures stay what they were when a candidate withdraws in December.

The counts (see docs/definitions.md, "Recruitment progress"):

- applications: made by D;
- offered: reached a conditional offer by D (still in the process or not);
- recommended: recommended at D with no pre-employment check requested by D;
- in checks: at pre-employment checks at D, or recommended with a check requested by D;
- unconditional: holding an unconditional offer at D;
- accepted: accepted the unconditional offer and waiting to start at D;
- started: started by D (and, as the process ends there, still started);
- ever accepted: accepted the unconditional offer by D, whether started since, waiting, or
  pulled out after;
- conditional accepted: recommended or in checks at D, having accepted the conditional offer by D;
- ever conditional accepted: accepted the conditional offer by D (an offer not recorded as
  accepted counts as accepted on the day the unconditional offer replaced it);
- ever unconditional: reached an unconditional offer by D;
- pulled out: pulled out by D after accepting an offer;
- recruited: recommended + in checks + unconditional + accepted + started.

`progress` answers them for any dates and any grouping (strand, role, strand kind, campaign,
team); the metrics engine asks the same function through the provider `recruitment` that
`RecruitmentConfig.ready()` registers, and the recruitment reports through `selectors`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields
from fractions import Fraction
from typing import Any

from django.db import connection

from workforce.establishment.models import Engagement, EngagementKind, Post, Role, Team
from workforce.metrics import engine
from workforce.metrics.measures import register_section
from workforce.recruitment.models import (
    EXIT_STAGES,
    OFFERED_STAGES,
    Application,
    Check,
    Offer,
    OfferKind,
    OfferResponse,
    Stage,
    StageTransition,
    Strand,
    Vacancy,
    stages_from,
)

APPLICATION = Application._meta.db_table
TRANSITION = StageTransition._meta.db_table
VACANCY = Vacancy._meta.db_table
VACANCY_POSTS = Vacancy.posts.through._meta.db_table
STRAND = Strand._meta.db_table
POST = Post._meta.db_table
TEAM = Team._meta.db_table
ROLE = Role._meta.db_table
CHECK = Check._meta.db_table
OFFER = Offer._meta.db_table
ENGAGEMENT = Engagement._meta.db_table

IN_CHECKS = (Stage.RECOMMENDED, Stage.CHECKS)
ACCEPTED_STAGES = stages_from(Stage.ACCEPTED)


@dataclass(frozen=True)
class Progress:
    """The progress counts of a group of applications at one date."""

    applications: int = 0
    offered: int = 0
    in_checks: int = 0
    unconditional: int = 0
    accepted: int = 0
    started: int = 0
    ever_accepted: int = 0
    recommended: int = 0
    conditional_accepted: int = 0
    ever_conditional_accepted: int = 0
    ever_unconditional: int = 0
    pulled_out: int = 0

    @property
    def recruited(self) -> int:
        """Still on course to join: recommended and not since withdrawn, rejected, declined or
        pulled out."""
        return self.recommended + self.in_checks + self.unconditional + self.accepted + self.started


COUNTS = tuple(f.name for f in fields(Progress))
ZERO = Progress()


@dataclass(frozen=True)
class ProgressFilter:
    """Which applications count. An application's team is its allocated post's team, or while
    no post is allocated the teams of the posts its vacancy fills."""

    authority_ids: tuple[int, ...]
    campaign_id: int | None = None
    team_ids: tuple[int, ...] | None = None
    service_area: str = ""
    role_ids: tuple[int, ...] | None = None
    org_roles: tuple[str, ...] | None = None
    census_only: bool = False  # vacancies for census-counted roles only
    in_strands: bool = False  # only applications to vacancies in a strand


# Group expressions over `a` (application), `v` (vacancy) and `st` (strand, left joined).
GROUPS: dict[str, str] = {
    "strand": "v.strand_id",
    "role": "v.role_id",
    "kind": "st.kind",
    "campaign": "st.campaign_id",
    # The application's state at the date: its stage, the stage it left from, the reason.
    "stage": "sp.ts",
    "from_stage": "sp.fs",
    "reason": "sp.rs",
    # One team per application: the allocated post's, else the lowest of the vacancy's posts'.
    "team": (
        f"COALESCE((SELECT p.team_id FROM {POST} p WHERE p.id = a.post_id),"
        f" (SELECT MIN(p.team_id) FROM {VACANCY_POSTS} vp JOIN {POST} p ON p.id = vp.post_id"
        " WHERE vp.vacancy_id = a.vacancy_id))"
    ),
}


def _in(values: Sequence[Any]) -> tuple[str, list[Any]]:
    if not values:
        return "(NULL)", []
    return "(" + ", ".join(["%s"] * len(values)) + ")", list(values)


def _team_condition(where: ProgressFilter) -> tuple[str, list[Any]]:
    """Posts of the filtered teams (and service area), as a subquery of post ids."""
    clauses, params = ["1 = 1"], []
    if where.team_ids is not None:
        sql, ps = _in(where.team_ids)
        clauses.append(f"p.team_id IN {sql}")
        params += ps
    if where.service_area:
        clauses.append("t.service_area = %s")
        params.append(where.service_area)
    posts = f"SELECT p.id FROM {POST} p JOIN {TEAM} t ON t.id = p.team_id WHERE " + " AND ".join(
        clauses
    )
    sql = (
        f"((a.post_id IS NOT NULL AND a.post_id IN ({posts}))"
        f" OR (a.post_id IS NULL AND EXISTS (SELECT 1 FROM {VACANCY_POSTS} vp"
        f" WHERE vp.vacancy_id = a.vacancy_id AND vp.post_id IN ({posts}))))"
    )
    return sql, params + params


def applications_sql(where: ProgressFilter) -> tuple[str, list[Any]]:
    """`SELECT a.id` of the applications the filter covers."""
    authorities, params = _in(where.authority_ids)
    clauses = [f"a.authority_id IN {authorities}"]
    if where.campaign_id is not None:
        clauses.append(f"v.strand_id IN (SELECT id FROM {STRAND} WHERE campaign_id = %s)")
        params.append(where.campaign_id)
    if where.in_strands:
        clauses.append("v.strand_id IS NOT NULL")
    if where.role_ids is not None:
        sql, ps = _in(where.role_ids)
        clauses.append(f"v.role_id IN {sql}")
        params += ps
    on_roles: list[str] = []
    if where.org_roles is not None:
        sql, ps = _in(where.org_roles)
        on_roles.append(f"org_role IN {sql}")
        params += ps
    if where.census_only:
        on_roles.append("org_role <> ''")
    if on_roles:
        clauses.append(f"v.role_id IN (SELECT id FROM {ROLE} WHERE {' AND '.join(on_roles)})")
    if where.team_ids is not None or where.service_area:
        sql, ps = _team_condition(where)
        clauses.append(sql)
        params += ps
    return (
        f"SELECT a.id FROM {APPLICATION} a JOIN {VACANCY} v ON v.id = a.vacancy_id"
        f" WHERE {' AND '.join(clauses)}",
        params,
    )


def _dates_sql(dates: Sequence[dt.date]) -> tuple[str, list[Any]]:
    # PostgreSQL needs the types of a VALUES list; SQLite keeps dates as ISO text.
    row = "(CAST(%s AS INTEGER), CAST(%s AS DATE))" if connection.vendor == "postgresql" else None
    rows, params = [], []
    for i, day in enumerate(dates):
        rows.append(row or "(%s, %s)")
        params += [i, day]
    return "d(i, day) AS (VALUES " + ", ".join(rows) + ")", params


def _case(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _stages(stages: Sequence[str]) -> str:
    return "(" + ", ".join(f"'{s}'" for s in stages) + ")"  # fixed codes, never user input


def _reached(stages: Sequence[str]) -> str:
    """At a stage of `stages`, or left the process from one (moves are one stage at a time)."""
    at, left = _stages(stages), _stages(EXIT_STAGES)
    return f"(sp.ts IN {at} OR (sp.ts IN {left} AND sp.fs IN {at}))"


# A pre-employment check requested by the date, and the conditional offer accepted by it.
CHECK_REQUESTED = (
    f"EXISTS (SELECT 1 FROM {CHECK} c WHERE c.application_id = a.id"
    " AND c.requested_on IS NOT NULL AND c.requested_on <= d.day)"
)
CONDITIONAL_ACCEPTED = (
    f"EXISTS (SELECT 1 FROM {OFFER} o WHERE o.application_id = a.id"
    f" AND o.kind = '{OfferKind.CONDITIONAL}' AND o.response = '{OfferResponse.ACCEPTED}'"
    " AND o.response_on <= d.day)"
)

# The columns of `Progress` after `applications` (every span at the date is one application).
COUNT_SQL = ", ".join(
    _case(condition)
    for condition in (
        _reached(OFFERED_STAGES),
        f"(sp.ts = '{Stage.CHECKS}' OR (sp.ts = '{Stage.RECOMMENDED}' AND {CHECK_REQUESTED}))",
        f"sp.ts = '{Stage.UNCONDITIONAL_OFFER}'",
        f"sp.ts = '{Stage.ACCEPTED}'",
        f"sp.ts = '{Stage.STARTED}'",
        _reached(ACCEPTED_STAGES),
        f"(sp.ts = '{Stage.RECOMMENDED}' AND NOT {CHECK_REQUESTED})",
        f"(sp.ts IN {_stages(IN_CHECKS)} AND {CONDITIONAL_ACCEPTED})",
        CONDITIONAL_ACCEPTED,
        _reached(stages_from(Stage.UNCONDITIONAL_OFFER)),
        f"sp.ts = '{Stage.PULLED_OUT}'",
    )
)


def progress(
    where: ProgressFilter, *, dates: Sequence[dt.date], by: Sequence[str] = ()
) -> dict[tuple[Any, ...], list[Progress]]:
    """The counts at each date, per group of `by` (keys of GROUPS; `()` for one total).

    One query whatever the number of dates. Groups with no application at any date are left
    out; `ZERO` stands for them.
    """
    if not dates:
        return {}
    dates_cte, dparams = _dates_sql(dates)
    apps, aparams = applications_sql(where)
    group = [GROUPS[name] for name in by]
    select = "".join(f"{g}, " for g in group)
    group_by = ", ".join(str(i) for i in range(1, len(group) + 2))
    # The applications and their spans are worked out once each (MATERIALIZED): a plan that
    # read them again for every row of a join, as PostgreSQL may choose when its statistics
    # are stale, would take minutes instead of milliseconds.
    sql = (
        f"WITH {dates_cte},"
        f" apps(id) AS MATERIALIZED ({apps}),"
        " spans AS MATERIALIZED ("
        " SELECT s.application_id AS app, s.from_stage AS fs, s.to_stage AS ts, s.reason AS rs,"
        ' s."on" AS lo,'
        ' LEAD(s."on") OVER (PARTITION BY s.application_id ORDER BY s."on", s.id) AS hi'
        f" FROM {TRANSITION} s WHERE s.application_id IN (SELECT id FROM apps))"
        f" SELECT {select}d.i, COUNT(*), {COUNT_SQL}"
        " FROM spans sp JOIN d ON sp.lo <= d.day AND (sp.hi IS NULL OR sp.hi > d.day)"
        f" JOIN {APPLICATION} a ON a.id = sp.app"
        f" JOIN {VACANCY} v ON v.id = a.vacancy_id"
        f" LEFT JOIN {STRAND} st ON st.id = v.strand_id"
        f" GROUP BY {group_by}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, dparams + aparams)
        rows = cursor.fetchall()
    out: dict[tuple[Any, ...], list[Progress]] = {}
    n = len(by)
    for row in rows:
        key, i, counts = tuple(row[:n]), row[n], row[n + 1 :]
        out.setdefault(key, [ZERO] * len(dates))[int(i)] = Progress(*(int(c or 0) for c in counts))
    return out


def progress_on(
    where: ProgressFilter, *, on: dt.date, by: Sequence[str] = ()
) -> dict[tuple[Any, ...], Progress]:
    """The counts as at one date, per group."""
    return {key: values[0] for key, values in progress(where, dates=[on], by=by).items()}


# What happened in a period ------------------------------------------------------------------


@dataclass(frozen=True)
class Events:
    """What happened to a group of applications from one day to another, both included: each
    move counted on the day it happened (its `StageTransition`), whatever happened since.

    As moves are one stage at a time, each count is the difference of the matching "reached by"
    counts at the period's last day and the day before its first: `recommended` is `offered`
    at the end less `offered` the day before the start, `accepted` is `ever_accepted`'s,
    `conditional_accepted` is `ever_conditional_accepted`'s, and so on."""

    applications: int = 0  # applications received
    shortlisted: int = 0
    interviewed: int = 0
    recommended: int = 0  # recommended after interview: the conditional offer is made that day
    conditional_accepted: int = 0  # conditional offers accepted (see `progress`)
    unconditional: int = 0  # unconditional offers made
    accepted: int = 0  # unconditional offers accepted, whatever happened after
    pulled_out: int = 0  # pulled out after accepting an offer
    started_employed: int = 0  # started as employees
    started_agency: int = 0  # started as agency workers (a strand recruiting agency staff)

    @property
    def started(self) -> int:
        return self.started_employed + self.started_agency


EVENTS = tuple(f.name for f in fields(Events))
NO_EVENTS = Events()
_EVENT_STAGES = (
    ("applications", Stage.APPLIED),
    ("shortlisted", Stage.SHORTLISTED),
    ("interviewed", Stage.INTERVIEWED),
    ("recommended", Stage.RECOMMENDED),
    ("conditional_accepted", "conditional_accepted"),
    ("unconditional", Stage.UNCONDITIONAL_OFFER),
    ("accepted", Stage.ACCEPTED),
    ("pulled_out", Stage.PULLED_OUT),
)


def events(
    where: ProgressFilter, *, first: dt.date, last: dt.date, by: Sequence[str] = ()
) -> dict[tuple[Any, ...], Events]:
    """The moves made from `first` to `last` (both included), per group of `by` (keys of
    GROUPS other than the stage ones; `()` for one total), in one query.

    A conditional offer counts as accepted on the day its acceptance is recorded, which is the
    day of the unconditional offer when it was not recorded before (as `progress`). A start is
    an agency worker's when the engagement it created is an agency one. Groups with no event
    are left out; `NO_EVENTS` stands for them."""
    if any(name in ("stage", "from_stage", "reason") for name in by):
        raise ValueError("Events are grouped by application, not by stage.")
    apps, aparams = applications_sql(where)
    group = [GROUPS[name] for name in by]
    select = "".join(f"{g}, " for g in group)
    counts = [f"SUM(CASE WHEN ev.what = '{stage}' THEN 1 ELSE 0 END)" for _, stage in _EVENT_STAGES]
    started = f"ev.what = '{Stage.STARTED}'"
    agency = f"e.kind = '{EngagementKind.AGENCY}'"
    counts.append(
        f"SUM(CASE WHEN {started} AND (e.kind IS NULL OR NOT {agency}) THEN 1 ELSE 0 END)"
    )
    counts.append(f"SUM(CASE WHEN {started} AND {agency} THEN 1 ELSE 0 END)")
    sql = (
        f"WITH apps(id) AS MATERIALIZED ({apps}),"
        " ev(app, what) AS ("
        f" SELECT s.application_id, s.to_stage FROM {TRANSITION} s"
        ' WHERE s.application_id IN (SELECT id FROM apps) AND s."on" >= %s AND s."on" <= %s'
        " UNION ALL"
        f" SELECT o.application_id, 'conditional_accepted' FROM {OFFER} o"
        " WHERE o.application_id IN (SELECT id FROM apps)"
        f" AND o.kind = '{OfferKind.CONDITIONAL}' AND o.response = '{OfferResponse.ACCEPTED}'"
        " AND o.response_on >= %s AND o.response_on <= %s)"
        f" SELECT {select}{', '.join(counts)}"
        " FROM ev"
        f" JOIN {APPLICATION} a ON a.id = ev.app"
        f" JOIN {VACANCY} v ON v.id = a.vacancy_id"
        f" LEFT JOIN {STRAND} st ON st.id = v.strand_id"
        f" LEFT JOIN {ENGAGEMENT} e ON e.id = a.engagement_id"
    )
    if group:
        sql += " GROUP BY " + ", ".join(str(i) for i in range(1, len(group) + 1))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*aparams, first, last, first, last])
        rows = cursor.fetchall()
    n = len(by)
    out = {}
    for row in rows:
        found = Events(*(int(c or 0) for c in row[n:]))
        if found != NO_EVENTS:
            out[tuple(row[:n])] = found
    return out


# In the metrics engine -----------------------------------------------------------------------

COMPONENTS = (
    "recruitment_applications",
    "recruitment_offered",
    "recruitment_in_checks",
    "recruitment_unconditional",
    "recruitment_accepted",
    "recruitment_started",
    "recruitment_ever_accepted",
    "recruitment_recommended",
    "recruitment_conditional_accepted",
    "recruitment_ever_conditional_accepted",
    "recruitment_ever_unconditional",
    "recruitment_pulled_out",
    "recruitment_recruited",
)


def recruitment_components(
    where: engine.MetricsFilter, timeline: engine.Timeline, by: str | None
) -> engine.Component:
    """The progress counts at each date of the timeline, for the vacancies of the filter's roles
    and the applications of its teams (one query)."""
    counts = progress(
        ProgressFilter(
            authority_ids=tuple(where.authority_ids),
            team_ids=None if where.team_ids is None else tuple(where.team_ids),
            service_area=where.service_area,
            role_ids=None if where.role_ids is None else tuple(where.role_ids),
            org_roles=None if where.org_roles is None else tuple(where.org_roles),
            census_only=where.census_only,
        ),
        dates=timeline.dates,
        by=(by,) if by else (),
    )
    if by is None:
        counts.setdefault((), [ZERO] * timeline.n)
    out: engine.Component = {name: {} for name in COMPONENTS}
    for key, values in counts.items():
        group = key[0] if by else None
        for name in COUNTS:
            out[f"recruitment_{name}"][group] = [getattr(p, name) for p in values]
        out["recruitment_recruited"][group] = [p.recruited for p in values]
    return out


def recruitment_headlines(
    *, authority_ids: Sequence[int], team_ids: Sequence[int] | None, on: dt.date
) -> dict[str, Any]:
    """The progress counts at `on`, in all and per vacancy role, as JSON-ready values."""
    where = ProgressFilter(
        authority_ids=tuple(authority_ids),
        team_ids=None if team_ids is None else tuple(team_ids),
    )
    found = {key[0]: values[0] for key, values in progress(where, dates=[on], by=("role",)).items()}
    names = (*COUNTS, "recruited")
    by_role = [
        {"role": role.title, **{name: getattr(found[role.pk], name) for name in names}}
        for role in Role.objects.filter(pk__in=list(found)).order_by("title", "pk")
    ]
    total = {name: sum(getattr(p, name) for p in found.values()) for name in names}
    return {**total, "by_role": by_role}


def register_recruitment_figures() -> None:
    engine.register_provider("recruitment", recruitment_components, COMPONENTS)
    # The same counts in the `metrics` command's JSON, under "recruitment".
    register_section("recruitment", recruitment_headlines)


# How long things take: counts, medians and 90th percentiles in SQL ---------------------------


def days_between(later: str, earlier: str) -> str:
    """Whole calendar days from one date column to another."""
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(ROUND(julianday({later}) - julianday({earlier})) AS INTEGER)"


@dataclass(frozen=True)
class Spread:
    """How long something took, in calendar days: count, median and 90th percentile.

    Percentiles interpolate linearly between the two nearest values (as NumPy's default), worked
    out exactly from the two values the query returns: no rounding here.
    """

    count: int
    median: float | None
    p90: float | None


NO_SPREAD = Spread(0, None, None)
PERCENTILES = (50, 90)


def _percentile(n: int, p: int, lo: int, hi: int | None) -> float:
    """The p-th percentile from the values at ranks floor((n-1)p/100) and the one after."""
    share = Fraction((n - 1) * p % 100, 100)
    if not share or hi is None:
        return float(lo)
    return float(lo + (hi - lo) * share)


def spreads(rows_sql: str, params: list[Any]) -> dict[Any, Spread]:
    """Per group `g` of `rows_sql` (`SELECT g, days ...`): count, median and 90th percentile.

    One query: the database ranks each group's durations and returns, for each percentile, the
    two values it lies between.
    """
    picks = []
    for p in PERCENTILES:
        rank = f"((n - 1) * {p}) / 100"  # whole-number division: the rank at or below
        picks.append(f"MAX(CASE WHEN r = {rank} THEN days END)")
        picks.append(f"MAX(CASE WHEN r = {rank} + 1 THEN days END)")
    sql = (
        "WITH x AS (SELECT g, days,"
        " ROW_NUMBER() OVER (PARTITION BY g ORDER BY days) - 1 AS r,"
        " COUNT(*) OVER (PARTITION BY g) AS n"
        f" FROM ({rows_sql}) rows_in)"
        f" SELECT g, n, {', '.join(picks)} FROM x GROUP BY g, n"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out = {}
    for g, n, *values in rows:
        n = int(n)
        median, p90 = (
            _percentile(n, p, values[2 * i], values[2 * i + 1]) for i, p in enumerate(PERCENTILES)
        )
        out[g] = Spread(n, median, p90)
    return out


def time_to_stages(where: ProgressFilter, *, on: dt.date) -> dict[Any, Spread]:
    """Per stage reached by `on` (unconditional offer, acceptance, start): days from the
    application to that move."""
    apps, params = applications_sql(where)
    stages = _stages((Stage.UNCONDITIONAL_OFFER, Stage.ACCEPTED, Stage.STARTED))
    days = days_between('s."on"', "a.applied_on")
    rows = (
        f"SELECT s.to_stage AS g, {days} AS days"
        f" FROM {TRANSITION} s JOIN {APPLICATION} a ON a.id = s.application_id"
        f' WHERE s.to_stage IN {stages} AND s."on" <= %s AND a.id IN ({apps})'
    )
    return spreads(rows, [on, *params])


def time_in_stages(where: ProgressFilter, *, on: dt.date) -> dict[Any, Spread]:
    """Per stage: days spent in it by applications that had moved on from it by `on`."""
    apps, params = applications_sql(where)
    spans = (
        'SELECT s.to_stage AS ts, s."on" AS lo,'
        ' LEAD(s."on") OVER (PARTITION BY s.application_id ORDER BY s."on", s.id) AS hi'
        f" FROM {TRANSITION} s WHERE s.application_id IN ({apps})"
    )
    rows = (
        f"SELECT sp.ts AS g, {days_between('sp.hi', 'sp.lo')} AS days FROM ({spans}) sp"
        " WHERE sp.hi IS NOT NULL AND sp.hi <= %s"
    )
    return spreads(rows, [*params, on])


def check_turnarounds(where: ProgressFilter, *, on: dt.date) -> tuple[dict[Any, Spread], dict]:
    """Per kind of check requested by `on`: days from request to result for those with a result
    by then, and how many were still waiting at `on` (two queries)."""
    apps, params = applications_sql(where)
    check = Check._meta.db_table
    done = (
        f"SELECT c.kind AS g, {days_between('c.outcome_on', 'c.requested_on')} AS days"
        f" FROM {check} c WHERE c.application_id IN ({apps})"
        " AND c.requested_on <= %s AND c.outcome_on IS NOT NULL AND c.outcome_on <= %s"
    )
    waiting_sql = (
        f"SELECT c.kind, COUNT(*) FROM {check} c WHERE c.application_id IN ({apps})"
        " AND c.requested_on <= %s AND (c.outcome_on IS NULL OR c.outcome_on > %s)"
        " GROUP BY c.kind"
    )
    with connection.cursor() as cursor:
        cursor.execute(waiting_sql, [*params, on, on])
        waiting = dict(cursor.fetchall())
    return spreads(done, [*params, on, on]), waiting
