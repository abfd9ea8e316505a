"""The OCR detector: each class of true alarm, each class of false alarm, the editor's register."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from edition import lexicon
from edition.annotations import Annotation
from edition.blocks import split_blocks
from edition.config import EditionConfig
from edition.convert import convert_document
from edition.corrections import Correction, Corrections
from edition.detectors import Detection, DetectionContext, Registers, default_detectors, ocr
from edition.detectors.ocr import OcrDetector
from edition.persons import Personography, PersonRecord
from edition.reading import diplomatic_text, normalized_text
from edition.source import decode_source, read_source
from edition.validate import validate_tree

from .conftest import SEEDS

NS = {"tei": "http://www.tei-c.org/ns/1.0"}


def detect(text: str, registers: Registers | None = None, name: str = "doc", **options: object) -> Detection:
    source, _ = decode_source(text.encode("utf-8"), f"texts/{name}.txt")
    merged = {**OcrDetector.defaults, **options}
    context = DetectionContext(source, tuple(split_blocks(source.text)), options=merged,
                               registers=registers or Registers(), name=name)
    return OcrDetector().detect(context)


def flagged(text: str, **options: object) -> list[tuple[str, str, str]]:
    """(surface, correction, cert) of each flag."""
    found = detect(text, **options)
    return [(text[a.start : a.end], a.attr("corr"), a.attr("cert")) for a in found.annotations]


# -- true alarms ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "surface", "corr"),
    [
        # OCR confusions: rn/m, cl/d, li/h, 0/o, 1/l
        ("the governrnent of Spain", "governrnent", "government"),
        ("he unclerstood it", "unclerstood", "understood"),
        ("the wliich of it", "wliich", "which"),
        ("the new c0nstitution signifies", "c0nstitution", "constitution"),
        ("it was fu1ly done", "fu1ly", "fully"),
        ("the tbe of it", "tbe", "the"),
        # dropped and doubled letters
        ("a goverment of the people", "goverment", "government"),
        ("the questioons were put", "questioons", "questions"),
        # broken hyphenation and split words
        ("the govern- ment of", "govern- ment", "government"),
        ("the govern-\nment of", "govern-\nment", "government"),
        ("the gov ernment of", "gov ernment", "government"),
    ],
)
def test_an_error_in_an_ordinary_word_is_corrected(text: str, surface: str, corr: str) -> None:
    [(found, correction, cert)] = flagged(text)
    assert (found, correction) == (surface, corr)
    assert cert in ("high", "medium")


def test_a_confusion_into_a_common_word_is_certain() -> None:
    assert flagged("the governrnent of Spain") == [("governrnent", "government", "high")]


def test_a_suspicion_without_a_clear_correction_is_a_bare_sic_with_ranked_candidates() -> None:
    found = detect("the fohr was open")
    [annotation] = found.annotations
    assert annotation.attr("corr") == "" and annotation.attr("cert") == "low"
    [item] = found.review
    assert item.kind == "ocr.suspect" and item.surface == "fohr"
    assert item.suggestions[:2] == ("for", "four")


def test_every_emendation_is_a_review_item_with_its_candidates() -> None:
    found = detect("the governrnent of Spain")
    [item] = found.review
    assert (item.kind, item.surface, item.suggestions[0], item.cert) == (
        "ocr.emendation", "governrnent", "government", "high"
    )
    assert item.note


def test_the_annotation_is_a_sic_by_the_machine() -> None:
    [annotation] = detect("the governrnent of Spain").annotations
    assert isinstance(annotation, Annotation)
    assert (annotation.kind, annotation.attr("resp"), annotation.detector) == ("sic", "#auto", "ocr")


# -- false alarms -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        # numbers, years, file numbers, footnote markers glued to words, ordinals, amounts
        "In 1936 the file 861.00/11630 and 793.94/7654 were sent.",
        "the new constitution27 signifies the beginning",
        "on the 10th and 21st, at 2d. and 10s. each, an 8vo volume",
        "the Hoare-Laval proposals41a and others",
        # roman numerals and acronyms
        "vol. xlvii, p. 1242, and chapter xii of the NKVD and OGPU reports",
        # British and American spellings both
        "they may criticise by despatch; he analyzed the honour and colour of the programme",
        "the manoeuvre was organised after remoulding the centre",
        # names, capitalized unknown words: the names stage's
        "the Zinoxyez-Kamenyev trial where Yerev and Genoviev met Tsa Voong-tsung",
        # rare and foreign words
        "an ad valorem tax, the modus vivendi, a fait accompli, the régime and the chargé d’affaires",
        "the sycophancy and smugness of the terroristic, interpretive reports",
        "the déclaration lui-même est nulle et les hommes pourrait revenir",
        # abbreviations
        "claims arising out of crim. con. and 5 cwt. of sugar",
        # contractions and possessives
        "I’m sure he couldn’t; it is Stalin’s and o’clock",
        # a suspended compound is not a broken word
        "pre- and post-war, two- or three-day meetings",
        # two words that join into one are both words: left alone
        "any one of them, per cent, a part of it",
    ],
)
def test_not_an_error(text: str) -> None:
    assert flagged(text) == []


def test_a_word_the_source_marks_sic_is_left_as_found() -> None:
    assert flagged("the governrnent [sic] of Spain") == []
    assert flagged("the governrnent of Spain") != []


def test_a_word_the_document_uses_again_is_its_own_vocabulary() -> None:
    text = "The amts judge and the amts courts; the amts-judge."
    assert flagged(text) == []


def test_a_registered_name_is_never_an_error() -> None:
    persons = Personography((PersonRecord("x", "Ivan vonderbilt", forms=("vonderbilt",)),))
    assert flagged("we met vonderbilt there") != []
    assert detect("we met vonderbilt there", Registers(persons=persons)).annotations == ()


def test_a_word_in_a_page_marker_is_not_an_error() -> None:
    assert flagged("the [Page 3O1] of it") == []


# -- the editor's register --------------------------------------------------------------------
def registers(*items: Correction) -> Registers:
    return Registers(corrections=Corrections(items))


def test_an_accepted_emendation_is_applied_by_the_editor() -> None:
    found = detect("in tbe end", registers(Correction("tbe", "the")))
    [annotation] = found.annotations
    assert (annotation.attr("corr"), annotation.attr("resp"), annotation.attr("cert")) == (
        "the", "#editor", "high"
    )
    assert found.review == ()  # decided: nothing left to review


def test_an_accepted_emendation_may_correct_a_real_word_in_its_context_only() -> None:
    correction = Correction("form", "from", context="a telegram form the Embassy")
    found = detect("a telegram form the Embassy; the form was filled", registers(correction))
    [annotation] = found.annotations
    assert annotation.start == len("a telegram ")
    assert annotation.attr("corr") == "from"


def test_an_emendation_limited_to_other_documents_does_not_apply() -> None:
    correction = Correction("wliich", "which", documents=("other",))
    found = detect("the wliich of it", registers(correction), name="doc")
    [annotation] = found.annotations
    assert annotation.attr("resp") == "#auto"


def test_a_rejected_reading_is_never_flagged_again() -> None:
    rejected = Correction("fohr", status="rejected")
    assert detect("the fohr was open", registers(rejected)).annotations == ()


def test_a_glossary_phrase_is_left_alone() -> None:
    glossary = Correction("To-Dj", status="rejected", note="glossary")
    found = detect("the case of the To-Dj Joint Headquarters", registers(glossary))
    assert found.annotations == ()


def test_the_editors_id_is_an_option() -> None:
    found = detect("in tbe end", registers(Correction("tbe", "the")), editor="#jcarberry")
    assert found.annotations[0].attr("resp") == "#jcarberry"


def test_options_can_switch_off_bare_suspicions() -> None:
    assert flagged("the fohr was open", suspects=False) == []


# -- in the TEI -------------------------------------------------------------------------------
def convert(text: str, corrections: Corrections | None = None) -> etree._Element:
    source, _ = decode_source(text.encode("utf-8"), "texts/doc.txt")
    converted = convert_document(
        source, "doc", EditionConfig(title="Test"), default_detectors(),
        registers=Registers(corrections=corrections or Corrections()),
    )
    assert [d for d in converted.diagnostics if d.is_error] == []
    return etree.fromstring(converted.tei)


def test_a_correction_is_choice_sic_corr_and_the_readings_differ_there() -> None:
    root = convert("The governrnent of Spain and the govern-\nment of France.")
    choices = root.findall(".//tei:choice", NS)
    assert [c.findtext("tei:corr", namespaces=NS) for c in choices] == ["government", "government"]
    assert [c.find("tei:corr", NS).get("resp") for c in choices] == ["#auto", "#auto"]
    diplomatic = " ".join(diplomatic_text(root).split())
    assert "The governrnent of Spain and the govern- ment of France." in diplomatic
    assert "The government of Spain and the government of France." in normalized_text(root)


def test_a_bare_suspicion_is_sic_alone_with_resp_and_cert() -> None:
    root = convert("The fohr was open.")
    [sic] = root.findall(".//tei:sic", NS)
    assert sic.getparent().tag != f"{{{NS['tei']}}}choice"
    assert (sic.text, sic.get("resp"), sic.get("cert")) == ("fohr", "#auto", "low")


def test_the_header_says_how_corrections_are_encoded() -> None:
    root = convert("The governrnent of Spain.")
    sentence = root.findtext(".//tei:editorialDecl/tei:correction/tei:p", namespaces=NS)
    assert "sic" in sentence and "#editor" in sentence


def test_corrected_tei_is_valid_tei_all(tei_schema: Path) -> None:
    root = convert("The governrnent of Spain, the fohr, the govern-\nment, the gov ernment.")
    assert validate_tree(etree.ElementTree(root), "doc") == []


# -- the seeds --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(p.stem for p in SEEDS.glob("*.txt")))
def test_nothing_in_the_seeds_is_an_ordinary_word_error(name: str) -> None:
    source, _ = read_source(SEEDS / f"{name}.txt")
    context = DetectionContext(source, tuple(split_blocks(source.text)),
                               options=OcrDetector.defaults, name=name)
    found = OcrDetector().detect(context)
    assert found.annotations == () and found.review == ()


# -- the candidate search -----------------------------------------------------------------------
# The search makes only the readings that can be words; it must find what making every
# reading one or two edits away and keeping the words finds, at the same costs to the bit.
def every_reading(word: str) -> dict[str, float]:
    """Each reading one edit from ``word`` at its cheapest cost, the plain way."""
    made: list[tuple[float, str]] = []
    for printed, read, cost in ocr.CONFUSIONS:
        made += [(cost, word[:i] + printed + word[i + len(read) :])
                 for i in range(len(word)) if word.startswith(read, i)]  # fmt: skip
    for i in range(len(word)):
        made.append((ocr.DOUBLED if i and word[i] == word[i - 1] else ocr.EDIT, word[:i] + word[i + 1 :]))
        made += [(ocr.EDIT, word[:i] + x + word[i + 1 :]) for x in ocr.LETTERS if x != word[i]]
        if i + 1 < len(word) and word[i] != word[i + 1]:
            made.append((ocr.TRANSPOSE, word[:i] + word[i + 1] + word[i] + word[i + 2 :]))
    for i in range(len(word) + 1):
        twins = {word[i - 1 : i], word[i : i + 1]}
        made += [(ocr.TWIN if x in twins else ocr.INSERT, word[:i] + x + word[i:]) for x in ocr.LETTERS]
        if 0 < i < len(word):
            made.append((ocr.SPLIT, word[:i] + " " + word[i:]))
    cheapest: dict[str, float] = {}
    for cost, reading in made:
        cheapest[reading] = min(cost, cheapest.get(reading, 99.0))
    return cheapest


def exhaustive_corrections(word: str, common: float = 3.0) -> dict[str, float]:
    found = every_reading(word)
    for reading, cost in list(found.items()):
        if cost <= ocr.CHEAP_FIRST and " " not in reading:
            for again, more in every_reading(reading).items():
                total = cost + more + ocr.SECOND_EDIT
                if total <= ocr.MOST_TWO:
                    found[again] = min(total, found.get(again, 99.0))
    words = lexicon.listed(common).words
    return {
        reading: cost for reading, cost in found.items() if reading != word and (
            reading in words if " " not in reading
            else min(len(p) for p in reading.split()) >= 2
            and min(lexicon.zipf(p) for p in reading.split()) >= ocr.PAIR_ZIPF
        )
    }  # fmt: skip


@pytest.mark.parametrize(
    "word",
    ["tbe", "governrnent", "wliich", "unclerstood", "goverment", "questioons", "informedof",
     "negotations", "correspoudence", "reconnoissance", "justifled", "thoe", "paart", "lst",
     "committtee", "rnrnrn", "aa", "xyzzy", "mississipi", "liis", "tlie"],
)  # fmt: skip
def test_the_candidate_search_finds_what_trying_every_reading_finds(word: str) -> None:
    assert dict(ocr.corrections(word, 3.0)) == exhaustive_corrections(word, 3.0)


@given(st.sampled_from(sorted(w for w in lexicon.listed(3.0).ordered[::211] if w.isalpha())),
       st.lists(st.tuples(st.integers(0, 30), st.sampled_from(["", "e", "rn", "ll", "cl"])), max_size=2))
@settings(max_examples=40, deadline=None)
def test_the_candidate_search_finds_what_trying_every_reading_finds_for_damaged_words(
    word: str, damage: list[tuple[int, str]]
) -> None:
    for at, put in damage:  # drop a letter and put something in its place
        at %= len(word)
        word = word[:at] + put + word[at + 1 :]
    if word:
        assert dict(ocr.corrections(word, 2.5)) == exhaustive_corrections(word, 2.5)
