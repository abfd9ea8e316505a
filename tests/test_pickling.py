"""Records pickled by their fields' values read back equal, and smaller than pickle's default."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field

import pytest

from edition.diagnostics import Severity, error, warning
from edition.linkmemo import Record
from edition.pickling import ByFields


@dataclass(frozen=True)
class Plain:
    path: str
    line: int
    message: str


@dataclass(frozen=True)
class Compact(ByFields):
    path: str
    line: int
    message: str


def test_a_record_reads_back_equal_with_what_it_holds() -> None:
    diagnostics = (error("texts/a.txt", 3, 1, "no", "x.y"), warning("texts/a.txt", 4, 2, "hm", "x.z"))
    record = Record("key", ("a/index.html",), b"\1" * 24, diagnostics, "a")
    again = pickle.loads(pickle.dumps(record, 5))
    assert again == record and type(again.facts[1]) is type(diagnostics[1])
    assert again.facts[1].severity is Severity.WARNING


def test_values_alone_are_smaller_than_the_default() -> None:
    plain = pickle.dumps([Plain("texts/a.txt", n, "a message") for n in range(3)], 5)
    compact = pickle.dumps([Compact("texts/a.txt", n, "a message") for n in range(3)], 5)
    assert len(compact) < len(plain) and pickle.loads(compact)[2] == Compact("texts/a.txt", 2, "a message")


def test_a_field_outside_init_is_refused() -> None:
    @dataclass(frozen=True)
    class Derived(ByFields):
        text: str
        length: int = field(init=False, default=0)

    with pytest.raises(TypeError, match="outside __init__"):
        pickle.dumps(Derived("abc"))


def test_a_digest_read_back_shares_its_person_ids_with_every_other() -> None:
    from edition.render.digest import Digest
    from edition.render.teiread import DocumentInfo

    def made(doc: str) -> Digest:  # ids built at run time, as a reader's are: not interned
        pid = "".join(["zino", "viev"])
        return Digest(DocumentInfo(doc, "T"), (pid,), "k", {pid: "h"}, {pid: 2}, "p", "q", None)

    first, second = (pickle.loads(pickle.dumps(made(doc), pickle.HIGHEST_PROTOCOL)) for doc in ("d-1", "d-2"))
    assert first == made("d-1") and second == made("d-2")
    ids = [first.refs[0], *first.mention_keys, *first.mention_counts, second.refs[0], *second.mention_counts]
    assert all(pid is ids[0] for pid in ids)
