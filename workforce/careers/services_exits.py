"""Writes about leavers: the authority's exit themes and exit interviews.

An exit interview is held with someone who has given notice or has already left. Its outcome is
"left" (the interview is tied to their recorded leaving) or "retained" (they gave notice and
stayed: no leaving after the interview). Each refusal names the field at fault.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from workforce.careers.models.exits import (
    DEFAULT_THEMES,
    ExitInterview,
    ExitOutcome,
    ExitTheme,
)
from workforce.core.dates import day_text
from workforce.core.models import Authority
from workforce.core.validation import refuse, same_authority
from workforce.establishment.models import Engagement, Leaving, Worker

NOTES_LIMIT = 5000
LABEL_LIMIT = 60


def seed_themes(authority: Authority) -> list[ExitTheme]:
    """Give an authority the standard themes it does not have yet (safe to run again); its
    standard themes, in their order."""
    have = {t.label: t for t in ExitTheme.objects.filter(authority=authority)}
    ExitTheme.objects.bulk_create(_standard_themes(authority, leaving_out=frozenset(have)))
    have = {t.label: t for t in ExitTheme.objects.filter(authority=authority)}
    return [have[label] for label in DEFAULT_THEMES]


@transaction.atomic
def add_theme(*, authority: Authority, label: str) -> ExitTheme:
    label = " ".join((label or "").split())
    if not label:
        raise refuse("label", "Enter the theme.")
    if len(label) > LABEL_LIMIT:
        raise refuse("label", f"The theme must be {LABEL_LIMIT} characters or fewer.")
    if ExitTheme.objects.filter(authority=authority, label__iexact=label).exists():
        raise refuse("label", f"There is already a theme called “{label}”.")
    last = ExitTheme.objects.filter(authority=authority).order_by("-order").first()
    return ExitTheme.objects.create(
        authority=authority, label=label, order=(last.order + 1) if last else 1
    )


@transaction.atomic
def set_theme_offered(*, theme: ExitTheme, offered: bool) -> ExitTheme:
    """Offer a theme for new interviews, or retire it (interviews keep the themes they had)."""
    theme.is_active = offered
    theme.save(update_fields=["is_active", "updated_at"])
    return theme


def _leaving_on_or_after(worker: Worker, day: dt.date) -> Leaving | None:
    return worker.leavings.filter(last_day__gte=day).order_by("last_day").first()


def _left_before(worker: Worker, day: dt.date) -> Leaving | None:
    """The worker's leaving before `day`, if they were not employed again between it and `day`."""
    leaving = worker.leavings.filter(last_day__lt=day).order_by("-last_day").first()
    if leaving is None:
        return None
    again = Engagement.objects.filter(
        worker=worker, start__gt=leaving.last_day, start__lte=day
    ).employed()
    return None if again.exists() else leaving


def _checked(
    *,
    worker: Worker,
    held_on: dt.date,
    outcome: str,
    notice_given_on: dt.date | None,
    themes: list[ExitTheme],
    notes: str,
    today: dt.date,
    kept_themes: Iterable[ExitTheme] = (),
    interview: ExitInterview | None = None,
) -> tuple[Leaving | None, str]:
    """The leaving an interview is tied to and its notes, or a refusal naming the field.
    `kept_themes` are those an interview being changed already has: kept even if retired."""
    same_authority(worker, *themes)
    if held_on is None:
        raise refuse("held_on", "Enter the date of the interview.")
    if held_on > today:
        raise refuse("held_on", "The date of the interview cannot be in the future.")
    if outcome not in ExitOutcome.values:
        raise refuse("outcome", "Choose whether they left or were retained.")
    notes = (notes or "").strip()
    if len(notes) > NOTES_LIMIT:
        raise refuse("notes", f"The notes must be {NOTES_LIMIT:,} characters or fewer.")
    kept = {t.pk for t in kept_themes}
    retired = [t.label for t in themes if not t.is_active and t.pk not in kept]
    if retired:
        raise refuse("themes", f"“{retired[0]}” is no longer offered as a theme.")

    leaving: Leaving | None
    if notice_given_on is None:
        leaving = _left_before(worker, held_on)
        if leaving is None:
            raise refuse(
                "notice_given_on",
                f"{worker} was still employed on {day_text(held_on)} and no notice is recorded. "
                "Enter the date they gave notice.",
            )
        if outcome == ExitOutcome.RETAINED:
            raise refuse(
                "outcome",
                f"{worker} had already left on {day_text(leaving.last_day)}, so they cannot have "
                "been retained.",
            )
    else:
        if notice_given_on > held_on:
            raise refuse(
                "held_on",
                f"The date of the interview is before the notice was given "
                f"({day_text(notice_given_on)}).",
            )
        employed = Engagement.objects.filter(worker=worker).employed().active_on(notice_given_on)
        if not employed.exists():
            raise refuse(
                "notice_given_on",
                f"{worker} was not employed by the authority on {day_text(notice_given_on)}.",
            )
        leaving = _leaving_on_or_after(worker, notice_given_on)
        if outcome == ExitOutcome.RETAINED:
            if leaving is not None:
                raise refuse(
                    "outcome",
                    f"{worker} left on {day_text(leaving.last_day)}, after giving notice: "
                    "the outcome is that they left.",
                )
        elif leaving is None:
            raise refuse(
                "outcome",
                f"No leaving is recorded for {worker} after the notice given on "
                f"{day_text(notice_given_on)}. Record their leaving first, or choose retained.",
            )
    if outcome == ExitOutcome.RETAINED:
        leaving = None
    others = ExitInterview.objects.filter(leaving=leaving)
    if interview is not None:
        others = others.exclude(pk=interview.pk)
    if leaving is not None and others.exists():
        raise refuse(
            "outcome",
            f"An exit interview is already recorded for {worker}'s leaving on "
            f"{day_text(leaving.last_day)}.",
        )
    return leaving, notes


@transaction.atomic
def record_exit_interview(
    *,
    worker: Worker,
    held_on: dt.date,
    outcome: str,
    notice_given_on: dt.date | None = None,
    themes: Iterable[ExitTheme] = (),
    notes: str = "",
    today: dt.date | None = None,
) -> ExitInterview:
    """Record an exit interview with someone who has given notice or left."""
    themes = list(themes)
    leaving, notes = _checked(
        worker=worker,
        held_on=held_on,
        outcome=outcome,
        notice_given_on=notice_given_on,
        themes=themes,
        notes=notes,
        today=today or timezone.localdate(),
    )
    interview = ExitInterview.objects.create(
        authority=worker.authority,
        worker=worker,
        held_on=held_on,
        notice_given_on=notice_given_on,
        outcome=outcome,
        leaving=leaving,
        notes=notes,
    )
    interview.themes.set(themes)
    return interview


@transaction.atomic
def change_exit_interview(
    *,
    interview: ExitInterview,
    held_on: dt.date,
    outcome: str,
    notice_given_on: dt.date | None = None,
    themes: Iterable[ExitTheme] = (),
    notes: str = "",
    today: dt.date | None = None,
) -> ExitInterview:
    """Correct an exit interview: the same rules as recording one. Themes since retired that
    it already has may stay. The change, themes included, is kept in the audit log."""
    interview = (
        ExitInterview.objects.select_for_update().select_related("worker").get(pk=interview.pk)
    )
    themes = list(themes)
    leaving, notes = _checked(
        worker=interview.worker,
        held_on=held_on,
        outcome=outcome,
        notice_given_on=notice_given_on,
        themes=themes,
        notes=notes,
        today=today or timezone.localdate(),
        kept_themes=interview.themes.all(),
        interview=interview,
    )
    interview.held_on = held_on
    interview.notice_given_on = notice_given_on
    interview.outcome = outcome
    interview.leaving = leaving
    interview.notes = notes
    interview.save()
    interview.themes.set(themes)
    return interview


@transaction.atomic
def delete_exit_interview(*, interview: ExitInterview) -> ExitInterview:
    """Delete an interview recorded in error (the audit log keeps what it said)."""
    interview.delete()
    return interview


def seed_new_authorities(*, authorities: list[Authority]) -> None:
    """New authorities start with the standard exit themes (a hook of workforce.core.hooks);
    they have none yet, so there is nothing to look up first."""
    ExitTheme.objects.bulk_create(t for a in authorities for t in _standard_themes(a))


def _standard_themes(
    authority: Authority, *, leaving_out: frozenset[str] = frozenset()
) -> list[ExitTheme]:
    return [
        ExitTheme(authority=authority, label=label, order=order)
        for order, label in enumerate(DEFAULT_THEMES, start=1)
        if label not in leaving_out
    ]
