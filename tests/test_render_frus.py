"""Imported TEI: a FRUS-style document (written for the test) renders with nothing dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from edition.cli import main
from edition.config import EditionConfig
from edition.render import render_site

FRUS = Path(__file__).parent / "fixtures" / "frus" / "frus1933-39-d305.xml"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("frus") / "site"
    out.mkdir()
    warnings = render_site([FRUS], EditionConfig(title="FRUS test"), out)
    return out, [d.format() for d in warnings]


def select(root: html.HtmlElement, tag: str, cls: str, extra: str = "") -> list[html.HtmlElement]:
    """``tag.cls`` (and an XPath predicate) — no cssselect needed."""
    found = root.xpath(f"//{tag}[contains(concat(' ', @class, ' '), ' {cls} '){extra}]")
    return list(found)


def page(site: tuple[Path, list[str]]) -> html.HtmlElement:
    return html.parse(str(site[0] / "frus1933-39-d305" / "index.html")).getroot()


def test_notes_render_linked_both_ways_source_note_included(site: tuple[Path, list[str]]) -> None:
    notes = select(page(site), "li", "note")
    assert [n.get("id") for n in notes] == ["d305fn0", "d305fn1"]
    assert [n.text_content().split(None, 1)[1] for n in notes] == [
        "861.00/11630: Telegram",
        "Not printed.",
    ]
    assert select(page(site), "sup", "noteref")[1][0].get("id") == "d305fn1-ref"


def test_the_page_break_keeps_its_number_id_and_facsimile(site: tuple[Path, list[str]]) -> None:
    [pb] = select(page(site), "a", "pb")
    assert (pb.get("id"), pb.text, pb.get("data-facs")) == ("pg_301", "[301]", "0331")


def test_persons_named_by_corresp_are_shown_with_their_pointer(site: tuple[Path, list[str]]) -> None:
    names = select(page(site), "span", "persname")
    assert [(n.text, n.get("data-corresp")) for n in names] == [
        ("Henderson", "#p_HLW1"),
        ("Zinoviev", "#p_ZGE1"),
        ("Kamenev", "#p_KLB1"),
        ("Henderson", "#p_HLW1"),
    ]


def test_opener_closer_and_glossary_list_render(site: tuple[Path, list[str]]) -> None:
    root = page(site)
    assert select(root, "div", "opener")[0][0].text_content().startswith("Moscow, August 27")
    assert select(root, "div", "closer")[0][0].text_content() == "Henderson"
    assert [e.text_content() for e in select(root, "div", "reading")[0].xpath(".//dl/dt")] == ["1.", "2."]


def test_unknown_elements_keep_their_text_and_are_summarized(site: tuple[Path, list[str]]) -> None:
    root = page(site)
    assert select(root, "span", "tei-inline-marker")[0].text == "within"
    assert "Enclosure: a translation of the verdict" in select(root, "div", "tei-attachment")[0].text_content()
    assert select(root, "span", "tei-gloss")[0].text == "Secretary of State"
    unknown = [w for w in site[1] if w.endswith("[render.unknown-element]")]
    shown = str(FRUS)
    assert unknown == [
        f"{shown}:48: warning: element <frus:attachment> has no HTML rendering of its own; "
        "shown as its text (once) [render.unknown-element]",
        f"{shown}:40: warning: element <frus:inline-marker> has no HTML rendering of its own; "
        "shown as its text (once) [render.unknown-element]",
        f"{shown}:27: warning: element <gloss> has no HTML rendering of its own; "
        "shown as its text (once) [render.unknown-element]",
    ]


def test_a_build_publishes_an_imported_frus_document_reporting_its_foreign_markup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    sources = tmp_path / "src"
    (sources / "texts").mkdir(parents=True)
    (sources / "texts" / "letter.txt").write_text("A Letter\n\nDear Sir, I write.\n", encoding="utf-8")
    (sources / "tei").mkdir()
    (sources / "tei" / FRUS.name).write_bytes(FRUS.read_bytes())
    (sources / "edition.yaml").write_text("edition:\n  title: T\n", encoding="utf-8")
    assert main(["build", "src", "--out", "out"]) == 0
    err = capsys.readouterr().err
    assert (tmp_path / "out" / "tei" / FRUS.name).read_bytes() == FRUS.read_bytes()
    assert (tmp_path / "out" / "site" / "frus1933-39-d305" / "index.html").exists()
    # tei_all does not know the frus: namespace: reported, as warnings, for a file taken as it is
    assert f'out/tei/{FRUS.name}:25:62: warning: attribute "frus:doc-dateTime-max"' in err
    assert "[rules.ref.elsewhere]" in err
