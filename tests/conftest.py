"""Shared fixtures: the TEI schema, the seeds, and the ``--update-golden`` switch."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.diagnostics import EditionError

TESTS = Path(__file__).parent
SEEDS = TESTS / "fixtures" / "seeds"
GOLDEN = TESTS / "golden"


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
