"""The persons detector: regular forms, variants, shared surnames, and what it must not link."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.blocks import split_blocks
from edition.config import DocumentMeta
from edition.detectors import Detection, DetectionContext, Registers
from edition.detectors import persons as persons_detector
from edition.detectors.persons import PersonDetector, judge_variant, lexicon_for
from edition.persons import Personography, PersonRecord
from edition.source import decode_source

from .conftest import SEEDS

ORLOV = "000_1f1a60356441ad05"
TELEGRAM = "003_e5b59e6160513613"

# Canonical names only: no forms, no variants.
SOVIET = Personography(
    tuple(
        PersonRecord(id=pid, name=name)
        for pid, name in [
            ("stalin", "Joseph Stalin"),
            ("zinoviev", "Grigory Yevseyevich Zinoviev"),
            ("kamenev", "Lev Kamenev"),
            ("yezhov", "Nikolai Yezhov"),
            ("yagoda", "Genrikh Yagoda"),
            ("mironov", "Lev Mironov"),
            ("molchanov", "Georgy Molchanov"),
            ("akulov", "Ivan Akulov"),
            ("kirov", "Sergei Kirov"),
            ("trotsky", "Leon Trotsky"),
        ]
    )
)
FRUS = Personography(
    (
        PersonRecord(id="page", name="Walter Hines Page", description="Ambassador in Great Britain."),
        PersonRecord(id="stevens", name="John F. Stevens"),
        PersonRecord(id="francis", name="David R. Francis", description="Ambassador in Russia."),
        PersonRecord(id="lindley", name="Francis O. Lindley"),
        PersonRecord(id="imorris", name="Ira N. Morris", description="Minister in Sweden."),
        PersonRecord(id="rmorris", name="Roland S. Morris", description="Ambassador in Japan."),
        PersonRecord(id="dpoole", name="DeWitt C. Poole",
                     description="Consul at Moscow; later Counselor of Embassy."),
        PersonRecord(id="fpoole", name="Maj. Gen. Frederick C. Poole",
                     description="commanding the British forces in north Russia."),
    )
)


def detect(text: str, persons: Personography, meta: DocumentMeta | None = None) -> Detection:
    source, _ = decode_source(text.encode("utf-8"), "texts/t.txt")
    context = DetectionContext(source, tuple(split_blocks(source.text)), meta or DocumentMeta(),
                               registers=Registers(persons), name="t")
    return PersonDetector().detect(context)


def links(
    text: str, persons: Personography = FRUS, meta: DocumentMeta | None = None
) -> list[tuple[str, str, str, str]]:
    """(surface, ref, cert, reg) for each persName the detector makes."""
    return [
        (text[a.start : a.end], a.attr("ref"), a.attr("cert"), a.attr("reg"))
        for a in detect(text, persons, meta).annotations
    ]


# --- regular forms -------------------------------------------------------------------------------
def test_the_longest_form_wins_so_a_forename_is_not_a_surname() -> None:
    assert links("He met Francis O. Lindley and Francis.") == [
        ("Francis O. Lindley", "#lindley", "", ""),
        ("Francis", "#francis", "", ""),
    ]


def test_a_possessive_stays_outside_the_name_and_a_note_marker_too() -> None:
    assert links("Stevens’s3 contingent and Page’s memorandum.") == [
        ("Stevens", "#stevens", "", ""),
        ("Page", "#page", "", ""),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "the leather [Page 22]be guaranteed",  # a page marker
        "See Page 3 of the report.",  # a page reference
        "a cable from R. R. Stevens today",  # someone else's initials
    ],
)
def test_a_bare_surname_is_not_linked_where_it_cannot_be_the_person(text: str) -> None:
    assert links(text) == []


def test_an_editor_variant_is_regularized_with_resp_editor() -> None:
    persons = Personography((PersonRecord(id="yezhov", name="Nikolai Yezhov", variants=("Yerev",)),))
    [annotation] = detect("Then Yerev took the phone.", persons).annotations
    assert dict(annotation.attrs) == {"ref": "#yezhov", "resp": "#editor", "reg": "Yezhov"}


def test_given_forms_replace_the_derived_ones() -> None:
    persons = Personography((PersonRecord(id="y", name="Nikolai Yezhov", forms=("Comrade Y.",)),))
    assert links("Yezhov and Comrade Y. met.", persons) == [("Comrade Y.", "#y", "", "")]


# --- shared surnames -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("The Ambassador in Japan (Morris) to the Secretary of State\n\nText.", "#rmorris"),
        ("The Minister in Sweden (Morris) to the Secretary of State\n\nText.", "#imorris"),
        ("The Chargé in Russia (Poole) to the Secretary of State\n\nText.", "#dpoole"),
        ("Referring to telegrams Ambassador Morris sent.", "#rmorris"),
    ],
)
def test_a_shared_surname_is_settled_by_the_office_before_it(text: str, ref: str) -> None:
    found = links(text)
    assert [(r, c) for s, r, c, _ in found if s.endswith(("Morris", "Poole"))] == [(ref, "medium")]


def test_a_title_names_one_of_two_persons_outright() -> None:
    assert links("Nothing from General Poole.") == [("General Poole", "#fpoole", "", "")]


def test_a_full_name_earlier_in_the_document_settles_the_bare_one() -> None:
    found = links("Roland S. Morris arrived. Later Morris left.")
    assert found[1] == ("Morris", "#rmorris", "medium", "")


def test_the_sender_in_the_metadata_settles_a_shared_surname() -> None:
    meta = DocumentMeta(author="Ira N. Morris")
    assert links("Morris reports.", meta=meta) == [("Morris", "#imorris", "medium", "")]


def test_without_evidence_a_shared_surname_is_not_guessed_but_reported() -> None:
    detection = detect("All drafts drawn by Poole against the appropriation.", FRUS)
    assert detection.annotations == ()
    [item] = [r for r in detection.review if r.kind == "person.ambiguous"]
    assert (item.surface, item.suggestions) == ("Poole", ("dpoole", "fpoole"))


# --- unknown variants: thresholds, positive and negative ----------------------------------------
def seed(name: str) -> str:
    return (SEEDS / f"{name}.txt").read_text(encoding="utf-8")


def test_every_garble_of_the_orlov_chapter_is_linked_to_the_right_person() -> None:
    text = seed(ORLOV)
    auto = [(s, r, c) for s, r, c, _ in links(text, SOVIET) if c]
    expected = {"Yerev": "#yezhov", "Yenov": "#yezhov", "Yerov": "#yezhov",
                "Morchanov": "#molchanov", "Denoviev": "#zinoviev", "Genoviev": "#zinoviev"}
    assert {s: r for s, r, _ in auto} == expected
    assert len(auto) == 14  # Yerev ×6, Morchanov ×3, Genoviev ×2, Yenov, Yerov, Denoviev
    assert ("Grigory Yevseyevich", "#zinoviev", "", "") in links(text, SOVIET)


def test_the_telegram_garbles_are_linked_with_their_certainty() -> None:
    found = links(seed(TELEGRAM), SOVIET)
    assert ("Zinoxyez", "#zinoviev", "medium", "Zinoviev") in found
    assert ("Kamenyev", "#kamenev", "high", "Kamenev") in found


def test_a_variant_link_is_reported_for_review() -> None:
    detection = detect("Yezhov came. Then Yerev left.", SOVIET)
    [item] = detection.review
    assert (item.kind, item.surface, item.suggestions, item.cert) == (
        "person.link", "Yerev", ("yezhov",), "high"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Yezhov came. Then Yerev left.",
    ],
)
def test_a_garble_is_not_taken_for_another_person(text: str) -> None:
    assert all(r != "#yagoda" for _, r, _, _ in links(text, SOVIET))


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Yagoda came. Then Yerev left.", "the person is not named in the document"),
        ("Zinoviev spoke. Zinovieva wept.", "a wife's form is not the man"),
        ("Mironov listened. Kirov, Sergei Mironovich, was dead.", "a patronymic is not the man"),
        ("Davison came. Davis left.", "a real surname the lexicon knows"),
        ("Molchanov and the house.", "a common word"),
        ("Molchanov met Tredwell.", "a real surname, unregistered"),
    ],
)
def test_no_link_where_the_evidence_is_missing(text: str, why: str) -> None:
    persons = Personography((*SOVIET.records, PersonRecord(id="davison", name="Henry P. Davison")))
    auto = [x for x in links(text, persons) if x[2]]
    assert auto == [], why


def test_thresholds_decide_a_variant() -> None:
    lexicon = lexicon_for(SOVIET)
    assert judge_variant("Yerev", lexicon, {"yezhov"}).cert == "high"  # cost 2.0, attested
    assert judge_variant("Zinoxyez", lexicon, {"zinoviev"}).cert == "medium"  # cost 2.5
    assert judge_variant("Yerev", lexicon, set()).cert == ""  # not named in the document
    assert judge_variant("Morchanov", lexicon, set()).cert == "low"  # one cheap slip, unattested
    # as close to Yezhov as to Kirov once both are named: not guessed
    assert judge_variant("Yerov", lexicon, {"yezhov", "kirov"}).cert == ""
    assert judge_variant("Obmien", lexicon, {"yezhov"}).cert == ""  # too far from anyone


def test_unregistered_names_are_candidates_for_review() -> None:
    detection = detect("The Ambassador in Great Britain (Davis) to the Secretary of State\n\n"
                       "Mr. Rathbone and Frank C. Lee agree.", FRUS)
    surfaces = {r.surface for r in detection.review if r.kind == "person.candidate"}
    assert {"Davis", "Rathbone", "Frank C. Lee"} <= surfaces


def test_an_empty_register_finds_nothing(tmp_path: Path) -> None:
    assert detect("Yezhov came.", Personography()) == Detection()


# --- the floor on the shared corpus ---------------------------------------------------------------
@pytest.mark.corpus
def test_linked_mentions_hold_their_floor_on_frus1918_russia() -> None:
    from edition.evaluate import DEFAULT_CORPUS, evaluate_corpus

    volume = DEFAULT_CORPUS / "frus1918Russiav03"
    if not volume.is_dir():
        pytest.skip(f"the shared corpus is absent ({volume})")
    report = evaluate_corpus(volume)
    assert report.persons.tp + report.persons.fn == 518
    assert report.persons.recall >= 0.95, report.table()
    assert report.wrong_links <= 0.005, report.table()


@pytest.mark.parametrize("attested", [set(), {"yezhov"}, {"yezhov", "kirov"}, {"zinoviev", "kamenev"}])
def test_surnames_beyond_the_cap_change_no_verdict(attested: set[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """`judge_variant` scores only persons within a cost cap: the verdicts are those of
    scoring every person in the register."""
    words = ["Yerev", "Zinoxyez", "Morchanov", "Yerov", "Obmien", "Kamenyev", "Kirof", "Radec", "Trotzky",
             "Molotoff", "Zinovieva", "Bucharin", "Rykof", "Yagodda", "Petrograd", "Smolny", "Litvinoff"]
    capped = [judge_variant(word, lexicon_for(SOVIET), attested) for word in words]
    every = persons_detector._near_surnames
    monkeypatch.setattr(persons_detector, "_near_surnames", lambda word, lexicon, cap: every(word, lexicon, 1e9))
    assert [judge_variant(word, lexicon_for(SOVIET), attested) for word in words] == capped
    assert any(verdict.cert for verdict in capped) and any(verdict.why and not verdict.cert for verdict in capped)
