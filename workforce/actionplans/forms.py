"""Forms for action plans: one per service, rendered with GOV.UK markup by the core renderer.

Files are read by the page only after their sizes are checked (`uploads`); their contents are
checked by `evidence.py` inside the services.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from workforce.actionplans.models import Direction, SourceKind, Status
from workforce.core.access import GRANTS, Capability, Scope
from workforce.core.forms import Form, date_field, named
from workforce.core.models import User
from workforce.metrics.measures import REGISTRY

MAX_TEXT = 20_000


def text_field(
    label: str,
    *,
    required: bool = True,
    max_length: int = 200,
    help_text: str = "",
    long: bool = False,
    missing: str = "",
) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 4}) if long else forms.TextInput()
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=widget,
        error_messages={
            "required": missing or f"Enter the {label.lower()}.",
            "max_length": f"{label} must be {max_length:,} characters or fewer.",
        },
    )


def choice(label: str, choices: Any, *, missing: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", "Choose…"), *choices],
        error_messages={"required": missing, "invalid_choice": missing},
    )


def link_field(label: str = "Link", *, help_text: str = "") -> forms.CharField:
    # Checked by the service (http or https only), so that its message is the one shown.
    return forms.CharField(
        label=label,
        required=False,
        max_length=500,
        help_text=help_text or "A web address starting with https://.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"max_length": f"{label} must be 500 characters or fewer."},
    )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files (none too): a list of the uploads."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_empty_file", True)  # the evidence check says "is empty"
        super().__init__(**kwargs)
        self.widget.attrs["multiple"] = True

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        one = super().clean
        items = data if isinstance(data, list | tuple) else [data] if data else []
        return [one(item, initial) for item in items if item]


def files_field(label: str) -> MultipleFileField:
    return MultipleFileField(
        label=label,
        help_text="PDF, Word, Excel, PowerPoint, OpenDocument text, PNG, JPEG, CSV or plain "
        "text, each smaller than the limit. You can choose more than one file.",
        error_messages={"invalid": "Select a file", "missing": "Select a file"},
    )


class SourceForm(Form):
    kind = choice("Kind of report", SourceKind.choices, missing="Choose what kind of report it is.")
    title = text_field(
        "Title",
        help_text="For example, Recruitment, retention and workload of children's social workers.",
        missing="Enter the title of the report.",
    )
    body = named(
        text_field(
            "Made by",
            help_text="The board, inspectorate or reviewer, for example Scrutiny Board "
            "(Children's Services).",
            missing="Enter who made the recommendations.",
        ),
        "who made the recommendations",
    )
    issued_on = date_field("Date of the report")
    response_due = date_field("Formal response due", required=False)
    link = link_field("Link to the report")
    summary = text_field(
        "Summary", required=False, long=True, max_length=MAX_TEXT, help_text="What it found."
    )


class RecommendationForm(Form):
    number = text_field(
        "Number",
        max_length=20,
        help_text="As the report numbers it, for example 1, 7 or 8.10.",
        missing="Enter the recommendation's number.",
    )
    text = text_field(
        "Recommendation", long=True, max_length=MAX_TEXT, missing="Enter the recommendation."
    )


def owners(scope: Scope) -> Any:
    """Users of the authority who may record progress on their own actions."""
    roles = GRANTS[Capability.UPDATE_ACTIONS]
    return User.objects.filter(authority=scope.authority, is_active=True, role__in=roles).order_by(
        "last_name", "first_name", "username"
    )


class OwnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class ActionForm(Form):
    text = text_field(
        "Action taken or proposed",
        long=True,
        max_length=MAX_TEXT,
        missing="Enter the action taken or proposed.",
    )
    responsibility = named(
        text_field(
            "Responsibility",
            max_length=300,
            help_text="The officers responsible, with their roles, as the plan names them, for "
            "example Head of Human Resources.",
            missing="Enter who is responsible.",
        ),
        "who is responsible",
    )
    owner = OwnerChoice(
        label="Owner",
        queryset=User.objects.none(),
        required=False,
        empty_label="No one yet",
        help_text="The user who records progress on it.",
        error_messages={"invalid_choice": "Choose an owner who is a user of this authority."},
    )
    start = date_field("Started or agreed on")
    due = date_field("Due by", required=False)
    timescale = text_field(
        "Timescale",
        required=False,
        max_length=300,
        help_text='In words, as the plan gives it, for example "before April 2007".',
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners(scope)  # type: ignore[attr-defined]


class UpdateForm(Form):
    """A progress update: its date, the status it leaves the action in, what was done, and
    evidence (files, a link)."""

    on = date_field("Date of the update")
    status = forms.ChoiceField(
        label="Status after this update",
        choices=Status.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the action's status after this update.",
            "invalid_choice": "Choose the action's status after this update.",
        },
    )
    text = text_field(
        "Progress",
        long=True,
        max_length=MAX_TEXT,
        help_text="What was done since the last update. When completing the action, say what "
        "was done to complete it.",
        missing="Enter the progress.",
    )
    closed_reason = text_field(
        "Why it is closed without action",
        required=False,
        long=True,
        max_length=MAX_TEXT,
    )
    files = files_field("Evidence files")  # type: ignore[assignment]  # a field, not Form.files
    link = link_field("Link to evidence")
    link_title = text_field("Title of the link", required=False, help_text="What the link is.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "text" in self.errors and data.get("status") == Status.COMPLETE and not data.get("text"):
            self.errors["text"] = self.error_class(["Enter what was done to complete the action."])
        return data


class DocumentForm(Form):
    files = files_field("Files")  # type: ignore[assignment]  # a field, not Form.files
    link = link_field("Link")
    link_title = text_field("Title of the link", required=False, help_text="What the link is.")


class MeasureForm(Form):
    measure = choice(
        "Measure",
        sorted(((key, m.label) for key, m in REGISTRY.items()), key=lambda c: c[1]),
        missing="Choose a measure.",
    )
    direction = named(
        choice(
            "Target",
            Direction.choices,
            missing="Choose what the action should do to the measure.",
        ),
        "what the action should do to the measure",
    )
    value = forms.DecimalField(
        label="Value",
        required=False,
        max_digits=9,
        decimal_places=2,
        help_text="For at most or at least: in the measure's units, a percentage for rates.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}),
        error_messages={
            "invalid": "The value must be a number, for example 20.",
            "max_digits": "The value must be less than 10,000,000.",
            "max_whole_digits": "The value must be less than 10,000,000.",
            "max_decimal_places": "The value can have at most two decimal places.",
        },
    )
    by = date_field("Target date", required=False, help_text="The date the target is for, if any.")


class PlanFilterForm(Form):
    kind = forms.ChoiceField(
        label="Kind of report",
        required=False,
        choices=[("", "Any kind"), *SourceKind.choices],
    )

    def kind_value(self) -> str:
        return self.cleaned_data.get("kind", "") if self.is_valid() else ""


OVERDUE = "overdue"


class ActionFilterForm(Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *Status.choices],
    )
    rag = forms.ChoiceField(
        label="RAG",
        required=False,
        choices=[("", "Any colour")],
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from workforce.actionplans.models import Rag

        super().__init__(*args, **kwargs)
        self.fields["rag"].choices = [("", "Any colour"), *Rag.choices]  # type: ignore[attr-defined]

    def chosen(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class AttentionFilterForm(Form):
    plan = forms.TypedChoiceField(
        label="Plan",
        required=False,
        coerce=int,
        choices=[],
    )
    owner = forms.TypedChoiceField(
        label="Owner",
        required=False,
        coerce=int,
        choices=[],
    )

    def __init__(
        self, *args: Any, plans: list[tuple[int, str]], people: list[tuple[int, str]], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["plan"].choices = [("", "Every plan"), *plans]  # type: ignore[attr-defined]
        self.fields["owner"].choices = [("", "Anyone"), *people]  # type: ignore[attr-defined]

    def chosen(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
