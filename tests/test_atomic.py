"""Swapping an output folder in one step, and recovering from a crash between steps."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from edition.atomic import recover, replace_dir, staging_dir


def fill(folder: Path, text: str) -> Path:
    (folder / "index.html").write_text(text, encoding="utf-8")
    return folder


def test_first_build_moves_the_staged_folder_in(tmp_path: Path) -> None:
    target = tmp_path / "site"
    replace_dir(fill(staging_dir(target), "new"), target)
    assert (target / "index.html").read_text(encoding="utf-8") == "new"


def test_replacing_leaves_only_the_new_output(tmp_path: Path) -> None:
    target = tmp_path / "site"
    replace_dir(fill(staging_dir(target), "old"), target)
    replace_dir(fill(staging_dir(target), "new"), target)
    assert (target / "index.html").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_crash_between_renames_is_recovered(tmp_path: Path) -> None:
    target = tmp_path / "site"
    previous = tmp_path / ".site.previous"
    previous.mkdir()
    fill(previous, "old")
    recover(target)
    assert (target / "index.html").read_text(encoding="utf-8") == "old"


def test_stale_staging_folders_of_a_killed_build_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "site"
    stale = tmp_path / ".site.new-abc"
    stale.mkdir()
    fresh = staging_dir(target)
    assert not stale.exists() and fresh.exists()


def test_folders_published_together_are_swapped_before_any_is_deleted(tmp_path: Path) -> None:
    from unittest import mock

    from edition.atomic import replace_dirs

    tei, site = tmp_path / "tei", tmp_path / "site"
    replace_dirs([(fill(staging_dir(tei), "old tei"), tei), (fill(staging_dir(site), "old"), site)])
    swapped_when_deleting = []
    rmtree = shutil.rmtree

    def remove(folder: Path, **options: bool) -> None:
        swapped_when_deleting.append(
            [(p / "index.html").read_text(encoding="utf-8") for p in (tei, site)]
        )
        rmtree(folder)

    pairs = [(fill(staging_dir(tei), "new tei"), tei), (fill(staging_dir(site), "new"), site)]
    with mock.patch("edition.atomic.shutil.rmtree", side_effect=remove):
        replace_dirs(pairs)
    assert swapped_when_deleting == [["new tei", "new"]] * 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "tei"]


def test_a_background_deletion_is_done_before_the_next_staging(tmp_path: Path) -> None:
    from unittest import mock

    from edition.atomic import delete_in_background, swap_dirs

    target = tmp_path / "site"
    replace_dir(fill(staging_dir(target), "old"), target)
    started, finish = threading.Event(), threading.Event()
    rmtree = shutil.rmtree
    deleted_by: list[str] = []

    def slow_remove(folder: Path, **options: bool) -> None:
        started.set()
        finish.wait(5)
        rmtree(folder, **options)
        deleted_by.append(threading.current_thread().name)

    with mock.patch("edition.atomic.shutil.rmtree", side_effect=slow_remove):
        delete_in_background([old for old, _ in swap_dirs([(fill(staging_dir(target), "new"), target)])])
        assert started.wait(5)
        assert (target / "index.html").read_text(encoding="utf-8") == "new"  # published already
        assert len(list(tmp_path.iterdir())) == 2  # the old output, not yet deleted
        threading.Timer(0.2, finish.set).start()
        fresh = staging_dir(target)  # waits for the deletion
        deleted_by.append("staged")
    assert deleted_by == ["delete previous output", "staged"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["site", fresh.name])


def test_the_previous_output_is_kept_as_the_spare_and_the_one_before_given_up(tmp_path: Path) -> None:
    from edition.atomic import keep_as_spare, spare_dir, swap_dirs

    target = tmp_path / "site"
    spent: list[Path] = []
    for text in ("first", "second", "third"):
        spent = keep_as_spare(swap_dirs([(fill(staging_dir(target), text), target)]))
    assert (target / "index.html").read_text(encoding="utf-8") == "third"
    assert (spare_dir(target) / "index.html").read_text(encoding="utf-8") == "second"
    assert [(p / "index.html").read_text(encoding="utf-8") for p in spent] == ["first"]
    # Not deleted (a killed build): the next staging deletes it, and keeps the spare.
    staging_dir(target)
    assert not spent[0].exists() and spare_dir(target).exists()
