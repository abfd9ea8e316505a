"""The edition's own rules: unique ids, pointers that resolve, persons used, no empty note."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from edition.rules import Context, check_tree, element_ids
from edition.validate import check_files

FIXTURES = Path(__file__).parent / "fixtures" / "validate"
DOC = (
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/>{stand_off}<text><body>\n'
    "{body}\n</body></text></TEI>"
)


def check(body: str, stand_off: str = "", context: Context | None = None) -> list[str]:
    root = etree.fromstring(DOC.format(body=body, stand_off=stand_off))
    return [d.format() for d in check_tree(root, "t.xml", context)]


def test_the_broken_fixture_reports_exactly_these_problems() -> None:
    problems = check_files([FIXTURES / "rules.xml", FIXTURES / "persons.xml"], lambda p: p.name)
    assert [d.format() for d in problems] == [
        "rules.xml:7: warning: person 'welles' is listed in standOff but no pointer names them "
        "[rules.person.unused]",
        "rules.xml:10: <note> is empty: it has neither text nor elements [rules.note.empty]",
        "rules.xml:11: <persName @ref='persons.xml#nobody'> points at no xml:id in persons.xml "
        "[rules.ref.unresolved]",
        "rules.xml:12: <persName @ref='#kennan'> points at no xml:id in this file "
        "[rules.ref.unresolved]",
        "rules.xml:12: <ref @target='#p9'> points at no xml:id in this file [rules.ref.unresolved]",
        "rules.xml:13: warning: <ref @target='other.xml#p2'> points into other.xml, which was not "
        "checked with this file [rules.ref.external]",
    ]


def test_without_the_register_a_pointer_into_it_is_a_warning_not_an_error() -> None:
    problems = check_files([FIXTURES / "rules.xml"], lambda p: p.name)
    external = [d for d in problems if d.code == "rules.ref.external"]
    assert [d.is_error for d in external] == [False, False, False]


def test_a_duplicate_id_in_a_built_tree_is_located() -> None:
    root = etree.fromstring(DOC.format(body='<p xml:id="p1">a</p>\n<p xml:id="p2">b</p>', stand_off=""))
    root[1][0][1].set("{http://www.w3.org/XML/1998/namespace}id", "p1")  # libxml2 parses no twin
    assert [d.format() for d in check_tree(root, "t.xml")] == [
        "t.xml:3: xml:id 'p1' is already the id of an element on line 2; ids must be unique in "
        "a file [rules.id.duplicate]"
    ]


def test_a_name_pointing_into_a_volume_it_was_taken_from_is_a_warning() -> None:
    # A FRUS document names persons listed in its volume's front matter, not in the file.
    assert check('<p><persName corresp="#p_HCW1">Hull</persName></p>') == [
        "t.xml:2: warning: <persName @corresp='#p_HCW1'> names no xml:id in this file or the "
        "register; presumably a list in the work it was taken from (not checked) "
        "[rules.ref.elsewhere]"
    ]


def test_a_name_resolves_in_the_register_and_a_self_contained_file_must_resolve_its_own() -> None:
    register = Context({"persons.xml": frozenset({"hull"})})
    assert check('<p><persName ref="#hull">Hull</persName></p>', context=register) == []
    person = '<standOff><listPerson><person xml:id="x"/></listPerson></standOff>'
    assert check('<p><persName ref="#x">X</persName> <persName ref="#y">Y</persName></p>', person) == [
        "t.xml:2: <persName @ref='#y'> points at no xml:id in this file [rules.ref.unresolved]"
    ]


def test_uris_and_pointer_schemes_are_not_checked() -> None:
    body = (
        '<p><ref target="https://x.org/a#b mailto:a@b.org urn:x">x</ref> '
        """<ptr target="#xpath(//p[1])"/> <anchor xml:id="a" corresp="#a"/></p>"""
    )
    assert check(body) == []


def test_a_note_with_an_element_only_is_not_empty() -> None:
    assert check('<p>a<note><ref target="#p">b</ref></note><note> </note></p>') == [
        "t.xml:2: <note> is empty: it has neither text nor elements [rules.note.empty]",
        "t.xml:2: <ref @target='#p'> points at no xml:id in this file [rules.ref.unresolved]",
    ]


def test_element_ids_are_every_xml_id() -> None:
    root = etree.fromstring('<r xmlns:xml="http://www.w3.org/XML/1998/namespace" xml:id="a"><b xml:id="c"/></r>')
    assert element_ids(root) == {"a", "c"}
