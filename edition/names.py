"""Personal names: parse a display name, derive the forms it takes in running text, compare spellings.

Pure helpers for the persons detector (`edition.detectors.persons`) and the
evaluation. A display name is written forename first ("Maj. Gen. William S.
Graves", "Grigory Yevseyevich Zinoviev", "Earl of Reading", "Count Wilhelm von
Mirbach"); `derive_forms` lists the forms a text uses for that person: the
surname, forename + surname, initials + surname, forename + patronymic, and each
with the person's titles ("General Graves", "Lord Reading"). `confusion_cost`
is an edit distance in which plausible confusions (vowels, l/r, v/w, a dropped
h) cost less than arbitrary ones, for recognising a garbled name. `zipf` is the
one door to the English lexicon (wordfreq), shared with whoever needs it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from edition import lexicon

# Titles that stand before a name, longest first; each with the other ways a text writes it.
# e.g. "Maj. Gen. William S. Graves" is also "General Graves" and "Gen. Graves".
TITLES: dict[str, tuple[str, ...]] = {
    "Brig. Gen.": ("General", "Gen.", "Brigadier General"),
    "Brigadier General": ("General", "Gen.", "Brig. Gen."),
    "Maj. Gen.": ("General", "Gen.", "Major General"),
    "Major General": ("General", "Gen.", "Maj. Gen."),
    "Lieut. Col.": ("Colonel", "Col.", "Lieutenant Colonel"),
    "Lieutenant Colonel": ("Colonel", "Col.", "Lieut. Col."),
    "Grand Duke": (),
    "Gen.": ("General",),
    "General": ("Gen.",),
    "Col.": ("Colonel",),
    "Colonel": ("Col.",),
    "Maj.": ("Major",),
    "Major": ("Maj.",),
    "Capt.": ("Captain",),
    "Captain": ("Capt.",),
    "Lieut.": ("Lieutenant",),
    "Lieutenant": ("Lieut.",),
    "Admiral": ("Adm.",),
    "Ataman": (),
    "Dr.": ("Doctor",),
    "Sir": (),
    "Lord": (),
    "Lady": (),
    "Count": (),
    "Countess": (),
    "Baron": (),
    "Baroness": (),
    "Viscount": (),
    "Prince": (),
    "Princess": (),
    "Emperor": (),
    "Empress": (),
    "Tsar": (),
    "King": (),
    "Queen": (),
}
# Peerages named after a place: "Earl of Reading" is "Lord Reading", and "Reading" alone.
TERRITORIAL = ("Earl of", "Marquess of", "Marquis of", "Duke of", "Viscount of")
# Titles that go with a forename rather than a surname: "Sir Charles", "Grand Duke Michael".
FORENAME_TITLES = frozenset({"Sir", "Lady", "Grand Duke", "Prince", "Princess", "Emperor", "Tsar",
                             "King", "Queen"})
# Lowercase particles before a surname, e.g. "von" in "Wilhelm von Mirbach".
PARTICLES = frozenset({"von", "van", "de", "du", "der", "den", "la", "le", "di", "da", "del", "zu",
                       "ter", "ten"})
# A regnal number after a name, e.g. "II" in "Nicholas II".
REGNAL = re.compile(r"[IVX]+")
# A Russian patronymic, e.g. "Yevseyevich", "Alexandrovich", "Ilyich", "Petrovna".
PATRONYMIC = re.compile(r"[A-Z]\w+(?:ovich|evich|ich|ovna|evna|ichna)")
# A word ending of a relative's or a patronymic form of a surname, e.g. "Zinovieva", "Mironovich".
RELATIVE_ENDINGS = ("ova", "eva", "yeva", "ina", "aya", "skaya", "ovich", "evich", "ovna", "evna",
                    "ich", "ichna")
# A parenthesis in a register name, e.g. "(Bronstein)", "(later Maj. Gen.)".
PARENTHESIS = re.compile(r"\s*\(([^()]*)\)")
# A word of a name: letters, with an inner apostrophe or an initial's full stop, e.g. "O’Brien", "W.".
NAME_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*\.?|[IVX]+")

VOWELS = frozenset("aeiouyáéíóúäëïöü")
# Consonants that transliteration, translation or OCR confuse: "Morchanov" for "Molchanov".
CONFUSABLE = frozenset(
    frozenset(pair)
    for pair in ("lr", "vw", "vf", "bp", "dt", "gk", "ck", "kq", "sz", "mn", "cs", "jy", "jz",
                 "xz", "xks", "gh", "sc")
    if len(pair) == 2
)
CHEAP_INDELS = frozenset("hy") | VOWELS  # letters a spelling drops or adds: "Yezhov" → "Yerov"


@dataclass(frozen=True)
class NameParts:
    """A display name taken apart: "Maj. Gen." + ("William", "S.") + "" + "Graves"."""

    titles: tuple[str, ...] = ()
    forenames: tuple[str, ...] = ()  # given names and initials, in order
    patronymic: str = ""
    particle: str = ""  # "von" in "von Mirbach"
    surname: str = ""  # empty for "Grand Duke Michael Alexandrovich" or "Nicholas II"
    regnal: str = ""  # "II"
    territorial: bool = False  # "Earl of Reading": the surname is the peerage's place
    aliases: tuple[str, ...] = ()  # names in parentheses: "Bronstein", "Vladimir Ulyanov"

    @property
    def initials(self) -> tuple[str, ...]:
        """Each forename as an initial: ("W.", "S.")."""
        return tuple(f"{name[0]}." for name in self.forenames if name[:1].isupper())

    @property
    def given(self) -> tuple[str, ...]:
        """The forenames written out (not initials)."""
        return tuple(name for name in self.forenames if not is_initial(name))


def is_initial(word: str) -> bool:
    """``W.`` or ``W``: one capital letter, with or without its full stop."""
    return len(word.rstrip(".")) == 1 and word[0].isupper()


def parse_name(name: str) -> NameParts:
    """Take a forename-first display name apart (titles, forenames, patronymic, particle, surname)."""
    aliases = tuple(
        inner.strip()
        for inner in PARENTHESIS.findall(name)
        if inner.strip() and not inner.strip().startswith("later")
    )
    words = PARENTHESIS.sub(" ", name).replace(",", " ").split()
    titles: list[str] = []
    territorial = False
    while words:
        found = _title_at(words)
        if not found:
            break
        titles.append(found)
        words = words[len(found.split()) :]
        if found in TERRITORIAL:
            territorial = True
            break
    if territorial:
        return NameParts(tuple(titles), surname=" ".join(words), territorial=True, aliases=aliases)
    regnal = ""
    if len(words) > 1 and REGNAL.fullmatch(words[-1]):
        regnal = words.pop()
        return NameParts(tuple(titles), tuple(words), regnal=regnal, aliases=aliases)
    if not words:
        return NameParts(tuple(titles), aliases=aliases)
    surname_at = len(words) - 1
    while surname_at > 1 and words[surname_at - 1] in PARTICLES:
        surname_at -= 1
    particle = " ".join(words[surname_at:-1])
    surname = words[-1]
    forenames = words[:surname_at]
    patronymic = ""
    if forenames and PATRONYMIC.fullmatch(surname) and not particle:
        patronymic, surname = surname, ""  # "Grand Duke Michael Alexandrovich": no surname
    elif len(forenames) > 1 and PATRONYMIC.fullmatch(forenames[-1]):
        patronymic = forenames.pop()
    if not forenames and not surname:
        surname = patronymic
        patronymic = ""
    return NameParts(tuple(titles), tuple(forenames), patronymic, particle, surname, "", False,
                     aliases)


def _title_at(words: list[str]) -> str:
    for title, size in _titles_longest_first():
        if len(words) > size and " ".join(words[:size]) == title:
            return title
    return ""


@cache
def _titles_longest_first() -> tuple[tuple[str, int], ...]:
    """Every title and its number of words, longest first: sorted once, not for each word of
    each name (a register of 1,500 persons took 0.2 s to take apart)."""
    titles = sorted((*TITLES, *TERRITORIAL), key=lambda t: -len(t.split()))
    return tuple((title, len(title.split())) for title in titles)


def derive_forms(name: str) -> tuple[str, ...]:
    """The forms a text may name this person by, derived from the display name; no repeats.

    "Maj. Gen. William S. Graves" → Graves, William Graves, William S. Graves, W. Graves,
    W. S. Graves, and each of these after "Maj. Gen.", "General", "Gen.", "Major General".
    "Grigory Yevseyevich Zinoviev" adds "Grigory Yevseyevich"; "Earl of Reading" gives
    Reading, Earl of Reading, Lord Reading; a name in parentheses adds its own forms.
    """
    parts = parse_name(name)
    forms: list[str] = [" ".join(PARENTHESIS.sub(" ", name).split())]
    forms.extend(_forms(parts))
    for alias in parts.aliases:
        alias_parts = parse_name(alias)
        if alias_parts.surname:
            forms.extend(_forms(alias_parts))
    return tuple(dict.fromkeys(f for f in forms if f))


def _forms(parts: NameParts) -> list[str]:
    titles = [t for title in parts.titles for t in (title, *TITLES.get(title, ()))]
    if parts.territorial:
        place = parts.surname
        return [place, *(f"{t} {place}" for t in parts.titles), f"Lord {place}"]
    if not parts.surname:  # "Grand Duke Michael Alexandrovich", "Nicholas II"
        first = parts.given[:1]
        named: list[str] = []
        if first and parts.patronymic:
            named.append(f"{first[0]} {parts.patronymic}")
        if first and parts.regnal:
            named.append(f"{first[0]} {parts.regnal}")
        out = list(named)
        for title in titles:
            out += [f"{title} {b}" for b in named]
            if first:
                out.append(f"{title} {first[0]}")
        return out
    surname = f"{parts.particle} {parts.surname}".strip()
    surnames = dict.fromkeys((surname, parts.surname))
    bases: list[str] = list(surnames)
    given, initials = parts.given, parts.initials
    for sur in surnames:
        if parts.forenames:
            bases.append(" ".join((*parts.forenames, sur)))
            bases.append(" ".join((*initials, sur)))
            bases.append(f"{initials[0]} {sur}")
        if given:
            bases.append(f"{given[0]} {sur}")
            rest = parts.forenames[parts.forenames.index(given[0]) + 1 :]
            if rest:
                bases.append(" ".join((given[0], *(f"{w[0]}." for w in rest), sur)))
        if parts.patronymic and parts.forenames:
            bases.append(f"{parts.forenames[0]} {parts.patronymic} {sur}")
            bases.append(f"{initials[0]} {parts.patronymic[0]}. {sur}")
    if parts.patronymic and given:
        bases.append(f"{given[0]} {parts.patronymic}")
    out = list(bases)
    for title in titles:
        if title in FORENAME_TITLES:
            out += [f"{title} {b}" for b in bases if b not in surnames]
            if given:
                out.append(f"{title} {given[0]}")
        else:
            out += [f"{title} {b}" for b in bases]
    return out


def name_words(form: str) -> tuple[str, ...]:
    """The words of a form as the matcher compares them: ("W.", "S.", "Graves")."""
    return tuple(NAME_WORD.findall(form))


def is_relative_form(word: str, surname: str) -> bool:
    """Whether ``word`` is a wife's or a patronymic form of ``surname``: "Zinovieva", "Mironovich".

    True when the word is the surname with letters added, or ends as a Russian feminine or
    patronymic form does while the surname does not ("Zinovyeva" beside "Zinoviev").
    """
    w, s = word.lower(), surname.lower()
    if w != s and w.startswith(s):
        return True
    return any(w.endswith(e) and not s.endswith(e) and len(w) > len(e) + 2 for e in RELATIVE_ENDINGS)


def substitution_cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if a in VOWELS and b in VOWELS:
        return 0.5
    if frozenset((a, b)) in CONFUSABLE:
        return 0.5
    return 1.0


def indel_cost(ch: str) -> float:
    return 0.5 if ch in CHEAP_INDELS else 1.0


@lru_cache(maxsize=65536)
def confusion_cost(a: str, b: str) -> float:
    """A weighted edit distance between two spellings, case ignored.

    Substituting a vowel for a vowel or a confusable consonant (l/r, v/w, s/z …) costs 0.5,
    dropping or adding a vowel, h or y 0.5, anything else 1: "Yerev" is 2.0 from "Yezhov"
    (z→r, h dropped, o→e) and 3.5 from "Yagoda".
    """
    a, b = a.lower(), b.lower()
    previous = [0.0]
    for ch in b:
        previous.append(previous[-1] + indel_cost(ch))
    for ca in a:
        current = [previous[0] + indel_cost(ca)]
        for j, cb in enumerate(b, start=1):
            current.append(
                min(
                    previous[j] + indel_cost(ca),
                    current[j - 1] + indel_cost(cb),
                    previous[j - 1] + substitution_cost(ca, cb),
                )
            )
        previous = current
    return previous[-1]


@lru_cache(maxsize=65536)
def zipf(word: str, language: str = "en") -> float:
    """How common ``word`` is in ``language`` on the Zipf scale (0: unknown; 'the' ≈ 7.7).

    The one place edition asks the lexicon (wordfreq); a real word or a real surname
    has a frequency, a garble has none. A word of Latin letters alone (*Krüger*, *señor*)
    is one token, looked up in the list `edition.lexicon` keeps as plain data (the same
    values): importing wordfreq and loading its list again cost a process 0.3–0.4 s,
    which a one-document rebuild paid for an accented name.
    """
    lowered = word.lower()
    if language == "en" and lowered.isalpha() and (lowered.isascii() or _plain_latin(lowered)):
        return lexicon.zipf(lowered, language)
    from wordfreq import zipf_frequency

    return float(zipf_frequency(lowered, language))


def _plain_latin(word: str) -> bool:
    """Whether ``word`` is Latin letters as wordfreq keeps them (NFC, case-folded): its
    tokenizer leaves such a word whole, so the list's value is its value (no *straße*:
    wordfreq reads it as *strasse*)."""
    return unicodedata.normalize("NFC", word.casefold()) == word and all(
        unicodedata.name(ch, "").startswith("LATIN ") for ch in word
    )
