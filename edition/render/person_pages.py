"""The persons' pages: the list of persons, and each person's facts and mentions.

A person named in thousands of documents would make a page of megabytes (the
benchmark's edition names a dozen persons in more than half of its 10,000
documents: 4.6 MB each, and a chart 130,000 pixels tall). The mentions are shown
`MENTION_DOCUMENTS` documents to a page, in edition order: the first page,
``persons/<id>/index.html``, holds the person's facts and counts; the next ones are
``persons/<id>/mentions-<n>.html``. Each page is a group of its own for the memo
(`edition.render.memo`), made from its own documents' mentions, so a changed mention
writes the page showing it, and the first page when the person's count changes.
"""

from __future__ import annotations

import functools
import multiprocessing
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from edition.config import EditionConfig
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

MENTION_DOCUMENTS = 50  # documents to a page of mentions: a few hundred mentions, a chart of 50 bars
PAGER_ALL = 9  # pages of mentions up to which the pager links every one


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
class MentionPage:
    """Which of a person's pages of mentions this is."""

    number: int  # from 1: the person's own page
    pages: int
    first: int  # the place of its first document among those naming the person, from 1
    last: int
    documents: int  # how many documents name the person

    @property
    def shown(self) -> str:
        """The documents it shows: "documents 51–100", "document 101"."""
        return f"document {self.first}" if self.first == self.last else f"documents {self.first}\u2013{self.last}"

    @property
    def file(self) -> str:
        return mention_page_file(self.number)

    @property
    def links(self) -> list[tuple[int, str]]:
        """The pager: (number, file) of the first and last page and of this one and its
        neighbours — every page when there are few —, (0, "") where pages are left out
        (a hundred links on each of a hundred pages were a fifth of their rendering)."""
        if self.pages <= PAGER_ALL:
            shown = list(range(1, self.pages + 1))
        else:
            near = range(max(self.number - 2, 1), min(self.number + 2, self.pages) + 1)
            shown = sorted({1, *near, self.pages})
        links: list[tuple[int, str]] = []
        for number in shown:
            if links and number > links[-1][0] + 1:
                links.append((0, ""))
            links.append((number, mention_page_file(number)))
        return links


def mention_page_file(number: int) -> str:
    """The file of a person's ``number``-th page of mentions, in the person's folder."""
    return "index.html" if number == 1 else f"mentions-{number}.html"


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
        chunks = [naming[i : i + MENTION_DOCUMENTS] for i in range(0, len(naming), MENTION_DOCUMENTS)]
        for number, shown in enumerate(chunks or [[]], start=1):
            first = (number - 1) * MENTION_DOCUMENTS + 1
            page = MentionPage(number, max(len(chunks), 1), first, first + len(shown) - 1, len(naming))
            ask = functools.partial(asked.append, PersonPage(person, count, page, tuple(shown)))
            group = f"person:{person.id}" + (f":{number}" if number > 1 else "")
            # The first page shows the person's count: it is written again when that changes.
            inputs = (person, page, count) if number == 1 else (person, page)
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
    title = person.name if page.number == 1 else f"{person.name}, mentions {page.number} of {page.pages}"
    config = writer.config
    html = writer.env.get_template("person.html").render(
        page_context(config, root="../../", lang=config.language, current="persons"),
        page_title=f"{title} \N{EM DASH} {config.title}",
        person=person,
        groups=groups,
        count=count,
        page=page,
        chart=Markup(chart),  # every text in it escaped by mentions_svg
        **page_about(config, f"persons/{quote(person.id)}/{page.file}",
                     _description(person, page, count, config.title)),
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


def _description(person: PersonRecord, page: MentionPage, count: int, title: str) -> str:
    """What search engines and link previews read of a person's page (not the count after
    the first page: only the first is written again when it changes)."""
    name = person.name + (f" ({person.dates})" if person.dates else "")
    if page.number > 1:
        return f"{name}: mentions in {page.shown} of the {page.documents} naming them in {title}."
    said = f": {person.description.rstrip('.')}" if person.description else ""
    times = "once" if count == 1 else f"{count} times"
    return f"{name}{said}. Named {times} in {title}."
