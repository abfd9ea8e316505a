"""Invariants over generated sources: lossless, valid tei_all, deterministic."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from lxml import etree

from edition.config import EditionConfig
from edition.convert import convert_document
from edition.detectors import default_detectors
from edition.diagnostics import EditionError
from edition.reading import diplomatic_text, first_difference
from edition.source import decode_source
from edition.validate import validate_tree

from .strategies import sources

settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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
