"""Render TEI files into the static site: read every file, then write every page.

Phases, in order (Pelican's "read everything, then write everything"):

1. **read** each TEI file safely into a `TeiDocument` (header facts and tree);
   every unreadable, ill-formed or non-TEI file is reported at once.
2. **render** each body to HTML (`edition.render.html`) and write its page, with a
   copy of the TEI beside it for download.
3. **index**: the edition's title page listing the documents, and the assets.

The renderer sees only TEI, never the converter's memory, so it renders TEI
from elsewhere just as well.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from edition.config import EditionConfig
from edition.diagnostics import Diagnostic, Diagnostics, EditionError, error, warning
from edition.render import pages
from edition.render.html import UnknownElement, render_body
from edition.render.teiread import NS, TeiDocument, read_tei

__all__ = ["render_site"]


def render_site(
    tei_files: Sequence[Path], config: EditionConfig, site_dir: Path
) -> list[Diagnostic]:
    """Write the site for ``tei_files`` (in the edition's order) into the empty ``site_dir``.

    Returns warnings (``render.unknown-element``, one per element name with a count);
    raises `EditionError` carrying every file that is unreadable, not well-formed or
    not TEI, located ``file:line:col``. Same TEI in, byte-identical site out.
    """
    documents = read_all(tei_files)
    env = pages.environment()
    unknown: dict[str, list[tuple[Path, UnknownElement]]] = {}
    for document in documents:
        body = document.root.find("tei:text/tei:body", NS)
        assert body is not None  # read_tei refuses a TEI without one
        rendered = render_body(body)
        pages.write_document(env, site_dir, config, document.info, rendered)
        shutil.copyfile(document.path, site_dir / document.info.id / f"{document.info.id}.xml")
        for element in rendered.unknown:
            unknown.setdefault(element.name, []).append((document.path, element))
    pages.write_index(env, site_dir, config, [d.info for d in documents])
    pages.write_assets(site_dir)
    return [_unknown_warning(name, unknown[name]) for name in sorted(unknown)]


def read_all(tei_files: Sequence[Path]) -> list[TeiDocument]:
    """Parse every file, collecting all errors before raising; document ids must be unique."""
    problems = Diagnostics()
    documents: list[TeiDocument] = []
    first_with_id: dict[str, Path] = {}
    for path in tei_files:
        try:
            document = read_tei(path)
        except EditionError as exc:
            problems.extend(exc.diagnostics)
            continue
        doc_id = document.info.id
        if doc_id in first_with_id:
            line = document.root.sourceline
            problems.add(
                error(
                    str(path),
                    line if isinstance(line, int) else 0,
                    0,
                    f"document id {doc_id!r} is already the id of {first_with_id[doc_id]}",
                    "render.tei.duplicate-document-id",
                )
            )
            continue
        first_with_id[doc_id] = path
        documents.append(document)
    problems.raise_if_errors()
    return documents


def _unknown_warning(name: str, found: list[tuple[Path, UnknownElement]]) -> Diagnostic:
    path, first = found[0]
    count = sum(element.count for _, element in found)
    times = "once" if count == 1 else f"{count} times"
    files = "" if len(found) == 1 else f" in {len(found)} documents"
    return warning(
        str(path),
        first.line,
        0,
        f"element <{name}> has no HTML rendering of its own; shown as its text ({times}{files})",
        "render.unknown-element",
    )
