"""Converting one text to TEI: structure, header, losslessness, golden files for the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from edition.config import EditionConfig
from edition.config_load import load_edition_config
from edition.convert import Converted, convert_document
from edition.detectors import default_detectors, detector_defaults
from edition.reading import diplomatic_text
from edition.source import decode_source, read_source
from edition.validate import validate_tree

from .conftest import GOLDEN, SEEDS

NS = {"tei": "http://www.tei-c.org/ns/1.0"}


def convert_text(text: str, name: str = "sample", config: EditionConfig | None = None) -> Converted:
    source, _ = decode_source(text.encode("utf-8"), f"texts/{name}.txt")
    return convert_document(
        source, name, config or EditionConfig(title="Test"), default_detectors()
    )


def seed_config() -> EditionConfig:
    path = SEEDS / "edition.yaml"
    config, found = load_edition_config(
        path, "edition.yaml", "seeds", detector_defaults(default_detectors())
    )
    assert found == []
    return config


SEED_NAMES = sorted(p.stem for p in SEEDS.glob("*.txt"))


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_matches_its_golden_tei(name: str, update_golden: bool) -> None:
    source, _ = read_source(SEEDS / f"{name}.txt", f"texts/{name}.txt")
    converted = convert_document(source, name, seed_config(), default_detectors(), "2026-01-01")
    assert [d for d in converted.diagnostics if d.is_error] == []
    golden = GOLDEN / f"{name}.xml"
    if update_golden:
        golden.write_bytes(converted.tei)
    assert converted.tei == golden.read_bytes(), "run pytest --update-golden and review the diff"


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_tei_is_valid_tei_all(name: str, tei_schema: Path) -> None:
    assert validate_tree(etree.parse(str(GOLDEN / f"{name}.xml")), name) == []


def test_telegram_header_states_title_source_pages_licence_and_permalink() -> None:
    source, _ = read_source(SEEDS / "003_e5b59e6160513613.txt")
    root = etree.fromstring(
        convert_document(source, "003_e5b59e6160513613", seed_config(), default_detectors()).tei
    )
    assert root.get("{http://www.w3.org/XML/1998/namespace}id") == "d-003-e5b59e6160513613"
    assert root.findtext(".//tei:titleStmt/tei:title", namespaces=NS) == (
        "The Chargé in the Soviet Union (Henderson) to the Secretary of State"
    )
    scope = root.find(".//tei:sourceDesc/tei:bibl/tei:biblScope", NS)
    assert scope is not None and (scope.get("from"), scope.get("to")) == ("300", "302")
    assert root.findtext(".//tei:licence", namespaces=NS) == "Public domain"
    assert root.findtext(".//tei:idno[@type='URI']", namespaces=NS) == (
        "https://edition.example.org/golden/d-003-e5b59e6160513613/index.html"
    )
    assert root.find(".//tei:creation/tei:date", NS).get("when") == "1936-08-27"


def test_page_marker_lines_become_page_breaks_between_paragraphs() -> None:
    tei = convert_text("First paragraph.\n\n[Page 301]\n\nSecond paragraph.").tei
    body = etree.fromstring(tei).find(".//tei:div", NS)
    assert [etree.QName(e).localname for e in body] == ["p", "pb", "p"]
    assert body[1].get("n") == "301"


def test_markup_in_the_source_is_text_in_the_tei() -> None:
    text = "He wrote <script>alert('x')</script> & left ]]> behind."
    root = etree.fromstring(convert_text(text).tei)
    assert root.findtext(".//tei:body//tei:p", namespaces=NS) == text


def test_the_diplomatic_reading_gives_the_source_back() -> None:
    text = (SEEDS / "003_e5b59e6160513613.txt").read_text(encoding="utf-8")
    reading = diplomatic_text(etree.fromstring(convert_text(text, "t").tei))
    assert reading.split() == text.split()


def test_conversion_is_deterministic() -> None:
    text = (SEEDS / "000_1f1a60356441ad05.txt").read_text(encoding="utf-8")
    assert convert_text(text).tei == convert_text(text).tei


def test_title_falls_back_to_the_first_real_heading_then_the_file_name() -> None:
    with_head = etree.fromstring(convert_text("123.45/6: Telegram\n\nThe Head\n\nBody text.").tei)
    without = etree.fromstring(convert_text("Just a paragraph of text.", name="letter-7").tei)
    assert with_head.findtext(".//tei:title", namespaces=NS) == "The Head"
    assert without.findtext(".//tei:title", namespaces=NS) == "letter-7"


def test_hard_wrapped_paragraph_keeps_its_line_breaks_as_lb() -> None:
    root = etree.fromstring(convert_text("one line\nand another\nand a third").tei)
    p = root.find(".//tei:body//tei:p", NS)
    assert len(p.findall("tei:lb", NS)) == 2
    assert "".join(p.itertext()) == "one line\nand another\nand a third"


def test_empty_text_gives_a_valid_empty_document(tei_schema: Path) -> None:
    root = etree.fromstring(convert_text("").tei)
    assert validate_tree(root, "empty") == []


# Inputs Hypothesis found; each once lost a character.
@pytest.mark.parametrize(
    "text",
    [
        "the\n\n[Page 301][Page 301]",  # two milestones with nothing between them
        "the\n\nthethethe¹\n\n  1. the\n  2. \x85\n  3. the",  # a note label swallowed as a body line
        "x¹ y³\n\n  1. a\n  3. b",  # endnote labels with a gap
        "\n\n  1. thethe\n  1. the",  # a repeated label, the notes in their own order
        "\n\n  1. the\n  2. the\n  1. the",  # labels out of order
        "the\n\nthe1359.2\n[Page 301]\n[Page 301]",  # page breaks as list items, one after another
        "the\nthe\n\n[Page 301]\n[Page 301]",  # a "list" of page breaks only
        "the\nthe\n\n861.00/11630",  # a heading after text (it opens a section)
    ],
)
def test_found_by_hypothesis_stays_lossless(text: str) -> None:
    converted = convert_text(text)
    assert [d.code for d in converted.diagnostics if d.is_error] == []
    reading = diplomatic_text(etree.fromstring(converted.tei))
    assert reading.split() == text.split()
