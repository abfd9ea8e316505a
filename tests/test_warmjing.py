"""A Jing kept running for a process that builds again and again (`edition serve`)."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from edition import validate, warmjing
from edition.diagnostics import Diagnostic
from edition.pipeline import BuildOptions, build_edition
from edition.validate import PendingValidation, keep_jing_warm

SOURCES = Path(__file__).parents[1] / "sources"
VALID = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
<publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc></teiHeader>
<text><body><p>Text</p></body></text></TEI>
"""


@pytest.fixture(autouse=True)
def _none_kept() -> Iterator[None]:
    """Each test starts and ends with no Jing kept, and none given up on."""
    keep_jing_warm(False)
    warmjing._failures = 0
    yield
    keep_jing_warm(False)
    warmjing._failures = 0


@pytest.fixture
def jdk(tei_schema: Path) -> None:
    """The kept Jing runs from its source: Java's compiler must be there (any JDK; not a bare JRE)."""
    if not shutil.which("java") or not shutil.which("javac"):
        pytest.skip("a kept Jing needs a JDK (java and its compiler)")


def files(tmp_path: Path) -> list[Path]:
    """A valid file, one with an element tei_all does not allow, one not well-formed: each never
    seen before (a file found valid once is not checked again, whatever checked it)."""
    made = []
    for name, text in [("ok.xml", VALID), ("bad.xml", VALID.replace("<p>Text</p>", "<p>Text<foo/></p>")),
                       ("broken.xml", VALID.replace("</TEI>", ""))]:  # fmt: skip
        (tmp_path / name).write_text(f"{text}<!-- {uuid.uuid4().hex} -->", encoding="utf-8")
        made.append(tmp_path / name)
    return made


def check(paths: list[Path]) -> list[Diagnostic]:
    pending = PendingValidation(paths, lambda p: f"tei/{p.name}", well_formed=True, shas=None)
    return pending.result()


def said(problems: list[Diagnostic]) -> list[tuple[object, ...]]:
    return [(d.path, d.line, d.col, d.code, d.message) for d in problems]


def test_a_kept_jing_reports_what_a_one_off_run_does_batch_after_batch(
    jdk: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = files(tmp_path)
    once = check(paths)
    handed = tmp_path / "handed"  # where the batches' lists and reports are written
    handed.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(handed))
    assert {d.path for d in once} >= {"tei/bad.xml", "tei/broken.xml"}
    keep_jing_warm(True)
    kept = warmjing._kept
    assert kept is not None and kept.process.poll() is None  # started at once: tei_all loads meanwhile
    assert said(check(paths)) == said(once)
    assert said(check(paths[1:2])) == [s for s in said(once) if s[0] == "tei/bad.xml"]  # this batch's alone
    assert check(paths[:1]) == []
    assert warmjing._kept is kept and kept.process.poll() is None  # one server for every batch
    assert not list(handed.iterdir())  # each batch's files removed once read


def test_a_kept_jing_that_cannot_start_gives_way_to_one_off_runs(
    tei_schema: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not shutil.which("java"):
        pytest.skip("Jing needs Java")
    paths = files(tmp_path)
    once = check(paths)
    (tmp_path / "JingServer.java").write_text("class JingServer { not Java }", encoding="utf-8")
    monkeypatch.setattr(warmjing, "SOURCE", tmp_path / "JingServer.java")
    keep_jing_warm(True)
    assert said(check(paths)) == said(once)
    assert said(check(paths)) == said(once)
    assert warmjing._failures == warmjing.TRIES  # and no more servers are started
    assert warmjing.warm_check(paths) is None and warmjing._kept is None


def test_a_kept_jing_that_dies_during_a_batch_gives_way_to_a_one_off_run(jdk: None, tmp_path: Path) -> None:
    paths = files(tmp_path)
    once = check(paths)
    keep_jing_warm(True)
    pending = PendingValidation(paths, lambda p: f"tei/{p.name}", well_formed=True, shas=None)
    assert pending.jing is not None and pending.jing.batch is not None
    kept = warmjing._kept
    assert kept is not None
    kept.process.kill()
    assert said(pending.result()) == said(once)
    assert warmjing._failures == 1 and warmjing._kept is None
    assert said(check(paths)) == said(once)  # a new server for the next check
    assert warmjing._kept is not None and warmjing._kept is not kept


def test_resident_builds_keep_one_jing_and_a_one_off_build_stops_it(
    jdk: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[warmjing.Batch | None] = []

    def counted(paths: Sequence[Path]) -> warmjing.Batch | None:
        batches.append(checked(paths))
        return batches[-1]

    checked = warmjing.warm_check
    monkeypatch.setattr(validate, "warm_check", counted)
    sources = shutil.copytree(SOURCES, tmp_path / "sources")
    text = sorted((sources / "texts").glob("*.txt"))[0]

    def edit() -> None:
        # Words never built before: a text found valid once (by any build here) is not checked again.
        text.write_text(text.read_text(encoding="utf-8") + f"\nA line added: {uuid.uuid4().hex}.\n",
                        encoding="utf-8")  # fmt: skip

    options = BuildOptions(sources, tmp_path / "out", search=False, jobs=1, resident=True, cache=False)
    edit()
    build_edition(options)
    kept = warmjing._kept
    assert kept is not None and kept.process.poll() is None
    edit()
    build_edition(options)
    assert warmjing._kept is kept and kept.process.poll() is None
    assert len(batches) == 2 and all(batches)  # each build's check on the one server
    edit()
    build_edition(BuildOptions(sources, tmp_path / "out", search=False, jobs=1, cache=False))
    assert warmjing._kept is None and kept.process.poll() is not None
    assert len(batches) == 3 and batches[-1] is None  # a one-off build runs Jing once, as ever
