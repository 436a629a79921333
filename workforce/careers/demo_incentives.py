"""The demo authority's progression, incentives and learning, written through the services.

Only the demo authority gets them (other authorities are skipped), at every scale; building
twice adds nothing. Made up for the demo, in the manner of councils' published schemes:

- A merit increment of £1,000 and a step from band F to band G on completing the ASYE (as
  Sandwell's newly qualified social workers progress on completing their first year).
- A golden hello of £2,000 to permanent starters of the last two years in case-holding roles,
  paid with the first month's salary and paid back pro rata if they leave within 24 months.
- A retention payment of £1,500 to experienced case holders, with a 12-month clawback period;
  one leaver who had one pays part of it back.
- Relocation of £3,000 to two starters, with a 12-month clawback period.
- Steps up to senior practitioner and to team manager where someone moved into such a role.
- The ILM course for first-line managers (six monthly modules) and core training (four days),
  with attendance and completions.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from workforce.careers import services_incentives as services
from workforce.careers.models.incentives import Incentive, ProgressionKind
from workforce.careers.models.learning import LearningKind
from workforce.core.models import Authority
from workforce.establishment.models import (
    EMPLOYED_KINDS,
    Engagement,
    Leaving,
    OrgRole,
    Worker,
)

DEMO_AUTHORITY_CODE = "990"
ASYE_INCREMENT = Decimal("1000")
GOLDEN_HELLO = Decimal("2000")
RETENTION = Decimal("1500")
RELOCATION = Decimal("3000")
MAX_EACH = 40  # at most this many of each kind, whatever the scale


def _quietly(write: Any, **kwargs: Any) -> Any:
    """A service call whose refusal (someone not in post that day) skips the record."""
    try:
        with transaction.atomic():
            return write(**kwargs)
    except ValidationError:
        return None


def _employed(authority: Authority) -> Any:
    return Engagement.objects.filter(authority=authority, kind__in=EMPLOYED_KINDS).select_related(
        "worker", "post__role", "post__team"
    )


def build(*, authority: Authority, rng: Any, today: dt.date, scale: str) -> None:
    """Write the demo authority's progression, incentives and learning up to `today`."""
    if authority.code != DEMO_AUTHORITY_CODE:
        return
    if Incentive.objects.filter(authority=authority).exists():
        return
    r = random.Random(int(rng.integers(2**62)))
    _asye_completions(authority, today)
    _golden_hellos(authority, today, r)
    _retention(authority, today, r)
    _steps_up(authority, today)
    _learning(authority, today, r)


def _asye_completions(authority: Authority, today: dt.date) -> None:
    from workforce.caseloads.models import AsyePeriod

    finished = AsyePeriod.objects.filter(
        authority=authority, end__lte=today, end__gt=today - dt.timedelta(days=3 * 365)
    ).order_by("end", "pk")[:MAX_EACH]
    for period in finished:
        worker, day = period.worker, period.end
        if day is None:
            continue
        step = _quietly(
            services.record_progression,
            worker=worker,
            date=day,
            kind=ProgressionKind.BAND,
            from_grade="Band F",
            to_grade="Band G",
            notes="Completed the ASYE.",
        )
        if step is not None:
            services.record_incentive(
                worker=worker,
                kind="merit_increment",
                amount=ASYE_INCREMENT,
                paid_on=day,
                conditions="On completing the Assessed and Supported Year in Employment.",
            )


def _golden_hellos(authority: Authority, today: dt.date, r: random.Random) -> None:
    starters = list(
        _employed(authority)
        .filter(
            kind="permanent",
            post__role__case_holding=True,
            start__gt=today - dt.timedelta(days=730),
            start__lte=today - dt.timedelta(days=27),
        )
        .exclude(start_origin="")
        .order_by("start", "pk")[:MAX_EACH]
    )
    for engagement in starters:
        _quietly(
            services.record_incentive,
            worker=engagement.worker,
            kind="golden_hello",
            amount=GOLDEN_HELLO,
            paid_on=engagement.start + dt.timedelta(days=27),
            clawback_months=24,
            conditions="Paid back pro rata on leaving within 24 months of payment.",
        )
    for engagement in r.sample(starters, min(2, len(starters))):
        _quietly(
            services.record_incentive,
            worker=engagement.worker,
            kind="relocation",
            amount=RELOCATION,
            paid_on=engagement.start,
            clawback_months=12,
            conditions="Removal and travel costs on moving to the area.",
        )


def _retention(authority: Authority, today: dt.date, r: random.Random) -> None:
    long_serving = list(
        _employed(authority)
        .filter(post__role__case_holding=True, start__lte=today - dt.timedelta(days=3 * 365))
        .active_on(today)
        .order_by("pk")
    )
    paid_on = today - dt.timedelta(days=120)
    for engagement in r.sample(long_serving, min(12, len(long_serving))):
        _quietly(
            services.record_incentive,
            worker=engagement.worker,
            kind="retention",
            amount=RETENTION,
            paid_on=paid_on,
            clawback_months=12,
            conditions="For staying in a case-holding post; paid back pro rata within 12 months.",
        )
    # The latest leaver of the last two years had a retention payment eight months before
    # leaving, and pays back the months not served.
    leaving = (
        Leaving.objects.filter(
            authority=authority, last_day__gt=today - dt.timedelta(days=730), last_day__lt=today
        )
        .order_by("-last_day", "-pk")
        .first()
    )
    if leaving is None:
        return
    payment = _quietly(
        services.record_incentive,
        worker=leaving.worker,
        kind="retention",
        amount=RETENTION,
        paid_on=leaving.last_day - dt.timedelta(days=240),
        clawback_months=12,
        conditions="For staying in a case-holding post; paid back pro rata within 12 months.",
    )
    if payment is not None:
        services.record_clawback(
            incentive=payment,
            recorded_on=min(today, leaving.last_day + dt.timedelta(days=14)),
            notes="Recovered from the final salary.",
        )


def _steps_up(authority: Authority, today: dt.date) -> None:
    kinds = {
        OrgRole.SENIOR_PRACTITIONER: ProgressionKind.SENIOR_PRACTITIONER,
        OrgRole.FIRST_LINE_MANAGER: ProgressionKind.TEAM_MANAGER,
    }
    arrivals = _employed(authority).filter(post__role__org_role__in=list(kinds), start__lte=today)
    made = 0
    for engagement in arrivals.order_by("start", "pk"):
        before = (
            _employed(authority)
            .filter(worker=engagement.worker, end=engagement.start)
            .exclude(post__role=engagement.post.role)
            .first()
        )
        if before is None:
            continue
        role_grade = engagement.post.grade or engagement.post.role.grade or "Band H"
        from_grade = before.post.grade or before.post.role.grade or "Band G"
        step = _quietly(
            services.record_progression,
            worker=engagement.worker,
            date=engagement.start,
            kind=kinds[engagement.post.role.org_role],
            from_grade=from_grade,
            to_grade=role_grade if role_grade != from_grade else f"{role_grade} (new role)",
            to_role=engagement.post.role,
        )
        made += step is not None
        if made >= MAX_EACH:
            return


def _learning(authority: Authority, today: dt.date, r: random.Random) -> None:
    ilm = services.create_programme(
        authority=authority,
        title="ILM Level 5 in Leadership and Management",
        kind=LearningKind.LEADERSHIP,
        provider="Regional leadership academy",
        description="For first-line managers: six monthly modules and a work-based assignment.",
    )
    start = today - dt.timedelta(days=240)
    modules = [
        services.add_session(
            programme=ilm, title=f"Module {n}", date=start + dt.timedelta(days=30 * (n - 1))
        )
        for n in range(1, 7)
    ]
    managers = [
        e.worker
        for e in _employed(authority)
        .filter(post__role__org_role=OrgRole.FIRST_LINE_MANAGER)
        .active_on(start)
        .active_on(today)
        .order_by("pk")[:16]
    ]
    _attend(ilm, modules, managers, r, completed_after=modules[-1].date)

    core = services.create_programme(
        authority=authority,
        title="Core training: child protection practice",
        kind=LearningKind.CORE,
        provider="Children's services learning team",
    )
    days = [
        services.add_session(
            programme=core, title=f"Day {n}", date=today - dt.timedelta(days=150 - 21 * n)
        )
        for n in range(1, 5)
    ]
    workers = [
        e.worker
        for e in _employed(authority)
        .filter(post__role__case_holding=True)
        .active_on(days[0].date)
        .active_on(today)
        .order_by("pk")[:60]
    ]
    _attend(core, days, r.sample(workers, min(30, len(workers))), r, completed_after=days[-1].date)
    services.create_programme(
        authority=authority,
        title="Practice workshop: direct work with children",
        kind=LearningKind.WORKSHOP,
        provider="Principal social worker",
    )


def _attend(
    programme: Any,
    sessions: list[Any],
    workers: list[Worker],
    r: random.Random,
    *,
    completed_after: dt.date,
) -> None:
    """Each worker attends each session nine times in ten; those who attend every one complete
    the programme a week after the last."""
    for worker in {w.pk: w for w in workers}.values():
        attended_all = True
        for session in sessions:
            came = r.random() < 0.9
            attended_all &= came
            _quietly(services.record_attendance, session=session, worker=worker, attended=came)
        if attended_all:
            _quietly(
                services.record_completion,
                programme=programme,
                worker=worker,
                completed_on=completed_after + dt.timedelta(days=7),
            )
