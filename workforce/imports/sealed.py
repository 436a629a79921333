"""Files waiting in the history are kept encrypted.

A file uploaded waits in the database (`ImportRun.data`) from the upload until it is imported or
discarded, because the background worker reads it there. It holds personal data, and a case
extract holds the case system's own child identifiers, which the system never keeps in clear:
each is replaced by its keyed hash as it is read. So the waiting bytes are sealed (Fernet:
AES-128 in CBC mode with an HMAC-SHA256 signature) with a key derived from `IMPORT_FILE_KEY`
(by default from `SECRET_KEY`), and unsealed only to be read. A key changed while a file waits
makes that file unreadable: it is then refused, and uploaded again.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class Unreadable(Exception):
    """The waiting file was sealed with another key."""


def _fernet() -> Fernet:
    secret = getattr(settings, "IMPORT_FILE_KEY", "") or settings.SECRET_KEY
    key = hashlib.sha256(f"csc-workforce import files:{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def unseal(sealed: bytes | memoryview | None) -> bytes:
    if not sealed:
        return b""
    try:
        return _fernet().decrypt(bytes(sealed))
    except InvalidToken as exc:
        raise Unreadable from exc
