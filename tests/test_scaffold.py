"""Tests for edition.scaffold: `edition init` makes a sources folder that loads cleanly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from edition.config_load import load_edition_config
from edition.corrections import load_corrections
from edition.diagnostics import EditionError
from edition.persons import load_persons
from edition.scaffold import init_edition

DETECTORS: dict[str, dict[str, object]] = {"pages": {}}

# A commented-out YAML line of the scaffold, e.g. "  # subtitle: Documents", "#   - Jane Smith";
# prose comments start with a capital or have no "key:" ("# The licence: a name, ...").
COMMENTED_YAML = re.compile(r"^(\s*)# (\s*(?:[a-z_]+:(?:\s|$)|- ))", re.MULTILINE)


def load_all(folder: Path) -> list[str]:
    _, edition = load_edition_config(folder / "edition.yaml", "edition.yaml", "x", DETECTORS)
    _, persons = load_persons(folder / "persons.yaml", "persons.yaml")
    _, corrections = load_corrections(folder / "corrections.yaml", "corrections.yaml")
    return [d.format() for d in edition + persons + corrections]


def test_init_creates_the_files_and_returns_them_sorted(tmp_path: Path) -> None:
    target = tmp_path / "new"
    written = init_edition(target)
    assert written == [
        target / "corrections.yaml",
        target / "edition.yaml",
        target / "persons.yaml",
        target / "texts" / "example.txt",
    ]
    assert all(path.is_file() and path.read_text(encoding="utf-8") for path in written)


def test_init_into_an_empty_folder(tmp_path: Path) -> None:
    assert len(init_edition(tmp_path)) == 4


def test_the_new_files_load_with_no_diagnostic(tmp_path: Path) -> None:
    init_edition(tmp_path)
    assert load_all(tmp_path) == []


def test_the_new_files_still_load_with_every_optional_key_uncommented(tmp_path: Path) -> None:
    init_edition(tmp_path)
    for name in ("edition.yaml", "persons.yaml", "corrections.yaml"):
        path = tmp_path / name
        text = path.read_text(encoding="utf-8")
        uncommented = COMMENTED_YAML.sub(r"\1\2", text)
        assert uncommented != text
        path.write_text(uncommented, encoding="utf-8")
    assert load_all(tmp_path) == []


def test_the_example_document_is_described_in_edition_yaml(tmp_path: Path) -> None:
    init_edition(tmp_path)
    config, _ = load_edition_config(tmp_path / "edition.yaml", "e", "x", DETECTORS)
    assert list(config.documents) == [p.stem for p in (tmp_path / "texts").iterdir()]


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(EditionError) as raised:
        init_edition(tmp_path)
    assert [d.format() for d in raised.value.diagnostics] == [
        f"{tmp_path}: cannot create an edition here: the folder is not empty; "
        "choose a new folder [init.exists]"
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_init_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("", encoding="utf-8")
    with pytest.raises(EditionError) as raised:
        init_edition(target)
    assert [d.code for d in raised.value.diagnostics] == ["init.exists"]
