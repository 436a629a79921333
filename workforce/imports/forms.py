"""The upload form: one file of the kind an importer reads."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from workforce.core.forms import Form, named
from workforce.imports.base import Importer, size_text
from workforce.imports.selectors import file_types


class UploadForm(Form):
    """The file to check. Only its name is looked at here: its size is checked by the page
    before a byte is read, and its contents by the importer."""

    file = named(
        forms.FileField(
            label="Upload a file",
            allow_empty_file=True,  # an empty file gets its own message below
            error_messages={
                "required": "Select a file to upload",
                "invalid": "Select a file to upload",
            },
        ),
        "file to upload",
    )

    mapping = forms.ChoiceField(
        label="Column mapping",
        required=False,
        help_text="Choose the source's saved mapping if its columns have headings of their own.",
    )

    def __init__(
        self,
        *args: Any,
        importer: Importer,
        mapping_names: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.importer = importer
        if mapping_names:
            mapping = self.fields["mapping"]
            assert isinstance(mapping, forms.ChoiceField)
            mapping.choices = [
                ("", "None: the file uses the usual headings"),
                *((name, name) for name in mapping_names),
            ]
        else:
            del self.fields["mapping"]
        kinds = file_types(importer.extensions)
        field = self.fields["file"]
        largest = size_text(importer.max_bytes)
        field.help_text = f"The file must be {kinds}, no larger than {largest}."
        field.error_messages["required"] = (
            f"Select the file to upload ({kinds} file): {importer.title}"
        )
        field.widget.attrs["accept"] = ",".join(importer.extensions)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        name = upload.name or ""
        suffix = PurePath(name).suffix.lower()
        allowed = tuple(e.lower() for e in self.importer.extensions)
        if suffix not in allowed:
            raise forms.ValidationError(
                f"The selected file must be {file_types(self.importer.extensions)}"
            )
        if not upload.size:
            raise forms.ValidationError("The selected file is empty")
        return upload


class ColumnMappingForm(Form):
    """A source's name and, for each field the importer reads, the column that holds it: chosen
    from the headings of the last file of the kind checked, or typed when there is none."""

    name = forms.CharField(
        label="Name of the source",
        max_length=80,
        help_text="For example iTrent staff extract.",
        error_messages={"required": "Enter the name of the source for the mapping"},
    )

    def __init__(
        self, *args: Any, columns: tuple[Any, ...], headings: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns
        for column in columns:
            label = column.heading
            usual = ", ".join([column.heading, *column.aliases])
            help_text = f"Usual headings: {usual}."
            if column.hint:
                help_text = f"{column.hint}. {help_text}"
            if column.required:
                help_text = f"Every file must have this column. {help_text}"
            if headings:
                choices = [("", "Its usual heading")] + [(h, h) for h in headings]
                field: forms.Field = forms.ChoiceField(
                    label=label, required=False, choices=choices, help_text=help_text
                )
            else:
                field = forms.CharField(
                    label=label, required=False, max_length=120, help_text=help_text
                )
            self.fields[f"col_{column.field}"] = field

    def column_fields(self) -> list[Any]:
        return [self[f"col_{c.field}"] for c in self.columns]

    def chosen(self) -> dict[str, str]:
        return {
            c.field: self.cleaned_data.get(f"col_{c.field}") or ""
            for c in self.columns
            if self.cleaned_data.get(f"col_{c.field}")
        }


class CodeMappingForm(Form):
    """A local value and the code it stands for, in one list."""

    list_name = forms.ChoiceField(
        label="List", error_messages={"required": "Choose the list the value belongs to"}
    )
    local = forms.CharField(
        label="Value in the file",
        max_length=120,
        help_text="As the HR system writes it, for example Resigned - personal reasons.",
        error_messages={"required": "Enter the value in the file, as the file gives it"},
    )
    code = forms.CharField(
        label="Code it stands for",
        max_length=20,
        help_text="The code in the list, for example 1 for Resignation in ReasonLeave.",
        error_messages={"required": "Enter the code it stands for"},
    )

    def __init__(self, *args: Any, lists: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["list_name"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a list"), *lists]
