"""Validation against tei_all and the safe parsing of XML from elsewhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edition.cli import main
from edition.schema import SCHEMA_SHA256, _sha256
from edition.validate import PendingValidation, keep_jing_warm, parse_untrusted, validate_files

VALID = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
<publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc></teiHeader>
<text><body><p>Text</p></body></text></TEI>
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_cached_schema_is_the_official_one(tei_schema: Path) -> None:
    assert _sha256(tei_schema.read_bytes()) == SCHEMA_SHA256


def test_a_valid_file_passes(tei_schema: Path, tmp_path: Path) -> None:
    assert validate_files([write(tmp_path, "ok.xml", VALID)]) == []


def test_an_invalid_element_is_located(tei_schema: Path, tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.xml", VALID.replace("<p>Text</p>", "<p>Text<foo/></p>"))
    problems = validate_files([bad], lambda p: "tei/bad.xml")
    assert problems and all(d.path == "tei/bad.xml" and d.code == "validate.tei" for d in problems)
    assert problems[0].line == 4 and "foo" in problems[0].message


def test_a_check_under_way_is_stopped_when_the_build_gives_up(tei_schema: Path, tmp_path: Path) -> None:
    # An invalid file is never remembered as valid, so Jing is really started for it.
    bad = write(tmp_path, "bad.xml", VALID.replace("<p>Text</p>", "<p>Text<foo/></p>"))
    keep_jing_warm(False)  # a run of its own, not the Jing a build before kept (test_warmjing)
    pending = PendingValidation([bad], str, well_formed=False, shas=None)
    if pending.jing is None:
        pytest.skip("Jing needs Java")
    assert pending.jing.process.poll() is None  # under way while the caller does other work
    pending.cancel()
    assert pending.jing.process.returncode is not None


def test_an_entity_bomb_is_refused_unexpanded(tmp_path: Path) -> None:
    bomb = write(
        tmp_path,
        "bomb.xml",
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n<lolz>&lol2;</lolz>\n',
    )
    tree, problems = parse_untrusted(bomb, "bomb.xml")
    assert tree is None and [d.code for d in problems] == ["xml.doctype"]


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.txt", "TOP SECRET")
    xxe = write(
        tmp_path, "xxe.xml", f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]><r>&x;</r>'
    )
    tree, problems = parse_untrusted(xxe, "xxe.xml")
    assert tree is None and "TOP SECRET" not in problems[0].message


def test_not_well_formed_is_located(tmp_path: Path) -> None:
    broken = write(tmp_path, "broken.xml", "<TEI>\n<p>unclosed\n</TEI>")
    _, problems = parse_untrusted(broken, "broken.xml")
    assert problems[0].code == "xml.syntax" and problems[0].line == 3


# -- edition validate: the command ---------------------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures" / "validate"


def test_validate_reports_every_broken_fixture_and_exits_1(
    tei_schema: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(FIXTURES)
    names = ["xxe.xml", "bomb.xml", "duplicate-id.xml", "rules.xml", "persons.xml"]
    assert main(["validate", *names]) == 1
    lines = capsys.readouterr().err.splitlines()
    refusal = (
        "has a DOCTYPE declaration; TEI needs none, and its entities could read local files or "
        "expand without end, so the file is refused unread [xml.doctype]"
    )
    assert f"xxe.xml:3:1: {refusal}" in lines and f"bomb.xml:2:1: {refusal}" in lines
    assert (
        "duplicate-id.xml:7:19: xml:id 'p1' is used twice; ids must be unique in a file "
        "[rules.id.duplicate]" in lines
    )
    assert "rules.xml:10: <note> is empty: it has neither text nor elements [rules.note.empty]" in lines
    assert lines[-1] == "edition: 5 files checked: 7 errors, 2 warnings"


def test_validate_json_is_a_report_for_machines(
    tei_schema: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(FIXTURES)
    assert main(["validate", "--format", "json", "invalid.xml", "persons.xml"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["files"] == ["invalid.xml", "persons.xml"]
    assert (report["valid"], report["errors"], report["warnings"]) == (False, 1, 0)
    [problem] = report["diagnostics"]
    assert {k: problem[k] for k in ("path", "line", "severity", "code")} == {
        "path": "invalid.xml", "line": 6, "severity": "error", "code": "validate.tei",
    }  # fmt: skip
    assert '"foo"' in problem["message"]


def test_validate_passes_a_valid_file_and_warnings_fail_only_under_strict(
    tei_schema: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok = write(tmp_path, "ok.xml", VALID)
    assert main(["validate", str(ok)]) == 0
    assert capsys.readouterr().err.endswith("edition: 1 files checked: 0 errors, 0 warnings\n")
    elsewhere = write(
        tmp_path, "frus.xml", VALID.replace("<p>Text</p>", '<p><persName corresp="#p_X">X</persName></p>')
    )
    assert main(["validate", str(elsewhere)]) == 0
    assert main(["validate", "--strict", str(elsewhere)]) == 1
