"""Tests for edition.corrections: corrections.yaml read into Corrections, and their lookup."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from textwrap import dedent

from hypothesis import given, settings
from hypothesis import strategies as st

from edition.corrections import Correction, Corrections, load_corrections
from edition.diagnostics import Diagnostic


def load(tmp_path: Path, text: str) -> tuple[Corrections, list[Diagnostic]]:
    path = tmp_path / "corrections.yaml"
    path.write_text(dedent(text), encoding="utf-8")
    return load_corrections(path, "corrections.yaml")


def messages(tmp_path: Path, text: str) -> list[str]:
    return [d.format() for d in load(tmp_path, text)[1]]


# --- loading -----------------------------------------------------------------------------


def test_missing_file_is_no_corrections_and_no_diagnostic(tmp_path: Path) -> None:
    assert load_corrections(tmp_path / "corrections.yaml", "c") == (Corrections(), [])
    assert load_corrections(None, "c") == (Corrections(), [])


def test_the_documented_format_loads(tmp_path: Path) -> None:
    corrections, diagnostics = load(
        tmp_path,
        """\
        corrections:
          - {sic: tbe, corr: the}
          - {sic: criticise, status: rejected}
          - {sic: To-Dj, corr: Todj, documents: [000_1f1a60356441ad05], note: misprint}
        glossary: [Narkomindel]
        """,
    )
    assert diagnostics == []
    assert list(corrections) == [
        Correction("tbe", "the"),
        Correction("criticise", status="rejected"),
        Correction("To-Dj", "Todj", documents=("000_1f1a60356441ad05",), note="misprint"),
        Correction("Narkomindel", status="rejected", note="glossary"),
    ]
    assert [c.line for c in corrections] == [2, 3, 4, 5]


def test_every_mistake_is_reported_at_once(tmp_path: Path) -> None:
    assert messages(
        tmp_path,
        """\
        corrections:
          - {sic: tbe, corr: the}
          - {sic: teh}
          - {sic: ok, corr: no, status: rejected, documnets: [a]}
          - {sic: x, corr: x, status: maybe, context: y}
          - {corr: the}
          - {sic: tbe, corr: the}
        glossary: [Narkomindel, ""]
        """,
    ) == [
        "corrections.yaml:3:5: corrections[1].corr: missing; expected the corrected reading, "
        "or 'status: rejected' [config.corrections.corr]",
        "corrections.yaml:4:21: corrections[2].corr: a rejected correction has no corrected "
        "reading; remove it [config.corrections.corr]",
        "corrections.yaml:4:43: corrections[2].documnets: unknown key; did you mean 'documents'? "
        "[config.unknown-key]",
        "corrections.yaml:5:20: warning: corrections[3].corr: the same as sic ('x'); the "
        "correction changes nothing [config.corrections.unchanged]",
        "corrections.yaml:5:31: corrections[3].status: expected 'accepted' or 'rejected', "
        "got 'maybe' [config.corrections.status]",
        "corrections.yaml:5:47: corrections[3].context: expected a phrase containing 'x', "
        "got 'y' [config.corrections.context]",
        "corrections.yaml:6:5: corrections[4].sic: missing; expected the word as the source has "
        "it, such as 'tbe' [config.corrections.sic]",
        "corrections.yaml:7:5: corrections[5]: 'tbe' is already listed, with the same documents "
        "and context, at line 2 [config.corrections.duplicate]",
        "corrections.yaml:8:25: glossary[1]: expected a non-empty string, got '' "
        "[config.corrections.glossary]",
    ]


def test_the_same_word_in_other_documents_is_no_duplicate(tmp_path: Path) -> None:
    assert (
        messages(
            tmp_path,
            """\
        corrections:
          - {sic: tbe, corr: the}
          - {sic: tbe, corr: Tbe, documents: [a]}
          - {sic: tbe, corr: the, context: in tbe end}
        """,
        )
        == []
    )


def test_shape_mistakes(tmp_path: Path) -> None:
    assert messages(tmp_path, "corrections: {sic: tbe}\nglosary: []\n") == [
        "corrections.yaml:1:14: corrections: expected a list of corrections such as "
        "[{sic: tbe, corr: the}], got a mapping [config.corrections]",
        "corrections.yaml:2:1: glosary: unknown key; did you mean 'glossary'? [config.unknown-key]",
    ]
    assert messages(tmp_path, "corrections: [tbe]\nglossary: word\n") == [
        "corrections.yaml:1:15: corrections[0]: expected a mapping such as {sic: tbe, corr: the}, "
        "got 'tbe' [config.corrections]",
        "corrections.yaml:2:11: glossary: expected a list of words such as [criticise], "
        "got 'word' [config.corrections.glossary]",
    ]


# --- lookup ------------------------------------------------------------------------------

EVERYWHERE = Correction("tbe", "the")
IN_A = Correction("tbe", "Tbe", documents=("a",))
IN_CONTEXT = Correction("tbe", "TBE", context="in tbe end")


def test_lookup_prefers_the_most_specific() -> None:
    corrections = Corrections((EVERYWHERE, IN_A, IN_CONTEXT))
    text = "so in tbe end, tbe"
    assert corrections.lookup("tbe", "a", text, 6) == IN_CONTEXT
    assert corrections.lookup("tbe", "a", text, 15) == IN_A
    assert corrections.lookup("tbe", "b", text, 15) == EVERYWHERE
    assert corrections.lookup("tbe", "b") == EVERYWHERE
    assert corrections.lookup("teh", "b") is None


def test_context_corrections_need_the_text() -> None:
    corrections = Corrections((IN_CONTEXT,))
    assert corrections.lookup("tbe", "a") is None
    assert corrections.lookup("tbe", "a", "tbe end", 0) is None


def test_matches_at_finds_sic_anywhere_in_its_context() -> None:
    twice = Correction("a", "b", context="a cat a")
    assert twice.matches_at("a cat a", 0)
    assert twice.matches_at("a cat a", 6)
    assert not twice.matches_at("a cat a", 2)
    assert not twice.matches_at("cat a", 4)


def test_for_document_and_status() -> None:
    corrections = Corrections((EVERYWHERE, IN_A, Correction("x", status="rejected")))
    assert corrections.for_document("b") == (EVERYWHERE, Correction("x", status="rejected"))
    assert not corrections.lookup("x", "b").accepted  # type: ignore[union-attr]


# --- never raises ------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_diagnostics_never_an_exception(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corrections.yaml"
        path.write_text(text, encoding="utf-8")
        corrections, diagnostics = load_corrections(path, "c")
    assert isinstance(corrections, Corrections)
    assert all(d.path == "c" for d in diagnostics)


FIELDS = st.sampled_from(["sic", "corr", "status", "documents", "context", "note"])
VALUES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from(["tbe", "the", "accepted", "rejected", "in tbe end", ""])
    | st.lists(st.text(max_size=5), max_size=2)
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.dictionaries(FIELDS, VALUES, max_size=6), max_size=5),
    st.lists(st.text(max_size=5) | st.integers(), max_size=3),
)
def test_any_shaped_entries_give_diagnostics_never_an_exception(
    entries: list[object], glossary: list[object]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corrections.yaml"
        data = {"corrections": entries, "glossary": glossary}
        path.write_text(json.dumps(data), encoding="utf-8")
        corrections, _ = load_corrections(path, "c")
    assert isinstance(corrections, Corrections)
