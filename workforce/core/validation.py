"""How services refuse what they are asked: one field-named message, one authority per change."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from workforce.core.models import Authority


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
