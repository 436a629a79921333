"""Evidence files: checked by their contents, kept outside anything the web server serves, and
given back only as a download.

A file is accepted when its bytes are one of the kinds in `KINDS` (PDF, Word, Excel,
PowerPoint, OpenDocument text, PNG, JPEG, or plain text and CSV that is not markup), whatever
its name says, and when it is no larger than `EVIDENCE_MAX_BYTES`. It is stored under a random
name with no extension in `EVIDENCE_ROOT`; the name it was uploaded with is kept only to offer
it back as the download's name.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from workforce.core.validation import refuse

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extension: str


PDF = Kind("PDF", "application/pdf", "pdf")
DOCX = Kind(
    "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
)
XLSX = Kind(
    "Excel workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
)
PPTX = Kind(
    "PowerPoint presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pptx",
)
ODT = Kind("OpenDocument text", "application/vnd.oasis.opendocument.text", "odt")
PNG = Kind("PNG image", "image/png", "png")
JPEG = Kind("JPEG image", "image/jpeg", "jpg")
CSV = Kind("CSV file", "text/csv", "csv")
TEXT = Kind("text file", "text/plain", "txt")

KINDS = (PDF, DOCX, XLSX, PPTX, ODT, PNG, JPEG, CSV, TEXT)
ACCEPTED = "PDF, Word, Excel, PowerPoint, OpenDocument text, PNG, JPEG, CSV or plain text"

# Markup a browser would run or draw, refused even in a file that says it is text.
_MARKUP = re.compile(
    rb"<\s*(!doctype|html|head|body|script|iframe|svg|object|embed|meta|style|link|img|a\s)",
    re.IGNORECASE,
)
# Zip-based office files, told apart by the part only each kind has.
_OFFICE = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX))


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))


def root() -> Path:
    return Path(settings.EVIDENCE_ROOT)


def _zip_kind(data: bytes) -> Kind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype") == ODT.content_type.encode():
                return ODT
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for part, kind in _OFFICE:
        if part in names:
            return kind
    return None


def _text_kind(data: bytes, name: str) -> Kind | None:
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return None
    if _MARKUP.search(data):
        return None
    return CSV if name.lower().endswith(".csv") else TEXT


def kind_of(data: bytes, name: str = "") -> Kind | None:
    """What the bytes are, from themselves; None when not a kind accepted as evidence."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return _text_kind(data, name)


def check(data: bytes, name: str, *, field: str = "files") -> Kind:
    """The file's kind, or a refusal naming `field` that says what is wrong with it."""
    if not data:
        raise refuse(field, "The selected file is empty.")
    limit = max_bytes()
    if len(data) > limit:
        raise refuse(field, f"The selected file must be smaller than {limit // (1024 * 1024)} MB.")
    kind = kind_of(data, name)
    if kind is None:
        if _MARKUP.search(data[:CHUNK]):
            raise refuse(
                field,
                "The selected file is a web page or contains web page code. Save it as a PDF "
                "and upload that.",
            )
        raise refuse(field, f"The selected file must be a {ACCEPTED} file.")
    return kind


def safe_name(name: str, kind: Kind) -> str:
    """The uploaded name without folders or odd characters, ending in the kind's extension."""
    base = Path(name.replace("\\", "/")).name
    stem = re.sub(r"[^A-Za-z0-9 ._()-]+", "", Path(base).stem).strip(" .") or "evidence"
    return f"{stem[:150]}.{kind.extension}"


@dataclass(frozen=True)
class Stored:
    file_name: str
    content_type: str
    size: int
    sha256: str
    stored_as: str


@contextmanager
def storing() -> Iterator[list[str]]:
    """Files stored inside are removed again when what stored them fails (a refusal, a rolled
    back transaction), so no file is kept that no record names."""
    kept: list[str] = []
    try:
        yield kept
    except BaseException:
        for name in kept:
            discard(name)
        raise


def store(data: bytes, name: str, *, kept: list[str], field: str = "files") -> Stored:
    """Check the bytes and keep them under a random name (added to `kept`, from `storing`);
    refuses with a message on `field`."""
    kind = check(data, name, field=field)
    folder = root()
    folder.mkdir(parents=True, exist_ok=True)
    stored_as = secrets.token_hex(20)
    path = folder / stored_as
    kept.append(stored_as)
    with open(path, "xb") as handle:
        handle.write(data)
    return Stored(
        file_name=safe_name(name, kind),
        content_type=kind.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        stored_as=stored_as,
    )


def path_of(stored_as: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{40}", stored_as or ""):
        raise ValidationError("Not a stored evidence file.")
    return root() / stored_as


def discard(stored_as: str) -> None:
    """Remove a stored file (after the record that named it has gone)."""
    with suppress(FileNotFoundError, ValidationError):
        path_of(stored_as).unlink()
