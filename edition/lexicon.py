"""Which words a language knows and how common they are, from well-kept word lists loaded once.

Two lists speak for English: `wordfreq`'s frequencies (``large`` list; many
sources, British and American usage alike; a *Zipf* value is log10 of a word's
frequency per billion words: ``the`` 7.7, ``despatch`` 2.7) and
`pyspellchecker`'s dictionary (an American spelling dictionary with inflections;
``sycophancy`` is there, ``criticise`` is not). Neither is complete and wordfreq's
long tail holds common misspellings (``tbe`` 2.6), so a word is *known* when the
dictionary lists it, when wordfreq counts it as common (`is_word`), when it is
the other national spelling of a dictionary word (*criticise*, *honour*,
*analyse*), or when it is a listed word with a common prefix or suffix
(*reinclose*, *sanctionist*).

Both packages ship their data inside the wheel: nothing is downloaded at run
time. Each list is read once per process (``functools.cache``), from the copy
`edition.wordlists` keeps prepared in the user's cache (deriving them costs
seconds a process; reading them back, milliseconds); the names detector may
share them through these functions.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass

from edition import wordlists

# wordfreq's word lists: "large" holds words down to Zipf ~1 for the languages that have one.
WORDLIST = "large"

# A word this common in wordfreq's English list is a word, whatever the dictionary says.
COMMON_ZIPF = 3.0

# British and American spellings, each written as (British, American) endings:
# "criticise"/"criticize", "honour"/"honor", "analyse"/"analyze", "centre"/"center".
SPELLING_ENDINGS: tuple[tuple[str, str], ...] = (
    ("isation", "ization"),
    ("isations", "izations"),
    ("ise", "ize"),
    ("ised", "ized"),
    ("ises", "izes"),
    ("ising", "izing"),
    ("iser", "izer"),
    ("isers", "izers"),
    ("yse", "yze"),
    ("ysed", "yzed"),
    ("yses", "yzes"),
    ("ysing", "yzing"),
    ("our", "or"),
    ("ours", "ors"),
    ("oured", "ored"),
    ("ouring", "oring"),
    ("ourable", "orable"),
    ("ourite", "orite"),
    ("tre", "ter"),
    ("tres", "ters"),
    ("ence", "ense"),
    ("lled", "led"),
    ("lling", "ling"),
    ("ller", "ler"),
    ("llers", "lers"),
    ("ogue", "og"),
    ("ogues", "ogs"),
    ("mme", "m"),
    ("mmes", "ms"),
)

# Any of those endings, to skip the words that have none quickly.
_ENDINGS = re.compile(
    "(?:" + "|".join(sorted({e for pair in SPELLING_ENDINGS for e in pair}, key=len, reverse=True))
    + ")$"
)

# Prefixes and suffixes that make words from words: "re"+"inclose", "sanction"+"ist".
PREFIXES = (
    "ante", "anti", "bi", "co", "counter", "de", "dis", "en", "extra", "fore", "inter", "intra",
    "mid", "mis", "multi", "neo", "non", "out", "over", "pan", "post", "pre", "pro", "quasi",
    "re", "self", "semi", "sub", "super", "trans", "tri", "ultra", "un", "under",
)  # fmt: skip

# Inflections of a dictionary word the dictionary may lack: "loaming", "skimmings", "guarantys".
# A stem ending in "s" takes no "s": "nationss" is a doubled letter, not a plural.
INFLECTIONS = ("s", "es", "ed", "ing", "ings", "er", "ers")

# British spellings inside a word, as (British, American): "remoulding", "manoeuvre".
SPELLING_INFIXES: tuple[tuple[str, str], ...] = (
    ("mould", "mold"), ("moult", "molt"), ("smould", "smold"), ("plough", "plow"),
    ("cheque", "check"), ("grey", "gray"), ("oe", "e"), ("ae", "e"),
)  # fmt: skip
# No inflections ("s", "ed", "ing"): the dictionary lists those, and a doubled last letter
# ("nationss") would otherwise pass as one.
SUFFIXES = (
    "ist", "ists", "ism", "isms", "ly", "ness", "less", "al", "ally", "ic", "ical", "ment",
    "ments", "ship", "ships", "able", "ably",
)  # fmt: skip

# A lowercase roman numeral, e.g. "xii", "xlvii", "iv".
ROMAN = re.compile(r"^(?=[mdclxvi])m{0,4}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")


_english_whole = False  # see `hold_english_whole`


def hold_english_whole() -> None:
    """Hold English frequencies as a `dict` and the dictionary as a set from now on: for a
    process converting many documents.

    Otherwise both are looked up in their files mapped into memory, as the other
    languages are: about 0.5 ms more a document, but nothing to load — the dict took
    0.15 s and 36 MB, which a rebuild converting one document paid in full.
    """
    global _english_whole
    if not _english_whole:
        _english_whole = True
        _frequencies.cache_clear()
        _dictionary.cache_clear()


@functools.cache
def _frequencies(language: str) -> Mapping[str, float]:
    """wordfreq's list for ``language`` as {word: Zipf value}; empty for a language it lacks.

    A sorted table over the list's file, which loads without being built (English as a
    `dict` once `hold_english_whole` asks: it is read for every word).
    """
    derive = functools.partial(_derive_frequencies, language)
    if language == "en" and _english_whole:
        return wordlists.frequency_dict(f"zipf-{language}", derive)
    return wordlists.frequency_table(f"zipf-{language}", derive)


def _derive_frequencies(language: str) -> dict[str, float]:
    from wordfreq import available_languages, get_frequency_dict, get_frequency_list

    wordlist = WORDLIST if language in available_languages(WORDLIST) else "best"
    if language not in available_languages(wordlist):
        return {}
    derived = {
        word: round(math.log10(freq) + 9.0, 2)
        for word, freq in get_frequency_dict(language, wordlist).items()
        if freq > 0
    }
    # wordfreq keeps every list and dict it has built for good: 50–100 MB a language.
    get_frequency_dict.cache_clear()
    get_frequency_list.cache_clear()
    return derived


@functools.cache
def _dictionary() -> Container[str]:
    """pyspellchecker's English dictionary: a `frozenset` in a process converting many
    documents (`hold_english_whole`), else looked up in its file mapped into memory — the
    set took 60 ms and 18 MB, which a rebuild converting one document paid in full."""
    if _english_whole:
        return _dictionary_words()
    return wordlists.mapped_set("dictionary-en", _derive_dictionary)


def _dictionary_words() -> frozenset[str]:
    """The dictionary's every word, to go through (deriving the lists that build on it)."""
    return wordlists.word_set("dictionary-en", _derive_dictionary)


def _derive_dictionary() -> frozenset[str]:
    from spellchecker import SpellChecker

    return frozenset(SpellChecker(language="en", distance=1).word_frequency.dictionary)


def zipf(word: str, language: str = "en") -> float:
    """How common ``word`` (lowercase) is in ``language``: wordfreq's Zipf value, 0 when unlisted."""
    return _frequencies(language).get(word, 0.0)


def in_dictionary(word: str) -> bool:
    """Whether the English spelling dictionary lists ``word`` (lowercase)."""
    return word in _dictionary()


def is_word(word: str, common: float = COMMON_ZIPF) -> bool:
    """Whether ``word`` (lowercase) is an English word: in the dictionary or this common."""
    return word in _dictionary() or zipf(word) >= common


@functools.cache
def _variants_of_listed() -> frozenset[str]:
    """Every word `is_variant_of_listed` accepts: tested once, for each pre-image, then kept."""
    return wordlists.word_set("variants-of-listed-en", _derive_variants_of_listed)


def _derive_variants_of_listed() -> frozenset[str]:
    return frozenset(w for w in _variant_preimages() if any(in_dictionary(v) for v in spelling_variants(w)))


def _variant_preimages() -> frozenset[str]:
    """Every word whose other national spelling could be a dictionary word.

    `spelling_variants` turns a British form into an American one (and endings both
    ways); this set holds, for each dictionary word, each form that maps onto it: a
    superset of the words whose variant is listed, so that the exact test need run
    on these alone.
    """
    found: set[str] = set()
    haves: dict[str, list[str]] = {}  # an ending a dictionary word has → the endings it maps from
    for british, american in SPELLING_ENDINGS:
        haves.setdefault(american, []).append(british)
        haves.setdefault(british, []).append(american)
    lengths = sorted({len(ending) for ending in haves})
    for word in _dictionary_words():
        for british, american in SPELLING_INFIXES:
            at = word.find(american)
            while at >= 0:
                found.add(word[:at] + british + word[at + len(american) :])
                at = word.find(american, at + 1)
        for size in lengths:
            for have in haves.get(word[-size:], ()) if size <= len(word) else ():
                found.add(word[: len(word) - size] + have)
    return frozenset(found)


def is_variant_of_listed(word: str) -> bool:
    """Whether the other national spelling of ``word`` is in the dictionary (*criticise*)."""
    return word in _variants_of_listed()


def spelling_variants(word: str) -> tuple[str, ...]:
    """The other national spellings ``word`` may have: ``criticise`` → ``criticize``."""
    found: list[str] = [
        word.replace(british, american, 1)
        for british, american in SPELLING_INFIXES
        # "oe", "ae" only in words attested somewhere: "manoeuvre", not an edit's "govaernment".
        if british in word[1:] and (len(british) > 2 or (len(word) >= 7 and zipf(word) > 0))
    ]
    if not _ENDINGS.search(word):
        return tuple(dict.fromkeys(found))
    for british, american in SPELLING_ENDINGS:
        for have, other in ((british, american), (american, british)):
            if word.endswith(have) and len(word) > len(have) + 2:
                found.append(word[: -len(have)] + other)
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class Listed:
    """Every word `is_word` or `is_variant_of_listed` accepts at one threshold, at hand.

    As a set, for testing thousands of readings at once; and sorted, forwards and
    backwards, for telling how much of a string can begin or end a listed word.
    """

    words: frozenset[str]
    ordered: Sequence[str]
    backwards: Sequence[str]  # each word reversed, sorted

    def longest_start(self, text: str) -> int:
        """The length of the longest beginning of ``text`` that some listed word begins with."""
        return _longest_shared_start(self.ordered, text)

    def longest_end(self, text: str) -> int:
        """The length of the longest ending of ``text`` that some listed word ends with."""
        return _longest_shared_start(self.backwards, text[::-1])


def _longest_shared_start(ordered: Sequence[str], text: str) -> int:
    # The words sorted next to ``text`` share the longest beginning with it of all.
    at = bisect.bisect_left(ordered, text)
    return max(_shared_start(text, ordered[i]) for i in (at - 1, at) if 0 <= i < len(ordered)) if ordered else 0


def _shared_start(a: str, b: str) -> int:
    size = min(len(a), len(b))
    i = 0
    while i < size and a[i] == b[i]:
        i += 1
    return i


@functools.cache
def listed(common: float = COMMON_ZIPF) -> Listed:
    """The words `is_word` (at ``common``) or `is_variant_of_listed` accepts: an OCR
    correction must be one of them, and tries thousands of readings per unknown word."""
    name = "listed-en-" + re.sub(r"[^a-z0-9]+", "-", repr(common))  # 3.0 → "listed-en-3-0"
    ordered = wordlists.sorted_words(name, functools.partial(_derive_listed, common))
    backwards = wordlists.sorted_words(f"{name}-backwards", lambda: [w[::-1] for w in ordered])
    return Listed(frozenset(ordered), ordered, backwards)


def _derive_listed(common: float) -> set[str]:
    frequent = {word for word, value in _frequencies("en").items() if value >= common}
    return set(_dictionary_words()) | frequent | _variants_of_listed()


@functools.lru_cache(maxsize=1 << 18)  # a corpus repeats its words: decide each once
def is_known(word: str, common: float = COMMON_ZIPF) -> bool:
    """Whether ``word`` (lowercase) is English as it stands, in either national spelling.

    Known: a dictionary word, a common word, a spelling variant of a dictionary word,
    or a dictionary word with a common prefix or suffix.
    """
    if is_word(word, common) or is_variant_of_listed(word):
        return True
    return is_derived(word, common)


def is_derived(word: str, common: float = COMMON_ZIPF) -> bool:
    """Whether ``word`` is a known word with a prefix or suffix: ``reinclose``, ``sanctionist``."""
    for prefix in PREFIXES:
        rest = word[len(prefix) :]
        if word.startswith(prefix) and len(rest) >= 4 and is_word(rest, common):
            return True
    for suffix in INFLECTIONS:
        stem = word[: -len(suffix)]
        plural_of_s = suffix == "s" and stem[-1:] in ("s", "x", "z")
        if word.endswith(suffix) and len(stem) >= 4 and not plural_of_s and (
            in_dictionary(stem) or in_dictionary(stem + "e")
        ):
            return True
    if word.endswith("ies") and in_dictionary(word[:-3] + "y"):
        return True
    for suffix in SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 4 and (
            is_word(stem, common) or is_word(stem + "e", common)
        ):
            return True
    return False


def foreign_zipf(word: str, languages: Iterable[str]) -> float:
    """The highest Zipf value ``word`` has in any of ``languages``."""
    return _foreign_zipf(word, tuple(languages))


@functools.lru_cache(maxsize=1 << 16)  # each look-up searches several sorted tables
def _foreign_zipf(word: str, languages: tuple[str, ...]) -> float:
    return max((zipf(word, language) for language in languages), default=0.0)


def is_roman_numeral(word: str) -> bool:
    """Whether ``word`` is a roman numeral in lowercase: ``xii``, ``xlvii``."""
    return bool(word) and bool(ROMAN.match(word))
