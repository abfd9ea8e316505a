"""Gather what the detectors ask the editor to decide, as a terminal table and an HTML page.

`edition review SOURCES` converts every text (writing nothing else) and lists every
review item the detectors returned, whatever its kind (``person.link``,
``person.ambiguous``, ``person.candidate``, ``ocr.*`` …): grouped by kind, then by
what was found, with a count and the first places it occurs in context. For names
it says how to accept the decision in ``persons.yaml``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from edition.detectors import ReviewItem
from edition.diagnostics import Diagnostic
from edition.source import Source

# What each kind of item means, for the headings of the report; unknown kinds show their code.
KIND_TITLES = {
    "person.link": "Names the machine linked (a variant spelling or a shared surname)",
    "person.ambiguous": "Names two persons share, left unlinked",
    "person.candidate": "Names not in the register",
}
# A run of whitespace, shown as one space in a context.
WHITESPACE = re.compile(r"\s+")
# How many places to show for each group.
FIRST_PLACES = 3


@dataclass(frozen=True)
class Place:
    """Where an item stands: the document, line and column, and the words around it."""

    document: str
    line: int
    column: int
    before: str
    found: str
    after: str

    @property
    def where(self) -> str:
        return f"{self.document}:{self.line}:{self.column}"

    @property
    def context(self) -> str:
        return f"…{self.before}[{self.found}]{self.after}…"


@dataclass
class Group:
    """Items of one kind with the same surface and suggestions: one decision for the editor."""

    kind: str
    surface: str
    suggestions: tuple[str, ...]
    cert: str
    note: str
    places: list[Place] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.places)


def place_of(document: str, source: Source, item: ReviewItem, width: int = 30) -> Place:
    text = source.text
    line, column = source.position(item.start)
    before = WHITESPACE.sub(" ", text[max(0, item.start - width) : item.start])
    after = WHITESPACE.sub(" ", text[item.end : item.end + width])
    return Place(document, line, column, before, text[item.start : item.end], after)


def group_items(found: Iterable[tuple[str, Source, ReviewItem]]) -> list[Group]:
    """Items grouped by kind, surface and suggestions; kinds in a fixed order, groups by count."""
    groups: dict[tuple[str, str, tuple[str, ...]], Group] = {}
    for document, source, item in found:
        key = (item.kind, item.surface, item.suggestions)
        group = groups.setdefault(
            key, Group(item.kind, item.surface, item.suggestions, item.cert, item.note)
        )
        group.places.append(place_of(document, source, item))
    order = {kind: i for i, kind in enumerate(KIND_TITLES)}
    return sorted(
        groups.values(),
        key=lambda g: (order.get(g.kind, len(order)), g.kind, -g.count, g.surface, g.suggestions),
    )


def acceptance(group: Group) -> str:
    """The line of ``persons.yaml`` that accepts a name decision, or ''."""
    if group.kind == "person.link" and group.suggestions and not group.note.startswith("shared"):
        return f"under id {group.suggestions[0]}: variants: [{group.surface}]"
    if group.kind == "person.candidate" and not group.suggestions:
        return f"- id: …\n  name: {group.surface}"
    if group.kind == "person.candidate" and group.suggestions:
        return f"if it is {group.suggestions[0]}: variants: [{group.surface}]"
    return ""


def table(groups: Sequence[Group], documents: int) -> list[str]:
    """The report as lines for a terminal: a heading per kind, one row per group."""
    if not groups:
        return [f"nothing to review in {documents} documents"]
    lines: list[str] = []
    kind = ""
    for group in groups:
        if group.kind != kind:
            kind = group.kind
            total = sum(g.count for g in groups if g.kind == kind)
            lines += ["", f"{kind} — {KIND_TITLES.get(kind, kind)}: {total}"]
            lines.append(f"  {'count':>5}  {'found':<24} {'→':<14} {'cert':<6} first place")
        target = ", ".join(group.suggestions) or "—"
        first = group.places[0]
        lines.append(
            f"  {group.count:>5}  {group.surface[:24]:<24} {target[:14]:<14} {group.cert or '—':<6} "
            f"{first.where} {first.context}"
        )
    counts = {g.kind: 0 for g in groups}
    for group in groups:
        counts[group.kind] += group.count
    summary = ", ".join(f"{n} {k}" for k, n in counts.items())
    return [f"{sum(counts.values())} items to review in {documents} documents: {summary}", *lines]


def html_report(groups: Sequence[Group], title: str, documents: int) -> str:
    """A self-contained HTML page of the report; every text from the sources is escaped."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Review: {e(title)}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}"
        "mark{background:#ffe08a}pre{margin:0;font-size:.9em}</style></head><body>",
        f"<h1>Review: {e(title)}</h1>",
        f"<p>{sum(g.count for g in groups)} items in {documents} documents. Accept a name by "
        "adding the line shown to <code>persons.yaml</code>; reject a guess by leaving it out "
        "and correcting the register.</p>",
    ]
    kinds = list(dict.fromkeys(g.kind for g in groups))
    for kind in kinds:
        members = [g for g in groups if g.kind == kind]
        parts.append(
            f'<h2 id="{e(kind)}">{e(KIND_TITLES.get(kind, kind))} '
            f"<small>({e(kind)}, {sum(g.count for g in members)})</small></h2>"
        )
        parts.append(
            "<table><tr><th>count</th><th>found</th><th>suggested</th><th>cert</th>"
            "<th>why</th><th>first places</th><th>to accept</th></tr>"
        )
        for group in members:
            places = "<br>".join(
                f"<code>{e(p.where)}</code> …{e(p.before)}<mark>{e(p.found)}</mark>{e(p.after)}…"
                for p in group.places[:FIRST_PLACES]
            )
            accept = acceptance(group)
            parts.append(
                f"<tr><td>{group.count}</td><td>{e(group.surface)}</td>"
                f"<td>{e(', '.join(group.suggestions))}</td><td>{e(group.cert)}</td>"
                f"<td>{e(group.note)}</td><td>{places}</td>"
                f"<td>{f'<pre>{e(accept)}</pre>' if accept else ''}</td></tr>"
            )
        parts.append("</table>")
    if not groups:
        parts.append("<p>Nothing to review.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


@dataclass(frozen=True)
class Review:
    title: str
    documents: int
    groups: tuple[Group, ...]


def review_edition(sources: Path) -> tuple[Review, list[Diagnostic]]:
    """Convert every text of ``sources`` in memory and gather the review items; nothing is written.

    Raises `EditionError` when the configuration or a text has errors (as a build would).
    Returns the review and the warnings.
    """
    from edition.config import release_date
    from edition.convert import convert_document
    from edition.detectors import default_detectors
    from edition.diagnostics import Diagnostics, EditionError
    from edition.pipeline import configure, discover, display_path
    from edition.source import read_source

    report = Diagnostics()
    config, registers = configure(sources, report)
    texts, _ = discover(sources, report)
    report.raise_if_errors()
    detectors = default_detectors()
    found: list[tuple[str, Source, ReviewItem]] = []
    for path in texts:
        try:
            source, problems = read_source(path, display_path(path))
        except EditionError as problem:
            report.extend(problem.diagnostics)
            continue
        report.extend(problems)
        converted = convert_document(
            source, path.stem, config, detectors, release_date(config), registers
        )
        report.extend(d for d in converted.diagnostics if not d.is_error)
        found.extend((path.stem, source, item) for item in converted.review)
    report.raise_if_errors()
    review = Review(config.title, len(texts), tuple(group_items(found)))
    return review, list(report.warnings)
