"""Files waiting to be imported are kept encrypted; a file sealed with another key is refused
plainly, never read as garbage."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import timezone

from workforce.imports import sealed, services
from workforce.imports.models import ImportRun, ImportStatus

FILE = b"Front Door North, front_door\n"


def test_a_sealed_file_opens_to_what_was_sealed():
    assert sealed.unseal(sealed.seal(FILE)) == FILE
    assert FILE not in sealed.seal(FILE)
    assert sealed.unseal(None) == b""


def test_a_file_waiting_to_be_imported_is_not_kept_in_clear(teams_importer, authority):
    run, _ = services.check(teams_importer, authority, data=FILE, filename="t.csv", user=None)

    stored = bytes(ImportRun.objects.get(pk=run.pk).data)
    assert b"Front Door North" not in stored
    assert sealed.unseal(stored) == FILE
    services.apply(run, user=None, now=timezone.now())
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED and run.data is None


def test_a_file_sealed_with_another_key_is_refused_plainly(teams_importer, authority):
    run, _ = services.check(teams_importer, authority, data=FILE, filename="t.csv", user=None)

    with override_settings(IMPORT_FILE_KEY="another key"):
        with pytest.raises(sealed.Unreadable):
            sealed.unseal(ImportRun.objects.get(pk=run.pk).data)
        with pytest.raises(Exception, match="can no longer be read"):
            services.apply(run, user=None, now=timezone.now())
