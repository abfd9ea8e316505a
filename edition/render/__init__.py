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

import contextlib
import functools
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from pathlib import Path

from edition.config import EditionConfig
from edition.diagnostics import Diagnostic, warning
from edition.render import pages, person_pages
from edition.render.digest import Digest, Digests, ReadDocument, read_all
from edition.render.documents import (
    DocumentOutcome,
    DocumentTask,
    render_documents,
    reread_search_page,
)
from edition.render.html import RenderContext, UnknownElement
from edition.render.memo import DocumentFacts, PageMemo, document_group
from edition.render.persons import Personography, PersonRecord, person_href
from edition.render.principles import Gathered, gather, gather_part
from edition.render.runs import by_runs
from edition.render.search import SearchPage
from edition.render.search_shards import Searchable, index_pages

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
    memo: PageMemo | None = None,
    advance: Callable[[], None] = lambda: None,
    jobs: int = 1,
    shas: Mapping[Path, str] | None = None,
    search_later: bool = False,
) -> list[Diagnostic]:
    """Write the site for ``tei_files`` (in the edition's order) into the empty ``site_dir``.

    ``search``: index the reading texts for the search page (`edition.render.search`);
    ``search_later``: a shard holding a change keeps the bundle ``memo`` has, for a later
    build to index (`edition.render.search_shards`; ``memo.search_behind`` says so).

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

    ``jobs``: processes writing the documents' folders (0: all cores). ``shas``: the
    SHA-256 of files the caller has hashed already.
    ``advance`` is called as each document is written. ``memo``: the previous build's
    pages (`edition.render.memo`); a document whose folder would come out the same is
    taken over from there (`edition.linkmemo`: moved from the spare, or linked) instead
    of rendered.

    Two passes keep one tree in memory at a time: the first reads each file's
    `Digest`, what the corpus-wide pages need; the second writes each document.
    """
    if registers is None:
        registers = _registers_beside(tei_files)
    documents, register_roots = read_all([*tei_files, *registers], memo, jobs, shas)
    digests = Digests(documents, memo)
    personography = Personography()
    for register in register_roots:
        personography.add_register(register, authoritative=True)
    _add_documents_persons(personography, digests, memo, site_dir)

    with _writing_documents(documents, digests, personography, config, site_dir, memo, search,
                            jobs, advance) as outcomes:  # fmt: skip
        return _write_corpus_pages(documents, digests, personography, outcomes, config, site_dir,
                                   redirects, search, memo, jobs, search_later)  # fmt: skip


def _write_corpus_pages(
    documents: Sequence[ReadDocument],
    digests: Digests,
    personography: Personography,
    outcomes: Sequence[DocumentOutcome],
    config: EditionConfig,
    site_dir: Path,
    redirects: Mapping[str, tuple[str, Sequence[str]]] | None,
    search: bool,
    memo: PageMemo | None,
    jobs: int,
    search_later: bool = False,
) -> list[Diagnostic]:
    """Every page but the documents': the title page, the persons', the principles and the rest."""
    infos = [d.digest.info for d in documents]
    unknown: dict[str, list[tuple[Path, UnknownElement]]] = {}
    searchable: list[Searchable] = []
    for document, done in zip(documents, outcomes, strict=True):
        for element in done.unknown:
            unknown.setdefault(element.name, []).append((document.path, element))
        persons = _searched(document, personography, search)
        if persons is not None:
            searchable.append(_searchable(document, persons, done.search))
    env = pages.environment()
    # The documents read anew, not known to the memo by their TEI's hash.
    fresh = {d.digest.info.id for d in documents if memo is None or d.sha not in memo.digests}
    once = _once(memo, site_dir, digests.digests, fresh)
    once("index", pages.index_files(), (), [info.id for info in infos],
         lambda: pages.write_index(env, site_dir, config, infos))  # fmt: skip
    person_pages.write_persons(env, site_dir, config, infos, personography, digests, once, jobs)

    def write_principles() -> None:
        titles = {info.id: info.title for info in infos}

        def part(run: list[str]) -> Gathered:
            return gather_part([(titles[doc_id], packed.unpack().declared) for doc_id, packed in digests.packed(run)])

        keyed = [(d.digest.info.id, d.digest.declared_key) for d in documents]
        pages.write_principles(env, site_dir, config, gather(by_runs(memo, "principles", keyed, part, Gathered)))

    declared = _hash_all(d.digest.declared_key for d in documents)
    once("principles", ["principles/index.html"], (declared,), [], write_principles)
    pages.write_releases(env, site_dir, config)
    present = {info.id for info in infos}
    for old, (new, ids) in sorted((redirects or {}).items()):
        if old not in present:  # a document of that id is back: it wins
            pages.write_redirect(env, site_dir, config, old, new if new in present else "", ids)
    pages.write_assets(site_dir)
    warnings = [_unknown_warning(name, unknown[name]) for name in sorted(unknown)]
    where = str(documents[0].path) if documents else ""
    bundles = index_pages(searchable, site_dir, config, warnings, where, memo, search_later) if search else ()
    pages.write_search(env, site_dir, config, bundles, infos, personography, digests.named())
    # Without a base_url (a draft) there is no sitemap: it needs absolute addresses.
    pages.write_discovery(site_dir, config, infos, sorted(personography.persons))
    warnings.extend(_unknown_persons(documents, digests, personography))
    return warnings


def _add_documents_persons(
    personography: Personography, digests: Digests, memo: PageMemo | None, site_dir: Path
) -> None:
    """Fill the registers' entries with the documents' own (their standOff), in edition order.

    Kept by the memo: every document's entries, unpacked, took a sixth of a second; when
    one changes or comes, summed by runs of documents (`edition.render.runs`).
    """
    key = ""
    if memo is not None:
        registered = "\n".join(f"{pid}\t{person!r}" for pid, person in personography.persons.items())
        key = memo.key(registered, *(d.persons_key for d in digests.digests.values()))
        record = memo.reuse("document persons", key, site_dir)
        if record is not None and isinstance(record.facts, dict):
            personography.persons = dict(record.facts)
            return

    def part(run: list[str]) -> dict[str, PersonRecord]:
        described = Personography()
        for _, packed in digests.packed(run):
            described.add_persons(packed.unpack().persons, authoritative=False)
        return described.persons

    # Summed by runs: a person's entry takes each field from the first entry that has it,
    # whichever run that is in (`edition.render.persons._fill`).
    keyed = [(doc_id, digest.persons_key) for doc_id, digest in digests.digests.items()]
    for described in by_runs(memo, "persons", keyed, part, dict):
        personography.add_persons(described.values(), authoritative=False)
    if memo is not None:
        memo.record("document persons", key, [], dict(personography.persons))


def _hash_all(keys: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for key in keys:
        digest.update(key.encode() + b"\0")
    return digest.hexdigest()


@contextlib.contextmanager
def _writing_documents(
    documents: Sequence[ReadDocument],
    digests: Digests,
    personography: Personography,
    config: EditionConfig,
    site_dir: Path,
    memo: PageMemo | None,
    search: bool,
    jobs: int,
    advance: Callable[[], None],
) -> Iterator[list[DocumentOutcome]]:
    """Each document's folder: taken over from the previous site where unchanged, else written.

    The unchanged folders are taken over while the ``with`` block writes the rest of the
    site (`LinkMemo.take_over`); those that could not be (edited since) are written on
    leaving it. Gives each document's outcome.
    """
    person_links = {pid: "../" + person_href(pid) for pid in personography.persons}
    person_words = {
        pid: ", ".join(w for w in (p.name, p.dates) if w)
        for pid, p in personography.persons.items()
    }
    infos = [d.digest.info for d in documents]
    # What the keys of the documents' folders are made of, each said once (`PageMemo.key`).
    described = {pid: repr(p) for pid, p in personography.persons.items()} if memo is not None else {}
    keys: list[str] = []
    outcomes: list[DocumentOutcome | None] = []
    todo: list[int] = []
    later: list[int] = []  # taken over early for nothing (`LinkMemo.take_over_early`)
    for index, document in enumerate(documents):
        info = document.digest.info
        key = ""
        if memo is not None:
            linked = "\n".join(described.get(pid, "None") for pid in document.digest.refs)
            before = documents[index - 1].digest.info_key if index > 0 else "None"
            after = documents[index + 1].digest.info_key if index + 1 < len(infos) else "None"
            key = memo.key(document.sha, before, after, linked)
            group = document_group(info.id)
            record = memo.claim(group, key, DocumentFacts)
            if record is not None and isinstance(record.facts, DocumentFacts):
                outcomes.append(DocumentOutcome(record.facts.unknown, None))  # its search page: `_searchable`
                keys.append(key)
                advance()
                continue
            if memo.mistaken(group):  # its old folder is being moved in
                later.append(index)
                outcomes.append(None)
                keys.append(key)
                continue
        todo.append(index)
        outcomes.append(None)
        keys.append(key)

    def write(indices: Sequence[int], advance: Callable[[], None]) -> Iterator[tuple[int, DocumentOutcome]]:
        # Read a few hundred at a time where the memo keeps them apart, not one query a document.
        labels = {doc_id: dict(packed.unpack().labels)
                  for doc_id, packed in digests.packed([infos[i].id for i in indices])}  # fmt: skip
        tasks = []
        for index in indices:
            document, info = documents[index], infos[index]
            context = RenderContext(
                persons={pid: person_links[pid] for pid in document.digest.refs if pid in person_links},
                person_labels={pid: person_words[pid] for pid in document.digest.refs if pid in person_words},
                resp_labels=labels[info.id],
            )
            # In order of first mention, as the counts are.
            named = tuple(personography.persons[pid] for pid in document.digest.mention_counts
                          if pid in personography.persons)  # fmt: skip
            neighbours = (
                infos[index - 1] if index > 0 else None,
                infos[index + 1] if index + 1 < len(infos) else None,
            )
            searched = _searched(document, personography, search)
            tasks.append(DocumentTask(document.path, info, neighbours, named, context, searched))
        for index, outcome in zip(indices, render_documents(tasks, config, site_dir, jobs, advance), strict=True):
            if memo is not None:
                info = documents[index].digest.info
                files = [f"{info.id}/{name}" for name in os.listdir(site_dir / info.id)]
                facts = DocumentFacts(documents[index].sha, documents[index].digest, outcome.unknown)
                memo.record(document_group(info.id), keys[index], files, facts, folder=info.id)
            yield index, outcome

    taking = memo.take_over(site_dir) if memo is not None else None
    settled: list[str] | None = None  # groups taken over early to write again (`settle_early`)
    try:
        for index, outcome in write(todo, advance):
            outcomes[index] = outcome
        if memo is not None and later:  # written once the early taking has moved their old folders in
            settled = memo.settle_early(site_dir)
            for index, outcome in write(later, advance):
                outcomes[index] = outcome
        yield [outcome for outcome in outcomes if outcome is not None]
    except BaseException:
        if taking is not None:
            taking.wait()  # the caller deletes the folder the files are being moved into
        raise
    if memo is None:
        return
    failed = set(taking.failed() if taking is not None else ())
    failed.update(memo.settle_early(site_dir) if settled is None else settled)
    # Written as they were: the same outcome as the one the record kept.
    written = {documents[index].digest.info.id for index in later}
    again = {group.partition(":")[2] for group in failed} - written
    redo = [index for index, document in enumerate(documents) if document.digest.info.id in again]
    for _ in write(redo, lambda: None):
        pass


def _searched(document: ReadDocument, personography: Personography, search: bool) -> tuple[str, ...] | None:
    """The persons of the register a document's search page lists, when there is a search."""
    if not search:
        return None
    return tuple(sorted(document.digest.mention_counts.keys() & personography.persons.keys()))


def _searchable(document: ReadDocument, persons: tuple[str, ...], made: SearchPage | None) -> Searchable:
    """The document as the search index sees it; its search page as made with its folder, else
    read anew from its TEI if its shard is indexed again (`edition.render.search_shards`)."""
    info = document.digest.info
    page = (lambda: made) if made is not None else functools.partial(reread_search_page, document.path, info, persons)
    return Searchable(info.id, document.sha, persons, page)


def _once(memo: PageMemo | None, site_dir: Path, digests: Mapping[str, Digest], fresh: Set[str]) -> pages.Once:
    """Write a group of pages, or link it from the published site if its inputs are unchanged.

    What a group takes from a document (its header facts, a person's mentions there) is
    in the key by the hashes its `Digest` keeps: said as ``repr`` on every build, one
    person's thousands of mentions took half a second. Even those hashes, gathered for
    every page (1,300 pages of mentions, 67,000 documents' hashes at 10,000 documents), took
    a sixth of a second: a group whose documents are the same as last time, none of them
    ``fresh`` (read anew: the others' digests are those of the very same TEI bytes), has the
    key recorded then, known by what the record keeps beside it (the values and the ids).
    """

    def run(group: str, files: Sequence[str], inputs: tuple[object, ...], documents: Sequence[str],
            write: Callable[[], None], mentions_of: str = "") -> None:  # fmt: skip
        if memo is None:
            write()
            return
        said = [*map(repr, inputs)]
        listed = memo.key(*said, mentions_of, "\0".join(documents))
        before = memo.previous.get(group)
        if before is not None and before.facts == listed and fresh.isdisjoint(documents):
            key = before.key
        else:
            found = map(digests.__getitem__, documents)
            if mentions_of:
                taken = [f"{d.info_key} {d.mention_keys.get(mentions_of, '')}" for d in found]
            else:
                taken = [d.info_key for d in found]
            key = memo.key(*said, "\n".join(taken))  # one part: 1,300 pages × 50 documents
        if memo.reuse(group, key, site_dir) is None:
            write()
            memo.record(group, key, files, listed)

    return run


def _registers_beside(tei_files: Sequence[Path]) -> list[Path]:
    folders = dict.fromkeys(path.parent for path in tei_files)
    return [f / REGISTER_FILE for f in folders if (f / REGISTER_FILE).is_file()]


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
    documents: Sequence[ReadDocument], digests: Digests, personography: Personography
) -> list[Diagnostic]:
    """One warning for all names whose ``@ref`` names no person of any register."""
    count, ids, first = digests.unknown(personography.persons)
    if not count:
        return []
    paths = {d.digest.info.id: d.path for d in documents}
    shown = ", ".join(repr(i) for i in ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    return [
        warning(
            str(paths[first]),
            0,
            0,
            f"{count} names point at persons no listPerson describes ({shown}); "
            "shown unlinked",
            "render.person.unknown",
        )
    ]
