"""What the import commands share: the authority named, and reading the named file, refused by
its size before a byte of it is read (and recorded in the history), with plain messages naming
the file."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import CommandError

from workforce.core.models import Authority
from workforce.imports import services
from workforce.imports.base import Importer


def authority_named(code: str) -> Authority:
    """The authority with this DfE LA code, or the only one there is; else a CommandError."""
    if code:
        authority = Authority.objects.filter(code=code).first()
        if authority is None:
            raise CommandError(f"--authority: there is no authority with the code {code!r}.")
        return authority
    found = list(Authority.objects.all()[:2])
    if len(found) != 1:
        raise CommandError(
            "--authority: give the authority's DfE LA code, for example --authority 999."
        )
    return found[0]


def read_file(importer: Importer, authority: Authority, name: str) -> tuple[bytes, str]:
    """The file's bytes and its name, or a CommandError saying why it cannot be read."""
    path = Path(name)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise CommandError(f"file: cannot read {path}: {exc.strerror}.") from exc
    if path.is_dir():
        raise CommandError(f"file: {path} is a folder, not a file.")
    too_large = services.refuse_oversized(
        importer, authority, size=info.st_size, filename=path.name, user=None
    )
    if too_large is not None:
        message = " ".join(p["message"] for p in too_large.problems)
        raise CommandError(f"file: {message} Nothing was imported.")
    try:
        return path.read_bytes(), path.name
    except OSError as exc:
        raise CommandError(f"file: cannot read {path}: {exc.strerror}.") from exc
