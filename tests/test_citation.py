"""Citations: the sample edition's pages as Zotero and Google Scholar read them, the CSL-JSON
through a real CSL processor (citeproc-py), the BibTeX through a real parser (bibtexparser)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import bibtexparser
import lxml.html
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from edition.config import EditionConfig, Person
from edition.pipeline import BuildOptions, build_edition
from edition.render.citation import Citable, bibtex, csl_json, json_ld, paragraph_label

SAMPLE = Path(__file__).parents[1] / "sources"
TELEGRAM = "d-003-e5b59e6160513613"
URL = f"https://edition.example.org/sample/{TELEGRAM}/index.html"
HOSTILE = EditionConfig(
    title="Trials & {Errors}: 100% $true$ #1 </script><!-- a_b",
    editors=(Person("Jane Q. Smith"), Person("The Purge Project")),
    publisher="Press & Co.",
    version="2.0",
)
HOSTILE_ITEM = Citable(
    doc_id="d-007-letter",
    title="A letter with </script> & {braces",
    author="Wilhelm von Mirbach",
    date="July 4, 1918",
    when="1918-07-04",
    language="de",
    url="https://example.org/ed/d-007-letter/index.html",
    edition=HOSTILE,
    release_date="2026-01-02",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("citation")
    shutil.copytree(SAMPLE, root / "src")
    build_edition(BuildOptions(root / "src", root / "out", validate=False))
    return root / "out" / "site"


def page(site: Path, doc_id: str = TELEGRAM) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / doc_id / "index.html").read_bytes())


def metas(document: lxml.html.HtmlElement, name: str) -> list[str]:
    return [str(m.get("content")) for m in document.xpath(f"//head/meta[@name='{name}']")]


def render_csl(text: str, key: str) -> str:
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(json.loads(text)), formatter.plain)
    bibliography.register(Citation([CitationItem(key)]))
    return str(bibliography.bibliography()[0])


# --- the head of a real document page ---


def test_highwire_tags_say_title_author_editor_dates_edition_and_url(site: Path) -> None:
    document = page(site)
    assert metas(document, "citation_title") == [
        "The Chargé in the Soviet Union (Henderson) to the Secretary of State"
    ]
    assert metas(document, "citation_author") == ["Loy W. Henderson"]
    assert metas(document, "citation_editor") == ["The edition developers"]
    assert metas(document, "citation_date") == ["1936/08/27"]
    assert metas(document, "citation_publication_date") == ["2026/11/21"]
    assert metas(document, "citation_inbook_title") == [
        "The First Moscow Trial, 1936: A Sample Edition"
    ]
    assert metas(document, "citation_public_url") == [URL]


def test_dublin_core_cite_as_and_canonical_name_the_permalink(site: Path) -> None:
    document = page(site)
    assert metas(document, "DC.title") == metas(document, "citation_title")
    assert metas(document, "DC.creator") == ["Loy W. Henderson"]
    assert metas(document, "DC.date") == ["1936-08-27"]
    assert metas(document, "DC.identifier") == [URL]
    assert document.xpath("//head/link[@rel='cite-as']/@href") == [URL]
    assert document.xpath("//head/link[@rel='canonical']/@href") == [URL]


def test_json_ld_describes_the_document_in_the_edition(site: Path) -> None:
    [script] = page(site).xpath("//head/script[@type='application/ld+json']")
    data = json.loads(script.text)
    assert data["@context"] == "https://schema.org" and data["url"] == URL
    assert data["author"] == {"@type": "Person", "name": "Loy W. Henderson"}
    assert data["isPartOf"]["name"] == "The First Moscow Trial, 1936: A Sample Edition"
    assert data["version"] == "0.1.0" and data["dateCreated"] == "1936-08-27"


def test_the_page_cites_the_document_and_links_both_downloads(site: Path) -> None:
    document = page(site)
    citation = document.xpath("string(//dd[@class='citation'])")
    assert citation.startswith("Loy W. Henderson, “The Chargé in the Soviet Union")
    assert "in The First Moscow Trial, 1936: A Sample Edition, ed. The edition developers" in citation
    assert citation.endswith(f"version 0.1.0 (The edition project, 2026-11-21), {URL}.")
    links = document.xpath("//ul[@class='downloads']//a/@href")
    assert f"{TELEGRAM}.json" in links and f"{TELEGRAM}.bib" in links


def test_each_paragraph_carries_its_citation_as_text(site: Path) -> None:
    paragraph = page(site).get_element_by_id("p12")
    [cite] = paragraph.find_class("para-cite")
    text = cite.text_content()
    assert text.startswith("Cite this paragraph: Loy W. Henderson, “The Chargé")
    assert text.endswith(f"2026-11-21), ¶ 12, {URL}#p12.")


def test_every_page_says_the_version_and_links_the_releases(site: Path) -> None:
    for path in [site / "index.html", site / TELEGRAM / "index.html", site / "persons/index.html"]:
        footer = lxml.html.fromstring(path.read_bytes()).find_class("site-footer")[0]
        assert "version 0.1.0" in footer.text_content() and "2026-11-21" in footer.text_content()
    releases = lxml.html.fromstring((site / "releases" / "index.html").read_bytes())
    rows = [r.text_content().split() for r in releases.xpath("//table[@class='releases']/tbody/tr")]
    assert rows and rows[0][:2] == ["0.1.0", "(this"]


# --- the downloads, read by real tools ---


def test_csl_json_download_renders_with_citeproc(site: Path) -> None:
    text = (site / TELEGRAM / f"{TELEGRAM}.json").read_text(encoding="utf-8")
    rendered = render_csl(text, TELEGRAM)
    assert rendered.startswith("Henderson, L.W. (1936) “The Chargé in the Soviet Union")
    assert "The First Moscow Trial, 1936: A Sample Edition" in rendered
    assert URL in rendered


def test_bibtex_download_parses_with_bibtexparser(site: Path) -> None:
    text = (site / TELEGRAM / f"{TELEGRAM}.bib").read_text(encoding="utf-8")
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert library.failed_blocks == []
    [entry] = library.entries
    assert (entry.entry_type, entry.key) == ("misc", TELEGRAM)
    assert entry["author"] == "Henderson, Loy W."
    assert entry["url"] == URL and entry["year"] == "1936"


def test_hostile_text_survives_csl_processing() -> None:
    rendered = render_csl(csl_json(HOSTILE_ITEM), "d-007-letter")
    assert "A letter with </script> & {braces" in rendered
    assert "von Mirbach" in rendered


def test_hostile_text_is_escaped_for_bibtex() -> None:
    library = bibtexparser.parse_string(
        bibtex(HOSTILE_ITEM), append_middleware=[LatexDecodingMiddleware()]
    )
    assert library.failed_blocks == []
    [entry] = library.entries
    # Braces become \textbrace… commands (BibTeX counts every brace); the rest reads back.
    assert entry["title"].replace("{", "") == "A letter with </script> & braces"
    assert entry["editor"] == "Smith, Jane Q. and The Purge Project"
    assert "Trials & " in entry["howpublished"] and "100% $true$ #1" in entry["howpublished"]
    assert "a_b" in entry["howpublished"]


def test_json_ld_cannot_end_its_script_element() -> None:
    text = str(json_ld(HOSTILE_ITEM))
    assert "<" not in text and ">" not in text
    assert json.loads(text)["name"] == "A letter with </script> & {braces"


@pytest.mark.parametrize(
    ("xml_id", "label"),
    [
        ("p12", "¶ 12"),  # the stable id's number, so the label never changes
        ("intro", "¶ intro"),  # an id from imported TEI is shown as it is
    ],
)
def test_paragraph_label(xml_id: str, label: str) -> None:
    assert paragraph_label(xml_id) == label
