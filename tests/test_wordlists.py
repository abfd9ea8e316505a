"""The prepared word lists: read back as derived, and never trusted when damaged or foreign."""

from __future__ import annotations

import mmap
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from edition import lexicon, wordlists

TABLE = {"the": 7.73, "régime": 3.1, "despatch": 2.7, "a": 7.5, "zz": 1.01, "日本": 4.0}
WORDS = frozenset({"criticise", "honour", "année", ""})


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("EDITION_CACHE", str(tmp_path))
    yield tmp_path / "wordlists"


T = TypeVar("T")


def counted(value: T) -> tuple[list[int], Callable[[], T]]:
    """A derivation that counts its calls: a list read from the cache is not derived."""
    calls: list[int] = []

    def derive() -> T:
        calls.append(1)
        return value

    return calls, derive


def test_a_set_is_derived_once_then_read_back_equal(cache: Path) -> None:
    calls, derive = counted(WORDS)
    assert wordlists.word_set("test-set", derive) == WORDS
    assert wordlists.word_set("test-set", derive) == WORDS
    assert len(calls) == 1
    assert [p.name.rsplit("-", 1)[0] for p in cache.iterdir()] == ["test-set"]


def test_a_set_is_looked_up_in_its_mapped_file_or_read_whole_from_the_same_file(cache: Path) -> None:
    calls, derive = counted(WORDS)
    derived = wordlists.mapped_set("test-set", derive)
    assert isinstance(derived, wordlists.SortedTable)  # the file just written, not the set derived
    assert wordlists.word_set("test-set", derive) == WORDS
    mapped = wordlists.mapped_set("test-set", derive)
    assert isinstance(mapped, wordlists.SortedTable) and isinstance(mapped._words, mmap.mmap)
    assert all(word in mapped for word in WORDS) and "honor" not in mapped and "\udcff" not in mapped
    assert len(calls) == 1


def test_a_table_reads_back_with_the_same_values_as_a_dict_or_a_sorted_table(cache: Path) -> None:
    calls, derive = counted(TABLE)
    derived = wordlists.frequency_table("test-table", derive)
    # Handed back as the file it was written to, not as the dict derived: that is let go.
    assert isinstance(derived, wordlists.SortedTable) and dict(derived.items()) == TABLE
    table = wordlists.frequency_table("test-table", derive)
    assert isinstance(table, wordlists.SortedTable)
    assert dict(table.items()) == TABLE and len(table) == len(TABLE)
    assert table.get("régime") == 3.1 and table.get("regime", 0.0) == 0.0 and "zz" in table
    assert table.get("\udcff", 0.0) == 0.0  # a lone surrogate is looked up, not an error
    assert wordlists.frequency_dict("test-table", derive) == TABLE
    assert len(calls) == 1


def test_a_table_is_read_whole_where_files_cannot_be_mapped(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls, derive = counted(TABLE)
    wordlists.frequency_table("test-table", derive)
    assert isinstance(wordlists.frequency_table("test-table", derive)._words, mmap.mmap)  # type: ignore[attr-defined]

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("mmap not supported here")

    monkeypatch.setattr(mmap, "mmap", refuse)
    table = wordlists.frequency_table("test-table", derive)
    assert isinstance(table, wordlists.SortedTable) and dict(table.items()) == TABLE
    assert len(calls) == 1  # read, not derived again


def test_an_empty_table_reads_back_empty(cache: Path) -> None:
    calls, derive = counted(dict[str, float]())
    wordlists.frequency_table("test-empty", derive)
    assert dict(wordlists.frequency_table("test-empty", derive)) == {}
    assert len(calls) == 1


def test_a_damaged_file_is_derived_again_and_rewritten(cache: Path) -> None:
    calls, derive = counted(TABLE)
    wordlists.frequency_table("test-table", derive)
    (path,) = cache.iterdir()
    data = bytearray(path.read_bytes())
    data[-3] ^= 1  # a flipped bit in the values
    path.write_bytes(bytes(data))
    assert wordlists.frequency_table("test-table", derive) == TABLE
    path.write_bytes(path.read_bytes()[:40])  # cut short
    assert wordlists.frequency_table("test-table", derive) == TABLE
    assert len(calls) == 3
    assert isinstance(wordlists.frequency_table("test-table", derive), wordlists.SortedTable)


def written_a_minute_ago(cache: Path, derive: Callable[[], dict[str, float]]) -> Path:
    """The test table's file, derived and then given a time a minute back, as a list written
    by an earlier build has (one just written is not noted: it may change again unseen)."""
    wordlists.frequency_table("test-table", derive)
    (path,) = cache.iterdir()
    then = path.stat().st_mtime_ns - 60 * 10**9
    os.utime(path, ns=(then, then))
    return path


def checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list each reading of a mapped list through (to check it whole) appends to."""
    read: list[int] = []
    original = wordlists.zlib.crc32

    def counting(data: bytes, value: int = 0) -> int:
        read.append(len(data))
        return original(data, value)

    monkeypatch.setattr(wordlists.zlib, "crc32", counting)
    return read


def test_a_list_found_whole_is_mapped_without_reading_it_through_again(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls, derive = counted(TABLE)
    path = written_a_minute_ago(cache, derive)
    read = checks(monkeypatch)
    assert wordlists.frequency_table("test-table", derive) == TABLE
    assert read and (cache / f"{path.name}.checked").is_file()
    read.clear()
    assert wordlists.frequency_table("test-table", derive) == TABLE
    assert read == [] and len(calls) == 1


def test_a_list_just_written_is_checked_by_every_process_until_it_is_older(cache: Path) -> None:
    _, derive = counted(TABLE)
    wordlists.frequency_table("test-table", derive)
    wordlists.frequency_table("test-table", derive)
    assert len(list(cache.iterdir())) == 1  # no note


def test_a_list_changed_since_it_was_found_whole_is_checked_again(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls, derive = counted(TABLE)
    path = written_a_minute_ago(cache, derive)
    wordlists.frequency_table("test-table", derive)  # noted whole
    data = bytearray(path.read_bytes())
    data[-3] ^= 1  # a flipped bit in the values, written in place: a new time
    with open(path, "r+b") as stream:
        stream.write(data)
    read = checks(monkeypatch)
    assert wordlists.frequency_table("test-table", derive) == TABLE
    assert read and len(calls) == 2  # found damaged, derived again


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file modes are POSIX")
def test_a_file_others_may_write_is_not_read(cache: Path) -> None:
    calls, derive = counted(WORDS)
    wordlists.word_set("test-set", derive)
    (path,) = cache.iterdir()
    path.chmod(0o666)
    wordlists.word_set("test-set", derive)
    assert len(calls) == 2
    assert path.stat().st_mode & 0o022 == 0  # rewritten for this user alone


def test_a_name_that_is_not_a_list_name_is_derived_and_never_written(cache: Path) -> None:
    _, derive = counted(TABLE)
    assert wordlists.frequency_table("../escape", derive) == TABLE
    assert not cache.exists() and not (cache.parent.parent / "escape").exists()


def test_lists_of_another_fingerprint_are_removed_when_one_is_written(cache: Path) -> None:
    cache.mkdir(parents=True)
    (cache / "test-set-0123456789abcdef0123.list").write_bytes(b"old")
    (cache / "other-0123456789abcdef0123.list").write_bytes(b"an old list no longer made")
    (cache / "other-0123456789abcdef0123.list.checked").write_bytes(b"1 2 3")  # its note
    (cache / "notes.txt").write_bytes(b"not ours")
    wordlists.word_set("test-set", lambda: WORDS)
    assert sorted(p.name for p in cache.iterdir()) == ["notes.txt", f"test-set-{wordlists.fingerprint()}.list"]


def test_the_lexicon_reads_the_same_lists_from_the_cache(cache: Path) -> None:
    import wordfreq

    derived = lexicon._derive_frequencies("fr")
    # Written once, never read from wordfreq again: its lists are not kept in memory.
    assert wordfreq.get_frequency_dict.cache_info().currsize == 0
    assert wordfreq.get_frequency_list.cache_info().currsize == 0
    wordlists.frequency_table("zipf-fr", lambda: derived)
    table = wordlists.frequency_table("zipf-fr", lambda: {})
    assert isinstance(table, wordlists.SortedTable)
    assert len(table) == len(derived)
    assert all(table[word] == value for word, value in list(derived.items())[::97])
