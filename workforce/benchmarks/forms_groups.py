"""Forms of the comparison page (what to compare) and of comparator groups."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from workforce.benchmarks.models import Area, AreaLevel, ComparatorGroup
from workforce.benchmarks.selectors_compare import HEADLINE_LABELS, NEIGHBOURS, OWN
from workforce.benchmarks.services_groups import DESCRIPTION_LIMIT, NAME_LIMIT
from workforce.core.forms import Form


class QuickSelect(forms.Select):
    """A select written out in Python rather than a template for each option: the list of every
    authority (over 150) renders in well under a millisecond."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, " selected" if str(v) == chosen else "", label) for v, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class CompareForm(Form):
    """The page's choices, from the address: an authority, a measure and the comparators. The
    view fills in the defaults of any left out."""

    area = forms.ChoiceField(
        label="Authority",
        widget=QuickSelect,
        error_messages={
            "required": "Choose an authority.",
        },
    )
    measure = forms.ChoiceField(
        label="Measure",
        choices=list(HEADLINE_LABELS.items()),
        widget=QuickSelect,
        error_messages={
            "required": "Choose a measure.",
        },
    )
    compare = forms.ChoiceField(
        label="Compare with",
        widget=QuickSelect,
        error_messages={
            "required": "Choose what to compare with: statistical neighbours or a group.",
            "invalid_choice": "Choose what to compare with from the list.",
        },
    )

    def __init__(
        self,
        *args: Any,
        areas: list[Area],
        groups: list[ComparatorGroup],
        own_label: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(a.code, f"{a.name} ({a.code})") for a in areas]
        if own_label:  # the user's authority, which DfE does not publish: its live figures
            choices.insert(0, (OWN, own_label))
        self.fields["area"].choices = choices  # type: ignore[attr-defined]
        self.fields["compare"].choices = [  # type: ignore[attr-defined]
            (NEIGHBOURS, "Statistical neighbours (DfE)"),
            *((str(g.pk), g.name) for g in groups),
        ]


class GroupForm(Form):
    name = forms.CharField(
        label="Name",
        max_length=NAME_LIMIT,
        help_text="For example, Core cities or West Midlands.",
        error_messages={
            "required": "Enter a name for the group, for example Core cities.",
            "max_length": f"The name must be {NAME_LIMIT} characters or fewer.",
        },
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=DESCRIPTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"The description must be {DESCRIPTION_LIMIT} characters or fewer."
        },
    )
    areas = forms.ModelMultipleChoiceField(
        label="Authorities in the group",
        queryset=Area.objects.filter(level=AreaLevel.LOCAL_AUTHORITY).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        help_text="Select every authority to compare with.",
        error_messages={
            "required": "Choose at least one of the authorities in the group.",
            "invalid_choice": "Choose the authorities in the group from the list.",
            "invalid_pk_value": "Choose the authorities in the group from the list.",
        },
    )

    def clean_areas(self) -> list[Area]:
        return list(self.cleaned_data["areas"])
