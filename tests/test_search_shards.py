"""The search index rebuilt shard by shard (`edition.render.search_shards`): a build indexes again
only the shards whose documents changed, and the index equals a clean build's byte for byte."""

from __future__ import annotations

import functools
import random
import threading
import time
from pathlib import Path

import pytest

import edition.render
import edition.render.search
import edition.render.search_shards
from edition.pipeline import BuildOptions, build_edition
from edition.render.memo import PageMemo
from edition.render.search import SearchPage
from edition.render.search_shards import Searchable, cut_shards

from .conftest import published
from .test_incremental import inodes, linked, write_letter

SHARDS = 3  # the `sources` fixture's documents, a shard each: the seeds' two, then the letter
# Their bundles, each named by its shard's first document.
BUNDLES = ["pagefind/d-000-1f1a60356441ad05", "pagefind/d-003-e5b59e6160513613", "pagefind/d-letter"]
ONE_SHARD = 100  # a `SHARD_SIZE` that puts them all in one


@pytest.fixture(autouse=True)
def _a_shard_a_document(monkeypatch: pytest.MonkeyPatch) -> None:
    if edition.render.search.pagefind_executable() is None:
        pytest.skip("no Pagefind binary (pip install pagefind-bin)")
    monkeypatch.setattr(edition.render.search_shards, "SHARD_SIZE", 1)


def build(sources: Path, out: Path, cache: bool = True) -> dict[str, bytes]:
    build_edition(BuildOptions(sources, out, validate=False, cache=cache, search=True))
    return published(out)


def pagefind_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The bundles Pagefind is run for from here on."""
    runs: list[str] = []
    original = edition.render.search._run_pagefind

    def noting(executable: Path, source: Path, target: Path, *rest: object) -> object:
        runs.append(target.relative_to(target.parents[1]).as_posix())
        return original(executable, source, target, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(edition.render.search, "_run_pagefind", noting)
    return runs


def built_then_edited(sources: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, int], list[str]]:
    """Build, then edit the letter (the last shard's): the site's files as built, and the
    bundles Pagefind is run for from then on."""
    build(sources, out)
    before = inodes(out / "site")
    runs = pagefind_runs(monkeypatch)
    write_letter(sources, "A Letter\n\nDear Sir, Yezhov wrote twice.")
    return before, runs


def bundle_files(site: Path, bundle: str) -> set[str]:
    return {name for name in inodes(site) if name.startswith(f"{bundle}/")}


def test_a_clean_build_indexes_every_shard(sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs = pagefind_runs(monkeypatch)
    build(sources, tmp_path / "out")
    assert sorted(runs) == BUNDLES
    assert all(bundle_files(tmp_path / "out" / "site", bundle) for bundle in BUNDLES)


def test_an_unchanged_rebuild_runs_no_pagefind_and_links_the_index(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "out" / "site"
    first = build(sources, tmp_path / "out")
    before = inodes(site)
    runs = pagefind_runs(monkeypatch)
    assert build(sources, tmp_path / "out") == first
    assert runs == []
    index = {name for name in before if name.startswith("pagefind/")}
    assert index and linked(site, before) >= index


def test_a_changed_document_reindexes_its_shard_alone(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "out" / "site"
    before, runs = built_then_edited(sources, tmp_path / "out", monkeypatch)
    after = build(sources, tmp_path / "out")
    assert runs == [BUNDLES[-1]]  # the letter's, the last
    taken = linked(site, before)
    assert bundle_files(site, BUNDLES[0]) | bundle_files(site, BUNDLES[1]) <= taken
    assert not bundle_files(site, BUNDLES[-1]) & taken
    assert after == build(sources, tmp_path / "clean", cache=False)  # the index too, byte for byte


def test_a_bundle_file_edited_in_the_site_is_indexed_again(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(sources, tmp_path / "out")
    entry = tmp_path / "out" / "site" / BUNDLES[1] / "pagefind-entry.json"
    entry.write_text("{}", encoding="utf-8")
    runs = pagefind_runs(monkeypatch)
    after = build(sources, tmp_path / "out")
    assert runs == [BUNDLES[1]]
    assert after == build(sources, tmp_path / "clean", cache=False)


def test_another_pagefind_indexes_every_shard_again(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(sources, tmp_path / "out")
    monkeypatch.setattr(edition.render.search_shards, "_engine", lambda executable: "pagefind 9.9")
    runs = pagefind_runs(monkeypatch)
    build(sources, tmp_path / "out")
    assert sorted(runs) == BUNDLES


@pytest.mark.parametrize(
    ("name", "text"),
    [("postscript", "A Postscript\n\nYezhov again."), ("001_insert", "An Insert\n\nYezhov between.")],
    ids=["at the end", "before the others"],
)
def test_a_document_added_indexes_a_shard_of_its_own(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str
) -> None:
    build(sources, tmp_path / "out")
    runs = pagefind_runs(monkeypatch)
    (sources / "texts" / f"{name}.txt").write_text(text, encoding="utf-8")
    after = build(sources, tmp_path / "out")
    # Its own, named by it: the shards after it keep their names (numbered, all were renamed).
    assert runs == [f"pagefind/d-{name.replace('_', '-')}"]
    assert after == build(sources, tmp_path / "clean", cache=False)


def shards_of(ids: list[str], size: int) -> dict[str, tuple[str, ...]]:
    """`cut_shards` of documents with these ids: each shard's members by its first."""
    documents = [Searchable(doc_id, "", (), functools.partial(SearchPage, doc_id, b"")) for doc_id in ids]
    return {shard[0].doc_id: tuple(d.doc_id for d in shard) for shard in cut_shards(documents, size)}


def test_shards_are_about_the_size_asked_for_and_bounded() -> None:
    shards = shards_of([f"d-{n:05}" for n in range(20_000)], 100)
    sizes = [len(members) for members in shards.values()]
    assert all(75 <= size <= 150 for size in sizes[:-1]) and 0 < sizes[-1] <= 150
    assert 90 <= sum(sizes) / len(sizes) <= 110
    assert [d for members in shards.values() for d in members] == [f"d-{n:05}" for n in range(20_000)]


def test_a_document_inserted_or_removed_changes_its_own_shard_and_seldom_more() -> None:
    ids = [f"d-{n:05}" for n in range(5_000)]
    before = shards_of(ids, 100)
    rng = random.Random(12)
    changed = []
    for trial in range(400):
        place = rng.randrange(len(ids))
        edited = [*ids[:place], f"d-new-{trial}", *ids[place:]] if trial % 2 else ids[:place] + ids[place + 1 :]
        after = shards_of(edited, 100)
        changed.append(len({first for first in before.keys() | after.keys() if before.get(first) != after.get(first)}))
    # Where a cut goes or comes, the shards after it may shift until a cut lands where one was.
    # Cut by position, the mean was 50 (every shard after the place, named anew).
    assert min(changed) >= 1 and sum(changed) / len(changed) <= 1.5
    assert sum(n <= 3 for n in changed) >= 0.95 * len(changed)


def test_a_shard_indexed_again_takes_its_unchanged_documents_pages_from_the_memo(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(edition.render.search_shards, "SHARD_SIZE", ONE_SHARD)
    build(sources, tmp_path / "out")
    made = count_rereads(monkeypatch)
    runs = pagefind_runs(monkeypatch)
    write_letter(sources, "A Letter\n\nDear Sir, Yezhov wrote twice.")
    after = build(sources, tmp_path / "out")
    assert runs == [BUNDLES[0]]
    assert made == []  # the letter's made with its folder, the seeds' as stored
    assert after == build(sources, tmp_path / "clean", cache=False)


def test_a_search_page_missing_from_the_memo_is_made_from_the_tei(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(edition.render.search_shards, "SHARD_SIZE", ONE_SHARD)
    build(sources, tmp_path / "out")
    monkeypatch.setattr(PageMemo, "search_pages", lambda memo, keys: {})  # as if deleted from the cache
    made = count_rereads(monkeypatch)
    write_letter(sources, "A Letter\n\nDear Sir, Yezhov wrote twice.")
    after = build(sources, tmp_path / "out")
    assert len(made) == SHARDS - 1  # the seeds', read anew
    assert after == build(sources, tmp_path / "clean", cache=False)


def count_rereads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The TEI files read again to make their search pages, from here on."""
    made: list[Path] = []
    original = edition.render.reread_search_page

    def noting(path: Path, *rest: object) -> object:
        made.append(path)
        return original(path, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(edition.render, "reread_search_page", noting)
    return made


def later(sources: Path, out: Path) -> bool:
    """A build that may put the search index off, as `edition serve`'s saves do; whether it did."""
    return build_edition(BuildOptions(sources, out, validate=False, search=True, search_later=True)).search_behind


def test_a_build_may_leave_a_changed_shard_as_it_was_for_the_next_to_index(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "out" / "site"
    before, runs = built_then_edited(sources, tmp_path / "out", monkeypatch)
    assert later(sources, tmp_path / "out")
    assert runs == []
    taken = linked(site, before)
    assert bundle_files(site, BUNDLES[-1]) <= taken  # the letter's shard as it was
    assert "d-letter/index.html" not in taken  # its page anew
    caught = build_edition(BuildOptions(sources, tmp_path / "out", validate=False, search=True))
    assert runs == [BUNDLES[-1]]
    assert not caught.search_behind
    assert published(tmp_path / "out") == build(sources, tmp_path / "clean", cache=False)


def test_a_build_that_may_put_the_index_off_indexes_what_it_has_no_bundle_of(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = pagefind_runs(monkeypatch)
    assert not later(sources, tmp_path / "out")  # a first build: nothing to keep
    assert sorted(runs) == BUNDLES
    runs.clear()
    (sources / "texts" / "postscript.txt").write_text("A Postscript\n\nYezhov again.", encoding="utf-8")
    assert not later(sources, tmp_path / "out")  # a new shard: no bundle to keep
    assert runs == ["pagefind/d-postscript"]
    runs.clear()
    assert not later(sources, tmp_path / "out")  # nothing changed
    assert runs == []


def test_a_build_whose_pagefind_is_stopped_publishes_nothing(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = build(sources, tmp_path / "out")
    slow = tmp_path / "slow-pagefind"
    slow.write_text("#!/bin/sh\nexec sleep 120\n", encoding="utf-8")
    slow.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(slow))
    write_letter(sources, "A Letter\n\nDear Sir, Yezhov wrote twice.")
    raised: list[BaseException] = []

    def building() -> None:
        try:
            build(sources, tmp_path / "out")
        except BaseException as stopped:  # what the build raised, for the test to see
            raised.append(stopped)

    thread = threading.Thread(target=building)
    thread.start()
    deadline = time.monotonic() + 60
    while not edition.render.search._running and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    edition.render.search.stop_indexing()
    thread.join(timeout=60)
    edition.render.search.allow_indexing()
    assert not thread.is_alive()
    assert [type(e) for e in raised] == [edition.render.search.IndexingStopped]
    assert published(tmp_path / "out") == before  # the previous output, whole
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    assert build(sources, tmp_path / "out") == build(sources, tmp_path / "clean", cache=False)


def test_a_build_without_search_leaves_the_stored_search_pages_for_the_next_with_it(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(sources, tmp_path / "out")
    build_edition(BuildOptions(sources, tmp_path / "out", validate=False, search=False))  # no index
    made = count_rereads(monkeypatch)
    runs = pagefind_runs(monkeypatch)
    after = build(sources, tmp_path / "out")
    assert sorted(runs) == BUNDLES  # no bundle to take over
    assert made == []  # but every page as stored, no TEI read again
    assert after == build(sources, tmp_path / "clean", cache=False)
