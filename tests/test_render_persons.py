"""Persons for the site: register entries merged, mentions located, the chart escaped."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from edition.render.persons import (
    Authority,
    Mention,
    Personography,
    PersonRecord,
    count_by_document,
    find_mentions,
    mentions_svg,
    read_persons,
    ref_ids,
)

FIXTURES = Path(__file__).parent / "fixtures" / "tei"
TEI = "http://www.tei-c.org/ns/1.0"


def root(name: str) -> etree._Element:
    return etree.parse(str(FIXTURES / name)).getroot()


def body(inner: str) -> etree._Element:
    return etree.fromstring(f'<body xmlns="{TEI}">{inner}</body>')


def test_register_entry_gives_name_forms_dates_description_and_authority_links() -> None:
    yezhov = next(p for p in read_persons(root("persons.xml")) if p.id == "yezhov")
    assert yezhov == PersonRecord(
        id="yezhov",
        name="Nikolai Yezhov",
        forms=("Ezhov",),
        birth="1895",
        death="1940-02-04",
        description="Party official who oversaw the preparation of the 1936 trial; "
        "head of the NKVD from September 1936.",
        authorities=(
            Authority("wikidata", "Wikidata", "Q193478", "https://www.wikidata.org/wiki/Q193478"),
        ),
    )
    assert yezhov.dates == "1895\u20131940-02-04"


def test_unknown_authority_is_shown_unlinked() -> None:
    zinoviev = next(p for p in read_persons(root("persons.xml")) if p.id == "zinoviev")
    assert zinoviev.authorities[1] == Authority("local", "local", "Z-1", "")


def test_corpus_register_wins_and_a_document_fills_what_it_leaves_empty() -> None:
    people = Personography()
    people.add_register(root("telegram.xml"), authoritative=False)
    people.add_register(root("persons.xml"), authoritative=True)
    assert people.persons["zinoviev"].description.startswith("Old Bolshevik")
    assert people.persons["yezhov"].birth == "1895"


def test_ref_names_local_ids_and_not_web_addresses() -> None:
    assert ref_ids("#a persons.xml#b https://x.org/#c #") == ["a", "b"]


def test_mentions_carry_anchor_page_and_context_in_the_normalized_reading() -> None:
    found = find_mentions(
        "d-1",
        body(
            '<p xml:id="p1">Before <persName ref="#z"><choice><orig>Zx</orig><reg>Z</reg>'
            '</choice></persName> after<note xml:id="n1">in <persName ref="#y">Y</persName></note>.'
            '</p><pb n="7"/><p>Late <persName ref="#z #y">both</persName>.</p>'
        ),
    )
    assert found == [
        Mention("z", "d-1", "p1", "", "Before ", "Z", " after."),
        Mention("y", "d-1", "n1", "", "in ", "Y", ""),
        Mention("z", "d-1", "", "7", "Late ", "both", "."),
        Mention("y", "d-1", "", "7", "Late ", "both", "."),
    ]


def test_long_context_is_cut_at_a_word_with_an_ellipsis() -> None:
    words = " ".join(f"word{i}" for i in range(40))
    (mention,) = find_mentions("d", body(f'<p>{words} <persName ref="#z">Z</persName> {words}</p>'))
    assert mention.before.startswith("\u2026") and len(mention.before) < 80
    assert mention.after.endswith("\u2026") and len(mention.after) < 80


def test_chart_has_one_bar_per_document_and_escapes_every_text() -> None:
    person = PersonRecord("x", "A <b> & C")
    counts = count_by_document(
        [Mention("x", "d-2", "", "", "", "", ""), Mention("x", "d-2", "", "", "", "", "")],
        [("d-1", "One"), ("d-2", "Two <script>")],
    )
    assert counts == [("Two <script>", 2)]
    svg = mentions_svg(person, counts)
    tree = etree.fromstring(svg)
    assert len(tree.findall("{http://www.w3.org/2000/svg}rect")) == 1
    assert "<script>" not in svg and "<b>" not in svg
    assert tree.findtext("{http://www.w3.org/2000/svg}title") == (
        "Mentions of A <b> & C per document: Two <script>: 2"
    )


def test_only_persons_outside_the_text_are_register_entries() -> None:
    tei = etree.fromstring(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xml="http://www.w3.org/XML/1998/namespace">'
        "<teiHeader/><text><body><div><listPerson><person xml:id='quoted'><persName>In a letter"
        "</persName></person></listPerson></div></body></text>"
        "<standOff><listPerson><person xml:id='registered'><persName>A Person</persName></person>"
        "</listPerson></standOff></TEI>"
    )
    assert [p.id for p in read_persons(tei)] == ["registered"]
