"""Measure the OCR detector: false alarms on clean text, and precision and recall on injected noise.

The FRUS texts of ``../shared/corpus`` were keyed by hand and proofread, so any flag
on them is counted as a false alarm (the target: at most one per 5,000 words).
Then `edition.noise` damages each text at known places (seeded by the document's
name) and the detector runs again: a flag that overlaps an injected error is a
hit, any other flag a false alarm. Errors whose damage forms real words
(``modern`` → ``modem``) are reported apart and left out of recall. *Top-1*: of
the errors found with a correction, how often the correction gives the original
word back. Flags are the OCR detector's annotations that survive resolution
against the other detectors, as the converter encodes them.

``python -m edition.evaluate_ocr [folder ...]`` prints the table.
"""

from __future__ import annotations

import functools
import re
import sys
import zlib
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from edition.annotations import Annotation
from edition.blocks import split_blocks
from edition.config import EditionConfig
from edition.detectors import DetectionContext, Registered, default_detectors
from edition.evaluate import DEFAULT_CORPUS, _natural, volumes
from edition.noise import inject
from edition.resolve import resolve
from edition.source import Source, read_source

CONFIG = EditionConfig(title="evaluation")
RATE = 0.02  # of all words, damaged
SEED = 1936


@dataclass(frozen=True)
class OcrResult:
    """One document: its words, the flags on the clean text, and the noise run's counts."""

    volume: str
    name: str
    words: int
    clean_flags: tuple[str, ...]  # the flagged surfaces, each a false alarm
    injected: int  # errors that form no real word
    found: int  # of those, flagged
    corrected: int  # of those found, the correction restores the original
    with_correction: int  # of those found, how many had a correction
    real_words: int  # errors forming real words
    real_found: int
    noisy_flags: int  # flags on the noisy text
    noisy_hits: int  # of those, on an injected error
    misses: tuple[str, ...] = ()


@dataclass(frozen=True)
class OcrReport:
    documents: tuple[OcrResult, ...] = field(default_factory=tuple)

    def total(self, attribute: str) -> int:
        return sum(getattr(d, attribute) if attribute != "clean_flags" else len(d.clean_flags)
                   for d in self.documents)

    @property
    def false_alarms_per_5000(self) -> float:
        words = self.total("words")
        return 5000 * self.total("clean_flags") / words if words else 0.0

    @property
    def precision(self) -> float:
        flags = self.total("noisy_flags")
        return self.total("noisy_hits") / flags if flags else 1.0

    @property
    def recall(self) -> float:
        injected = self.total("injected")
        return self.total("found") / injected if injected else 1.0

    @property
    def top1(self) -> float:
        corrected = self.total("with_correction")
        return self.total("corrected") / corrected if corrected else 1.0

    def select(self, volume: str | None) -> OcrReport:
        return OcrReport(tuple(d for d in self.documents if volume is None or d.volume == volume))

    def table(self, examples: int = 25) -> str:
        head = (f"{'corpus':<20} {'docs':>5} {'words':>8}  {'clean flags':>11} {'/5000w':>7}  "
                f"{'noise P':>7} {'R':>6} {'top-1':>6}  {'real-word errs found':>20}")
        lines = [head, "-" * len(head)]
        names = sorted({d.volume for d in self.documents})
        rows = [(v, self.select(v)) for v in names] + ([("all", self)] if len(names) != 1 else [])
        for label, part in rows:
            real = f"{part.total('real_found')}/{part.total('real_words')}"
            lines.append(
                f"{label:<20} {len(part.documents):>5} {part.total('words'):>8}  "
                f"{part.total('clean_flags'):>11} {part.false_alarms_per_5000:>7.3f}  "
                f"{part.precision:>7.4f} {part.recall:>6.4f} {part.top1:>6.4f}  {real:>20}"
            )
        alarms = [f"{d.volume}/{d.name}: {flag}" for d in self.documents for flag in d.clean_flags]
        if alarms:
            lines += ["", "flags on the clean text:"] + [f"  {a}" for a in alarms[:examples]]
        missed = [f"{d.volume}/{d.name}: {m}" for d in self.documents for m in d.misses]
        if missed:
            lines += ["", "injected errors missed or miscorrected (first few):"]
            lines += [f"  {m}" for m in missed[:examples]]
        return "\n".join(lines)


def flags(text: str, name: str, detectors: Sequence[Registered]) -> list[Annotation]:
    """The OCR detector's annotations on ``text`` after resolution against the others."""
    source = Source(f"{name}.txt", text)
    blocks = tuple(split_blocks(text))
    meta = CONFIG.document(name)
    ranked: list[tuple[int, Annotation]] = []
    for entry in detectors:
        merged = {**entry.detector.defaults, **CONFIG.detector(entry.name).options}
        detection = entry.detector.detect(DetectionContext(source, blocks, meta, merged, name=name))
        ranked.extend((entry.priority, a) for a in detection.annotations)
    kept, _ = resolve(ranked)
    return [a for a in kept if a.detector == "ocr"]


def evaluate_text(text: str, name: str, detectors: Sequence[Registered], volume: str = "",
                  rate: float = RATE, seed: int = SEED) -> OcrResult:
    """Score one clean text: false alarms on it, then the detector on a noisy copy."""
    clean = flags(text, name, detectors)
    shown = tuple(_show(text, a) for a in clean)
    noisy, injections = inject(text, rate, seed=zlib.crc32(f"{volume}/{name}".encode()) ^ seed)
    found = flags(noisy, name, detectors)
    hits = [a for a in found if any(a.start < i.end and i.start < a.end for i in injections)]
    misses: list[str] = []
    counts = {"injected": 0, "found": 0, "corrected": 0, "with": 0, "real": 0, "real_found": 0}
    for injection in injections:
        over = [a for a in found if a.start < injection.end and injection.start < a.end]
        if injection.real_word:
            counts["real"] += 1
            counts["real_found"] += bool(over)
            continue
        counts["injected"] += 1
        if not over:
            misses.append(f"{injection.original!r} → {injection.noisy!r} ({injection.kind}) not found")
            continue
        counts["found"] += 1
        corr = over[0].attr("corr")
        if corr:
            counts["with"] += 1
            restored = noisy[: over[0].start] + corr + noisy[over[0].end :]
            expected = noisy[: injection.start] + injection.original + noisy[injection.end :]
            if restored == expected:
                counts["corrected"] += 1
            else:
                misses.append(f"{injection.original!r} → {injection.noisy!r} corrected as {corr!r}")
    return OcrResult(volume, name, len(re.findall(r"\S+", text)), shown, counts["injected"],
                     counts["found"], counts["corrected"], counts["with"], counts["real"],
                     counts["real_found"], len(found), len(hits), tuple(misses))


def evaluate_ocr(folder: Path, detectors: Sequence[Registered] | None = None,
                 limit: int | None = None, rate: float = RATE, seed: int = SEED,
                 jobs: int | None = None) -> OcrReport:
    """Evaluate every ``*.txt`` of ``folder`` (a volume, or a folder of volumes).

    ``limit`` takes the first documents of each volume; ``jobs`` processes share the work
    (``None``: one per CPU).
    """
    registry = tuple(detectors if detectors is not None else default_detectors())
    paths = [
        (path, volume.name)
        for volume in volumes(folder)
        for path in sorted(volume.glob("*.txt"), key=_natural)[:limit]
    ]
    work = functools.partial(_evaluate_path, detectors=registry, rate=rate, seed=seed)
    if jobs == 1 or len(paths) < 8:
        return OcrReport(tuple(work(p) for p in paths))
    with ProcessPoolExecutor(jobs) as pool:
        return OcrReport(tuple(pool.map(work, paths, chunksize=8)))


def _evaluate_path(item: tuple[Path, str], detectors: Sequence[Registered], rate: float,
                   seed: int) -> OcrResult:
    path, volume = item
    source, _ = read_source(path)
    return evaluate_text(source.text, path.stem, detectors, volume, rate, seed)


def _show(text: str, a: Annotation) -> str:
    before = text[max(0, a.start - 25) : a.start].replace("\n", "⏎")
    after = text[a.end : a.end + 15].replace("\n", "⏎")
    corr = a.attr("corr")
    return f"…{before}[{text[a.start : a.end]}{' → ' + corr if corr else ''}]{after}…"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m edition.evaluate_ocr [folder ...]``: print the OCR scores."""
    args = list(sys.argv[1:] if argv is None else argv)
    folders = [Path(a) for a in args] or [DEFAULT_CORPUS]
    documents: list[OcrResult] = []
    for folder in folders:
        if not folder.is_dir():
            print(f"{folder}: no such folder", file=sys.stderr)
            return 2
        documents.extend(evaluate_ocr(folder).documents)
    if not documents:
        print("no documents found", file=sys.stderr)
        return 2
    print(OcrReport(tuple(documents)).table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
