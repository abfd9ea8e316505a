"""The anchors lock on disk: indexed once, its lines read only when asked, its index kept by stamp."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

import edition.lockfile
from edition.cache import AS_ASKED
from edition.diagnostics import EditionError
from edition.lockfile import (
    LOCK_HEADER,
    LockIndex,
    lines_digest,
    read_lock,
    rewrite_lock,
    write_lock_text,
)
from edition.lockfile import PIECE as PIECE_DEFAULT
from edition.pipeline import BuildOptions, build_edition

TEXTS = {
    "d-a": b"d-a\tp1\t3f2a9c01de\tDear Sir\nd-a\tp2\t->\tp1\n",
    "d-b": "d-b\tp1\t9e8d7c6b5a\tThe Commissar\u2019s note\n".encode(),
    "d-c": b"d-c\th1\t0a1b2c3d4e\tChapter One\nd-c\tp1\t5f6e7d8c9b\tIt was\nd-c\tp2\t1a2b3c4d5e\tAnd then\n",
}


def written(tmp_path: Path) -> Path:
    path = tmp_path / "anchors.lock"
    write_lock_text(path, TEXTS)
    return path


def test_a_lock_read_back_has_each_documents_lines_and_their_digests(tmp_path: Path) -> None:
    lock, problems = read_lock(written(tmp_path), "anchors.lock")
    assert problems == [] and lock.on_file
    assert {doc: lock.text(doc) for doc in lock} == TEXTS
    assert {doc: lock.digest(doc) for doc in lock} == {doc: lines_digest(text) for doc, text in TEXTS.items()}
    assert lock.text("d-none") == b"" and lock.digest("d-none") == lines_digest(b"")
    assert [a.lock_line for a in lock["d-c"]] == [6, 7, 8]  # after the header and d-a, d-b


def test_a_lock_is_indexed_alike_whatever_the_pieces_it_is_read_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = written(tmp_path)
    with path.open("a", encoding="utf-8") as file:
        file.write("d-c\tnot a line\n")
    whole, problems = read_lock(path, "anchors.lock")
    monkeypatch.setattr(edition.lockfile, "PIECE", 7)  # runs and lines cut across pieces
    pieces, cut_problems = read_lock(path, "anchors.lock")
    assert [(d.line, d.code) for d in cut_problems] == [(d.line, d.code) for d in problems] == [(9, "anchors.syntax")]
    assert pieces.index is not None and whole.index is not None
    assert pieces.index.runs == whole.index.runs and pieces.index.digests == whole.index.digests
    assert all(len(runs) == 1 for runs in pieces.index.runs.values())  # a run cut in two is one again
    assert {doc: pieces[doc] for doc in pieces} == {doc: whole[doc] for doc in whole}


def test_an_index_of_the_file_as_it_is_is_taken_without_reading_the_file(tmp_path: Path) -> None:
    path = written(tmp_path)
    lock, _ = read_lock(path, "anchors.lock")
    assert lock.index is not None
    # Made long after the file was written, so not racy; its digests made up, to tell it by.
    known = replace(lock.index, indexed=lock.index.stamp[2] + 10**10, digests={"d-a": b"known"})
    taken, _ = read_lock(path, "anchors.lock", known)
    assert taken.index is known and taken.digest("d-a") == b"known"
    path.write_bytes(path.read_bytes().replace(b"Dear Sir", b"Dear Sirs"))  # a new stamp
    again, _ = read_lock(path, "anchors.lock", known)
    assert again.index is not known and again.digest("d-a") != b"known"


def test_a_racy_index_is_taken_only_if_the_file_hash_agrees(tmp_path: Path) -> None:
    path = written(tmp_path)
    a_while_ago = os.stat(path).st_mtime_ns - 10**10
    os.utime(path, ns=(a_while_ago, a_while_ago))
    lock, _ = read_lock(path, "anchors.lock")
    assert lock.index is not None
    racy = replace(lock.index, indexed=a_while_ago, digests={"d-a": b"known"})  # indexed as written
    assert racy.racy()
    checked, _ = read_lock(path, "anchors.lock", racy)
    assert checked.digest("d-a") == b"known"  # the same file: taken, and no longer racy
    assert checked.index is not None and not checked.index.racy()
    other = replace(racy, sha=lines_digest(b"another file with this stamp"))
    reread, _ = read_lock(path, "anchors.lock", other)
    assert reread.digest("d-a") == lines_digest(TEXTS["d-a"])


def test_a_lock_changed_while_a_build_reads_it_is_an_error(tmp_path: Path) -> None:
    path = written(tmp_path)
    lock, _ = read_lock(path, "anchors.lock")
    path.write_bytes(path.read_bytes() + b"d-d\tp1\t->\tp2\n")
    with pytest.raises(EditionError) as raised:
        lock.text("d-a")
    assert [d.code for d in raised.value.diagnostics] == ["anchors.changed"]


def test_a_lock_with_windows_line_ends_is_read_in_memory(tmp_path: Path) -> None:
    path = written(tmp_path)
    plain, _ = read_lock(path, "anchors.lock")
    expected = {doc: plain[doc] for doc in plain}
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n").rstrip(b"\r\n"))  # no last line end either
    windows, problems = read_lock(path, "anchors.lock")
    assert problems == [] and not windows.on_file
    assert {doc: windows[doc] for doc in windows} == expected
    assert {doc: windows.digest(doc) for doc in windows} == {doc: lines_digest(t) for doc, t in TEXTS.items()}


def test_a_rebuild_takes_the_lock_by_its_index_and_holds_no_unchanged_lines(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = BuildOptions(sources, tmp_path / "out", validate=False, site=False)
    build_edition(options)  # writes the lock
    lock = sources / "anchors.lock"
    stamp = os.stat(lock).st_mtime_ns
    os.utime(lock, ns=(stamp - 10**10, stamp - 10**10))  # as if written a while ago
    build_edition(options)  # indexes it, and keeps the index
    indexed: list[Path] = []
    index_file = edition.lockfile._index_file
    monkeypatch.setattr(edition.lockfile, "_index_file",
                        lambda path, display: indexed.append(path) or index_file(path, display))  # fmt: skip
    result = build_edition(options)
    assert indexed == []  # taken by its index
    assert result.converted and all(doc.lock_lines == AS_ASKED for doc in result.converted)
    lock.write_bytes(lock.read_bytes() + b"d-gone\tp1\t->\tp2\n")  # edited by hand
    build_edition(options)
    assert indexed == [lock]


def test_a_lock_index_of_a_made_up_stamp_is_not_trusted(tmp_path: Path) -> None:
    path = written(tmp_path)
    missing = LockIndex((-1, -1, -1), 0, b"", {}, {})
    lock, _ = read_lock(path, "anchors.lock", missing)
    assert sorted(lock) == sorted(TEXTS)


@pytest.mark.parametrize("piece", [PIECE_DEFAULT, 40])
def test_a_lock_rewritten_from_the_old_one_is_the_lock_written_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int
) -> None:
    monkeypatch.setattr(edition.lockfile, "PIECE", piece)  # stretches copied in many pieces
    path = written(tmp_path)
    with path.open("ab") as file:  # a second run of d-a's lines, apart from its first
        file.write(b"d-a\tp3\t7f7f7f7f7f\tPostscript\n")
    old, _ = read_lock(path, "anchors.lock")
    old = old.with_lines({"d-renamed": (3, b"d-renamed\tp1\t->\tp2\n")})
    changed = {"d-b": b"d-b\tp1\t1111111111\tThe Commissar\n", "d-new": b"d-new\tp1\t2222222222\tNew\n"}
    docs = ["d-a", "d-b", "d-c", "d-new", "d-renamed", "d-none"]  # d-none: no lines anywhere
    expected = {doc: changed[doc] if doc in changed else old.text(doc) for doc in docs}
    whole = tmp_path / "whole.lock"
    write_lock_text(whole, expected)
    with old.reading():
        rewritten = rewrite_lock(path, old, changed, docs)
    assert path.read_bytes() == whole.read_bytes()
    read, _ = read_lock(path, "anchors.lock")
    for doc in read:
        assert rewritten.text(doc) == read.text(doc) == expected[doc]
        assert rewritten.first_line(doc) == read.first_line(doc) and rewritten.digest(doc) == read.digest(doc)
    assert sorted(rewritten) == sorted(read) == ["d-a", "d-b", "d-c", "d-new", "d-renamed"]


def test_a_lock_rewritten_unchanged_is_left_alone(tmp_path: Path) -> None:
    path = written(tmp_path)
    a_while_ago = os.stat(path).st_mtime_ns - 10**10
    os.utime(path, ns=(a_while_ago, a_while_ago))
    lock, _ = read_lock(path, "anchors.lock")
    before = os.stat(path)
    rewritten = rewrite_lock(path, lock, {}, list(TEXTS))
    after = os.stat(path)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert {doc: rewritten.text(doc) for doc in rewritten} == TEXTS


def test_a_document_dropped_between_two_kept_is_not_copied_with_them(tmp_path: Path) -> None:
    path = written(tmp_path)
    lock, _ = read_lock(path, "anchors.lock")
    rewritten = rewrite_lock(path, lock, {}, ["d-a", "d-c"])  # d-b lies between them in the file
    assert path.read_bytes() == LOCK_HEADER.encode() + TEXTS["d-a"] + TEXTS["d-c"]
    assert [rewritten.first_line(doc) for doc in rewritten] == [3, 5]
