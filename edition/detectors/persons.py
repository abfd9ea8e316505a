"""Detect mentions of the register's persons, link each to one person, and regularize garbled names.

Three passes over a document, each stricter than the last about what it may claim:

1. **Regular forms** (the display name, ``forms`` or, when absent, the forms derived by
   `edition.names.derive_forms`) and the editor's ``variants``: the longest form wins at
   each place ("Francis O. Lindley" is Lindley, not Francis). A bare surname is passed
   over where it cannot be the person: inside a page marker (``[Page 301]``), before a
   number (``Page 3``), or after someone else's initials ("R. R. Stevens").
2. **Shared surnames**: a form two persons share ("Morris") is settled by the evidence of
   the same document — a title or office before it ("General Poole", "Ambassador Morris"),
   the office in a heading's "The Ambassador in Japan (Morris)" read against each person's
   description, the sender or recipient in the metadata, or the one of them the document
   names unambiguously elsewhere — with ``cert="medium"``; otherwise it is not guessed and
   is reported (``person.ambiguous``).
3. **Unknown variants**: a capitalized word no English lexicon knows that is close to a
   registered surname (`edition.names.confusion_cost`) is linked with ``resp="#auto"`` and
   a ``cert``, and reported (``person.link``) — never silently. It must be clearly closer
   to one person than to any other, and that person must be named correctly elsewhere in
   the document (without that, only a one-letter slip is taken, at ``cert="low"``). A
   wife's or patronymic form ("Zinovieva", "Mironovich") is not the man.

Names the register lacks but the text marks as names (initials, a title, a heading's
"(Davis)") and garbles that fell short of a link are reported as ``person.candidate``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from edition.annotations import Annotation, make_attrs
from edition.blocks import Block
from edition.detectors import Detection, DetectionContext, ReviewItem
from edition.names import (
    TITLES,
    confusion_cost,
    derive_forms,
    is_relative_form,
    parse_name,
    zipf,
)
from edition.persons import Personography, PersonRecord, per_register

if TYPE_CHECKING:
    from edition.surname_table import SurnameTable

DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {
        "variants": True,  # link unknown words close to a registered surname
        "known_word_zipf": 1.0,  # a word this common (wordfreq Zipf) is a real word, not a garble
        "max_cost": 2.5,  # the largest confusion cost a variant may be from the surname
        "max_cost_ratio": 0.35,  # … and per letter of the longer spelling
        "margin": 1.0,  # how much closer to the best person than to the next one
        "unattested_cost": 1.0,  # the largest cost when the person is not named elsewhere
        "min_length": 4,  # shorter words are never taken for variants
        "candidates": True,  # report unregistered names for `edition review`
    }
)

# A word of running text: letters with inner apostrophes or a bracketed restoration,
# e.g. "Kamenev" in "Kamenev’s", "O’Brien", "P[olk]"; the possessive "’s" stays outside.
WORD = re.compile(r"[^\W\d_]+(?:['’](?!s(?![^\W\d_]))[^\W\d_]+|\[[^\W\d_]+\][^\W\d_]*)*")
# Initials just before a word, e.g. "R. R. " in "R. R. Stevens".
INITIALS_BEFORE = re.compile(r"(?:\b[A-Z]\.\s?)+\s*$")
# A page marker around a word, e.g. "[Page 301]": the word is the label, not a name.
PAGE_LABEL_AFTER = re.compile(r"\s*[\divxlcIVXLC]+[a-z]?\]")
# A number after a word and a space, e.g. "Page 3", "House 12" (not a glued note marker, "Cole2").
NUMBER_AFTER = re.compile(r"[ \t]+\d")
# The end of a sentence before a word: the word is capitalized for that reason alone.
SENTENCE_START = re.compile(r"(?:^|[.!?:;”\"]\s+|\n\s*)$")
# Words of an office or title before a name, e.g. "Ambassador in Japan" in "The Ambassador in
# Japan (Morris)", "Ambassador" in "Ambassador Morris".
OFFICE_WORD = re.compile(r"[A-Z][\w’'.-]*|in|at|of|for|on|and")
# A name in parentheses in a heading, e.g. "(Davis)" in "The Ambassador in Great Britain (Davis)".
HEADING_NAME = re.compile(r"\((?P<name>[A-Z][\w’'-]+(?:[ \t]+[A-Z][\w’'.-]+)*)\)")
# A title or initials before a capitalized word the register lacks, e.g. "Mr. Rathbone",
# "Frank C. Lee", "G. S. Phelps", "Baron Megata". Either way it starts with a capital: said
# first, the other positions fail at once (tried at each, 0.36 ms of a 5 KB text; now 0.11).
MARKED_NAME = re.compile(
    r"(?=[A-Z])(?:\b(?:(?:Mr|Mrs|Dr|Gen|Col|Maj|Capt|Lieut|Adm)\.|General|Colonel|Admiral|Baron|Count|Sir|"
    r"Lord|Major|Captain|Lieutenant|Ambassador|Consul|Minister)[ \t]+"
    r"(?P<a>[A-Z][a-z][\w’'-]+)"
    r"|(?<![\w.])(?P<b>(?:[A-Z][a-z]+[ \t]+)?(?:[A-Z]\.[ \t])+[A-Z][a-z][\w’'-]+))"
)
# Words after a title that are an office or a common word, not a name: "Maj. Gen.", "T. Our".
NOT_A_NAME = frozenset(t.rstrip(".") for title in TITLES for t in title.split()) | {
    "Secretary", "Counsellor", "Counselor", "Ambassador", "Consul", "Minister", "Commissioner",
}

# Words that say a person is a diplomat or a soldier, for telling apart two persons of one
# surname by the office a heading names: "The Chargé in Russia (Poole)" is not General Poole.
DIPLOMATIC = frozenset([
    "ambassador", "minister", "chargé", "charge", "consul", "counselor", "counsellor", "embassy",
    "legation", "consulate", "secretary", "commissioner", "envoy", "attaché", "attache",
    "diplomatic",
])
MILITARY = frozenset([
    "general", "gen.", "colonel", "col.", "admiral", "major", "maj.", "captain", "capt.",
    "commanding", "commander", "forces", "army", "navy", "fleet", "brig.", "lieut.",
])
# Words of an office phrase that say nothing about whose office it is.
OFFICE_STOPWORDS = frozenset([
    "the", "acting", "in", "at", "of", "for", "on", "and", "to", "american", "british", "french",
])


@dataclass(frozen=True)
class Form:
    """One way of writing a person: its words, whose it is, and how it was registered."""

    words: tuple[str, ...]
    person: str
    variant: bool = False  # an editor-listed variant: regularized, resp="#editor"
    full: bool = False  # more than a bare surname: it names one person by itself


@dataclass
class Mention:
    start: int
    end: int
    persons: tuple[str, ...]  # the candidates, one when the form is one person's
    form: Form
    chosen: str = ""
    cert: str = ""
    resp: str = ""
    reg: str = ""
    why: str = ""


@dataclass(frozen=True)
class Lexicon:
    """The register turned into a matcher: forms by first word, surnames for variants."""

    forms: Mapping[str, tuple[Form, ...]]
    surnames: Mapping[str, tuple[str, ...]]  # person id → single-word regular forms
    regular: Mapping[str, str]  # person id → the regular form a variant is regularized to
    records: Mapping[str, PersonRecord] = field(default_factory=dict)
    # The surnames as arrays, for a register large enough to score a word against them all at
    # once (`TABLE_FROM`); None for a small one, whose few surnames are scored one by one.
    table: SurnameTable | None = field(default=None, compare=False, repr=False)
    # (word, cap) → the persons whose surname is within ``cap`` of it (`_near_surnames`).
    near: dict[tuple[str, float], tuple[tuple[float, str, str], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )


@per_register
def lexicon_for(persons: Personography) -> Lexicon:
    """The matcher for a register, built once per register object."""
    return build_lexicon(persons)


def regular_forms(record: PersonRecord) -> tuple[str, ...]:
    """The regular forms of a person: the name and its ``forms``, or, without them, derived ones."""
    if record.forms:
        return record.names
    return derive_forms(record.name)


def regular_form(record: PersonRecord) -> str:
    """The form a variant of this person is regularized to: the surname, else the name."""
    if record.forms:
        single = [f for f in record.forms if len(f.split()) == 1]
        return single[0] if single else record.forms[0]
    parts = parse_name(record.name)
    return parts.surname if parts.surname and not parts.territorial else record.name


def build_lexicon(persons: Personography) -> Lexicon:
    by_first: dict[str, list[Form]] = {}
    surnames: dict[str, tuple[str, ...]] = {}
    regular: dict[str, str] = {}
    for record in persons:
        forms = regular_forms(record)
        singles = []
        for text in forms:
            words = tuple(text.split())
            by_first.setdefault(words[0].casefold(), []).append(
                Form(words, record.id, full=len(words) > 1)
            )
            if len(words) == 1:
                singles.append(text)
        for text in record.variants:
            words = tuple(text.split())
            by_first.setdefault(words[0].casefold(), []).append(
                Form(words, record.id, variant=True, full=True)
            )
        surnames[record.id] = tuple(singles)
        regular[record.id] = regular_form(record)
    ordered = {
        key: tuple(sorted(set(forms), key=lambda f: (-len(f.words), f.person, f.words)))
        for key, forms in by_first.items()
    }
    named = [(person, form) for person, forms in surnames.items() for form in forms]
    table = None
    if len(named) >= TABLE_FROM:
        from edition.surname_table import SurnameTable  # NumPy: imported for a large register only

        table = SurnameTable(named)
    return Lexicon(MappingProxyType(ordered), MappingProxyType(surnames), MappingProxyType(regular),
                   MappingProxyType({r.id: r for r in persons}), table=table)


def words_of(text: str) -> list[tuple[int, int]]:
    """The spans of the words of ``text``."""
    return [(m.start(), m.end()) for m in WORD.finditer(text)]


def _same_word(found: str, wanted: str) -> bool:
    found = found.replace("[", "").replace("]", "")
    return found == wanted or (len(found) > 1 and found.isupper() and found == wanted.upper())


def _match_at(text: str, spans: Sequence[tuple[int, int]], i: int, form: Form) -> int:
    """The end offset of ``form`` matched at word ``i``, or -1."""
    end = -1
    for k, wanted in enumerate(form.words):
        if i + k >= len(spans):
            return -1
        start, stop = spans[i + k]
        if k and text[end:start].strip():
            return -1  # only whitespace between the words of a form
        if k and end == start and not form.words[k - 1].endswith("."):
            return -1
        core = wanted.rstrip(".") if wanted.endswith(".") and len(wanted) > 1 else wanted
        if not _same_word(text[start:stop], core):
            return -1
        end = stop
        if wanted.endswith(".") and core != wanted:
            if text[stop : stop + 1] != ".":
                return -1
            end = stop + 1
    return end


class PersonDetector:
    """Mentions of the register's persons, linked by ``@ref``; garbled ones regularized."""

    name: ClassVar[str] = "persons"
    defaults: ClassVar[Mapping[str, Any]] = DEFAULTS
    editorial: ClassVar[tuple[str, str]] = (
        "normalization",
        "Names of persons in the register (persons.yaml) are encoded as persName pointing to "
        "the person; a spelling other than the regular one is kept as orig beside the regular "
        "form in reg: with resp=\"#editor\" when the register lists it, with resp=\"#auto\" and "
        "a degree of certainty when edition recognised a garbled form of a name the document "
        "also spells correctly. A surname two persons share is linked only where the document "
        "shows which one is meant.",
    )

    def detect(self, context: DetectionContext) -> Detection:
        persons = context.registers.persons
        if not len(persons):
            return Detection()
        options = {**DEFAULTS, **context.options}
        return find_persons(context, lexicon_for(persons), options)


def find_persons(context: DetectionContext, lexicon: Lexicon, options: Mapping[str, Any]) -> Detection:
    text = context.source.text
    spans = words_of(text)
    heads = [(b.start, b.end) for b in context.blocks if b.kind == "head"]
    mentions, covered = _regular_mentions(text, spans, lexicon)
    review: list[ReviewItem] = []
    _resolve_shared(text, mentions, lexicon, heads, context, review)
    attested = {m.chosen for m in mentions if m.chosen}
    if options["variants"]:
        mentions += _variant_mentions(text, spans, covered, lexicon, attested, options, review)
    if options["candidates"]:
        review += _candidates(text, mentions, context.blocks)
    annotations = []
    for m in sorted(mentions, key=lambda m: m.start):
        if not m.chosen:
            continue
        attrs = {"ref": f"#{m.chosen}", "resp": m.resp, "cert": m.cert, "reg": m.reg}
        annotations.append(Annotation(m.start, m.end, "persName", make_attrs(attrs), detector="persons"))
    review.sort(key=lambda r: (r.start, r.kind))
    return Detection(tuple(annotations), (), tuple(review))


def _regular_mentions(
    text: str, spans: Sequence[tuple[int, int]], lexicon: Lexicon
) -> tuple[list[Mention], set[int]]:
    """Longest-first matches of registered forms and variants; the word indexes they cover."""
    mentions: list[Mention] = []
    covered: set[int] = set()
    forms = lexicon.forms
    # The words that begin a registered form (keyed as `Lexicon.forms` is: case-folded,
    # without editorial brackets), found first: most words begin none, and the loop below,
    # per word, took a fifth of the detector.
    starts = [
        (i, key) for i, (start, stop) in enumerate(spans)
        if (key := text[start:stop].replace("[", "").replace("]", "").casefold()) in forms
    ]  # fmt: skip
    after = -1  # the last word a mention covered
    for i, key in starts:
        if i <= after:
            continue
        start = spans[i][0]
        candidates = forms[key]
        best_end, best = -1, list[Form]()
        for form in candidates:
            end = _match_at(text, spans, i, form)
            if end < 0 or (best and len(form.words) < len(best[0].words)):
                continue
            if end > best_end or not best:
                best_end, best = end, [form]
            elif end == best_end:
                best.append(form)
        if not best or not _plausible(text, start, best_end, best[0], lexicon):
            continue
        count = len(best[0].words)
        persons = tuple(sorted({f.person for f in best}))
        form = best[0]
        mention = Mention(start, best_end, persons, form)
        if len(persons) == 1:
            mention.chosen = persons[0]
            if form.variant:
                mention.resp, mention.reg = "#editor", lexicon.regular[persons[0]]
        mentions.append(mention)
        covered.update(range(i, i + count))
        after = i + count - 1
    return mentions, covered


def _plausible(text: str, start: int, end: int, form: Form, lexicon: Lexicon) -> bool:
    """Whether a bare surname at ``[start, end)`` can be the person rather than a word or another man."""
    if form.full or form.variant:
        return True
    before = text[max(0, start - 40) : start]
    if before.endswith("[") and PAGE_LABEL_AFTER.match(text, end):
        return False  # "[Page 301]"
    common = zipf(text[start:end]) >= 4.0
    if common and NUMBER_AFTER.match(text, end):
        return False  # "Page 3"
    if common and re.match(r"\s+of\b", text[end : end + 4]):
        return False  # "House of Representatives"
    initials = INITIALS_BEFORE.search(before)
    if initials:
        letters = [c for c in initials.group() if c.isupper()]
        own = parse_name(lexicon.records[form.person].name).initials
        if [f"{c}." for c in letters] != list(own[: len(letters)]):
            return False  # "R. R. Stevens" is not John F. Stevens
    return True


def _resolve_shared(
    text: str,
    mentions: list[Mention],
    lexicon: Lexicon,
    heads: Sequence[tuple[int, int]],
    context: DetectionContext,
    review: list[ReviewItem],
) -> None:
    """Settle mentions two persons share from the evidence of the same document, or report them."""
    shared = [m for m in mentions if not m.chosen]
    if not shared:
        return
    meta = f"{context.meta.author} {context.meta.recipient}"
    # First the evidence at the mention itself: an office before it, the metadata.
    for m in shared:
        chosen, why = _by_office(text, m, lexicon, heads)
        if not chosen:
            chosen, why = _by_metadata(meta, m, lexicon), "the sender or recipient"
        if chosen:
            m.chosen, m.cert, m.resp, m.why = chosen, "medium", "#auto", why
    # Then the document: the one of them named unambiguously, nearest before the mention.
    settled = [m for m in mentions if m.chosen]
    for m in shared:
        if m.chosen:
            continue
        named = [s for s in settled if s.chosen in m.persons and s is not m]
        before = [s for s in named if s.start < m.start]
        if before:
            m.chosen, m.why = before[-1].chosen, f"named as {text[before[-1].start:before[-1].end]!r} before"
        elif len({s.chosen for s in named}) == 1:
            m.chosen, m.why = named[0].chosen, f"named as {text[named[0].start:named[0].end]!r} after"
        if m.chosen:
            m.cert, m.resp = "medium", "#auto"
    for m in shared:
        surface = text[m.start : m.end]
        if m.chosen:
            review.append(ReviewItem("person.link", m.start, m.end, surface, (m.chosen,), m.cert,
                                     f"shared by {', '.join(m.persons)}; chosen by {m.why}"))
        else:
            review.append(ReviewItem("person.ambiguous", m.start, m.end, surface, m.persons, "",
                                     "a name two persons share; nothing in the document tells which"))


def _office_before(text: str, start: int) -> list[str]:
    """The words of an office or title just before a mention: "Ambassador in Japan (Morris)"."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start].rstrip()
    if before.endswith("("):
        before = before[:-1].rstrip()
    elif before and not before[-1].isalpha() and not before.endswith("."):
        return []
    words = before.split()
    taken: list[str] = []
    for word in reversed(words):
        if not OFFICE_WORD.fullmatch(word):
            break
        taken.append(word)
    while taken and taken[-1].lower() in OFFICE_STOPWORDS:
        taken.pop()
    return list(reversed(taken))


def _by_office(
    text: str, m: Mention, lexicon: Lexicon, heads: Sequence[tuple[int, int]]
) -> tuple[str, str]:
    office = _office_before(text, m.start)
    if not office:
        return "", ""
    words = [w.lower().rstrip(".,") for w in office if w.lower() not in OFFICE_STOPWORDS]
    if not words:
        return "", ""
    kind = _kind(words)
    scores: dict[str, int] = {}
    for person in m.persons:
        record = lexicon.records[person]
        described = _describe(record)
        own_kind = _kind(list(described))
        if kind and own_kind and kind != own_kind:
            continue  # a diplomat's office does not name a general
        score = sum(2 if w == words[0] else 1 for w in words if w in described)
        if score:
            scores[person] = score
    if not scores:
        fitting = [p for p in m.persons if kind and _kind(list(_describe(lexicon.records[p]))) == kind]
        if len(fitting) != 1:
            return "", ""
        scores = {fitting[0]: 1}
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return "", ""
    where = "the heading" if any(a <= m.start < b for a, b in heads) else "the text"
    return ranked[0][0], f"the office in {where} ({' '.join(office)})"


def _describe(record: PersonRecord) -> set[str]:
    """The words of a person's titles, roles and description, lowercased."""
    parts = parse_name(record.name)
    titles = [t for title in parts.titles for t in (title, *TITLES.get(title, ()))]
    words = " ".join((*titles, *record.roles, record.description)).lower()
    return {w.strip(".,;:()") for w in words.split()} | {w.lower() for w in titles}


def _kind(words: Sequence[str]) -> str:
    """Whether words speak more of diplomacy or of soldiering: "diplomatic", "military" or ""."""
    diplomatic = sum(w in DIPLOMATIC for w in words)
    military = sum(w in MILITARY for w in words)
    if diplomatic == military:
        return ""
    return "diplomatic" if diplomatic > military else "military"


def _by_metadata(meta: str, m: Mention, lexicon: Lexicon) -> str:
    """The one candidate whose name, in full, is the document's sender or recipient."""
    found = [
        person
        for person in m.persons
        if any(len(f.split()) > 1 and f in meta for f in regular_forms(lexicon.records[person]))
    ]
    return found[0] if len(found) == 1 else ""


def _variant_mentions(
    text: str,
    spans: Sequence[tuple[int, int]],
    covered: set[int],
    lexicon: Lexicon,
    attested: set[str],
    options: Mapping[str, Any],
    review: list[ReviewItem],
) -> list[Mention]:
    """Unknown capitalized words close to one registered surname, linked with @cert."""
    found: list[Mention] = []
    shortest, known = int(options["min_length"]), float(options["known_word_zipf"])
    # Capitalized words not linked already, found first: a variant is one (`_variant_shaped`).
    capitalized = [i for i, (start, _) in enumerate(spans) if text[start].isupper() and i not in covered]
    for i in capitalized:
        start, stop = spans[i]
        word = text[start:stop]
        if not _variant_shaped(text, start, word, shortest, known):
            continue
        decision = judge_variant(word, lexicon, attested, options)
        if decision.person and decision.cert:
            reg = decision.form
            m = Mention(start, stop, (decision.person,), Form((word,), decision.person), decision.person,
                        decision.cert, "#auto", reg, decision.why)
            found.append(m)
            review.append(ReviewItem("person.link", start, stop, word, (decision.person,), decision.cert,
                                     decision.why))
        elif decision.person:
            review.append(ReviewItem("person.candidate", start, stop, word, (decision.person,), "",
                                     decision.why))
    return found


def _variant_shaped(text: str, start: int, word: str, shortest: int, known: float) -> bool:
    if len(word) < shortest or not word[0].isupper() or word.isupper():
        return False
    if not word[1:].isalpha() or "[" in word:
        return False
    if text[max(0, start - 1) : start] == "[":
        return False
    return zipf(word) < known


@dataclass(frozen=True)
class Verdict:
    """What `judge_variant` decided: a person and a certainty, or a person as a mere candidate."""

    person: str = ""
    form: str = ""
    cost: float = 0.0
    cert: str = ""  # empty: not linked
    why: str = ""


def judge_variant(
    word: str, lexicon: Lexicon, attested: set[str], options: Mapping[str, Any] = DEFAULTS
) -> Verdict:
    """Whether an unknown word is a variant of a registered surname, and how sure that is.

    Every person's single-word forms are scored by confusion cost, a person not named
    elsewhere in the document paying ``unattested_cost`` more; the best must be within
    ``max_cost`` (and ``max_cost_ratio`` per letter), ``margin`` ahead of the next person,
    and not a relative's form of the surname. ``cert`` is high for an attested person within
    2.0, medium for one within ``max_cost``, low for an unattested one within
    ``unattested_cost``.
    """
    penalty = float(options["unattested_cost"])
    near_limit = float(options["max_cost"]) + 1.0
    # A person farther than this can be neither the best (its cost would pass `near_limit`)
    # nor the runner-up that makes the best ambiguous (it would be `margin` behind).
    cap = near_limit + penalty + float(options["margin"])
    scored = sorted(
        (cost + (0.0 if person in attested else penalty), cost, person, form)
        for cost, person, form in _near_surnames(word, lexicon, cap)
    )  # (effective, cost, person, form)
    if not scored:
        return Verdict()
    effective, cost, person, form = scored[0]
    if cost > near_limit:
        return Verdict()
    if is_relative_form(word, form):
        return Verdict(person, form, cost, "", f"a relative's or patronymic form of {form!r}, not the person")
    if cost > float(options["max_cost"]) or cost / max(len(word), len(form)) > float(options["max_cost_ratio"]):
        return Verdict(person, form, cost, "", f"like {form!r} (cost {cost:g}) but not close enough")
    if len(scored) > 1 and scored[1][0] - effective < float(options["margin"]):
        other = scored[1][2]
        return Verdict(person, form, cost, "", f"as close to {other!r} as to {person!r}")
    if person in attested:
        cert = "high" if cost <= 2.0 else "medium"
        return Verdict(person, form, cost, cert, f"{form!r} at cost {cost:g}; named so in the document")
    if cost <= penalty and len(word) >= 6:
        return Verdict(person, form, cost, "low", f"{form!r} at cost {cost:g}; not named so in the document")
    return Verdict(person, form, cost, "", f"like {form!r} (cost {cost:g}) but not named in the document")


NEAR_WORDS = 20_000  # words whose near surnames a register keeps, at most
TABLE_FROM = 64  # surnames from which a register scores a word against them all at once
LENGTH_APART = 3  # a surname this many letters longer or shorter than the word is not scored


def _near_surnames(word: str, lexicon: Lexicon, cap: float) -> tuple[tuple[float, str, str], ...]:
    """(cost, person, form) of each person whose closest single-word form is within ``cap``
    of ``word``, kept per register: the same unknown words recur from document to
    document (430 distinct among 4,529 in 2,000 bench documents), and scoring one against
    a register of 1,500 persons took 50 ms."""
    found = lexicon.near.get((word, cap))
    if found is not None:
        return found
    if lexicon.table is not None:
        near = lexicon.table.near(word, cap, LENGTH_APART)
    else:
        near = _near_one_by_one(word, lexicon, cap)
    if len(lexicon.near) >= NEAR_WORDS:
        lexicon.near.clear()
    found = lexicon.near[(word, cap)] = tuple(near)
    return found


def _near_one_by_one(word: str, lexicon: Lexicon, cap: float) -> list[tuple[float, str, str]]:
    """`_near_surnames` for a small register: each surname scored by `confusion_cost`."""
    near = []
    for person, forms in lexicon.surnames.items():
        best: tuple[float, str] | None = None
        for form in forms:
            if abs(len(form) - len(word)) > LENGTH_APART:
                continue
            cost = confusion_cost(word, form)
            if best is None or cost < best[0]:
                best = (cost, form)
        if best is not None and best[0] <= cap:
            near.append((best[0], person, best[1]))
    return near


def _candidates(text: str, mentions: Sequence[Mention], blocks: Sequence[Block]) -> Iterator[ReviewItem]:
    """Names the text marks as names (a title, initials, a heading's parentheses) and the register lacks."""
    taken = [(m.start, m.end) for m in mentions]

    def free(start: int, end: int) -> bool:
        return not any(a < end and start < b for a, b in taken)

    seen: set[tuple[int, int]] = set()
    for match in MARKED_NAME.finditer(text):
        group = "a" if match.group("a") else "b"
        start, end = match.span(group)
        last = text[start:end].split()[-1]
        if last.rstrip("’'s") in NOT_A_NAME or zipf(last) >= 4.8:
            continue
        if free(start, end) and (start, end) not in seen:
            seen.add((start, end))
            yield ReviewItem("person.candidate", start, end, text[start:end], (), "",
                             "a name not in the register")
    for block in blocks:
        if block.kind != "head":
            continue
        for match in HEADING_NAME.finditer(text, block.start, block.end):
            start, end = match.span("name")
            if free(start, end) and (start, end) not in seen:
                seen.add((start, end))
                yield ReviewItem("person.candidate", start, end, text[start:end], (), "",
                                 "a sender or recipient not in the register")
