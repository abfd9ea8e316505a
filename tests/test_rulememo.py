"""The rules' memo: a rebuild reports what a fresh check reports, and re-checks what a change reaches."""

from __future__ import annotations

from pathlib import Path

from edition.rulememo import RuleMemo
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


def test_a_memo_of_other_code_is_not_used(tmp_path: Path) -> None:
    paths = edition(tmp_path, '<person xml:id="yezhov"/>')
    check(paths, tmp_path / "memo")
    assert len(RuleMemo(tmp_path / "memo", "salt").previous) == 3
    assert RuleMemo(tmp_path / "memo", "other code").previous == {}
