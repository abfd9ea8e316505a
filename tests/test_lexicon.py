"""The shared lexicon: English words in either spelling, frequencies, foreign words, numerals."""

from __future__ import annotations

import pytest

from edition import lexicon


@pytest.mark.parametrize(
    "word",
    ["the", "criticise", "criticize", "despatch", "analyzed", "analysed", "honour", "colour",
     "programme", "manoeuvre", "sycophancy", "reinclose", "sanctionist", "litigations"],
)
def test_english_words_in_either_spelling_are_known(word: str) -> None:
    assert lexicon.is_known(word)


@pytest.mark.parametrize("word", ["tbe", "governrnent", "c0nstitution", "nationss", "wliich"])
def test_errors_are_not_known(word: str) -> None:
    assert not lexicon.is_known(word)


def test_frequencies_are_zipf_values() -> None:
    assert lexicon.zipf("the") > 7 > lexicon.zipf("despatch") > 0 == lexicon.zipf("governrnent")


def test_spelling_variants_go_both_ways() -> None:
    assert "criticize" in lexicon.spelling_variants("criticise")
    assert "honour" in lexicon.spelling_variants("honor")


def test_foreign_words_are_found_in_the_other_lists() -> None:
    assert lexicon.foreign_zipf("hommes", ("fr",)) > 3 > lexicon.foreign_zipf("governrnent", ("fr",))


@pytest.mark.parametrize(("word", "roman"), [("xii", True), ("xlvii", True), ("iv", True),
                                             ("vim", False), ("civil", False), ("", False)])
def test_roman_numerals(word: str, roman: bool) -> None:
    assert lexicon.is_roman_numeral(word) is roman


@pytest.mark.parametrize("word", ["the", "criticise", "honour", "manoeuvre", "tbe", "governrnent", "reinclose"])
def test_the_listed_words_are_what_is_word_or_is_variant_of_listed_accepts(word: str) -> None:
    expected = lexicon.is_word(word) or lexicon.is_variant_of_listed(word)
    assert (word in lexicon.listed().words) is expected


def test_the_listed_words_are_kept_sorted_forwards_and_backwards() -> None:
    listed = lexicon.listed()
    assert list(listed.ordered) == sorted(listed.words)
    assert list(listed.backwards) == sorted(w[::-1] for w in listed.words)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [("governrnent", 6, 4), ("government", 10, 10), ("xgovernment", 0, 10), ("", 0, 0), ("zz", 0, 0)],
)
def test_how_much_of_a_string_a_listed_word_can_begin_or_end(text: str, start: int, end: int) -> None:
    words = ["govern", "government", "permanent", "governor"]
    listed = lexicon.Listed(frozenset(words), sorted(words), sorted(w[::-1] for w in words))
    assert (listed.longest_start(text), listed.longest_end(text)) == (start, end)
