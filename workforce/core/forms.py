"""GOV.UK Design System rendering for every Django form, and shared form pieces."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.forms.utils import pretty_name

from workforce.core.dates import EARLIEST_DATE, LATEST_DATE

FieldT = TypeVar("FieldT", bound=forms.Field)


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "core/forms/govuk_form.html"
    field_template_name = "core/forms/govuk_field.html"


# ---------------------------------------------------------------------------------------------
# Error messages that name the field
# ---------------------------------------------------------------------------------------------

ARTICLES = ("the ", "a ", "an ", "your ", "their ", "its ", "this ", "each ", "every ", "at least ")
# Names that are a clause ("who will hold the case") take no article either.
CLAUSES = ("who ", "what ", "why ", "whether ", "which ", "how ", "when ", "where ")
EXAMPLE_DATE = "30 September 2025"


def _lower_first(words: str) -> str:
    """ "Date of birth" -> "date of birth", but "DfE LA code" and "FTE" stay as they are."""
    first = words.split(" ", 1)[0]
    if len(first) > 1 and not first[1:].islower():
        return words
    return words[:1].lower() + words[1:]


def _upper_first(words: str) -> str:
    return words[:1].upper() + words[1:]


class FieldName:
    """How messages speak of a field: as the subject ("Date of birth must be…") or the object
    ("Enter the date of birth"), with the article English needs."""

    def __init__(self, name: str) -> None:
        self.name = " ".join(str(name).split()).rstrip(":.").removesuffix(" (optional)")
        self.question = self.name.endswith("?")

    @property
    def subject(self) -> str:
        if self.question:
            return f"The answer to “{self.name}”"
        return _upper_first(self.name)

    @property
    def object(self) -> str:
        if self.question:
            return f"an answer to “{self.name}”"
        lowered = _lower_first(self.name)
        if lowered.lower().startswith(ARTICLES + CLAUSES):
            return lowered
        return f"the {lowered}"

    @property
    def bare(self) -> str:
        """The name in running text, without an article ("the file for <bare>")."""
        if self.question:
            return f"“{self.name}”"
        return _lower_first(self.name)


def date_name(label: str) -> str:
    """The words that name a date field in its messages: "Date of birth" as it is, "Applied on"
    as "date applied", "Due by" as "date due"."""
    words = " ".join(str(label).split())
    lowered = words.lower()
    if any(w in lowered.split() for w in ("date", "day", "deadline")) or "date" in lowered:
        return words
    for ending in (" on", " by"):
        if lowered.endswith(ending) and len(words) > len(ending):
            return f"date {_lower_first(words[: -len(ending)])}"
    return f"{words} date"


def field_name(field: forms.Field, name: str = "") -> str:
    """What a field is called in its messages: its `error_name` when it has one (set with
    `named`), else its label, else its name in the form."""
    given = getattr(field, "error_name", "")
    if given:
        return str(given)
    if field.label:
        label = str(field.label)
        return date_name(label) if isinstance(field, forms.DateField) else label
    return pretty_name(name) if name else "This answer"


def named(field: FieldT, name: str) -> FieldT:
    """Give a field the words its error messages call it by, when its label alone would read
    badly in a sentence (a "From" box in a "Period" group: "the start of the period")."""
    field.error_name = name  # type: ignore[attr-defined]
    return field


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, Decimal):
        value = value.normalize() if value == value.to_integral() else value
        return f"{value:f}"
    if isinstance(value, int | float):
        return f"{value:,}"
    return str(value)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def error_messages_for(field: forms.Field, name: str) -> dict[str, str]:
    """Every message a field of this kind can give, each naming it (GOV.UK wording)."""
    n = FieldName(name)
    s, o = n.subject, n.object
    messages: dict[str, str] = {
        "required": f"Enter {o}.",
        "invalid": f"{s} is not in the right format.",
        "null_characters_not_allowed": f"{s} must not contain null characters.",
    }
    max_length = getattr(field, "max_length", None)
    min_length = getattr(field, "min_length", None)
    if max_length is not None:
        messages["max_length"] = f"{s} must be {_plural(max_length, 'character')} or fewer."
    if min_length is not None:
        messages["min_length"] = f"{s} must be {_plural(min_length, 'character')} or more."
    if isinstance(field, forms.DateField):
        messages["invalid"] = f"{s} must be a real date, for example {EXAMPLE_DATE}."
        messages["incomplete"] = f"{s} must include a %(missing)s."
        messages["range"] = f"{s} must be between 1 January 1900 and 31 December 2099."
    elif isinstance(field, forms.IntegerField):
        messages["invalid"] = f"{s} must be a whole number."
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        messages["invalid"] = f"{s} must be a number."
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = f"Enter {o} in the correct format, like name@example.com."
    elif isinstance(field, forms.URLField):
        messages["invalid"] = f"{s} must be a web address, like https://www.example.com."
    if isinstance(field, forms.DecimalField):
        places = field.decimal_places
        digits = field.max_digits
        if places is not None:
            messages["max_decimal_places"] = (
                f"{s} must have no more than {_plural(places, 'decimal place')}."
            )
        if digits is not None:
            whole = digits - (places or 0)
            messages["max_digits"] = f"{s} must have no more than {_plural(digits, 'digit')}."
            messages["max_whole_digits"] = (
                f"{s} must have no more than {_plural(whole, 'digit')} before the decimal point."
            )
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        if field.max_value is not None:
            messages["max_value"] = f"{s} must be {_shown(field.max_value)} or less."
        if field.min_value is not None:
            messages["min_value"] = f"{s} must be {_shown(field.min_value)} or more."
        if getattr(field, "step_size", None) is not None:
            messages["step_size"] = f"{s} must be a multiple of {_shown(field.step_size)}."
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        messages["required"] = f"Choose {o}."
        messages["invalid_choice"] = f"Choose {o} from the list."
        messages["invalid_list"] = f"Choose {o} from the list."
        messages["invalid_pk_value"] = f"Choose {o} from the list."
    if isinstance(field, forms.BooleanField):
        messages["required"] = f"Tick “{n.name}” to continue."
    if isinstance(field, forms.FileField):
        messages["required"] = f"Choose {o} to upload."
        messages["missing"] = f"Choose {o} to upload."
        messages["invalid"] = f"{s} must be a file."
        messages["empty"] = f"The file chosen for {n.bare} is empty."
        messages["contradiction"] = f"Either choose {o} or remove it, not both."
        if max_length is not None:
            messages["max_length"] = (
                f"The name of the file for {n.bare} must be "
                f"{_plural(max_length, 'character')} or fewer."
            )
    return messages


def _django_defaults(field: forms.Field) -> dict[str, str]:
    defaults: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        defaults.update({k: str(v) for k, v in getattr(cls, "default_error_messages", {}).items()})
    return defaults


def name_errors(field: forms.Field, name: str = "") -> None:
    """Give every message of `field` that Django would word generically ("This field is
    required.", "Select a valid choice…", "Null characters are not allowed.") words naming the
    field. Messages a form sets itself are kept. The validators' messages (lengths, ranges,
    digits, null characters) follow, as Django uses the field's message for a validator's code.
    """
    defaults = _django_defaults(field)
    ours: frozenset[str] = getattr(field, "_named_codes", frozenset())
    mine = set(ours)
    for code, message in error_messages_for(field, field_name(field, name)).items():
        current = field.error_messages.get(code)
        if current is None or code in ours or str(current) == defaults.get(code):
            field.error_messages[code] = message
            mine.add(code)
    field._named_codes = frozenset(mine)  # type: ignore[attr-defined]


def name_form_errors(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        name_errors(field, name)


class NamedErrorsMixin:
    """Every form's errors name their field: applied when the form is cleaned, so fields a
    form adds or relabels in its `__init__` are named too."""

    def full_clean(self) -> None:
        name_form_errors(self)  # type: ignore[arg-type]
        super().full_clean()  # type: ignore[misc]


class Form(NamedErrorsMixin, forms.Form):
    """The base of every form in the product (errors that name the field, GOV.UK markup)."""


DATE_PARTS = ("day", "month", "year")


class GovukDateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes (`on_day`, `on_month`, `on_year`).

    It also takes the whole date as one ISO value under the field's own name (`?on=2024-03-31`
    in a link, or `start=2024-03-31` from a script), so addresses and scripts keep working.
    """

    template_name = "core/forms/widgets/govuk_date_input.html"
    WIDTHS = {"day": 2, "month": 2, "year": 4}

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            part: forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
            for part in DATE_PARTS
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        parts = [str(data.get(f"{name}_{part}") or "") for part in DATE_PARTS]
        if any(p.strip() for p in parts):
            return parts
        if data.get(name):
            return data.get(name)
        return None

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and all(f"{name}_{part}" not in data for part in DATE_PARTS)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for part, sub in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
            css = sub["attrs"].get("class", "govuk-input")
            sub["attrs"]["class"] = (
                f"{css} govuk-date-input__input govuk-input--width-{self.WIDTHS[part]}"
            )
            sub["attrs"].pop("aria-describedby", None)
            sub["label"] = part.capitalize()
        return context

    def id_for_label(self, id_: str) -> str:
        return id_  # the error summary links to the group of boxes


class GovukDateField(forms.DateField):
    """A date typed in the GOV.UK date input, or given whole as an ISO date; every error names
    the field (by `error_name` when given, else by its label: see `date_name`)."""

    widget = GovukDateInput

    def __init__(self, *, label: str, error_name: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("validators", [in_range])
        super().__init__(label=label, **kwargs)
        if error_name:
            self.error_name = error_name
        name_errors(self)  # named already when used on its own (`read_date`)

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, list | tuple):
            return self._from_parts([str(p or "").strip() for p in value])
        return super().to_python(value)

    def _from_parts(self, parts: list[str]) -> dt.date | None:
        if not any(parts):
            return None
        missing = [name for name, part in zip(DATE_PARTS, parts, strict=True) if not part]
        if missing:
            raise ValidationError(
                self.error_messages["incomplete"],
                code="incomplete",
                params={"missing": " and ".join(missing)},
            )
        if not all(part.isdigit() for part in parts):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        day, month, year = (int(p) for p in parts)
        try:
            return dt.date(year, month, day)
        except ValueError:
            if 1 <= year <= 9999 and not EARLIEST_DATE.year <= year <= LATEST_DATE.year:
                raise ValidationError(self.error_messages["range"], code="range") from None
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def in_range(value: dt.date) -> None:
    """Dates the product holds: 1900 to 2099 (the field's "range" message names it)."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError("The date must be between 1900 and 2099.", code="range")


def date_field(
    label: str, *, required: bool = True, help_text: str = "", name: str = ""
) -> forms.DateField:
    """A GOV.UK date input. `name` is what messages call it when the label alone would not
    read as a sentence ("From" -> "the start of the period"); by default "Applied on" is called
    "date applied" and "Date of birth" itself."""
    return GovukDateField(
        label=label,
        error_name=name,
        required=required,
        help_text=help_text or "For example, 27 3 2024.",
    )


def as_at_field(*, initial_today: bool = True) -> forms.DateField:
    """The optional "As at" date that pages of figures take (today when left empty)."""
    return GovukDateField(
        label="As at",
        error_name="the “as at” date",
        required=False,
        initial=dt.date.today if initial_today else None,
    )


def fte_field(
    label: str = "FTE", *, required: bool = True, help_text: str = ""
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=4,
        decimal_places=2,
        help_text=help_text or "Full-time equivalent: 1 for full time, 0.5 for half time.",
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "max": "1"}),
        error_messages={
            "invalid": f"{label} must be a number, for example 0.5.",
            "required": f"Enter the {_lower_first(label)}, for example 1 or 0.5.",
            "max_decimal_places": f"{label} can have at most two decimal places.",
            "max_digits": f"{label} must be more than 0 and no more than 1, for example 0.5.",
            "max_whole_digits": f"{label} must be more than 0 and no more than 1, for example 0.5.",
        },
    )


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form, against the field it names where the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                form.add_error(target, e.messages[0] if hasattr(e, "messages") else str(e))
    else:
        for message in error.messages:
            form.add_error(None, message)


class AsAtMixin:
    """The one behaviour of an "as at" date: the date given, or today when it is empty or
    wrong; a wrong date's message is on the form (shown on the page), never an error page."""

    as_at_name = "on"

    def as_at(self) -> dt.date:
        form: Any = self
        errors = form.errors  # cleans the form once
        if form.is_bound and self.as_at_name not in errors:
            value = form.cleaned_data.get(self.as_at_name)
            if value:
                return value  # type: ignore[no-any-return]
        return dt.date.today()


class AsAtForm(AsAtMixin, Form):
    """The 'as at' date most pages take, defaulting to today."""

    on = as_at_field()


def read_date(data: Any, name: str, *, label: str = "Date") -> tuple[dt.date | None, str]:
    """A date from request data (the three GOV.UK boxes or one ISO value) and a plain message
    naming the field when it is not a real date ("" when it is, or when none was given)."""
    field = GovukDateField(label=label, required=False)
    try:
        return field.clean(GovukDateInput().value_from_datadict(data, {}, name)), ""
    except ValidationError as error:
        return None, error.messages[0]


class UserAccessForm(Form):
    """Role, teams and whether the account may sign in."""

    role = forms.ChoiceField(label="Role", error_messages={"required": "Choose a role."})
    teams: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="Teams managed",
        queryset=None,
        required=False,
        help_text="Team managers see only these teams. Hold Ctrl (or Cmd) to choose several.",
    )
    is_active = forms.BooleanField(
        label="Account can sign in",
        required=False,
        initial=True,
        help_text="Untick to stop someone signing in; their history is kept.",
    )

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        from workforce.core.models import UserRole

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "Choose a role"), *UserRole.choices]  # type: ignore[attr-defined]
        self.fields["teams"].queryset = teams  # type: ignore[attr-defined]


class NewUserForm(UserAccessForm):
    username = forms.CharField(label="Username", max_length=150)
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address like name@council.gov.uk."},
    )
    password = forms.CharField(
        label="Temporary password",
        widget=forms.PasswordInput(render_value=False),
        help_text="At least 12 characters, not a common password. Ask them to change it.",
    )
    field_order = [
        "username",
        "first_name",
        "last_name",
        "email",
        "role",
        "teams",
        "password",
        "is_active",
    ]


def _filter_text(label: str, *, width: int = 10) -> forms.CharField:
    """An optional text filter (Django refuses null characters in it with a message)."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"class": f"govuk-input--width-{width}"}),
    )


class AccessFilterForm(Form):
    """Narrow the record of who read personal data to one user or one record."""

    RECORD_TYPES = [
        ("", "Any kind of record"),
        ("establishment.worker", "Person (staff record)"),
        ("recruitment.candidate", "Candidate"),
        ("recruitment.application", "Application"),
    ]

    user = _filter_text("Read by (username)", width=20)
    record_type = forms.ChoiceField(
        label="Kind of record",
        choices=RECORD_TYPES,
        required=False,
    )
    record_id = forms.IntegerField(
        label="Record number",
        required=False,
        min_value=1,
        # Text, not type=number: what was typed stays in the box when it is wrong (GOV.UK).
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Record number must be a whole number, for example 42.",
            "min_value": "Record number must be 1 or more.",
        },
    )


class AuditFilterForm(Form):
    """Narrow the audit trail to one kind of record or one person's changes."""

    model = _filter_text("Kind of record")
    actor = _filter_text("Changed by (username)")


class AuthorityForm(Form):
    """An authority's identity: DfE LA code, name, region and ONS code."""

    code = forms.CharField(
        label="DfE LA code",
        max_length=3,
        help_text="Three digits, for example 333.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the DfE LA code, for example 333.",
            "max_length": "The DfE LA code is three digits, for example 333.",
        },
    )
    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter the authority's name."}
    )
    region = forms.CharField(
        label="Region",
        max_length=60,
        help_text="For example West Midlands.",
        error_messages={"required": "Enter the region, for example West Midlands."},
    )
    ons_code = forms.CharField(
        label="ONS code",
        max_length=9,
        required=False,
        help_text="A letter and eight digits, for example E08000025.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={
            "max_length": "The ONS code is a letter and eight digits, for example E08000025."
        },
    )

    def clean_code(self) -> str:
        code = (self.cleaned_data.get("code") or "").strip()
        if not (code.isdigit() and len(code) == 3):
            raise ValidationError("The DfE LA code is three digits, for example 333.")
        return code
