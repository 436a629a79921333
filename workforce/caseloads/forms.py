"""Forms for allocating, transferring and closing cases, supervision, referrals and periods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django import forms

from workforce.caseloads.measures import DAY, year_before
from workforce.caseloads.models import AllocationReason, ReferralOutcome
from workforce.caseloads.selectors import WorkerLoad
from workforce.core.forms import Form, as_at_field, date_field
from workforce.establishment.models import Team, Worker


def _headroom_label(load: WorkerLoad) -> str:
    headroom = "no capacity set" if load.headroom is None else f"{load.headroom} points headroom"
    cases = "1 case" if load.cases == 1 else f"{load.cases} cases"
    return f"{load.name}, {load.role} ({cases}, {headroom})"


class AllocateForm(Form):
    worker = forms.TypedChoiceField(
        label="Allocate to",
        coerce=int,
        help_text="People in the case's team in post on the date, most headroom first.",
        error_messages={
            "required": "Choose who to allocate to: the person who will hold the case.",
            "invalid_choice": "Choose who to allocate to from the list.",
        },
    )
    start = date_field("Allocation date")
    reason = forms.ChoiceField(
        label="Reason",
        choices=AllocationReason.choices,
        error_messages={"required": "Choose the reason the case is being allocated."},
    )
    over_capacity_reason = forms.CharField(
        label="Reason for allocating beyond capacity",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only needed if the worker would go over their capacity. It is recorded.",
    )

    def __init__(self, *args: object, candidates: Sequence[WorkerLoad], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["worker"].choices = [("", "Choose a worker")] + [  # type: ignore[attr-defined]
            (c.worker_id, _headroom_label(c)) for c in candidates
        ]


class TransferForm(Form):
    to_team = forms.ModelChoiceField(
        label="Transfer to",
        queryset=Team.objects.none(),
        error_messages={
            "required": "Choose the team to transfer to.",
            "invalid_choice": "Choose the team to transfer to from the list.",
        },
    )
    on = date_field("Transfer date", help_text="The first day the case is with the new team.")

    def __init__(self, *args: object, teams: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["to_team"].queryset = teams  # type: ignore[attr-defined]


class EndAllocationForm(Form):
    end = date_field("End date", help_text="The first day the worker no longer holds the case.")


class CloseCaseForm(Form):
    closed = date_field("Closing date", help_text="The first day the case is no longer open.")


class SupervisionForm(Form):
    date = date_field("Date of supervision")
    supervisor = forms.ModelChoiceField(
        label="Supervisor",
        queryset=Worker.objects.none(),
        required=False,
    )

    def __init__(self, *args: object, supervisors: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["supervisor"].queryset = supervisors  # type: ignore[attr-defined]


class PeriodForm(Form):
    """A period of referrals: from a date up to and including another (default: a year), and
    the date at which how far they went is counted (default: today, or the period's end if
    later)."""

    start = date_field("From", required=False, name="the start of the period")
    end = date_field("To", required=False, name="the end of the period")
    as_at = as_at_field(initial_today=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end, as_at = data.get("start"), data.get("end"), data.get("as_at")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.add_error("end", "“To” must be on or after “From”.")
        if isinstance(as_at, dt.date) and isinstance(end, dt.date) and as_at < end:
            self.add_error(
                "as_at", "“As at” must be on or after “To”: a referral counts once received."
            )
        return data

    def counted_at(self) -> dt.date | None:
        """The date the funnel is as at, when one was asked for (else the funnel's default)."""
        if self.is_valid():
            return self.cleaned_data.get("as_at")  # type: ignore[no-any-return]
        return None

    def period(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """[start, end) for the query; `end` is the day after the last day asked for (the 12
        months to the "As at" date when only that is given)."""
        last = today
        first = year_before(today)
        if self.is_valid():
            last = self.cleaned_data.get("end") or self.cleaned_data.get("as_at") or last
            first = self.cleaned_data.get("start") or year_before(last)
        return first, last + DAY


class ReferralForm(Form):
    received = date_field("Date received")
    team = forms.ModelChoiceField(
        label="Team receiving the referral",
        queryset=Team.objects.none(),
        help_text="Front door and assessment teams you work with.",
        error_messages={
            "required": "Choose the team receiving the referral.",
        },
    )
    child_ref = forms.CharField(
        label="Child reference",
        required=False,
        max_length=64,
        help_text="The reference of the child's case, never a name. Leave it empty if the child "
        "has no case yet.",
        error_messages={"max_length": "A child reference is at most 64 characters."},
    )

    def __init__(self, *args: object, teams: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class ReferralOutcomeForm(Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "Choose the outcome")] + list(ReferralOutcome.choices),
        help_text="How far the referral went, or how it ended. Record it again as it goes further.",
        error_messages={
            "required": "Choose the outcome of the referral.",
        },
    )
    outcome_date = date_field(
        "Date of the outcome",
        required=False,
        help_text="The day the decision was made: on or after the date the referral was received.",
    )
    initial_assessment_start = date_field("Initial assessment started", required=False)
    initial_assessment_completed = date_field("Initial assessment completed", required=False)
    core_assessment_start = date_field("Core assessment started", required=False)
    core_assessment_completed = date_field("Core assessment completed", required=False)
    plan_date = date_field(
        "Date of the plan", required=False, help_text="Needed when the outcome is a plan."
    )
