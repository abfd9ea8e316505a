"""The renderer's first pass: what the corpus-wide pages need of each document, read from its TEI.

The title page, the persons' pages, the principles page and the neighbours'
links need a few facts of every document, not its tree. A `Digest` holds them,
so a build keeps ten thousand digests in memory instead of ten thousand trees,
and reuses the digest of a TEI file it has seen before (`edition.render.memo`).
`read_all` reads every file, on all cores.

What only some pages need — the mentions themselves, the register entries, the
interventions — a digest keeps packed (`Packed`), with hashes and counts beside
it: a rebuild where one document changed unpacks that document's and the few a
re-rendered person page shows. Unpacking all ten thousand took most of a second
of every rebuild, and held them all in memory. With a page memo, the packed part
is not even kept in memory: the memo stores it apart (`PageMemo.packs`), and
`Digests` reads it back for the pages that need it — half of what a digest weighs.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections import Counter
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from lxml import etree

from edition.diagnostics import Diagnostic, Diagnostics, EditionError, error
from edition.parallel import map_in_order
from edition.pickling import ByFields
from edition.render.html import name_refs
from edition.render.persons import Mention, PersonRecord, by_person, find_mentions, read_persons
from edition.render.principles import Declared, declared, resp_labels
from edition.render.teiread import (
    NS,
    TEI_CORPUS,
    DocumentInfo,
    as_document,
    is_register,
    parse_tei,
    source_line,
)

if TYPE_CHECKING:
    from edition.render.memo import PageMemo  # which keeps digests: imported for types only

PARALLEL_FROM = 64  # fewer files than this are read faster than processes start
PACKS_READ = 256  # packed parts read from the page memo at a time


@dataclass(frozen=True)
class Details:
    """What a digest keeps packed: read for the pages that show it."""

    persons: tuple[PersonRecord, ...]  # its own standOff register entries
    labels: tuple[tuple[str, str], ...]  # "#auto" → who that is (`resp_labels`)
    declared: Declared  # its editorialDecl and interventions, for the principles page


@dataclass(frozen=True)
class Packed:
    """The part of a digest only some pages read, pickled."""

    details: bytes  # the `Details`
    # Each person's mentions here (its persName[@ref], in order): a person's page unpacks
    # only theirs from each document naming them.
    mentions: Mapping[str, bytes]

    def unpack(self) -> Details:
        found = pickle.loads(self.details)
        assert isinstance(found, Details)
        return found

    def mentions_of(self, person_id: str) -> tuple[Mention, ...]:
        packed = self.mentions.get(person_id)
        return pickle.loads(packed) if packed is not None else ()


class PackStore(Protocol):
    """Where the packed parts of digests are kept apart, by their TEI's SHA-256 (`PageMemo`)."""

    def packed(self, shas: Sequence[str]) -> Mapping[str, Packed]: ...

    def for_another_process(self) -> PackStore:
        """The same store read through a connection of that process's own (a database
        connection must not cross a fork)."""
        ...


@dataclass(frozen=True, slots=True)
class Digest(ByFields):
    info: DocumentInfo
    refs: tuple[str, ...]  # every person id a name of its body points at, in order, once
    # Hashes of what other pages take from this document, made once with the digest: the
    # page memo's keys say it by them, not by ``repr`` of thousands of mentions each build.
    info_key: str
    mention_keys: Mapping[str, str]  # person id → hash of their mentions here
    mention_counts: Mapping[str, int]  # person id → their mentions here, in order of the first
    persons_key: str  # hash of `Details.persons`
    declared_key: str  # hash of the title and `Details.declared`
    packed: Packed | None  # None: kept apart (`PackStore`), read when asked for (`Digests`)

    def __reduce__(self) -> tuple[Callable[..., Digest], tuple[Any, ...]]:
        return _read_back, ByFields.__reduce__(self)[1]


def _read_back(info: DocumentInfo, refs: tuple[str, ...], info_key: str, mention_keys: Mapping[str, str],
               mention_counts: Mapping[str, int], *rest: Any) -> Digest:  # fmt: skip
    """A pickled digest, its person ids interned: each is one string then, not three in every
    document's digest read back (page records of 10,000 documents: 38 MB → 29 MB)."""
    intern = sys.intern
    return Digest(info, tuple(map(intern, refs)), info_key,
                  {intern(pid): key for pid, key in mention_keys.items()},
                  {intern(pid): count for pid, count in mention_counts.items()}, *rest)  # fmt: skip


def digest(info: DocumentInfo, root: etree._Element) -> Digest:
    body = root.find("tei:text/tei:body", NS)
    assert body is not None  # as_document refuses a TEI without one
    labels = resp_labels(root)
    mentions = tuple(find_mentions(info.id, body))
    grouped = by_person(mentions)
    details = Details(
        persons=tuple(read_persons(root)), labels=tuple(labels.items()), declared=declared(root, labels)
    )
    return Digest(
        info=info,
        refs=tuple(dict.fromkeys(name_refs(body))),
        info_key=_hash(repr(info)),
        mention_keys={pid: _hash(repr(found)) for pid, found in sorted(grouped.items())},
        mention_counts={pid: len(found) for pid, found in grouped.items()},
        persons_key=_hash(repr(details.persons)),
        declared_key=_hash(repr((info.title, details.declared))),
        packed=Packed(
            details=pickle.dumps(details, pickle.HIGHEST_PROTOCOL),
            mentions={pid: pickle.dumps(tuple(found), pickle.HIGHEST_PROTOCOL) for pid, found in grouped.items()},
        ),
    )


class Digests:
    """The documents' digests, in edition order, and what the corpus-wide pages ask of them.

    What is packed is unpacked for each use and not kept: a clean build unpacks each
    document's `Details` a few times (its page, the principles, the persons) and holds none.
    A digest kept without its packed part has it read from ``packs``.
    """

    def __init__(self, documents: Sequence[ReadDocument], packs: PackStore | None = None) -> None:
        self.digests = {d.digest.info.id: d.digest for d in documents}
        self._shas = {d.digest.info.id: d.sha for d in documents}
        self._paths = {d.digest.info.id: d.path for d in documents}
        self._packs = packs
        self._naming: dict[str, list[str]] = {}  # person id → documents naming them, in order
        self._counts: Counter[str] = Counter()
        for found in self.digests.values():
            for pid, count in found.mention_counts.items():
                self._naming.setdefault(pid, []).append(found.info.id)
                self._counts[pid] += count

    def packed(self, doc_ids: Sequence[str]) -> Iterator[tuple[str, Packed]]:
        """The packed part of each document, in the order asked for; read a few hundred at a
        time where the digests do not hold them."""
        for start in range(0, len(doc_ids), PACKS_READ):
            batch = doc_ids[start : start + PACKS_READ]
            apart = [self._shas[d] for d in batch if self.digests[d].packed is None]
            found = self._packs.packed(apart) if apart and self._packs is not None else {}
            for doc_id in batch:
                held = self.digests[doc_id].packed
                packed = held if held is not None else found.get(self._shas[doc_id])
                if packed is None:  # deleted by a build of the same output run meanwhile
                    raise EditionError([error(str(self._paths[doc_id]), 0, 0, "the page memo changed "
                                              "during the build (another build of this output?); "
                                              "build again", "build.cache-changed")])  # fmt: skip
                yield doc_id, packed

    def for_another_process(self) -> None:
        """Ready this copy (a forked process's) to read packed parts through its own connection."""
        if self._packs is not None:
            self._packs = self._packs.for_another_process()

    def named(self) -> set[str]:
        """Every person id some name points at."""
        return set(self._naming)

    def mention_count(self, person_id: str) -> int:
        return self._counts[person_id]

    def naming(self, person_id: str) -> list[str]:
        """The documents that name the person, in edition order."""
        return self._naming.get(person_id, [])

    def unknown(self, known: Container[str]) -> tuple[int, list[str], str]:
        """Mentions of persons not ``known``: how many, their sorted ids, the first document
        naming one ("" when none)."""
        ids = sorted(pid for pid in self._naming if pid not in known)
        count = sum(self._counts[pid] for pid in ids)
        first = next((d for d, found in self.digests.items() if any(p not in known for p in found.mention_counts)), "")
        return count, ids, first


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class ReadDocument:
    """A TEI document as the first pass leaves it: where it is, its bytes' hash, its digest."""

    path: Path
    sha: str
    digest: Digest


def read_all(
    paths: Sequence[Path],
    memo: PageMemo | None = None,
    jobs: int = 1,
    shas: Mapping[Path, str] | None = None,
) -> tuple[list[ReadDocument], list[etree._Element]]:
    """Read every file into document digests and register trees, collecting all errors first.

    Document ids must be unique; a path given twice is read once. A document whose
    bytes ``memo`` has seen is not parsed: its digest is the one remembered. The
    others are read in ``jobs`` processes (0: all cores) when there are many.
    ``shas``: the SHA-256 of files the caller has hashed already.
    """
    shas = shas or {}
    files: list[tuple[Path, str]] = []
    seen: set[tuple[int, int]] = set()  # (device, inode): one file by two names is read once
    hashed: set[Path] = set()  # the caller's own files, each its own: no need to stat them
    for path in paths:
        if path in shas:
            if path not in hashed:
                hashed.add(path)
                files.append((path, shas[path]))
            continue
        try:
            status = os.stat(path)
            if (status.st_dev, status.st_ino) in seen:
                continue
            seen.add((status.st_dev, status.st_ino))
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            sha = ""  # parse_tei reports it, located
        files.append((path, sha))
    known = [memo.digests.get(sha) if memo is not None and sha else None for _, sha in files]
    unread = [file for file, digested in zip(files, known, strict=True) if digested is None]
    workers = jobs if len(unread) >= PARALLEL_FROM else 1
    read = iter(map_in_order(_read_one, unread, workers))

    problems = Diagnostics()
    documents: list[ReadDocument] = []
    registers: list[etree._Element] = []
    first_with_id: dict[str, Path] = {}
    fresh: list[int] = []  # documents whose packed part the memo is to keep apart
    for (path, sha), digested in zip(files, known, strict=True):
        if digested is None:
            found = next(read)
            if isinstance(found, str):  # tei/corpus.xml lists the documents given beside it: skipped
                if found == REGISTER:
                    registers.append(parse_tei(path))  # trees do not travel between processes
                continue
            if not isinstance(found, Digest):
                problems.extend(found)
                continue
            digested = found
        doc_id = digested.info.id
        if doc_id in first_with_id:
            problems.add(
                error(
                    str(path),
                    source_line(parse_tei(path)),
                    0,
                    f"document id {doc_id!r} is already the id of {first_with_id[doc_id]}",
                    "render.tei.duplicate-document-id",
                )
            )
            continue
        first_with_id[doc_id] = path
        documents.append(ReadDocument(path, sha, digested))
        if memo is not None and digested.packed is not None and sha:
            fresh.append(len(documents) - 1)
            if len(fresh) >= PACKS_READ:
                _keep_apart(documents, fresh, memo)
                fresh = []
    if memo is not None:
        _keep_apart(documents, fresh, memo)
    problems.raise_if_errors()
    return documents, registers


def _keep_apart(documents: list[ReadDocument], fresh: Sequence[int], memo: PageMemo) -> None:
    """Give the memo the packed parts of ``fresh`` documents; once stored, hold them no more
    (a clean 10,000-document build held 50 MB of them)."""
    packs = {documents[i].sha: documents[i].digest.packed for i in fresh}
    if memo.keep_packs([(sha, packed) for sha, packed in packs.items() if packed is not None]):
        for i in fresh:
            document = documents[i]
            documents[i] = replace(document, digest=replace(document.digest, packed=None))


REGISTER, CORPUS = "register", "corpus"  # what `_read_one` says of a file that is not a document


def _read_one(file: tuple[Path, str]) -> Digest | str | tuple[Diagnostic, ...]:
    """A document's digest, `REGISTER` or `CORPUS`, or the diagnostics that stop the file."""
    path, _ = file
    try:
        root = parse_tei(path)
        if root.tag == TEI_CORPUS:
            return CORPUS
        if is_register(root):
            return REGISTER
        document = as_document(path, root)
    except EditionError as exc:
        return tuple(exc.diagnostics)
    return digest(document.info, root)
