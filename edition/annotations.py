"""Annotations: what a detector found, as a kind and attributes over a span of the source.

An annotation never copies text: ``[start, end)`` points into the source. Its
``kind`` decides how the encoder writes it (see `edition.encode`): a *milestone*
replaces its span with an empty element (``pb``), a *note* replaces its span (the
marker) with a note holding the ``target`` span (the body), a *wrapper* wraps its
span (``persName``), and a *choice* keeps its span as ``orig``/``sic`` beside a
replacement (``reg``/``corr``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Annotation:
    """One finding over ``[start, end)``; ``target`` is a second span it carries (a note body)."""

    start: int
    end: int
    kind: str
    attrs: tuple[tuple[str, str], ...] = ()
    target: tuple[int, int] | None = None
    detector: str = field(default="", compare=False)

    def attr(self, name: str, default: str = "") -> str:
        for key, value in self.attrs:
            if key == name:
                return value
        return default

    @property
    def is_empty(self) -> bool:
        return self.start == self.end


def make_attrs(values: Mapping[str, str | None]) -> tuple[tuple[str, str], ...]:
    """Attributes in a stable order, leaving out the unset ones."""
    return tuple((key, value) for key, value in sorted(values.items()) if value)
