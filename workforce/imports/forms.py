"""The upload form: one file of the kind an importer reads."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from workforce.imports.base import Importer, size_text
from workforce.imports.selectors import file_types


class UploadForm(forms.Form):
    """The file to check. Only its name is looked at here: its size is checked by the page
    before a byte is read, and its contents by the importer."""

    file = forms.FileField(
        label="Upload a file",
        allow_empty_file=True,  # an empty file gets its own message below
        error_messages={"required": "Select a file", "invalid": "Select a file"},
    )

    def __init__(self, *args: Any, importer: Importer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.importer = importer
        kinds = file_types(importer.extensions)
        field = self.fields["file"]
        largest = size_text(importer.max_bytes)
        field.help_text = f"The file must be {kinds}, no larger than {largest}."
        field.error_messages["required"] = f"Select the {importer.title} ({kinds} file)"
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
