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
        # Page markers in all forms: labels, roman and lettered numbers, NBSP, glued, unclosed.
        "[p. 12]",
        "[P. 7]",
        "[Pg 3]",
        "[Pg. 4]",
        "[pg 5]",
        "[page 9]",
        "[Page\u00a0302]",
        "[Page XIV]",
        "[Page 206]only",
        "[p.m.",
        # Footnote markers: glued digits, bracketed, superscript, reference symbols.
        "treaty[3]",
        "Ireland.†",
        "editorials*",
        "**",
        "‡",
        "§",
        "treaty¹²",
        "April 29.34",
        "January 2071",
        "of 193027",
        "proposals41a",
        "govern- ment",
        "c0nstitution",
        "tbe",
        "governrnent",
        "(sic)",
        # Markup-like text and what ends a CDATA section or a comment.
        "<![CDATA[x]]>",
        "<!--",
        "-->",
        "&lt;",
        "&#0;",
        "<?pi?>",
        "</p>",
        "{{ x }}",
        "{% raw %}",
        "\\",
        "</script>",
        # Unicode: combining marks, RTL with marks, astral, NBSP and other spaces, ligatures.
        "Ивано\u0301в",
        "a\u0308\u0301",
        "\u202eevil\u202c",
        "\u200f\u05d0\u200e",
        "\U0001d573\U0001f1fa\U0001f1f8",
        "\u2028",
        "ﬁnal",
        "\u00ad",
        "\u200b",
    ]
)
# Persons the generated register holds (see `persons_yaml`), with forms the name detector
# links: regular names and spellings a garble detector would take for them (Yerev, Denoviev).
NAMES = st.sampled_from(
    [
        "Yezhov",
        "Nikolai Yezhov",
        "Yerev",
        "Yenov",
        "Yerov",
        "Zinoviev",
        "Grigory Zinoviev",
        "Zinovieva",
        "Zinoxyez",
        "Denoviev",
        "Genoviev",
        "Kamenev",
        "Kamenyev",
        "Morchanov",
        "Molchanov",
        "N. Yezhov",
        "Mr. Kamenev",
        "Yezhov’s",
        "Zinoviev-Kamenev",
    ]
)
PERSONS_YAML = """persons:
  - id: yezhov
    name: Nikolai Yezhov
    variants: [Yeshov]
  - id: zinoviev
    name: Grigory Zinoviev
  - id: kamenev
    name: Lev Kamenev
  - id: molchanov
    name: Georgy Molchanov
"""
# Any character XML can hold, from every plane; surrogates and C0 controls left out.
XML_CHARS = st.characters(
    blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff", min_codepoint=0x20
)
SPACES = st.sampled_from([" ", " ", " ", "  ", "\t", "\u00a0", " \u2009"])


@st.composite
def lines(draw: st.DrawFn) -> str:
    tokens = draw(
        st.lists(
            st.one_of(WORDS, NAMES, st.text(XML_CHARS, min_size=1, max_size=8)),
            min_size=1,
            max_size=25,
        )
    )
    if draw(st.integers(0, 30)) == 0:  # now and then a very long line (a paragraph unwrapped)
        tokens = tokens * draw(st.integers(40, 120))
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


# Characters XML 1.0 cannot hold; a source with one must be refused at its place.
XML_ILLEGAL = st.sampled_from(["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f\x1f", "\ufffe", "\uffff"])


@st.composite
def edition_texts(draw: st.DrawFn) -> dict[str, str]:
    """One to three sources by file name; now and then one holds a character XML cannot."""
    names = draw(
        st.lists(
            st.sampled_from(["a", "letter", "003_e5b", "1936 report – Moscow", "Ünïcode", "x.y"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    texts = {name: draw(sources()) for name in names}
    if draw(st.integers(0, 9)) == 0:
        name = draw(st.sampled_from(names))
        at = draw(st.integers(0, len(texts[name])))
        texts[name] = texts[name][:at] + draw(XML_ILLEGAL) + texts[name][at:]
    return texts
