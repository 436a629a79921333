from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from workforce.census.returns import validate
from workforce.census.tests.world import build, needs_schema

pytestmark = needs_schema  # these export through the schema check


def test_writes_a_valid_return(authority, tmp_path, capsys):
    build(authority)
    out = tmp_path / "return.xml"
    call_command("export_csww", "--year", "2025", "--authority", "999", "--out", str(out))
    xml = out.read_bytes()
    assert validate(xml) == []
    assert len(etree.fromstring(xml).findall("CSWWWorker")) == 5
    assert "5 worker records" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "twenty", "--authority", "999"], "--year must be a year like 2025"),
        (["--year", "1850", "--authority", "999"], "--year must be between"),
        (["--year", "2099", "--authority", "999"], "has not come yet"),
        (["--year", "2025", "--authority", "123"], "no authority with the code '123'"),
    ],
)
def test_bad_input_is_a_plain_message(authority, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_csww", *args, "--out", str(tmp_path / "r.xml"))


def test_bad_path(authority, tmp_path):
    build(authority)
    with pytest.raises(CommandError, match="--out: cannot write"):
        call_command(
            "export_csww",
            "--year",
            "2025",
            "--authority",
            "999",
            "--out",
            str(tmp_path / "missing" / "r.xml"),
        )


def test_schema_errors_write_nothing(authority, tmp_path):
    from workforce.establishment.models import Worker

    build(authority)
    Worker.objects.filter(staff_number="S2").update(swe_number="unknown")
    out = tmp_path / "r.xml"
    with pytest.raises(CommandError, match="The return has problems, so nothing was written"):
        call_command("export_csww", "--year", "2025", "--authority", "999", "--out", str(out))
    assert not out.exists()


def test_an_authority_with_no_one_to_return(authority, other_authority, tmp_path):
    build(authority)
    out = tmp_path / "r.xml"
    with pytest.raises(CommandError, match="There is no one to return"):
        call_command("export_csww", "--year", "2025", "--authority", "998", "--out", str(out))
    assert not out.exists()
