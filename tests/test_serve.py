"""``edition serve``: build, serve on loopback, rebuild on save; bounded, self-terminating tests."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

import edition.render
from edition.diagnostics import Diagnostic
from edition.pipeline import BuildOptions, build_edition
from edition.render import search
from edition.render.search import pagefind_executable
from edition.serve import RELOAD_TAG, STATUS_PATH, Builds, Preview

from .conftest import published

SOURCES = Path(__file__).parents[1] / "sources"
ORLOV_TEXT = "texts/000_1f1a60356441ad05.txt"
ORLOV_PAGE = "d-000-1f1a60356441ad05/index.html"
TIMEOUT = 60.0  # seconds a test waits for a rebuild before it fails


def fetch(address: str) -> str:
    with urllib.request.urlopen(address, timeout=10) as answer:  # loopback only
        return str(answer.read().decode("utf-8"))


def wait_for(check: object, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {TIMEOUT:.0f} s waiting for {what}")


def edit_orlov(sources: Path) -> None:
    text = sources / ORLOV_TEXT
    text.write_text(text.read_text(encoding="utf-8").replace("Meanwhile", "Meanwhile (edited)", 1),
                    encoding="utf-8")  # fmt: skip


def test_serve_rebuilds_when_a_source_is_saved_and_the_page_changes(tmp_path: Path) -> None:
    sources = shutil.copytree(SOURCES, tmp_path / "sources")
    command = [sys.executable, "-m", "edition", "serve", str(sources), "--out", str(tmp_path / "out"),
               "--port", "0", "--no-validate", "--no-search", "--jobs", "1"]  # fmt: skip
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        base = ""
        deadline = time.monotonic() + TIMEOUT
        while not base and time.monotonic() < deadline:
            line = process.stderr.readline()
            found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
            base = found.group(1) if found else ""
            assert line or process.poll() is None, "edition serve ended early"
        assert base, "edition serve never said where it serves"
        before = fetch(base + ORLOV_PAGE)
        assert "Meanwhile, Mironov" in before
        assert RELOAD_TAG in before  # served pages reload themselves
        assert RELOAD_TAG not in (tmp_path / "out" / "site" / ORLOV_PAGE).read_text()  # files don't

        edit_orlov(sources)
        wait_for(lambda: "Meanwhile (edited), Mironov" in fetch(base + ORLOV_PAGE), "the edited page")
        # The status counts the build once it has finished (after the site is swapped in).
        wait_for(lambda: '"build": 2' in fetch(base + STATUS_PATH.lstrip("/")), "the build count")
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


def test_a_failed_build_keeps_the_previous_site_and_reports_its_errors(tmp_path: Path) -> None:
    sources = shutil.copytree(SOURCES, tmp_path / "sources")
    out = tmp_path / "out"
    options = BuildOptions(sources, out, validate=False, search=False, jobs=1)
    preview = Preview(sources, out, lambda: build_edition(options).diagnostics, port=0)
    base = preview.start()
    try:
        assert base.startswith("http://127.0.0.1:")
        assert preview._server is not None and preview._server.server_address[0] == "127.0.0.1"
        (sources / "edition.yaml").write_text("edition: [unclosed\n", encoding="utf-8")
        preview.rebuild("edition.yaml changed")
        assert preview.status.build == 1
        assert any("edition.yaml" in line for line in preview.status.errors)
        assert "Meanwhile, Mironov" in fetch(base + ORLOV_PAGE)  # the previous site, still served
        assert "edition.yaml" in fetch(base + STATUS_PATH.lstrip("/"))
    finally:
        preview.stop()


@pytest.fixture
def builds(tmp_path: Path) -> Builds:
    """A preview's builds of a copy of the sample edition, built once, search index and all."""
    if pagefind_executable() is None:
        pytest.skip("no Pagefind binary (pip install pagefind-bin)")
    sources = shutil.copytree(SOURCES, tmp_path / "sources")
    made = Builds(BuildOptions(sources, tmp_path / "out", validate=False, jobs=1, resident=True))
    made.build()
    return made


def test_a_save_leaves_the_search_index_to_a_catch_up_that_runs_once(builds: Builds, tmp_path: Path) -> None:
    sources, out = builds.options.sources, builds.options.out
    assert builds.catch_up() is None  # the first build indexed everything
    edit_orlov(sources)
    builds.build()
    assert "Meanwhile (edited), Mironov" in (out / "site" / ORLOV_PAGE).read_text(encoding="utf-8")
    assert builds.behind
    assert builds.catch_up() is not None
    assert builds.catch_up() is None
    assert published(out) == published_clean(sources, tmp_path / "clean")


def test_a_catch_up_asked_to_stop_stops_at_its_next_stage_and_publishes_nothing(
    builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = builds.options.out
    edit_orlov(builds.options.sources)
    builds.build()
    before = published(out)
    rendered: list[object] = []
    original = edition.render.render_site
    monkeypatch.setattr(edition.render, "render_site", lambda *a, **k: rendered.append(a) or original(*a, **k))
    search.stop_indexing()  # as a save does while the catch-up runs
    try:
        with pytest.raises(search.IndexingStopped):
            builds.catch_up()
    finally:
        search.allow_indexing()
    assert rendered == []  # stopped at its first stage, not when it reached Pagefind
    assert builds.behind  # still to catch up
    assert published(out) == before
    assert builds.catch_up() is not None and not builds.behind


def published_clean(sources: Path, out: Path) -> dict[str, bytes]:
    build_edition(BuildOptions(sources, out, validate=False, jobs=1, cache=False))
    return published(out)


def test_the_preview_catches_up_when_the_sources_are_quiet_without_reloading_the_pages(tmp_path: Path) -> None:
    sources = shutil.copytree(SOURCES, tmp_path / "sources")
    out = tmp_path / "out"
    options = BuildOptions(sources, out, validate=False, search=False, jobs=1)
    asked: list[float] = []
    events: list[str] = []

    def catch_up() -> list[Diagnostic] | None:
        asked.append(time.monotonic())
        return []

    preview = Preview(sources, out, lambda: build_edition(options).diagnostics, port=0, on_event=events.append,
                      catch_up=catch_up, behind=lambda: not asked)  # fmt: skip
    preview.start()
    watching = threading.Thread(target=preview.watch, daemon=True)
    watching.start()
    try:
        wait_for(lambda: any(e.startswith("search index updated") for e in events), "the catch-up")
        time.sleep(1.5)  # three quiet half-seconds more: nothing left to catch up
    finally:
        preview.stop()
        watching.join(timeout=10)
    assert len(asked) == 1
    assert preview.status.build == 1  # the pages did not change: they do not reload


def test_a_save_during_a_catch_up_stops_its_pagefind_and_is_built_first(tmp_path: Path) -> None:
    sources = shutil.copytree(SOURCES, tmp_path / "sources")
    out = tmp_path / "out"
    options = BuildOptions(sources, out, validate=False, search=False, jobs=1)
    slow = tmp_path / "slow-pagefind"
    slow.write_text("#!/bin/sh\nexec sleep 120\n", encoding="utf-8")
    slow.chmod(0o755)
    events: list[str] = []
    behind = [True]

    def catch_up() -> list[Diagnostic] | None:  # a Pagefind run that would take two minutes
        search._run_pagefind(slow, tmp_path, tmp_path / "index", "en", 1)
        return []

    preview = Preview(sources, out, lambda: build_edition(options).diagnostics, port=0, on_event=events.append,
                      catch_up=catch_up, behind=lambda: behind[0])  # fmt: skip
    preview.start()
    watching = threading.Thread(target=preview.watch, daemon=True)
    watching.start()
    try:
        wait_for(lambda: search._running, "the catch-up's Pagefind to start")
        behind[0] = False  # once stopped, not started again
        started = time.monotonic()
        edit_orlov(sources)
        wait_for(lambda: preview.status.build == 2, "the save's rebuild")
        assert time.monotonic() - started < 60  # not after the two minutes
    finally:
        preview.stop()
        watching.join(timeout=10)
    assert any(e.startswith("search index update stopped by a save") for e in events)
    assert not search._running and not search._stopping.is_set()  # ended, and indexing allowed again
    assert "Meanwhile (edited), Mironov" in (out / "site" / ORLOV_PAGE).read_text(encoding="utf-8")
