"""A plain-Python event simulation of one authority's establishment history (no database).

Posts are filled, vacated, covered by agency staff and refilled over the years up to `today`,
one dated event at a time in date order, so every record it produces respects what the
establishment services enforce:

- a worker holds one engagement at a time (a move or a conversion from agency ends one and
  starts the next on the same day), so nobody is ever above 1.0 FTE;
- engagements start on or after their post opens and end by the time it closes;
- a leaver's engagement ends the day after their last day, and a leaver never comes back;
- a post's funding intervals are contiguous from its start to its end.

Dates are day ordinals (`date.toordinal()`) and FTE is in hundredths (100 is 1.0) for speed.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workforce.demo import names
from workforce.demo.structure import (
    MANAGER_ROLES,
    RESTRUCTURE_TEAM,
    ROLE_BY_KEY,
    TeamSpec,
)
from workforce.establishment.models import AgencyCover, EngagementEnd, EngagementKind, ServiceArea

PERMANENT = EngagementKind.PERMANENT.value
FIXED_TERM = EngagementKind.FIXED_TERM.value
SECONDMENT = EngagementKind.SECONDMENT.value
AGENCY = EngagementKind.AGENCY.value
MIN_VACANCY = 10  # 0.1 FTE: anything smaller is not recruited to


@dataclass(frozen=True)
class Rates:
    """How the authority behaves. `difficulty` stretches vacancies and agency reliance."""

    leave_per_year: float = 0.15
    move_per_year: float = 0.05
    fill_days: float = 520.0
    agency_cover: float = 0.97
    agency_delay_days: float = 10.0
    agency_stint_days: float = 600.0
    convert: float = 0.25
    extra_per_year: float = 14.0
    sick_gap_days: float = 300.0
    maternity_per_year: float = 0.05
    funding_change_share: float = 0.12
    difficulty: float = 1.0


class SimWorker:
    __slots__ = (
        "idx",
        "staff_number",
        "first_name",
        "last_name",
        "born",
        "gender",
        "ethnicity",
        "qual_level",
        "qual_institution",
        "qual_date",
        "route",
        "swe_number",
        "current",
        "left",
        "absent_until",
        "employed_once",
        "pk",
    )

    def __init__(self, idx: int) -> None:
        self.idx = idx
        self.staff_number = ""
        self.first_name = ""
        self.last_name = ""
        self.born = 0
        self.gender = ""
        self.ethnicity = ""
        self.qual_level = ""
        self.qual_institution = ""
        self.qual_date: int | None = None
        self.route = ""
        self.swe_number = ""
        self.current: SimEngagement | None = None
        self.left = False
        self.absent_until = 0
        self.employed_once = False
        self.pk = 0  # set once written


class SimPost:
    __slots__ = (
        "idx",
        "team",
        "role",
        "reference",
        "start",
        "end",
        "funding",
        "fte",
        "employed",
        "held",
        "cover",
        "absence_covers",
        "recruit_token",
        "agency_token",
        "closed",
        "pk",
    )

    def __init__(self, idx: int, team: int, role: str, reference: str, start: int, fte: int):
        self.idx = idx
        self.team = team
        self.role = role
        self.reference = reference
        self.start = start
        self.end: int | None = None
        self.funding: list[list[Any]] = [[start, None, fte]]
        self.fte = fte
        self.employed: list[SimEngagement] = []
        self.held = 0  # FTE of `employed`
        self.cover: SimEngagement | None = None
        self.absence_covers: list[SimEngagement] = []
        self.recruit_token = 0
        self.agency_token = 0
        self.closed = False
        self.pk = 0  # set once written

    def hold(self, eng: SimEngagement) -> None:
        self.employed.append(eng)
        self.held += eng.fte

    def release(self, eng: SimEngagement) -> None:
        self.employed.remove(eng)
        self.held -= eng.fte

    def employed_fte(self) -> int:
        return self.held

    def vacancy(self) -> int:
        return self.fte - self.held


class SimEngagement:
    __slots__ = (
        "worker",
        "post",
        "start",
        "end",
        "fte",
        "kind",
        "start_origin",
        "agency_name",
        "rate",
        "covers",
        "covering_for",
        "end_reason",
    )

    def __init__(
        self, worker: SimWorker, post: SimPost, start: int, fte: int, kind: str, origin: str = ""
    ) -> None:
        self.worker = worker
        self.post = post
        self.start = start
        self.end: int | None = None
        self.fte = fte
        self.kind = kind
        self.start_origin = origin
        self.agency_name = ""
        self.rate: float | None = None
        self.covers = ""
        self.covering_for: SimWorker | None = None
        self.end_reason = ""


@dataclass
class SimLeaving:
    worker: SimWorker
    last_day: int
    reason: str
    destination: str
    fte: int
    org_role: str
    team: int


@dataclass
class SimAbsence:
    worker: SimWorker
    start: int
    end: int
    reason: str
    days_lost: int  # hundredths of a working day


def _weighted(pairs: tuple[tuple[str, float], ...]) -> tuple[list[str], list[float]]:
    values = [p[0] for p in pairs]
    cumulative: list[float] = []
    total = 0.0
    for _, w in pairs:
        total += w
        cumulative.append(total)
    return values, cumulative


ETHNICITY = _weighted(
    (
        ("WBRI", 60),
        ("WIRI", 2),
        ("WOTH", 5),
        ("MWBC", 3),
        ("MWBA", 1),
        ("MWAS", 1),
        ("MOTH", 1),
        ("AIND", 3),
        ("APKN", 4),
        ("ABAN", 1),
        ("AOTH", 1),
        ("BCRB", 4),
        ("BAFR", 8),
        ("BOTH", 1),
        ("CHNE", 0.5),
        ("OOTH", 1.5),
        ("REFU", 2),
        ("NOBT", 1),
    )
)
GENDER = _weighted((("2", 80), ("1", 19), ("9", 1)))
ROUTE = _weighted(
    (
        ("university", 74),
        ("step_up", 7),
        ("frontline", 8),
        ("apprenticeship", 4),
        ("think_ahead", 1),
        ("international", 5),
        ("other", 1),
    )
)
START_ORIGIN = _weighted(
    (
        ("1", 8),
        ("2", 38),
        ("3", 5),
        ("4", 14),
        ("5", 10),
        ("6", 8),
        ("7", 5),
        ("8", 3),
        ("9", 9),
    )
)
REASON_LEAVE = _weighted(
    (("1", 68), ("2", 2), ("4", 3), ("5", 8), ("6", 0.5), ("7", 4), ("8", 6), ("9", 8.5))
)
DESTINATION = _weighted(
    (("1", 25), ("2", 3), ("3", 18), ("4", 10), ("5", 8), ("6", 12), ("7", 4), ("8", 20))
)


class AuthoritySim:
    """Simulate one authority from `start` to `today`. Results are in the public lists."""

    def __init__(
        self,
        *,
        teams: list[TeamSpec],
        start: dt.date,
        today: dt.date,
        rnd: random.Random,
        rates: Rates,
        restructure: bool = True,
        extra_capacity: bool = True,
    ) -> None:
        self.teams = list(teams)
        self.rnd = rnd
        self.rates = rates
        self.start = start.toordinal()
        self.today = today.toordinal()
        self.restructure_enabled = restructure
        self.extra_enabled = extra_capacity
        self.posts: list[SimPost] = []
        self.posts_by_role: dict[str, list[SimPost]] = {}
        self.workers: list[SimWorker] = []
        self.engagements: list[SimEngagement] = []
        self.leavings: list[SimLeaving] = []
        self.absences: list[SimAbsence] = []
        self._heap: list[tuple[int, int, Callable[..., None], Any, Any]] = []
        self._seq = 0
        self._ref_counts: dict[tuple[int, str], int] = {}

    # Scheduling ----------------------------------------------------------------------------

    def _at(self, day: int, handler: Callable[..., None], a: Any = None, b: Any = None) -> None:
        if day <= self.today:
            self._seq += 1
            heapq.heappush(self._heap, (day, self._seq, handler, a, b))

    def _wait(self, mean_days: float) -> int:
        return 1 + int(self.rnd.expovariate(1.0 / mean_days))

    def _pick(self, table: tuple[list[str], list[float]]) -> str:
        return self.rnd.choices(table[0], cum_weights=table[1])[0]

    # Building ------------------------------------------------------------------------------

    def _add_post(self, team: int, role: str, start: int, fte: int) -> SimPost:
        key = (team, role)
        n = self._ref_counts.get(key, 0) + 1
        self._ref_counts[key] = n
        reference = f"{self.teams[team].code}-{role.upper()}-{n:02d}"
        post = SimPost(len(self.posts), team, role, reference, start, fte)
        self.posts.append(post)
        self.posts_by_role.setdefault(role, []).append(post)
        return post

    def _new_worker(self, role: str, day: int, *, agency: bool) -> SimWorker:
        rnd = self.rnd
        spec = ROLE_BY_KEY[role]
        w = SimWorker(len(self.workers))
        self.workers.append(w)
        w.staff_number = f"{'AG' if agency else 'E'}{w.idx + 1:06d}"
        w.first_name = rnd.choice(names.FIRST_NAMES)
        w.last_name = rnd.choice(names.SURNAME_STARTS) + rnd.choice(names.SURNAME_ENDS)
        low, high = {
            "asye": (22, 34),
            "swa": (19, 60),
            "fsw": (21, 60),
            "sw": (24, 60),
            "hos": (40, 62),
            "sm": (36, 62),
        }.get(role, (29, 62))
        age = rnd.randint(low, high)
        w.born = day - age * 365 - rnd.randint(0, 364)
        w.gender = self._pick(GENDER)
        w.ethnicity = self._pick(ETHNICITY)
        if spec.qualified:
            w.qual_level = "2" if rnd.random() < 0.4 else "1"
            w.qual_institution = rnd.choice(names.UNIVERSITIES)
            if role == "asye":
                w.qual_date = day - rnd.randint(20, 200)
            else:
                w.qual_date = day - rnd.randint(400, max(401, (age - 22) * 365))
            w.route = self._pick(ROUTE)
            w.swe_number = f"SW{rnd.randint(10000, 999999)}"
        return w

    def _employ(
        self,
        post: SimPost,
        day: int,
        fte: int,
        *,
        kind: str = PERMANENT,
        worker: SimWorker | None = None,
        origin: str = "",
    ) -> SimEngagement:
        """An authority appointment (a new worker unless one is given, e.g. a conversion)."""
        rnd = self.rnd
        if worker is None:
            worker = self._new_worker(post.role, day, agency=False)
        eng = SimEngagement(worker, post, day, fte, kind, origin)
        if kind in (FIXED_TERM, SECONDMENT):
            eng.end = day + rnd.randint(180, 730)
            self._at(eng.end, self._fixed_term_ends, worker)
        self.engagements.append(eng)
        post.hold(eng)
        worker.current = eng
        if not worker.employed_once:
            worker.employed_once = True
            r = self.rates
            self._at(day + self._wait(365.0 / r.leave_per_year), self._leave, worker)
            self._at(day + self._wait(365.0 / r.move_per_year), self._move, worker)
            self._at(day + self._wait(r.sick_gap_days), self._sick, worker)
            if worker.gender == "2" and (day - worker.born) < 40 * 365:
                self._at(day + self._wait(365.0 / r.maternity_per_year), self._maternity, worker)
        if post.role == "asye":
            self._at(day + rnd.randint(365, 455), self._progress, worker, 0)
        return eng

    def _agency(
        self, post: SimPost, day: int, fte: int, covers: str, end: int | None = None
    ) -> SimEngagement:
        rnd = self.rnd
        worker = self._new_worker(post.role, day, agency=True)
        eng = SimEngagement(worker, post, day, fte, AGENCY)
        eng.agency_name = rnd.choice(names.AGENCIES)
        low, high = ROLE_BY_KEY[post.role].rate
        eng.rate = round(rnd.uniform(low, high), 2)
        eng.covers = covers
        eng.end = end
        worker.current = eng
        self.engagements.append(eng)
        return eng

    def _end(self, eng: SimEngagement, day: int, reason: str) -> None:
        assert day > eng.start, (eng.start, day)
        eng.end = day
        eng.end_reason = reason
        if eng.worker.current is eng:
            eng.worker.current = None

    # Vacancies, recruitment and agency cover -----------------------------------------------

    def _fill_days(self, post: SimPost) -> float:
        days = self.rates.fill_days * self.rates.difficulty
        if post.role in ("swa", "fsw"):
            return days * 0.5
        if post.role in ("asye", "hos"):
            return days * 0.6
        return days

    def _on_vacancy(self, post: SimPost, day: int) -> None:
        if post.closed or post.vacancy() < MIN_VACANCY:
            return
        post.recruit_token += 1
        self._at(
            day + 14 + self._wait(self._fill_days(post)), self._recruit, post, post.recruit_token
        )
        if post.cover is None:
            self._maybe_agency(post, day)

    def _maybe_agency(self, post: SimPost, day: int) -> None:
        chance = self.rates.agency_cover
        if post.role in ("swa", "fsw"):
            chance *= 0.3
        elif post.role in ("hos", "sm"):
            chance *= 0.6
        if self.rnd.random() < min(chance, 0.98):
            post.agency_token += 1
            self._at(
                day + self._wait(self.rates.agency_delay_days),
                self._agency_starts,
                post,
                post.agency_token,
            )

    def _recruit(self, day: int, post: SimPost, token: int) -> None:
        if post.closed or token != post.recruit_token:
            return
        vacancy = post.vacancy()
        if vacancy < MIN_VACANCY:
            return
        cover = post.cover
        if cover is not None and cover.start >= day:
            day = cover.start + 1
            if day > self.today:
                return
        rnd = self.rnd
        fte = min(vacancy, 100)
        if fte == 100 and post.role not in MANAGER_ROLES and rnd.random() < 0.12:
            fte = rnd.choice((50, 60, 80))
        r = rnd.random()
        kind = FIXED_TERM if r < 0.06 else SECONDMENT if r < 0.08 else PERMANENT
        origin = "1" if post.role == "asye" else self._pick(START_ORIGIN)
        if not ROLE_BY_KEY[post.role].qualified:
            origin = ""
        if cover is not None:
            post.cover = None
            if kind == PERMANENT and rnd.random() < self.rates.convert:
                self._end(cover, day, EngagementEnd.CONVERTED)
                self._employ(post, day, fte, worker=cover.worker, origin="4")
            else:
                self._end(cover, day, EngagementEnd.ASSIGNMENT_ENDED)
                self._employ(post, day, fte, kind=kind, origin=origin)
        else:
            self._employ(post, day, fte, kind=kind, origin=origin)
        self._on_vacancy(post, day)

    def _agency_starts(self, day: int, post: SimPost, token: int) -> None:
        if post.closed or token != post.agency_token or post.cover is not None:
            return
        vacancy = post.vacancy()
        if vacancy < MIN_VACANCY:
            return
        post.cover = self._agency(post, day, min(vacancy, 100), AgencyCover.VACANCY)
        self._at(day + 28 + self._wait(self.rates.agency_stint_days), self._agency_ends, post.cover)

    def _agency_ends(self, day: int, eng: SimEngagement, _: Any) -> None:
        if eng.end is not None or day <= eng.start:
            return
        self._end(eng, day, EngagementEnd.ASSIGNMENT_ENDED)
        post = eng.post
        if post.cover is eng:
            post.cover = None
            if post.vacancy() >= MIN_VACANCY:
                self._maybe_agency(post, day)

    # People leaving, moving, progressing ---------------------------------------------------

    def _leave(self, day: int, worker: SimWorker, _: Any = None) -> None:
        if worker.left or worker.current is None:
            return
        if worker.absent_until > day:
            self._at(worker.absent_until, self._leave, worker)
            return
        eng = worker.current
        if day <= eng.start:
            day = eng.start + 1
            if day > self.today:
                return
        reason = self._pick(REASON_LEAVE)
        destination = "6" if reason == "5" else self._pick(DESTINATION)
        self._record_leaving(eng, day, reason, destination)

    def _record_leaving(self, eng: SimEngagement, day: int, reason: str, destination: str) -> None:
        worker, post = eng.worker, eng.post
        if eng.end is None or eng.end > day:
            self._end(eng, day, EngagementEnd.LEFT)
        else:
            eng.end_reason = EngagementEnd.LEFT
        worker.current = None
        worker.left = True
        post.release(eng)
        self.leavings.append(
            SimLeaving(
                worker,
                day - 1,
                reason,
                destination,
                eng.fte,
                ROLE_BY_KEY[post.role].org_role,
                post.team,
            )
        )
        self._on_vacancy(post, day)

    def _fixed_term_ends(self, day: int, worker: SimWorker, _: Any = None) -> None:
        eng = worker.current
        if worker.left or eng is None or eng.end != day:
            return
        if self.rnd.random() < 0.4:  # kept on: made permanent in the same post
            eng.post.release(eng)
            worker.current = None
            kept = SimEngagement(worker, eng.post, day, eng.fte, PERMANENT)
            self.engagements.append(kept)
            eng.post.hold(kept)
            worker.current = kept
            return
        self._record_leaving(eng, day, "8", self._pick(DESTINATION))

    def _find_post(
        self,
        role: str,
        fte: int,
        day: int,
        *,
        not_team: int | None = None,
        prefer_team: int | None = None,
    ) -> SimPost | None:
        options = [
            p
            for p in self.posts_by_role.get(role, ())
            if p.fte - p.held >= fte
            and not p.closed
            and p.start < day
            and p.team != not_team
            and (p.cover is None or p.cover.start < day)
        ]
        if not options:
            return None
        if prefer_team is not None:
            same = [p for p in options if p.team == prefer_team]
            if same:
                options = same
        return self.rnd.choice(options)

    def _transfer(self, eng: SimEngagement, target: SimPost, day: int) -> SimEngagement:
        """A team move: the engagement ends and a new one starts in `target` the same day."""
        worker, source = eng.worker, eng.post
        planned_end = eng.end
        self._end(eng, day, EngagementEnd.MOVED)
        source.release(eng)
        moved = SimEngagement(worker, target, day, eng.fte, eng.kind)
        moved.end = planned_end
        self.engagements.append(moved)
        target.hold(moved)
        worker.current = moved
        if target.cover is not None:
            self._end(target.cover, day, EngagementEnd.ASSIGNMENT_ENDED)
            target.cover = None
        self._on_vacancy(source, day)
        self._on_vacancy(target, day)
        return moved

    def _move(self, day: int, worker: SimWorker, _: Any = None) -> None:
        if worker.left:
            return
        self._at(day + self._wait(365.0 / self.rates.move_per_year), self._move, worker)
        eng = worker.current
        if eng is None or eng.kind != PERMANENT or worker.absent_until > day or day <= eng.start:
            return
        target = self._find_post(eng.post.role, eng.fte, day, not_team=eng.post.team)
        if target is not None:
            self._transfer(eng, target, day)

    def _progress(self, day: int, worker: SimWorker, tries: int) -> None:
        """After the ASYE year, a move into a social worker post, in the same team if possible."""
        eng = worker.current
        if worker.left or eng is None or eng.post.role != "asye" or eng.kind != PERMANENT:
            return
        if worker.absent_until > day or day <= eng.start:
            self._at(max(worker.absent_until, eng.start + 1), self._progress, worker, tries)
            return
        target = self._find_post("sw", eng.fte, day, prefer_team=eng.post.team)
        if target is None:
            if tries < 6:
                self._at(day + 30, self._progress, worker, tries + 1)
            return
        self._transfer(eng, target, day)

    # Absences ------------------------------------------------------------------------------

    def _sick(self, day: int, worker: SimWorker, _: Any = None) -> None:
        if worker.left or worker.current is None:
            return
        if worker.absent_until > day:
            self._at(worker.absent_until + self._wait(self.rates.sick_gap_days), self._sick, worker)
            return
        rnd = self.rnd
        eng = worker.current
        r = rnd.random()
        days = (
            rnd.randint(1, 5)
            if r < 0.72
            else rnd.randint(6, 20)
            if r < 0.96
            else rnd.randint(21, 100)
        )
        end = day + days + 2 * (days // 5) + (1 if days % 5 else 0)
        if eng.end is not None and end > eng.end:
            end = eng.end
            days = min(days, end - day)
        if end > day and days > 0:
            self.absences.append(SimAbsence(worker, day, end, "SIC", days * eng.fte))
            worker.absent_until = end
            if days >= 20 and rnd.random() < 0.3:
                self._cover_absence(eng, day + rnd.randint(3, 14), end)
        self._at(max(end, day) + self._wait(self.rates.sick_gap_days), self._sick, worker)

    def _maternity(self, day: int, worker: SimWorker, _: Any = None) -> None:
        eng = worker.current
        if worker.left or eng is None:
            return
        if worker.absent_until > day or eng.kind != PERMANENT:
            self._at(max(worker.absent_until, day + 90), self._maternity, worker)
            return
        if day - worker.born > 44 * 365:
            return
        rnd = self.rnd
        end = day + rnd.randint(182, 365)
        days = (end - day) * 5 // 7
        self.absences.append(SimAbsence(worker, day, end, "MAT", days * eng.fte))
        worker.absent_until = end
        if rnd.random() < 0.7:
            self._cover_absence(eng, day + rnd.randint(0, 21), end)
        self._at(end + self._wait(365.0 / self.rates.maternity_per_year), self._maternity, worker)

    def _cover_absence(self, absent: SimEngagement, start: int, end: int) -> None:
        if start >= end or start > self.today:
            return
        cover = self._agency(absent.post, start, absent.fte, AgencyCover.ABSENCE, end=end)
        cover.covering_for = absent.worker
        cover.worker.current = None  # its end is already fixed
        absent.post.absence_covers.append(cover)

    def _extra_capacity(self, day: int, _: Any = None, __: Any = None) -> None:
        self._at(day + self._wait(365.0 / self.rates.extra_per_year), self._extra_capacity)
        areas = (ServiceArea.FRONT_DOOR, ServiceArea.ASSESSMENT)
        options = [
            p
            for p in self.posts
            if not p.closed
            and p.start < day
            and p.role in ("sw", "asp")
            and self.teams[p.team].service_area in areas
        ]
        if options:
            post = self.rnd.choice(options)
            eng = self._agency(
                post, day, 100, AgencyCover.EXTRA, end=day + self.rnd.randint(56, 182)
            )
            eng.worker.current = None

    # Changes to the structure --------------------------------------------------------------

    def _change_funding(self, day: int, post: SimPost, _: Any = None) -> None:
        if post.closed or day <= post.funding[-1][0]:
            return
        if post.fte == 100:
            new = self.rnd.choice((50, 60, 80))
            if post.employed_fte() > new:
                return
        else:
            new = 100
        post.funding[-1][1] = day
        post.funding.append([day, None, new])
        grew = new > post.fte
        post.fte = new
        if grew:
            self._on_vacancy(post, day)

    def _restructure(self, day: int, _: Any = None, __: Any = None) -> None:
        """Some child protection posts close and reopen in a new Edge of Care team."""
        cp_teams = {
            i for i, t in enumerate(self.teams) if t.service_area == ServiceArea.CHILD_PROTECTION
        }
        candidates = [
            p
            for p in self.posts
            if p.team in cp_teams
            and p.role in ("sw", "asp", "fsw")
            and not p.closed
            and p.start < day
            and p.funding[-1][0] < day
            and all(e.start < day for e in p.employed)
            and (p.cover is None or p.cover.start < day)
            and all(c.end is not None and c.end <= day for c in p.absence_covers)
        ]
        if len(candidates) < 2:
            return
        count = max(2, round(len(candidates) * 0.12))
        chosen = self.rnd.sample(candidates, min(count, len(candidates)))
        team = len(self.teams)
        self.teams.append(RESTRUCTURE_TEAM)
        fresh = [self._add_post(team, role, day, 100) for role in ("tm", "fsw", "fsw")]
        for old in sorted(chosen, key=lambda p: p.idx):
            new = self._add_post(team, old.role, day, old.fte)
            old.closed = True
            old.end = day
            old.funding[-1][1] = day
            if old.cover is not None:
                self._end(old.cover, day, EngagementEnd.POST_CLOSED)
                old.cover = None
            for eng in list(old.employed):
                self._transfer(eng, new, day)
            if not new.employed:
                fresh.append(new)
        for post in fresh:
            self._on_vacancy(post, day)

    # Running -------------------------------------------------------------------------------

    def _fill_initially(self, post: SimPost) -> None:
        rnd, day = self.rnd, post.start
        if rnd.random() < 0.86:
            if post.fte == 100 and post.role not in MANAGER_ROLES and rnd.random() < 0.05:
                self._employ(post, day, 50)
                self._employ(post, day, 50)
            elif post.fte == 100 and post.role not in MANAGER_ROLES and rnd.random() < 0.1:
                self._employ(post, day, rnd.choice((60, 80)))
            else:
                self._employ(post, day, post.fte)
        elif rnd.random() < self.rates.agency_cover:
            post.cover = self._agency(post, day, post.fte, AgencyCover.VACANCY)
            self._at(
                day + 28 + self._wait(self.rates.agency_stint_days), self._agency_ends, post.cover
            )
        self._on_vacancy(post, day)

    def run(self) -> AuthoritySim:
        rnd = self.rnd
        span = self.today - self.start
        for team_idx, team in enumerate(self.teams):
            for role, count in team.posts.items():
                for _ in range(count):
                    fte = 100
                    if role not in MANAGER_ROLES and rnd.random() < 0.07:
                        fte = rnd.choice((50, 60, 80))
                    self._add_post(team_idx, role, self.start, fte)
        for post in list(self.posts):
            self._fill_initially(post)
            if rnd.random() < self.rates.funding_change_share:
                self._at(self.start + rnd.randint(span // 10, span - 1), self._change_funding, post)
        if self.restructure_enabled and span > 400:
            self._at(self.start + int(span * 0.55), self._restructure)
        if self.extra_enabled:
            self._at(
                self.start + self._wait(365.0 / self.rates.extra_per_year), self._extra_capacity
            )
        heap = self._heap
        while heap:
            day, _, handler, a, b = heapq.heappop(heap)
            handler(day, a, b)
        self._finish()
        self._earlier_starts()
        return self

    def _earlier_starts(self) -> None:
        """People already employed when the history begins started before it: those appointed
        to its first posts on its first day (other than newly qualified workers) are given a
        start up to ten years earlier, after they turned 22 and qualified, and their post opens
        with them, so retention has people of five years' service and more from the start. Done
        after the run, so the history from its first day is unchanged; no random draw is taken,
        so the rest of the generator draws the same numbers."""
        first = self.start
        for eng in self.engagements:
            if eng.start != first or eng.kind != PERMANENT or eng.post.role == "asye":
                continue
            worker = eng.worker
            earliest = max(worker.born + 22 * 365, worker.qual_date or 0)
            start = max(first - (worker.idx * 7919) % (10 * 365), earliest)
            if start >= first:
                continue
            eng.start = start
            post = eng.post
            if start < post.start:
                post.start = start
                post.funding[0][0] = start

    def _finish(self) -> None:
        for eng in self.engagements:
            if (
                eng.kind == AGENCY
                and eng.end is not None
                and not eng.end_reason
                and eng.end <= self.today
            ):
                eng.end_reason = EngagementEnd.ASSIGNMENT_ENDED

    # Figures at today ----------------------------------------------------------------------

    def figures(self) -> dict[str, float]:
        """Census-counted FTE at today, for the command's summary."""
        today = self.today
        counted = {k for k, spec in ROLE_BY_KEY.items() if spec.org_role}
        establishment = sum(
            p.fte for p in self.posts if p.role in counted and not p.closed and p.start <= today
        )
        in_post = agency = 0
        for e in self.engagements:
            if e.post.role in counted and e.start <= today and (e.end is None or e.end > today):
                if e.kind == AGENCY:
                    agency += e.fte
                else:
                    in_post += e.fte
        vacancy = sum(
            max(p.vacancy(), 0)
            for p in self.posts
            if p.role in counted and not p.closed and p.start <= today
        )
        return {
            "establishment": establishment / 100,
            "in_post": in_post / 100,
            "agency": agency / 100,
            "vacancy": vacancy / 100,
        }
