"""What the establishment pages share: how records are reached in scope, and summaries."""

from __future__ import annotations

from django.urls import reverse

from workforce.core.access import Scope
from workforce.core.templatetags.govuk import fte, govuk_date
from workforce.establishment.models import Engagement, Post, Team, Worker

FILLED = "Filled"  # what people without access to names see in place of a person
TOTAL = "Total"
ALL_TEAMS = "All these teams together"
TEAMS_NOTE = (
    "Team rows do not add up to all these teams together for vacancy: it is worked out role by "
    "role across the teams, so a surplus in one team can fill the same role's vacancy in "
    "another. Budgeted, in post and agency FTE add up."
)


def _scoped_post(scope: Scope, post_id: int) -> Post:
    return scope.get(Post.objects.select_related("team", "role"), pk=post_id)


def _scoped_worker(scope: Scope, worker_id: int) -> Worker:
    """A worker in scope: a team manager reaches only people with an engagement in their teams."""
    return scope.get(Worker.objects.all(), pk=worker_id)


def _scoped_engagement(scope: Scope, engagement_id: int) -> Engagement:
    return scope.get(
        Engagement.objects.select_related("worker", "post__team", "post__role"),
        team="post__team",
        pk=engagement_id,
    )


def _worker_url(worker: Worker) -> str:
    return reverse("establishment:worker", kwargs={"worker_id": worker.pk})


def _worker_summary(worker: Worker) -> list[tuple[str, str]]:
    return [("Name", worker.full_name), ("Staff number", worker.staff_number)]


def _engagement_summary(engagement: Engagement) -> list[tuple[str, str]]:
    return [
        ("Name", engagement.worker.full_name),
        (
            "Current post",
            f"{engagement.post.reference} – {engagement.post.team.name} – "
            f"{engagement.post.role.title}",
        ),
        ("Kind", engagement.get_kind_display()),
        ("FTE", fte(engagement.fte)),
        ("Since", f"{govuk_date(engagement.start)}"),
    ]


def _post_summary(post: Post) -> list[tuple[str, str]]:
    return [("Post", post.reference), ("Team", post.team.name), ("Role", post.role.title)]


def _team_url(team: Team) -> str:
    return reverse("establishment:team", kwargs={"team_id": team.pk})
