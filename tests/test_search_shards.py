"""The search index rebuilt shard by shard (`edition.render.search_shards`): a build indexes again
only the shards whose documents changed, and the index equals a clean build's byte for byte."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

import edition.render
import edition.render.search
import edition.render.search_shards
from edition.pipeline import BuildOptions, build_edition
from edition.render.memo import PageMemo

from .conftest import published
from .test_incremental import inodes, linked, write_letter

SHARDS = 3  # the `sources` fixture's documents, a shard each: the seeds' two, then the letter


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


def bundle_files(site: Path, number: int) -> set[str]:
    return {name for name in inodes(site) if name.startswith(f"pagefind/{number}/")}


def test_a_clean_build_indexes_every_shard(sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs = pagefind_runs(monkeypatch)
    build(sources, tmp_path / "out")
    assert sorted(runs) == [f"pagefind/{n}" for n in range(1, SHARDS + 1)]
    assert all(bundle_files(tmp_path / "out" / "site", n) for n in range(1, SHARDS + 1))


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
    assert runs == [f"pagefind/{SHARDS}"]  # the letter's, the last
    taken = linked(site, before)
    assert bundle_files(site, 1) | bundle_files(site, 2) <= taken
    assert not bundle_files(site, SHARDS) & taken
    assert after == build(sources, tmp_path / "clean", cache=False)  # the index too, byte for byte


def test_a_bundle_file_edited_in_the_site_is_indexed_again(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(sources, tmp_path / "out")
    entry = tmp_path / "out" / "site" / "pagefind" / "2" / "pagefind-entry.json"
    entry.write_text("{}", encoding="utf-8")
    runs = pagefind_runs(monkeypatch)
    after = build(sources, tmp_path / "out")
    assert runs == ["pagefind/2"]
    assert after == build(sources, tmp_path / "clean", cache=False)


def test_another_pagefind_indexes_every_shard_again(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(sources, tmp_path / "out")
    monkeypatch.setattr(edition.render.search_shards, "_engine", lambda executable: "pagefind 9.9")
    runs = pagefind_runs(monkeypatch)
    build(sources, tmp_path / "out")
    assert sorted(runs) == [f"pagefind/{n}" for n in range(1, SHARDS + 1)]


def test_a_document_added_at_the_end_indexes_a_shard_of_its_own(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(sources, tmp_path / "out")
    runs = pagefind_runs(monkeypatch)
    (sources / "texts" / "postscript.txt").write_text("A Postscript\n\nYezhov again.", encoding="utf-8")
    after = build(sources, tmp_path / "out")
    assert runs == [f"pagefind/{SHARDS + 1}"]
    assert after == build(sources, tmp_path / "clean", cache=False)


def test_a_shard_indexed_again_takes_its_unchanged_documents_pages_from_the_memo(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(edition.render.search_shards, "SHARD_SIZE", SHARDS)  # one shard of them all
    build(sources, tmp_path / "out")
    made = count_rereads(monkeypatch)
    runs = pagefind_runs(monkeypatch)
    write_letter(sources, "A Letter\n\nDear Sir, Yezhov wrote twice.")
    after = build(sources, tmp_path / "out")
    assert runs == ["pagefind/1"]
    assert made == []  # the letter's made with its folder, the seeds' as stored
    assert after == build(sources, tmp_path / "clean", cache=False)


def test_a_search_page_missing_from_the_memo_is_made_from_the_tei(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(edition.render.search_shards, "SHARD_SIZE", SHARDS)
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
    assert bundle_files(site, SHARDS) <= taken  # the letter's shard as it was
    assert "d-letter/index.html" not in taken  # its page anew
    caught = build_edition(BuildOptions(sources, tmp_path / "out", validate=False, search=True))
    assert runs == [f"pagefind/{SHARDS}"]
    assert not caught.search_behind
    assert published(tmp_path / "out") == build(sources, tmp_path / "clean", cache=False)


def test_a_build_that_may_put_the_index_off_indexes_what_it_has_no_bundle_of(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = pagefind_runs(monkeypatch)
    assert not later(sources, tmp_path / "out")  # a first build: nothing to keep
    assert sorted(runs) == [f"pagefind/{n}" for n in range(1, SHARDS + 1)]
    runs.clear()
    (sources / "texts" / "postscript.txt").write_text("A Postscript\n\nYezhov again.", encoding="utf-8")
    assert not later(sources, tmp_path / "out")  # a new shard: no bundle to keep
    assert runs == [f"pagefind/{SHARDS + 1}"]
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
    assert sorted(runs) == [f"pagefind/{n}" for n in range(1, SHARDS + 1)]  # no bundle to take over
    assert made == []  # but every page as stored, no TEI read again
    assert after == build(sources, tmp_path / "clean", cache=False)
