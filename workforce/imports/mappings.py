"""Saved mappings: which column of a source's extract holds each field, and which census code a
local value stands for. Written here, through one transaction each, and audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from workforce.core.models import Authority, CensusCode
from workforce.core.validation import refuse
from workforce.imports.base import importer_for
from workforce.imports.models import CodeMapping, ColumnMapping
from workforce.imports.tabular import TabularImporter, normal

# Lists a code mapping can be for: the census lists, and the system's own lists that extracts
# write in their own words.
OWN_LISTS: dict[str, tuple[str, dict[str, str]]] = {}


def register_code_list(name: str, title: str, choices: dict[str, str]) -> None:
    """A list of the system's own (code -> label) that local values may be mapped to."""
    OWN_LISTS[name] = (title, dict(choices))


def code_lists() -> list[tuple[str, str]]:
    """(list, title) of every list a local value can be mapped in."""
    own = [(name, title) for name, (title, _choices) in OWN_LISTS.items()]
    return [*CensusCode.List.choices, *sorted(own, key=lambda x: x[1])]


def choices_of(list_name: str) -> dict[str, str]:
    """The codes of a list and their labels."""
    if list_name in OWN_LISTS:
        return dict(OWN_LISTS[list_name][1])
    return dict(
        CensusCode.objects.filter(list=list_name).order_by("order").values_list("code", "label")
    )


def code_text(list_name: str, code: str) -> str:
    """A code as people read it: "1 (Resignation)" from a census list, "Fixed-term" from the
    system's own."""
    label = choices_of(list_name).get(code, "")
    if list_name in OWN_LISTS:
        return label or code
    return f"{code} ({label})" if label else code


def tabular(kind: str) -> TabularImporter:
    importer = importer_for(kind)
    if not isinstance(importer, TabularImporter):
        raise ValidationError({"kind": "This kind of file has no columns to map."})
    return importer


@transaction.atomic
def save_column_mapping(
    *,
    authority: Authority,
    kind: str,
    name: str,
    columns: dict[str, str],
    mapping: ColumnMapping | None = None,
) -> ColumnMapping:
    """Save a source's column mapping for a kind of file: a new one, or `mapping` changed."""
    importer = tabular(kind)
    name = (name or "").strip()
    if not name:
        raise refuse("name", "Enter a name for the mapping, for example iTrent staff extract.")
    same = ColumnMapping.objects.filter(authority=authority, kind=kind, name__iexact=name)
    if mapping is not None:
        same = same.exclude(pk=mapping.pk)
    if same.exists():
        raise refuse("name", f"There is already a mapping called {name}.")
    fields = {c.field for c in importer.columns}
    kept = {k: (v or "").strip() for k, v in columns.items() if k in fields and (v or "").strip()}
    used: dict[str, str] = {}
    for field_name, heading in kept.items():
        if normal(heading) in used:
            raise refuse(
                field_name, f"The column {heading} is already chosen for {used[normal(heading)]}."
            )
        used[normal(heading)] = field_name
    if mapping is None:
        mapping = ColumnMapping(authority=authority, kind=kind)
    mapping.name = name
    mapping.columns = kept
    mapping.full_clean()
    mapping.save()
    return mapping


@transaction.atomic
def delete_column_mapping(*, mapping: ColumnMapping) -> None:
    mapping.delete()


@transaction.atomic
def save_code_mapping(
    *, authority: Authority, list_name: str, local: str, code: str
) -> CodeMapping:
    """Remember that `local` means `code` in a list; a value mapped before is mapped anew."""
    if list_name not in dict(code_lists()):
        raise refuse("list_name", "Choose a list from the list.")
    local = (local or "").strip()
    key = normal(local)
    if not key:
        raise refuse("local", "Enter the value as the file gives it, for example Resigned.")
    if len(local) > 120:
        raise refuse("local", "The value must be 120 characters or fewer.")
    choices = choices_of(list_name)
    code = (code or "").strip()
    if code not in choices:
        by_label = [c for c, label in choices.items() if normal(label) == normal(code)]
        if not by_label:
            known = ", ".join(f"{c} ({label})" for c, label in list(choices.items())[:12])
            raise refuse("code", f"“{code}” is not a code in the list. Enter one of: {known}.")
        code = by_label[0]
    if any(normal(c) == key or normal(label) == key for c, label in choices.items()):
        raise refuse("local", f"{local} is already one of the list's own codes or labels.")
    mapping, _created = CodeMapping.objects.update_or_create(
        authority=authority, list=list_name, key=key, defaults={"local": local, "code": code}
    )
    return mapping


@transaction.atomic
def delete_code_mapping(*, mapping: CodeMapping) -> None:
    mapping.delete()
