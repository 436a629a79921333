"""Uploaded files: stopped while arriving when far too large, refused by size before they are
read, otherwise read and checked (a dry run).

Django keeps an upload in memory only up to FILE_UPLOAD_MAX_MEMORY_SIZE and spools anything
larger to a temporary file, so a large file never sits in memory while it arrives. An upload
larger than IMPORT_UPLOAD_CEILING is not even spooled: `CeilingUploadHandler` stops it and the
rest of the request is read and thrown away.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

from workforce.core.models import Authority, User
from workforce.imports import services
from workforce.imports.base import MEGABYTE, Importer, importers
from workforce.imports.forms import UploadForm
from workforce.imports.models import ImportRun

DEFAULT_CEILING = 200 * MEGABYTE


def ceiling() -> int:
    """The size past which an upload is stopped: never below any importer's largest file, so
    that every file an importer could take arrives whole."""
    configured = int(getattr(settings, "IMPORT_UPLOAD_CEILING", DEFAULT_CEILING))
    return max([configured, *(i.max_bytes for i in importers())])


@dataclass(frozen=True)
class Stopped:
    """An upload stopped while arriving: its name and the size the browser said it has."""

    filename: str
    size: int


class CeilingUploadHandler(FileUploadHandler):
    """Stops an upload as soon as it passes the ceiling, before it is spooled any further.

    It sits first in FILE_UPLOAD_HANDLERS and passes every chunk on unchanged to the handlers
    that store the file. The page learns of the stop from `stopped(request)`.
    """

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > ceiling():
            if self.request is not None:
                declared = int(self.request.META.get("CONTENT_LENGTH") or 0)
                self.request._import_upload_stopped = Stopped(  # type: ignore[attr-defined]
                    filename=self.file_name or "", size=max(declared, start + len(raw_data))
                )
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> Any:
        return None  # the next handler stores the file


def stopped(request: HttpRequest) -> Stopped | None:
    return getattr(request, "_import_upload_stopped", None)


def read(upload: UploadedFile) -> bytes:
    """The bytes of an upload whose size was allowed, from memory or its temporary file."""
    return b"".join(upload.chunks())


def check_upload(
    form: UploadForm,
    *,
    importer: Importer,
    authority: Authority,
    user: User,
    halted: Stopped | None = None,
) -> ImportRun | None:
    """Queue the check of a posted file: the run recording it, or None when the form says what
    is wrong (no file, the wrong kind of file, too large: a file refused for its size is
    recorded in the history but never read; or a file of the same kind is being imported)."""
    if halted is not None:
        form.is_valid()  # the form has no file: say why instead of "Select a file"
        form.errors.pop("file", None)
        refused = services.refuse_oversized(
            importer, authority, size=halted.size, filename=halted.filename, user=user
        )
        assert refused is not None  # the ceiling is never below the importer's largest file
        form.add_error("file", _message(refused))
        return None
    if not form.is_valid():
        return None
    upload: UploadedFile = form.cleaned_data["file"]
    filename = upload.name or "file"
    size = upload.size or 0
    refused = services.refuse_oversized(
        importer, authority, size=size, filename=filename, user=user
    )
    if refused is not None:
        form.add_error("file", _message(refused))
        return None
    mapping = form.cleaned_data.get("mapping") or ""
    try:
        return services.queue_check(
            importer,
            authority,
            data=read(upload),
            filename=filename,
            user=user,
            options={"mapping": mapping} if mapping else None,
        )
    except ValidationError as refusal:  # a file of this kind is being imported now
        for message in refusal.message_dict.get("file", refusal.messages):
            form.add_error("file", message)
        return None


def _message(run: ImportRun) -> str:
    return " ".join(str(p.get("message", "")) for p in run.problems).rstrip(".")
