"""`manage.py board_report`: a report file from the command line, and plain refusals."""

from __future__ import annotations

import types
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from workforce.reports.document import Document
from workforce.reports.management.commands import board_report
from workforce.reports.tests.conftest import Place

written: list[Document] = []


@pytest.fixture
def renderers(monkeypatch: pytest.MonkeyPatch) -> list[Document]:
    """Stand-in renderers that keep the document they are given (the real ones are tested
    with the renderers, and once below)."""
    written.clear()
    stub = types.ModuleType("workforce.reports.render")

    def docx(document: Document) -> bytes:
        written.append(document)
        return b"DOCX"

    def pdf(document: Document) -> bytes:
        written.append(document)
        return b"%PDF"

    stub.docx = docx  # type: ignore[attr-defined]
    stub.pdf = pdf  # type: ignore[attr-defined]
    monkeypatch.setattr(board_report, "render", stub)
    return written


def run(*args: str) -> None:
    call_command("board_report", *args)


def test_it_writes_the_report_with_the_sections_asked_for(
    place: Place, renderers: list[Document], tmp_path: Path
) -> None:
    out = tmp_path / "report.docx"

    run(
        "--date", "2025-03-31", "--audience", "scrutiny_board", "--format", "docx",
        "--out", str(out), "--authority", "999", "--sections", "test.plan,test.posts",
    )  # fmt: skip

    assert out.read_bytes() == b"DOCX"
    (document,) = renderers
    assert [s.key for s in document.sections] == ["test.plan", "test.posts"]
    assert document.sections[1].content.figures["posts"] == 3
    assert document.title == "Exampleshire children's social work workforce: 31 March 2025"
    assert document.protective_marking == "OFFICIAL"


def test_it_uses_the_default_sections_for_the_audience(
    place: Place, renderers: list[Document], tmp_path: Path
) -> None:
    out = tmp_path / "report.pdf"
    run("--date", "2025-03-31", "--audience", "internal", "--format", "pdf", "--out", str(out),
        "--authority", "999")  # fmt: skip

    assert out.read_bytes() == b"%PDF"
    assert [s.key for s in renderers[0].sections] == [
        "test.posts", "test.plan", "test.blank", "test.teams"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "31/03/2025"], "--date must be a date like 2025-03-31, not '31/03/2025'."),
        (["--date", "2020-01-31"], "--date: The records start on 1 April 2023"),
        (["--date", "2099-01-31"], "there are no figures for a date in the future"),
        (["--audience", "cabinet"], "--audience must be one of scrutiny_board"),
        (["--format", "odt"], "--format must be docx or pdf, not 'odt'."),
        (["--out", "/no/such/folder/report.docx"], "--out: cannot write a file at"),
        (["--authority", "123"], "there is no authority with the code '123'"),
        (["--sections", "test.posts,nope"], "--sections: there is no section 'nope'"),
        (["--sections", "test.teams"], "there is no section 'test.teams' for a scrutiny board"),
    ],
)
def test_bad_arguments_are_refused_plainly(
    place: Place, renderers: list[Document], tmp_path: Path, args: list[str], message: str
) -> None:
    given = {
        "--date": "2025-03-31",
        "--audience": "scrutiny_board",
        "--format": "docx",
        "--out": str(tmp_path / "r.docx"),
        "--authority": "999",
    }
    for flag, value in zip(args[::2], args[1::2], strict=True):
        given[flag] = value

    with pytest.raises(CommandError) as refused:
        run(*[part for pair in given.items() for part in pair])

    assert message in str(refused.value)
    assert not (tmp_path / "r.docx").exists()


def test_the_authority_is_needed_when_there_are_several(
    place: Place, renderers: list[Document], tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="there is more than one authority"):
        run("--date", "2025-03-31", "--audience", "scrutiny_board", "--format", "pdf",
            "--out", str(tmp_path / "r.pdf"))  # fmt: skip


def test_it_writes_a_real_word_file(place: Place, tmp_path: Path) -> None:
    from docx import Document as WordDocument

    out = tmp_path / "report.docx"
    run("--date", "2025-03-31", "--audience", "scrutiny_board", "--format", "docx",
        "--out", str(out), "--authority", "999", "--sections", "test.posts")  # fmt: skip

    text = "\n".join(p.text for p in WordDocument(str(out)).paragraphs)
    assert "There were 3 posts, against 3 a year earlier." in text
