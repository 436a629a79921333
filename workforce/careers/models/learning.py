"""Learning and development: programmes (the ILM course for first-line managers, core training,
practice workshops), their sessions, who attended and who completed."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from workforce.core.models import AuthorityOwned
from workforce.establishment.models import Worker


class LearningKind(models.TextChoices):
    LEADERSHIP = "leadership", "Leadership and management (ILM)"
    CORE = "core", "Core training"
    WORKSHOP = "workshop", "Practice workshop"


class LearningProgramme(AuthorityOwned):
    title = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=LearningKind.choices)
    provider = models.CharField(max_length=120, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "title"], name="learning_programme_title_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title


class LearningSession(AuthorityOwned):
    programme = models.ForeignKey(
        LearningProgramme, on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(max_length=150)
    date = models.DateField()
    venue = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["date", "title"]

    def __str__(self) -> str:
        return f"{self.programme}: {self.title}"


class Enrolment(AuthorityOwned):
    """A worker on a programme: enrolled on a date, completed on a date once they finish."""

    programme = models.ForeignKey(
        LearningProgramme, on_delete=models.PROTECT, related_name="enrolments"
    )
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="enrolments")
    enrolled_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["programme", "worker"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "worker"], name="enrolment_once"),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("enrolled_on")),
                name="enrolment_completed_after_enrolled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} on {self.programme}"


class Attendance(AuthorityOwned):
    """Whether a worker attended one session."""

    session = models.ForeignKey(
        LearningSession, on_delete=models.CASCADE, related_name="attendances"
    )
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="attendances")
    attended = models.BooleanField(default=True)

    class Meta:
        ordering = ["session", "worker"]
        constraints = [
            models.UniqueConstraint(fields=["session", "worker"], name="attendance_once")
        ]
