"""Census code labels are in sentence case, as GOV.UK writes them."""

from __future__ import annotations

import importlib
import json

import pytest

from workforce.core.models import CensusCode
from workforce.core.services import FIXTURES, load_reference_data

# Words that keep their capital in the middle of a label.
PROPER = {"England", "LA", "White", "Black", "Asian", "Irish", "British", "Caribbean", "African"}
PROPER |= {"Indian", "Pakistani", "Bangladeshi", "Chinese", "(ASYE)", "(in", "England)"}


def test_every_census_label_is_in_sentence_case():
    codes = json.loads((FIXTURES / "census_codes.json").read_text())
    for list_name, values in codes.items():
        for code, label in values:
            words = label.replace("/", " ").split()
            shouting = [w for w in words[1:] if w[:1].isupper() and w not in PROPER]
            assert not shouting, f"{list_name} {code}: {label!r}"


@pytest.mark.django_db
def test_loading_reference_data_stores_sentence_case_labels():
    load_reference_data()
    assert CensusCode.objects.get(list="reason_absence", code="SIC").label == "Sick leave"
    assert CensusCode.objects.get(list="org_role", code="5").label == "Case holder"


@pytest.mark.django_db
def test_the_migration_rewrites_labels_stored_before():
    CensusCode.objects.update_or_create(
        list="reason_absence", code="SIC", defaults={"label": "Sick Leave", "order": 3}
    )
    migration = importlib.import_module(
        "workforce.core.migrations.0003_census_labels_sentence_case"
    )
    from django.apps import apps

    migration.forwards(apps, None)
    assert CensusCode.objects.get(list="reason_absence", code="SIC").label == "Sick leave"


@pytest.mark.django_db
def test_loading_gives_every_authority_its_starting_records_once_and_changes_what_changed(
    django_assert_max_num_queries,
):
    from auditlog.models import LogEntry

    from workforce.careers.models.exits import DEFAULT_THEMES, ExitTheme
    from workforce.core.models import Authority
    from workforce.recruitment.checks import DEFAULT_RULES
    from workforce.recruitment.models import RequiredCheckRule

    with django_assert_max_num_queries(600):  # a few per authority, not one per row
        counts = load_reference_data()
    authorities = Authority.objects.count()
    assert authorities == counts["authorities"] > 150
    assert ExitTheme.objects.count() == authorities * len(DEFAULT_THEMES)
    assert RequiredCheckRule.objects.count() == authorities * len(DEFAULT_RULES)
    assert LogEntry.objects.get_for_model(Authority).count() == authorities  # each audited
    # Again: nothing new; a label or name changed in the store is put back, and audited.
    CensusCode.objects.filter(list="reason_absence", code="SIC").update(label="Sick")
    renamed = Authority.objects.order_by("code").first()
    Authority.objects.filter(pk=renamed.pk).update(name="Somewhere else")
    load_reference_data()
    assert ExitTheme.objects.count() == authorities * len(DEFAULT_THEMES)
    assert RequiredCheckRule.objects.count() == authorities * len(DEFAULT_RULES)
    assert CensusCode.objects.get(list="reason_absence", code="SIC").label == "Sick leave"
    renamed.refresh_from_db()
    assert renamed.name != "Somewhere else"
    assert LogEntry.objects.get_for_model(Authority).count() == authorities + 1
