"""Incremental builds: a warm cache gives the clean build's bytes, and each input invalidates what it should."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import edition.pipeline
from edition.pipeline import BuildOptions, build_edition
from edition.render.documents import PARALLEL_FROM
from edition.render.pages import index_files

from .conftest import SEEDS, published


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    (folder / "texts").mkdir(parents=True)
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, folder / "texts" / path.name)
    (folder / "texts" / "letter.txt").write_text(
        "A Letter\n\nDear Sir, Yezhov wrote.", encoding="utf-8"
    )
    (folder / "edition.yaml").write_text(
        "edition:\n  title: T\n  date: 2026-01-01\n", encoding="utf-8"
    )
    (folder / "persons.yaml").write_text(
        "persons:\n  - id: yezhov\n    name: Nikolai Yezhov\n", encoding="utf-8"
    )
    return folder


def build(sources: Path, out: Path, cache: bool = True, jobs: int = 1) -> dict[str, bytes]:
    build_edition(BuildOptions(sources, out, validate=False, cache=cache, jobs=jobs))
    return published(out)


def test_a_warm_rebuild_equals_a_clean_build(sources: Path, tmp_path: Path) -> None:
    build(sources, tmp_path / "warm")  # fills the cache and writes the lock
    clean = build(sources, tmp_path / "clean", cache=False)
    warm = build(sources, tmp_path / "warm")
    assert warm == clean


def test_parallel_equals_serial(sources: Path, tmp_path: Path) -> None:
    for k in range(PARALLEL_FROM):  # enough documents to convert and render in worker processes
        (sources / "texts" / f"copy{k}.txt").write_text(
            f"Copy {k}\n\nYezhov came.", encoding="utf-8"
        )
    build(sources, tmp_path / "serial", cache=False, jobs=1)  # writes the lock both then read
    assert build(sources, tmp_path / "parallel", cache=False, jobs=2) == build(
        sources, tmp_path / "serial", cache=False, jobs=1
    )


PERSON_PAGE = re.compile(r"persons/[^/]+/index\.html")


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {
        k
        for k in before.keys() | after.keys()
        if before.get(k) != after.get(k) and k.startswith("tei/")
    }


def test_changing_one_text_changes_only_its_tei(sources: Path, tmp_path: Path) -> None:
    build(sources, tmp_path / "out")  # writes the lock, which the next build reads
    before = build(sources, tmp_path / "out")
    (sources / "texts" / "letter.txt").write_text(
        "A Letter\n\nDear Sir, Yezhov wrote again.", encoding="utf-8"
    )
    assert changed(before, build(sources, tmp_path / "out")) == {"tei/letter.xml"}


def test_changing_the_configuration_changes_every_document(sources: Path, tmp_path: Path) -> None:
    build(sources, tmp_path / "out")
    before = build(sources, tmp_path / "out")
    (sources / "edition.yaml").write_text(
        "edition:\n  title: T\n  publisher: A Press\n  date: 2026-01-01\n", encoding="utf-8"
    )
    after = build(sources, tmp_path / "out")
    corpus_wide = {"tei/persons.xml", "tei/corpus.xml"}  # they carry the header too
    assert {k for k in changed(before, after) if k not in corpus_wide} == {
        "tei/letter.xml",
        "tei/000_1f1a60356441ad05.xml",
        "tei/003_e5b59e6160513613.xml",
    }


def site_changes(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """What changed on the site, the search index (rewritten whole by Pagefind) left aside."""
    return {
        k
        for k in before.keys() | after.keys()
        if before.get(k) != after.get(k) and k.startswith("site/") and "/pagefind/" not in k
    }


def write_letter(sources: Path, text: str) -> None:
    (sources / "texts" / "letter.txt").write_text(text, encoding="utf-8")


def test_changing_one_word_changes_its_tei_and_its_folder_on_the_site_only(
    sources: Path, tmp_path: Path
) -> None:
    write_letter(sources, "A Letter\n\nDear Sir, Yezhov wrote.\n\nYours, Henderson.")
    build(sources, tmp_path / "out")
    before = build(sources, tmp_path / "out")
    write_letter(sources, "A Letter\n\nDear Sir, Yezhov wrote.\n\nYours truly, Henderson.")
    after = build(sources, tmp_path / "out")
    assert changed(before, after) == {"tei/letter.xml"}
    assert site_changes(before, after) == {
        "site/d-letter/index.html",
        "site/d-letter/d-letter.xml",
        "site/d-letter/d-letter-diplomatic.txt",
        "site/d-letter/d-letter-normalized.txt",
    }
    assert after == build(sources, tmp_path / "clean", cache=False)


def test_an_unchanged_rebuild_converts_nothing_and_links_every_page(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(sources, tmp_path / "out")  # the first build writes the lock the second reads
    converted: list[int] = []
    original = edition.pipeline.convert_jobs

    def counting(jobs, *args, **kwargs):  # type: ignore[no-untyped-def]
        converted.append(len(jobs))
        return original(jobs, *args, **kwargs)

    monkeypatch.setattr(edition.pipeline, "convert_jobs", counting)
    site = tmp_path / "out" / "site"
    inodes = {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    build(sources, tmp_path / "out")
    assert sum(converted) == 0
    linked = {name for name, inode in inodes.items() if (site / name).stat().st_ino == inode}
    # Every file of a document's folder, the title pages and each person's page; the
    # pages that summarize the whole edition (persons list, search, sitemap …) are made anew.
    reusable = {
        name
        for name in inodes
        if name.startswith("d-") or name in index_files() or PERSON_PAGE.fullmatch(name)
    }
    assert linked == reusable
    assert {"d-letter/index.html", "index.html", "persons/yezhov/index.html"} <= reusable


def test_a_published_page_edited_by_hand_is_rendered_again(sources: Path, tmp_path: Path) -> None:
    build(sources, tmp_path / "out")
    page = tmp_path / "out" / "site" / "d-letter" / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- edited -->", encoding="utf-8")
    person = tmp_path / "out" / "site" / "persons" / "yezhov" / "index.html"
    person.unlink()
    assert build(sources, tmp_path / "out") == build(sources, tmp_path / "clean", cache=False)


def test_changing_the_register_changes_the_tei_and_pages_that_name_the_person(
    sources: Path, tmp_path: Path
) -> None:
    build(sources, tmp_path / "out")
    before = build(sources, tmp_path / "out")
    (sources / "persons.yaml").write_text(
        "persons:\n  - id: yezhov\n    name: Nikolai Yezhov\n    birth: 1895\n", encoding="utf-8"
    )
    after = build(sources, tmp_path / "out")
    assert changed(before, after) >= {"tei/letter.xml", "tei/persons.xml"}
    pages = {k for k in site_changes(before, after) if k.endswith(".html")}
    assert {"site/persons/yezhov/index.html", "site/persons/index.html", "site/d-letter/index.html"} <= pages
    assert after == build(sources, tmp_path / "clean", cache=False)
