"""Benchmarks' reference data through core's `load_reference_data`: the area changes always, DfE's
statistics files only when asked for (they are tens of thousands of rows)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from workforce.benchmarks import importers
from workforce.benchmarks.models import (
    Area,
    AreaChange,
    ComparatorGroup,
    PublishedValue,
    Release,
    StatisticalNeighbour,
)
from workforce.benchmarks.services import create_group
from workforce.benchmarks.tests.test_import import FILES
from workforce.core.models import Authority
from workforce.core.services import load_reference_data
from workforce.demo import generator

pytestmark = pytest.mark.django_db


def test_reference_data_has_the_area_changes_and_no_statistics_unless_asked(
    reference_data: None,
) -> None:
    assert not Release.objects.exists()
    assert AreaChange.objects.count() == 13
    cumbria = AreaChange.objects.filter(from_code="909").order_by("to_code")
    assert [(c.kind, c.to_code, c.to_name) for c in cumbria] == [
        ("split", "942", "Cumberland"),
        ("split", "943", "Westmorland and Furness"),
    ]
    assert cumbria[0].effective == dt.date(2023, 4, 1)
    assert "Cumbria (Structural Changes) Order 2022" in cumbria[0].source
    northants = AreaChange.objects.filter(from_code="928").values_list("to_code", flat=True)
    assert sorted(northants) == ["940", "941"]


def test_the_published_statistics_are_loaded_once() -> None:
    counts = load_reference_data(published_statistics=True)

    assert counts["statistics releases loaded"] == 5
    assert Release.objects.count() == 5
    assert PublishedValue.objects.count() == 32_186 + 17_056 + 21_320 + 495
    assert StatisticalNeighbour.objects.count() == 1530
    assert not PublishedValue.objects.filter(value__isnull=True, not_available="").exists()
    withheld = Counter(
        PublishedValue.objects.exclude(not_available="").values_list("not_available", flat=True)
    )
    assert withheld == {"c": 366, "x": 215, "u": 87, "z": 83, "low": 12}
    assert not PublishedValue.objects.exclude(not_available="").exclude(value=None).exists()

    again = load_reference_data(published_statistics=True)

    assert again["statistics releases loaded"] == 0
    assert Release.objects.count() == 5


def test_a_comparator_group_is_of_local_authorities_with_a_name_of_its_own(
    reference_data: None,
) -> None:
    importers.read((FILES / "csww_small.csv").read_bytes(), apply=True, filename="a.csv")
    leeds = Authority.objects.get(code="383")
    camden, together = Area.objects.get(code="202"), Area.objects.get(code="314 / 318")
    group = create_group(authority=leeds, name=" Core cities ", areas=[camden, together, camden])
    assert group.name == "Core cities"
    assert sorted(m.area.code for m in group.members.all()) == ["202", "314 / 318"]

    with pytest.raises(ValidationError) as twice:
        create_group(authority=leeds, name="Core cities", areas=[camden])
    assert "already a group called Core cities" in str(twice.value.message_dict["name"])
    with pytest.raises(ValidationError) as unnamed:
        create_group(authority=leeds, name="  ", areas=[camden])
    assert "name" in unnamed.value.message_dict
    with pytest.raises(ValidationError) as empty:
        create_group(authority=leeds, name="West Yorkshire", areas=[])
    assert "areas" in empty.value.message_dict
    with pytest.raises(ValidationError) as region:
        create_group(authority=leeds, name="London", areas=[Area.objects.get(code="E12000007")])
    assert "local authorities only" in str(region.value.message_dict["areas"])
    assert ComparatorGroup.objects.count() == 1


def test_the_demo_loads_the_published_statistics() -> None:
    call_command("seed_demo", "--empty", stdout=StringIO())
    assert Release.objects.count() == 5


def test_the_demo_leaves_the_statistics_out_when_told_to() -> None:
    call_command("seed_demo", "--empty", "--without-statistics", stdout=StringIO())
    assert Authority.objects.filter(code=generator.DEMO_CODE).exists()
    assert not Release.objects.exists()
