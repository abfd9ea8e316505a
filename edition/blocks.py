"""Split a source text into blocks — headings, paragraphs, lists, the endnote block — as spans.

Blocks are separated by blank lines. A block is a span ``[start, end)`` over the
untouched source text, never a copy; a list or the endnote block has one child
span per line. The rules follow the plain-text conventions editors meet: the
history.state.gov text view (a file-number line, a head line, one paragraph per
line, list items as consecutive lines, a trailing block of numbered endnotes)
and hard-wrapped OCR output (a paragraph over several lines).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    """A structural unit of the source: ``kind`` is head, p, list, item, notes or endnote.

    ``label_end`` is set on an endnote: the end of its printed label (``"  2. "``),
    where the note body starts.
    """

    kind: str
    start: int
    end: int
    children: tuple[Block, ...] = ()
    subtype: str = ""
    label_end: int = -1


# A run of lines separated by at least one blank line, e.g. "para one\n\npara two".
BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n\s*")

# An endnote line of the text view, e.g. "  2. Not printed; it asked …" (label "2.").
ENDNOTE_LINE = re.compile(r"[ \t]*(\d{1,4})\.[ \t]+\S")
# The same, indented as the text view sets its endnotes, e.g. "  1. This decree was adopted …".
INDENTED_ENDNOTE = re.compile(r"[ \t]+\d{1,4}\.[ \t]+\S")

# A FRUS source note: a file number line, e.g. "861.00/11630: Telegram", "File No. 861.51/146".
SOURCE_NOTE = re.compile(
    r"(?:\d{2,4}[.\d]*/[\w.\-]+(?::.*)?|File Nos?\. .+|\[(?:Inclosure|Enclosure|Appendix|Annex|Subenclosure)\b.*\])$"
)

# A line ending a sentence or clause; a heading usually does not (e.g. "… to the Secretary of State").
SENTENCE_END = re.compile(r"[.:;!?…][\"”’')\]]?\d*$")

# A heading that ends with a full stop: a letter's addressing, e.g. "Mr. Lowell to Lord Granville.",
# a document number, e.g. "No. 99.", or a bracketed editorial line, e.g. "[Extract.]", "No. 60.]".
LETTER_HEAD = re.compile(
    r"[A-Z][^:;]{0,80} to (?:the|Mr\.|Mrs\.|Lord|Sir|Count|Baron|[A-Z])[^:;]{0,60}\."
)
NUMBER_HEAD = re.compile(r"No\. ?\d+\.?|\[[^\]]{1,80}\]")

HEADING_MAX_CHARS = 200
LIST_MIN_LINE_CHARS = 100  # a line this long is a paragraph of its own, never a wrapped line


def split_blocks(text: str) -> list[Block]:
    """Return the top-level blocks of ``text`` in order; whitespace between them is not covered."""
    groups = list(_groups(text))
    blocks: list[Block] = []
    notes_from = _endnote_start(text, groups)
    in_front = True
    for index, (start, end) in enumerate(groups):
        if index >= notes_from:
            blocks.append(_endnote_block(text, groups[notes_from:]))
            break
        lines = list(_lines(text, start, end))
        if _is_heading_group(text, lines, in_front):
            subtype = "source-note" if SOURCE_NOTE.match(text[start:end].strip()) else ""
            blocks.append(Block("head", start, end, subtype=subtype))
            continue
        in_front = False
        if len(lines) > 1 and _is_list(text, lines):
            items = tuple(Block("item", s, e) for s, e in lines)
            blocks.append(Block("list", start, end, items))
        else:
            blocks.append(Block("p", start, end))
    return blocks


def _groups(text: str) -> Iterator[tuple[int, int]]:
    """Spans of blank-line-separated groups, trimmed of surrounding whitespace."""
    pos = 0
    for match in BLANK_LINES.finditer(text):
        yield from _trimmed(text, pos, match.start())
        pos = match.end()
    yield from _trimmed(text, pos, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    pos = start
    while pos < end:
        newline = text.find("\n", pos, end)
        line_end = end if newline < 0 else newline
        yield from _trimmed(text, pos, line_end)
        pos = line_end + 1


def _is_heading_group(text: str, lines: list[tuple[int, int]], in_front: bool) -> bool:
    """One heading line, or a document number over its heading ("No. 1.\nMr. Osborn to …")."""
    if len(lines) > 1 and not NUMBER_HEAD.fullmatch(text[lines[0][0] : lines[0][1]].strip()):
        return False
    return all(_is_heading(text[s:e], in_front) for s, e in lines)


def _is_heading(line: str, in_front: bool) -> bool:
    """A heading is a short line at the top that does not end a sentence, or a source note.

    Mid-document, only a bracketed source note (``[Inclosure 1 in No. 300.]``) starts
    a new heading run; a short line there is more likely a closing or a short paragraph.
    """
    stripped = line.strip()
    if SOURCE_NOTE.match(stripped):
        return True
    if not in_front or len(stripped) > HEADING_MAX_CHARS:
        return False
    if NUMBER_HEAD.fullmatch(stripped) or LETTER_HEAD.fullmatch(stripped):
        return True
    return not SENTENCE_END.search(stripped) and not stripped.startswith("[")


def _is_list(text: str, lines: list[tuple[int, int]]) -> bool:
    """Consecutive lines are list items when each reads as complete; else a wrapped paragraph."""
    return all(
        e - s >= LIST_MIN_LINE_CHARS or SENTENCE_END.search(text[s:e]) or text[s:e].startswith("[")
        for s, e in lines
    )


def _endnote_start(text: str, groups: list[tuple[int, int]]) -> int:
    """Index of the first group of the trailing endnote block (``len(groups)`` when none).

    The block is the longest run of final groups whose every line is a numbered note,
    the first label being 1 — the text view renumbers its endnotes 1..k.
    """
    first = len(groups)
    while first > 0 and _is_endnote_group(text, *groups[first - 1]):
        first -= 1
    while first < len(groups):
        match = ENDNOTE_LINE.match(text, groups[first][0])
        if match and match.group(1) == "1":
            return first
        first += 1
    return first


def _is_endnote_group(text: str, start: int, end: int) -> bool:
    """Every line is a numbered note, or the group opens with an indented one (``"  1. …"``).

    In the second case the lines after a note's first are the rest of its body (a
    note quoting a decree over several lines).
    """
    line_start = text.rfind("\n", 0, start) + 1
    if INDENTED_ENDNOTE.match(text, line_start):
        return True
    return all(ENDNOTE_LINE.match(text, s) for s, _ in _lines(text, start, end))


def _endnote_block(text: str, groups: list[tuple[int, int]]) -> Block:
    notes: list[Block] = []
    for group in groups:
        for start, end in _lines(text, *group):
            match = ENDNOTE_LINE.match(text, start)
            if match or not notes:
                assert match  # _endnote_start checked that a group opens with a note
                notes.append(Block("endnote", start, end, label_end=match.end() - 1))
            else:  # a further line of the note before
                notes[-1] = Block("endnote", notes[-1].start, end, label_end=notes[-1].label_end)
    return Block("notes", groups[0][0], groups[-1][1], tuple(notes))
