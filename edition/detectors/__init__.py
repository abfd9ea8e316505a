"""The detector registry: which detectors run, in what priority, and why in that order.

A detector is small and pure: it reads a `DetectionContext` (the source, its
blocks, the document's metadata, its own options) and returns annotations over
source offsets, plus diagnostics. `default_detectors()` registers the built-in
ones; ``edition.yaml`` can switch any of them off or tune it by name
(``detectors: {pages: {enabled: false}}``). When annotations overlap so that
they cannot nest, the one from the higher-priority detector wins
(`edition.resolve`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar, Protocol

from edition.annotations import Annotation
from edition.blocks import Block
from edition.config import DocumentMeta
from edition.corrections import Corrections
from edition.diagnostics import Diagnostic
from edition.persons import Personography
from edition.pickling import ByFields
from edition.source import Source


@dataclass(frozen=True)
class Registers:
    """The editor's registers, shared by every document: who is who, and which readings stand."""

    persons: Personography = field(default_factory=Personography)
    corrections: Corrections = field(default_factory=Corrections)


@dataclass(frozen=True)
class DetectionContext:
    """Everything a detector may read; nothing it may change."""

    source: Source
    blocks: tuple[Block, ...]
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    registers: Registers = field(default_factory=Registers)
    name: str = ""  # the text's file stem, as documents: and corrections.yaml name it


@dataclass(frozen=True, slots=True)
class ReviewItem(ByFields):
    """Something for the editor to decide: a machine-made link or emendation, or a candidate.

    ``kind`` names the list it belongs in (``person.link``, ``person.candidate``,
    ``ocr.emendation``, ``ocr.suspect`` …); ``suggestions`` are ranked, best first.
    """

    kind: str
    start: int
    end: int
    surface: str
    suggestions: tuple[str, ...] = ()
    cert: str = ""  # high, medium or low
    note: str = ""


@dataclass(frozen=True)
class Detection:
    annotations: tuple[Annotation, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    review: tuple[ReviewItem, ...] = ()  # for `edition review`; never changes the TEI


class Detector(Protocol):
    """Finds one kind of thing in a source. ``defaults`` declares its options and their types."""

    name: ClassVar[str]
    defaults: ClassVar[Mapping[str, Any]]

    def detect(self, context: DetectionContext) -> Detection: ...


@dataclass(frozen=True)
class Registered:
    detector: Detector
    priority: int  # higher wins an overlap
    why: str

    @property
    def name(self) -> str:
        return self.detector.name


def default_detectors() -> tuple[Registered, ...]:
    """The built-in detectors, highest priority first."""
    from edition.detectors.footnotes import FootnoteDetector
    from edition.detectors.ocr import OcrDetector
    from edition.detectors.pages import PageBreakDetector
    from edition.detectors.persons import PersonDetector

    return (
        Registered(
            PageBreakDetector(),
            100,
            "a page marker is the printed edition's own apparatus: nothing inside it is a note, "
            "a name or an error",
        ),
        Registered(
            FootnoteDetector(),
            90,
            "a footnote marker is apparatus too: the digits glued to a word are a number, not "
            "part of a name or an OCR error",
        ),
        Registered(
            PersonDetector(),
            70,
            "a garbled name is a name first: a person's name wins over a suspected OCR error",
        ),
        Registered(
            OcrDetector(),
            50,
            "an ordinary-word error is the weakest claim: a name garble is a name first, and a "
            "marker is never a misspelling",
        ),
    )


def detector_defaults(registry: Sequence[Registered]) -> dict[str, Mapping[str, Any]]:
    """Each detector's options and their defaults, for validating ``edition.yaml``."""
    return {entry.name: entry.detector.defaults for entry in registry}
