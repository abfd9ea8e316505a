"""Detect suspected OCR and keying errors in ordinary words, and propose ranked corrections.

A lowercase word is *suspect* when no English lexicon knows it (`edition.lexicon`:
wordfreq and pyspellchecker, British and American spellings alike), when digits
stand inside it (``c0nstitution``), when a hyphen and a space break it
(``govern- ment``) or a space splits it (``gov ernment``). Not suspect: numbers,
years and file numbers (``861.00/11630``); footnote markers glued to a word (the
digits are not part of the word here, and the footnote detector claims them);
roman numerals; acronyms and every capitalized word (names are the names
stage's, and the review list's); foreign words (wordfreq's lists for the
languages in ``foreign``, and their neighbours); abbreviations (``crim. con.``);
a word the document itself uses again; a word the source marks ``[sic]``; the
editor's rejected readings and glossary in ``corrections.yaml``.

Candidates are ranked by a weighted edit cost — cheap for the confusions OCR
makes (``rn``/``m``, ``cl``/``d``, ``li``/``h``, ``0``/``o``, ``1``/``l``), a
doubled or dropped letter, a split or joined word — against the candidate's
frequency and whether the document uses it. When the best candidate is clearly
best, the word is encoded ``choice/sic/corr`` (``@resp="#auto"``, ``@cert`` high
or medium); a suspicion without a confident correction is a bare ``sic``
(``@cert="low"``) and its candidates go to the review list only. Emendations
the editor accepted in ``corrections.yaml`` are applied with ``@resp="#editor"``.
Every machine flag is a `ReviewItem`: ``ocr.emendation`` or ``ocr.suspect``.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar

from edition import lexicon
from edition.annotations import Annotation, make_attrs
from edition.corrections import whole_word
from edition.detectors import Detection, DetectionContext, ReviewItem
from edition.persons import Personography, per_register

DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {
        "common_zipf": 3.0,  # a word this common in wordfreq's English list is a word
        "attested_zipf": 2.0,  # a word this common is flagged only for a cheap OCR confusion
        "foreign": ("fr", "de", "es", "it", "pt", "nl"),  # wordfreq languages a word may be from
        "foreign_zipf": 2.5,  # a word this common in one of them is foreign, not an error
        "min_length": 3,  # shorter words are never flagged
        "max_cost": 1.0,  # the costliest edit a confident correction may need
        "margin": 0.5,  # how far the best candidate must lead the next to be clearly best
        "repeats": 2,  # a word the document uses this often is its own vocabulary
        "suspects": True,  # mark unknown words without a confident correction as bare sic
        "editor": "#editor",  # @resp of the emendations corrections.yaml accepts
    }
)

# A run of letters and digits: a word, a number, or an OCR mixture, e.g. "government", "c0nstitution".
WORD = re.compile(r"[^\W_]+")

# A word broken by a hyphen and a space or line end, e.g. "govern- ment", "govern-\nment";
# the second part is lowercase, which a suspended compound's "and"/"or" is too (checked later).
BROKEN_HYPHEN = re.compile(r"(?<![\w-])([A-Za-z]+)-(?:[ \t]+|[ \t]*\n[ \t]*)([a-z]+)(?![\w-])")

# A hyphenated compound, e.g. "so-called", "govern-ment" (a line-end hyphen kept).
COMPOUND = re.compile(r"(?<![\w-])([A-Za-z]+)-([a-z]+)(?![\w-])")

# The source's own mark that a reading is as found, e.g. "[sic]", "[sic!]", "(sic)".
SOURCE_SIC = re.compile(r"[\[(]\s*sic\s*!?\s*[\])]", re.IGNORECASE)

# A page marker, whose words are apparatus, e.g. "[Page 301]", "[p. 12]".
PAGE_MARKER = re.compile(r"\[(?:Page|page|Pg\.?|pg\.?|p\.|P\.)\s?\w{1,8}\]")

# Words that join a suspended compound, e.g. "pre- and post-war", "two- or three-day".
CONJUNCTIONS = frozenset({"and", "or", "nor", "to", "than", "as", "but"})

# What OCR reads for what: (as printed, as read, cost). Cheaper than any other edit.
CONFUSIONS: tuple[tuple[str, str, float], ...] = (
    ("m", "rn", 0.3), ("d", "cl", 0.3), ("h", "li", 0.3), ("w", "vv", 0.3), ("u", "ii", 0.4),
    ("m", "in", 0.4), ("n", "ri", 0.4), ("h", "b", 0.4), ("b", "h", 0.4), ("e", "c", 0.4),
    ("c", "e", 0.4), ("n", "u", 0.4), ("u", "n", 0.4), ("l", "i", 0.4), ("i", "l", 0.4),
    ("t", "f", 0.4), ("f", "t", 0.4), ("o", "0", 0.2), ("l", "1", 0.2), ("i", "1", 0.3),
    ("s", "5", 0.3), ("b", "6", 0.4), ("g", "9", 0.4), ("z", "2", 0.5), ("e", "3", 0.5),
    ("a", "4", 0.5), ("t", "7", 0.5), ("b", "8", 0.5), ("o", "c", 0.5), ("c", "o", 0.5),
    ("a", "o", 0.5), ("o", "a", 0.5), ("a", "e", 0.6), ("e", "a", 0.6), ("r", "n", 0.6),
    ("n", "r", 0.6), ("s", "a", 0.6), ("v", "y", 0.6), ("y", "v", 0.6), ("j", "i", 0.6),
    ("i", "j", 0.6), ("k", "lc", 0.4), ("k", "h", 0.6), ("fi", "h", 0.6), ("fl", "h", 0.6),
)  # fmt: skip

# The costs of the other edits: a doubled letter is the cheapest to undo, a joined word
# ("informedof") next, then a letter dropped beside its twin ("comit"), then any letter.
DOUBLED = 0.4
JOIN = 0.4  # a word split by a space ("gov ernment")
SPLIT = 0.9  # two words run together ("informedof")
TWIN = 0.5
INSERT = 0.8  # a dropped letter: OCR loses letters more often than it invents them
TRANSPOSE = 0.8
EDIT = 1.0

# How much a candidate's frequency (per Zipf unit) and the document's own use of it weigh
# against the edit cost.
FREQUENCY_WEIGHT = 0.3
DOCUMENT_BONUS = 0.3
# What a second edit adds besides its own cost: two slips in one word are rarer than one.
SECOND_EDIT = 0.2
# A second edit only after a first this cheap, and two only as dear as this, SECOND_EDIT included.
CHEAP_FIRST = 0.6
MOST_TWO = 1.5
# How frequent both halves of a word run together must be: "informedof" is "informed of".
PAIR_ZIPF = 4.0

LETTERS = "abcdefghijklmnopqrstuvwxyz"
LETTER_SET = frozenset(LETTERS)

# A digit anywhere in a word, e.g. "c0nstitution", "1st".
HAS_DIGIT = re.compile(r"\d")

# What a digit-led token may end in without being an OCR mixture: ordinals, money,
# book formats, units, an inserted note's letter ("1st", "2d", "10s", "8vo", "37a").
NUMBER_SUFFIX = re.compile(r"^\d+(?:st|nd|rd|th|d|s|mo|vo|to|lb|lbs|kg|km|cm|mm|ft|in|am|pm|[a-z])$")

# A note marker with an inserted note's letter glued to a word, e.g. "41a" in "proposals41a".
NOTE_LETTER = re.compile(r"[a-z]{3}\d{1,3}[a-d]$")
# A number whose 1s and 0s were read as letters, e.g. "l0th" (10th), "2lst" (21st).
ORDINAL_MISREAD = re.compile(r"^[\dloi]*\d[\dloi]*(?:st|nd|rd|th|d)$")


@dataclass(frozen=True)
class Candidate:
    """A proposed reading and how it was reached: its weighted edit cost and its score."""

    word: str
    cost: float
    score: float  # higher is better: frequency and the document's use, less the edit cost


@dataclass(frozen=True)
class Finding:
    """A suspected error over ``[start, end)`` with its ranked candidates and the verdict."""

    start: int
    end: int
    surface: str
    candidates: tuple[Candidate, ...]
    correction: str  # the confident correction, or '' for a bare suspicion
    cert: str
    reason: str


class OcrDetector:
    """Suspected OCR errors in ordinary words, with ranked corrections; the editor's emendations."""

    name: ClassVar[str] = "ocr"
    defaults: ClassVar[Mapping[str, Any]] = DEFAULTS
    editorial: ClassVar[tuple[str, str]] = (
        "correction",
        "Suspected OCR and keying errors in ordinary words are marked sic; where one correction "
        "is clearly the most likely it is given in corr (choice/sic/corr, resp=\"#auto\", cert "
        "high or medium), and otherwise sic stands alone (resp=\"#auto\", cert=\"low\"). "
        "Emendations the editor accepted are encoded the same way with resp=\"#editor\". "
        "Capitalized words, numbers, foreign words and words marked [sic] are left as found.",
    )

    def detect(self, context: DetectionContext) -> Detection:
        options = {**DEFAULTS, **context.options}
        text = context.source.text
        corrections = context.registers.corrections
        claimed: list[tuple[int, int]] = [m.span() for m in PAGE_MARKER.finditer(text)]
        annotations: list[Annotation] = []

        # The editor's decisions first: accepted emendations are applied, rejected readings kept.
        for start, end, corr in editor_decisions(text, context.name, corrections):
            claimed.append((start, end))
            if corr:
                attrs = {"corr": corr, "resp": str(options["editor"]), "cert": "high"}
                annotations.append(Annotation(start, end, "sic", make_attrs(attrs), detector=self.name))
        claimed.extend(marked_sic(text))
        # Tokenized once: the names' spans and the checker both go through the words.
        words = list(WORD.finditer(text))
        surfaces = [match.group() for match in words]
        claimed.extend(name_spans(words, surfaces, context))

        review: list[ReviewItem] = []
        for finding in find_errors(text, options, claimed, words, surfaces):
            suggestions = tuple(c.word for c in finding.candidates[:5])
            if finding.correction:
                attrs = {"corr": finding.correction, "resp": "#auto", "cert": finding.cert}
                kind = "ocr.emendation"
            else:
                attrs = {"resp": "#auto", "cert": finding.cert}
                kind = "ocr.suspect"
            annotations.append(
                Annotation(finding.start, finding.end, "sic", make_attrs(attrs), detector=self.name)
            )
            review.append(
                ReviewItem(kind, finding.start, finding.end, finding.surface, suggestions,
                           finding.cert, finding.reason)
            )
        return Detection(tuple(annotations), (), tuple(review))


def editor_decisions(text: str, document: str, corrections: Any) -> Iterator[tuple[int, int, str]]:
    """Where ``corrections.yaml`` decides a reading: ``(start, end, corr)``; corr '' when rejected."""
    seen: set[tuple[int, int]] = set()
    for item in corrections.for_document(document):
        for match in whole_word(item.sic).finditer(text):
            span = match.span()
            if span in seen:
                continue
            chosen = corrections.lookup(item.sic, document, text, match.start())
            if chosen is None:
                continue
            seen.add(span)
            yield span[0], span[1], chosen.corr if chosen.accepted else ""


def marked_sic(text: str) -> Iterator[tuple[int, int]]:
    """The words the source itself marks ``[sic]``: the word just before the mark."""
    for match in SOURCE_SIC.finditer(text):
        before = list(WORD.finditer(text, max(0, match.start() - 60), match.start()))
        if before:
            yield before[-1].start(), match.end()


def name_spans(
    words: Sequence[re.Match[str]], surfaces: Sequence[str], context: DetectionContext
) -> Iterator[tuple[int, int]]:
    """Every word (of ``words``, which read ``surfaces``) of a registered person's name, form or
    variant, wherever it stands."""
    names = _name_words(context.registers.persons)
    if not names:
        return
    for index in [i for i, surface in enumerate(surfaces) if surface in names]:
        yield words[index].span()


@per_register
def _name_words(persons: Personography) -> frozenset[str]:
    """The words (of three letters or more) of every name, form and variant of the register."""
    return frozenset(
        word
        for person in persons
        for name in (person.name, *person.forms, *person.variants)
        for word in WORD.findall(name)
        if len(word) > 2
    )


def find_errors(
    text: str, options: Mapping[str, Any], claimed: Sequence[tuple[int, int]],
    words: Sequence[re.Match[str]], surfaces: Sequence[str],
) -> list[Finding]:  # fmt: skip
    """Every suspected error in ``text`` outside the ``claimed`` spans, in document order.

    ``words`` are the text's `WORD` matches, ``surfaces`` what they read.
    """
    checker = _Checker(text, options, claimed, words, surfaces)
    return sorted(checker.run(), key=lambda f: f.start)


class _Checker:
    """One pass over a text: its vocabulary, the spans already decided, and the options."""

    def __init__(
        self, text: str, options: Mapping[str, Any], claimed: Sequence[tuple[int, int]],
        words: Sequence[re.Match[str]], surfaces: Sequence[str],
    ) -> None:  # fmt: skip
        self.text = text
        self.common = float(options["common_zipf"])
        self.attested = float(options["attested_zipf"])
        self.foreign = tuple(str(x) for x in options["foreign"])
        self.foreign_common = float(options["foreign_zipf"])
        self.min_length = int(options["min_length"])
        self.max_cost = float(options["max_cost"])
        self.margin = float(options["margin"])
        self.repeats = int(options["repeats"])
        self.suspects = bool(options["suspects"])
        self.claimed = sorted(claimed)
        self.longest = max((e - s for s, e in self.claimed), default=0)
        self.words = words
        self.surfaces = surfaces
        self.lowered = list(map(str.lower, self.surfaces))
        self.vocabulary = Counter(self.lowered)
        self._known: dict[str, bool] = {}

    # -- spans ---------------------------------------------------------------------------
    def free(self, start: int, end: int) -> bool:
        # Only spans starting within `longest` before ``end`` can overlap: look at those alone.
        index = bisect.bisect_left(self.claimed, (end, -1))
        while index > 0 and self.claimed[index - 1][0] >= start - self.longest:
            index -= 1
            if self.claimed[index][1] > start:
                return False
        return True

    def claim(self, start: int, end: int) -> None:
        bisect.insort(self.claimed, (start, end))
        self.longest = max(self.longest, end - start)

    # -- lexicon -------------------------------------------------------------------------
    def known(self, word: str) -> bool:
        """English, as it stands (cached per text: a word recurs)."""
        if word not in self._known:
            self._known[word] = lexicon.is_known(word, self.common)
        return self._known[word]

    def foreign_word(self, word: str) -> bool:
        return lexicon.foreign_zipf(word, self.foreign) >= self.foreign_common

    def valid(self, word: str) -> bool:
        """Whether ``word`` may be offered as a correction: a listed word, not a derivation."""
        return word in lexicon.listed(self.common).words

    # -- the pass ------------------------------------------------------------------------
    def run(self) -> Iterator[Finding]:
        yield from self.broken_hyphens()
        yield from self.compounds()
        yield from self.splits()
        settled = _settled_among(set(self.surfaces), self.min_length, self.common)
        for index in [i for i, surface in enumerate(self.surfaces) if surface not in settled]:
            match = self.words[index]
            if not self.free(*match.span()):
                continue
            found = self.word(index, match)
            if found:
                self.claim(found.start, found.end)
                yield found

    def broken_hyphens(self) -> Iterator[Finding]:
        """``govern- ment`` → ``government``; not ``pre- and post-war``."""
        for match in BROKEN_HYPHEN.finditer(self.text):
            first, second = match.group(1), match.group(2)
            joined = first + second
            if second in CONJUNCTIONS or not self.valid(joined.lower()) or not self.free(*match.span()):
                continue
            either_unknown = not lexicon.in_dictionary(first.lower()) or not lexicon.in_dictionary(second)
            cert = "high" if either_unknown else "medium"
            self.claim(*match.span())
            yield Finding(match.start(), match.end(), match.group(), (Candidate(joined, JOIN, 0.0),),
                          joined, cert, "a word broken by a hyphen and a space or line end")

    def compounds(self) -> Iterator[Finding]:
        """``govern-ment`` → ``government`` when a part is not a word and the whole is."""
        for match in COMPOUND.finditer(self.text):
            first, second = match.group(1), match.group(2)
            if first[:1].isupper() or not self.free(*match.span()):
                continue
            joined = first + second
            if self.known(first) and self.known(second):
                continue
            if self.valid(joined) and self.vocabulary[joined] + 1 >= 1 and not self._is_prefix(first):
                self.claim(*match.span())
                yield Finding(match.start(), match.end(), match.group(),
                              (Candidate(joined, JOIN, 0.0),), joined, "medium",
                              "a word with a hyphen inside that is a word without it")

    @staticmethod
    def _is_prefix(part: str) -> bool:
        return part.lower() in lexicon.PREFIXES

    def _settled(self, surface: str) -> bool:
        """Whether ``surface`` is no error wherever it stands: most words, decided once a process."""
        return _settled(surface, self.min_length, self.common)

    def word(self, index: int, match: re.Match[str]) -> Finding | None:
        surface = match.group()
        start, end = match.span()
        if self._settled(surface):
            return None
        digits = HAS_DIGIT.search(surface) is not None
        if digits and not any(map(str.isalpha, surface)):
            return None  # a number: `mixture` wants letters among the digits
        if self._in_named_compound(start, end) or self._elided(start):
            return None
        if digits:
            if self._foreign_neighbourhood(index):
                return None  # "au 1er avril"
            return self.mixture(surface, start, end)
        if self._abbreviation(end, surface) or lexicon.is_roman_numeral(surface):
            return None
        if self._contraction(end, surface):
            return None
        if self.foreign_word(surface) or self._foreign_neighbourhood(index):
            return None
        return self.unknown(surface, start, end)

    def unknown(self, word: str, start: int, end: int) -> Finding | None:
        """Decide on a lowercase word no lexicon knows: an emendation, a suspicion, or nothing."""
        zipf = lexicon.zipf(word)
        candidates = self.candidates(word)
        best = candidates[0] if candidates else None
        second = candidates[1] if len(candidates) > 1 else None
        lead = best.score - second.score if best and second else 99.0
        repeated = self.vocabulary[word] >= self.repeats
        if best is None:
            return None
        gain = lexicon.zipf(best.word) - zipf
        if zipf >= self.attested or repeated:
            # A word in use (in wordfreq, or again in this document): only a cheap OCR
            # confusion into a far more common word overrules it ("tbe" → "the").
            if best.cost <= self.max_cost and gain >= 2.5 and lead >= self.margin:
                return self._finding(word, start, end, candidates, best.word, "medium",
                                     "a slip from a far more common word")
            return None
        if best.cost <= self.max_cost and lead >= self.margin and gain >= 1.0:
            cert = "high" if best.cost <= 0.5 and lead >= 2 * self.margin else "medium"
            return self._finding(word, start, end, candidates, best.word, cert,
                                 "not an English word; one correction is clearly the likeliest")
        if self.suspects and best.cost <= self.max_cost and zipf == 0.0:
            close = [c for c in candidates if c.cost <= self.max_cost and lexicon.zipf(c.word) >= 3.5]
            if len(close) >= 2:
                return self._finding(word, start, end, candidates, "", "low",
                                     "not an English word; several corrections are possible")
        return None

    def mixture(self, surface: str, start: int, end: int) -> Finding | None:
        """Digits among letters: ``c0nstitution``, ``0f``; not ``1st``, ``10s``, ``8vo``, ``37a``."""
        letters = sum(ch.isalpha() for ch in surface)
        if letters == 0 or NUMBER_SUFFIX.match(surface.lower()):
            return None
        lower = surface.lower()
        inside = re.search(r"[a-z]\d+[a-z]", lower)
        trailing = re.fullmatch(r"([a-z]+)(\d)", lower)
        if trailing and (self.known(trailing.group(1)) or not surface[0].islower()):
            return None  # "constitution27", "law5": a word and its note marker
        if NOTE_LETTER.search(lower) or ORDINAL_MISREAD.match(lower):
            return None
        if not inside and not trailing and not (lower[0].isdigit() and lower[-1].isalpha()):
            return None  # "B17": a designation
        if letters < 2 or sum(ch.isdigit() for ch in surface) > letters:
            return None
        readings = _digit_readings(lower)
        ranked = sorted(
            (Candidate(r, cost, FREQUENCY_WEIGHT * lexicon.zipf(r) - cost) for r, cost in readings
             if lexicon.in_dictionary(r) and lexicon.zipf(r) >= self.common),
            key=lambda c: (-c.score, c.word),
        )
        if ranked:
            best = ranked[0]
            word = _recase(best.word, surface)
            ranked = [Candidate(_recase(c.word, surface), c.cost, c.score) for c in ranked]
            return self._finding(surface, start, end, ranked, word, "high",
                                 "digits read for letters inside a word")
        if inside and surface[0].islower():
            return self._finding(surface, start, end, [], "", "low", "digits inside a word")
        return None

    def splits(self) -> Iterator[Finding]:
        """A word split by one space: ``gov ernment``, ``extra cts`` → ``government``, ``extracts``.

        Only when a part is not in the dictionary: ``any one`` and ``per cent`` stand.
        """
        # Only the pairs with a part of ASCII letters not in the dictionary, in order.
        unlisted = {w for w in self.vocabulary if w.isascii() and w.isalpha() and not lexicon.in_dictionary(w)}
        last = len(self.words) - 2
        beside = {i + step for i, w in enumerate(self.lowered) if w in unlisted for step in (-1, 0)}
        for index in sorted(i for i in beside if 0 <= i <= last):
            a, b = self.words[index], self.words[index + 1]
            first, second = self.surfaces[index], self.surfaces[index + 1]
            if self.text[a.end() : b.start()] != " ":
                continue
            if not (first + second).isalpha() or not (first + second).isascii():
                continue
            if not second.islower() or not first[1:].islower():
                continue
            joined = (first + second).lower()
            if len(joined) < 5 or lexicon.zipf(joined) < self.common or not self.valid(joined):
                continue
            if not self.free(a.start(), b.end()):
                continue
            if self._in_named_compound(a.start(), b.end()):
                continue
            if self._foreign_neighbourhood(index, index + 1):
                continue
            corr = first + second
            cert = "high" if lexicon.zipf(joined) >= 4.0 else "medium"
            self.claim(a.start(), b.end())
            yield self._finding(self.text[a.start() : b.end()], a.start(), b.end(),
                                [Candidate(corr, JOIN, 0.0)], corr, cert, "a word split by a space")

    def candidates(self, word: str) -> list[Candidate]:
        """Corrections of ``word`` ranked best first: cheap OCR edits, frequent and local words."""
        ranked = [Candidate(w, cost, self._score(w, cost)) for w, cost in corrections(word, self.common)]
        ranked.sort(key=lambda c: (-c.score, c.cost, c.word))
        return ranked

    def _score(self, word: str, cost: float) -> float:
        parts = word.split(" ")
        frequency = min(lexicon.zipf(p) for p in parts)
        local = DOCUMENT_BONUS if all(self.vocabulary[p] for p in parts) else 0.0
        return FREQUENCY_WEIGHT * frequency + local - cost

    # -- things that are not errors ------------------------------------------------------
    def _in_named_compound(self, start: int, end: int) -> bool:
        """A part of a hyphenated name: ``Wang-wên-shao``, ``Bally-dehob``."""
        left = re.search(r"([^\W\d_]+)-$", self.text[max(0, start - 40) : start])
        right = re.match(r"-([^\W\d_]+)", self.text[end : end + 40])
        return any(m and not m.group(1).islower() for m in (left, right))

    def _elided(self, start: int) -> bool:
        """French or Italian after an elision: ``d’affaires``, ``l’Iran``."""
        return bool(re.search(r"(?<![\w])[dlDLjJnNsScCmMtT]['’]$", self.text[max(0, start - 3) : start]))

    def _abbreviation(self, end: int, word: str) -> bool:
        """``crim. con.``, ``cwt.``: a short word and a full stop, or a full stop mid-sentence."""
        if not self.text.startswith(".", end):
            return False
        after = self.text[end + 1 : end + 4].lstrip()
        return len(word) <= 4 or not after or not after[0].isupper()

    def _contraction(self, end: int, word: str) -> bool:
        """``couldn’t``, ``o’clock``: the word with its apostrophe is a word."""
        after = re.match(r"['’]([a-z]+)", self.text[end : end + 12])
        return bool(after) and lexicon.is_word(f"{word}'{after.group(1)}", self.common)  # type: ignore[union-attr]

    def _foreign_neighbourhood(self, index: int, last: int | None = None) -> bool:
        """Whether a word near words ``index..last`` is foreign and not English: the passage is not."""
        last = index if last is None else last
        for other in range(max(0, index - 2), min(len(self.words), last + 3)):
            if index <= other <= last:
                continue
            word = self.surfaces[other]
            lower = self.lowered[other]
            if not word.isalpha():
                continue
            if not word.isascii() and lower.islower():
                return True  # "régime", "impunément"
            if not self.known(lower) and self.foreign_word(lower):
                return True
        return False

    def _finding(self, surface: str, start: int, end: int, candidates: Sequence[Candidate],
                 correction: str, cert: str, reason: str) -> Finding:
        return Finding(start, end, surface, tuple(candidates), correction, cert, reason)


# Per (min_length, common): the word forms found settled so far in this process. A corpus
# repeats its words: a text's forms minus these, a set difference, leaves few to decide.
_SETTLED: dict[tuple[int, float], set[str]] = {}


def _settled_among(surfaces: set[str], min_length: int, common: float) -> set[str]:
    """Those of ``surfaces`` that are no error wherever they stand (`_settled`)."""
    known = _SETTLED.setdefault((min_length, common), set())
    if len(known) > 1 << 18:
        known.clear()  # a bound on the memory, as an LRU cache would have
    known.update(s for s in surfaces - known if _settled(s, min_length, common))
    return surfaces & known


def _settled(surface: str, min_length: int, common: float) -> bool:
    if not surface.isascii() or len(surface) < min_length:
        return True
    # Capitalized: the names stage's; an acronym: not ours; or a word.
    return not HAS_DIGIT.search(surface) and (not surface.islower() or lexicon.is_known(surface, common))


@functools.lru_cache(maxsize=1 << 14)  # a volume repeats its slips ("tbe", "tlie"): search each once
def corrections(word: str, common: float) -> tuple[tuple[str, float], ...]:
    """What ``word`` may be a misreading of, each at its cheapest weighted edit cost, by word.

    A listed word (`lexicon.listed` at ``common``) or a pair of frequent words
    (`_word_pairs`), one edit from ``word`` or two: a second edit only after a first
    of at most `CHEAP_FIRST`, and only where the two with `SECOND_EDIT` cost at most
    `MOST_TWO`. The search makes only the readings that can be listed words and
    tests each cost's readings against the lexicon as one set.
    """
    listed = lexicon.listed(common)
    best: dict[str, float] = {}
    first = _readings_by_cost(word, lambda cost: True)
    for cost, readings in first.items():
        _keep(best, listed.words.intersection(readings), cost)
    _keep(best, _word_pairs(word), SPLIT)
    cheap: dict[str, float] = {}  # each reading a cheap first edit gives, at its cheapest
    for cost in sorted(c for c in first if c <= CHEAP_FIRST):
        for reading in first[cost]:
            cheap.setdefault(reading, cost)
    for reading, cost in cheap.items():
        _keep_second_edits(best, reading, cost, listed)
    best.pop(word, None)
    return tuple(sorted(best.items()))


def _keep_second_edits(best: dict[str, float], reading: str, first: float, listed: lexicon.Listed) -> None:
    """Into ``best``: the words one more edit of ``reading`` (reached at cost ``first``) makes."""

    def total(more: float) -> float:
        # Always summed in this order: two ways of equal cost give the very same float.
        return first + more + SECOND_EDIT

    # A second edit makes the correction itself, so only where a listed word can
    # begin with what precedes it and end with what follows it: most places are not.
    last_start = listed.longest_start(reading)
    first_end = len(reading) - listed.longest_end(reading)
    within = _readings_by_cost(reading, lambda more: total(more) <= MOST_TWO, last_start, first_end)
    for more, readings in within.items():
        _keep(best, listed.words.intersection(readings), total(more))
    if total(SPLIT) <= MOST_TWO:
        _keep(best, _word_pairs(reading), total(SPLIT))


def _keep(best: dict[str, float], words: Iterable[str], cost: float) -> None:
    for word in words:
        if cost < best.get(word, 99.0):
            best[word] = cost


def _word_pairs(word: str) -> list[str]:
    """``word`` split in two frequent words (`PAIR_ZIPF`), each of two letters or more: "informedof"."""
    pairs = ((word[:i], word[i:]) for i in range(2, len(word) - 1))
    return [f"{left} {right}" for left, right in pairs
            if lexicon.zipf(left) >= PAIR_ZIPF and lexicon.zipf(right) >= PAIR_ZIPF]  # fmt: skip


def _readings_by_cost(word: str, admits: Callable[[float], bool], last_start: int | None = None,
                      first_end: int = 0) -> dict[float, list[str]]:  # fmt: skip
    """The readings one edit from ``word`` by what the edit costs, for the costs ``admits``.

    Confusions, a doubled letter undone, a letter dropped, changed, swapped or
    added (cheaper when it doubles a neighbour); a split is `_word_pairs`'. A
    reading may stand at more than one cost: its cheapest is its cost. Only
    edits of ``word[a:b]`` with ``a <= last_start`` and ``b >= first_end`` are made.
    """
    n = len(word)
    last = n if last_start is None else min(last_start, n)
    by_cost: dict[float, list[str]] = {}
    for printed, read, cost in CONFUSIONS:
        at = word.find(read)
        if 0 <= at <= last and admits(cost):
            group = by_cost.setdefault(cost, [])
            while 0 <= at <= last:
                if at + len(read) >= first_end:
                    group.append(word[:at] + printed + word[at + len(read) :])
                at = word.find(read, at + 1)
    one = range(max(0, first_end - 1), min(n - 1, last) + 1)  # where one letter may change
    for i in one:
        cost = DOUBLED if i > 0 and word[i] == word[i - 1] else EDIT
        if admits(cost):
            by_cost.setdefault(cost, []).append(word[:i] + word[i + 1 :])
    if admits(EDIT):
        by_cost.setdefault(EDIT, []).extend(
            word[:i] + letter + word[i + 1 :] for i in one for letter in LETTERS if letter != word[i]
        )
    if admits(TRANSPOSE):
        by_cost.setdefault(TRANSPOSE, []).extend(
            word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            for i in range(max(0, first_end - 2), min(n - 2, last) + 1)
            if word[i] != word[i + 1]
        )
    twin, insert = admits(TWIN), admits(INSERT)
    for i in range(first_end, last + 1):
        head, tail = word[:i], word[i:]
        twins = {word[i - 1] if i else "", word[i] if i < n else ""} & LETTER_SET
        if twin:
            by_cost.setdefault(TWIN, []).extend(head + letter + tail for letter in twins)
        if insert:
            by_cost.setdefault(INSERT, []).extend(
                head + letter + tail for letter in LETTERS if letter not in twins
            )
    return by_cost


def _digit_readings(word: str) -> list[tuple[str, float]]:
    """Each way of reading the digits in ``word`` as the letters OCR mistakes them for."""
    readings: list[tuple[str, float]] = [("", 0.0)]
    for ch in word:
        if ch.isdigit():
            options = [(a, cost) for a, b, cost in CONFUSIONS if b == ch and len(a) == 1]
            if not options:
                return []
            readings = [(r + a, c + cost) for r, c in readings for a, cost in options]
        else:
            readings = [(r + ch, c) for r, c in readings]
        if len(readings) > 64:
            return []
    return readings


def _recase(word: str, like: str) -> str:
    """``word`` with ``like``'s initial capital."""
    return word[:1].upper() + word[1:] if like[:1].isupper() else word
