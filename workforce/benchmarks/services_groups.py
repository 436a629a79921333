"""Writes for comparator groups beyond their creation (`services.create_group`): changing a
group's name, description and members, and deleting it. Each refusal names the field."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from workforce.benchmarks.models import Area, AreaLevel, ComparatorGroup, ComparatorGroupMember

NAME_LIMIT = 80
DESCRIPTION_LIMIT = 300


def _check(
    *, group: ComparatorGroup | None, authority_id: int, name: str, areas: list[Area]
) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the group, for example Core cities."})
    if len(name) > NAME_LIMIT:
        raise ValidationError({"name": f"The name must be {NAME_LIMIT} characters or fewer."})
    same = ComparatorGroup.objects.filter(authority_id=authority_id, name=name)
    if group is not None:
        same = same.exclude(pk=group.pk)
    if same.exists():
        raise ValidationError({"name": f"There is already a group called {name}."})
    if not areas:
        raise ValidationError({"areas": "Choose at least one authority for the group."})
    if any(area.level != AreaLevel.LOCAL_AUTHORITY for area in areas):
        raise ValidationError({"areas": "A comparator group is of local authorities only."})
    return name


@transaction.atomic
def change_group(
    *, group: ComparatorGroup, name: str, areas: list[Area], description: str = ""
) -> ComparatorGroup:
    """Rename the group and make its members exactly `areas` (each change audited)."""
    group.name = _check(group=group, authority_id=group.authority_id, name=name, areas=areas)
    description = (description or "").strip()
    if len(description) > DESCRIPTION_LIMIT:
        raise ValidationError(
            {"description": f"The description must be {DESCRIPTION_LIMIT} characters or fewer."}
        )
    group.description = description
    group.save()
    wanted = {a.pk for a in areas}
    for member in group.members.exclude(area_id__in=wanted):
        member.delete()  # one by one, so that each removal is in the audit log
    present = set(group.members.values_list("area_id", flat=True))
    for area_id in sorted(wanted - present):
        ComparatorGroupMember.objects.create(group=group, area_id=area_id)
    return group


@transaction.atomic
def delete_group(*, group: ComparatorGroup) -> None:
    for member in group.members.all():
        member.delete()
    group.delete()
