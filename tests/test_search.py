"""Search: what Pagefind is given (both readings, anchors, filters), and its index (sharded, stable)."""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

import lxml.html
import pytest

from edition.config import EditionConfig
from edition.render import render_site, search
from edition.render.search import (
    SearchPage,
    build_index,
    landing_texts,
    pagefind_executable,
    search_page,
)
from edition.render.teiread import NS, read_tei

FIXTURES = Path(__file__).parent / "fixtures" / "tei"
TELEGRAM = FIXTURES / "telegram.xml"
CONFIG = EditionConfig(title="Fixtures", base_url="https://x.org/e/")

needs_pagefind = pytest.mark.skipif(
    pagefind_executable() is None, reason="no Pagefind binary (pip install -e '.[test]')"
)


def texts(path: Path) -> dict[str, str]:
    root = read_tei(path).root
    text = root.find("tei:text", NS)
    assert text is not None
    return dict(landing_texts(text))


# --- what is indexed ---


def test_an_intervention_is_indexed_in_both_readings() -> None:
    p1 = texts(TELEGRAM)["p1"]
    assert "Zinoviev (Zinoxyez)" in p1
    assert "Yezhov (Yerev)" in p1
    assert "the (tbe) verdict." in p1


def test_a_note_lands_on_its_own_id_and_is_not_in_its_paragraph() -> None:
    found = texts(TELEGRAM)
    assert found["n26"] == "Not printed; see note 25 and Yezhov."
    assert "Not printed" not in found["p1"]


def test_list_items_land_on_their_own_ids() -> None:
    found = texts(TELEGRAM)
    assert found["i1"] == "first, the accused;"


def test_the_lean_page_carries_filters_title_and_no_chrome() -> None:
    page = search_page(read_tei(TELEGRAM), ["zinoviev", "yezhov"])
    tree = lxml.html.fromstring(page.html)
    filters = tree.xpath("//@data-pagefind-filter")
    assert filters == ["document:d-003-henderson-telegram", "person:yezhov", "person:zinoviev"]
    assert tree.xpath("//h1/@data-pagefind-meta") == ["title"]
    assert tree.xpath("//p/@id")[:3] == ["h1", "n25", "p1"]
    assert not tree.xpath("//nav | //header | //footer | //a")


def test_source_text_stays_text_in_the_lean_page(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.xml"
    hostile.write_text(
        TELEGRAM.read_text(encoding="utf-8").replace("The trial of", "The &lt;script&gt; trial of"),
        encoding="utf-8",
    )
    page = search_page(read_tei(hostile), [])
    assert b"<script>" not in page.html
    assert "The <script> trial of" in lxml.html.fromstring(page.html).text_content()


# --- the index ---


def digest(folder: Path) -> str:
    hashed = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        hashed.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return hashed.hexdigest()


@needs_pagefind
def test_the_index_is_byte_identical_from_run_to_run(tmp_path: Path) -> None:
    pages = [search_page(read_tei(FIXTURES / n), []) for n in ("telegram.xml", "letter.xml")]
    for run in ("a", "b"):
        build_index(pages, tmp_path / run, "en")
    assert digest(tmp_path / "a") == digest(tmp_path / "b")


@needs_pagefind
def test_a_large_edition_is_indexed_in_shards_the_search_page_merges(tmp_path: Path) -> None:
    pages = [search_page(read_tei(FIXTURES / n), []) for n in ("telegram.xml", "letter.xml")]
    index = build_index(pages, tmp_path, "en", shard_size=1)
    assert index.bundles == ("pagefind/1/", "pagefind/2/")
    assert [run.documents for run in index.runs] == [1, 1]
    for bundle in index.bundles:
        assert (tmp_path / bundle / "pagefind.js").is_file()
        assert not (tmp_path / bundle / "pagefind-ui.js").exists()  # our own page, not theirs


@pytest.mark.parametrize(("free_mb", "at_once"), [(None, 2), (20_000.0, 2), (12.0, 2), (7.0, 1), (0.0, 1)])
def test_no_more_pagefind_runs_start_at_once_than_free_memory_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, free_mb: float | None, at_once: int
) -> None:
    # Four shards of ten pages: a run is reckoned at RUN_MB_PER_PAGE (0.5 MB) a page, 5 MB.
    monkeypatch.setattr(search, "available_mb", lambda: free_mb)
    monkeypatch.setattr(search, "pagefind_executable", lambda: Path("/bin/true"))
    running, most = [0], [0]
    lock = threading.Lock()

    def run(executable: Path, source: Path, target: Path, language: str, count: int) -> search.ShardRun:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.2)  # long enough for runs allowed at once to overlap
        with lock:
            running[0] -= 1
        target.mkdir(parents=True)
        return search.ShardRun(count, 0.2, 0.0)

    monkeypatch.setattr(search, "_run_pagefind", run)
    monkeypatch.setattr(search, "sort_filters", lambda bundle: None)
    pages = [SearchPage(f"d-{n}", b"<html></html>") for n in range(40)]
    assert len(build_index(pages, tmp_path, "en", shard_size=10).bundles) == 4
    assert most[0] == at_once


@needs_pagefind
def test_a_shard_with_no_word_to_index_has_no_bundle_and_fails_nothing(tmp_path: Path) -> None:
    # A document of punctuation alone ("]]>" once failed a whole build): Pagefind indexes
    # nothing of it; the shards with words are indexed as ever.
    pages = [search_page(read_tei(TELEGRAM), []), SearchPage("d-dash", b"<html><body><main data-pagefind-body>"
                                                             b"<h1>\xe2\x80\x94</h1><p>]]&gt;</p></main></body></html>")]
    index = build_index(pages, tmp_path, "en", shard_size=1)
    assert index.bundles == ("pagefind/1/",) and [run.documents for run in index.runs] == [1]
    assert build_index(pages[1:], tmp_path / "alone", "en").bundles == ()


@needs_pagefind
def test_the_site_has_a_search_page_over_its_bundles(tmp_path: Path) -> None:
    render_site([TELEGRAM, FIXTURES / "persons.xml"], CONFIG, tmp_path, search=True)
    page = lxml.html.fromstring((tmp_path / "search" / "index.html").read_bytes())
    # A bundle named by its shard's first document (`edition.render.search_shards.cut_shards`).
    assert page.xpath("//*[@id='ed-search']/@data-bundles") == ["pagefind/d-003-henderson-telegram/"]
    persons = page.xpath("//select[@id='ed-person']/option/@value")
    assert persons == ["", "yezhov", "zinoviev"]  # those named in a document
    assert page.xpath("//select[@id='ed-document']/option/@value") == ["", "d-003-henderson-telegram"]
    assert (tmp_path / "pagefind" / "d-003-henderson-telegram" / "pagefind-entry.json").is_file()


def test_without_search_the_search_page_says_there_is_no_index(tmp_path: Path) -> None:
    render_site([TELEGRAM], CONFIG, tmp_path)
    page = lxml.html.fromstring((tmp_path / "search" / "index.html").read_bytes())
    assert page.xpath("//*[@id='ed-search']/@data-bundles") == [""]
    assert not (tmp_path / "pagefind").exists()


def test_filter_values_and_their_pages_are_put_in_a_stable_order() -> None:
    from edition.render.search import _sorted_filter

    # CBOR ["person", [["stalin", [1, 0]], ["kirov", [0]]]], in Pagefind's hash-map order
    found = b"\x82fperson\x82\x82fstalin\x82\x01\x00\x82ekirov\x81\x00"
    assert _sorted_filter(found) == b"\x82fperson\x82\x82ekirov\x81\x00\x82fstalin\x82\x00\x01"
