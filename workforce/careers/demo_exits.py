"""The demo authority's exit interviews and returners, written through the services.

- About two thirds of the people who left in the three years to `today` (resigned, retired,
  took voluntary redundancy, moved to another role or left for another reason) had an exit
  interview: most while working their notice, four weeks before their last day, the rest in the
  weeks after it. Each gave one to three themes, caseload most often; those who retired gave
  retirement.
- A dozen people still in post gave notice in the last year and were retained.
- The demo's leavers are never appointed again, so two people who resigned come back in the
  last three months, each under a new staff record with the Social Work England number they
  left with (the demo's own checks hold that nothing starts on a leaver's record after their
  leaving), to a vacant post, or when none is vacant a new post funded for them in the team
  and role they left.

Only the demo authority gets these. An authority that already has exit interviews is left as
it is, so building twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from workforce.careers import services_exits as services
from workforce.careers.models.exits import ExitInterview, ExitOutcome, ExitTheme
from workforce.core.models import Authority
from workforce.establishment import services as establishment
from workforce.establishment.models import Engagement, Leaving, Post, Worker

DEMO_AUTHORITY_CODE = "990"
INTERVIEWED_REASONS = ("1", "2", "5", "7", "8")
SHARE_INTERVIEWED = 0.66
RETAINED = 12
# How often leavers give each theme (retirement only for those who retired).
WEIGHTS = {
    "Caseload": 0.26,
    "Hours": 0.08,
    "Supervision and support": 0.12,
    "Management": 0.12,
    "Office and equipment": 0.04,
    "Pay": 0.13,
    "Progression": 0.11,
    "Travel": 0.07,
    "Personal": 0.07,
}
DAY = dt.timedelta(days=1)


def build(*, authority: Authority, rng: np.random.Generator, today: dt.date, scale: str) -> None:
    if authority.code != DEMO_AUTHORITY_CODE:
        return
    if ExitInterview.objects.filter(authority=authority).exists():
        return
    themes = {t.label: t for t in services.seed_themes(authority)}
    _interview_leavers(authority, rng, today, themes)
    _retained(authority, rng, today, themes)
    _returners(authority, rng, today)


def _pick_themes(
    rng: np.random.Generator, themes: dict[str, ExitTheme], retired: bool
) -> list[ExitTheme]:
    if retired:
        extra = list(rng.choice(list(WEIGHTS), size=int(rng.integers(0, 2)), replace=False))
        return [themes["Retirement"], *(themes[label] for label in extra)]
    labels = list(WEIGHTS)
    weights = np.array([WEIGHTS[label] for label in labels])
    size = int(rng.choice([1, 2, 3], p=[0.45, 0.4, 0.15]))
    chosen = rng.choice(labels, size=size, replace=False, p=weights / weights.sum())
    return [themes[str(label)] for label in chosen]


def _try(**kwargs: object) -> ExitInterview | None:
    try:
        with transaction.atomic():
            return services.record_exit_interview(**kwargs)  # type: ignore[arg-type]
    except ValidationError:
        return None


def _interview_leavers(
    authority: Authority, rng: np.random.Generator, today: dt.date, themes: dict[str, ExitTheme]
) -> None:
    since = today - dt.timedelta(days=3 * 365)
    leavings = Leaving.objects.filter(
        authority=authority, last_day__gte=since, last_day__lt=today, reason__in=INTERVIEWED_REASONS
    ).select_related("worker")
    for leaving in leavings.order_by("last_day", "pk"):
        if rng.random() >= SHARE_INTERVIEWED:
            continue
        chosen = _pick_themes(rng, themes, retired=leaving.reason == "5")
        during_notice = rng.random() < 0.75
        interview = None
        if during_notice:
            notice = leaving.last_day - dt.timedelta(days=28)
            held = notice + dt.timedelta(days=int(rng.integers(3, 21)))
            interview = _try(
                worker=leaving.worker,
                held_on=held,
                notice_given_on=notice,
                outcome=ExitOutcome.LEFT,
                themes=chosen,
                today=today,
            )
        if interview is None:
            held = leaving.last_day + dt.timedelta(days=int(rng.integers(1, 30)))
            if held <= today:
                _try(
                    worker=leaving.worker,
                    held_on=held,
                    outcome=ExitOutcome.LEFT,
                    themes=chosen,
                    today=today,
                )


def _retained(
    authority: Authority, rng: np.random.Generator, today: dt.date, themes: dict[str, ExitTheme]
) -> None:
    year_ago = today - dt.timedelta(days=365)
    staying = list(
        Worker.objects.filter(authority=authority, leavings__isnull=True)
        .filter(
            Exists(
                Engagement.objects.employed().filter(
                    worker=OuterRef("pk"), start__lte=year_ago, end__isnull=True
                )
            )
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not staying:
        return
    chosen = rng.choice(staying, size=min(RETAINED, len(staying)), replace=False)
    for worker in Worker.objects.filter(pk__in=[int(pk) for pk in chosen]).order_by("pk"):
        notice = today - dt.timedelta(days=int(rng.integers(30, 330)))
        _try(
            worker=worker,
            held_on=notice + dt.timedelta(days=int(rng.integers(2, 14))),
            notice_given_on=notice,
            outcome=ExitOutcome.RETAINED,
            themes=_pick_themes(rng, themes, retired=False),
            today=today,
        )


def _vacant_posts(authority: Authority, start: dt.date) -> list[Post]:
    """Posts open from `start` on that nobody holds from then on."""
    held = Engagement.objects.filter(post=OuterRef("pk")).filter(
        Q(end__isnull=True) | Q(end__gt=start)
    )
    return list(
        Post.objects.filter(authority=authority, start__lte=start, end__isnull=True)
        .filter(~Exists(held))
        .select_related("role")
        .order_by("reference")
    )


def _returners(authority: Authority, rng: np.random.Generator, today: dt.date) -> None:
    """Two people who resigned come back in the last three months, to posts vacant since then."""
    made = 0
    for _ in range(10):
        if made == 2:
            return
        start = today - dt.timedelta(days=int(rng.integers(14, 90)))
        leavings = list(
            Leaving.objects.filter(
                authority=authority,
                reason="1",
                last_day__gte=start - dt.timedelta(days=900),
                last_day__lte=start - dt.timedelta(days=60),
            )
            .exclude(worker__swe_number="")
            .exclude(worker__swe_number__in=_returned_numbers(authority))
            .select_related("worker")
            .order_by("last_day", "pk")
        )
        if not leavings:
            continue
        leaving = leavings[int(rng.integers(0, len(leavings)))]
        posts = _vacant_posts(authority, start)
        posts = [p for p in posts if p.role.case_holding] or posts
        former = leaving.worker
        try:
            with transaction.atomic():
                if posts:
                    post = posts[int(rng.integers(0, len(posts)))]
                else:  # every post is filled: a new one is funded for them
                    post = _new_post(leaving, start)
                worker = establishment.create_worker(
                    authority=authority,
                    staff_number=f"{former.staff_number}R",
                    first_name=former.first_name,
                    last_name=former.last_name,
                    swe_number=former.swe_number,
                    date_of_birth=former.date_of_birth,
                    gender=former.gender,
                    ethnicity=former.ethnicity,
                    qual_level=former.qual_level,
                    qual_institution=former.qual_institution,
                    qual_date=former.qual_date,
                    route=former.route,
                )
                establishment.appoint_worker(
                    worker=worker, post=post, start=start, fte=min(leaving.fte, Decimal("1.00"))
                )
        except ValidationError:
            continue
        made += 1


def _new_post(leaving: Leaving, start: dt.date) -> Post:
    """A post in the team and role the person left from, funded from `start`."""
    last = (
        Engagement.objects.filter(worker=leaving.worker)
        .employed()
        .select_related("post")
        .order_by("-start")
        .first()
    )
    assert last is not None
    return establishment.create_post(
        authority=leaving.authority,
        team=last.post.team,
        role=last.post.role,
        reference=f"{last.post.reference}-R",
        fte=Decimal("1.00"),
        start=start,
    )


def _returned_numbers(authority: Authority) -> list[str]:
    """The Social Work England numbers already held by more than one staff record."""
    numbers = Worker.objects.filter(authority=authority).exclude(swe_number="")
    seen: dict[str, int] = {}
    for number in numbers.values_list("swe_number", flat=True):
        seen[number] = seen.get(number, 0) + 1
    return [n for n, count in seen.items() if count > 1]
