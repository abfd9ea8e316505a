"""Hypothesis strategies: plain-text sources that mix what the detectors and the reader meet."""

from __future__ import annotations

from hypothesis import strategies as st

WORDS = st.sampled_from(
    [
        "the",
        "Embassy",
        "Zinoviev",
        "Kamenev’s",
        "trial",
        "p.m.",
        "6",
        "1936",
        "861.00/11630",
        "constitution27",
        "(Cole)1",
        "Your",
        "1359.2",
        "[sic]",
        "[260]",
        "* * *",
        "—",
        "«Moscou»",
        "Zürich",
        "naïve",
        "Ⅻ",
        "שלום",
        "مرحبا",
        "𝔄𝔟𝔠",
        "😀",
        "e\u0301",
        "a\u00a0b",
        "<script>",
        "&amp;",
        "]]>",
        "&",
        "<",
        ">",
        '"q"',
        "'",
        "[Page 301]",
        "[Page xii]",
        "[Page 12a]",
        "[Page 12",
        "¹",
        "²³",
        "No.",
        "Telegram",
        "To",
        ":",
        ";",
        ".",
    ]
)
# Any character XML can hold, from every plane; surrogates and C0 controls left out.
XML_CHARS = st.characters(
    blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff", min_codepoint=0x20
)
SPACES = st.sampled_from([" ", " ", " ", "  ", "\t", "\u00a0", " \u2009"])


@st.composite
def lines(draw: st.DrawFn) -> str:
    tokens = draw(
        st.lists(
            st.one_of(WORDS, st.text(XML_CHARS, min_size=1, max_size=8)), min_size=1, max_size=25
        )
    )
    out = tokens[0]
    for token in tokens[1:]:
        out += draw(st.sampled_from(["", draw(SPACES)])) + token
    return out


@st.composite
def sources(draw: st.DrawFn) -> str:
    """A whole text: blocks of lines separated by blank lines, maybe a trailing endnote block."""
    blocks = draw(st.lists(st.lists(lines(), min_size=1, max_size=4).map("\n".join), max_size=8))
    text = draw(st.sampled_from(["\n\n", "\n \n", "\n\n\n"])).join(blocks)
    if draw(st.booleans()):
        notes = draw(st.lists(lines(), min_size=1, max_size=4))
        # Mostly 1..k as the text view numbers them; sometimes with gaps and repeats.
        labels = draw(
            st.one_of(
                st.just(list(range(1, len(notes) + 1))),
                st.lists(st.integers(1, 5), min_size=len(notes), max_size=len(notes)),
            )
        )
        text += "\n\n" + "\n".join(f"  {k}. {body}" for k, body in zip(labels, notes, strict=True))
    return (
        draw(st.sampled_from(["", " ", "\n"])) + text + draw(st.sampled_from(["", "\n", "  \n\n"]))
    )
