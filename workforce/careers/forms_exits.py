"""Forms about leavers: an exit interview, the theme list, and the themes page's choices."""

from __future__ import annotations

from typing import Any

from django import forms

from workforce.careers.models.exits import ExitOutcome, ExitTheme
from workforce.careers.selectors_exits import QUARTER, YEAR
from workforce.careers.services_exits import LABEL_LIMIT, NOTES_LIMIT
from workforce.core.forms import Form, date_field


class ExitInterviewForm(Form):
    held_on = date_field("Date of the interview")
    notice_given_on = date_field(
        "Notice given on",
        required=False,
        help_text="The day they gave notice. Leave empty if they had already left.",
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=ExitOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the outcome: whether they left or were retained.",
            "invalid_choice": "Choose the outcome from the list.",
        },
    )
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        queryset=ExitTheme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all the reasons they gave.",
        error_messages={"invalid_choice": "Choose themes from the list."},
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=NOTES_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": f"The notes must be {NOTES_LIMIT:,} characters or fewer."},
    )

    def __init__(self, *args: Any, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes  # type: ignore[attr-defined]


class ThemeForm(Form):
    label = forms.CharField(
        label="New theme",
        max_length=LABEL_LIMIT,
        error_messages={
            "required": "Enter the new theme.",
            "max_length": f"The new theme must be {LABEL_LIMIT} characters or fewer.",
        },
    )


class PeriodForm(Form):
    by = forms.ChoiceField(
        label="Count by",
        choices=[(YEAR, "Year of leaving"), (QUARTER, "Quarter of leaving")],
        required=False,
    )

    def period(self) -> str:
        if self.is_valid():
            return self.cleaned_data.get("by") or YEAR
        return YEAR
