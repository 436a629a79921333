"""How services refuse what they are asked: one field-named message, one authority per change."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from workforce.core.models import Authority


class _Keep:
    """What an update service's argument is when it was not given: keep the stored value."""

    def __repr__(self) -> str:
        return "KEEP"


# The default of an update service's optional arguments: an update changes only what it is
# asked to change, and never clears the rest (None, when given, clears).
KEEP: Any = _Keep()


def kept(record: object, name: str, value: Any) -> Any:
    """`value`, or the record's stored `name` when the caller left it as KEEP."""
    return getattr(record, name) if value is KEEP else value


def refuse(field: str, message: str) -> ValidationError:
    """A refusal a form shows against `field` (services raise it; forms apply it)."""
    return ValidationError({field: message})


def same_authority(*records: object, authority: Authority | int | None = None) -> None:
    """Refuse a change that mixes records of different authorities (or of another `authority`)."""
    ids = {getattr(r, "authority_id", None) for r in records if r is not None}
    ids.discard(None)
    if authority is not None:
        ids.add(authority if isinstance(authority, int) else authority.pk)
    if len(ids) > 1:
        raise ValidationError("These records belong to different authorities.")
