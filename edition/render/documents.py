"""Write each document's folder on the site, on all cores.

A `DocumentTask` carries everything a document's page needs that is not in its
TEI file — its neighbours' header facts, the persons it names, the links and
tips of its names — so the folders are written independently, in this process
or in worker processes, and the site is the same either way. Each worker reads
the TEI itself: the renderer sees only TEI, never the converter's memory.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2
from lxml import etree

from edition.config import EditionConfig
from edition.parallel import map_in_order
from edition.reading import diplomatic_text, normalized_text
from edition.render import pages
from edition.render.citation import bibtex, citation_text, csl_json
from edition.render.html import RenderContext, UnknownElement, render_body
from edition.render.persons import PersonRecord
from edition.render.search import SearchPage, search_page
from edition.render.teiread import NS, DocumentInfo, TeiDocument, parse_tei

PARALLEL_FROM = 64  # fewer folders than this are written faster than processes start


@dataclass(frozen=True)
class DocumentTask:
    path: Path
    info: DocumentInfo
    neighbours: tuple[DocumentInfo | None, DocumentInfo | None]
    named: tuple[PersonRecord, ...]  # the register entries it names, in order of first mention
    context: RenderContext  # its names' links and tips, its resp labels
    search: tuple[str, ...] | None  # the persons its search page is filtered by; None: no search


@dataclass(frozen=True)
class DocumentOutcome:
    unknown: tuple[UnknownElement, ...]  # elements with no HTML rendering of their own
    search: SearchPage | None


_worker: tuple[jinja2.Environment, EditionConfig, Path] | None = None


def _start(config: EditionConfig, site_dir: Path) -> None:
    global _worker
    _worker = (pages.environment(), config, site_dir)


def render_documents(
    tasks: Sequence[DocumentTask],
    config: EditionConfig,
    site_dir: Path,
    jobs: int = 1,
    advance: Callable[[], None] = lambda: None,
) -> Iterator[DocumentOutcome]:
    """Write each task's folder into ``site_dir``; outcomes in the tasks' order."""
    workers = jobs if len(tasks) >= PARALLEL_FROM else 1
    for outcome in map_in_order(write_document, tasks, workers, _start, (config, site_dir)):
        advance()  # before yielding: the caller takes exactly one outcome per task
        yield outcome


def write_document(task: DocumentTask) -> DocumentOutcome:
    """Write a document's folder: its page, TEI, citations and plain texts."""
    assert _worker is not None, "write_document runs after _start"
    env, config, site_dir = _worker
    info = task.info
    root = parse_tei(task.path)
    citable = pages.document_citable(config, info)
    context = replace(task.context, permalink_base=citable.url,
                      citation=citation_text(replace(citable, url="")))  # fmt: skip
    body = root.find("tei:text/tei:body", NS)
    assert body is not None  # as_document refused a TEI without one
    rendered = render_body(body, context)
    normalized = normalized_text(root)
    pages.write_document(env, site_dir, config, info, rendered, task.neighbours, task.named,
                         citable, pages.document_description(info, normalized))  # fmt: skip
    folder = site_dir / info.id
    shutil.copyfile(task.path, folder / f"{info.id}.xml")
    pages.write_text(folder / f"{info.id}.json", csl_json(citable))
    pages.write_text(folder / f"{info.id}.bib", bibtex(citable))
    pages.write_text(folder / f"{info.id}-diplomatic.txt", diplomatic_text(root))
    pages.write_text(folder / f"{info.id}-normalized.txt", normalized)
    found = search_page(TeiDocument(task.path, info, root), task.search) if task.search is not None else None
    return DocumentOutcome(rendered.unknown, found)


def reread_search_page(path: Path, info: DocumentInfo, person_ids: Sequence[str]) -> SearchPage:
    """The search page of a document whose folder was not written again (its TEI read anew)."""
    root: etree._Element = parse_tei(path)
    return search_page(TeiDocument(path, info, root), person_ids)
