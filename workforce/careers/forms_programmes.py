"""Forms for early-career programmes, cohorts, reviews and trainees."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from workforce.careers.models.programmes import (
    CfkssStatus,
    ReviewOutcome,
    ReviewPoint,
    TraineeRoute,
    WithdrawalReason,
)
from workforce.careers.services_programmes import REASON_LIMIT
from workforce.core.forms import Form, date_field
from workforce.establishment.models import Team, Worker


class ReviewForm(Form):
    point = forms.ModelChoiceField(
        label="Review",
        queryset=ReviewPoint.objects.none(),
        error_messages={
            "required": "Choose which review was held.",
        },
    )
    held_on = date_field("Date held")
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "Choose the outcome"), *ReviewOutcome.choices],
        help_text="A pass, an extension or not passed is decided at the final review only.",
        error_messages={
            "required": "Choose the outcome of the review.",
        },
    )
    extension_months = forms.IntegerField(
        label="Length of the extension in months",
        required=False,
        min_value=0,
        help_text="Only for an extension.",
        error_messages={
            "invalid": "Length of the extension in months must be a whole number.",
            "min_value": "Length of the extension in months cannot be negative.",
        },
    )
    assessor = forms.ModelChoiceField(
        label="Assessor",
        queryset=Worker.objects.none(),
        required=False,
        help_text="Leave empty for the member's assessor.",
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


def _whole(label: str, *, minimum: int = 0, maximum: int = 120) -> forms.IntegerField:
    # The range messages are %-formatted by Django: a "%" in the label is written "%%".
    bounded = label.lower().replace("%", "%%")
    return forms.IntegerField(
        label=label,
        min_value=minimum,
        max_value=maximum,
        error_messages={
            "required": f"Enter the {label.lower()}.",
            "invalid": f"Enter the {label.lower()} as a whole number.",
            "min_value": f"The {bounded} must be at least {minimum}.",
            "max_value": f"The {bounded} must be at most {maximum}.",
        },
    )


def _text(label: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=120,
        required=required,
        error_messages={"required": f"Enter the {label.lower()}."},
    )


class ProgrammeForm(Form):
    name = _text("Name")
    length_months = _whole("Length in months", minimum=1)
    cfkss_status = forms.ChoiceField(
        label="Census CFKSSstatus of its members",
        required=False,
        choices=[("", "None"), *CfkssStatus.choices],
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProgrammeChangeForm(Form):
    name = _text("Name")
    length_months = _whole("Length in months", minimum=1)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class StageForm(Form):
    name = _text("Name")
    from_month = _whole("From month", maximum=119)
    to_month = _whole("To month", minimum=1)
    protected_percent = _whole("Protected caseload (% of capacity)", minimum=1, maximum=100)


class ReviewPointForm(Form):
    name = _text("Name")
    month = _whole("Months after the start", minimum=1)
    final = forms.BooleanField(
        label="The final review: it decides pass, extension or not passed", required=False
    )


class WithdrawalForm(Form):
    on = date_field(
        "Date of the withdrawal",
        help_text="Their first day out of the programme. For example, 27 3 2024.",
    )
    reason = forms.CharField(
        label="Reason",
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the reason for the withdrawal.",
            "max_length": f"The reason must be {REASON_LIMIT} characters or fewer.",
        },
    )


class CohortForm(Form):
    name = _text("Name")
    start = date_field("Start date")


class MemberForm(Form):
    worker = forms.ModelChoiceField(
        label="Worker",
        queryset=Worker.objects.none(),
        error_messages={
            "required": "Choose the worker who joins the cohort.",
        },
    )
    start = date_field("Start date", required=False, help_text="Leave empty for the cohort's.")
    assessor = forms.ModelChoiceField(
        label="Assessor",
        queryset=Worker.objects.none(),
        required=False,
    )

    def __init__(self, *args: object, workers: QuerySet[Worker], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["worker"].queryset = workers  # type: ignore[attr-defined]
        self.fields["assessor"].queryset = workers  # type: ignore[attr-defined]


class TraineeForm(Form):
    worker = forms.ModelChoiceField(
        label="Trainee",
        queryset=Worker.objects.none(),
        error_messages={
            "required": "Choose the trainee.",
        },
    )
    team = forms.ModelChoiceField(
        label="Team placed with",
        queryset=Team.objects.none(),
        error_messages={
            "required": "Choose the team placed with: the team the trainee works in.",
            "invalid_choice": "Choose the team placed with from the list.",
        },
    )
    route = forms.ChoiceField(
        label="Route",
        choices=[("", "Choose the route"), *TraineeRoute.choices],
        error_messages={"required": "Choose the trainee's route."},
    )
    start = date_field("Start date")
    expected_qualification = date_field("Expected qualification date")

    def __init__(
        self, *args: object, workers: QuerySet[Worker], teams: QuerySet[Team], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["worker"].queryset = workers  # type: ignore[attr-defined]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class QualifiedForm(Form):
    on = date_field("Date they qualified")


class WithdrawnForm(Form):
    on = date_field(
        "Date they withdrew", help_text="Their last day on the route. For example, 27 3 2024."
    )
    reason = forms.ChoiceField(
        label="Reason",
        choices=[("", "Choose the reason"), *WithdrawalReason.choices],
        error_messages={
            "required": "Choose the reason the trainee withdrew.",
            "invalid_choice": "Choose the reason from the list.",
        },
    )
    detail = forms.CharField(
        label="More about the reason",
        max_length=200,
        required=False,
        help_text="Needed for another reason; optional otherwise.",
        error_messages={"max_length": "More about the reason must be 200 characters or fewer."},
    )
