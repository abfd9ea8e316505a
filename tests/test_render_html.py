"""TEI body → HTML: each element kind, ids carried over, escaping by construction."""

from __future__ import annotations

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from edition.render.html import RenderContext, RenderedText, UnknownElement, render_body

TEI = "http://www.tei-c.org/ns/1.0"


def render(inner: str) -> RenderedText:
    body = etree.fromstring(f'<body xmlns="{TEI}" xmlns:x="urn:example">{inner}</body>')
    return render_body(body)


def body_html(inner: str) -> str:
    return render(inner).body.removeprefix('<div class="reading">').removesuffix("</div>")


# --- one element kind at a time: TEI in, HTML out ---

CASES = [
    # structure
    ("<p>a</p>", "<p>a</p>"),
    ('<p xml:id="p5">a</p>',
     '<p id="p5">a<a class="permalink" href="#p5" '
     'aria-label="Permalink to paragraph p5">¶</a></p>'),
    ("<head>A</head><head>B</head>", "<h1>A</h1><h2>B</h2>"),
    ('<div type="doc"><head>A</head><div><head>B</head></div></div>',
     '<div class="div div-doc"><h1>A</h1><div class="div"><h3>B</h3></div></div>'),
    ("<list><item>a</item><item>b</item></list>", "<ul><li>a</li><li>b</li></ul>"),
    ('<list type="gloss"><label>k</label><item>v</item></list>', "<dl><dt>k</dt><dd>v</dd></dl>"),
    ("<p>a<list><item>b</item></list></p>", '<div class="p">a<ul><li>b</li></ul></div>'),
    ('<table><head>T</head><row role="label"><cell>h</cell></row><row><cell cols="2">c</cell>'
     "</row></table>",
     '<table><caption>T</caption><tr><th>h</th></tr><tr><td colspan="2">c</td></tr></table>'),
    ("<lg><l>a</l></lg>", '<div class="lg"><div class="l">a</div></div>'),
    ("<opener><dateline>D</dateline></opener><closer><signed>S</signed></closer>",
     '<div class="opener"><div class="dateline">D</div></div>'
     '<div class="closer"><div class="signed">S</div></div>'),
    # page breaks
    ('<pb n="301" xml:id="pb301"/>',
     '<a class="pb" id="pb301" href="#pb301" aria-label="Page 301">[301]</a>'),
    ('<pb n="7"/>', '<span class="pb" aria-label="Page 7">[7]</span>'),
    # phrases
    ("<p>a<lb/>b</p>", "<p>a<br>b</p>"),
    ('<hi rend="italic">i</hi><hi rend="bold smallcaps">b</hi><hi>h</hi>',
     '<i class="hi">i</i><b class="hi rend-smallcaps">b</b><span class="hi">h</span>'),
    ("<quote>q</quote>", '<span class="quote">q</span>'),
    ("<quote><p>q</p></quote>", '<blockquote class="quote"><p>q</p></blockquote>'),
    ('<date when="1936-08-28">28 Aug</date><date>someday</date>',
     '<time class="date" datetime="1936-08-28">28 Aug</time><span class="date">someday</span>'),
    ('<persName ref="#yezhov">Y</persName><placeName>M</placeName>',
     '<span class="persname" data-ref="#yezhov">Y</span><span class="placename">M</span>'),
    ('<label>L</label><foreign xml:lang="fr">oui</foreign>',
     '<span class="label">L</span><i class="foreign" lang="fr">oui</i>'),
    # links: only to ids on the page and to the web
    ('<anchor xml:id="a"/><ref target="#a">in</ref><ref target="#gone">out</ref>'
     '<ref target="https://x.org/">web</ref><ref target="javascript:alert(1)">js</ref>',
     '<span class="anchor" id="a"></span><a class="ref" href="#a">in</a>'
     '<span class="ref" data-target="#gone">out</span>'
     '<a class="ref external" href="https://x.org/">web</a>'
     '<span class="ref" data-target="javascript:alert(1)">js</span>'),
    # editorial interventions: both readings, the normalized one shown (span.norm), the
    # source's (span.dipl) under the page's toggle; a tip names both, who and how sure
    ("<choice><orig>Yerev</orig><reg>Yezhov</reg></choice>",
     '<span class="choice choice-reg" tabindex="0" aria-describedby="ed-tip-1">'
     '<span class="orig dipl">Yerev</span><span class="reg norm">Yezhov</span>'
     '<span class="tip" role="tooltip" id="ed-tip-1">original: Yerev; regularized: Yezhov'
     "</span></span>"),
    ('<choice><sic>tbe</sic><corr resp="#auto" cert="high">the</corr></choice>',
     '<span class="choice choice-corr" tabindex="0" aria-describedby="ed-tip-1">'
     '<span class="sic dipl">tbe</span><span class="corr norm">the</span>'
     '<span class="tip" role="tooltip" id="ed-tip-1">source: tbe; corrected: the'
     " · by auto · certainty: high</span></span>"),
    ('<choice><orig xml:id="o">a<pb n="2" xml:id="pb2"/>b</orig><reg>ab</reg></choice>',
     '<span class="choice choice-reg" tabindex="0" aria-describedby="ed-tip-1">'
     '<span class="orig dipl" id="o">a<a class="pb" id="pb2" href="#pb2" aria-label="Page 2">'
     '[2]</a>b</span><span class="reg norm">ab</span>'
     '<span class="tip" role="tooltip" id="ed-tip-1">original: ab; regularized: ab</span></span>'),
    ('<sic resp="#auto" cert="low">sentances</sic>',
     '<span class="sic flagged" tabindex="0" aria-describedby="ed-tip-1">sentances'
     '<span class="tip" role="tooltip" id="ed-tip-1">so in the source (sic), not corrected'
     " · by auto · certainty: low</span></span>"),
    # unknown elements keep their text and what is inside
    ('<seg type="x">s<pb n="3" xml:id="pb3"/>t</seg>',
     '<span class="tei-seg">s<a class="pb" id="pb3" href="#pb3" '
     'aria-label="Page 3">[3]</a>t</span>'),
    ("<x:mark>m</x:mark>", '<span class="tei-mark">m</span>'),
]  # fmt: skip


@pytest.mark.parametrize(("tei", "html"), CASES)
def test_element_renders_as(tei: str, html: str) -> None:
    assert body_html(tei) == html


def test_footnote_becomes_marker_and_note_linked_both_ways() -> None:
    rendered = render(
        '<p>a<note place="foot" n="26" xml:id="n26">Not <hi>printed</hi>.</note>b</p>'
    )
    assert rendered.body == (
        '<div class="reading"><p>a<sup class="noteref"><a id="n26-ref" href="#n26" '
        'role="doc-noteref" aria-label="Note 26">26</a></sup>b</p></div>'
    )
    assert rendered.notes == (
        '<ol class="notes"><li id="n26" class="note note-foot"><a class="backref" '
        'href="#n26-ref" role="doc-backlink" aria-label="Back to note 26 in the text">26</a> '
        '<span class="note-body">Not <span class="hi">printed</span>.</span></li></ol>'
    )


def test_note_without_id_or_number_gets_a_fresh_id_and_its_position() -> None:
    rendered = render('<p xml:id="ed-note-1">a<note>x</note></p>')
    assert 'id="ed-note-1-2"' in rendered.notes  # the TEI already took ed-note-1
    assert 'href="#ed-note-1-2"' in rendered.body
    assert ">1</a>" in rendered.body


def test_text_without_notes_has_no_notes_list() -> None:
    assert render("<p>a</p>").notes == ""


def test_first_head_is_reported_so_the_page_does_not_add_a_title() -> None:
    assert render("<div><head>A</head></div>").opens_with_heading
    assert not render("<p>a</p>").opens_with_heading


def test_unknown_elements_are_counted_by_name_with_their_first_line() -> None:
    rendered = render("<p><seg>a</seg>\n<seg>b</seg><x:mark>c</x:mark></p>")
    assert rendered.unknown == (
        UnknownElement("seg", 2, 1),
        UnknownElement("x:mark", 1, 2),  # named with the prefix the document gives it
    )


def test_markup_in_source_text_is_shown_as_text() -> None:
    html = body_html("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")
    assert html == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_unexpanded_entity_stays_visible_as_text() -> None:
    body = etree.fromstring(
        f'<!DOCTYPE body [<!ENTITY e "x">]><body xmlns="{TEI}"><p>a &e; b</p></body>',
        etree.XMLParser(resolve_entities=False),
    )
    assert render_body(body).body == '<div class="reading"><p>a &amp;e; b</p></div>'


# Characters XML can hold, minus controls (which HTML parsing would rewrite).
XML_TEXT = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff"),
    max_size=40,
)


@given(XML_TEXT, XML_TEXT)
def test_any_text_comes_back_as_text_and_never_as_markup(before: str, inside: str) -> None:
    p = etree.Element(f"{{{TEI}}}p")
    p.text = before
    hi = etree.SubElement(p, f"{{{TEI}}}hi")
    hi.text = inside
    body = etree.Element(f"{{{TEI}}}body")
    body.append(p)
    page = lxml.html.fragment_fromstring(render_body(body).body)
    assert [e.tag for e in page.iter()] == ["div", "p", "span"]
    assert page.text_content() == before + inside


def test_source_note_head_is_a_label_and_the_title_head_is_the_h1() -> None:
    from lxml import etree as _etree

    from edition.render.html import render_body

    body = _etree.fromstring(
        '<body xmlns="http://www.tei-c.org/ns/1.0"><div>'
        '<head type="source-note" xml:id="h1">861.00/11630: Telegram</head>'
        '<head xml:id="h2">The Chargé to the Secretary</head><p>Text</p></div></body>'
    )
    html = str(render_body(body).body)
    label, title = html.split("<h1", 1)
    assert 'class="head-source-note"' in label and 'id="h1"' in label
    assert "The Chargé to the Secretary" in title


# --- names, tips and permalinks with a rendering context ---

CONTEXT = RenderContext(
    persons={"zinoviev": "../persons/zinoviev/index.html"},
    person_labels={"zinoviev": "Grigory Zinoviev, 1883–1936"},
    resp_labels={"#auto": "automatic encoding"},
    permalink_base="https://example.org/e/d-1/index.html",
)


def render_with(inner: str) -> str:
    body = etree.fromstring(f'<body xmlns="{TEI}">{inner}</body>')
    return render_body(body, CONTEXT).body.removeprefix('<div class="reading">').removesuffix(
        "</div>"
    )


def test_name_of_a_known_person_links_to_their_page_and_its_tip_says_who_and_how_sure() -> None:
    html = render_with(
        '<persName ref="#zinoviev" resp="#auto" cert="medium">'
        "<choice><orig>Zinoxyez</orig><reg>Zinoviev</reg></choice></persName>"
    )
    assert html == (
        '<a class="persname" href="../persons/zinoviev/index.html" data-ref="#zinoviev" '
        'aria-describedby="ed-tip-1"><span class="choice choice-reg">'
        '<span class="orig dipl">Zinoxyez</span><span class="reg norm">Zinoviev</span></span>'
        '<span class="tip" role="tooltip" id="ed-tip-1">Grigory Zinoviev, 1883–1936 · '
        "original: Zinoxyez; regularized: Zinoviev · by automatic encoding · certainty: medium"
        "</span></a>"
    )


def test_name_linked_without_change_says_who_identified_it() -> None:
    html = render_with('<persName ref="persons.xml#zinoviev" resp="#auto" cert="high">Z.</persName>')
    assert "Grigory Zinoviev, 1883–1936 · identified by automatic encoding · certainty: high" in html
    assert 'href="../persons/zinoviev/index.html"' in html


def test_name_of_an_unknown_person_is_not_linked() -> None:
    assert render_with('<persName ref="#nobody">N</persName>') == (
        '<span class="persname" data-ref="#nobody">N</span>'
    )


def test_nothing_interactive_is_nested_in_a_link() -> None:
    html = render_with(
        '<p><persName ref="#zinoviev">Zino<pb n="4" xml:id="pb4"/>viev<note n="1" xml:id="n1">'
        '<ref target="https://x.org/">x</ref></note></persName></p>'
    )
    page = lxml.html.fragment_fromstring(html)
    (link,) = page.xpath("//a[@class='persname']")
    assert not link.xpath(".//a | .//*[@tabindex]")
    assert link.xpath(".//span[@id='pb4'] | .//span[@id='n1-ref']")


def test_permalinks_carry_the_citable_address() -> None:
    assert 'data-permalink="https://example.org/e/d-1/index.html#p5"' in render_with(
        '<p xml:id="p5">a</p>'
    )
