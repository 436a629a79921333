"""Comparator groups an authority defines for itself ("West Yorkshire", "Core cities")."""

from __future__ import annotations

from django.db import models

from workforce.benchmarks.models.statistics import Area
from workforce.core.models import AuthorityOwned


class ComparatorGroup(AuthorityOwned):
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["authority", "name"], name="one_group_name")]

    def __str__(self) -> str:
        return self.name


class ComparatorGroupMember(models.Model):
    group = models.ForeignKey(ComparatorGroup, on_delete=models.CASCADE, related_name="members")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["group", "area__name"]
        constraints = [models.UniqueConstraint(fields=["group", "area"], name="one_membership")]

    def __str__(self) -> str:
        return f"{self.group}: {self.area}"

    def get_additional_data(self) -> dict[str, int]:
        return {"authority_id": self.group.authority_id}
