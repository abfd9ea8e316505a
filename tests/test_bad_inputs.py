"""The bad-input catalogue: each row of the README's table, as a user meets it at the command line.

Each case builds a small sources folder, runs ``edition build`` and checks the exit
code, the diagnostic (file, place, code — the exact text where it matters), that no
traceback is shown, and that a refused build wrote nothing, while a warned one wrote
a sensible result. Keep this table and the README's *Bad inputs* table in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from edition.cli import main

LETTER = b"A Letter\n\nDear Sir, I write to you.\n"
XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    b'<TEI xmlns="http://www.tei-c.org/ns/1.0">&x;</TEI>\n'
)
BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10)
               for i in range(1, 10))
    + b']>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">&lol9;</TEI>\n'
)


@dataclass(frozen=True)
class Case:
    texts: dict[str, bytes] = field(default_factory=lambda: {"letter": LETTER})
    files: dict[str, bytes] = field(default_factory=dict)  # other files of the sources folder
    exit: int = 1
    message: str = ""  # a line (or part of one) the user must see on stderr
    out: str = "out"  # --out, relative to the working folder
    built: str = ""  # with exit 0: a file the build must have written under out/


CATALOGUE = {
    # --- the texts ---
    "undecodable bytes": Case(
        texts={"bad": b"line one\nline \xff\xfe two\x81\x82"},
        message="src/texts/bad.txt:2:6: cannot decode byte 0xff as UTF-8, and the encoding could "
        "not be detected with confidence; save the file as UTF-8 [source.encoding]",
    ),
    "another Western encoding": Case(
        texts={"latin": "Café au lait, naïve and façade, déjà vu.\n".encode("cp1252")},
        exit=0,
        message="src/texts/latin.txt: warning: not UTF-8; read as cp1252",
        built="tei/latin.xml",
    ),
    "a binary file": Case(
        texts={"image": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"},
        message="src/texts/image.txt:3:1: contains a NUL byte (U+0000), so it looks like a binary "
        "file, not text [source.binary]",
    ),
    "a character XML cannot hold": Case(
        texts={"esc": b"Fine line.\nAn escape \x1b here.\n"},
        message="src/texts/esc.txt:2:11: character U+001B cannot be stored in XML; remove or "
        "replace it [source.illegal-char]",
    ),
    "an empty file": Case(
        texts={"letter": LETTER, "empty": b""},
        exit=0,
        message="src/texts/empty.txt: warning: the text is empty; it is published as an empty "
        "document [source.empty]",
        built="site/d-empty/index.html",
    ),
    "a folder named like a text": Case(
        files={"texts/folder.txt/x": b""},
        message="src/texts/folder.txt: cannot read: Is a directory [source.read]",
    ),
    "a folder with no texts": Case(texts={}, message="[build.no-texts]"),
    # --- file names ---
    "a file name that is not an id": Case(
        texts={"1936 report – Moscow": LETTER}, exit=0, built="site/d-1936-report-moscow/index.html"
    ),
    "two file names with one id": Case(
        texts={"Report 1": b"a", "report-1": b"b"},
        message="gets the document id 'd-report-1'",
    ),
    "a file named like the register": Case(
        texts={"persons": LETTER},
        message="src/texts/persons.txt: the name 'persons.txt' is taken by the register of "
        "persons (persons.xml); rename the file [build.reserved-name]",
    ),
    # --- the YAML files ---
    "malformed YAML": Case(
        files={"edition.yaml": b"edition:\n  title: [unclosed\n"},
        message="src/edition.yaml:3:1:",
    ),
    "YAML that is not text": Case(
        files={"edition.yaml": b"\x89PNG\x00\x00\xff"},
        message="src/edition.yaml:1:1: the file is not UTF-8 (byte 0x89); save it as UTF-8 "
        "[config.yaml.encoding]",
    ),
    "an unknown configuration key": Case(
        files={"edition.yaml": b"edition:\n  titel: T\n"},
        message="src/edition.yaml:2:3: edition.titel: unknown key; did you mean 'title'? "
        "[config.unknown-key]",
    ),
    "metadata for a text that does not exist": Case(
        files={"edition.yaml": b"edition:\n  title: T\ndocuments:\n  leter:\n    title: X\n"},
        exit=0,
        message="src/edition.yaml: warning: documents.leter: no texts/leter.txt; did you mean "
        "'letter'? [config.documents.unknown]",
        built="site/d-letter/index.html",
    ),
    "an invalid person id": Case(
        files={"persons.yaml": b"persons:\n  - id: Ye zhov\n    name: Nikolai Yezhov\n"},
        message="src/persons.yaml:2:9: persons[0].id: expected an XML name such as 'yezhov', "
        "got 'Ye zhov' [config.persons.id]",
    ),
    "a duplicate person id": Case(
        files={"persons.yaml": b"persons:\n  - id: a\n    name: A B\n  - id: a\n    name: C D\n"},
        message="src/persons.yaml:4:9: persons[1].id: duplicate id 'a'; first given at line 2 "
        "[config.persons.duplicate-id]",
    ),
    # --- paths that try to leave the output folder, or reach outside the sources ---
    "a person id that is a path": Case(
        files={"persons.yaml": b"persons:\n  - id: ../../x\n    name: A B\n"},
        message="src/persons.yaml:2:9: persons[0].id: expected an XML name such as 'yezhov', "
        "got '../../x' [config.persons.id]",
    ),
    "a documents: key that is a path": Case(
        files={"edition.yaml": b"edition:\n  title: T\ndocuments:\n  ../../x:\n    title: X\n"},
        exit=0,
        message="[config.documents.unknown]",
        built="site/d-letter/index.html",
    ),
    "a formerly: name that is a path": Case(
        files={"edition.yaml": b"edition:\n  title: T\ndocuments:\n  letter:\n"
               b"    formerly: ['../../../x', '/etc/passwd']\n"},
        exit=0,
        built="site/d-etc-passwd/index.html",  # a slug: the redirect stays inside the site
    ),
    "an anchors.lock document id that is a path": Case(
        files={"anchors.lock": b"../../../x\tp1\t->\tp2\n"},
        message="src/anchors.lock:1:1: expected 'doc-id<TAB>id<TAB>hash<TAB>text'",
    ),
    "an anchors.lock that is not text": Case(
        files={"anchors.lock": b"d-letter\tp1\t\xff\n"},
        message="src/anchors.lock: cannot read the anchors lock: it is not UTF-8 text [anchors.read]",
    ),
    "a text that links outside the sources": Case(
        files={"link-to-secret": b""},  # made a link to ../secret.txt by the test
        message="src/texts/secret.txt: is a link to",
    ),
    "--out that is a file": Case(out="taken", message="taken: the output folder is a file"),
    "--out that is the sources folder": Case(
        out="src", message="a build replaces this folder whole, and it holds the sources"
    ),
    # --- imported TEI ---
    "imported XML that reads a file (XXE)": Case(files={"tei/xxe.xml": XXE}, message="[xml.doctype]"),
    "imported XML with an entity bomb": Case(files={"tei/bomb.xml": BOMB}, message="[xml.doctype]"),
    "imported XML that is not well-formed": Case(
        files={"tei/bad.xml": b'<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<text>\n</TEI>\n'},
        message="src/tei/bad.xml:3:7: not well-formed XML",
    ),
}


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # diagnostics name files relative to the working folder


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_bad_input(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CATALOGUE[name]
    sources = tmp_path / "src"
    (sources / "texts").mkdir(parents=True)
    for stem, data in case.texts.items():
        (sources / "texts" / f"{stem}.txt").write_bytes(data)
    for path, data in case.files.items():
        if path == "link-to-secret":
            (tmp_path / "secret.txt").write_text("a private key\n", encoding="utf-8")
            os.symlink(tmp_path / "secret.txt", sources / "texts" / "secret.txt")
            continue
        (sources / path).parent.mkdir(parents=True, exist_ok=True)
        (sources / path).write_bytes(data)
    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
    before = sorted(p for p in tmp_path.rglob("*") if "out" not in p.parts)

    code = main(["build", "src", "--out", case.out, "--no-cache"])
    err = capsys.readouterr().err

    assert code == case.exit, err
    assert case.message in err
    assert "Traceback" not in err and "internal error" not in err
    if case.exit:
        assert "nothing was written" in err
        assert not (tmp_path / "out").exists()
        assert sorted(p for p in tmp_path.rglob("*") if "out" not in p.parts) == before
    else:
        assert (tmp_path / case.out / case.built).is_file()
        written = [p for p in tmp_path.rglob("*") if p not in before]
        # Nothing outside the output folder, but the anchors lock the build keeps.
        assert all(
            p.is_relative_to(tmp_path / case.out) or p == sources / "anchors.lock" for p in written
        ), written
