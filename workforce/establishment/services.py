"""The real events of an establishment, each a typed function that validates and explains refusals.

Every function runs in one transaction: it either applies completely or raises ValidationError
naming the field at fault, leaving nothing half-saved. History is never overwritten: changes are
new intervals, and the old ones are ended, not edited.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction

from workforce.core import hooks
from workforce.core.dates import day_text
from workforce.core.models import Authority, CensusCode
from workforce.core.validation import KEEP, kept, refuse, same_authority
from workforce.establishment.models import (
    CHOSEN_END_REASONS,
    EMPLOYED_KINDS,
    Absence,
    AgencyCover,
    Engagement,
    EngagementEnd,
    EngagementKind,
    Leaving,
    OrgRole,
    Post,
    PostFunding,
    Role,
    ServiceArea,
    Team,
    Worker,
)

ONE = Decimal("1.00")
CENT = Decimal("0.01")
RATE_LIMIT = Decimal("100000")  # an hourly charge rate holds 7 digits, 2 after the point
DAYS_LIMIT = Decimal("10000")  # working days lost hold 6 digits, 2 after the point
DAY = dt.timedelta(days=1)


def check_fte(fte: Decimal, field: str = "fte") -> Decimal:
    if fte is None:
        raise refuse(field, "Enter the FTE, for example 1 or 0.5.")
    fte = Decimal(fte)
    if not (Decimal(0) < fte <= ONE):
        raise refuse(field, "FTE must be more than 0 and no more than 1, for example 0.5.")
    if fte != fte.quantize(Decimal("0.01")):
        raise refuse(field, "FTE can have at most two decimal places.")
    return fte


def check_dates(start: dt.date, end: dt.date | None, *, end_field: str = "end") -> None:
    if start is None:
        raise refuse("start", "Enter a start date.")
    if end is not None and end <= start:
        raise refuse(end_field, "The end date must be after the start date.")


def check_code(list_name: str, code: str, field: str, *, required: bool = True) -> None:
    if not code:
        if required:
            raise refuse(field, "Choose a value from the census list.")
        return
    if not CensusCode.objects.filter(list=list_name, code=code).exists():
        raise refuse(field, f"“{code}” is not a code in the census list.")


def _peak_fte(intervals: Iterable[tuple[dt.date, dt.date | None, Decimal]]) -> Decimal:
    """Highest total FTE held at any one moment across possibly overlapping intervals."""
    events: list[tuple[dt.date, int, Decimal]] = []
    for start, end, fte in intervals:
        events.append((start, 1, fte))
        if end is not None:
            events.append((end, 0, -fte))  # ends sort before starts on the same day
    peak = total = Decimal(0)
    for _day, _order, delta in sorted(events, key=lambda e: (e[0], e[1])):
        total += delta
        peak = max(peak, total)
    return peak


def _check_worker_capacity(
    worker: Worker, start: dt.date, end: dt.date | None, fte: Decimal, *, ignore: Iterable[int] = ()
) -> None:
    others = (
        Engagement.objects.filter(worker=worker)
        .exclude(pk__in=list(ignore))
        .overlapping(start, end)
        .values_list("start", "end", "fte")
    )
    peak = _peak_fte([*others, (start, end, fte)])
    if peak > ONE:
        raise refuse(
            "fte",
            f"{worker} would work {peak} FTE at once; one person can hold at most 1.0 FTE.",
        )


def _check_post_open(post: Post, start: dt.date, end: dt.date | None, field: str = "start") -> None:
    if start < post.start or (post.end is not None and start >= post.end):
        raise refuse(field, f"Post {post} is not open on {day_text(start)}.")
    if post.end is not None and (end is None or end > post.end):
        raise refuse(
            "end", f"Post {post} closes on {day_text(post.end)}; end the engagement by then."
        )


def _check_not_left(worker: Worker, start: dt.date) -> None:
    left = worker.leavings.filter(last_day__gte=start).first()
    if left is not None:
        raise refuse(
            "start", f"{worker} left on {day_text(left.last_day)}; this starts before that."
        )


# Social Work England numbers: "SW" and the digits of the registration (former HCPC numbers
# kept theirs, written without leading zeros since 2019; the census pads them to ten digits).
SWE_NUMBER = re.compile(r"SW\d{1,10}")


def normal_swe_number(value: str | None, field: str = "swe_number") -> str:
    """The SWE number upper-cased without spaces (`sw 123456` is `SW123456`), or a refusal."""
    number = re.sub(r"\s+", "", value or "").upper()
    if number and not SWE_NUMBER.fullmatch(number):
        raise refuse(
            field,
            "Enter the Social Work England number as SW followed by its digits, for example "
            "SW123456.",
        )
    return number


def check_person(details: Mapping[str, object], today: dt.date | None = None) -> None:
    """What a person's own details cannot be: born in the future, qualified before birth."""
    today = today or dt.date.today()
    born = details.get("date_of_birth")
    qualified = details.get("qual_date")
    if isinstance(born, dt.date) and born > today:
        raise refuse("date_of_birth", "The date of birth cannot be in the future.")
    if isinstance(born, dt.date) and isinstance(qualified, dt.date) and qualified < born:
        raise refuse(
            "qual_date",
            f"The date qualified cannot be before the date of birth ({day_text(born)}).",
        )


# Teams and roles -----------------------------------------------------------------------------


def _clean_text(value: str | None, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise refuse(field, message)
    return value


def _check_team(authority: Authority, name: str, service_area: str, exclude: int | None) -> None:
    if service_area not in ServiceArea.values:
        raise refuse("service_area", "Choose a service area from the list.")
    same = Team.objects.filter(authority=authority, name__iexact=name)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise refuse("name", f"There is already a team called {name}.")


@transaction.atomic
def create_team(*, authority: Authority, name: str, service_area: str, locality: str = "") -> Team:
    """A new team of the authority; its posts are created separately."""
    name = _clean_text(name, "name", "Enter the team's name.")
    _check_team(authority, name, service_area, exclude=None)
    return Team.objects.create(
        authority=authority,
        name=name,
        service_area=service_area,
        locality=(locality or "").strip(),
    )


@transaction.atomic
def update_team(
    *,
    team: Team,
    name: str = KEEP,
    service_area: str = KEEP,
    locality: str = KEEP,
    is_active: bool = KEEP,
) -> Team:
    """Rename a team, change its service area or locality, or mark it closed. What is not
    given is kept.

    A team marked closed keeps its posts and history; close its posts to take it out of the
    establishment from a date.
    """
    name = _clean_text(kept(team, "name", name), "name", "Enter the team's name.")
    service_area = kept(team, "service_area", service_area)
    locality = kept(team, "locality", locality)
    is_active = kept(team, "is_active", is_active)
    _check_team(team.authority, name, service_area, exclude=team.pk)
    team.name = name
    team.service_area = service_area
    team.locality = (locality or "").strip()
    team.is_active = is_active
    team.save(update_fields=["name", "service_area", "locality", "is_active", "updated_at"])
    return team


def _check_role(authority: Authority, title: str, org_role: str, exclude: int | None) -> None:
    if org_role and org_role not in OrgRole.values:
        raise refuse("org_role", "Choose a census OrgRole from the list, or none.")
    same = Role.objects.filter(authority=authority, title__iexact=title)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise refuse("title", f"There is already a role called {title}.")


def _check_points(capacity_points: int | None) -> int:
    if capacity_points is None or capacity_points < 0:
        raise refuse("capacity_points", "Enter the workload capacity in points, 0 or more.")
    return int(capacity_points)


@transaction.atomic
def create_role(
    *,
    authority: Authority,
    title: str,
    org_role: str = "",
    grade: str = "",
    case_holding: bool = False,
    capacity_points: int = 0,
    order: int = 0,
) -> Role:
    title = _clean_text(title, "title", "Enter the role's title.")
    _check_role(authority, title, org_role, exclude=None)
    return Role.objects.create(
        authority=authority,
        title=title,
        org_role=org_role or "",
        grade=(grade or "").strip(),
        case_holding=case_holding,
        capacity_points=_check_points(capacity_points),
        order=order or 0,
    )


@transaction.atomic
def update_role(
    *,
    role: Role,
    title: str = KEEP,
    org_role: str = KEEP,
    grade: str = KEEP,
    case_holding: bool = KEEP,
    capacity_points: int = KEEP,
    order: int = KEEP,
) -> Role:
    """Change a role's title, grade, workload capacity or place in tables. What is not given
    is kept.

    Its census OrgRole and whether it holds cases are part of every figure for every date its
    posts existed, so they change only while it has no posts: otherwise past census figures
    would change. Create a new role and move people to its posts instead.
    """
    title = _clean_text(kept(role, "title", title), "title", "Enter the role's title.")
    org_role = kept(role, "org_role", org_role)
    grade = kept(role, "grade", grade)
    case_holding = kept(role, "case_holding", case_holding)
    capacity_points = kept(role, "capacity_points", capacity_points)
    order = kept(role, "order", order)
    _check_role(role.authority, title, org_role, exclude=role.pk)
    in_use = role.posts.exists()
    if in_use and (org_role or "") != role.org_role:
        raise refuse(
            "org_role",
            "This role has posts, so its census OrgRole is part of past figures and cannot "
            "change. Create a new role with the other OrgRole and move people to its posts.",
        )
    if in_use and case_holding != role.case_holding:
        raise refuse(
            "case_holding",
            "This role has posts, so whether it holds cases is part of past figures and cannot "
            "change. Create a new role and move people to its posts.",
        )
    role.title = title
    role.org_role = org_role or ""
    role.grade = (grade or "").strip()
    role.case_holding = case_holding
    role.capacity_points = _check_points(capacity_points)
    role.order = order or 0
    role.save()
    return role


# Posts -------------------------------------------------------------------------------------


@transaction.atomic
def create_post(
    *,
    authority: Authority,
    team: Team,
    role: Role,
    reference: str,
    fte: Decimal,
    start: dt.date,
    end: dt.date | None = None,
    grade: str = "",
    cost_centre: str = "",
) -> Post:
    same_authority(team, role, authority=authority)
    fte = check_fte(fte)
    check_dates(start, end)
    reference = (reference or "").strip()
    if not reference:
        raise refuse("reference", "Enter the establishment line reference.")
    if Post.objects.filter(authority=authority, reference=reference).exists():
        raise refuse("reference", f"A post with reference {reference} already exists.")
    post = Post.objects.create(
        authority=authority,
        team=team,
        role=role,
        reference=reference,
        start=start,
        end=end,
        grade=grade or role.grade,
        cost_centre=cost_centre,
    )
    PostFunding.objects.create(authority=authority, post=post, fte=fte, start=start, end=end)
    return post


@transaction.atomic
def change_post_fte(*, post: Post, fte: Decimal, from_date: dt.date) -> PostFunding:
    """Change a post's budgeted FTE from a date; the earlier value stays for the past."""
    fte = check_fte(fte)
    if not post.is_active_on(from_date):
        raise refuse("from_date", f"Post {post} is not open on {day_text(from_date)}.")
    current = post.funding.active_on(from_date).select_for_update().first()
    if current is None:
        raise refuse("from_date", f"Post {post} has no funding on {day_text(from_date)}.")
    if post.funding.filter(start__gt=from_date).exists():
        raise refuse(
            "from_date", "A later change is already recorded; change the post from after it."
        )
    if current.fte == fte:
        raise refuse("fte", f"The post is already funded at {fte} FTE on that date.")
    if current.start == from_date:
        raise refuse("from_date", "The FTE already changed on that date; choose a later date.")
    new = PostFunding.objects.create(
        authority=post.authority, post=post, fte=fte, start=from_date, end=current.end
    )
    current.end = from_date
    current.save(update_fields=["end", "updated_at"])
    return new


@transaction.atomic
def close_post(*, post: Post, end: dt.date) -> Post:
    """Close a post from `end` (its first day closed). Refused while someone fills it then."""
    check_dates(post.start, end)
    if post.end is not None and post.end <= end:
        raise refuse("end", f"Post {post} already closes on {day_text(post.end)}.")
    filled = post.engagements.overlapping(end, None).select_related("worker").first()
    if filled is not None:
        raise refuse(
            "end",
            f"{filled.worker} is in this post on or after {day_text(end)}; move them or end "
            "their engagement first.",
        )
    # One by one (a post has a few), so that the audit trail records each.
    for later in post.funding.filter(start__gte=end):
        later.delete()
    for funding in post.funding.overlapping(end, None):
        funding.end = end
        funding.save(update_fields=["end", "updated_at"])
    post.end = end
    post.save(update_fields=["end", "updated_at"])
    return post


# People ------------------------------------------------------------------------------------


def _validate_engagement(
    *,
    worker: Worker,
    post: Post,
    start: dt.date,
    end: dt.date | None,
    fte: Decimal,
    ignore: Iterable[int] = (),
) -> Decimal:
    same_authority(worker, post)
    fte = check_fte(fte)
    check_dates(start, end)
    _check_post_open(post, start, end)
    _check_not_left(worker, start)
    _check_worker_capacity(worker, start, end, fte, ignore=ignore)
    return fte


@transaction.atomic
def appoint_worker(
    *,
    worker: Worker,
    post: Post,
    start: dt.date,
    fte: Decimal,
    kind: str = EngagementKind.PERMANENT,
    end: dt.date | None = None,
    start_origin: str = "",
) -> Engagement:
    """Appoint someone to a post as an authority employee (permanent, fixed-term or secondment)."""
    if kind not in EMPLOYED_KINDS:
        raise refuse(
            "kind", "Choose permanent, fixed-term or secondment; agency cover has its own form."
        )
    if kind == EngagementKind.FIXED_TERM and end is None:
        raise refuse("end", "A fixed-term appointment needs an end date.")
    fte = _validate_engagement(worker=worker, post=post, start=start, end=end, fte=fte)
    check_code(CensusCode.List.START_ORIGIN, start_origin, "start_origin", required=False)
    return Engagement.objects.create(
        authority=post.authority,
        worker=worker,
        post=post,
        start=start,
        end=end,
        fte=fte,
        kind=kind,
        start_origin=start_origin,
    )


@transaction.atomic
def create_worker(
    *,
    authority: Authority,
    staff_number: str,
    first_name: str,
    last_name: str,
    today: dt.date | None = None,
    **details: object,
) -> Worker:
    staff_number = (staff_number or "").strip()
    if not staff_number:
        raise refuse("staff_number", "Enter the staff number.")
    if not (first_name or "").strip():
        raise refuse("first_name", "Enter the first name.")
    if not (last_name or "").strip():
        raise refuse("last_name", "Enter the last name.")
    if Worker.objects.filter(authority=authority, staff_number=staff_number).exists():
        raise refuse("staff_number", f"Staff number {staff_number} is already used.")
    for field, list_name in (
        ("gender", "gender"),
        ("ethnicity", "ethnicity"),
        ("qual_level", "qual_level"),
    ):
        check_code(list_name, str(details.get(field) or ""), field, required=False)
    if "swe_number" in details:
        details["swe_number"] = normal_swe_number(str(details["swe_number"] or ""))
    check_person(details, today)
    worker = Worker(
        authority=authority,
        staff_number=staff_number,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        **details,
    )
    worker.full_clean()
    worker.save()
    return worker


# What `update_worker` may change: a person's own details, never their staff number.
WORKER_DETAILS = (
    "first_name",
    "last_name",
    "swe_number",
    "date_of_birth",
    "gender",
    "ethnicity",
    "qual_level",
    "qual_institution",
    "qual_date",
    "route",
)


@transaction.atomic
def update_worker(*, worker: Worker, today: dt.date | None = None, **details: object) -> Worker:
    """Change a person's own details (name, SWE number, date of birth, census codes...). Only
    the details given change: the others are kept as they are."""
    unknown = set(details) - set(WORKER_DETAILS)
    if unknown:
        raise refuse(sorted(unknown)[0], "This cannot be changed here.")
    for field in ("first_name", "last_name"):
        if field in details and not str(details[field] or "").strip():
            raise refuse(field, f"Enter the {field.replace('_', ' ')}.")
    for field, list_name in (
        ("gender", "gender"),
        ("ethnicity", "ethnicity"),
        ("qual_level", "qual_level"),
    ):
        if field in details:
            check_code(list_name, str(details[field] or ""), field, required=False)
    if "swe_number" in details:
        details["swe_number"] = normal_swe_number(str(details["swe_number"] or ""))
    check_person(
        {name: details.get(name, getattr(worker, name)) for name in ("date_of_birth", "qual_date")},
        today,
    )
    for field, value in details.items():
        setattr(worker, field, value.strip() if isinstance(value, str) else value)
    worker.full_clean()
    worker.save()
    return worker


@transaction.atomic
def move_worker(
    *, engagement: Engagement, to_post: Post, on: dt.date, fte: Decimal | None = None
) -> Engagement:
    """Move a worker to another post from `on`. A team move: neither a leaver nor a starter."""
    if to_post.pk == engagement.post_id:
        raise refuse("to_post", "Choose a different post from the current one.")
    if not engagement.is_active_on(on) or on == engagement.start:
        raise refuse("on", f"The current engagement does not run across {day_text(on)}.")
    new_fte = engagement.fte if fte is None else fte
    new_fte = _validate_engagement(
        worker=engagement.worker,
        post=to_post,
        start=on,
        end=engagement.end,
        fte=new_fte,
        ignore=[engagement.pk],
    )
    moved = Engagement.objects.create(
        authority=engagement.authority,
        worker=engagement.worker,
        post=to_post,
        start=on,
        end=engagement.end,
        fte=new_fte,
        kind=engagement.kind,
        agency_name=engagement.agency_name,
        charge_rate=engagement.charge_rate,
        covers=engagement.covers,
        covering_for=engagement.covering_for,
    )
    engagement.end = on
    engagement.end_reason = EngagementEnd.MOVED
    engagement.save(update_fields=["end", "end_reason", "updated_at"])
    return moved


@transaction.atomic
def start_agency_assignment(
    *,
    worker: Worker,
    post: Post,
    start: dt.date,
    fte: Decimal,
    agency_name: str,
    charge_rate: Decimal | None,
    covers: str,
    covering_for: Worker | None = None,
    end: dt.date | None = None,
) -> Engagement:
    if not (agency_name or "").strip():
        raise refuse("agency_name", "Enter the name of the agency.")
    if charge_rate is not None and Decimal(charge_rate) <= 0:
        raise refuse("charge_rate", "The hourly charge rate must be more than £0.")
    if charge_rate is not None and Decimal(charge_rate) != Decimal(charge_rate).quantize(CENT):
        raise refuse("charge_rate", "The hourly charge rate can have at most two decimal places.")
    if charge_rate is not None and Decimal(charge_rate) >= RATE_LIMIT:
        raise refuse("charge_rate", "The hourly charge rate is too large.")
    if covers not in AgencyCover.values:
        raise refuse("covers", "Say whether this covers a vacancy, an absence or extra capacity.")
    if covers == AgencyCover.ABSENCE and covering_for is None:
        raise refuse("covering_for", "Choose whose absence this covers.")
    fte = _validate_engagement(worker=worker, post=post, start=start, end=end, fte=fte)
    return Engagement.objects.create(
        authority=post.authority,
        worker=worker,
        post=post,
        start=start,
        end=end,
        fte=fte,
        kind=EngagementKind.AGENCY,
        agency_name=agency_name.strip(),
        charge_rate=charge_rate,
        covers=covers,
        covering_for=covering_for if covers == AgencyCover.ABSENCE else None,
    )


def _check_from_date(engagement: Engagement, from_date: dt.date | None) -> dt.date:
    """A change from `from_date` splits the engagement: it must run on both sides of it."""
    if from_date is None:
        raise refuse("from_date", "Enter the date the change takes effect.")
    if not engagement.is_active_on(from_date):
        raise refuse(
            "from_date",
            f"The engagement does not run on {day_text(from_date)}; choose a date within it.",
        )
    if from_date == engagement.start:
        raise refuse(
            "from_date",
            f"The engagement starts on {day_text(from_date)}; a change must start after its "
            "first day.",
        )
    return from_date


def _continue(engagement: Engagement, *, start: dt.date, **changes: object) -> Engagement:
    """A new engagement carrying on from `start` where `engagement` leaves off, with changes."""
    values: dict[str, object] = {
        "authority": engagement.authority,
        "worker": engagement.worker,
        "post": engagement.post,
        "start": start,
        "end": engagement.end,
        "fte": engagement.fte,
        "kind": engagement.kind,
        "agency_name": engagement.agency_name,
        "charge_rate": engagement.charge_rate,
        "covers": engagement.covers,
        "covering_for": engagement.covering_for,
    }
    values.update(changes)
    return Engagement.objects.create(**values)


def _close_at(engagement: Engagement, end: dt.date, reason: str) -> None:
    engagement.end = end
    engagement.end_reason = reason
    engagement.save(update_fields=["end", "end_reason", "updated_at"])


@transaction.atomic
def change_hours(*, engagement: Engagement, fte: Decimal, from_date: dt.date) -> Engagement:
    """Change the FTE a worker holds in the same post from a date.

    The current engagement ends the day before `from_date` and a new one with the new FTE starts
    on it, so figures for earlier dates keep the old FTE. Same post, same kind: neither a leaver
    nor a starter.
    """
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    from_date = _check_from_date(engagement, from_date)
    new_fte = check_fte(fte)
    if new_fte == engagement.fte:
        raise refuse("fte", f"They already work {engagement.fte} FTE in this post.")
    new_fte = _validate_engagement(
        worker=engagement.worker,
        post=engagement.post,
        start=from_date,
        end=engagement.end,
        fte=new_fte,
        ignore=[engagement.pk],
    )
    changed = _continue(engagement, start=from_date, fte=new_fte)
    _close_at(engagement, from_date, EngagementEnd.HOURS_CHANGED)
    return changed


# The census StartOrigin of someone who joins the authority from agency work.
FROM_AGENCY = "4"


@transaction.atomic
def convert_to_permanent(
    *,
    engagement: Engagement,
    from_date: dt.date,
    fte: Decimal | None = None,
    start_origin: str = FROM_AGENCY,
) -> Engagement:
    """An agency worker becomes a permanent employee in the same post from a date.

    The agency assignment ends the day before (reason "Became authority-employed") and a
    permanent engagement starts on `from_date`. For the census this is a starter (they join
    the authority's employment, StartOrigin 4 "Agency or consultancy") and not a leaver (an
    agency worker was never employed by the authority); see docs/definitions.md.
    """
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if not engagement.is_agency:
        raise refuse(
            "engagement", "Only an agency assignment can be converted to a permanent post."
        )
    from_date = _check_from_date(engagement, from_date)
    new_fte = _validate_engagement(
        worker=engagement.worker,
        post=engagement.post,
        start=from_date,
        end=None,
        fte=engagement.fte if fte is None else fte,
        ignore=[engagement.pk],
    )
    check_code(CensusCode.List.START_ORIGIN, start_origin, "start_origin", required=False)
    employed = Engagement.objects.create(
        authority=engagement.authority,
        worker=engagement.worker,
        post=engagement.post,
        start=from_date,
        end=None,
        fte=new_fte,
        kind=EngagementKind.PERMANENT,
        start_origin=start_origin,
    )
    _close_at(engagement, from_date, EngagementEnd.CONVERTED)
    return employed


def _check_end_reason(engagement: Engagement, reason: str) -> None:
    if reason not in EngagementEnd.values:
        raise refuse("reason", "Choose why the engagement ends from the list.")
    if reason == EngagementEnd.ASSIGNMENT_ENDED and not engagement.is_agency:
        raise refuse("reason", "Only an agency assignment ends as an agency assignment.")
    if reason == EngagementEnd.CONTRACT_ENDED and engagement.kind not in (
        EngagementKind.FIXED_TERM,
        EngagementKind.SECONDMENT,
    ):
        raise refuse(
            "reason", "Only a fixed-term contract or a secondment ends as a contract ending."
        )


@transaction.atomic
def end_engagement(*, engagement: Engagement, last_day: dt.date, reason: str) -> Engagement:
    """End an engagement after `last_day` with a reason (for example an agency assignment ending).

    Ending someone's last authority engagement this way does not record a leaver: that is
    `record_leaver`, which the page offers next.
    """
    if last_day is None:
        raise refuse("last_day", "Enter the last day.")
    _check_end_reason(engagement, reason)
    end = last_day + DAY
    if end <= engagement.start:
        raise refuse("last_day", "The last day cannot be before the engagement started.")
    if engagement.end is not None and end >= engagement.end:
        raise refuse("last_day", f"The engagement already ends on {day_text(engagement.last_day)}.")
    engagement.end = end
    engagement.end_reason = reason
    engagement.full_clean()
    engagement.save(update_fields=["end", "end_reason", "updated_at"])
    return engagement


def end_engagement_by_hand(*, engagement: Engagement, last_day: dt.date, reason: str) -> Engagement:
    """End an engagement with one of the reasons a person may choose (`CHOSEN_END_REASONS`)."""
    if reason not in CHOSEN_END_REASONS:
        raise refuse("reason", "Choose why the engagement ends from the list.")
    if reason == EngagementEnd.POST_GIVEN_UP and last_day is not None:
        keeps = (
            Engagement.objects.filter(worker_id=engagement.worker_id)
            .exclude(pk=engagement.pk)
            .active_on(last_day + DAY)
            .exists()
        )
        if not keeps:
            raise refuse(
                "reason",
                f"{engagement.worker} holds no other post after that day. Choose another "
                "reason, or record a leaver if they leave the authority.",
            )
    return end_engagement(engagement=engagement, last_day=last_day, reason=reason)


@transaction.atomic
def end_agency_assignment(*, engagement: Engagement, last_day: dt.date) -> Engagement:
    if not engagement.is_agency:
        raise refuse("engagement", "Only agency assignments end this way; record a leaver instead.")
    return end_engagement(
        engagement=engagement, last_day=last_day, reason=EngagementEnd.ASSIGNMENT_ENDED
    )


@transaction.atomic
def record_leaver(
    *,
    worker: Worker,
    last_day: dt.date,
    reason: str,
    destination: str = "",
    exit_interview_done: bool = False,
    exit_themes: str = "",
    exit_notes: str = "",
) -> Leaving:
    """Record the end of a worker's employment: their authority engagements end after `last_day`,
    and what other apps tie to them ends too (`core.hooks.leaver_recorded`: their case
    allocations end after `last_day`)."""
    if last_day is None:
        raise refuse("last_day", "Enter the last day of employment.")
    check_code(CensusCode.List.REASON_LEAVE, reason, "reason")
    check_code(CensusCode.List.LEAVER_DESTINATION, destination, "destination", required=False)
    employed = Engagement.objects.filter(worker=worker).employed()
    later = employed.filter(start__gt=last_day).first()
    if later is not None:
        raise refuse(
            "last_day",
            f"{worker} has an engagement starting {day_text(later.start)}, after this last day. "
            "Correct that engagement first.",
        )
    current = list(employed.active_on(last_day).select_related("post__role"))
    if not current:
        raise refuse(
            "last_day", f"{worker} is not employed by the authority on {day_text(last_day)}."
        )
    for engagement in current:
        if engagement.end is None or engagement.end > last_day + DAY:
            engagement.end = last_day + DAY
            engagement.end_reason = EngagementEnd.LEFT
            engagement.save(update_fields=["end", "end_reason", "updated_at"])
    main = max(current, key=lambda e: (e.fte, e.start))
    leaving = Leaving.objects.create(
        authority=worker.authority,
        worker=worker,
        last_day=last_day,
        reason=reason,
        destination=destination,
        fte=sum((e.fte for e in current), Decimal(0)),
        org_role=main.post.role.org_role,
        team_id=main.post.team_id,
        exit_interview_done=exit_interview_done,
        exit_themes=exit_themes,
        exit_notes=exit_notes,
    )
    # Other apps end what the leaver held (their case allocations) in this same transaction.
    hooks.leaver_recorded(worker=worker, last_day=last_day)
    return leaving


def _check_absence(
    start: dt.date, end: dt.date | None, reason: str, working_days_lost: Decimal
) -> None:
    check_dates(start, end)
    check_code(CensusCode.List.REASON_ABSENCE, reason, "reason")
    if working_days_lost is None or Decimal(working_days_lost) < 0:
        raise refuse("working_days_lost", "Enter the working days lost, 0 or more.")
    if Decimal(working_days_lost) != Decimal(working_days_lost).quantize(CENT):
        raise refuse("working_days_lost", "Working days lost can have at most two decimal places.")
    if Decimal(working_days_lost) >= DAYS_LIMIT:
        raise refuse("working_days_lost", "That is more working days than anyone can lose.")
    if end is not None and Decimal(working_days_lost) > (end - start).days:
        raise refuse("working_days_lost", "More working days lost than days in the absence.")


def _check_in_post(worker: Worker, start: dt.date, end: dt.date | None) -> None:
    """An absence is from a post: its holder is in post on its first day and its last."""
    held = Engagement.objects.filter(worker_id=worker.pk)
    if not held.active_on(start).exists():
        raise refuse(
            "start",
            f"{worker} holds no post on {day_text(start)}: an absence is recorded for the days "
            "someone is in post.",
        )
    if end is not None and not held.active_on(end - DAY).exists():
        raise refuse(
            "end",
            f"{worker} holds no post on {day_text(end - DAY)}, the last day of this absence: "
            "end it by the last day in post.",
        )


@transaction.atomic
def record_absence(
    *,
    worker: Worker,
    start: dt.date,
    end: dt.date | None,
    reason: str,
    working_days_lost: Decimal,
) -> Absence:
    _check_absence(start, end, reason, working_days_lost)
    _check_in_post(worker, start, end)
    if Absence.objects.filter(worker=worker).overlapping(start, end).exists():
        raise refuse("start", f"{worker} already has an absence recorded over these dates.")
    return Absence.objects.create(
        authority=worker.authority,
        worker=worker,
        start=start,
        end=end,
        reason=reason,
        working_days_lost=working_days_lost,
    )


@transaction.atomic
def correct_absence(
    *,
    absence: Absence,
    end: dt.date | None = KEEP,
    reason: str = KEEP,
    working_days_lost: Decimal = KEEP,
) -> Absence:
    """Correct an absence: its end once it is known (or a corrected end), its reason or the
    working days lost. Its worker and first day, which say which absence it is, stay; the change
    is in the audit trail with the values before and after."""
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    end = kept(absence, "end", end)
    reason = kept(absence, "reason", reason)
    working_days_lost = kept(absence, "working_days_lost", working_days_lost)
    _check_absence(absence.start, end, reason, working_days_lost)
    if end is not None and end != absence.end:
        _check_in_post(absence.worker, absence.start, end)
    others = Absence.objects.filter(worker_id=absence.worker_id).exclude(pk=absence.pk)
    clash = others.overlapping(absence.start, end).order_by("start").first()
    if clash is not None:
        raise refuse(
            "end",
            f"{absence.worker} has another absence from {day_text(clash.start)}; this one "
            "must end before it.",
        )
    absence.end = end
    absence.reason = reason
    absence.working_days_lost = Decimal(working_days_lost)
    absence.full_clean()
    absence.save(update_fields=["end", "reason", "working_days_lost", "updated_at"])
    return absence
