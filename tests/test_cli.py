"""The command line end to end: builds, located errors, exit codes, untouched output on failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from edition.cli import main

from .conftest import SEEDS, build_lock_held, published


def make_sources(root: Path, texts: dict[str, bytes] | None = None, **yaml_files: str) -> Path:
    sources = root / "src"
    (sources / "texts").mkdir(parents=True)
    for name, data in (texts or {"letter": b"A Letter\n\nDear Sir, I write to you.\n"}).items():
        (sources / "texts" / f"{name}.txt").write_bytes(data)
    for name, content in yaml_files.items():
        (sources / f"{name}.yaml").write_text(content, encoding="utf-8")
    return sources


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().err


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # diagnostics name files relative to the working folder


def test_build_writes_one_tei_file_per_text_and_a_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = {p.stem: p.read_bytes() for p in SEEDS.glob("*.txt")}
    sources = make_sources(tmp_path, texts, edition="edition:\n  title: T\n")
    code, err = run(capsys, "build", str(sources), "--out", "out")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "out" / "tei").iterdir()) == sorted(
        [*(f"{n}.xml" for n in texts), "corpus.xml"]
    )
    assert (tmp_path / "out" / "site" / "index.html").exists()
    assert (tmp_path / "out" / "site" / "d-003-e5b59e6160513613" / "index.html").exists()


def test_two_builds_are_byte_identical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sources = make_sources(tmp_path, edition="edition:\n  title: T\n")
    snapshots = []
    for out in ("a", "b"):
        assert run(capsys, "build", str(sources), "--out", out)[0] == 0
        snapshots.append(published(tmp_path / out))
    assert snapshots[0] == snapshots[1]


def test_missing_edition_yaml_is_a_warning_with_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run(capsys, "build", str(make_sources(tmp_path)), "--out", "out")
    assert code == 0
    assert "src/edition.yaml: warning: no edition.yaml; using defaults" in err
    assert (
        run(capsys, "build", str(make_sources(tmp_path / "again")), "--out", "o2", "--strict")[0]
        == 1
    )


def test_bad_person_id_is_reported_located_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    persons = "persons:\n  - id: Ye zhov\n    name: Nikolai Yezhov\n"
    code, err = run(capsys, "build", str(make_sources(tmp_path, persons=persons)), "--out", "out")
    assert code == 1
    assert (
        "src/persons.yaml:2:9: persons[0].id: expected an XML name such as 'yezhov', "
        "got 'Ye zhov' [config.persons.id]"
    ) in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_malformed_yaml_is_a_located_syntax_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run(
        capsys,
        "build",
        str(make_sources(tmp_path, edition="edition:\n  title: [unclosed\n")),
        "--out",
        "out",
    )
    assert code == 1
    assert "src/edition.yaml:3:1:" in err and "[config.yaml.syntax]" in err


def test_every_error_is_reported_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = {"good": b"Fine.", "bad": b"caf\xe9\xff\xfe\x00"}
    sources = make_sources(tmp_path, texts, edition="edition:\n  titel: T\n")
    code, err = run(capsys, "build", str(sources), "--out", "out")
    assert code == 1
    assert (
        "src/edition.yaml:2:3: edition.titel: unknown key; did you mean 'title'? [config.unknown-key]"
        in err
    )
    assert "src/texts/bad.txt:" in err


def test_undecodable_text_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = make_sources(tmp_path, {"bad": b"line one\nline \xff\xfe two\x81\x82"})
    code, err = run(capsys, "build", str(sources), "--out", "out")
    assert code == 1
    assert (
        "src/texts/bad.txt:2:6: cannot decode byte 0xff as UTF-8, and the encoding could not be "
        "detected with confidence; save the file as UTF-8 [source.encoding]"
    ) in err


def test_failed_build_leaves_the_previous_output_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = make_sources(tmp_path)
    assert run(capsys, "build", str(sources), "--out", "out")[0] == 0
    before = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    (sources / "texts" / "letter.txt").write_bytes(b"broken \x00 text")
    assert run(capsys, "build", str(sources), "--out", "out")[0] == 1
    after = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["site", "tei"]


def test_file_names_that_slug_alike_are_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = make_sources(tmp_path, {"Report 1": b"a", "report-1": b"b"})
    code, err = run(capsys, "build", str(sources), "--out", "out")
    assert code == 1
    assert "gets the document id 'd-report-1'" in err and "[build.duplicate-id]" in err


def test_file_name_that_is_not_an_id_still_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = make_sources(tmp_path, {"1936 report – Moscow": b"Text of the report."})
    assert run(capsys, "build", str(sources), "--out", "out")[0] == 0
    assert (tmp_path / "out" / "tei" / "1936 report – Moscow.xml").exists()
    assert (tmp_path / "out" / "site" / "d-1936-report-moscow" / "index.html").exists()


def test_a_folder_without_texts_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    code, err = run(capsys, "build", "empty", "--out", "out")
    assert code == 1 and "[build.no-texts]" in err


def test_init_creates_an_edition_that_builds_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "init", "mine")[0] == 0
    code, err = run(capsys, "build", "mine", "--out", "out", "--strict")
    assert code == 0, err
    assert run(capsys, "init", "mine")[0] == 1  # never overwrites


def test_validate_refuses_a_doctype_with_entities(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xxe = tmp_path / "xxe.xml"
    xxe.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<TEI xmlns="http://www.tei-c.org/ns/1.0">&x;</TEI>\n',
        encoding="utf-8",
    )
    code, err = run(capsys, "validate", str(xxe))
    assert code == 1
    assert "[xml.doctype]" in err and "root:" not in err


def test_no_traceback_reaches_the_user(tmp_path: Path) -> None:
    sources = make_sources(tmp_path, {"bad": b"\x00\x01\x02"}, edition=": : :\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    done = subprocess.run(
        [sys.executable, "-m", "edition", "build", str(sources), "--out", "out"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "nothing was written" in done.stderr


def test_the_command_ends_at_once_with_its_output_said_and_its_code(tmp_path: Path) -> None:
    # `run` leaves without Python's teardown (os._exit): what was printed to a pipe, held
    # in its buffer until then, must still arrive, and the exit code be main's.
    sources = make_sources(tmp_path, {"a": b"Title\n\nYezhov came. Then Yerev left.\n"},
                           edition="edition:\n  title: T\n",
                           persons="persons:\n  - id: yezhov\n    name: Nikolai Yezhov\n")  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    env.pop("PYTHONUNBUFFERED", None)  # buffered, as standard output to a pipe is by default
    command = [sys.executable, "-m", "edition", "review", str(sources), "--out", str(tmp_path / "r.html")]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert "Yerev" in done.stdout  # the table, on standard output
    assert done.stderr.rstrip().endswith("r.html")  # the last line, said after it
    command[4] = str(tmp_path / "missing")
    failed = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert failed.returncode == 1 and "missing" in failed.stderr


def test_metadata_for_a_text_that_does_not_exist_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = make_sources(
        tmp_path, edition="edition:\n  title: T\ndocuments:\n  leter:\n    title: X\n"
    )
    code, err = run(capsys, "build", str(sources), "--out", "out")
    assert code == 0
    assert (
        "src/edition.yaml: warning: documents.leter: no texts/leter.txt; did you mean 'letter'? "
        "[config.documents.unknown]"
    ) in err


def test_render_makes_a_site_from_tei_files_taking_turns_with_builds_into_its_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import threading
    import time

    sources = make_sources(tmp_path)
    assert run(capsys, "build", str(sources), "--out", "out", "--no-validate", "--no-search")[0] == 0
    with build_lock_held(Path("out")):  # a build of out/ under way
        codes: list[int] = []
        rendering = threading.Thread(
            target=lambda: codes.append(main(["render", "out/tei", "--out", "out/site", "--no-search"]))
        )
        rendering.start()
        time.sleep(1.0)
        assert rendering.is_alive() and not codes  # waits for the build
    rendering.join(timeout=60)
    assert codes == [0]
    assert (tmp_path / "out" / "site" / "d-letter" / "index.html").is_file()
