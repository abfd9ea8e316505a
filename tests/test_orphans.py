"""The caches of folders that are gone are forgotten; those of folders still there are kept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from edition import orphans
from edition.pipeline import BuildOptions, build_edition
from edition.schema import cache_dir

DAY = 24 * 3600
WEEK = 7 * DAY


def test_a_build_notes_the_folder_each_of_its_stores_serves(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_edition(BuildOptions(sources, out, search=False, jobs=1))
    served = {
        kind: {note.read_text(encoding="utf-8") for note in (cache_dir() / kind).glob("*.for")}
        for kind in orphans.KINDS
    }
    assert str(sources.resolve()) in served["convert"]
    assert str((out / "site").resolve()) in served["pages"]
    assert str((out / "tei").resolve()) in served["outputs"] & served["rules"]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EDITION_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def store(cache: Path, kind: str, name: str, folder: Path, age: float, now: float) -> list[Path]:
    """A store as the caches leave it: the SQLite file, its journal, a store beside it, the note."""
    files = [cache / kind / f"{name}.{suffix}" for suffix in ("sqlite", "sqlite-wal", "packs.sqlite")]
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    orphans.note_folder(files[0], folder)
    os.utime(files[0].with_suffix(".for"), (now - age, now - age))
    return [*files, files[0].with_suffix(".for")]


def test_the_stores_of_a_folder_gone_for_a_week_are_deleted_and_no_others(cache: Path, tmp_path: Path) -> None:
    now = 1_900_000_000.0
    kept = tmp_path / "still-here"
    kept.mkdir()
    gone = store(cache, "pages", "aaaa", tmp_path / "deleted", WEEK + 60, now)
    young = store(cache, "convert", "bbbb", tmp_path / "not-yet-made", WEEK - 60, now)  # lately built
    alive = store(cache, "rules", "cccc", kept, 30 * DAY, now)
    other = cache / "pages" / "aaaa-not-the-same.sqlite"
    other.write_bytes(b"x")
    assert sorted(orphans.prune_gone(now)) == sorted(gone)
    assert not any(path.exists() for path in gone)
    assert all(path.exists() for path in [*young, *alive, other])


def test_the_cache_is_looked_through_once_a_day(cache: Path, tmp_path: Path) -> None:
    now = 1_900_000_000.0
    assert orphans.prune_gone(now) == []  # nothing there yet: the look is noted all the same
    gone = store(cache, "outputs", "dddd", tmp_path / "deleted", 2 * WEEK, now)
    assert orphans.prune_gone(now + DAY / 2) == []
    assert sorted(orphans.prune_gone(now + DAY + 1)) == sorted(gone)


def test_a_cached_build_looks_through_the_cache_and_a_build_without_one_does_not(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    looks: list[bool] = []
    monkeypatch.setattr("edition.pipeline.prune_gone", lambda: looks.append(True) or [])
    build_edition(BuildOptions(sources, tmp_path / "out", validate=False, search=False, jobs=1))
    build_edition(BuildOptions(sources, tmp_path / "out", validate=False, search=False, jobs=1, cache=False))
    assert looks == [True]


def test_markers_of_files_found_valid_that_no_build_found_for_a_month_are_deleted(cache: Path) -> None:
    now = 1_900_000_000.0
    markers = {}
    for name, age in (("stale", orphans.MARKER_IDLE_SECONDS + 60), ("used", orphans.MARKER_IDLE_SECONDS - 60)):
        marker = cache / "valid" / "ab" / f"ab{name}"
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
        os.utime(marker, (now - age, now - age))
        markers[name] = marker
    assert orphans.prune_gone(now) == [markers["stale"]]
    assert markers["used"].exists() and not markers["stale"].exists()


def test_a_build_renews_the_markers_it_finds_at_most_once_a_day(cache: Path, tmp_path: Path) -> None:
    from edition.validate import _ValidCache

    tei = tmp_path / "a.xml"
    tei.write_bytes(b"<TEI/>")
    known = _ValidCache()
    known.remember([tei])
    marker = Path(known._name(tei))
    for age, renewed in ((orphans.MARKER_RENEWED_SECONDS - 60, False), (orphans.MARKER_RENEWED_SECONDS + 60, True)):
        before = marker.stat().st_mtime - age
        os.utime(marker, (before, before))
        assert _ValidCache().is_valid(tei)
        assert (marker.stat().st_mtime != before) == renewed
