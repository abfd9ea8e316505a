"""Splitting a source into blocks: headings, paragraphs, lists, the endnote block."""

from __future__ import annotations

import itertools

from edition.blocks import split_blocks

TELEGRAM = """861.00/11630: Telegram

The Chargé in the Soviet Union (Henderson) to the Secretary of State

195. Reference Department’s 117, August 24, 6 p.m.26 The few foreign journalists were puzzled.

Most of the foreigners present were of the opinion that:

Zinoviev and Kamenev had conversations regarding the advisability of it.
The prominent defendants may have come into contact at times with some.

[Page 301]

It is the opinion of the Embassy.

  1. Telegram in two sections.
  2. Not printed."""


def kinds(text: str) -> list[tuple[str, str]]:
    return [(b.kind, text[b.start : b.end][:12]) for b in split_blocks(text)]


def test_telegram_blocks_are_heads_paragraphs_a_list_and_notes() -> None:
    assert kinds(TELEGRAM) == [
        ("head", "861.00/11630"),
        ("head", "The Chargé i"),
        ("p", "195. Referen"),
        ("p", "Most of the "),
        ("list", "Zinoviev and"),
        ("p", "[Page 301]"),
        ("p", "It is the op"),
        ("notes", "1. Telegram "),
    ]


def test_source_note_heading_is_typed() -> None:
    assert [b.subtype for b in split_blocks(TELEGRAM)[:2]] == ["source-note", ""]


def test_list_items_are_the_lines() -> None:
    block = split_blocks(TELEGRAM)[4]
    assert [TELEGRAM[i.start : i.end][:8] for i in block.children] == ["Zinoviev", "The prom"]


def test_endnotes_have_labels_and_bodies() -> None:
    notes = split_blocks(TELEGRAM)[-1]
    bodies = [TELEGRAM[n.label_end : n.end] for n in notes.children]
    assert bodies == ["Telegram in two sections.", "Not printed."]


def test_hard_wrapped_lines_are_one_paragraph() -> None:
    text = "It was late when the\ninterrogation began and\nnobody spoke."
    assert kinds(text) == [("p", "It was late ")]


def test_title_line_of_a_memoir_is_a_heading() -> None:
    text = "Secret History of Stalin’s Purge (44)\n\nMeanwhile, Mironov continued interrogating Kamenev."
    assert [b.kind for b in split_blocks(text)] == ["head", "p"]


def test_short_lines_after_the_first_paragraph_are_not_headings() -> None:
    text = "A first paragraph that says something.\n\nA closing line without a stop"
    assert [b.kind for b in split_blocks(text)] == ["p", "p"]


def test_numbered_paragraphs_in_the_body_are_not_endnotes() -> None:
    text = "Intro paragraph here.\n\n1. First point made.\n\nA closing paragraph."
    assert [b.kind for b in split_blocks(text)] == ["p", "p", "p"]


def test_blocks_never_cover_blank_lines_and_keep_order() -> None:
    blocks = split_blocks(TELEGRAM)
    for before, after in itertools.pairwise(blocks):
        assert before.end < after.start
        assert TELEGRAM[before.end : after.start].strip() == ""


def test_empty_text_has_no_blocks() -> None:
    assert split_blocks("") == []
    assert split_blocks(" \n\n \n") == []
