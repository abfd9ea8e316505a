"""Shared fixtures: the TEI schema, the seeds, a small edition's sources, the ``--update-golden`` switch."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from edition.diagnostics import EditionError

TESTS = Path(__file__).parent
SEEDS = TESTS / "fixtures" / "seeds"
GOLDEN = TESTS / "golden"


@contextlib.contextmanager
def build_lock_held(folder: Path) -> Iterator[None]:
    """Hold the lock a build into ``folder`` holds (`edition.outlock`), as another build would."""
    import fcntl

    from edition.outlock import lock_file

    lock = lock_file(folder)
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        yield


def published(out: Path) -> dict[str, bytes]:
    """What a build publishes — every file under ``out/tei`` and ``out/site`` — by relative path.

    Staging folders and caches beside them are left out: they are not output.
    """
    return {
        str(p.relative_to(out)): p.read_bytes()
        for folder in ("tei", "site")
        for p in sorted((out / folder).rglob("*"))
        if p.is_file()
    }


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output (review the diff by eye)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A small edition's sources: the seeds, a letter naming Yezhov, and Yezhov in the register."""
    folder = tmp_path / "src"
    (folder / "texts").mkdir(parents=True)
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, folder / "texts" / path.name)
    (folder / "texts" / "letter.txt").write_text(
        "A Letter\n\nDear Sir, Yezhov wrote.", encoding="utf-8"
    )
    (folder / "edition.yaml").write_text(
        "edition:\n  title: T\n  date: 2026-01-01\n", encoding="utf-8"
    )
    (folder / "persons.yaml").write_text(
        "persons:\n  - id: yezhov\n    name: Nikolai Yezhov\n", encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="session")
def tei_schema() -> Path:
    """The official tei_all schema; tests that need it skip, saying why, when it cannot be fetched."""
    from edition.schema import schema_path

    try:
        return schema_path()
    except EditionError as problem:
        pytest.skip(f"the TEI schema is unavailable: {problem}")
