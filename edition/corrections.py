"""Load ``corrections.yaml``, the editor's accepted and rejected emendations, into `Corrections`."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from edition.diagnostics import Diagnostic
from edition.yamlfile import YamlPath, format_path, read_yaml
from edition.yamlschema import Field, Reader, Value, list_of, nonempty_text, one_of, text

Status = Literal["accepted", "rejected"]


@dataclass(frozen=True)
class Correction:
    """One emendation: read ``corr`` where the source has ``sic``.

    A *rejected* correction says the word is right as it stands: never flag it again.
    ``documents`` limits it to those texts (file stems; empty means everywhere) and
    ``context``, when given, is a phrase containing ``sic`` that must surround it.
    """

    sic: str
    corr: str = ""
    status: Status = "accepted"
    documents: tuple[str, ...] = ()
    context: str = ""
    note: str = ""
    line: int = field(default=0, compare=False)  # where it stands in corrections.yaml

    @property
    def accepted(self) -> bool:
        return self.status == "accepted"

    def applies_to(self, document: str) -> bool:
        """Whether it holds in the text whose file stem is ``document``."""
        return not self.documents or document in self.documents

    def matches_at(self, text: str, start: int) -> bool:
        """Whether ``text[start:]`` begins with ``sic`` and, if there is one, inside ``context``."""
        if not text.startswith(self.sic, start):
            return False
        if not self.context:
            return True
        offset = self.context.find(self.sic)
        while offset >= 0:
            if offset <= start and text.startswith(self.context, start - offset):
                return True
            offset = self.context.find(self.sic, offset + 1)
        return False

    @property
    def specificity(self) -> int:
        """2 for a context, 1 for a document list: the more specific wins a lookup."""
        return 2 * bool(self.context) + bool(self.documents)


@dataclass(frozen=True)
class Corrections:
    """Every correction in file order (glossary words last, as rejected corrections)."""

    items: tuple[Correction, ...] = ()
    by_sic: Mapping[str, tuple[Correction, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_sic: dict[str, list[Correction]] = {}
        for item in self.items:
            by_sic.setdefault(item.sic, []).append(item)
        # Most specific first; a stable sort keeps file order among equals.
        ordered = {
            sic: tuple(sorted(found, key=lambda c: -c.specificity)) for sic, found in by_sic.items()
        }
        object.__setattr__(self, "by_sic", MappingProxyType(ordered))

    def lookup(
        self, sic: str, document: str, text: str = "", start: int | None = None
    ) -> Correction | None:
        """The correction that holds for ``sic`` in ``document``, the most specific first.

        Corrections with a ``context`` are only considered when the surrounding
        ``text`` and the ``start`` offset of ``sic`` in it are given.
        """
        for item in self.by_sic.get(sic, ()):
            if not item.applies_to(document):
                continue
            if item.context and (start is None or not item.matches_at(text, start)):
                continue
            return item
        return None

    def for_document(self, document: str) -> tuple[Correction, ...]:
        """Those that may hold in ``document``, in file order."""
        return tuple(item for item in self.items if item.applies_to(document))

    def found_in(self, document: str, text: str) -> tuple[Correction, ...]:
        """Those that may hold in ``document`` and whose word ``text`` has: all a conversion of
        it depends on (`edition.detectors.ocr.editor_decisions`), so the conversion cache keys
        on them alone and an edit of ``corrections.yaml`` converts only the texts it touches."""
        return tuple(item for item in self.for_document(document)
                     if item.sic in text and whole_word(item.sic).search(text))  # fmt: skip

    def __iter__(self) -> Iterator[Correction]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@functools.lru_cache(maxsize=4096)
def whole_word(sic: str) -> re.Pattern[str]:
    """``sic`` where it stands as a word of its own (not inside a longer word or a hyphenation)."""
    return re.compile(rf"(?<![\w-]){re.escape(sic)}(?![\w])")


_STEMS = "a list of text file names without .txt, such as [003_e5b59e6160513613]"

_CORRECTION_FIELDS = {
    "sic": Field(nonempty_text, "", required="the word as the source has it, such as 'tbe'"),
    "corr": Field(nonempty_text, ""),
    "status": Field(one_of("accepted", "rejected"), "accepted"),
    "documents": Field(list_of(nonempty_text, _STEMS), ()),
    "context": Field(nonempty_text, ""),
    "note": Field(text, ""),
}

_TOP = "a mapping with the keys 'corrections' and 'glossary'"


def load_corrections(path: Path | None, display: str) -> tuple[Corrections, list[Diagnostic]]:
    """Read ``corrections.yaml`` at ``path``; ``display`` names it in diagnostics.

    A missing file (or ``None``) gives no corrections and no diagnostic. ``glossary``
    words become rejected corrections that hold everywhere. Every problem is
    reported, located, in file order; a caller must stop on errors.
    """
    if path is None or not path.exists():
        return Corrections(), []
    document, diagnostics = read_yaml(path, display)
    reader = Reader(document, display)
    root = reader.root("config.corrections")
    if reader.mapping(root, _TOP):
        reader.unknown_keys(root, ("corrections", "glossary"))
    items: list[tuple[YamlPath, Correction]] = []
    listed = root.child("corrections")
    if isinstance(listed.data, list):
        for i in range(len(listed.data)):
            found = _correction(listed.child(i))
            if found:
                items.append((listed.child(i).path, found))
    elif listed.data is not None:
        reader.expected(listed, "a list of corrections such as [{sic: tbe, corr: the}]")
    glossary = root.child("glossary", "config.corrections.glossary")
    words: object = ()
    if glossary.data is not None:
        words = reader.convert(
            glossary, list_of(nonempty_text, "a list of words such as [criticise]")
        )
    for i, word in enumerate(words if isinstance(words, tuple) else ()):
        at = (*glossary.path, i)
        line = document.value_at(at)[0]
        items.append((at, Correction(str(word), status="rejected", note="glossary", line=line)))
    _check_duplicates(reader, items)
    return Corrections(tuple(c for _, c in items)), sorted(diagnostics + reader.diagnostics)


def _correction(value: Value) -> Correction | None:
    reader = value.reader
    got = reader.record(value, _CORRECTION_FIELDS, "a mapping such as {sic: tbe, corr: the}")
    if not isinstance(value.data, dict) or not got["sic"]:
        return None
    where = format_path(value.path)
    if got["status"] == "accepted" and not got["corr"] and value.child("corr").data is None:
        message = f"{where}.corr: missing; expected the corrected reading, or 'status: rejected'"
        reader.error(value.path, message, "config.corrections.corr")
    if got["status"] == "rejected" and got["corr"]:
        message = f"{where}.corr: a rejected correction has no corrected reading; remove it"
        reader.error((*value.path, "corr"), message, "config.corrections.corr")
    if got["context"] and got["sic"] not in got["context"]:
        message = (
            f"{where}.context: expected a phrase containing {got['sic']!r}, got {got['context']!r}"
        )
        reader.error((*value.path, "context"), message, "config.corrections.context")
    if got["corr"] == got["sic"]:
        message = f"{where}.corr: the same as sic ({got['sic']!r}); the correction changes nothing"
        reader.warning((*value.path, "corr"), message, "config.corrections.unchanged")
    return Correction(**got, line=reader.document.value_at(value.path)[0])


def _check_duplicates(reader: Reader, items: list[tuple[YamlPath, Correction]]) -> None:
    first: dict[tuple[str, frozenset[str], str], int] = {}
    for path, item in items:
        scope = (item.sic, frozenset(item.documents), item.context)
        if scope in first:
            message = (
                f"{format_path(path)}: {item.sic!r} is already listed, with the same documents "
                f"and context, at line {first[scope]}"
            )
            reader.error(path, message, "config.corrections.duplicate")
        else:
            first[scope] = item.line
