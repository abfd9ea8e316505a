"""Corpus-wide results summed by runs of documents (`edition.render.runs`): the same as made whole,
and a change makes its own run's part again, not the others'."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import edition.render.runs
from edition.pipeline import BuildOptions, build_edition
from edition.render.persons import Personography, PersonRecord
from edition.render.principles import Declared, gather, gather_part

from .conftest import published

TEXTS = st.sampled_from(["Silent corrections.", "Names regularized.", "Spelling kept.", ""])
KEYS = st.tuples(st.sampled_from(["name", "corr", "sic"]), st.sampled_from(["#auto", "#ed"]),
                 st.sampled_from(["high", "low"]))  # fmt: skip
EXAMPLES = st.sampled_from(["a → b", "c → d", "e → f", "g → h", ""])
WHO = st.sampled_from(["edition", "M. R."])
DECLARED = st.builds(
    Declared,
    said=st.lists(st.tuples(st.sampled_from(["correction", "normalization", "note"]), TEXTS), max_size=3).map(tuple),
    interventions=st.lists(st.tuples(KEYS, EXAMPLES), max_size=6).map(tuple),
    responsible=st.lists(st.tuples(st.sampled_from(["#auto", "#ed"]), WHO), max_size=2).map(tuple),
)


def split(items: list, cuts: list[int]) -> list[list]:
    """``items`` cut before each place in ``cuts``."""
    places = [0, *sorted({c % (len(items) + 1) for c in cuts}), len(items)]
    return [items[a:b] for a, b in itertools.pairwise(places)]


@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), DECLARED), max_size=12), st.lists(st.integers(0, 12)))
def test_the_principles_summed_by_parts_are_those_of_every_document_at_once(
    documents: list[tuple[str, Declared]], cuts: list[int]
) -> None:
    whole = gather([gather_part(documents)])
    assert gather([gather_part(run) for run in split(documents, cuts)]) == whole


PERSONS = st.builds(
    PersonRecord,
    id=st.sampled_from(["yezhov", "stalin", "radek"]),
    name=st.sampled_from(["Yezhov", "N. Yezhov", "Stalin"]),
    forms=st.sampled_from([(), ("Ezhov",)]),
    birth=st.sampled_from(["", "1895"]),
    death=st.sampled_from(["", "1940"]),
    description=st.sampled_from(["", "People's Commissar"]),
)


@given(st.lists(st.lists(PERSONS, max_size=3), max_size=10), st.lists(PERSONS, max_size=2),
       st.lists(st.integers(0, 10)))
def test_the_persons_summed_by_parts_are_those_of_every_document_in_turn(
    documents: list[list[PersonRecord]], register: list[PersonRecord], cuts: list[int]
) -> None:
    def start() -> Personography:
        known = Personography()
        known.add_persons(register, authoritative=True)
        return known

    in_turn = start()
    for persons in documents:
        in_turn.add_persons(persons, authoritative=False)
    by_parts = start()
    for run in split(documents, cuts):
        part = Personography()
        for persons in run:
            part.add_persons(persons, authoritative=False)
        by_parts.add_persons(part.persons.values(), authoritative=False)
    assert list(by_parts.persons.items()) == list(in_turn.persons.items())


@pytest.mark.parametrize("change", ["added", "changed"])
def test_a_document_added_or_changed_makes_its_own_runs_parts_again(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    monkeypatch.setattr(edition.render.runs, "RUN_DOCUMENTS", 8)  # runs of 6 to 12 documents
    for n in range(60):
        (sources / "texts" / f"letter{n:02}.txt").write_text(f"Letter {n}\n\nDear Sir, Yezhov wrote.",
                                                             encoding="utf-8")  # fmt: skip
    out = tmp_path / "out"
    build_edition(BuildOptions(sources, out, validate=False))
    made: list[tuple[str, list[str]]] = []
    original = edition.render.runs.by_runs

    def counting(memo, kind, documents, make, of):  # type: ignore[no-untyped-def]
        return original(memo, kind, documents, lambda run: (made.append((kind, run)), make(run))[1], of)

    monkeypatch.setattr(edition.render, "by_runs", counting)
    if change == "added":
        text = "Letter 14a\n\nDear Sir, Yezhov wrote; his secretary corrected tbe letter."
        (sources / "texts" / "letter14a.txt").write_text(text, encoding="utf-8")
    else:  # an intervention more: the principles count it; the persons are as they were
        (sources / "texts" / "letter14.txt").write_text("Letter 14\n\nDear Sir, Yezhov wrote tbe letter.",
                                                        encoding="utf-8")  # fmt: skip
    build_edition(BuildOptions(sources, out, validate=False))
    kinds = {kind for kind, _ in made}
    assert kinds == ({"principles", "persons"} if change == "added" else {"principles"})
    for kind in kinds:
        runs = [run for k, run in made if k == kind]
        # Its own run; where a cut moved, a neighbour. Made whole (or cut by position, for
        # one added): all 62 documents (the 47 after it).
        assert 1 <= len(runs) <= 2 and ("d-letter14a" if change == "added" else "d-letter14") in runs[0]
        assert sum(map(len, runs)) <= 24
    monkeypatch.setattr(edition.render, "by_runs", original)
    assert published(out) == published_clean(sources, tmp_path / "clean")


def published_clean(sources: Path, out: Path) -> dict[str, bytes]:
    build_edition(BuildOptions(sources, out, validate=False, cache=False))
    return published(out)
