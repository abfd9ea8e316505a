"""Incremental builds: a warm cache gives the clean build's bytes, and each input invalidates what it should."""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

import edition.linkmemo
import edition.pipeline
import edition.render.documents
import edition.render.person_pages
from edition.diagnostics import Diagnostics, EditionError
from edition.parallel import Job, Outcome, convert_jobs
from edition.pipeline import BuildOptions, build_edition
from edition.render.documents import PARALLEL_FROM
from edition.render.pages import index_files

from .conftest import TESTS, published


def build(
    sources: Path, out: Path, cache: bool = True, jobs: int = 1, validate: bool = False
) -> dict[str, bytes]:
    build_edition(BuildOptions(sources, out, validate=validate, cache=cache, jobs=jobs))
    return published(out)


def write_letter(sources: Path, text: str) -> None:
    (sources / "texts" / "letter.txt").write_text(text, encoding="utf-8")


def before_and_after(
    sources: Path, out: Path, edit: Callable[[], object]
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """What a warm build publishes before ``edit`` changes the sources, and what it does after."""
    build(sources, out)  # fills the caches and writes the lock, which the next build reads
    before = build(sources, out)
    edit()
    return before, build(sources, out)


def count_conversions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list each later build appends to: how many documents it converted (not from the cache)."""
    converted: list[int] = []

    def counting(jobs: Iterable[Job], *args: Any, **kwargs: Any) -> Iterator[Outcome]:
        drawn = list(jobs)  # the build hands them over lazily
        converted.append(len(drawn))
        return convert_jobs(drawn, *args, **kwargs)

    monkeypatch.setattr(edition.pipeline, "convert_jobs", counting)
    return converted


SPARED = [".site.spare", ".tei.spare", "site", "tei"]  # the output folder after a cached rebuild


def inodes(site: Path) -> dict[str, int]:
    """Each file of a site by its path in the site, with its inode."""
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}


def linked(site: Path, before: dict[str, int]) -> set[str]:
    """The files of ``before`` that ``site`` holds as the very same file: hard-linked, not written.

    Sound because a build writes its new files while the old site still stands: no new
    file can be given an inode the old site's files hold.
    """
    now = inodes(site)
    return {name for name, inode in before.items() if now.get(name) == inode}


def test_a_warm_rebuild_equals_a_clean_build(sources: Path, tmp_path: Path) -> None:
    build(sources, tmp_path / "warm")  # fills the cache and writes the lock
    clean = build(sources, tmp_path / "clean", cache=False)
    warm = build(sources, tmp_path / "warm")
    assert warm == clean


def test_the_rebuilds_of_a_resident_process_equal_clean_builds(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``edition serve`` keeps the caches' values in memory and deletes old output in a thread."""
    from edition.atomic import wait_for_deletions
    from edition.store import keep_in_memory

    def resident() -> dict[str, bytes]:
        build_edition(BuildOptions(sources, tmp_path / "out", validate=True, resident=True))
        wait_for_deletions()
        return published(tmp_path / "out")

    try:
        resident()
        write_letter(sources, "A Letter\n\nDear Sir, Yezhov wrote.\n\nYours, Henderson.")
        edited = resident()
        write_letter(sources, "A Letter\n\nDear Sir, Yeshov wrote.\n\nYours, Henderson.")
        edited_again = resident()
        converted = count_conversions(monkeypatch)
        before = inodes(tmp_path / "out" / "site")
        unchanged = resident()
        assert converted == [0]
        assert "d-letter/index.html" in linked(tmp_path / "out" / "site", before)
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == SPARED
        # (A build that keeps nothing in memory, as the clean ones, drops what the process kept.)
        assert unchanged == edited_again == build(sources, tmp_path / "clean", cache=False, validate=True)
        write_letter(sources, "A Letter\n\nDear Sir, Yezhov wrote.\n\nYours, Henderson.")
        assert edited == build(sources, tmp_path / "clean", cache=False, validate=True)
    finally:
        keep_in_memory(False)


def test_an_unchanged_rebuild_moves_the_folders_of_the_output_before_back_in(
    sources: Path, tmp_path: Path
) -> None:
    """The previous output is kept as a spare (`edition.atomic.keep_as_spare`): a document's
    folder unchanged in two builds is renamed back into the site, not linked file by file."""
    out = tmp_path / "out"
    build(sources, out)
    first = (out / "site" / "d-letter").stat().st_ino
    tei = (out / "tei" / "letter.xml").stat().st_ino
    build(sources, out)
    assert (out / ".site.spare" / "d-letter").stat().st_ino == first  # the first build's output
    assert build(sources, out) == build(sources, tmp_path / "clean", cache=False)
    assert (out / "site" / "d-letter").stat().st_ino == first
    assert (out / "tei" / "letter.xml").stat().st_ino == tei
    assert sorted(p.name for p in out.iterdir()) == SPARED


def test_a_spare_file_replaced_by_another_is_not_taken(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(sources, out)
    build(sources, out)
    for spared in (out / ".site.spare" / "d-letter" / "index.html", out / ".tei.spare" / "letter.xml"):
        size = spared.stat().st_size
        spared.unlink()  # another file in its place, of the same size
        spared.write_bytes(b"x" * size)
    assert build(sources, out) == build(sources, tmp_path / "clean", cache=False)


def test_parallel_equals_serial(sources: Path, tmp_path: Path) -> None:
    for k in range(PARALLEL_FROM):  # enough documents to convert and render in worker processes
        (sources / "texts" / f"copy{k}.txt").write_text(
            f"Copy {k}\n\nYezhov came.", encoding="utf-8"
        )
    build(sources, tmp_path / "serial", cache=False, jobs=1)  # writes the lock both then read
    assert build(sources, tmp_path / "parallel", cache=False, jobs=2) == build(
        sources, tmp_path / "serial", cache=False, jobs=1
    )


def test_persons_pages_written_in_other_processes_are_those_one_process_writes(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A document to a page of mentions: Yezhov's pages, one for each document naming him,
    # are more than are written in one process.
    monkeypatch.setattr(edition.render.person_pages, "MENTION_DOCUMENTS", 1)
    count = edition.render.person_pages.PARALLEL_FROM + 2
    for k in range(count):
        (sources / "texts" / f"copy{k}.txt").write_text(f"Copy {k}\n\nYezhov came.", encoding="utf-8")
    started = tmp_path / "writers"  # each process started to write pages leaves its number
    started.mkdir()
    original = edition.render.person_pages._start_writer
    monkeypatch.setattr(edition.render.person_pages, "_start_writer",
                        lambda *args: ((started / str(os.getpid())).touch(), original(*args)))  # fmt: skip
    build(sources, tmp_path / "serial", cache=False, jobs=1)  # writes the lock both then read
    serial = build(sources, tmp_path / "serial", cache=False, jobs=1)
    assert not list(started.iterdir())
    mentions = [name for name in serial if re.fullmatch(r"site/persons/yezhov/mentions-[\w-]+\.html", name)]
    assert len(mentions) >= count - 1
    assert build(sources, tmp_path / "parallel", cache=False, jobs=2) == serial
    assert list(started.iterdir()) and str(os.getpid()) not in {p.name for p in started.iterdir()}
    # With the page memo, the mentions are read from it in the other processes, and the
    # pages they wrote are recorded where they are published: a rebuild takes them over.
    out = tmp_path / "cached"
    assert build(sources, out, jobs=2) == serial
    pages = inodes(out / "site")
    assert build(sources, out, jobs=2) == serial
    assert {f"persons/yezhov/{name.rpartition('/')[2]}" for name in mentions} <= linked(out / "site", pages)


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="processes are not forked here")
def test_folders_taken_over_in_another_process_are_those_taken_over_here(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild takes the unchanged TEI files and documents' folders over in a process of its
    own while it goes on; a file edited by hand there is written again all the same."""
    for k in range(3):
        (sources / "texts" / f"copy{k}.txt").write_text(f"Copy {k}\n\nYezhov came.", encoding="utf-8")
    monkeypatch.setattr(edition.linkmemo, "APART_FROM", 2)
    # Other tests (Dask's) leave threads in this process, which stop a build from forking.
    monkeypatch.setattr(edition.linkmemo, "_may_fork", lambda: True)
    started = tmp_path / "takers"  # each process started to take folders over leaves its number
    started.mkdir()
    original = edition.linkmemo.LinkMemo._take_in_child
    monkeypatch.setattr(edition.linkmemo.LinkMemo, "_take_in_child",
                        lambda *args: ((started / str(os.getpid())).touch(), original(*args)))  # fmt: skip
    out = tmp_path / "out"
    clean = build(sources, out)
    assert not list(started.iterdir())  # nothing to take over
    folders = inodes(out / "site")
    assert build(sources, out) == clean
    assert list(started.iterdir()) and str(os.getpid()) not in {p.name for p in started.iterdir()}
    assert {f"d-copy{k}/index.html" for k in range(3)} <= linked(out / "site", folders)
    page = out / "site" / "d-copy1" / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- edited -->", encoding="utf-8")
    tei = out / "tei" / "copy2.xml"
    tei.write_bytes(tei.read_bytes().replace(b"Yezhov came", b"Yezhov left"))
    folders, files = inodes(out / "site"), inodes(out / "tei")
    assert build(sources, out) == clean
    assert "d-copy0/index.html" in linked(out / "site", folders)
    assert "d-copy1/index.html" not in linked(out / "site", folders)  # written again
    assert {"copy0.xml", "copy1.xml"} <= linked(out / "tei", files)
    assert "copy2.xml" not in linked(out / "tei", files)
    assert build(sources, out) == clean  # and recorded as written: taken over next time


@pytest.mark.parametrize("forked", [True, False])
def test_a_folder_taken_over_early_for_nothing_is_written_again(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: bool
) -> None:
    """Documents whose TEI is unchanged have their folders taken over before their keys are
    known (`LinkMemo.take_over_early`): a neighbour's new title changes theirs after all."""
    for k in range(3):
        (sources / "texts" / f"copy{k}.txt").write_text(f"Copy {k}\n\nYezhov came.", encoding="utf-8")
    monkeypatch.setattr(edition.linkmemo, "APART_FROM", 2 if forked else 10**6)
    monkeypatch.setattr(edition.linkmemo, "_may_fork", lambda: True)
    out = tmp_path / "out"
    build(sources, out)
    build(sources, out)  # a spare to move folders from
    folders = inodes(out / "site")
    written: list[str] = []
    original = edition.render.documents.write_document
    monkeypatch.setattr(edition.render.documents, "write_document",
                        lambda task: (written.append(task.info.id), original(task))[1])  # fmt: skip
    (sources / "texts" / "copy1.txt").write_text("A New Title\n\nYezhov came.", encoding="utf-8")
    after = build(sources, out)
    assert sorted(written) == ["d-copy0", "d-copy1", "d-copy2"]  # each once: not before its old folder is in
    assert after == build(sources, tmp_path / "clean", cache=False)
    kept = linked(out / "site", folders)
    assert "d-copy0/d-copy0.xml" not in kept and "d-copy2/d-copy2.xml" not in kept  # their links: written
    assert "d-letter/d-letter.xml" in kept
    assert "A New Title" in (out / "site" / "d-copy2" / "index.html").read_text(encoding="utf-8")
    assert build(sources, out) == build(sources, tmp_path / "clean", cache=False)  # recorded as written


def test_files_are_taken_over_here_when_no_process_can_be_started(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for k in range(3):
        (sources / "texts" / f"copy{k}.txt").write_text(f"Copy {k}\n\nYezhov came.", encoding="utf-8")
    monkeypatch.setattr(edition.linkmemo, "APART_FROM", 2)
    monkeypatch.setattr(edition.linkmemo, "_may_fork", lambda: True)
    out = tmp_path / "out"
    clean = build(sources, out)
    folders = inodes(out / "site")

    def refuse(process: object) -> None:
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refuse)
    assert build(sources, out) == clean
    assert {f"d-copy{k}/index.html" for k in range(3)} <= linked(out / "site", folders)


def test_a_process_running_another_thread_is_not_forked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(multiprocessing, "get_start_method", lambda: "fork")
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not edition.linkmemo._may_fork()
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert edition.linkmemo._may_fork()
    monkeypatch.setattr(multiprocessing, "get_start_method", lambda: "spawn")  # macOS, Windows
    assert not edition.linkmemo._may_fork()


PERSON_PAGE = re.compile(r"persons/[^/]+/index\.html")


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {
        k
        for k in before.keys() | after.keys()
        if before.get(k) != after.get(k) and k.startswith("tei/")
    }


def test_changing_one_text_changes_only_its_tei(sources: Path, tmp_path: Path) -> None:
    before, after = before_and_after(
        sources,
        tmp_path / "out",
        lambda: write_letter(sources, "A Letter\n\nDear Sir, Yezhov wrote again."),
    )
    assert changed(before, after) == {"tei/letter.xml"}


def test_changing_the_configuration_changes_every_document(sources: Path, tmp_path: Path) -> None:
    before, after = before_and_after(
        sources,
        tmp_path / "out",
        lambda: (sources / "edition.yaml").write_text(
            "edition:\n  title: T\n  publisher: A Press\n  date: 2026-01-01\n", encoding="utf-8"
        ),
    )
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


def test_changing_one_word_changes_its_tei_and_its_folder_on_the_site_only(
    sources: Path, tmp_path: Path
) -> None:
    write_letter(sources, "A Letter\n\nDear Sir, Yezhov wrote.\n\nYours, Henderson.")
    before, after = before_and_after(
        sources,
        tmp_path / "out",
        lambda: write_letter(
            sources, "A Letter\n\nDear Sir, Yezhov wrote.\n\nYours truly, Henderson."
        ),
    )
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
    converted = count_conversions(monkeypatch)
    site = tmp_path / "out" / "site"
    before = inodes(site)
    build(sources, tmp_path / "out")
    assert sum(converted) == 0
    # Every file of a document's folder, the title pages, the principles, the persons list,
    # each person's page and the search index; the other pages that summarize the whole
    # edition (the search page, sitemap …) are made anew.
    reusable = {
        name
        for name in before
        if name.startswith(("d-", "pagefind/"))
        or name in [*index_files(), "principles/index.html", "persons/index.html"]
        or PERSON_PAGE.fullmatch(name)
    }
    assert linked(site, before) == reusable
    assert {"d-letter/index.html", "index.html", "persons/yezhov/index.html"} <= reusable
    assert any(name.startswith("pagefind/") and "/index/" in name for name in reusable)


def test_an_unchanged_rebuild_links_every_tei_file(sources: Path, tmp_path: Path) -> None:
    build(sources, tmp_path / "out")
    tei = tmp_path / "out" / "tei"
    before = inodes(tei)
    build(sources, tmp_path / "out")
    assert linked(tei, before) == set(before)
    assert {"letter.xml", "persons.xml", "corpus.xml"} <= set(before)


def test_a_new_title_rewrites_the_corpus_file_and_its_document_only(
    sources: Path, tmp_path: Path
) -> None:
    build(sources, tmp_path / "out")
    tei = tmp_path / "out" / "tei"
    before = inodes(tei)
    write_letter(sources, "A Different Letter\n\nDear Sir, Yezhov wrote.")
    assert build(sources, tmp_path / "out") == build(sources, tmp_path / "clean", cache=False)
    assert set(before) - linked(tei, before) == {"letter.xml", "corpus.xml"}


def test_a_published_tei_file_edited_by_hand_is_written_again(sources: Path, tmp_path: Path) -> None:
    build(sources, tmp_path / "out")
    tei = tmp_path / "out" / "tei" / "letter.xml"
    tei.write_bytes(tei.read_bytes().replace(b"Dear Sir", b"Dear Madam"))
    assert build(sources, tmp_path / "out") == build(sources, tmp_path / "clean", cache=False)


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
    site = tmp_path / "out" / "site"
    files = inodes(site)
    (sources / "persons.yaml").write_text(
        "persons:\n  - id: yezhov\n    name: Nikolai Yezhov\n    birth: 1895\n", encoding="utf-8"
    )
    after = build(sources, tmp_path / "out")
    # Each document naming Yezhov (the letter and 000) carries his register entry in its
    # header; 003 names nobody, and the corpus file lists files, not persons.
    assert changed(before, after) == {
        "tei/persons.xml",
        "tei/letter.xml",
        "tei/000_1f1a60356441ad05.xml",
    }
    # Those documents' pages (his tooltip and the list of persons named) and TEI copies, his
    # page and the persons list (his dates); their plain texts and citations do not show dates.
    assert site_changes(before, after) == {
        "site/d-letter/index.html",
        "site/d-letter/d-letter.xml",
        "site/d-000-1f1a60356441ad05/index.html",
        "site/d-000-1f1a60356441ad05/d-000-1f1a60356441ad05.xml",
        "site/persons/index.html",
        "site/persons/yezhov/index.html",
    }
    # What the change does not reach is linked from the previous build, not rendered again.
    untouched = {
        name
        for name in files
        if name.startswith("d-003-") or name in [*index_files(), "principles/index.html"]
    }
    assert linked(site, files) == untouched
    assert after == build(sources, tmp_path / "clean", cache=False)


def test_a_new_intervention_renders_the_principles_page_again(sources: Path, tmp_path: Path) -> None:
    before, after = before_and_after(
        sources,
        tmp_path / "out",
        lambda: write_letter(sources, "A Letter\n\nDear Sir, Yezhov wrote the sentances of the govermment."),
    )
    assert "site/principles/index.html" in site_changes(before, after)
    assert after == build(sources, tmp_path / "clean", cache=False)


def test_an_imported_documents_own_register_entry_reaches_the_persons_pages(
    sources: Path, tmp_path: Path
) -> None:
    (sources / "tei").mkdir()
    imported = sources / "tei" / "telegram.xml"
    shutil.copy(TESTS / "fixtures" / "tei" / "telegram.xml", imported)
    renamed = imported.read_text(encoding="utf-8").replace(
        "<persName>Grigory Zinoviev</persName>", "<persName>Grigory Y. Zinoviev</persName>"
    )
    before, after = before_and_after(
        sources, tmp_path / "out", lambda: imported.write_text(renamed, encoding="utf-8")
    )
    assert b"Grigory Y. Zinoviev" in after["site/persons/zinoviev/index.html"]
    assert {"site/persons/index.html", "site/persons/zinoviev/index.html"} <= site_changes(before, after)
    assert after == build(sources, tmp_path / "clean", cache=False)


def test_tei_bytes_gone_from_the_cache_during_a_build_stop_it_cleanly(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(sources, tmp_path / "out")
    (tmp_path / "out" / "tei" / "letter.xml").unlink()  # so it must be written, from the cache
    before = published(tmp_path / "out")
    monkeypatch.setattr(edition.pipeline, "stored_tei", lambda sources, shas: {})
    with pytest.raises(EditionError) as raised:
        build(sources, tmp_path / "out")
    assert [d.code for d in raised.value.diagnostics] == ["build.cache-changed"]
    assert published(tmp_path / "out") == before  # nothing half-written


def page_memo_of(sources: Path, out: Path) -> Any:
    from edition.diagnostics import Diagnostics
    from edition.pipeline import configure

    config, _ = configure(sources, Diagnostics())
    return edition.pipeline.page_memo(BuildOptions(sources, out), config)


def test_the_page_memo_keeps_the_digests_packed_parts_apart(sources: Path, tmp_path: Path) -> None:
    build(sources, tmp_path / "out")
    memo = page_memo_of(sources, tmp_path / "out")
    assert len(memo.digests) == 3 and all(d.packed is None for d in memo.digests.values())
    assert set(memo.packed(list(memo.digests))) == set(memo.digests)
    assert memo.packed(list(memo.digests))[next(iter(memo.digests))].unpack().labels


def test_a_page_memo_without_its_packed_parts_reads_the_tei_again(sources: Path, tmp_path: Path) -> None:
    build(sources, tmp_path / "out")
    memo = page_memo_of(sources, tmp_path / "out")
    memo.packs.keep_only(set())  # lost: the digests are no use
    memo.packs.close()
    assert not page_memo_of(sources, tmp_path / "out").digests
    write_letter(sources, "A Letter\n\nDear Sir, Yeshov wrote.")  # so that pages need the packed parts
    assert build(sources, tmp_path / "out") == build(sources, tmp_path / "clean", cache=False)


def test_packed_parts_gone_from_the_page_memo_during_a_build_stop_it_cleanly(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from edition.render.memo import PageMemo

    build(sources, tmp_path / "out")
    write_letter(sources, "A Letter\n\nDear Sir, Yeshov wrote.")
    before = published(tmp_path / "out")
    monkeypatch.setattr(PageMemo, "packed", lambda self, shas: {})
    with pytest.raises(EditionError) as raised:
        build(sources, tmp_path / "out")
    assert {d.code for d in raised.value.diagnostics} == {"build.cache-changed"}
    assert published(tmp_path / "out") == before  # nothing half-written


def age_texts(sources: Path, seconds: float = 3600) -> None:
    """Date the texts an hour back: stamps that recent a change could hide in are not kept."""
    for path in (sources / "texts").iterdir():
        os.utime(path, (time.time() - seconds, time.time() - seconds))


def texts_read(monkeypatch: pytest.MonkeyPatch, sources: Path) -> list[str]:
    """A list each later build appends to: the names of the texts it read."""
    read: list[str] = []
    original = Path.read_bytes

    def reading(path: Path) -> bytes:
        if path.parent == sources / "texts":
            read.append(path.name)
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", reading)
    return read


def test_a_rebuild_reads_no_text_whose_stamp_held(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    age_texts(sources)
    build(sources, tmp_path / "out")
    read = texts_read(monkeypatch, sources)
    assert build(sources, tmp_path / "out") == build(sources, tmp_path / "clean", cache=False)
    assert sorted(set(read)) == sorted(p.name for p in (sources / "texts").iterdir())  # the clean one
    read.clear()
    build(sources, tmp_path / "out")
    assert read == []


def test_a_text_changed_in_place_is_read_and_converted_again(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    age_texts(sources)
    build(sources, tmp_path / "out")
    letter = sources / "texts" / "letter.txt"
    letter.write_text(letter.read_text(encoding="utf-8").replace("Sir", "Sit"), encoding="utf-8")
    age_texts(sources, seconds=1800)  # the same size, another time
    converted = count_conversions(monkeypatch)
    assert build(sources, tmp_path / "out") == build(sources, tmp_path / "clean", cache=False)
    assert converted[0] == 1


def test_a_text_written_just_before_a_build_is_read_again_by_the_next(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(edition.pipeline, "RACY_SECONDS", 3600)  # "just before": within the hour
    age_texts(sources, seconds=60)
    build(sources, tmp_path / "out")
    read = texts_read(monkeypatch, sources)
    build(sources, tmp_path / "out")
    assert sorted(read) == sorted(p.name for p in (sources / "texts").iterdir())


def test_a_first_build_writes_its_tei_back_from_the_cache_as_a_build_without_one_does(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    stored_tei = edition.pipeline.stored_tei

    def reading(sources: Path, shas: Sequence[str]) -> dict[str, bytes]:
        asked.extend(shas)
        return stored_tei(sources, shas)

    monkeypatch.setattr(edition.pipeline, "stored_tei", reading)
    assert build(sources, tmp_path / "out") == build(sources, tmp_path / "clean", cache=False)
    assert len(asked) == len(list((sources / "texts").iterdir()))  # held no TEI bytes meanwhile


def test_the_settings_are_read_again_only_when_one_of_their_files_changes(
    sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    persons = sources / "persons.yaml"
    persons.write_text(persons.read_text(encoding="utf-8") + "  - id: other\n    name: Other Yezhov\n"
                       "    variants: [Nikolai Yezhov]\n", encoding="utf-8")  # fmt: skip
    read: list[Path] = []
    configure = edition.pipeline.configure
    monkeypatch.setattr(edition.pipeline, "configure",
                        lambda folder, report: read.append(folder) or configure(folder, report))  # fmt: skip
    first, again = Diagnostics(), Diagnostics()
    config, registers = edition.pipeline.configure_kept(sources, first)
    assert edition.pipeline.configure_kept(sources, again) == (config, registers)
    assert read == [sources]  # the second time, from the cache
    assert list(again) == list(first) and [d.code for d in first] == ["config.persons.ambiguous-variant"]
    persons.write_text(persons.read_text(encoding="utf-8").replace("Other Yezhov", "Another"), encoding="utf-8")
    _, changed = edition.pipeline.configure_kept(sources, Diagnostics())
    assert read == [sources, sources] and changed.persons.get("other").name == "Another"  # type: ignore[union-attr]


def test_a_text_added_changes_its_own_pages_its_neighbours_and_the_summaries_naming_it(
    sources: Path, tmp_path: Path
) -> None:
    """Appended after the others: its TEI and folder; the corpus file; the title pages; the
    page before it (its "next" link); the person it names (their count) and the persons list;
    the search page, which lists every document."""
    out = tmp_path / "out"
    build(sources, out)  # fills the caches and writes the lock, which the next build reads
    before = build(sources, out)
    pages = inodes(out / "site")
    (sources / "texts" / "postscript.txt").write_text("A Postscript\n\nYezhov again.", encoding="utf-8")
    after = build(sources, out)
    assert changed(before, after) == {"tei/corpus.xml", "tei/postscript.xml"}
    own = {f"site/d-postscript/{name}" for name in os.listdir(out / "site" / "d-postscript")}
    assert len(own) == 6 and site_changes(before, after) == {
        *own, "site/d-letter/index.html", *(f"site/{name}" for name in index_files()),
        "site/persons/index.html", "site/persons/yezhov/index.html", "site/search/index.html",
    }  # fmt: skip
    # The seeds' folders are taken over; the letter's is written whole again (for its link).
    seeds = {name for name in pages if name.startswith(("d-000-", "d-003-"))}
    assert len(seeds) >= 12 and seeds <= linked(out / "site", pages)
    assert after == build(sources, tmp_path / "clean", cache=False)
