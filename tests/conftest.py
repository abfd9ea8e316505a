"""Shared fixtures: the TEI schema, the seeds, and the ``--update-golden`` switch."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.diagnostics import EditionError

TESTS = Path(__file__).parent
SEEDS = TESTS / "fixtures" / "seeds"
GOLDEN = TESTS / "golden"


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


@pytest.fixture(scope="session")
def tei_schema() -> Path:
    """The official tei_all schema; tests that need it skip, saying why, when it cannot be fetched."""
    from edition.schema import schema_path

    try:
        return schema_path()
    except EditionError as problem:
        pytest.skip(f"the TEI schema is unavailable: {problem}")
