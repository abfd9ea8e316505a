"""Invariants over generated sources: lossless, valid tei_all, deterministic — per text and per build.

Profiles: ``ci`` (the default; a few minutes in all) and ``thorough``
(``HYPOTHESIS_PROFILE=thorough``: thousands of examples per property, for a
release or a night).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from unittest import mock

import lxml.html
from hypothesis import HealthCheck, given, settings
from lxml import etree

from edition.config import EditionConfig
from edition.convert import convert_document
from edition.detectors import default_detectors
from edition.diagnostics import EditionError
from edition.pipeline import BuildOptions, build_edition
from edition.reading import diplomatic_text, first_difference, normalized_text
from edition.source import XML_ILLEGAL, decode_source
from edition.validate import validate_tree

from .strategies import PERSONS_YAML, edition_texts, sources

settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
# A whole build costs ~100× one conversion: fewer examples of it, in proportion.
WHOLE_BUILDS = {"ci": 60, "thorough": 2000}[os.environ.get("HYPOTHESIS_PROFILE", "ci")]

CONFIG = EditionConfig(title="Property test")
DETECTORS = default_detectors()


def convert(text: str) -> tuple[str, bytes, list[str]]:
    source, _ = decode_source(text.encode("utf-8"), "texts/generated.txt")
    converted = convert_document(source, "generated", CONFIG, DETECTORS, "2026-01-01")
    return source.text, converted.tei, [d.format() for d in converted.diagnostics if d.is_error]


@given(sources())
def test_the_diplomatic_reading_gives_the_source_back(text: str) -> None:
    source, tei, errors = convert(text)
    assert errors == []
    assert first_difference(source, diplomatic_text(etree.fromstring(tei))) is None


@given(sources())
def test_every_conversion_is_valid_tei_all(tei_schema: Path, text: str) -> None:
    _, tei, _ = convert(text)
    assert validate_tree(etree.fromstring(tei), "generated") == []


@given(sources())
def test_conversion_is_deterministic(text: str) -> None:
    assert convert(text)[1] == convert(text)[1]


@given(sources())
def test_control_characters_are_refused_with_a_location(text: str) -> None:
    bad = text + "\x1b"
    try:
        decode_source(bad.encode("utf-8"), "texts/x.txt")
    except EditionError as failure:
        assert all(d.line >= 1 and d.code == "source.illegal-char" for d in failure.diagnostics)
    else:
        raise AssertionError("a control character was accepted")


# --- whole builds: sources folder in, TEI and site out ---

# What the page adds around the reading text and hides by default: page numbers, note
# markers, permalinks, the diplomatic readings, other readings, tips, paragraph citations.
APPARATUS = {"pb", "noteref", "permalink", "dipl", "alt", "tip", "para-cite"}
# Elements that stand apart from their neighbours, as TEI blocks do in the reading.
HTML_BLOCKS = {"div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "section"}
WHITESPACE = re.compile(r"\s+")


def page_reading(page: lxml.html.HtmlElement) -> str:
    """The text a reader reads on a document page, as `normalized_text` gives it from the TEI.

    The reading section without its apparatus (see ``APPARATUS``), then each note as
    "<its number>. <its body>", in the page's order; blocks set apart by white space.
    """
    (reading,) = page.xpath('//div[@class="reading"]')
    notes = page.xpath('//ol[@class="notes"]/li')
    parts = [_text(reading)]
    for note in notes:
        backref, body = note.xpath('a[@class="backref"]')[0], note.xpath("*[@class='note-body']")[0]
        parts.append(f"\n{backref.text_content()}. {_text(body)}")
    return "".join(parts)


def _text(element: lxml.html.HtmlElement) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and not set((child.get("class") or "").split()) & APPARATUS:
            block = child.tag in HTML_BLOCKS
            parts.extend([" " if block else "", _text(child), " " if block else ""])
        parts.append(child.tail or "")
    return "".join(parts)


def same_text(a: str, b: str) -> bool:
    """Equal once every run of white space is one space (the lossless check's allowance)."""
    return WHITESPACE.sub(" ", a).strip() == WHITESPACE.sub(" ", b).strip()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def write_sources(root: Path, texts: dict[str, str]) -> Path:
    sources = root / "src"
    (sources / "texts").mkdir(parents=True)
    for name, text in texts.items():
        (sources / "texts" / f"{name}.txt").write_text(text, encoding="utf-8")
    (sources / "persons.yaml").write_text(PERSONS_YAML, encoding="utf-8")
    (sources / "edition.yaml").write_text(
        "edition:\n  title: Generated <edition> & co\n  date: 2026-01-01\n", encoding="utf-8"
    )
    return sources


def build(sources: Path, out: Path) -> None:
    # tei_all in this process (lxml, compiled once per session) rather than a JVM per build.
    with mock.patch("edition.validate._jing_jar", return_value=None):
        build_edition(BuildOptions(sources, out, jobs=1, cache=False))


@settings(max_examples=WHOLE_BUILDS)
@given(edition_texts())
def test_a_build_publishes_valid_lossless_tei_and_the_same_text_or_refuses_located(
    tei_schema: Path, texts: dict[str, str]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sources = write_sources(root, texts)
        illegal = any(XML_ILLEGAL.search(text) for text in texts.values())
        try:
            build(sources, root / "a")
        except EditionError as refusal:
            assert illegal, [d.format() for d in refusal.diagnostics]
            assert refusal.diagnostics
            for problem in refusal.diagnostics:
                assert problem.code in {"source.illegal-char", "source.binary"}, problem.format()
                assert problem.path.endswith(".txt") and problem.line >= 1 and problem.col >= 1
            assert not (root / "a").exists()  # nothing written
            return
        assert not illegal, "a character XML cannot hold was accepted"
        build(sources, root / "b")
        assert snapshot(root / "a") == snapshot(root / "b")
        for name, text in texts.items():
            tei_file = root / "a" / "tei" / f"{name}.xml"
            tree = etree.parse(str(tei_file))
            assert validate_tree(tree, name) == []
            source, _ = decode_source(text.encode("utf-8"), name)
            assert first_difference(source.text, diplomatic_text(tree.getroot())) is None
            doc_id = tree.getroot().get("{http://www.w3.org/XML/1998/namespace}id")
            page = lxml.html.fromstring((root / "a" / "site" / doc_id / "index.html").read_bytes())
            shown, expected = page_reading(page), normalized_text(tree.getroot())
            assert same_text(shown, expected), (shown, expected)
