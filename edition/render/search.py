"""Full-text search with no server: each document's reading text, in both readings, indexed by Pagefind.

Pagefind (PyPI ``pagefind-bin`` ships its binary) writes a static index that the search
page queries in the browser. It is given not the site's pages but a lean page per document
made here from the TEI: the title, then each paragraph, heading, list item and note as an
element carrying its ``xml:id`` — so Pagefind records where each one starts (its
*anchors*) and the search page lands a hit on ``#p5`` — and nothing of the site's chrome.
Each intervention is written in both readings, ``Yezhov (Yerev)``, so either finds it.
Filters: ``person`` (the ids of the persons named in the document) and ``document``.

Pagefind's memory grows with the pages of one index (about 0.3 MB a page), so a large
edition is indexed in shards of `SHARD_SIZE` documents, each a bundle of its own under
``pagefind/<n>/``, run a few at a time; the search page merges them. The output is
byte-identical from run to run (Pagefind names its files by their content).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from edition.diagnostics import Diagnostic, EditionError, error, warning
from edition.render.teiread import NS, TEI_NS, XML_ID, TeiDocument, normalize_space

SEARCH_FOLDER = "pagefind"  # one bundle a shard: site/pagefind/<its first document>/ (a build's)
# Documents per Pagefind run and bundle, on average (`search_shards.cut_shards`: 375–750 in
# an edition's shards). A run holds ~0.2 GB at 500 FRUS-like pages (0.33 at
# 1,000), and a one-document change re-indexes its shard: ~1.2 s at 500 (2.8–3.1 at
# 1,000). More shards cost the reader: at 10,000 documents a first search took about as
# long with 20 bundles as with 10 (0.8 vs 1.0 s, loading and 50 results), with 40 twice as
# long; and each query fetches ~60 % more bytes (`bench/search_bench.py --browser`).
SHARD_SIZE = 500
WORKERS = 2  # Pagefind runs at once; each uses every core it is given, so more rarely helps
# What a Pagefind run holds, per page of its shard (333–415 MB for 1,000 FRUS-like pages),
# with room to spare: no more runs start at once than the machine's free memory can hold.
RUN_MB_PER_PAGE = 0.5
# TEI elements that are a place to land on: each with an xml:id becomes an anchor.
LANDING = frozenset({"ab", "head", "item", "l", "note", "p"})
# Readings shown by default, and the source's own, of a choice (as the site shows them).
SHOWN = ("reg", "corr", "expan")
SOURCE = ("orig", "sic", "abbr")
# Pagefind's reader-side files we do not use (we have our own page): left out of the site.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js",
          "pagefind-modular-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
          "pagefind-highlight.js")  # fmt: skip


@dataclass(frozen=True)
class SearchPage:
    """What Pagefind indexes for one document: a lean HTML page."""

    doc_id: str
    html: bytes


@dataclass(frozen=True)
class ShardRun:
    """One Pagefind run: how many documents, how long, and its peak memory (0: unknown)."""

    documents: int
    seconds: float
    peak_mb: float


@dataclass(frozen=True)
class SearchIndex:
    """The bundles written, relative to the site root ("pagefind/1/"), and how each run went."""

    bundles: tuple[str, ...]
    runs: tuple[ShardRun, ...]


def search_page(document: TeiDocument, person_ids: Sequence[str]) -> SearchPage:
    """The lean page Pagefind indexes for ``document``; ``person_ids`` become its filter."""
    info = document.info
    html = etree.Element("html", {"lang": info.language or "en"})
    body = etree.SubElement(etree.SubElement(html, "body"), "main", {"data-pagefind-body": ""})
    title = etree.SubElement(body, "h1", {"data-pagefind-meta": "title"})
    title.text = info.title
    byline = " \N{MIDDLE DOT} ".join(part for part in (info.author, info.date) if part)
    if byline:
        about = etree.SubElement(
            body, "p", {"data-pagefind-meta": "byline", "data-pagefind-ignore": ""}
        )
        about.text = byline
    etree.SubElement(body, "span", {"data-pagefind-filter": f"document:{info.id}"})
    for person_id in sorted(set(person_ids)):
        etree.SubElement(body, "span", {"data-pagefind-filter": f"person:{person_id}"})
    text = document.root.find("tei:text", NS)
    for block_id, words in landing_texts(text if text is not None else document.root):
        if words:
            block = etree.SubElement(body, "p", {"id": block_id} if block_id else {})
            block.text = words
    return SearchPage(info.id, etree.tostring(html, method="html", encoding="utf-8"))


def landing_texts(root: etree._Element) -> list[tuple[str, str]]:
    """(xml:id, text) of each place to land on, in document order; "" for text before any.

    A paragraph's text leaves out its notes (each lands on its own ``#n26``) and the
    blocks inside it that have ids of their own; text in a block without an id belongs
    to the block around it. Each ``choice`` reads "regular (source)" when they differ.
    """
    found: list[tuple[str, list[str]]] = [("", [])]

    def walk(element: etree._Element, parts: list[str]) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                _add(parts, child.tail)
                continue
            qname = etree.QName(child)
            name = qname.localname if qname.namespace == TEI_NS else ""
            if name in LANDING and child.get(XML_ID):
                own: list[str] = []
                found.append((str(child.get(XML_ID)), own))
                _add(own, child.text)
                walk(child, own)
                if name == "note":  # the text goes on after a note where it stood
                    _add(parts, child.tail)
                else:
                    rest: list[str] = []
                    found.append((_landing_of(element), rest))
                    _add(rest, child.tail)
                    parts = rest
                continue
            if name == "choice":
                _add(parts, _choice_text(child))
            elif name != "teiHeader":
                _add(parts, child.text)
                walk(child, parts)
            _add(parts, child.tail)

    walk(root, found[0][1])
    merged: list[tuple[str, str]] = []
    for block_id, parts in found:
        words = normalize_space("".join(parts))
        if not words:
            continue
        if merged and merged[-1][0] == block_id:
            merged[-1] = (block_id, f"{merged[-1][1]} {words}")
        elif block_id and any(block_id == seen for seen, _ in merged):
            merged.append(("", words))  # a paragraph's text after its list: no second anchor
        else:
            merged.append((block_id, words))
    return merged


def _landing_of(element: etree._Element) -> str:
    """The id of the nearest place to land on at or around ``element`` ("" for none)."""
    for candidate in (element, *element.iterancestors()):
        if not isinstance(candidate.tag, str):
            continue
        qname = etree.QName(candidate)
        if qname.namespace == TEI_NS and qname.localname in LANDING and candidate.get(XML_ID):
            return str(candidate.get(XML_ID))
    return ""


def _add(parts: list[str], text: str | None) -> None:
    if text:
        parts.append(text)


def _choice_text(choice: etree._Element) -> str:
    """"Yezhov (Yerev)": the shown reading, and the source's when it differs."""
    readings = {
        etree.QName(c).localname: _plain(c) for c in choice if isinstance(c.tag, str)
    }
    shown = next((readings[n] for n in SHOWN if n in readings), "")
    source = next((readings[n] for n in SOURCE if n in readings), "")
    if not shown or not source or shown == source:
        return shown or source
    return f" {shown} ({source}) "


def _plain(element: etree._Element) -> str:
    """The text of a reading, its notes left out (they land on their own)."""
    parts: list[str] = []

    def collect(node: etree._Element) -> None:
        _add(parts, node.text)
        for child in node:
            if isinstance(child.tag, str) and etree.QName(child).localname != "note":
                collect(child)
            _add(parts, child.tail)

    collect(element)
    return normalize_space("".join(parts))


def pagefind_executable() -> Path | None:
    """The Pagefind binary: ``$PAGEFIND_BINARY_PATH``, the one PyPI's ``pagefind-bin`` ships, or PATH's."""
    named = os.environ.get("PAGEFIND_BINARY_PATH")
    if named:
        return Path(named)
    try:
        from pagefind_bin import get_executable  # type: ignore[import-untyped]

        found = get_executable()
        if found and Path(found).is_file():
            return Path(found)
    except ImportError:
        pass
    on_path = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(on_path) if on_path else None


def build_index(
    pages: Sequence[SearchPage],
    site_dir: Path,
    language: str,
    *,
    shard_size: int = SHARD_SIZE,
    workers: int = WORKERS,
) -> SearchIndex:
    """Index ``pages`` into ``site_dir/pagefind/<n>/``; raise `EditionError` if Pagefind fails.

    ``language`` (the edition's, "en") is forced on every page, so one search page finds
    every document whatever its own ``xml:lang``.
    """
    shards = [pages[i : i + shard_size] for i in range(0, len(pages), max(shard_size, 1))]
    bundles = {bundle_path(number): shard for number, shard in enumerate(shards, start=1)}
    ran = index_shards(bundles, site_dir, language, workers=workers)
    done = {bundle: run for bundle, run in ran.items() if run is not None}
    return SearchIndex(tuple(done), tuple(done.values()))


def bundle_path(name: int | str) -> str:
    """Where shard ``name`` is indexed, relative to the site root: "pagefind/1/"."""
    return f"{SEARCH_FOLDER}/{name}/"


def index_shards(
    shards: Mapping[str, Sequence[SearchPage]], site_dir: Path, language: str, *, workers: int = WORKERS
) -> dict[str, ShardRun | None]:
    """Index each shard's pages into its bundle (the key: "pagefind/1/", from the site's
    root), ``workers`` Pagefind runs at a time; how each run went, None for a shard without
    a word to index (and no bundle). Raises `FileNotFoundError` without a Pagefind binary,
    `EditionError` if Pagefind fails, `IndexingStopped` if `stop_indexing` ended its runs."""
    executable = pagefind_executable()
    if executable is None:
        raise FileNotFoundError("no Pagefind binary")
    forced = (language or "en").split("-")[0].lower()
    bundles = list(shards)
    # The pages Pagefind reads, written where the site is (a thousand files on this
    # machine's disk, written and deleted, took 0.26 s; on the site's tmpfs, 0.05).
    site_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".search-pages-", dir=site_dir) as scratch:
        def run(place: int) -> ShardRun | None:
            source = Path(scratch) / str(place)
            pages = shards[bundles[place]]
            for page in pages:
                folder = source / page.doc_id
                folder.mkdir(parents=True)
                (folder / "index.html").write_bytes(page.html)
            return _run_pagefind(executable, source, site_dir / bundles[place], forced, len(pages))

        largest = max((len(pages) for pages in shards.values()), default=0)
        with ThreadPoolExecutor(max_workers=_at_once(workers, largest)) as pool:
            ran = dict(zip(bundles, pool.map(run, range(len(bundles))), strict=True))
    for place, done in ran.items():
        if done is not None:
            bundle = site_dir / place
            for name in UNUSED:
                (bundle / name).unlink(missing_ok=True)
            sort_filters(bundle)
    return ran


def _at_once(workers: int, pages: int) -> int:
    """Pagefind runs to start at once: ``workers``, fewer where the free memory could not hold
    that many runs of ``pages`` pages (two 1,000-page runs beside a 10,000-document build
    were ~860 MB: a small machine would swap)."""
    free = available_mb()
    if free is None:
        return max(1, workers)
    return max(1, min(workers, int(free // max(pages * RUN_MB_PER_PAGE, 1))))


def available_mb() -> float | None:
    """The memory the system can give without swapping (Linux's MemAvailable); None where unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


# The magic that opens each of Pagefind's (gzipped) data files, before its CBOR.
PAGEFIND_MAGIC = b"pagefind_dcd"


def sort_filters(bundle: Path) -> None:
    """Make a bundle's filter files byte-stable: Pagefind 1.5 writes each filter's values
    in hash-map order, which changes from run to run (the rest of its output does not).

    Each ``filter/*.pf_filter`` is rewritten with its values sorted and renamed by its new
    content's hash (a name of the same length), and the names in the ``.pf_meta`` that
    lists them (its list of filters sorted too) and in ``pagefind-entry.json`` are
    replaced in place. What the files say is unchanged; only the order of a map's entries is.
    """
    renamed: dict[bytes, bytes] = {}
    for path in sorted((bundle / "filter").glob("*.pf_filter")):
        data = gzip.decompress(path.read_bytes())
        if not data.startswith(PAGEFIND_MAGIC):
            continue
        data = PAGEFIND_MAGIC + _sorted_filter(data[len(PAGEFIND_MAGIC) :])
        old = path.name.removesuffix(".pf_filter")
        new = _renamed(old, data)
        path.unlink()
        (path.parent / f"{new}.pf_filter").write_bytes(gzip.compress(data, mtime=0))
        renamed[old.encode()] = new.encode()
    if not renamed:
        return
    for meta in sorted(bundle.glob("pagefind.*.pf_meta")):
        data = gzip.decompress(meta.read_bytes())
        for old_name, new_name in renamed.items():
            data = data.replace(old_name, new_name)
        if data.startswith(PAGEFIND_MAGIC):
            data = PAGEFIND_MAGIC + _sorted_meta(data[len(PAGEFIND_MAGIC) :])
        old = meta.name.removeprefix("pagefind.").removesuffix(".pf_meta")
        new = _renamed(old, data)
        meta.unlink()
        meta.with_name(f"pagefind.{new}.pf_meta").write_bytes(gzip.compress(data, mtime=0))
        entry = bundle / "pagefind-entry.json"
        entry.write_bytes(entry.read_bytes().replace(f'"{old}"'.encode(), f'"{new}"'.encode()))


def _renamed(name: str, content: bytes) -> str:
    """"en_cbdcdc4" → "en_" and as many hex digits of ``content``'s SHA-1."""
    language, _, digits = name.rpartition("_")
    return f"{language}_{hashlib.sha1(content).hexdigest()[: len(digits)]}"


def _sorted_filter(data: bytes) -> bytes:
    """A filter's CBOR ``[name, [[value, [page, …]], …]]``, values and pages in sorted order."""
    head_end = _skip(data, 0, head_only=True)  # the outer array's head
    name_end = _skip(data, head_end)
    items_start = _skip(data, name_end, head_only=True)
    count = _argument(data, name_end)
    items, at = [], items_start
    for _ in range(count):
        end = _skip(data, at)
        value_end = _skip(data, at + 1)  # an item is [value, [page, …]]: its head, its value
        pages_start = _skip(data, value_end, head_only=True)
        pages, cursor = [], pages_start
        while cursor < end:  # the page numbers too may come in any order
            after = _skip(data, cursor)
            pages.append((_argument(data, cursor), data[cursor:after]))
            cursor = after
        item = data[at:pages_start] + b"".join(page for _, page in sorted(pages))
        items.append((data[at + 1 : value_end], item))
        at = end
    return data[:items_start] + b"".join(item for _, item in sorted(items)) + data[at:]


def _sorted_meta(data: bytes) -> bytes:
    """A ``.pf_meta``'s CBOR ``[version, chunks, …, filters, sorts, fields]`` with its list of
    ``[filter, file]`` pairs (the fourth item) in sorted order: it too follows a hash map."""
    at = _skip(data, 0, head_only=True)
    for _ in range(3):
        at = _skip(data, at)
    end = _skip(data, at)
    start = _skip(data, at, head_only=True)
    pairs, cursor = [], start
    while cursor < end:
        after = _skip(data, cursor)
        pairs.append(data[cursor:after])
        cursor = after
    return data[:start] + b"".join(sorted(pairs)) + data[end:]


def _argument(data: bytes, at: int) -> int:
    """The count or length a CBOR head at ``at`` carries."""
    info = data[at] & 0x1F
    if info < 24:
        return info
    size = 1 << (info - 24)
    return int.from_bytes(data[at + 1 : at + 1 + size], "big")


def _skip(data: bytes, at: int, *, head_only: bool = False) -> int:
    """Where the CBOR item at ``at`` ends (or its head, for ``head_only``); Pagefind's subset:
    unsigned integers, byte and text strings, arrays and maps of definite length."""
    major, info = data[at] >> 5, data[at] & 0x1F
    end = at + 1 + (0 if info < 24 else 1 << (info - 24))
    if head_only or major == 0:
        return end
    length = _argument(data, at)
    if major in (2, 3):
        return end + length
    for _ in range(length * (2 if major == 5 else 1) if major in (4, 5) else 0):
        end = _skip(data, end)
    return end


# What Pagefind (the pinned 1.x) says when no page it was given has a word to index — a
# document of punctuation alone ("]]>", "—"): that shard has no index, the build goes on.
NOTHING_TO_INDEX = "was not able to build an index"


class IndexingStopped(Exception):
    """Raised in a build whose Pagefind runs `stop_indexing` ended: it publishes nothing."""


_stopping = threading.Event()
_running: set[subprocess.Popen[bytes]] = set()  # the Pagefind runs under way, in any thread
_runs_lock = threading.Lock()


def stop_indexing() -> None:
    """End the Pagefind runs under way, and refuse new ones until `allow_indexing`: their builds
    raise `IndexingStopped` (`edition serve` stops a catch-up of the index when a save comes)."""
    with _runs_lock:
        _stopping.set()
        for process in _running:
            process.kill()


def allow_indexing() -> None:
    _stopping.clear()


def indexing_stopped() -> bool:
    """Whether `stop_indexing` asked the builds that index to stop (until `allow_indexing`)."""
    return _stopping.is_set()


def _run_pagefind(executable: Path, source: Path, target: Path, language: str, count: int) -> ShardRun | None:
    """Index the pages in ``source`` into ``target``; None when none of them has a word to index."""
    command = [str(executable), "--site", str(source), "--output-path", str(target),
               "--force-language", language, "--keep-index-url", "--silent"]  # fmt: skip
    start = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        with _runs_lock:
            if _stopping.is_set():
                raise IndexingStopped()
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
            _running.add(process)
        peak = 0.0
        try:
            if hasattr(os, "wait4"):  # its own peak memory, even while others run beside it
                _, status, usage = os.wait4(process.pid, 0)
                process.returncode = os.waitstatus_to_exitcode(status)
                peak = usage.ru_maxrss / 1024
            else:  # pragma: no cover - not on Linux or macOS
                process.wait()
        finally:
            with _runs_lock:
                _running.discard(process)
        if _stopping.is_set():
            raise IndexingStopped()
        if process.returncode != 0:
            log.seek(0)
            said = normalize_space(log.read().decode("utf-8", "replace"))[-500:]
            if NOTHING_TO_INDEX in said:
                return None
            raise EditionError(
                [error(str(target), 0, 0, f"Pagefind failed ({process.returncode}): {said}",
                       "render.search.failed")]
            )  # fmt: skip
    return ShardRun(count, time.perf_counter() - start, peak)


def unavailable_warning(where: str) -> Diagnostic:
    return warning(
        where,
        0,
        0,
        "no Pagefind binary (pip install pagefind-bin, or set PAGEFIND_BINARY_PATH): "
        "the site has no search index; its search page says so",
        "render.search.unavailable",
    )
