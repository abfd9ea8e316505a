"""Tests for edition.config_load: edition.yaml read into EditionConfig, every mistake located."""

from __future__ import annotations

import tempfile
from pathlib import Path
from textwrap import dedent
from types import MappingProxyType

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from edition.config import (
    DetectorOptions,
    DocumentMeta,
    EditionConfig,
    Licence,
    Person,
    Release,
)
from edition.config_load import load_edition_config
from edition.diagnostics import Diagnostic

DETECTORS: dict[str, dict[str, object]] = {
    "pages": {"min_gap": 1},
    "persons": {"threshold": 0.8, "stopwords": ["the"], "mode": "strict"},
    "footnotes": {},
}


def load(tmp_path: Path, text: str) -> tuple[EditionConfig, list[Diagnostic]]:
    path = tmp_path / "edition.yaml"
    path.write_text(dedent(text), encoding="utf-8")
    return load_edition_config(path, "sources/edition.yaml", "my-edition", DETECTORS)


def messages(tmp_path: Path, text: str) -> list[str]:
    return [d.format() for d in load(tmp_path, text)[1]]


# --- defaults ----------------------------------------------------------------------------


def test_missing_file_gives_defaults_and_a_warning(tmp_path: Path) -> None:
    config, diagnostics = load_edition_config(
        tmp_path / "edition.yaml", "sources/edition.yaml", "my-edition", {}
    )
    assert config == EditionConfig(title="my-edition")
    assert [d.format() for d in diagnostics] == [
        "sources/edition.yaml: warning: no edition.yaml; using defaults (title 'my-edition', "
        "language 'en', licence unstated) [config.missing]"
    ]


def test_no_path_is_the_same_as_a_missing_file() -> None:
    config, diagnostics = load_edition_config(None, "sources/edition.yaml", "x", {})
    assert config.title == "x"
    assert [d.code for d in diagnostics] == ["config.missing"]


def test_empty_file_gives_defaults_silently(tmp_path: Path) -> None:
    config, diagnostics = load(tmp_path, "# nothing yet\n")
    assert diagnostics == []
    assert config.title == "my-edition"
    assert config.language == "en"
    assert config.licence == Licence()


def test_every_known_detector_is_listed_with_its_defaults(tmp_path: Path) -> None:
    config, _ = load(tmp_path, "")
    assert list(config.detectors) == ["footnotes", "pages", "persons"]
    assert config.detector("persons") == DetectorOptions(
        True,
        MappingProxyType({"mode": "strict", "stopwords": ["the"], "threshold": 0.8}),
    )


# --- a whole, valid file -----------------------------------------------------------------


def test_a_full_file_loads(tmp_path: Path) -> None:
    config, diagnostics = load(
        tmp_path,
        """\
        edition:
          title: Stalin's Purges
          subtitle: Documents
          editors:
            - Jane Smith
            - {name: Josiah Carberry, id: jcarberry, orcid: 0000-0002-1825-0097}
          publisher: Example Press
          licence: {name: CC BY 4.0, url: https://creativecommons.org/licenses/by/4.0/}
          base_url: https://example.org/purges
          language: en-GB
          version: 1.10
          date: 2024-05-01
        documents:
          003_e5b59e6160513613:
            title: Telegram
            date: 1936-08
            first_page: 300
            licence: Public domain
        detectors:
          pages: false
          persons: {threshold: 1, stopwords: [a, an]}
        """,
    )
    assert diagnostics == []
    assert config.title == "Stalin's Purges"
    assert config.editors == (
        Person("Jane Smith"),
        Person("Josiah Carberry", "jcarberry", "0000-0002-1825-0097"),
    )
    assert config.licence == Licence("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
    assert config.base_url == "https://example.org/purges/"
    assert config.version == "1.10"
    assert config.date == "2024-05-01"
    assert config.document("003_e5b59e6160513613") == DocumentMeta(
        title="Telegram", date="1936-08", first_page="300", licence=Licence("Public domain")
    )
    assert config.detector("pages").enabled is False
    assert dict(config.detector("persons").options) == {
        "mode": "strict",
        "stopwords": ["a", "an"],
        "threshold": 1.0,
    }


def test_orcid_url_is_stored_bare(tmp_path: Path) -> None:
    config, diagnostics = load(
        tmp_path,
        """\
        edition:
          editors: [{name: J, orcid: "https://orcid.org/0000-0002-1825-0097"}]
        """,
    )
    assert diagnostics == []
    assert config.editors[0].orcid == "0000-0002-1825-0097"


# --- mistakes, each located and named ----------------------------------------------------


def test_unknown_key_suggests_the_close_one(tmp_path: Path) -> None:
    assert messages(tmp_path, "edition:\n  titel: X\n") == [
        "sources/edition.yaml:2:3: edition.titel: unknown key; did you mean 'title'? "
        "[config.unknown-key]"
    ]


def test_unknown_key_without_a_close_one_lists_the_known(tmp_path: Path) -> None:
    assert messages(tmp_path, "zzz: 1\n") == [
        "sources/edition.yaml:1:1: zzz: unknown key; expected one of 'detectors', 'documents', "
        "'edition' [config.unknown-key]"
    ]


def test_bad_language_tag(tmp_path: Path) -> None:
    assert messages(tmp_path, "edition:\n  title: T\n\n  language: english!\n") == [
        "sources/edition.yaml:4:13: edition.language: expected a language tag such as 'en' or "
        "'de-AT', got 'english!' [config.edition.language]"
    ]


@pytest.mark.parametrize("tag", ["en", "de-AT", "sr-Latn-RS", "zh-Hant", "ru-Latn", "x-pig"])
def test_good_language_tags(tmp_path: Path, tag: str) -> None:
    assert messages(tmp_path, f"edition: {{language: {tag}}}\n") == []


@pytest.mark.parametrize("tag", ["english", "en_US", "e", "de-", "12"])
def test_bad_language_tags(tmp_path: Path, tag: str) -> None:
    assert [d.code for d in load(tmp_path, f"edition: {{language: {tag}}}\n")[1]] == [
        "config.edition.language"
    ]


def test_three_mistakes_give_three_diagnostics_in_file_order(tmp_path: Path) -> None:
    assert messages(
        tmp_path,
        """\
        edition:
          title: [not, a, string]
          base_url: example.org
          date: 1936-02-30
        """,
    ) == [
        "sources/edition.yaml:2:10: edition.title: expected a non-empty string, got a list "
        "[config.edition.title]",
        "sources/edition.yaml:3:13: edition.base_url: expected an absolute http(s) URL such as "
        "'https://example.org/edition/', got 'example.org' [config.edition.base_url]",
        "sources/edition.yaml:4:9: edition.date: expected an ISO 8601 date such as '1936-08-28', "
        "'1936-08' or '1936', got '1936-02-30' [config.edition.date]",
    ]


def test_bad_values_take_their_defaults(tmp_path: Path) -> None:
    config, _ = load(tmp_path, "edition: {title: [x], language: '??'}\n")
    assert (config.title, config.language) == ("my-edition", "en")


def test_editor_mistakes(tmp_path: Path) -> None:
    assert messages(
        tmp_path,
        """\
        edition:
          editors:
            - {name: A, orcid: 0000-0002-1825-0098}
            - {id: 3x}
            - [a list]
        """,
    ) == [
        "sources/edition.yaml:3:24: edition.editors[0].orcid: expected an ORCID iD with a valid "
        "check digit (the last one), got '0000-0002-1825-0098' [config.edition.editors.orcid]",
        "sources/edition.yaml:4:7: edition.editors[1].name: missing; expected a name such as "
        "'Jane Smith' [config.edition.editors.name]",
        "sources/edition.yaml:4:12: edition.editors[1].id: expected an XML name such as 'jsmith', "
        "got '3x' [config.edition.editors.id]",
        "sources/edition.yaml:5:7: edition.editors[2]: expected a name or a mapping with 'name', "
        "'id' and 'orcid', got a list [config.edition.editors]",
    ]


def test_licence_mistakes(tmp_path: Path) -> None:
    assert messages(tmp_path, "edition:\n  licence: {name: X, url: cc.org, link: y}\n") == [
        "sources/edition.yaml:2:27: edition.licence.url: expected an absolute http(s) URL such as "
        "'https://example.org/edition/', got 'cc.org' [config.edition.licence.url]",
        "sources/edition.yaml:2:35: edition.licence.link: unknown key; expected one of 'name', "
        "'url' [config.unknown-key]",
    ]


def test_document_mistakes(tmp_path: Path) -> None:
    assert messages(
        tmp_path,
        """\
        documents:
          003_e5b59e6160513613:
            autor: Henderson
            date: August 1936
          004: just a title
        """,
    ) == [
        "sources/edition.yaml:3:5: documents.003_e5b59e6160513613.autor: unknown key; "
        "did you mean 'author'? [config.unknown-key]",
        "sources/edition.yaml:4:11: documents.003_e5b59e6160513613.date: expected an ISO 8601 "
        "date such as '1936-08-28', '1936-08' or '1936', got 'August 1936' "
        "[config.documents.date]",
        "sources/edition.yaml:5:8: documents.004: expected a mapping, got 'just a title' "
        "[config.documents]",
    ]


def test_detector_mistakes(tmp_path: Path) -> None:
    assert messages(
        tmp_path,
        """\
        detectors:
          page: {enabled: false}
          pages: {min_gap: 2.5, enabled: 'no'}
          persons: {treshold: 0.5, stopwords: the}
        """,
    ) == [
        "sources/edition.yaml:2:3: detectors.page: unknown detector; did you mean 'pages'? "
        "[config.unknown-key]",
        "sources/edition.yaml:3:20: detectors.pages.min_gap: expected an integer, got 2.5 "
        "[config.detectors]",
        "sources/edition.yaml:3:34: detectors.pages.enabled: expected true or false, got 'no' "
        "[config.detectors]",
        "sources/edition.yaml:4:13: detectors.persons.treshold: unknown option; "
        "did you mean 'threshold'? [config.unknown-key]",
        "sources/edition.yaml:4:39: detectors.persons.stopwords: expected a list, got 'the' "
        "[config.detectors]",
    ]


def test_top_level_not_a_mapping(tmp_path: Path) -> None:
    assert messages(tmp_path, "- title: X\n") == [
        "sources/edition.yaml:1:1: top level: expected a mapping with the keys 'edition', "
        "'documents' and 'detectors', got a list [config]"
    ]


def test_section_not_a_mapping(tmp_path: Path) -> None:
    assert messages(tmp_path, "edition: My Edition\n") == [
        "sources/edition.yaml:1:10: edition: expected a mapping, got 'My Edition' [config.edition]"
    ]


def test_yaml_errors_come_through(tmp_path: Path) -> None:
    config, diagnostics = load(tmp_path, "edition:\n  title: 'unclosed\n")
    assert config.title == "my-edition"
    assert [d.code for d in diagnostics] == ["config.yaml.syntax"]


# --- never raises ------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_a_config_and_diagnostics_never_an_exception(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "edition.yaml"
        path.write_text(text, encoding="utf-8")
        config, diagnostics = load_edition_config(path, "e", "f", DETECTORS)
    assert isinstance(config, EditionConfig)
    assert all(d.path == "e" for d in diagnostics)


KEYS = st.sampled_from(
    [
        "edition",
        "documents",
        "detectors",
        "title",
        "editors",
        "licence",
        "name",
        "url",
        "language",
        "date",
        "pages",
        "persons",
        "min_gap",
        "enabled",
        "threshold",
        "stopwords",
        "x",
    ]
)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=4))
def test_any_shaped_data_gives_diagnostics_never_an_exception(data: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "edition.yaml"
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        config, _ = load_edition_config(path, "e", "f", DETECTORS)
    assert isinstance(config, EditionConfig)


# --- releases and renamed documents ------------------------------------------------------


def test_releases_load_in_the_order_written(tmp_path: Path) -> None:
    config, problems = load(
        tmp_path,
        """\
        edition:
          version: 1.1
          releases:
            - {version: 1.1, date: 2026-03-01, note: Two letters added.}
            - {version: 1.0, date: 2025-12-24}
        """,
    )
    assert problems == []
    assert config.releases == (
        Release("1.1", "2026-03-01", "Two letters added."),
        Release("1.0", "2025-12-24"),
    )


def test_release_mistakes(tmp_path: Path) -> None:
    assert messages(
        tmp_path,
        """\
        edition:
          releases:
            - {date: 2026-03-01}
            - {version: '1.0', date: March}
            - {version: '1.0'}
            - 1.2
        """,
    ) == [
        "sources/edition.yaml:3:7: edition.releases[0].version: missing; expected a version "
        "such as '1.2' [config.edition.releases.version]",
        "sources/edition.yaml:4:30: edition.releases[1].date: expected an ISO 8601 date such as "
        "'1936-08-28', '1936-08' or '1936', got 'March' [config.edition.releases.date]",
        "sources/edition.yaml:5:17: edition.releases[2].version: version '1.0' is listed "
        "before, as releases[1] [config.edition.releases]",
        "sources/edition.yaml:6:7: edition.releases[3]: expected a mapping with 'version', "
        "'date' and 'note', got 1.2 [config.edition.releases]",
    ]


def test_formerly_takes_one_name_or_a_list(tmp_path: Path) -> None:
    config, problems = load(
        tmp_path,
        """\
        documents:
          letter: {formerly: 007_letter}
          telegram: {formerly: [003_old, '004']}
        """,
    )
    assert problems == []
    assert config.renames() == {"007_letter": "letter", "003_old": "telegram", "004": "telegram"}


def test_formerly_mistakes(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "kept.txt").write_text("x", encoding="utf-8")
    assert messages(
        tmp_path,
        """\
        documents:
          letter: {formerly: [letter, old]}
          telegram: {formerly: [old, kept]}
          note: {formerly: {a: b}}
        """,
    ) == [
        "sources/edition.yaml:2:23: documents.letter.formerly[0]: 'letter' is the document's "
        "own name [config.documents.formerly]",
        "sources/edition.yaml:3:25: documents.telegram.formerly[0]: 'old' is already an earlier "
        "name of 'letter' [config.documents.formerly]",
        "sources/edition.yaml:3:30: documents.telegram.formerly[1]: 'kept' still has a text "
        "(texts/kept.txt); remove it or the rename [config.documents.formerly]",
        "sources/edition.yaml:4:20: documents.note.formerly: expected a file name without "
        ".txt, or a list of them, got a mapping [config.documents.formerly]",
    ]
