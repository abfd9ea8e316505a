"""Detect bracketed page markers — ``[Page 301]``, ``[p. 12]``, ``[Pg 12]``, ``[Page xii]`` — as page breaks.

A marker becomes a ``pb`` milestone wherever it stands: on its own line between
paragraphs, mid-sentence, or glued to the next word (``they are [Page 206]only``).
The encoder replaces the marker with ``<pb n="301"/>`` and keeps the source's own
form in ``@rend`` when it is not the canonical ``[Page 301]``, so the diplomatic
reading gives it back. A marker that opens but never closes (``[Page 12 and``)
stays text, with a located warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, ClassVar

from edition.annotations import Annotation, make_attrs
from edition.detectors import Detection, DetectionContext
from edition.diagnostics import Diagnostic
from edition.source import Source

# The labels a page marker may carry, e.g. "[Page 301]", "[Pg 12]", "[Pg. 12]", "[p. 12]", "[P. 12]".
DEFAULT_LABELS = ("Page", "page", "Pg.", "Pg", "pg.", "pg", "p.", "P.")

# An arabic page number, e.g. "301"; with a letter suffix, e.g. "12a" (an inserted leaf).
ARABIC = r"\d{1,5}"
LETTER_SUFFIX = r"[a-z]?"
# A roman page number of the front matter, e.g. "xii", "XIV".
ROMAN = r"[ivxlcdm]{1,8}|[IVXLCDM]{1,8}"

# What the editor writes in edition.yaml; `pattern` (a regex with a group named "n")
# replaces the marker built from the other options.
DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {"labels": DEFAULT_LABELS, "roman": True, "letter_suffix": True, "pattern": ""}
)


def marker_patterns(options: Mapping[str, Any]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The page-marker regex and the regex of a marker left unclosed, from the detector's options.

    With the defaults the first matches ``[Page 301]``, ``[Page xii]``, ``[p. 12a]``;
    the second matches ``[Page 12`` where no ``]`` follows.
    """
    labels = _labels(options.get("labels", DEFAULT_LABELS))
    numbers = ARABIC + (LETTER_SUFFIX if options.get("letter_suffix", True) else "")
    if options.get("roman", True):
        numbers = f"{numbers}|{ROMAN}"
    label = "|".join(re.escape(item) for item in sorted(labels, key=len, reverse=True))
    opening = rf"\[(?:{label})[ \t\u00a0]?(?P<n>{numbers})"
    custom = str(options.get("pattern") or "")
    marker = re.compile(custom) if custom else re.compile(rf"{opening}\]")
    # Unclosed: an arabic number, or a roman one after a space ("[p.m." is no page marker).
    arabic = ARABIC + (LETTER_SUFFIX if options.get("letter_suffix", True) else "")
    roman = rf"|[ \t\u00a0](?:{ROMAN})" if options.get("roman", True) else ""
    unclosed = re.compile(rf"\[(?:{label})(?:[ \t\u00a0]?{arabic}{roman})(?![\w\]])")
    return marker, unclosed


def _labels(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Sequence):
        return tuple(str(item) for item in value if str(item))
    return DEFAULT_LABELS


class PageBreakDetector:
    """A page marker anywhere — on its own line, mid-sentence, glued to a word — is a page break."""

    name: ClassVar[str] = "pages"
    defaults: ClassVar[Mapping[str, Any]] = DEFAULTS
    editorial: ClassVar[tuple[str, str]] = (
        "interpretation",
        "Page markers of the printed edition ([Page 301]) are encoded as pb where they stood, "
        "the marker itself being recorded in @rend when it differs from that form.",
    )

    def detect(self, context: DetectionContext) -> Detection:
        source = context.source
        try:
            marker, unclosed = marker_patterns(context.options)
        except re.error as exc:
            message = f"detectors.pages.pattern is not a valid regular expression: {exc}"
            return Detection((), (source.warning(0, message, "pages.pattern"),))
        found = tuple(self._breaks(source.text, marker))
        diagnostics = [*_unclosed(source, unclosed, found), *_out_of_order(source, found)]
        return Detection(found, tuple(diagnostics))

    def _breaks(self, text: str, marker: re.Pattern[str]) -> Iterator[Annotation]:
        for match in marker.finditer(text):
            n = match.groupdict().get("n") or match.group()
            yield Annotation(match.start(), match.end(), "pb", make_attrs({"n": n}), detector=self.name)


def _unclosed(source: Source, unclosed: re.Pattern[str], found: Sequence[Annotation]) -> Iterator[Diagnostic]:
    """A warning for each marker that opens like a page marker but is never closed."""
    taken = {a.start for a in found}
    for match in unclosed.finditer(source.text):
        if match.start() in taken:
            continue
        yield source.warning(
            match.start(),
            f"page marker {match.group()!r} is not closed with ']'; kept as text",
            "pages.malformed",
        )


def _out_of_order(source: Source, found: Sequence[Annotation]) -> Iterator[Diagnostic]:
    """A warning where an arabic page number does not follow the one before it."""
    previous: int | None = None
    for annotation in found:
        n = annotation.attr("n")
        if not n.isdigit():
            continue
        if previous is not None and int(n) <= previous:
            yield source.warning(
                annotation.start,
                f"page {n} follows page {previous}; check the page marker",
                "pages.order",
            )
        previous = int(n)
