"""tei/corpus.xml: a teiCorpus describing the edition and listing its files, valid as it stands."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from edition.cli import main
from edition.validate import check_files

TEI = {"t": "http://www.tei-c.org/ns/1.0"}


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    monkeypatch.chdir(tmp_path)
    sources = tmp_path / "src"
    (sources / "texts").mkdir(parents=True)
    (sources / "texts" / "a.txt").write_text("First Letter\n\nDear Sir.\n", encoding="utf-8")
    (sources / "texts" / "b.txt").write_text("Second Letter\n\nDear Madam.\n", encoding="utf-8")
    (sources / "edition.yaml").write_text(
        'edition:\n  title: Letters\n  version: 2.0.0\n  date: "2024-05-01"\n', encoding="utf-8"
    )
    (sources / "persons.yaml").write_text("persons:\n  - id: hull\n    name: Cordell Hull\n", encoding="utf-8")
    assert main(["build", "src", "--out", "out"]) == 0, capsys.readouterr().err
    return tmp_path / "out" / "tei"


def test_the_corpus_header_lists_every_file_in_order(built: Path) -> None:
    root = etree.parse(str(built / "corpus.xml")).getroot()
    assert root.tag == "{http://www.tei-c.org/ns/1.0}teiCorpus"
    bibls = root.findall("t:teiHeader/t:fileDesc/t:sourceDesc/t:listBibl/t:bibl", TEI)
    assert [(b.findtext("t:title", namespaces=TEI), b.find("t:ref", TEI).get("target")) for b in bibls] == [
        ("First Letter", "a.xml"),
        ("Second Letter", "b.xml"),
        ("Letters: persons", "persons.xml"),
    ]
    assert root.find("t:teiHeader//t:edition", TEI).get("n") == "2.0.0"


def test_the_corpus_is_valid_and_its_references_resolve(tei_schema: Path, built: Path) -> None:
    files = sorted(built.glob("*.xml"))
    assert [p.name for p in files] == ["a.xml", "b.xml", "corpus.xml", "persons.xml"]
    assert check_files(files) == []


def test_a_text_may_not_take_the_corpus_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src" / "texts").mkdir(parents=True)
    (tmp_path / "src" / "texts" / "corpus.txt").write_text("A\n\nB.\n", encoding="utf-8")
    assert main(["build", "src", "--out", "out"]) == 1
    assert (
        "src/texts/corpus.txt: the name 'corpus.txt' is taken by the corpus file (corpus.xml); "
        "rename the file [build.reserved-name]" in capsys.readouterr().err
    )
