"""Tests for edition.yamlfile: plain data, positions, and located YAML errors."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edition.yamlfile import format_path, parse_yaml, read_yaml


def messages(text: str) -> list[str]:
    return [d.format() for d in parse_yaml(text, "f.yaml")[1]]


# --- data and positions ------------------------------------------------------------------


def test_positions_of_keys_and_values_are_one_based() -> None:
    doc, diagnostics = parse_yaml("persons:\n  - id: yezhov\n    forms: [Yezhov, Yerev]\n", "f")
    assert diagnostics == []
    assert doc.data == {"persons": [{"id": "yezhov", "forms": ["Yezhov", "Yerev"]}]}
    assert doc.key_at(("persons", 0, "id")) == (2, 5)
    assert doc.value_at(("persons", 0, "id")) == (2, 9)
    assert doc.value_at(("persons", 0, "forms", 1)) == (3, 21)


def test_list_item_key_position_is_its_value_position() -> None:
    doc, _ = parse_yaml("- a\n- b\n", "f")
    assert doc.key_at((1,)) == doc.value_at((1,)) == (2, 3)


def test_missing_path_is_located_at_nearest_ancestor() -> None:
    doc, _ = parse_yaml("a:\n  b: 1\n", "f")
    assert doc.value_at(("a", "c", 0)) == (2, 3)
    assert doc.key_at(("a", "c")) == (2, 3)


def test_get_follows_a_path_and_gives_none_where_it_leads_nowhere() -> None:
    doc, _ = parse_yaml("a: [x, {b: 2}]\n", "f")
    assert doc.get(("a", 1, "b")) == 2
    assert doc.get(("a", 5)) is None
    assert doc.get(("a", "b")) is None


def test_dates_stay_strings_and_keys_stay_their_text() -> None:
    doc, _ = parse_yaml("date: 1936-08-28\n003: x\n000_123: y\ntrue: z\n", "f")
    assert doc.data == {"date": "1936-08-28", "003": "x", "000_123": "y", "true": "z"}


def test_plain_scalar_text_is_kept_for_numbers() -> None:
    doc, _ = parse_yaml('version: 1.10\nquoted: "1.10"\n', "f")
    assert doc.get(("version",)) == 1.1
    assert doc.text_at(("version",)) == "1.10"
    assert doc.text_at(("quoted",)) is None


def test_merge_keys_are_resolved() -> None:
    doc, diagnostics = parse_yaml("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n", "f")
    assert diagnostics == []
    assert doc.get(("other",)) == {"x": 1, "y": 2}


def test_empty_text_is_no_data_and_no_diagnostic() -> None:
    doc, diagnostics = parse_yaml("# only a comment\n", "f")
    assert doc.data is None
    assert diagnostics == []


def test_format_path() -> None:
    assert format_path(("persons", 3, "id")) == "persons[3].id"
    assert format_path(("documents", "a b", "title")) == "documents['a b'].title"
    assert format_path(()) == "top level"


# --- located errors ----------------------------------------------------------------------


def test_syntax_error_is_located_at_the_problem_mark() -> None:
    assert messages("a: b: c\n") == [
        "f.yaml:1:5: YAML syntax: mapping values are not allowed here [config.yaml.syntax]"
    ]


def test_syntax_error_names_context_of_the_problem() -> None:
    assert messages("a: [b\n") == [
        "f.yaml:2:1: YAML syntax: expected ',' or ']', but got '<stream end>' "
        "(while parsing a flow sequence) [config.yaml.syntax]"
    ]


def test_duplicate_keys_are_all_reported_at_the_repeat() -> None:
    assert messages("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n") == [
        "f.yaml:4:3: b.c: duplicate key; first given at line 3 [config.yaml.duplicate-key]",
        "f.yaml:5:1: a: duplicate key; first given at line 1 [config.yaml.duplicate-key]",
    ]


def test_first_of_duplicate_keys_is_kept() -> None:
    assert parse_yaml("a: 1\na: 2\n", "f")[0].data == {"a": 1}


def test_control_character_is_located() -> None:
    assert messages("a: b\nc: \x07\n") == [
        "f.yaml:2:4: YAML syntax: unacceptable character #x0007 [config.yaml.syntax]"
    ]


def test_recursive_alias_is_an_error_not_a_hang() -> None:
    assert messages("a: &x [*x]\n") == [
        "f.yaml:1:4: YAML syntax: an alias refers to a value that contains it [config.yaml.syntax]"
    ]


def test_alias_bomb_is_cut_short() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    found = messages("\n".join(lines) + "\n")
    assert len(found) == 1
    assert "more than 100000 values (aliases?)" in found[0]


def test_deep_nesting_is_an_error() -> None:
    assert messages("[" * 2000 + "]" * 2000) == [
        "f.yaml: YAML syntax: the document is nested too deeply [config.yaml.syntax]"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: !!int x\n", "f.yaml:1:4: YAML: 'x' is not a valid int [config.yaml.syntax]"),
        (
            "a: !!timestamp x\n",
            "f.yaml:1:4: YAML: 'x' is not a valid timestamp [config.yaml.syntax]",
        ),
        ("a: !foo [1]\n", "f.yaml:1:4: YAML: unsupported tag '!foo' [config.yaml.syntax]"),
        (
            "a: !!python/object:os.system x\n",
            "f.yaml:1:4: YAML syntax: could not determine a constructor for the tag "
            "'tag:yaml.org,2002:python/object:os.system' [config.yaml.syntax]",
        ),
        (
            "? [a]\n: b\n",
            "f.yaml:1:3: YAML: a key must be plain text, not a list or mapping [config.yaml.key]",
        ),
    ],
)
def test_bad_tags_and_keys_are_located(text: str, expected: str) -> None:
    assert messages(text) == [expected]


# --- files -------------------------------------------------------------------------------


def test_non_utf8_file_is_located_at_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    path.write_bytes(b"title: \xc3\x9cber\nauthor: \xc3\x9c G\xf6del\n")  # Latin-1 after UTF-8
    doc, diagnostics = read_yaml(path, "e.yaml")
    assert doc.data is None
    assert [d.format() for d in diagnostics] == [
        "e.yaml:2:12: the file is not UTF-8 (byte 0xf6); save it as UTF-8 [config.yaml.encoding]"
    ]


def test_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert read_yaml(path, "e.yaml")[0].data == {"a": 1}


def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    _, diagnostics = read_yaml(tmp_path, "folder.yaml")
    assert [d.code for d in diagnostics] == ["config.yaml.unreadable"]


# --- never raises ------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_data_or_diagnostics_never_an_exception(text: str) -> None:
    doc, diagnostics = parse_yaml(text, "f")
    assert all(d.path == "f" for d in diagnostics)
    if diagnostics:
        assert doc.data is None or isinstance(doc.data, dict | list | str | int | float)


@settings(max_examples=200, deadline=None)
@given(st.binary())
def test_any_bytes_give_diagnostics_never_an_exception(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.yaml"
        path.write_bytes(data)
        _, diagnostics = read_yaml(path, "f")
    assert all(d.path == "f" for d in diagnostics)
