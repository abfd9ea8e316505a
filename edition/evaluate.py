"""Measure the page-break, footnote and person detectors against a gold-annotated corpus.

A corpus folder holds ``<doc>.txt`` (the input) beside ``<doc>.json`` (gold: see
the corpus README); a folder of such folders is a corpus of volumes. Every
document goes through the converter's own steps (blocks, detectors, resolve)
and the full conversion, whose lossless check must pass. A page break counts
when the right number stands at the right place; a footnote when its marker
is at the right place, its body is the right endnote and its printed number is
kept in ``@n``; a note with no visible marker is *kept* when no marker claims
it (it goes on the heading or stays among the endnotes).

``python -m edition.evaluate ../shared/corpus/frus1936v03`` prints the table.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from edition.annotations import Annotation
from edition.blocks import split_blocks
from edition.config import EditionConfig
from edition.convert import convert_document
from edition.detectors import DetectionContext, Registered, Registers, default_detectors
from edition.names import PARENTHESIS, PARTICLES, TERRITORIAL, TITLES
from edition.persons import Personography, PersonRecord
from edition.resolve import resolve
from edition.source import Source, read_source

# The shared corpus beside the repository: <repo>/../shared/corpus.
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CONFIG = EditionConfig(title="evaluation")


@dataclass(frozen=True)
class Score:
    """Counts of true positives, false positives and false negatives, and what follows from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class DocumentResult:
    """One document's scores and, for the report, a few of its misses in words."""

    volume: str
    name: str
    pages: Score
    notes: Score
    unmarked: int  # gold notes with no visible marker
    unmarked_kept: int  # of those, how many no marker claimed
    lossless: bool
    misses: tuple[str, ...] = ()
    persons: Score = Score()  # tp: gold mentions found; fn: missed; fp: links the gold lacks
    links: int = 0  # persName links made

    @property
    def errors(self) -> int:
        return (self.pages.fp + self.pages.fn + self.notes.fp + self.notes.fn + (not self.lossless)
                + self.persons.fp + self.persons.fn)


@dataclass(frozen=True)
class Report:
    documents: tuple[DocumentResult, ...] = field(default_factory=tuple)

    def select(self, volume: str | None = None) -> Report:
        return Report(tuple(d for d in self.documents if volume is None or d.volume == volume))

    @property
    def volumes(self) -> list[str]:
        return sorted({d.volume for d in self.documents})

    @property
    def pages(self) -> Score:
        return sum((d.pages for d in self.documents), Score())

    @property
    def notes(self) -> Score:
        return sum((d.notes for d in self.documents), Score())

    @property
    def persons(self) -> Score:
        return sum((d.persons for d in self.documents), Score())

    @property
    def links(self) -> int:
        return sum(d.links for d in self.documents)

    @property
    def wrong_links(self) -> float:
        """The share of the links made that the gold does not have."""
        return self.persons.fp / self.links if self.links else 0.0

    @property
    def unmarked(self) -> tuple[int, int]:
        return sum(d.unmarked_kept for d in self.documents), sum(d.unmarked for d in self.documents)

    @property
    def unmarked_kept(self) -> float:
        kept, total = self.unmarked
        return kept / total if total else 1.0

    @property
    def lossless_failures(self) -> int:
        return sum(not d.lossless for d in self.documents)

    def worst(self, count: int = 10) -> list[DocumentResult]:
        failing = [d for d in self.documents if d.errors]
        return sorted(failing, key=lambda d: (-d.errors, d.volume, d.name))[:count]

    def table(self, worst: int = 10) -> str:
        """The scores per volume and overall, then the worst documents with an example miss each."""
        head = (f"{'corpus':<20} {'docs':>5}  {'pages P':>7} {'R':>6} {'F1':>6}  "
                f"{'notes P':>7} {'R':>6} {'F1':>6}  {'unmarked kept':>13}  {'lossless':>8}")
        lines = [head, "-" * len(head)]
        rows = [(v, self.select(v)) for v in self.volumes]
        if len(rows) != 1:
            rows.append(("all", self))
        for label, part in rows:
            kept, total = part.unmarked
            lines.append(
                f"{label:<20} {len(part.documents):>5}  "
                f"{part.pages.precision:>7.4f} {part.pages.recall:>6.4f} {part.pages.f1:>6.4f}  "
                f"{part.notes.precision:>7.4f} {part.notes.recall:>6.4f} {part.notes.f1:>6.4f}  "
                f"{f'{kept}/{total}':>13}  {len(part.documents) - part.lossless_failures:>8}"
            )
        with_persons = [(v, p) for v, p in rows if p.persons.tp + p.persons.fn]
        if with_persons:
            lines += ["", f"{'persons':<20} {'docs':>5}  {'mentions':>8} {'found':>6} {'recall':>6}  "
                          f"{'links':>6} {'wrong':>6} {'rate':>7}"]
            for label, part in with_persons:
                score = part.persons
                lines.append(
                    f"{label:<20} {len(part.documents):>5}  {score.tp + score.fn:>8} {score.tp:>6} "
                    f"{score.recall:>6.4f}  {part.links:>6} {score.fp:>6} {part.wrong_links:>7.2%}"
                )
        bad = self.worst(worst)
        if bad:
            lines += ["", "worst documents:"]
            for result in bad:
                example = result.misses[0] if result.misses else "lossless check failed"
                lines.append(f"  {result.volume}/{result.name} ({result.errors} errors): {example}")
        return "\n".join(lines)


def evaluate_corpus(folder: Path, detectors: Sequence[Registered] | None = None,
                    limit: int | None = None) -> Report:
    """Evaluate every document of ``folder`` (a volume, or a folder of volumes).

    ``limit`` takes only the first documents of each volume (by name), for a quick run.
    """
    registry = tuple(detectors if detectors is not None else default_detectors())
    results = [
        evaluate_document(text, registry, volume.name, registers)
        for volume in volumes(folder)
        for registers in [volume_registers(volume)]
        for text in sorted(volume.glob("*.txt"), key=_natural)[:limit]
        if text.with_suffix(".json").exists()
    ]
    return Report(tuple(results))


def volume_registers(volume: Path) -> Registers:
    """The register of persons a volume's ``_persons.json`` implies, names forename first.

    Only ids, names and descriptions: no forms and no variants, which the detector derives.
    """
    path = volume / "_persons.json"
    if not path.exists():
        return Registers()
    listed = json.loads(path.read_text(encoding="utf-8"))
    records = tuple(
        PersonRecord(id=pid, name=forename_first(str(entry["name"])),
                     description=str(entry.get("description", "")))
        for pid, entry in listed.items()
    )
    return Registers(Personography(records))


def forename_first(name: str) -> str:
    """A catalogue name turned forename first: "Baker, Newton D." → "Newton D. Baker".

    Parts after the surname that are titles go first ("Goto, Shimpei, Baron" → "Baron
    Shimpei Goto"; "Mirbach, Wilhelm, Count von" → "Count Wilhelm von Mirbach"; "Reading,
    Earl of" → "Earl of Reading"); a parenthesis stays at the end.
    """
    parenthesis = " ".join(m.group().strip() for m in PARENTHESIS.finditer(name))
    head, *rest = [part.strip() for part in PARENTHESIS.sub("", name).split(",")]
    titles: list[str] = []
    forenames: list[str] = []
    particle = ""
    for part in rest:
        words = part.split()
        bare = " ".join(w for w in words if w not in PARTICLES)
        if part in TERRITORIAL or bare in TITLES:
            titles.append(part if part in TERRITORIAL else bare)
            particle = " ".join(w for w in words if w in PARTICLES)
        else:
            forenames.append(part)
    return " ".join(" ".join([*titles, *forenames, particle, head, parenthesis]).split())


def volumes(folder: Path) -> list[Path]:
    """The volume folders under ``folder``: itself when it holds gold files, else its subfolders."""
    if any(folder.glob("*.json")) and any(folder.glob("*.txt")):
        return [folder]
    return sorted(p for p in folder.iterdir() if p.is_dir() and any(p.glob("*.txt")))


def evaluate_document(path: Path, detectors: Sequence[Registered], volume: str = "",
                      registers: Registers | None = None) -> DocumentResult:
    """Score one ``<doc>.txt`` against its ``<doc>.json``."""
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    source, _ = read_source(path)
    registers = registers or Registers()
    kept = annotate(source, path.stem, detectors, registers)
    converted = convert_document(source, path.stem, CONFIG, detectors, registers=registers)
    lossless = not any(d.code == "convert.lossless" for d in converted.diagnostics)
    misses: list[str] = []
    pages = _score_pages(source, gold.get("page_breaks", []), kept, misses)
    notes, unmarked, unmarked_kept = _score_notes(source, gold.get("notes", []), kept, misses)
    persons, links = Score(), 0
    if len(registers.persons):
        persons, links = _score_persons(source, gold.get("persNames", []), kept, misses)
    return DocumentResult(volume, path.stem, pages, notes, unmarked, unmarked_kept, lossless,
                          tuple(misses), persons, links)


def annotate(source: Source, name: str, detectors: Sequence[Registered],
             registers: Registers | None = None) -> list[Annotation]:
    """The annotations the converter encodes for ``source``: every detector's, resolved."""
    blocks = tuple(split_blocks(source.text))
    meta = CONFIG.document(name)
    ranked: list[tuple[int, Annotation]] = []
    for entry in detectors:
        options = CONFIG.detector(entry.name)
        if not options.enabled:
            continue
        merged = {**entry.detector.defaults, **options.options}
        context = DetectionContext(source, blocks, meta, merged, registers or Registers(), name)
        detection = entry.detector.detect(context)
        ranked.extend((entry.priority, a) for a in detection.annotations)
    kept, _ = resolve(ranked)
    return kept


def _score_pages(source: Source, gold: Iterable[dict[str, object]], kept: Iterable[Annotation],
                 misses: list[str]) -> Score:
    expected = {(int(str(g["start"])), str(g["n"])) for g in gold}
    found = {(a.start, a.attr("n")) for a in kept if a.kind == "pb"}
    for start, n in sorted(expected - found):
        misses.append(f"page {n} at {_where(source, start)} not found")
    for start, n in sorted(found - expected):
        misses.append(f"page {n} found at {_where(source, start)} is not in the gold")
    return Score(len(expected & found), len(found - expected), len(expected - found))


def _score_notes(source: Source, gold: Sequence[dict[str, object]], kept: Iterable[Annotation],
                 misses: list[str]) -> tuple[Score, int, int]:
    """Score markers (place, body, printed number); count the markerless notes left unclaimed."""
    expected = set()
    unmarked_bodies = set()
    for note in gold:
        body = _span(note["body"])
        if note["marker"] is None:
            unmarked_bodies.add(body)
            continue
        marker = _span(note["marker"])
        expected.add((marker[0], marker[1], str(note["n"]), body))
    notes = [a for a in kept if a.kind == "note"]
    found = {(a.start, a.end, a.attr("n"), a.target or (-1, -1)) for a in notes if not a.is_empty}
    claimed = {a.target for a in notes if not a.is_empty}
    at_marker = {(start, end): (n, body) for start, end, n, body in found}
    text = source.text
    for start, end, n, _body in sorted(expected - found):
        where = f"{_where(source, start)} ({_context(text, start, end)})"
        other = at_marker.get((start, end))
        if other is None:
            misses.append(f"note {n} at {where} not found")
        elif other[0] != n:
            misses.append(f"note {n} at {where} found as {other[0]!r}")
        else:
            misses.append(f"note {n} at {where} matched to the body at {_where(source, other[1][0])}")
    gold_markers = {(start, end) for start, end, _, _ in expected}
    for start, end, n, _ in sorted(found - expected):
        if (start, end) not in gold_markers:
            where = f"{_where(source, start)} ({_context(text, start, end)})"
            misses.append(f"note {n} found at {where} is not a marker")
    kept_unmarked = len(unmarked_bodies - claimed)
    for body in sorted(unmarked_bodies & claimed):
        misses.append(f"the unmarked note at {_where(source, body[0])} was given a marker")
    score = Score(len(expected & found), len(found - expected), len(expected - found))
    return score, len(unmarked_bodies), kept_unmarked


def _score_persons(source: Source, gold: Iterable[dict[str, object]], kept: Iterable[Annotation],
                   misses: list[str]) -> tuple[Score, int]:
    """Score linked mentions; return the score and the number of links made.

    A gold mention (one with ``person_ids``) is *found* when a persName with its id overlaps it
    and covers at least half of its characters ("General Poole" for gold "Poole", "Count von
    Mirbach" for gold "Wilhelm, Count von Mirbach"). A link is *wrong* when no gold mention
    of its person overlaps it: another person, an unregistered name, or no name at all.
    """
    expected = [(int(str(g["start"])), int(str(g["end"])), str(ids[0]))
                for g in gold for ids in [g.get("person_ids") or []] if isinstance(ids, list) and ids]
    found = [(a.start, a.end, a.attr("ref").removeprefix("#")) for a in kept if a.kind == "persName"]
    text = source.text
    tp = fn = fp = 0
    for start, end, pid in expected:
        if any(p == pid and min(end, e) - max(start, s) >= (end - start) / 2 for s, e, p in found):
            tp += 1
        else:
            fn += 1
            misses.append(f"person {pid} at {_where(source, start)} ({_context(text, start, end)}) "
                          "not linked")
    for start, end, pid in found:
        if not any(p == pid and s < end and start < e for s, e, p in expected):
            fp += 1
            misses.append(f"link to {pid} at {_where(source, start)} ({_context(text, start, end)}) "
                          "is wrong")
    return Score(tp, fp, fn), len(found)


def _span(value: object) -> tuple[int, int]:
    assert isinstance(value, dict)
    return int(value["start"]), int(value["end"])


def _where(source: Source, offset: int) -> str:
    line, col = source.position(offset)
    return f"{line}:{col}"


def _context(text: str, start: int, end: int, width: int = 18) -> str:
    before = text[max(0, start - width) : start].replace("\n", "⏎")
    after = text[end : end + 6].replace("\n", "⏎")
    return f"…{before}[{text[start:end]}]{after}…"


def _natural(path: Path) -> tuple[str, int, str]:
    """d2 before d10."""
    stem = path.stem
    digits = "".join(ch for ch in stem if ch.isdigit())
    return (stem.rstrip("0123456789"), int(digits) if digits else 0, stem)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m edition.evaluate [folder ...]``: print the scores; 0 unless nothing was found."""
    args = list(sys.argv[1:] if argv is None else argv)
    folders = [Path(a) for a in args] or [DEFAULT_CORPUS]
    documents: list[DocumentResult] = []
    for folder in folders:
        if not folder.is_dir():
            print(f"{folder}: no such folder", file=sys.stderr)
            return 2
        documents.extend(evaluate_corpus(folder).documents)
    if not documents:
        print("no documents with gold annotations found", file=sys.stderr)
        return 2
    print(Report(tuple(documents)).table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
