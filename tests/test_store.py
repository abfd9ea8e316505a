"""The cache table: values come back as stored; anything wrong with the file reads as a miss."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from edition.store import Store, keep_in_memory, keep_written, read_kept


def test_values_come_back_from_a_new_connection(tmp_path: Path) -> None:
    Store(tmp_path / "s.sqlite", "v1").put_many([("a", (1, "x")), ("b", {"k": b"\0"})])
    store = Store(tmp_path / "s.sqlite", "v1")
    assert store.get_many(["a", "b", "c"]) == {"a": (1, "x"), "b": {"k": b"\0"}}
    assert store.get_many(["a"]) == {"a": (1, "x")}


def test_a_put_replaces_the_value_under_its_key(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite", "v1")
    assert store.put_many([("a", 1)]) is True
    store.put_many([("a", 2)])
    assert dict(store.items()) == {"a": 2}


def test_values_are_pickled_as_they_are_written_not_all_first(tmp_path: Path) -> None:
    import tracemalloc

    values = [(f"k{n}", bytes([n % 256]) * 5000) for n in range(2000)]  # 10 MB
    store = Store(tmp_path / "s.sqlite", "v1")
    tracemalloc.start()
    try:
        assert store.put_many(values) is True
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000
    assert Store(tmp_path / "s.sqlite", "v1").get_many(["k7", "k1999"]) == dict([values[7], values[1999]])


def test_nothing_to_put_or_delete_writes_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite", "v1")
    store.put_many([("a", 1)])
    before = (tmp_path / "s.sqlite").stat().st_mtime_ns
    assert store.put_many([]) is True
    store.delete([])
    assert (tmp_path / "s.sqlite").stat().st_mtime_ns == before
    assert dict(store.items()) == {"a": 1}


@pytest.mark.parametrize("asked", [3, 3000], ids=["few", "many"])
def test_present_says_which_keys_have_a_row_without_reading_them(tmp_path: Path, asked: int) -> None:
    from edition import store as stores

    store = Store(tmp_path / "s.sqlite", "v1")
    store.put_many([("a", 1), ("b", 2)])
    with sqlite3.connect(tmp_path / "s.sqlite") as db:  # unreadable, but a row all the same
        db.execute("UPDATE entries SET value = x'00' WHERE key = 'b'")
    wanted = ["a", "b", *(f"k{n}" for n in range(asked - 2))]
    assert store.present(wanted) == {"a", "b"}
    assert (asked > stores.ASKED_UP_TO) == (asked == 3000)  # both ways of asking are tried


def test_rows_asked_for_are_looked_up_by_key_not_found_by_reading_every_row(tmp_path: Path) -> None:
    from edition.store import ASKED_FOR

    store = Store(tmp_path / "s.sqlite", "v1")
    store.put_many((f"k{n}", n) for n in range(500))
    assert store.get_many(["k7", "k400", "x"]) == {"k7": 7, "k400": 400}
    with sqlite3.connect(tmp_path / "s.sqlite") as db:
        db.execute("CREATE TEMP TABLE wanted (key TEXT PRIMARY KEY)")
        plan = " ".join(row[-1] for row in db.execute("EXPLAIN QUERY PLAN " + ASKED_FOR.format("key, value")))
    assert "SEARCH entries" in plan and "SCAN entries" not in plan, plan


def test_another_salt_empties_the_store(tmp_path: Path) -> None:
    Store(tmp_path / "s.sqlite", "v1").put_many([("a", 1)])
    assert dict(Store(tmp_path / "s.sqlite", "v2").items()) == {}
    assert dict(Store(tmp_path / "s.sqlite", "v1").items()) == {}  # gone, not hidden


def test_keep_only_deletes_the_rest(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite", "v1")
    store.put_many([("a", 1), ("b", 2), ("c", 3)])
    store.keep_only({"b", "z"})
    assert dict(store.items()) == {"b": 2}


def test_an_unreadable_value_is_a_miss(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite", "v1")
    store.put_many([("good", 1)])
    with sqlite3.connect(tmp_path / "s.sqlite") as db:
        db.execute("INSERT INTO entries VALUES ('bad', x'00ff')")
    assert dict(store.items()) == {"good": 1}


def test_a_file_that_is_no_database_is_an_empty_store_that_drops_writes(tmp_path: Path) -> None:
    (tmp_path / "s.sqlite").write_bytes(b"this is not a database, it is a text file" * 100)
    store = Store(tmp_path / "s.sqlite", "v1")
    assert store.put_many([("a", 1)]) is False
    assert dict(store.items()) == {}


def test_a_store_in_a_folder_that_cannot_be_made_is_empty(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("a file where the folder should be", encoding="utf-8")
    store = Store(tmp_path / "file" / "s.sqlite", "v1")
    store.put_many([("a", 1)])
    assert store.get_many(["a"]) == {}


# A process that builds again keeps the values it read and wrote (`keep_in_memory`).


@pytest.fixture
def kept() -> Iterator[None]:
    keep_in_memory()
    yield
    keep_in_memory(False)


def test_a_kept_store_is_read_again_without_unpickling(tmp_path: Path, kept: None) -> None:
    Store(tmp_path / "s.sqlite", "v1").put_many([("a", [1]), ("b", [2])])
    first = dict(Store(tmp_path / "s.sqlite", "v1").items())
    again = Store(tmp_path / "s.sqlite", "v1")
    assert again.get_many(["a", "c"]) == {"a": [1]}
    assert again.get_many(["a"])["a"] is first["a"]  # the same object: not read from the file


def test_a_store_not_to_be_kept_is_read_from_its_file_each_time(tmp_path: Path, kept: None) -> None:
    Store(tmp_path / "s.sqlite", "v1", kept=False).put_many([("a", [1])])
    first = dict(Store(tmp_path / "s.sqlite", "v1", kept=False).items())
    again = Store(tmp_path / "s.sqlite", "v1", kept=False).get_many(["a"])
    assert again == first and again["a"] is not first["a"]


def test_a_kept_store_sees_what_another_process_wrote(tmp_path: Path, kept: None) -> None:
    store = Store(tmp_path / "s.sqlite", "v1")
    store.put_many([("a", 1), ("b", 2)])
    assert dict(store.items()) == {"a": 1, "b": 2}
    another_process = (
        "import sys; from pathlib import Path; from edition.store import Store; "
        "other = Store(Path(sys.argv[1]), 'v1'); other.put_many([('a', 10)]); other.delete(['b'])"
    )
    subprocess.run([sys.executable, "-c", another_process, str(tmp_path / "s.sqlite")], check=True)
    assert dict(Store(tmp_path / "s.sqlite", "v1").items()) == {"a": 10}


def test_a_kept_store_follows_its_own_writes_and_deletions(tmp_path: Path, kept: None) -> None:
    store = Store(tmp_path / "s.sqlite", "v1")
    store.put_many([("a", 1), ("b", 2), ("c", 3)])
    assert dict(store.items()) == {"a": 1, "b": 2, "c": 3}
    four = [4]
    store.put_many([("a", four)])
    assert Store(tmp_path / "s.sqlite", "v1").get_many(["a"])["a"] is four  # not read back
    store.keep_only({"a", "b"})
    assert dict(Store(tmp_path / "s.sqlite", "v1").items()) == {"a": [4], "b": 2}
    keep_in_memory(False)
    assert dict(Store(tmp_path / "s.sqlite", "v1").items()) == {"a": [4], "b": 2}  # and so does the file


def test_a_kept_store_of_another_salt_is_empty(tmp_path: Path, kept: None) -> None:
    store = Store(tmp_path / "s.sqlite", "v1")
    store.put_many([("a", 1)])
    assert dict(store.items()) == {"a": 1}
    assert dict(Store(tmp_path / "s.sqlite", "v2").items()) == {}
    assert dict(Store(tmp_path / "s.sqlite", "v1").items()) == {}


def test_a_kept_reading_of_a_file_holds_while_the_file_is_the_same(tmp_path: Path, kept: None) -> None:
    path = tmp_path / "anchors.lock"
    path.write_text("one", encoding="utf-8")
    reads: list[str] = []

    def read() -> str:
        reads.append(path.read_text(encoding="utf-8"))
        return reads[-1]

    assert read_kept(path, read) == read_kept(path, read) == "one"
    assert len(reads) == 1
    path.write_text("two!", encoding="utf-8")
    assert read_kept(path, read) == "two!"
    path.write_text("three", encoding="utf-8")
    keep_written(path, "three, as written")
    assert read_kept(path, read) == "three, as written"
    keep_in_memory(False)
    assert read_kept(path, read) == "three"
