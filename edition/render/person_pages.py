"""The persons' pages: the list of persons, and each person's facts and mentions.

A person named in thousands of documents would make a page of megabytes (the
benchmark's edition names a dozen persons in more than half of its 10,000
documents: 4.6 MB each, and a chart 130,000 pixels tall). The mentions are shown
about `MENTION_DOCUMENTS` documents to a page, in edition order: the first page,
``persons/<id>/index.html``, holds the person's facts, counts and a list of the pages;
the next ones are ``persons/<id>/mentions-<first document's id>.html``. Each page is a
group of its own for the memo (`edition.render.memo`), made from its own documents'
mentions, so a changed mention writes the page showing it, and the first page when the
person's count changes.

The pages are cut where the documents' ids say (`edition.render.cuts`), named by their
first document, and link only their neighbours: a document added or removed writes the
page it is on and the first, not every page after it. Numbered and cut by position,
"mentions 7 of 112", adding a document at 10,000 wrote a thousand pages (3.3 s).
"""

from __future__ import annotations

import functools
import multiprocessing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from edition.config import EditionConfig
from edition.render.cuts import cut_runs
from edition.render.digest import Digests
from edition.render.pages import (
    Once,
    always,
    document_href,
    environment,
    page_about,
    page_context,
    write_page,
)
from edition.render.persons import (
    Mention,
    Personography,
    PersonRecord,
    count_by_document,
    mentions_svg,
    sort_key,
)
from edition.render.teiread import DocumentInfo

MENTION_DOCUMENTS = 50  # documents to a page of mentions, on average: a few hundred mentions, a chart of 50 bars


@dataclass(frozen=True)
class MentionRow:
    """A mention on a person's page: where it is, and the words around it."""

    mention: Mention
    href: str  # "../../d-003/index.html#p1"
    label: str  # "¶ p1, p. 301"


@dataclass(frozen=True)
class MentionGroup:
    info: DocumentInfo
    href: str
    mentions: tuple[MentionRow, ...]


@dataclass(frozen=True)
class PageSpan:
    """A page of mentions as the first page lists it: its file and the places of its documents."""

    file: str
    first: int  # the place of its first document among those naming the person, from 1
    last: int
    dates: str = ""  # those of its first and last documents, "1 May 1936 – 3 June 1936", when both have one

    @property
    def shown(self) -> str:
        """The documents it shows: "documents 51–100", "document 101"."""
        return f"document {self.first}" if self.first == self.last else f"documents {self.first}\u2013{self.last}"


@dataclass(frozen=True)
class MentionPage:
    """Which of a person's pages of mentions this is, and its neighbours. Not its place: a
    document inserted before it would change that; the first page lists every page."""

    file: str  # `mention_page_file`
    earlier: str = ""  # the page before it, "" for the first
    later: str = ""  # the page after it, "" for the last
    spans: tuple[PageSpan, ...] = ()  # on the first page, when there are more: every page

    @property
    def first(self) -> bool:
        """Whether this is the person's own page, which shows their facts."""
        return self.file == "index.html"


def mention_page_file(first_document: str) -> str:
    """The file of a person's page of mentions after the first, named by its first document."""
    return f"mentions-{first_document}.html"


def mention_pages(
    naming: Sequence[str], documents: Mapping[str, DocumentInfo]
) -> list[tuple[MentionPage, Sequence[str]]]:
    """A person's pages of mentions, each with the ids of the documents it shows, from those
    ``naming`` the person in the edition's order (none: one page, which says so); ``documents``
    by id, for the dates of each page the first page lists."""
    runs = cut_runs(naming, MENTION_DOCUMENTS, str) or [()]
    files = ["index.html", *(mention_page_file(run[0]) for run in runs[1:])]
    spans, place = [], 1
    for file, run in zip(files, runs, strict=True):
        first, last = (documents[run[0]].date, documents[run[-1]].date) if run else ("", "")
        said = first if first == last else f"{first} \u2013 {last}" if first and last else ""
        spans.append(PageSpan(file, place, place + len(run) - 1, said))
        place += len(run)
    pages = []
    for number, run in enumerate(runs):
        earlier = files[number - 1] if number else ""
        later = files[number + 1] if number + 1 < len(files) else ""
        listed = tuple(spans) if number == 0 and len(runs) > 1 else ()
        pages.append((MentionPage(files[number], earlier, later, listed), run))
    return pages


def write_persons(
    env: jinja2.Environment,
    site_dir: Path,
    config: EditionConfig,
    documents: Sequence[DocumentInfo],
    personography: Personography,
    digests: Digests,
    once: Once = always,
    jobs: int = 1,
) -> None:
    """``persons/index.html``, and each person's pages (`MENTION_DOCUMENTS`).

    ``once`` decides whether a page is written (`edition.render.memo`); only a page
    written unpacks the mentions it shows. Those to write are written together, in
    ``jobs`` processes when there are many (0: all cores).
    """
    folder = site_dir / "persons"
    folder.mkdir(parents=True, exist_ok=True)
    people = sorted(personography.persons.values(), key=sort_key)
    by_id = {info.id: info for info in documents}
    rows = []
    asked: list[PersonPage] = []
    for person in people:
        naming = digests.naming(person.id)
        count = digests.mention_count(person.id)
        rows.append((person, f"{quote(person.id)}/index.html", count, len(naming)))
        for page, shown in mention_pages(naming, by_id):
            ask = functools.partial(asked.append, PersonPage(person, count, page, tuple(shown)))
            group = f"person:{person.id}" + ("" if page.first else f":{shown[0]}")
            # The first page shows the person's count: it is written again when that changes.
            inputs = (person, page, count) if page.first else (person, page)
            once(group, [f"persons/{person.id}/{page.file}"], inputs, shown, ask, mentions_of=person.id)
    _write_pages(asked, Writer(env, folder, config, digests, by_id), jobs)

    def write_index() -> None:
        html = env.get_template("persons.html").render(
            page_context(config, root="../", lang=config.language, current="persons"),
            page_title=f"Persons \N{EM DASH} {config.title}",
            rows=rows,
            **page_about(config, "persons/index.html",
                         f"The {len(rows)} persons named in {config.title}, with their mentions."),
        )
        write_page(folder / "index.html", html)

    # Rendered again only when a row changes: with a register of 1,500 persons, 50 ms a build.
    once("persons index", ["persons/index.html"], (rows,), [], write_index)


@dataclass(frozen=True)
class PersonPage:
    """A person's page of mentions to write: who, their count, which page, its documents."""

    person: PersonRecord
    count: int  # their mentions in the whole edition
    page: MentionPage
    shown: tuple[str, ...]  # the ids of the documents it shows


@dataclass
class Writer:
    """What writing a person's page takes besides the page itself."""

    env: jinja2.Environment
    folder: Path  # the site's persons/
    config: EditionConfig
    digests: Digests
    by_id: dict[str, DocumentInfo]


# A clean 10,000-document build wrote its 1,300 pages of mentions in its own process: 4–5 s.
PARALLEL_FROM = 64  # fewer pages than this are written faster than processes start
_writer: Writer | None = None  # in a process that writes pages (`_start_writer`)


def _write_pages(asked: Sequence[PersonPage], writer: Writer, jobs: int) -> None:
    """Write the pages asked for: here, or in ``jobs`` processes forked from this one (they
    share its digests; where processes are not forked, as on macOS and Windows, here)."""
    if len(asked) < PARALLEL_FROM or jobs == 1 or multiprocessing.get_start_method() != "fork":
        for page in asked:
            _write_person(writer, page)
        return
    from edition.parallel import map_in_order  # imported when used: it loads the converter

    for _ in map_in_order(_write_in_worker, asked, jobs, _start_writer, (writer,)):
        pass


def _start_writer(writer: Writer) -> None:
    global _writer
    writer.digests.for_another_process()  # forked: the digests are this process's copy
    _writer = Writer(environment(), writer.folder, writer.config, writer.digests, writer.by_id)


def _write_in_worker(page: PersonPage) -> None:
    assert _writer is not None, "started by _start_writer"
    _write_person(_writer, page)


def _write_person(writer: Writer, asked: PersonPage) -> None:
    person, count, page, shown = asked.person, asked.count, asked.page, asked.shown
    groups: list[MentionGroup] = []
    mentions: list[Mention] = []
    by_id = writer.by_id
    for doc_id, packed in writer.digests.packed(shown):
        found = packed.mentions_of(person.id)
        mentions.extend(found)
        href = "../../" + document_href(doc_id)
        rows = tuple(
            MentionRow(m, href + (f"#{quote(m.anchor)}" if m.anchor else ""), _where(m)) for m in found
        )
        groups.append(MentionGroup(by_id[doc_id], href, rows))
    chart = mentions_svg(person, count_by_document(mentions, [(d, by_id[d].title) for d in shown]))
    title = person.name if page.first else f"{person.name}, mentions from {by_id[shown[0]].title}"
    config = writer.config
    html = writer.env.get_template("person.html").render(
        page_context(config, root="../../", lang=config.language, current="persons"),
        page_title=f"{title} \N{EM DASH} {config.title}",
        person=person,
        groups=groups,
        count=count,
        page=page,
        span=(by_id[shown[0]], by_id[shown[-1]]) if shown else None,
        chart=Markup(chart),  # every text in it escaped by mentions_svg
        **page_about(config, f"persons/{quote(person.id)}/{page.file}",
                     _description(person, page, count, config.title, [by_id[d] for d in shown])),
    )
    target = writer.folder / person.id
    target.mkdir(parents=True, exist_ok=True)
    write_page(target / page.file, html)


def _where(mention: Mention) -> str:
    parts = []
    if mention.page:
        parts.append(f"p. {mention.page}")
    parts.append(f"\u00b6 {mention.anchor}" if mention.anchor else "the document")
    return ", ".join(parts)


def _description(person: PersonRecord, page: MentionPage, count: int, title: str,
                 shown: Sequence[DocumentInfo]) -> str:  # fmt: skip
    """What search engines and link previews read of a person's page (not the count after
    the first page: only the first is written again when it changes)."""
    name = person.name + (f" ({person.dates})" if person.dates else "")
    if not page.first and len(shown) == 1:
        return f"{name}: mentions in {shown[0].title}, in {title}."
    if not page.first:
        return f"{name}: mentions in {len(shown)} documents of {title}, from {shown[0].title} to {shown[-1].title}."
    said = f": {person.description.rstrip('.')}" if person.description else ""
    times = "once" if count == 1 else f"{count} times"
    return f"{name}{said}. Named {times} in {title}."
