"""The form for recording an early-career review."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from workforce.careers.models.programmes import ReviewOutcome, ReviewPoint
from workforce.core.forms import date_field
from workforce.establishment.models import Worker


class ReviewForm(forms.Form):
    point = forms.ModelChoiceField(
        label="Review",
        queryset=ReviewPoint.objects.none(),
        error_messages={
            "required": "Choose which review was held.",
            "invalid_choice": "Choose a review from the list.",
        },
    )
    held_on = date_field("Date held")
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "Choose the outcome"), *ReviewOutcome.choices],
        help_text="A pass, an extension or not passed is decided at the final review only.",
        error_messages={
            "required": "Choose the outcome of the review.",
            "invalid_choice": "Choose an outcome from the list.",
        },
    )
    extension_months = forms.IntegerField(
        label="Length of the extension in months",
        required=False,
        min_value=0,
        help_text="Only for an extension.",
        error_messages={
            "invalid": "Enter the length of the extension as a whole number of months.",
            "min_value": "The extension cannot be a negative number of months.",
        },
    )
    assessor = forms.ModelChoiceField(
        label="Assessor",
        queryset=Worker.objects.none(),
        required=False,
        help_text="Leave empty for the member's assessor.",
        error_messages={"invalid_choice": "Choose an assessor from the list."},
    )

    def __init__(
        self,
        *args: object,
        points: QuerySet[ReviewPoint],
        assessors: QuerySet[Worker],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["point"].queryset = points  # type: ignore[attr-defined]
        self.fields["assessor"].queryset = assessors  # type: ignore[attr-defined]
