"""Tests for edition.persons: persons.yaml read into a Personography, every mistake located."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from textwrap import dedent

from hypothesis import given, settings
from hypothesis import strategies as st

from edition.diagnostics import Diagnostic
from edition.persons import Personography, PersonRecord, load_persons


def load(tmp_path: Path, text: str) -> tuple[Personography, list[Diagnostic]]:
    path = tmp_path / "persons.yaml"
    path.write_text(dedent(text), encoding="utf-8")
    return load_persons(path, "persons.yaml")


def messages(tmp_path: Path, text: str) -> list[str]:
    return [d.format() for d in load(tmp_path, text)[1]]


def test_missing_file_is_an_empty_register_and_no_diagnostic(tmp_path: Path) -> None:
    assert load_persons(tmp_path / "persons.yaml", "persons.yaml") == (Personography(), [])
    assert load_persons(None, "persons.yaml") == (Personography(), [])


def test_the_documented_format_loads(tmp_path: Path) -> None:
    people, diagnostics = load(
        tmp_path,
        """\
        persons:
          - id: yezhov               # an XML name (NCName); lowercase recommended
            name: Nikolai Yezhov     # display name, forename first
            forms: [Yezhov]          # optional: forms used in running text
            variants: [Yerev]        # optional: known variant or garbled spellings
          - id: zinoviev
            name: Grigory Zinoviev
            birth: 1883-09-23
            death: 1936-08-25
            description: Chairman of the Comintern
            roles: [defendant]
            authority: {wikidata: Q182805, viaf: 29555887, gnd: "118637282", lc: n80038223}
        """,
    )
    assert diagnostics == []
    assert [p.id for p in people] == ["yezhov", "zinoviev"]
    assert people.get("yezhov") == PersonRecord(
        "yezhov", "Nikolai Yezhov", forms=("Yezhov",), variants=("Yerev",)
    )
    zinoviev = people.by_id["zinoviev"]
    assert zinoviev.birth == "1883-09-23"
    assert zinoviev.roles == ("defendant",)
    assert dict(zinoviev.authority) == {
        "gnd": "118637282",
        "lc": "n80038223",
        "viaf": "29555887",
        "wikidata": "Q182805",
    }
    assert zinoviev.line == 6
    assert people.get("nobody") is None


def test_names_are_the_display_name_then_forms_without_repeats() -> None:
    person = PersonRecord("k", "Kamenev", forms=("Kamenev", "Lev Kamenev"))
    assert person.names == ("Kamenev", "Lev Kamenev")


def test_id_not_an_xml_name(tmp_path: Path) -> None:
    text = "persons:\n" + "".join(
        f"- id: p{i}\n  name: P\n  forms: [P]\n  variants: []\n" for i in range(3)
    )
    text += "- id: Ye zhov\n  name: Nikolai Yezhov\n"
    assert messages(tmp_path, text) == [
        "persons.yaml:14:7: persons[3].id: expected an XML name such as 'yezhov', got 'Ye zhov' "
        "[config.persons.id]"
    ]


def test_duplicate_id_names_the_first_line(tmp_path: Path) -> None:
    assert messages(
        tmp_path,
        """\
        persons:
          - {id: yezhov, name: Nikolai Yezhov}
          - {id: kamenev, name: Lev Kamenev}
          - {id: yezhov, name: Another}
        """,
    ) == [
        "persons.yaml:4:10: persons[2].id: duplicate id 'yezhov'; first given at line 2 "
        "[config.persons.duplicate-id]"
    ]


def test_every_mistake_is_reported_at_once(tmp_path: Path) -> None:
    assert messages(
        tmp_path,
        """\
        persons:
          - id: yezhov
            forms: [Yezhov, ""]
            variants: Yerev
            nmae: Nikolai Yezhov
            birth: 1895-13
            authority: {wikidata: 312, vaif: "1"}
        """,
    ) == [
        "persons.yaml:2:5: persons[0].name: missing; expected a display name such as "
        "'Nikolai Yezhov' [config.persons.name]",
        "persons.yaml:3:21: persons[0].forms[1]: expected a non-empty string, got '' "
        "[config.persons.forms]",
        "persons.yaml:4:15: persons[0].variants: expected a list of non-empty strings such as "
        "[Yezhov], got 'Yerev' [config.persons.variants]",
        "persons.yaml:5:5: persons[0].nmae: unknown key; did you mean 'name'? [config.unknown-key]",
        "persons.yaml:6:12: persons[0].birth: expected an ISO 8601 date such as '1936-08-28', "
        "'1936-08' or '1936', got '1895-13' [config.persons.birth]",
        "persons.yaml:7:27: persons[0].authority.wikidata: expected a Wikidata id such as 'Q42', "
        "got 312 [config.persons.authority]",
        "persons.yaml:7:32: persons[0].authority.vaif: unknown key; did you mean 'viaf'? "
        "[config.unknown-key]",
    ]


def test_variant_that_is_another_persons_form_is_a_warning(tmp_path: Path) -> None:
    assert messages(
        tmp_path,
        """\
        persons:
          - {id: yezhov, name: Nikolai Yezhov, forms: [Yezhov], variants: [Yenov]}
          - {id: yenov, name: Ivan Yenov, forms: [Yenov]}
        """,
    ) == [
        "persons.yaml:2:68: warning: persons[0].variants[0]: 'Yenov' is also a regular form of "
        "'yenov' (line 3); the text cannot tell them apart [config.persons.ambiguous-variant]"
    ]


def test_shape_mistakes(tmp_path: Path) -> None:
    assert messages(tmp_path, "persons: {id: x}\nperson: []\n") == [
        "persons.yaml:1:10: persons: expected a list of persons, each a mapping with 'id' and "
        "'name', got a mapping [config.persons]",
        "persons.yaml:2:1: person: unknown key; did you mean 'persons'? [config.unknown-key]",
    ]
    assert messages(tmp_path, "persons: [yezhov]\n") == [
        "persons.yaml:1:11: persons[0]: expected a mapping with 'id' and 'name', got 'yezhov' "
        "[config.persons]"
    ]
    assert messages(tmp_path, "[yezhov]\n") == [
        "persons.yaml:1:1: top level: expected a mapping with the key 'persons', got a list "
        "[config.persons]"
    ]


def test_empty_file_is_an_empty_register(tmp_path: Path) -> None:
    assert load(tmp_path, "persons:\n") == (Personography(), [])


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_diagnostics_never_an_exception(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "persons.yaml"
        path.write_text("persons:\n" + text, encoding="utf-8")
        people, diagnostics = load_persons(path, "p")
    assert isinstance(people, Personography)
    assert all(d.path == "p" for d in diagnostics)


FIELDS = st.sampled_from(["id", "name", "forms", "variants", "birth", "authority", "wikidata"])
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(FIELDS, inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(FIELDS, VALUES, max_size=5), max_size=4))
def test_any_shaped_records_give_diagnostics_never_an_exception(records: list[object]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "persons.yaml"
        path.write_text(json.dumps({"persons": records}), encoding="utf-8")  # JSON is YAML
        people, _ = load_persons(path, "p")
    assert isinstance(people, Personography)
