"""The rules' memo: a rebuild reports what a fresh check reports, and re-checks what a change reaches."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import edition.validate as edition_validate
from edition.rulememo import RuleMemo, fingerprint, pack_ids, packed_fingerprint, unpack_ids
from edition.validate import check_files

TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>{}</body></text></TEI>'
REGISTER = (
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><standOff><listPerson>{}</listPerson>'
    "</standOff></TEI>"
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def check(paths: list[Path], memo_file: Path | None) -> list[str]:
    memo = RuleMemo(memo_file, "salt") if memo_file else None
    found = check_files(paths, schema=False, memo=memo)
    if memo is not None:
        memo.save()
    return [f"{d.path}:{d.line} {d.code}" for d in found]


def edition(folder: Path, persons: str) -> list[Path]:
    return [
        write(folder / "a.xml", TEI.format('<p><persName ref="persons.xml#yezhov">Y</persName></p>')),
        write(folder / "b.xml", TEI.format('<p><ref target="a.xml#p1">see</ref><note/></p>')),
        write(folder / "persons.xml", REGISTER.format(persons)),
    ]


def test_a_remembered_check_reports_what_a_fresh_one_does(tmp_path: Path) -> None:
    paths = edition(tmp_path, '<person xml:id="yezhov"/>')
    fresh = check(paths, None)
    assert fresh  # b.xml points at no p1 in a.xml, and has an empty note
    assert check(paths, tmp_path / "memo") == fresh
    assert check(paths, tmp_path / "memo") == fresh  # now every file from the memo


def test_a_file_is_checked_again_when_a_file_it_points_into_changes(tmp_path: Path) -> None:
    paths = edition(tmp_path, '<person xml:id="yezhov"/>')
    before = check(paths, tmp_path / "memo")
    assert not any(line.startswith(f"{paths[0]}:") for line in before)
    write(paths[2], REGISTER.format('<person xml:id="zinoviev"/>'))  # a.xml's bytes are the same
    after = check(paths, tmp_path / "memo")
    assert after == check(paths, None)
    assert any(line.startswith(f"{paths[0]}:") and "rules.ref.unresolved" in line for line in after)
    write(paths[0], TEI.format('<p xml:id="p1"/>'))  # the id b.xml points at appears
    assert check(paths, tmp_path / "memo") == check(paths, None)


def test_a_file_naming_another_whole_is_checked_again_when_it_goes_not_when_its_ids_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the corpus file names every document: their ids are not its concern."""
    paths = edition(tmp_path, '<person xml:id="yezhov"/>')
    listing = write(tmp_path / "corpus.xml", TEI.format('<list><item><ref target="a.xml">A</ref></item></list>'))
    check([*paths, listing], tmp_path / "memo")
    checked: list[str] = []
    original = edition_validate._check_rules
    monkeypatch.setattr(edition_validate, "_check_rules",
                        lambda item, *rest: (checked.append(item[0].name), original(item, *rest))[1])  # fmt: skip
    write(paths[0], TEI.format('<p xml:id="p1"><persName ref="persons.xml#yezhov">Y</persName></p>'))
    after = check([*paths, listing], tmp_path / "memo")
    assert "corpus.xml" not in checked and "b.xml" in checked  # b.xml points at a.xml#p1
    assert after == check([*paths, listing], None)
    checked.clear()
    after = check([paths[1], paths[2], listing], tmp_path / "memo")  # a.xml gone
    assert "corpus.xml" in checked and any("corpus.xml" in line and "rules.ref.external" in line for line in after)
    assert after == check([paths[1], paths[2], listing], None)


def test_a_memo_of_other_code_is_not_used(tmp_path: Path) -> None:
    paths = edition(tmp_path, '<person xml:id="yezhov"/>')
    check(paths, tmp_path / "memo")
    assert len(RuleMemo(tmp_path / "memo", "salt").previous) == 3
    assert RuleMemo(tmp_path / "memo", "other code").previous == {}


def ids_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A list each later check appends to: the files whose ids it read from the memo."""
    read: list[str] = []
    original = RuleMemo.ids_of

    def reading(memo: RuleMemo, sha: str, display: str) -> frozenset[str] | None:
        read.append(Path(display).name)
        return original(memo, sha, display)

    monkeypatch.setattr(RuleMemo, "ids_of", reading)
    return read


def test_a_remembered_check_reads_the_ids_of_the_files_pointed_into_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = edition(tmp_path, '<person xml:id="yezhov"/>')
    check(paths, tmp_path / "memo")
    read = ids_read(monkeypatch)
    check(paths, tmp_path / "memo")
    assert read == []  # nothing changed: every file's fingerprint is in the memo
    write(paths[1], TEI.format('<p><ref target="a.xml#p2">see</ref></p>'))  # b.xml, checked again
    assert check(paths, tmp_path / "memo") == check(paths, None)
    assert sorted(set(read)) == ["a.xml", "persons.xml"]


def test_a_memo_whose_ids_are_lost_reads_them_from_the_files(tmp_path: Path) -> None:
    paths = edition(tmp_path, '<person xml:id="yezhov"/>')
    write(paths[0], TEI.format('<p xml:id="p2"><persName ref="persons.xml#yezhov">Y</persName></p>'))
    check(paths, tmp_path / "memo")
    memo = RuleMemo(tmp_path / "memo", "salt")
    memo.id_store.keep_only(set())
    memo.id_store.close()
    write(paths[1], TEI.format('<p><ref target="a.xml#p2">see</ref></p>'))  # resolves: a.xml has p2
    assert check(paths, tmp_path / "memo") == check(paths, None) == []
    write(paths[1], TEI.format('<p><ref target="a.xml#nowhere">see</ref></p>'))
    assert any("rules.ref.unresolved" in line for line in check(paths, tmp_path / "memo"))


def many(folder: Path) -> list[Path]:
    """More files than are checked in one process (`PARALLEL_FROM`), pointing into each other,
    into the register and nowhere, with duplicate ids, and one not well-formed."""
    folder.mkdir()
    paths = [write(folder / "persons.xml", REGISTER.format('<person xml:id="yezhov"/><person xml:id="x"/>'))]
    for n in range(edition_validate.PARALLEL_FROM + 20):
        body = (f'<p xml:id="p{n}"><persName ref="persons.xml#yezhov">Y</persName>'
                f'<ref target="d{n - 1}.xml#p{n - 1}">back</ref>'
                f'<ref target="d{n + 1}.xml#p{n}">on</ref></p>')  # fmt: skip
        if n % 7 == 0:
            body += f'<p xml:id="p{n}"/>'
        paths.append(write(folder / f"d{n}.xml", TEI.format(body)))
    paths.append(write(folder / "broken.xml", "<TEI><p>"))
    return paths


def test_many_files_checked_in_other_processes_report_and_remember_what_one_process_does(
    tmp_path: Path,
) -> None:
    paths = many(tmp_path / "many")
    alone = check_files(paths, schema=False, jobs=1)
    assert {d.code for d in alone} == {"rules.id.duplicate", "rules.ref.unresolved", "rules.ref.external", "xml.syntax"}
    assert any(d.path.endswith("broken.xml") for d in alone)  # not well-formed: said, located
    memos = []
    for jobs in (1, 2):
        memo = RuleMemo(tmp_path / f"memo{jobs}", "salt")
        assert check_files(paths, schema=False, memo=memo, jobs=jobs) == alone
        memo.save()
        memos.append(RuleMemo(tmp_path / f"memo{jobs}", "salt"))
    assert memos[0].previous == memos[1].previous
    assert dict(memos[0].id_store.items()) == dict(memos[1].id_store.items())
    # One file changed, the rest known to the memo: checked here, with the same result.
    write(paths[3], TEI.format('<p xml:id="p2"/>'))
    fresh = check_files(paths, schema=False, jobs=1)
    assert check_files(paths, schema=False, memo=memos[1], jobs=2) == fresh


# An xml:id is an NCName: no white space, no colon, not empty.
NCNAMES = st.from_regex(r"[A-Za-z_\u00c0-\u02ff][\w.\-\u00b7\u0300-\u036f]*", fullmatch=True)


@given(st.frozensets(NCNAMES, max_size=30))
def test_ids_are_held_packed_and_read_back_the_same(ids: frozenset[str]) -> None:
    packed = pack_ids(ids)
    assert unpack_ids(packed) == ids
    assert packed_fingerprint(packed) == fingerprint(ids)
    held = edition_validate.HeldIds({"a.xml": packed})
    assert held["a.xml"] == ids and "a.xml" in held and list(held) == ["a.xml"]
