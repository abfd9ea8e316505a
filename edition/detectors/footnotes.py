"""Detect footnote markers in the running text and match them to the endnote block's bodies.

The text view prints a note's number glued to the word or number it follows
(``6 p.m.26``, ``constitution27``, ``(Cole)1``, ``Your 1359.2`` — telegram No. 1359,
note 2, ``of 193027`` — the year 1930, note 27) and lists the bodies at the end,
renumbered 1..k. Markers therefore cannot be read off one by one: a digit run
is only a *candidate*, and the notes are matched to candidates in one pass over
the document (`align`), choosing the monotone matching whose printed numbers
best form a footnote sequence (26, 27, 28; a restart at 1 on a new page; 37,
37a). A candidate no note claims stays text. Superscript digits (``¹²``), and —
when a note body is there to match — bracketed numbers (``[3]``) and symbols
(``*``, ``†``) are candidates too; the source's own editorial brackets
(``250 [260]``, ``[sic]``), ``* * *`` lines, years, file numbers
(``861.00/11630``), times and amounts are not.

Each matched note becomes a ``note`` annotation whose span is the marker and
whose target is the body; ``@n`` keeps the printed number, ``@rend`` the marker's
own form when it differs (``¹²``, ``[3]``). A note no marker claims is never
dropped: when it precedes every matched note it goes on the heading (a
zero-width, ``type="unmarked"`` note — typically "Telegram in two sections.",
whose marker sat in a dateline the text view dropped); otherwise it stays in
the endnote block. Both are reported.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar

from edition.annotations import Annotation, make_attrs
from edition.blocks import Block
from edition.detectors import Detection, DetectionContext
from edition.diagnostics import Diagnostic

# A maximal run of digits, with an optional letter of an inserted note ("37a"),
# that no letter or digit follows, e.g. "27" in "constitution27 signifies", "193027" in "193027—still".
# Not a file number or decimal ("861.00/11630", "1.5", "10,000"): no "/" or ".5" or ",000" after it.
# (Here and below, what must precede the first character is asked after it, "\d(?<!\d\d)" for
# "(?<!\d)\d": a pattern that opens with a character lets the scan jump from one to the next.)
DIGIT_RUN = re.compile(r"(?P<digits>\d(?<!\d\d)\d{0,6})(?P<suffix>[a-d]?)(?![\w/])(?![.,:]\d)")

# An apostrophe or closing single quote, e.g. "’" in "Stevens’s3", "the ‘mandate’4", "1860–’61".
APOSTROPHES = "'\u2019"

# What follows a note marker that ends a sentence, e.g. " The" in "April 29.34 The", or a line end;
# not a file number's next part, e.g. " Ordnance/12" in "811.24 Ordnance/12".
SENTENCE_AFTER = re.compile(
    r"[ \t]*$|[”’\"')]?[ \t]+(?:[A-Z(“\"‘…]|\d+\.)(?![^\s/]*/)", re.MULTILINE
)

# Superscript digits, e.g. "¹²" in "the treaty¹² of".
SUPERSCRIPT = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")

# A bracketed number glued to a word, e.g. "[3]" in "the treaty[3] of"; not "250 [260]" (an emendation).
BRACKETED = re.compile(r"\[(?<=[^\s\d\[]\[)(?P<digits>\d{1,3})(?P<suffix>[a-d]?)\]")

# A reference symbol glued to what it annotates, e.g. "*" in "editorials* in", "†" in "Ireland.†";
# not the "* * *" of an omission, nor "**".
SYMBOL = re.compile(r"[*†‡§](?<=[^\s*†‡§][*†‡§])(?![*†‡§])(?!\s*\*\s*\*)")

# A page marker, whose digits are never a note's, e.g. "[Page 301]", "[p. 12]".
PAGE_MARKER = re.compile(r"\[(?:Page|page|Pg\.?|pg\.?|p\.|P\.)\s?[\w]{1,8}\]")

# A month before a day, e.g. "January 2071" = January 20 + note 71 ("Sept. 201" = Sept. 20 + note 1).
MONTH_BEFORE = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s$")
# A year the marker is glued to, e.g. "1930" in "of 193027", "February 27, 193027".
YEAR = re.compile(r"1[5-9]\d\d")
# What stands before a year: "of 1930", "in 1930", "February 27, 1930".
YEAR_BEFORE = re.compile(r"(?:\b(?:of|in|since|from|until|to|and)|\d,)\s$")

# The body of a note whose marker sat in a dateline the text view dropped,
# e.g. "Telegram in two sections.", "Telegram in three sections; only section 2 is printed."
UNMARKED_BODY = (
    r"^(?:Telegram|Cablegram|Radiogram|Message|Despatch)s? in [\w-]+ (?:sections|parts)\b"
)

DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {
        "superscript": True,  # "¹²" is a marker
        "brackets": True,  # "[3]" is a marker when it fits the sequence of notes
        "symbols": True,  # "*", "†", "‡", "§" are markers when a note is there to claim them
        "unmarked_body": UNMARKED_BODY,  # a note like this is expected to have no marker
        "max_number": 999,  # a printed note number above this is not one
    }
)

# How much each kind of candidate is worth before the sequence speaks: a number
# glued to a word is very likely a marker; one split off a longer number
# ("193027") only when the sequence of notes asks for it.
KIND_SCORES = {
    "super": 3.0,
    "word": 2.0,  # constitution27, (Cole)1, Stevens’s3
    "punct": 1.5,  # p.m.26, Geneva,37
    "line": 1.5,  # a number alone on a line, where the head it marked was dropped
    "symbol": 1.0,
    "after-number": 0.25,  # 450,88, 1935,28: a number, a comma, the marker
    "bracket": 0.0,
    "split": -2.0,  # 193027 = 1930 + 27
}
AFTER_COMMA = KIND_SCORES["after-number"]
AFTER_POINT = KIND_SCORES["after-number"]
# A split that leaves a plausible number, e.g. "January 2071" → January 20, note 71.
SPLIT_BONUS = 3.0

# How well a printed number follows the previous matched one, ``gap`` notes later.
NEXT = 4.0  # 26 → 27 (or 26 → 28 with one unmatched note between)
LETTER_NEXT = 3.0  # 37 → 37a
RESTART = 1.0  # 3 → 1: numbering restarts on a new page
NEAR = 0.5  # 6 → 8: a note of the volume outside this document
SYMBOL_NEXT = 0.5
REPEAT = 0.0  # 38 → 38
OTHER = -1.0
SKIP = 1.0  # for each note between two matched ones that matches nothing
# A note expected to have no marker (UNMARKED_BODY) costs this much to match.
UNMARKED_COST = 5.0
# The first note numbered 1 is how a page's or document's numbering starts.
FIRST_IS_ONE = 1.0
# At most this many notes between two matched ones.
MAX_GAP = 5


@dataclass(frozen=True)
class Candidate:
    """A span that may be a note marker: its printed number, its kind, the run it came from."""

    start: int
    end: int
    n: str  # the printed number ("27", "37a") or symbol ("*")
    kind: str
    group: int  # candidates split from one digit run share a group; at most one is a marker
    worth: float  # how likely a marker it is before the sequence of notes speaks (KIND_SCORES)

    @property
    def number(self) -> int | None:
        digits = self.n.rstrip("abcd")
        return int(digits) if digits.isdigit() else None

    @property
    def suffix(self) -> str:
        return self.n[len(self.n.rstrip("abcd")) :] if self.n[:1].isdigit() else ""


@dataclass(frozen=True)
class Endnote:
    index: int  # 1..k, its label in the endnote block
    start: int  # body
    end: int
    unmarked: bool  # reads like a note on a dropped dateline


class FootnoteDetector:
    """Footnote markers in the text, matched by order and number to the trailing endnote block."""

    name: ClassVar[str] = "footnotes"
    defaults: ClassVar[Mapping[str, Any]] = DEFAULTS
    editorial: ClassVar[tuple[str, str]] = (
        "interpretation",
        "Footnote markers (numbers printed after a word, superscripts, and symbols) are matched "
        "in order to the numbered endnotes and encoded as note at the marker, keeping the printed "
        "number in @n; a note whose marker was not printed is placed on the heading "
        '(type="unmarked") or left among the endnotes.',
    )

    def detect(self, context: DetectionContext) -> Detection:
        notes_block = next((b for b in context.blocks if b.kind == "notes"), None)
        if notes_block is None:
            return Detection()
        text = context.source.text
        labels = [text[c.start : c.label_end].strip().rstrip(".") for c in notes_block.children]
        if labels != [str(k) for k in range(1, len(labels) + 1)]:
            # The diplomatic reading relabels moved notes 1..k; with other labels, moving a
            # note would lose its label, so all stay at the end, as the source has them.
            message = (
                f"endnote labels are not 1..{len(labels)} ({', '.join(labels)}); left at the end"
            )
            return Detection(
                (), (context.source.warning(notes_block.start, message, "footnotes.labels"),)
            )
        options = {**DEFAULTS, **context.options}
        try:
            unmarked = re.compile(str(options["unmarked_body"] or "(?!)"))
        except re.error as exc:
            message = f"detectors.footnotes.unmarked_body is not a valid regular expression: {exc}"
            return Detection((), (context.source.warning(0, message, "footnotes.option"),))
        notes = [
            Endnote(
                i,
                child.label_end,
                child.end,
                bool(unmarked.search(text[child.label_end : child.end])),
            )
            for i, child in enumerate(notes_block.children, start=1)
        ]
        candidates = list(find_candidates(text, context.blocks, options))
        matches = align(notes, candidates)
        return self._annotations(context, notes, matches, notes_block)

    def _annotations(
        self,
        context: DetectionContext,
        notes: Sequence[Endnote],
        matches: Mapping[int, Candidate],
        notes_block: Block,
    ) -> Detection:
        source = context.source
        found: list[Annotation] = []
        diagnostics: list[Diagnostic] = []
        heading = _heading_end(context.blocks)
        for note in notes:
            target = (note.start, note.end)
            marker = matches.get(note.index)
            if marker is not None:
                surface = source.text[marker.start : marker.end]
                attrs = make_attrs(
                    {"n": marker.n, "rend": surface if surface != marker.n else None}
                )
                found.append(Annotation(marker.start, marker.end, "note", attrs, target, self.name))
                continue
            body = source.text[note.start : note.end]
            # On the heading when the order allows it and the note reads like one whose marker
            # sat in a dropped dateline, or other notes matched (so the text was read right);
            # when nothing matched, the note stays where the source had it.
            if (
                heading is not None
                and (note.unmarked or matches)
                and all(
                    (c.end <= heading) if i < note.index else (c.start >= heading)
                    for i, c in matches.items()
                )
            ):
                n = _inferred_number(note.index, matches)
                attrs = make_attrs({"n": n, "type": "unmarked"})
                found.append(Annotation(heading, heading, "note", attrs, target, self.name))
                diagnostics.append(
                    source.warning(
                        note.start,
                        f"endnote {note.index} ({_short(body)}) has no marker in the text; "
                        "placed on the heading",
                        "footnotes.unmarked",
                    )
                )
            else:
                diagnostics.append(
                    source.warning(
                        note.start,
                        f"endnote {note.index} ({_short(body)}) matches no marker in the text; "
                        "kept among the endnotes",
                        "footnotes.unmatched",
                    )
                )
        placed = sum(1 for a in found if a.is_empty)
        if len(matches) + placed != len(notes):
            diagnostics.append(
                source.warning(
                    notes_block.start,
                    f"{len(notes)} endnotes but {len(matches)} markers found in the text"
                    + (f" and {placed} notes placed on the heading" if placed else ""),
                    "footnotes.count",
                )
            )
        return Detection(tuple(found), tuple(diagnostics))


def find_candidates(
    text: str, blocks: Sequence[Block], options: Mapping[str, Any]
) -> Iterator[Candidate]:
    """Every span of the text before the endnote block that may be a note marker, in order."""
    end = next((b.start for b in blocks if b.kind == "notes"), len(text))
    pages = [(m.start(), m.end()) for m in PAGE_MARKER.finditer(text, 0, end)]
    # A source note ("811.24 Ordnance/123") is all file numbers: only a number glued to a word there.
    file_lines = [
        (b.start, b.end) for b in blocks if b.kind == "head" and b.subtype == "source-note"
    ]
    limit = int(options.get("max_number", 999))
    group = 0
    found: list[Candidate] = []
    for match in DIGIT_RUN.finditer(text, 0, end):
        if _inside(match.start(), pages):
            continue
        group += 1
        found.extend(
            c
            for c in _digit_candidates(text, match, group, limit)
            if c.kind not in ("split", "after-number") or not _inside(c.start, file_lines)
        )
    if options.get("superscript", True):
        for match in SUPERSCRIPT.finditer(text, 0, end):
            group += 1
            n = str(int(match.group().translate(SUPERSCRIPT_DIGITS)))
            found.append(
                Candidate(match.start(), match.end(), n, "super", group, KIND_SCORES["super"])
            )
    if options.get("brackets", True):
        for match in BRACKETED.finditer(text, 0, end):
            if _inside(match.start(), pages):
                continue
            group += 1
            n = str(int(match.group("digits"))) + match.group("suffix")
            found.append(
                Candidate(match.start(), match.end(), n, "bracket", group, KIND_SCORES["bracket"])
            )
    if options.get("symbols", True):
        for match in SYMBOL.finditer(text, 0, end):
            group += 1
            found.append(
                Candidate(
                    match.start(),
                    match.end(),
                    match.group(),
                    "symbol",
                    group,
                    KIND_SCORES["symbol"],
                )
            )
    yield from sorted(found, key=lambda c: (c.end, c.start))


def _digit_candidates(
    text: str, match: re.Match[str], group: int, limit: int
) -> Iterator[Candidate]:
    start, end = match.start(), match.end()
    digits, suffix = match.group("digits"), match.group("suffix")
    before = text[start - 1] if start else "\n"
    if before.isalpha():
        if len(digits) <= 3 and _plausible(digits, limit):
            yield Candidate(start, end, digits + suffix, "word", group, KIND_SCORES["word"])
        return
    if before in APOSTROPHES and not text[start - 2 : start - 1].isalpha():
        return  # "1860–’61": a year cut short
    if before == ":" and text[start - 2 : start - 1].isdigit():
        return  # "6:30 p.m.": a time
    if before in '.,;:)]”"?!…' or before in APOSTROPHES:
        if len(digits) <= 3 and _plausible(digits, limit):
            if not text[max(0, start - 2)].isdigit() or before not in ".,":
                yield Candidate(start, end, digits + suffix, "punct", group, KIND_SCORES["punct"])
            elif before == "," and len(digits) < 3:  # not "1,500"
                yield Candidate(start, end, digits + suffix, "after-number", group, AFTER_COMMA)
            elif before == "." and SENTENCE_AFTER.match(text, end):
                # "April 29.34 The", "1930.31⏎"; but "811.24 Ordnance/12" is a file number
                # and "3.5 per cent" a decimal.
                yield Candidate(start, end, digits + suffix, "after-number", group, AFTER_POINT)
        return
    if not before.isspace():
        return  # "-18", "$12", "/11630": part of a range, amount or file number
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if not text[line_start:start].strip() and not text[end:line_end].strip():
        if _plausible(digits, limit):
            yield Candidate(start, end, digits + suffix, "line", group, KIND_SCORES["line"])
        return
    if not text[line_start:start].strip() and text[end : end + 1] == ".":
        return  # "195. Reference …": a telegram's or paragraph's own number
    # A marker glued to a number: "193027" is 1930 and note 27.
    for width in (1, 2, 3):
        if width >= len(digits):
            break
        head, marker = digits[:-width], digits[-width:]
        if not _plausible(marker, limit):
            continue
        worth = split_worth(text, start, head, marker)
        yield Candidate(start + len(head), end, marker + suffix, "split", group, worth)


def _plausible(digits: str, limit: int) -> bool:
    return not digits.startswith("0") and 0 < int(digits) <= limit


def _inside(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether ``offset`` is in one of ``spans`` (sorted, not overlapping: regex matches, blocks)."""
    index = bisect.bisect_right(spans, offset, key=lambda span: span[0]) - 1
    return index >= 0 and spans[index][0] <= offset < spans[index][1]


def split_worth(text: str, run_start: int, head: str, marker: str) -> float:
    """What a marker split off a number is worth: more when what it leaves reads as a number.

    ``January 2071`` → January 20 (a day: the longest that is one) + note 71;
    ``of 193027`` → 1930 (a year) + note 27. ``Your 18927`` gets nothing: telegram
    189 and note 27, or telegram 1892 and note 7 — only the sequence can tell.
    """
    worth = KIND_SCORES["split"]
    before = text[max(0, run_start - 12) : run_start]
    whole = head + marker
    if YEAR.fullmatch(head) and YEAR_BEFORE.search(before):
        return worth + SPLIT_BONUS
    if MONTH_BEFORE.search(before) and int(head) <= 31 < int(whole) and not YEAR.fullmatch(whole):
        longest_day = int(head + marker[0]) > 31
        return worth + (SPLIT_BONUS if longest_day else SPLIT_BONUS / 2)
    return worth


def align(notes: Sequence[Endnote], candidates: Sequence[Candidate]) -> dict[int, Candidate]:
    """Match endnotes to candidates, in order on both sides, so that the printed numbers read best.

    Returns the matched candidate for each matched note's index. Dynamic
    programming over (note, candidate): a chain's score is the sum of its
    candidates' worth and of how well each printed number follows the one
    before (`_best_previous`); candidates split from one digit run exclude
    each other. Notes left out of the best chain match nothing.
    """
    if not notes or not candidates:
        return {}
    # best[i] holds, per matched note index i, the states seen so far:
    # (score, candidate position, back-pointer) kept by printed number for fast look-up.
    best_all: dict[int, tuple[float, int]] = {}
    best_by_n: dict[int, dict[int, dict[str, tuple[float, int]]]] = {}
    best_symbol: dict[int, tuple[float, int]] = {}
    states: list[tuple[float, int, int, int]] = []  # (score, note index, candidate position, back)
    labels = [str(note.index) for note in notes]
    printed = [(c.number, c.suffix) for c in candidates]  # asked for at every note: read once
    position = 0
    while position < len(candidates):
        group_end = position
        while group_end < len(candidates) and _same_group(candidates, position, group_end):
            group_end += 1
        fresh: list[tuple[float, int, int, int]] = []
        for c in range(position, group_end):
            candidate = candidates[c]
            for note, label in zip(notes, labels, strict=True):
                value = candidate.worth - (UNMARKED_COST if note.unmarked else 0.0)
                first = FIRST_IS_ONE if candidate.n == label else 0.0
                score, back = _best_previous(
                    note.index, printed[c], best_all, best_by_n, best_symbol
                )
                if back < 0 or score < first:
                    score, back = first, -1
                fresh.append((value + score, note.index, c, back))
        for state in fresh:
            index = len(states)
            states.append(state)
            _remember(state, index, printed, best_all, best_by_n, best_symbol)
        position = group_end
    if not states:
        return {}
    top = max(range(len(states)), key=lambda k: (states[k][0], -k))
    if states[top][0] <= 0:
        return {}
    matches: dict[int, Candidate] = {}
    while top >= 0:
        _, index, c, back = states[top]
        matches[index] = candidates[c]
        top = back
    return matches


def _same_group(candidates: Sequence[Candidate], first: int, other: int) -> bool:
    return candidates[first].group == candidates[other].group


def _best_previous(
    index: int,
    printed: tuple[int | None, str],
    best_all: Mapping[int, tuple[float, int]],
    best_by_n: Mapping[int, Mapping[int, Mapping[str, tuple[float, int]]]],
    best_symbol: Mapping[int, tuple[float, int]],
) -> tuple[float, int]:
    """The best (score, state) that matching note ``index`` to a candidate can follow.

    ``printed`` is the candidate's number and letter (`Candidate.number`, `.suffix`).

    ``(0.0, -1)`` when no earlier state is within `MAX_GAP` notes. Every category
    scores at least `OTHER`, so the best state of a note plus `OTHER` is a floor
    and the look-ups by printed number find the better ones.
    """
    number, suffix = printed
    top_score, top_state = 0.0, -1
    for previous in range(max(1, index - MAX_GAP), index):
        latest = best_all.get(previous)
        if latest is None:
            continue
        gap = index - previous
        found: list[tuple[float, tuple[float, int]]]  # (bonus, (score, state))
        if number is None:
            found = [(SYMBOL_NEXT, latest)]
        else:
            found = [(RESTART if number <= gap and not suffix else OTHER, latest)]
            symbol = best_symbol.get(previous)
            if symbol is not None:
                found.append((SYMBOL_NEXT, symbol))
            by_n = best_by_n.get(previous)
            if by_n:
                found += _numbered_options(by_n, number, suffix, gap)
        skipped = SKIP * (gap - 1)  # notes between with no marker: rare outside the heading
        for bonus, (score, state) in found:
            # The best score; of equal ones, the earliest state.
            option = score + bonus - skipped
            if top_state < 0 or option > top_score or (option == top_score and state < top_state):
                top_score, top_state = option, state
    return top_score, top_state


def _numbered_options(
    by_n: Mapping[int, Mapping[str, tuple[float, int]]], number: int, suffix: str, gap: int
) -> list[tuple[float, tuple[float, int]]]:
    """What the states of an earlier note, by printed number, offer ``number`` ``gap`` notes on."""
    found: list[tuple[float, tuple[float, int]]] = []
    for earlier, best in by_n.get(number, {}).items():
        if earlier < suffix:
            found.append((LETTER_NEXT, best))  # 37 → 37a
        elif earlier == suffix:
            found.append((REPEAT, best))
    if not suffix:
        expected = number - gap
        if expected in by_n:
            found += [(NEXT, best) for best in by_n[expected].values()]
        for lower in range(max(1, expected - 3), expected):
            if lower in by_n:
                found += [(NEAR, best) for best in by_n[lower].values()]
    return found


def _remember(
    state: tuple[float, int, int, int],
    index: int,
    printed: Sequence[tuple[int | None, str]],
    best_all: dict[int, tuple[float, int]],
    best_by_n: dict[int, dict[int, dict[str, tuple[float, int]]]],
    best_symbol: dict[int, tuple[float, int]],
) -> None:
    score, note, c, _ = state
    number, suffix = printed[c]
    if note not in best_all or score > best_all[note][0]:
        best_all[note] = (score, index)
    if number is None:
        if note not in best_symbol or score > best_symbol[note][0]:
            best_symbol[note] = (score, index)
        return
    by_suffix = best_by_n.setdefault(note, {}).setdefault(number, {})
    if suffix not in by_suffix or score > by_suffix[suffix][0]:
        by_suffix[suffix] = (score, index)


def _heading_end(blocks: Sequence[Block]) -> int | None:
    """Where a note on the heading goes: the end of the last heading before the text begins."""
    end = None
    for block in blocks:
        if block.kind != "head":
            break
        end = block.end
    return end


def _inferred_number(index: int, matches: Mapping[int, Candidate]) -> str:
    """The printed number of an unmarked note, from its neighbours' (26 before it → 27)."""
    after = sorted(i for i in matches if i > index)
    if after:
        number = matches[after[0]].number
        if number is not None and not matches[after[0]].suffix and number - (after[0] - index) > 0:
            return str(number - (after[0] - index))
    before = sorted(i for i in matches if i < index)
    if before:
        number = matches[before[-1]].number
        if number is not None:
            return str(number + index - before[-1])
    return ""


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")
