"""Establishment forms: they parse and check the shape of input; the services decide the rest.

Every select of teams, posts and workers is limited to the user's scope, so a record of another
authority (or, for a team manager, another team) cannot be chosen even by editing the page.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from workforce.core.access import Scope
from workforce.core.dates import day_text
from workforce.core.forms import AsAtMixin, Form, as_at_field, date_field, fte_field, named
from workforce.core.models import CensusCode, census_choices
from workforce.establishment import selectors
from workforce.establishment.models import (
    CHOSEN_END_REASONS,
    EMPLOYED_KINDS,
    AgencyCover,
    OrgRole,
    Post,
    Role,
    Route,
    ServiceArea,
    Team,
    Worker,
)
from workforce.establishment.selectors import (
    COLUMN_LABELS,
    WORKER_STATUS_LABELS,
    Column,
    EstablishmentFilter,
)

DAY = dt.timedelta(days=1)


def _census(list_name: str, label: str, *, required: bool, help_text: str = "") -> forms.Field:
    """A select of one census code list (loaded when the form is built, not at import)."""
    empty = "Choose…" if required else "Not recorded"
    return forms.ChoiceField(
        label=label,
        required=required,
        help_text=help_text,
        choices=lambda: [("", empty), *census_choices(list_name)],
    )


class PostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Post) -> str:  # type: ignore[override]
        closed = f" (closed from {day_text(obj.end)})" if obj.end else ""
        return f"{obj.reference} – {obj.team.name} – {obj.role.title}{closed}"


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Worker) -> str:  # type: ignore[override]
        return f"{obj.full_name} ({obj.staff_number})"


def _posts(scope: Scope) -> Any:
    return selectors.posts_for(scope).order_by("reference")


def last_day_to_end(last_day: dt.date | None) -> dt.date | None:
    """Engagements run [start, end): the day after the last day is the end."""
    return None if last_day is None else last_day + DAY


# Filters ------------------------------------------------------------------------------------


def _dated(data: Any) -> Any:
    """Filter data with today as the "as at" date when none is given, so the box shows it."""
    if data is None or data.get("on"):
        return data
    data = data.copy()
    data["on"] = dt.date.today().isoformat()
    return data


class EstablishmentFilterForm(AsAtMixin, Form):
    """The establishment table's filters, carried in the address so a view can be shared."""

    on = as_at_field(initial_today=False)
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.none(),
        required=False,
        empty_label="All teams",
    )
    service_area = forms.ChoiceField(
        label="Service area",
        required=False,
        choices=[("", "All service areas"), *ServiceArea.choices],
    )
    census_only = forms.BooleanField(label="Census-counted roles only", required=False)

    def __init__(self, data: Any, *, scope: Scope) -> None:
        super().__init__(_dated(data))
        self.scope = scope
        self.fields["team"].queryset = selectors.teams_for(scope)  # type: ignore[attr-defined]

    def where(self) -> EstablishmentFilter:
        team = self.cleaned_data.get("team")
        return EstablishmentFilter.for_scope(
            self.scope,
            team_id=team.pk if team else None,
            service_area=self.cleaned_data.get("service_area") or "",
            census_only=bool(self.cleaned_data.get("census_only")),
        )

    def description(self) -> str:
        """The filters in words, for headings and file names."""
        parts = []
        if self.cleaned_data.get("team"):
            parts.append(str(self.cleaned_data["team"]))
        if self.cleaned_data.get("service_area"):
            parts.append(ServiceArea(self.cleaned_data["service_area"]).label)
        if self.cleaned_data.get("census_only"):
            parts.append("census-counted roles")
        text = ", ".join(parts) or "All teams"
        return text[:1].upper() + text[1:]


class CellForm(EstablishmentFilterForm):
    """One cell of the table: the filters, a role (empty for the total row) and a column."""

    role = forms.ModelChoiceField(
        label="Role",
        queryset=Role.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    column = forms.ChoiceField(
        label="Column",
        choices=[(c.value, COLUMN_LABELS[c]) for c in Column],
        widget=forms.HiddenInput,
    )

    def __init__(self, data: Any, *, scope: Scope) -> None:
        super().__init__(data, scope=scope)
        self.fields["role"].queryset = selectors.roles_for(scope)  # type: ignore[attr-defined]


class AsAtOnlyForm(AsAtMixin, Form):
    on = EstablishmentFilterForm.base_fields["on"]

    def __init__(self, data: Any) -> None:
        super().__init__(_dated(data))


class WorkerSearchForm(AsAtMixin, Form):
    q = forms.CharField(
        label="Name or staff number",
        required=False,
        max_length=100,
        strip=True,
        error_messages={"max_length": "Name or staff number must be 100 characters or fewer."},
    )
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.none(),
        required=False,
        empty_label="All teams",
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Anyone"), *((k.value, v) for k, v in WORKER_STATUS_LABELS.items())],
    )
    on = EstablishmentFilterForm.base_fields["on"]

    def __init__(self, data: Any, *, scope: Scope) -> None:
        super().__init__(_dated(data))
        self.fields["team"].queryset = selectors.teams_for(scope)  # type: ignore[attr-defined]


# Posts --------------------------------------------------------------------------------------


class PostCreateForm(Form):
    reference = forms.CharField(
        label="Establishment line reference",
        max_length=30,
        help_text="The reference in the budget, for example CP-SW-014.",
        error_messages={"required": "Enter the establishment line reference."},
    )
    team = forms.ModelChoiceField(label="Team", queryset=Team.objects.none())
    role = forms.ModelChoiceField(label="Role", queryset=Role.objects.none())
    fte = fte_field("Budgeted FTE")
    start = date_field("Start date", help_text="The first day the post is funded.")
    end = date_field(
        "Closes from",
        required=False,
        help_text="Only for a post funded for a fixed time: the first day it no longer exists.",
    )
    grade = forms.CharField(
        label="Grade", max_length=20, required=False, help_text="Leave empty to use the role's."
    )
    cost_centre = forms.CharField(label="Cost centre", max_length=20, required=False)

    def __init__(self, data: Any = None, *, scope: Scope) -> None:
        super().__init__(data)
        self.fields["team"].queryset = selectors.teams_for(scope)  # type: ignore[attr-defined]
        self.fields["role"].queryset = selectors.roles_for(scope)  # type: ignore[attr-defined]


class PostChangeFteForm(Form):
    fte = fte_field("New budgeted FTE")
    from_date = date_field(
        "From",
        help_text="The first day of the new FTE, for example 1 April.",
        name="the date the new FTE starts",
    )


class PostCloseForm(Form):
    end = date_field(
        "Closed from",
        help_text="The first day the post no longer exists, for example 1 April 2026.",
        name="the date the post closes from",
    )


# People -------------------------------------------------------------------------------------


class WorkerCreateForm(Form):
    staff_number = forms.CharField(
        label="Staff number",
        max_length=20,
        error_messages={"required": "Enter the staff number."},
    )
    first_name = forms.CharField(
        label="First name", max_length=60, error_messages={"required": "Enter the first name."}
    )
    last_name = forms.CharField(
        label="Last name", max_length=60, error_messages={"required": "Enter the last name."}
    )
    swe_number = forms.CharField(
        label="Social Work England number",
        max_length=20,
        required=False,
        help_text="For example SW123456.",
    )
    date_of_birth = date_field("Date of birth", required=False)
    gender = _census(CensusCode.List.GENDER, "Gender", required=False)
    ethnicity = _census(CensusCode.List.ETHNICITY, "Ethnicity", required=False)
    qual_level = _census(CensusCode.List.QUAL_LEVEL, "Qualification level", required=False)
    qual_institution = forms.CharField(
        label="Qualifying institution", max_length=120, required=False
    )
    qual_date = date_field("Date qualified", required=False)
    route = forms.ChoiceField(
        label="Route into social work",
        required=False,
        choices=[("", "Not recorded"), *Route.choices],
    )

    def details(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        return {
            k: v for k, v in data.items() if k not in ("staff_number", "first_name", "last_name")
        }


class AppointForm(Form):
    post = PostChoiceField(label="Post", queryset=Post.objects.none())
    kind = forms.ChoiceField(
        label="Kind of appointment",
        choices=[(k.value, k.label) for k in EMPLOYED_KINDS],
    )
    start = date_field("Start date", help_text="Their first day in this post.")
    fte = fte_field()
    last_day = date_field(
        "Last day", required=False, help_text="For a fixed-term appointment only."
    )
    start_origin = _census(
        CensusCode.List.START_ORIGIN,
        "Where they came from",
        required=False,
        help_text="For someone joining the authority (census StartOrigin).",
    )

    def __init__(self, data: Any = None, *, scope: Scope) -> None:
        super().__init__(data)
        self.fields["post"].queryset = _posts(scope)  # type: ignore[attr-defined]


class MoveForm(Form):
    to_post = PostChoiceField(label="New post", queryset=Post.objects.none())
    on = date_field(
        "From",
        help_text="Their first day in the new post.",
        name="the date of their first day in the new post",
    )
    fte = fte_field(
        "FTE in the new post",
        required=False,
        help_text="Leave empty to keep their current FTE.",
    )

    def __init__(self, data: Any = None, *, scope: Scope) -> None:
        super().__init__(data)
        self.fields["to_post"].queryset = _posts(scope)  # type: ignore[attr-defined]


class AgencyStartForm(Form):
    post = PostChoiceField(label="Post", queryset=Post.objects.none())
    agency_name = forms.CharField(
        label="Agency", max_length=120, error_messages={"required": "Enter the name of the agency."}
    )
    start = date_field("Start date", help_text="The first day of the assignment.")
    fte = fte_field()
    last_day = date_field(
        "Last day", required=False, help_text="Leave empty if the assignment has no agreed end."
    )
    charge_rate = forms.DecimalField(
        label="Hourly charge rate (£)",
        required=False,
        max_digits=7,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
        error_messages={
            "invalid": "The hourly charge rate must be a number of pounds, for example 45.50.",
            "max_decimal_places": "The hourly charge rate can have at most two decimal places.",
            "max_digits": "The hourly charge rate is too large.",
            "max_whole_digits": "The hourly charge rate is too large.",
        },
    )
    covers = forms.ChoiceField(
        label="What the assignment covers",
        choices=[("", "Choose…"), *AgencyCover.choices],
        error_messages={
            "invalid_choice": "Choose what the assignment covers from the list.",
            "required": "Choose what the assignment covers.",
        },
    )
    covering_for = WorkerChoiceField(
        label="Whose absence",
        queryset=Worker.objects.none(),
        required=False,
        help_text="Only when the assignment covers an absence.",
    )

    def __init__(self, data: Any = None, *, scope: Scope) -> None:
        super().__init__(data)
        self.fields["post"].queryset = _posts(scope)  # type: ignore[attr-defined]
        self.fields["covering_for"].queryset = selectors.workers_for(scope)  # type: ignore[attr-defined]


class AgencyEndForm(Form):
    last_day = date_field("Last day", help_text="The last day the agency worker works here.")


class LeaverForm(Form):
    last_day = date_field("Last day", help_text="Their last day of employment with the authority.")
    reason = _census(CensusCode.List.REASON_LEAVE, "Reason for leaving", required=True)
    destination = _census(CensusCode.List.LEAVER_DESTINATION, "Destination", required=False)
    exit_interview_done = forms.BooleanField(label="Exit interview held", required=False)
    exit_themes = forms.CharField(
        label="Exit interview themes",
        max_length=200,
        required=False,
        help_text="A few words, for example workload, pay, travel.",
    )
    exit_notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)


class AbsenceForm(Form):
    start = date_field("First day of absence")
    last_day = date_field(
        "Last day of absence", required=False, help_text="Leave empty if they are still away."
    )
    reason = _census(CensusCode.List.REASON_ABSENCE, "Reason", required=True)
    working_days_lost = forms.DecimalField(
        label="Working days lost",
        min_value=Decimal(0),
        max_digits=6,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0"}),
        error_messages={
            "invalid": "Working days lost must be a number, for example 3 or 2.5.",
            "required": "Enter the working days lost, 0 or more.",
            "min_value": "Working days lost must be 0 or more.",
            "max_decimal_places": "Working days lost can have at most two decimal places.",
            "max_digits": "Working days lost is too large.",
            "max_whole_digits": "Working days lost is too large.",
        },
    )


# Teams and roles -----------------------------------------------------------------------------


class TeamForm(Form):
    name = forms.CharField(
        label="Team name", max_length=120, error_messages={"required": "Enter the team name."}
    )
    service_area = forms.ChoiceField(
        label="Service area",
        choices=[("", "Choose…"), *ServiceArea.choices],
    )
    locality = forms.CharField(
        label="Locality", max_length=80, required=False, help_text="For example North or Central."
    )


class TeamEditForm(TeamForm):
    is_active = forms.BooleanField(
        label="The team is open",
        required=False,
        help_text="Untick when the team has closed. Its posts and history are kept; close its "
        "posts to take them out of the establishment from a date.",
    )


class RoleForm(Form):
    title = forms.CharField(
        label="Title", max_length=120, error_messages={"required": "Enter the role's title."}
    )
    org_role = forms.ChoiceField(
        label="Census OrgRole",
        required=False,
        choices=[("", "Not counted by the census"), *OrgRole.choices],
        help_text="Leave as not counted for roles such as family support or business support.",
    )
    case_holding = forms.BooleanField(label="Holds cases", required=False)
    grade = forms.CharField(label="Grade", max_length=20, required=False)
    capacity_points = forms.IntegerField(
        label="Workload capacity (points)",
        min_value=0,
        max_value=10000,
        initial=0,
        help_text="Workload points one full-time worker in this role can carry.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the workload capacity in points, 0 or more.",
            "invalid": "Workload capacity must be a whole number, for example 100.",
            "min_value": "Workload capacity must be 0 or more.",
            "max_value": "Workload capacity must be 10,000 or less.",
        },
    )
    order = forms.IntegerField(
        label="Position in tables",
        min_value=0,
        max_value=999,
        initial=0,
        help_text="Roles with lower numbers come first.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the position in tables, 0 or more.",
            "invalid": "Position in tables must be a whole number, for example 3.",
            "min_value": "Position in tables must be 0 or more.",
            "max_value": "Position in tables must be 999 or less.",
        },
    )


# Changes to an engagement --------------------------------------------------------------------


class ChangeHoursForm(Form):
    fte = fte_field("New FTE")
    from_date = date_field(
        "From",
        help_text="The first day at the new hours, for example 1 April.",
        name="the date the new hours start",
    )


class ConvertForm(Form):
    from_date = date_field(
        "From",
        help_text="Their first day as a permanent employee.",
        name="the date they become a permanent employee",
    )
    fte = fte_field(
        "FTE as an employee",
        required=False,
        help_text="Leave empty to keep the FTE of the agency assignment.",
    )
    start_origin = _census(
        CensusCode.List.START_ORIGIN,
        "Where they came from",
        required=False,
        help_text="For the census StartOrigin: usually agency or consultancy in social work.",
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, initial={"start_origin": "4"})


class EndEngagementForm(Form):
    last_day = date_field("Last day", help_text="Their last day in this post.")
    reason = named(
        forms.ChoiceField(
            label="Why it ends",
            choices=[("", "Choose…"), *((r.value, r.label) for r in CHOSEN_END_REASONS)],
        ),
        "why the engagement ends",
    )
