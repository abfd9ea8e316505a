"""Render TEI files into the static site: read every file, then write every page.

Phases, in order (Pelican's "read everything, then write everything"):

1. **read** each TEI file safely: a document (header facts and tree), or a
   personography (a TEI file with ``standOff/listPerson`` and no text, such as
   ``persons.xml``); every unreadable, ill-formed or non-TEI file is reported at once.
2. **gather** what is corpus-wide: the persons (registers and each document's
   ``standOff``), every name's mention, the editorial principles.
3. **write** each document's page with its downloads (TEI, diplomatic and normalized
   plain text), a page per person and their index, the principles, the title page
   with its sorted lists of documents, and the assets.

The renderer sees only TEI, never the converter's memory, so it renders TEI
from elsewhere just as well. The site's layout (every link names its file, so it
reads from ``file://``)::

    index.html                      title page and documents in edition order
    documents-by-<key>.html         the documents sorted by date, author, title, pages
    <doc-id>/index.html             a document; <doc-id>.xml, -diplomatic.txt, -normalized.txt
    persons/index.html              the persons; persons/<person-id>/index.html each
    principles/index.html           the editorial principles
    releases/index.html             the edition's releases
    <old-doc-id>/index.html         a redirect, for a document renamed or removed
    assets/style.css
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from lxml import etree

from edition.config import EditionConfig
from edition.diagnostics import Diagnostic, Diagnostics, EditionError, error, warning
from edition.reading import diplomatic_text, normalized_text
from edition.render import pages
from edition.render.citation import bibtex, citation_text, csl_json
from edition.render.html import RenderContext, UnknownElement, render_body
from edition.render.persons import Personography, find_mentions, person_href
from edition.render.principles import gather, resp_labels
from edition.render.search import index_documents
from edition.render.teiread import (
    NS,
    TEI_CORPUS,
    TeiDocument,
    as_document,
    is_register,
    parse_tei,
    source_line,
)

__all__ = ["render_site"]

# The corpus register the build writes beside the documents (tei/persons.xml).
REGISTER_FILE = "persons.xml"


def render_site(
    tei_files: Sequence[Path],
    config: EditionConfig,
    site_dir: Path,
    registers: Sequence[Path] | None = None,
    redirects: Mapping[str, tuple[str, Sequence[str]]] | None = None,
    search: bool = False,
) -> list[Diagnostic]:
    """Write the site for ``tei_files`` (in the edition's order) into the empty ``site_dir``.

    ``search``: index the reading texts for the search page (`edition.render.search`).

    ``redirects`` maps the id of a document published before but gone now to the id
    of the document it became ("" when removed: the index) and the ids its page had;
    each gets a redirect page at its old address.

    ``registers`` are personographies; by default, a ``persons.xml`` beside the TEI
    files (where the build writes the corpus register). A file among ``tei_files``
    that is one (a TEI with ``standOff/listPerson`` and no ``text``) is taken as one
    too. Returns warnings (``render.unknown-element``, ``render.person.unknown``, one
    per kind with a count); raises `EditionError` carrying every file that is
    unreadable, not well-formed or not TEI, located ``file:line:col``. Same TEI in,
    byte-identical site out.
    """
    if registers is None:
        registers = _registers_beside(tei_files)
    documents, register_roots = read_all([*tei_files, *registers])
    personography = Personography()
    for root in register_roots:
        personography.add_register(root, authoritative=True)
    for document in documents:
        personography.add_register(document.root, authoritative=False)
        personography.mentions.extend(find_mentions(document.info.id, _body(document)))

    env = pages.environment()
    labels = {d.info.id: resp_labels(d.root) for d in documents}
    person_links = {pid: "../" + person_href(pid) for pid in personography.persons}
    person_words = {
        pid: ", ".join(w for w in (p.name, p.dates) if w)
        for pid, p in personography.persons.items()
    }
    unknown: dict[str, list[tuple[Path, UnknownElement]]] = {}
    infos = [d.info for d in documents]
    for index, document in enumerate(documents):
        doc_id = document.info.id
        citable = pages.document_citable(config, document.info)
        context = RenderContext(
            persons=person_links,
            person_labels=person_words,
            resp_labels=labels[doc_id],
            permalink_base=citable.url,
            citation=citation_text(replace(citable, url="")),
        )
        rendered = render_body(_body(document), context)
        neighbours = (
            infos[index - 1] if index > 0 else None,
            infos[index + 1] if index + 1 < len(infos) else None,
        )
        normalized = normalized_text(document.root)
        pages.write_document(env, site_dir, config, document.info, rendered, neighbours,
                             personography, citable,
                             pages.document_description(document.info, normalized))  # fmt: skip
        folder = site_dir / doc_id
        shutil.copyfile(document.path, folder / f"{doc_id}.xml")
        pages.write_text(folder / f"{doc_id}.json", csl_json(citable))
        pages.write_text(folder / f"{doc_id}.bib", bibtex(citable))
        pages.write_text(folder / f"{doc_id}-diplomatic.txt", diplomatic_text(document.root))
        pages.write_text(folder / f"{doc_id}-normalized.txt", normalized)
        for element in rendered.unknown:
            unknown.setdefault(element.name, []).append((document.path, element))
    pages.write_index(env, site_dir, config, infos)
    pages.write_persons(env, site_dir, config, infos, personography)
    principles = gather([(d.info.title, d.root, labels[d.info.id]) for d in documents])
    pages.write_principles(env, site_dir, config, principles)
    pages.write_releases(env, site_dir, config)
    present = {info.id for info in infos}
    for old, (new, ids) in sorted((redirects or {}).items()):
        if old not in present:  # a document of that id is back: it wins
            pages.write_redirect(env, site_dir, config, old, new if new in present else "", ids)
    pages.write_assets(site_dir)
    warnings = [_unknown_warning(name, unknown[name]) for name in sorted(unknown)]
    bundles = index_documents(documents, personography, site_dir, config, warnings) if search else ()
    pages.write_search(env, site_dir, config, bundles, infos, personography)
    # Without a base_url (a draft) there is no sitemap: it needs absolute addresses.
    pages.write_discovery(site_dir, config, infos, sorted(personography.persons))
    warnings.extend(_unknown_persons(documents, personography))
    return warnings


def _registers_beside(tei_files: Sequence[Path]) -> list[Path]:
    folders = dict.fromkeys(path.parent for path in tei_files)
    return [f / REGISTER_FILE for f in folders if (f / REGISTER_FILE).is_file()]


def _body(document: TeiDocument) -> etree._Element:
    body = document.root.find("tei:text/tei:body", NS)
    assert body is not None  # as_document refuses a TEI without one
    return body


def read_all(paths: Sequence[Path]) -> tuple[list[TeiDocument], list[etree._Element]]:
    """Parse every file into documents and registers, collecting all errors before raising.

    Document ids must be unique; a path given twice is read once.
    """
    problems = Diagnostics()
    documents: list[TeiDocument] = []
    registers: list[etree._Element] = []
    first_with_id: dict[str, Path] = {}
    seen: set[Path] = set()
    for path in paths:
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        try:
            root = parse_tei(path)
            if root.tag == TEI_CORPUS:  # tei/corpus.xml lists the documents given beside it
                continue
            if is_register(root):
                registers.append(root)
                continue
            document = as_document(path, root)
        except EditionError as exc:
            problems.extend(exc.diagnostics)
            continue
        doc_id = document.info.id
        if doc_id in first_with_id:
            problems.add(
                error(
                    str(path),
                    source_line(document.root),
                    0,
                    f"document id {doc_id!r} is already the id of {first_with_id[doc_id]}",
                    "render.tei.duplicate-document-id",
                )
            )
            continue
        first_with_id[doc_id] = path
        documents.append(document)
    problems.raise_if_errors()
    return documents, registers


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


def _unknown_persons(
    documents: Sequence[TeiDocument], personography: Personography
) -> list[Diagnostic]:
    """One warning for all names whose ``@ref`` names no person of any register."""
    missing = [m for m in personography.mentions if m.person_id not in personography.persons]
    if not missing:
        return []
    paths = {d.info.id: d.path for d in documents}
    ids = sorted({m.person_id for m in missing})
    first = missing[0]
    shown = ", ".join(repr(i) for i in ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    return [
        warning(
            str(paths[first.doc_id]),
            0,
            0,
            f"{len(missing)} names point at persons no listPerson describes ({shown}); "
            "shown unlinked",
            "render.person.unknown",
        )
    ]
