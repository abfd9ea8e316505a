"""Reading TEI back as text: the diplomatic reading, the normalized one, and where they differ."""

from __future__ import annotations

from lxml import etree

from edition.reading import diplomatic_text, first_difference, normalized_text, plain_text

TEI = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body><div>
<head>Telegram<note place="foot" type="unmarked">In two sections.</note></head>
<p>At 6 p.m.<note place="foot" n="26">Not printed.</note> <persName ref="#yezhov"><choice>
<orig>Yerev</orig><reg>Yezhov</reg></choice></persName> said <choice><sic>tbe</sic><corr>the</corr></choice>
trial<pb n="301"/> ended<lb/>
here.</p><pb n="xii" rend="[p. xii]"/>
<div type="notes"><note place="end" n="3">Left at the end.</note></div>
</div></body></text></TEI>"""


def root() -> etree._Element:
    return etree.fromstring(TEI)


def test_diplomatic_reading_restores_markers_originals_and_the_note_block() -> None:
    assert " ".join(diplomatic_text(root()).split()) == (
        "Telegram At 6 p.m.26 Yerev said tbe trial[Page 301] ended here. [p. xii] "
        "1. In two sections. 2. Not printed. 3. Left at the end."
    )


def test_normalized_reading_chooses_regularized_and_corrected_forms_without_markers() -> None:
    text = normalized_text(root())
    assert "Yezhov said the trial ended" in " ".join(text.split())
    assert "[Page" not in text and "Yerev" not in text and "p.m.26" not in text


def test_normalized_reading_calls_an_unlabelled_note_by_its_place_as_the_site_does() -> None:
    # The heading's note has no n: the site's notes list shows it as "1" (its place).
    text = normalized_text(root())
    assert text.split("\n\n")[-1].splitlines() == [
        "1. In two sections.",
        "26. Not printed.",
        "3. Left at the end.",
    ]


def test_plain_text_of_a_heading_leaves_its_notes_out() -> None:
    head = root().find(".//{http://www.tei-c.org/ns/1.0}head")
    assert plain_text(head) == "Telegram"


def test_whitespace_runs_may_differ_in_length_and_kind() -> None:
    assert first_difference("a  b\n\nc", "a b\tc") is None


def test_whitespace_may_not_appear_or_vanish() -> None:
    assert first_difference("p.m.26 The", "p.m. 26 The") == 4
    assert first_difference("ab", "a b") == 1


def test_a_missing_or_extra_tail_is_found() -> None:
    assert first_difference("one two three", "one two") == 8
    assert first_difference("one two", "one two three") == 7
