"""Action plans: a source (scrutiny inquiry, Ofsted inspection, improvement notice...) makes
numbered recommendations; each is answered by actions with an owner, a timescale and a status,
moved on by dated progress updates with their evidence, and tied to the measures they are meant
to move.

An action's status changes only through a progress update (`services.record_update`), so an
action's history is its updates, and its status on any day is the one the last update by then
gave (`Action.status_on`). Its RAG is worked out from that status and the due date
(`Action.rag_on`), never typed in, so the plan, the lists, the exports and the board report
section give the same colour.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from workforce.core.models import AuthorityOwned


class SourceKind(models.TextChoices):
    SCRUTINY = "scrutiny", "Scrutiny inquiry"
    OFSTED = "ofsted", "Ofsted inspection"
    IMPROVEMENT_NOTICE = "improvement_notice", "Improvement notice"
    PEER_REVIEW = "peer_review", "Peer review"
    INTERNAL_REVIEW = "internal_review", "Internal review"


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"
    CLOSED = "closed", "Closed without action"


OPEN_STATUSES = (Status.NOT_STARTED, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK)
ENDED_STATUSES = (Status.COMPLETE, Status.CLOSED)


class Rag(models.TextChoices):
    """What an action's status and due date say, as a colour (the GOV.UK tag colours)."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"
    CLOSED = "closed", "Closed"
    NOT_STARTED = "not_started", "Not started"


RAG_TAG = {  # the govuk-tag modifier for each
    Rag.RED: "govuk-tag--red",
    Rag.AMBER: "govuk-tag--yellow",
    Rag.GREEN: "govuk-tag--green",
    Rag.COMPLETE: "govuk-tag--blue",
    Rag.CLOSED: "govuk-tag--grey",
    Rag.NOT_STARTED: "govuk-tag--grey",
}


class Source(AuthorityOwned):
    """What the recommendations come from: a scrutiny board's inquiry report, an inspection."""

    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    title = models.CharField(
        max_length=200,
        help_text="For example, Recruitment, retention and workload of children's social workers.",
    )
    body = models.CharField(
        "made by",
        max_length=200,
        help_text="The board, inspectorate or reviewer, for example Scrutiny Board "
        "(Children's Services).",
    )
    issued_on = models.DateField("date of the report")
    link = models.URLField("link to the report", blank=True, max_length=500)
    response_due = models.DateField("formal response due", null=True, blank=True)
    summary = models.TextField(blank=True, help_text="What the report found, in brief.")

    class Meta:
        ordering = ["-issued_on", "title"]

    def __str__(self) -> str:
        return self.title


class Recommendation(AuthorityOwned):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="recommendations")
    number = models.CharField(
        max_length=20, help_text="As the report numbers it, for example 1, 7 or 8.10."
    )
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["source", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "number"], name="recommendation_number_unique_in_source"
            )
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"


class Action(AuthorityOwned):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="actions"
    )
    text = models.TextField("action taken or proposed")
    responsibility = models.CharField(
        max_length=300,
        help_text="The officers responsible, with their roles, as the plan names them, for "
        "example Head of Human Resources.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
        help_text="The user who records progress on it.",
    )
    start = models.DateField("started or agreed on")
    due = models.DateField("due by", null=True, blank=True)
    timescale = models.CharField(
        max_length=300,
        blank=True,
        help_text='In words, as the plan gives it, for example "before April 2007".',
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    ended_on = models.DateField(null=True, blank=True)
    closed_reason = models.TextField("why it was closed without action", blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = [
            "recommendation__source",
            "recommendation__order",
            "recommendation",
            "order",
            "pk",
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due__isnull=True) | Q(due__gte=models.F("start")),
                name="action_due_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ENDED_STATUSES, ended_on__isnull=False)
                | (~Q(status__in=ENDED_STATUSES) & Q(ended_on__isnull=True)),
                name="action_ended_on_when_ended",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.CLOSED) | ~Q(closed_reason=""),
                name="action_closed_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["authority", "status", "due"])]

    def __str__(self) -> str:
        first = self.text.strip().split("\n", 1)[0]
        return first if len(first) <= 80 else first[:77] + "..."

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    # As at a day: the status the last update on or before it gave. Updates are never dated
    # after today, so from today on that is the status as it stands, with no query; for an
    # earlier day the updates are read (prefetch them for a list).

    def updates_by(self, day: dt.date) -> list[Update]:
        """The updates dated on or before `day`, oldest first."""
        return sorted((u for u in self.updates.all() if u.on <= day), key=lambda u: (u.on, u.pk))

    def status_on(self, day: dt.date) -> Status:
        if day >= timezone.localdate():
            return Status(self.status)
        updates = sorted(self.updates.all(), key=lambda u: (u.on, u.pk))
        before = [u for u in updates if u.on <= day]
        if before:
            return Status(before[-1].status)
        return Status(updates[0].status_before if updates else self.status)

    def latest_on(self, day: dt.date) -> Update | None:
        found = self.updates_by(day)
        return found[-1] if found else None

    def is_overdue_on(self, day: dt.date) -> bool:
        return self.status_on(day) in OPEN_STATUSES and self.due is not None and self.due < day

    def rag_on(self, day: dt.date) -> Rag:
        return rag(self.status_on(day), self.due, day)


def rag(status: str, due: dt.date | None, day: dt.date) -> Rag:
    """An action's colour on a day: open and past its due date is red whatever its status."""
    if status == Status.COMPLETE:
        return Rag.COMPLETE
    if status == Status.CLOSED:
        return Rag.CLOSED
    if due is not None and due < day:
        return Rag.RED
    return {
        Status.ON_TRACK: Rag.GREEN,
        Status.AT_RISK: Rag.AMBER,
        Status.OFF_TRACK: Rag.RED,
    }.get(Status(status), Rag.NOT_STARTED)


class Update(AuthorityOwned):
    """A dated word on an action's progress; it may move the action's status."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField("date of the update")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_updates"
    )
    text = models.TextField("progress")
    status_before = models.CharField(max_length=20, choices=Status.choices)
    status = models.CharField("status after the update", max_length=20, choices=Status.choices)

    class Meta:
        ordering = ["action", "on", "pk"]
        indexes = [models.Index(fields=["authority", "on"])]

    def __str__(self) -> str:
        return f"Update of {self.on:%Y-%m-%d}"

    @property
    def changed_status(self) -> bool:
        return self.status != self.status_before


class Evidence(AuthorityOwned):
    """A file or a link behind an update, or the report a source is (one of the two each)."""

    update = models.ForeignKey(
        Update, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    title = models.CharField(max_length=200)
    link = models.URLField(blank=True, max_length=500)
    # A stored file: the name it was uploaded with, what its contents are, where it is kept
    # (a random name under EVIDENCE_ROOT, outside anything the web server serves).
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    stored_as = models.CharField(max_length=64, blank=True, unique=True, null=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(update__isnull=False, source__isnull=True)
                | Q(update__isnull=True, source__isnull=False),
                name="evidence_of_update_or_source",
            ),
            models.CheckConstraint(
                condition=(Q(link="") & Q(stored_as__isnull=False))
                | (~Q(link="") & Q(stored_as__isnull=True)),
                name="evidence_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return bool(self.stored_as)


class Direction(models.TextChoices):
    AT_MOST = "le", "At most"
    AT_LEAST = "ge", "At least"
    FALLING = "falls", "Falling"
    RISING = "rises", "Rising"


class ActionMeasure(AuthorityOwned):
    """A measure of the figures layer an action is meant to move, with its target: "agency
    rate at most 20% by 28 February 2017", or only a direction ("falling")."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="measures")
    measure = models.CharField(max_length=40, help_text="A measure of the figures layer.")
    direction = models.CharField(max_length=5, choices=Direction.choices)
    value = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="In the measure's units as shown: a percentage for rates.",
    )
    by = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["action", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["action", "measure"], name="action_measure_once"),
            models.CheckConstraint(
                condition=Q(direction__in=["le", "ge"], value__isnull=False)
                | Q(direction__in=["falls", "rises"], value__isnull=True),
                name="action_measure_value_with_bound",
            ),
        ]

    def __str__(self) -> str:
        return self.measure
