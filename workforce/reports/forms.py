"""The report builder's forms: the report's details, and its sections with their narrative."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from workforce.core.forms import Form, date_field
from workforce.reports.document import AUDIENCE_LABELS, Audience
from workforce.reports.models import NARRATIVE_LIMIT, Marking, Report
from workforce.reports.sections import ReportSection

AUDIENCE_HELP = (
    "Boards and committees never see a name or a team, and counts from 1 to 4 are shown as "
    "“[c]”. Internal management reports may show teams."
)


class ReportForm(Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter the report's title.",
            "max_length": "The title must be 200 characters or fewer.",
        },
    )
    audience = forms.ChoiceField(
        label="Audience",
        choices=[(str(a), AUDIENCE_LABELS[a]) for a in Audience],
        help_text=AUDIENCE_HELP,
        error_messages={
            "required": "Choose the audience: who the report is for.",
            "invalid_choice": "Choose the audience from the list.",
        },
    )
    report_date = date_field(
        "Report date", help_text="The date the figures are at, for example 31 3 2025."
    )
    comparison_date = date_field(
        "Comparison date",
        required=False,
        help_text="Figures are compared with this date. Leave it empty for a year earlier.",
    )
    author = forms.CharField(
        label="Author",
        max_length=200,
        required=False,
        help_text="The officer or role the report is by, for example Head of Service.",
        error_messages={"max_length": "The author must be 200 characters or fewer."},
    )
    protective_marking = forms.ChoiceField(
        label="Protective marking",
        required=False,
        choices=[("", "By audience (OFFICIAL for boards)"), *Marking.choices],
    )

    @classmethod
    def for_report(cls, report: Report, data: Any = None) -> ReportForm:
        return cls(
            data,
            initial={
                "title": report.title,
                "audience": report.audience,
                "report_date": report.report_date,
                "comparison_date": report.comparison_date,
                "author": report.author,
                "protective_marking": report.protective_marking,
            },
        )


def field_name(key: str) -> str:
    """A section key as a form field name: "metrics.headline" -> "narrative-metrics-headline"."""
    return "narrative-" + re.sub(r"[^A-Za-z0-9_-]", "-", key)


class SectionsForm(Form):
    """Which sections the report has, and the narrative of each chosen one.

    The narrative fields have no length limit of their own: a too-long or HTML narrative is
    refused by the service with a message naming the section, so the check lives in one place.
    """

    def __init__(
        self,
        data: Any = None,
        *,
        offered: list[ReportSection],
        chosen: list[tuple[ReportSection, str]],
    ) -> None:
        super().__init__(data)
        self.offered = offered
        self.chosen = chosen
        chosen_keys = {s.key for s, _ in chosen}
        self.fields["sections"] = forms.MultipleChoiceField(
            label="Sections",
            required=False,
            choices=[(s.key, s.title) for s in offered],
            initial=[s.key for s, _ in chosen],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": "Choose sections from the list."},
        )
        for section, narrative in chosen:
            self.fields[field_name(section.key)] = forms.CharField(
                label=f"Narrative for “{section.title}”",
                required=False,
                initial=narrative,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=(
                    "Plain text. Leave a blank line between paragraphs. Up to "
                    f"{NARRATIVE_LIMIT:,} characters."
                ),
            )
        self.unchosen = [s for s in offered if s.key not in chosen_keys]

    def narratives(self) -> dict[str, str]:
        return {
            s.key: self.cleaned_data.get(field_name(s.key)) or ""
            for s, _ in self.chosen
            if field_name(s.key) in self.cleaned_data
        }

    def chosen_rows(self) -> list[dict[str, Any]]:
        """Each chosen section with its checkbox state and narrative field, in report order."""
        ticked = set(self["sections"].value() or [])
        return [
            {
                "section": section,
                "checked": section.key in ticked,
                "field": self[field_name(section.key)],
                "first": i == 0,
                "last": i == len(self.chosen) - 1,
                "number": i + 1,
            }
            for i, (section, _) in enumerate(self.chosen)
        ]

    def unchosen_rows(self) -> list[dict[str, Any]]:
        ticked = set(self["sections"].value() or [])
        return [{"section": s, "checked": s.key in ticked} for s in self.unchosen]


class ConfirmForm(Form):
    """An empty form: the issue page's button."""
