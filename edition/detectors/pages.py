"""Detect bracketed page markers, ``[Page 301]``, as page breaks."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from edition.annotations import Annotation, make_attrs
from edition.detectors import DetectionContext, Detection

# A page marker of the text view, e.g. "[Page 301]", "[Page xii]", "[Page 12a]".
PAGE_MARKER = re.compile(r"\[Page (?P<n>\d{1,5}[a-z]?|[ivxlcdm]{1,8})\]")


class PageBreakDetector:
    """``[Page N]`` anywhere — on its own line, mid-sentence, glued to a word — is a page break."""

    name: ClassVar[str] = "pages"
    defaults: ClassVar[Mapping[str, Any]] = MappingProxyType({})

    def detect(self, context: DetectionContext) -> Detection:
        found = tuple(
            Annotation(m.start(), m.end(), "pb", make_attrs({"n": m.group("n")}), detector=self.name)
            for m in PAGE_MARKER.finditer(context.source.text)
        )
        return Detection(found)
