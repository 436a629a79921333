"""Forms for progression, incentives and clawback, and learning and development."""

from __future__ import annotations

from typing import Any

from django import forms

from workforce.careers.models.incentives import IncentiveKind, ProgressionKind
from workforce.careers.models.learning import LearningKind
from workforce.core.forms import Form, date_field, named
from workforce.establishment.models import Role, Worker


def _choice(label: str, choices: list[tuple[str, str]], message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", "Choose")] + choices,
        error_messages={"required": message, "invalid_choice": message},
    )


def _text(label: str, message: str = "", *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=150,
        error_messages={"required": message} if message else {},
    )


def _pounds(label: str, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    name = label.removesuffix(" (£)")  # "Amount recovered (£)": the amount recovered
    what = name[:1].lower() + name[1:]
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=12,
        decimal_places=2,
        help_text=help_text,
        error_messages={
            "required": f"Enter the {what}.",
            "invalid": f"{name} must be a number of pounds, like 1500 or 1500.00.",
            "max_decimal_places": f"{name} must have at most 2 decimal places.",
            "max_digits": f"{name} must be less than £10,000,000,000.",
            "max_whole_digits": f"{name} must be less than £10,000,000,000.",
        },
    )


class ProgressionForm(Form):
    date = date_field("Date of the progression")
    kind = _choice("Kind", ProgressionKind.choices, "Choose what kind of progression this is.")
    from_grade = named(
        _text("From band or grade", "Enter the band or grade before."), "the band or grade before"
    )
    to_grade = named(
        _text("To band or grade", "Enter the band or grade after."), "the band or grade after"
    )
    to_role = forms.ModelChoiceField(
        label="New role (if the role changes)",
        queryset=Role.objects.none(),
        required=False,
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, roles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_role"].queryset = roles  # type: ignore[attr-defined]


class IncentiveForm(Form):
    kind = _choice("Kind of payment", IncentiveKind.choices, "Choose the kind of payment.")
    amount = _pounds("Amount (£)")
    paid_on = date_field("Date paid")
    clawback_months = forms.IntegerField(
        label="Clawback period (months)",
        initial=0,
        help_text="Leaving within this many months of the date paid pays back the months not "
        "served, pro rata. 0 for none.",
        error_messages={
            "required": "Enter the clawback period in months (0 for none).",
            "invalid": "Clawback period must be a whole number of months.",
        },
    )
    conditions = forms.CharField(
        label="Conditions", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ClawbackForm(Form):
    recorded_on = date_field("Date recorded")
    amount = _pounds(
        "Amount recovered (£)",
        required=False,
        help_text="Leave empty for what the rule gives for the last day.",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ProgrammeForm(Form):
    title = _text("Title", "Enter the programme's title.")
    kind = _choice("Kind", LearningKind.choices, "Choose the kind of programme.")
    provider = _text("Provider", required=False)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SessionForm(Form):
    title = _text("Title", "Enter the session's title.")
    date = date_field("Date")
    venue = _text("Venue", required=False)


class _WorkerForm(Form):
    worker = forms.ModelChoiceField(
        label="Worker",
        queryset=Worker.objects.none(),
        error_messages={
            "required": "Choose a worker.",
        },
    )

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers  # type: ignore[attr-defined]


class AttendanceForm(_WorkerForm):
    attended = forms.TypedChoiceField(
        label="Attended",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
        error_messages={"required": "Say whether they attended."},
    )


class CompletionForm(_WorkerForm):
    completed_on = date_field("Date completed")


class ProgressionFilterForm(Form):
    year = forms.TypedChoiceField(
        label="Financial year", coerce=int, required=False, empty_value=None
    )
    team = forms.TypedChoiceField(label="Team", coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label="Kind", required=False)

    def __init__(self, *args: Any, years: list[tuple[int, str]], teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "All years"), *years]  # type: ignore[attr-defined]
        self.fields["team"].choices = [  # type: ignore[attr-defined]
            ("", "All teams"),
            *[(t.pk, t.name) for t in teams],
        ]
        self.fields["kind"].choices = [("", "All kinds"), *ProgressionKind.choices]  # type: ignore[attr-defined]


class CompletionFilterForm(Form):
    programme = forms.TypedChoiceField(
        label="Programme", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [  # type: ignore[attr-defined]
            ("", "All programmes"),
            *[(p.pk, p.title) for p in programmes],
        ]
