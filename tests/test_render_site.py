"""The whole site from TEI fixtures: ids, links, escaping, warnings, determinism, text."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from lxml import etree

from edition.config import EditionConfig, Licence, Person
from edition.diagnostics import Diagnostic, EditionError, Severity
from edition.render import render_site

FIXTURES = Path(__file__).parent / "fixtures" / "tei"
TEI_FILES = [FIXTURES / name for name in ("telegram.xml", "letter.xml", "untitled.xml")]
REGISTER = FIXTURES / "persons.xml"  # the corpus personography: standOff/listPerson only
DOC_IDS = ["d-003-henderson-telegram", "d-007-letter", "d-012-notiz"]
TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
CONFIG = EditionConfig(
    title="Sample Edition",
    subtitle="Telegrams & letters",
    editors=(Person("A. Editor"), Person("B. Editor")),
    licence=Licence("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    version="1.2.3",
)
# Marks the site adds around the reading text: page numbers, note markers, permalinks,
# and what is hidden by default: the diplomatic readings and the interventions' tips.
APPARATUS = {"pb", "noteref", "permalink", "dipl", "alt", "tip", "para-cite"}
WHITESPACE = re.compile(r"\s+")


def build(site: Path, config: EditionConfig = CONFIG) -> list[Diagnostic]:
    site.mkdir()
    return render_site([*TEI_FILES, REGISTER], config, site)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("render") / "site"
    build(folder)
    return folder


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def parse(page: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(page.read_bytes())


def classes(element: lxml.html.HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


def normalize(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip()


def tei_reading(element: etree._Element) -> str:
    """The reading a page should show: reg/corr/expan chosen, notes elsewhere."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{TEI}choice":
            shown = next(
                c for c in child if c.tag in {f"{TEI}{n}" for n in ("reg", "corr", "expan")}
            )
            parts.append(tei_reading(shown))
        elif child.tag != f"{TEI}note":
            parts.append(tei_reading(child))
        parts.append(child.tail or "")
    return "".join(parts)


def html_reading(element: lxml.html.HtmlElement) -> str:
    parts = [element.text or ""]
    for child in element:
        if not classes(child) & APPARATUS:
            parts.append(html_reading(child))
        parts.append(child.tail or "")
    return "".join(parts)


def tei_root(doc_id: str) -> etree._Element:
    return etree.parse(str(TEI_FILES[DOC_IDS.index(doc_id)])).getroot()


# --- what is written ---


def test_site_has_index_assets_and_a_page_and_download_per_document(site: Path) -> None:
    files = sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())
    assert files == sorted(
        ["index.html", "assets/style.css", "persons/index.html", "principles/index.html",
         "releases/index.html", "search/index.html", "assets/search.js", "robots.txt"]
        + [f"documents-by-{key}.html" for key in ("title", "date", "author", "pages")]
        + [f"persons/{p}/index.html" for p in ("kamenev", "mueller", "yezhov", "zinoviev")]
        + [f"{d}/index.html" for d in DOC_IDS]
        + [f"{d}/{d}{kind}" for d in DOC_IDS for kind in (".xml", "-diplomatic.txt",
                                                           "-normalized.txt", ".json", ".bib")]
    )
    for doc_id, tei in zip(DOC_IDS, TEI_FILES, strict=True):
        assert (site / doc_id / f"{doc_id}.xml").read_bytes() == tei.read_bytes()
        assert parse(site / doc_id / "index.html").xpath(f'//a[@href="{doc_id}.xml"]')


def test_index_lists_documents_in_edition_order_with_header_facts(site: Path) -> None:
    page = parse(site / "index.html")
    rows = [
        [normalize(cell.text_content()) for cell in row.xpath("td")][1:]
        for row in page.xpath('//table[@class="documents"]/tbody/tr')
    ]
    assert rows == [
        [
            "The Chargé in the Soviet Union (Henderson) to the Secretary of State",
            "28 August 1936",
            "Loy W. Henderson",
            "300\u2013302",
        ],
        ["A letter with <script>alert(1)</script> in its title", "4 March 1901",
         "Jane & John Doe", "17"],
        ["Notiz ohne Überschrift", "", "", ""],
    ]  # fmt: skip
    links = page.xpath('//table[@class="documents"]/tbody//a/@href')
    assert links == [f"{d}/index.html" for d in DOC_IDS]


def test_index_shows_edition_title_subtitle_editors_licence_version(site: Path) -> None:
    text = normalize(parse(site / "index.html").text_content())
    for expected in ("Sample Edition", "Telegrams & letters", "A. Editor, B. Editor",
                     "CC BY 4.0", "1.2.3"):  # fmt: skip
        assert expected in text


def test_unstated_licence_says_so(tmp_path: Path) -> None:
    build(tmp_path / "site", EditionConfig(title="T"))
    page = parse(tmp_path / "site" / "index.html")
    assert "licence not stated" in page.text_content()


@pytest.mark.parametrize("page_name", ["index.html", *[f"{d}/index.html" for d in DOC_IDS]])
def test_every_page_has_lang_charset_title_version_and_stylesheet(
    site: Path, page_name: str
) -> None:
    page = parse(site / page_name)
    assert page.get("lang") == ("de" if "notiz" in page_name else "en")
    assert page.xpath("//meta[@charset='utf-8']")
    assert normalize(page.findtext(".//title") or "")
    assert "version 1.2.3" in page.text_content()
    assert page.xpath("//link[@rel='stylesheet']/@href") == [
        "assets/style.css" if page_name == "index.html" else "../assets/style.css"
    ]


def test_document_without_a_heading_takes_its_title_from_the_header(site: Path) -> None:
    page = parse(site / "d-012-notiz" / "index.html")
    assert [normalize(h.text_content()) for h in page.xpath("//h1")] == ["Notiz ohne Überschrift"]
    telegram = parse(site / "d-003-henderson-telegram" / "index.html")
    assert [h.get("id") for h in telegram.xpath("//h1")] == ["h1"]


# --- ids and links ---


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_every_tei_id_in_the_body_is_an_html_id(site: Path, doc_id: str) -> None:
    body = tei_root(doc_id).find(f"{TEI}text/{TEI}body")
    assert body is not None
    tei_ids = {e.get(XML_ID) for e in body.iter() if e.get(XML_ID)}
    html_ids = parse(site / doc_id / "index.html").xpath("//@id")
    assert tei_ids <= set(html_ids)
    assert len(html_ids) == len(set(html_ids)), "ids on a page are unique"


@pytest.mark.parametrize("page_name", ["index.html", *[f"{d}/index.html" for d in DOC_IDS]])
def test_every_link_resolves_on_the_page_or_on_disk_and_names_a_file(
    site: Path, page_name: str
) -> None:
    path = site / page_name
    page = parse(path)
    ids = set(page.xpath("//@id"))
    for href in page.xpath("//a/@href | //link/@href"):
        parts = urlsplit(href)
        if parts.scheme in {"http", "https", "mailto"}:
            continue
        assert not parts.scheme, f"{href} in {page_name}"
        if not parts.path:
            assert parts.fragment in ids, f"{href} in {page_name} has no target"
            continue
        target = (path.parent / unquote(parts.path)).resolve()
        assert target.is_file(), f"{href} in {page_name} names no file"
        assert target.is_relative_to(site.resolve())


def test_footnotes_link_to_the_note_and_back(site: Path) -> None:
    page = parse(site / "d-003-henderson-telegram" / "index.html")
    markers = page.xpath('//sup[@class="noteref"]/a')
    assert [(a.get("id"), a.get("href")) for a in markers] == [
        ("n25-ref", "#n25"),
        ("n26-ref", "#n26"),
        ("n27-ref", "#n27"),
    ]
    notes = page.xpath('//section[@class="footnotes"]//li')
    assert [(li.get("id"), li.xpath('a[@class="backref"]/@href')) for li in notes] == [
        ("n25", ["#n25-ref"]),
        ("n26", ["#n26-ref"]),
        ("n27", ["#n27-ref"]),
    ]


def test_page_breaks_are_self_linking_margin_numbers(site: Path) -> None:
    page = parse(site / "d-003-henderson-telegram" / "index.html")
    assert [(a.get("id"), a.get("href"), a.text) for a in page.xpath('//a[@class="pb"]')] == [
        ("pb301", "#pb301", "[301]"),
        ("pb302", "#pb302", "[302]"),
    ]


# --- escaping and safety ---


def test_markup_in_the_source_is_shown_as_text_never_run(site: Path) -> None:
    for path in html_pages(site):
        page = parse(path)
        if path == site / "search" / "index.html":  # the one page with code: the edition's own
            assert page.xpath("//script/@src") == ["../assets/search.js"]
            assert page.xpath("//@src") == ["../assets/search.js"]
            continue
        # The only script is data (JSON-LD), and it holds no "<" that could end it early.
        scripts = page.xpath("//script")
        assert all(s.get("type") == "application/ld+json" for s in scripts), path
        assert all("<" not in (s.text or "") for s in scripts), path
        assert not page.xpath("//*[@src] | //iframe | //object"), path
        assert not any(h.startswith("javascript:") for h in page.xpath("//@href")), path
    letter = parse(site / "d-007-letter" / "index.html")
    assert "The clerk wrote <script>alert(1)</script> on" in normalize(letter.text_content())
    assert letter.findtext(".//title", "").startswith("A letter with <script>")


def test_stylesheet_loads_nothing_from_outside() -> None:
    css = (Path(__file__).parents[1] / "templates" / "style.css").read_text(encoding="utf-8")
    assert "@import" not in css
    assert "url(" not in css


# --- warnings and errors ---


def test_unknown_element_warned_once_with_count_and_its_text_kept(tmp_path: Path) -> None:
    diagnostics = build(tmp_path / "site")
    assert [(d.code, d.severity, d.path, d.line) for d in diagnostics] == [
        ("render.unknown-element", Severity.WARNING, str(FIXTURES / "letter.xml"), 28)
    ]
    assert "<seg>" in diagnostics[0].message and "(3 times)" in diagnostics[0].message
    page = parse(tmp_path / "site" / "d-007-letter" / "index.html")
    assert [s.text_content() for s in page.xpath('//span[@class="tei-seg"]')] == [
        "ledger",
        "curious",
        "it seems",
    ]


def test_every_bad_file_is_reported_at_once(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<TEI>\n<p>\n</TEI>", encoding="utf-8")
    html = tmp_path / "page.xml"
    html.write_text("<html/>", encoding="utf-8")
    twin = tmp_path / "twin.xml"
    shutil.copyfile(TEI_FILES[0], twin)
    (tmp_path / "site").mkdir()
    with pytest.raises(EditionError) as caught:
        render_site([broken, TEI_FILES[0], html, twin], CONFIG, tmp_path / "site")
    assert [(d.path, d.code) for d in caught.value.diagnostics] == [
        (str(broken), "render.tei.syntax"),
        (str(html), "render.tei.not-tei"),
        (str(twin), "render.tei.duplicate-document-id"),
    ]
    assert caught.value.diagnostics[0].line == 3


# --- determinism and fidelity ---


def test_rendering_twice_gives_identical_bytes(tmp_path: Path) -> None:
    build(tmp_path / "a")
    build(tmp_path / "b")
    a_files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*"))
    b_files = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*"))
    assert a_files == b_files
    for name in a_files:
        if (tmp_path / "a" / name).is_file():
            assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_page_reading_text_equals_tei_body_reading(site: Path, doc_id: str) -> None:
    body = tei_root(doc_id).find(f"{TEI}text/{TEI}body")
    assert body is not None
    page = parse(site / doc_id / "index.html")
    (reading,) = page.xpath('//div[@class="reading"]')
    assert normalize(html_reading(reading)) == normalize(tei_reading(body))


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_each_note_text_equals_its_tei_note(site: Path, doc_id: str) -> None:
    tei_notes = [normalize(tei_reading(n)) for n in tei_root(doc_id).iter(f"{TEI}note")]
    page = parse(site / doc_id / "index.html")
    html_notes = [
        normalize(html_reading(b)) for b in page.xpath('//li[contains(@class, "note")]/*[2]')
    ]
    assert html_notes == tei_notes


# --- persons, principles, downloads, orders ---


def test_person_page_lists_every_mention_linked_to_its_anchor_with_context(site: Path) -> None:
    page = parse(site / "persons" / "zinoviev" / "index.html")
    assert normalize(page.findtext(".//h1") or "") == "Grigory Zinoviev"
    mentions = page.xpath('//li[@class="mention"]')
    assert [m.xpath('a[@class="where"]/@href')[0] for m in mentions] == [
        "../../d-003-henderson-telegram/index.html#p1",
        "../../d-003-henderson-telegram/index.html#p3",
    ]
    assert [normalize(m.findtext(".//mark") or "") for m in mentions] == ["Zinoviev", "Zinoviev"]
    assert "The press reports the sentances of Zinoviev as final." in normalize(
        mentions[1].text_content()
    )
    assert page.xpath('//a[@href="https://viaf.org/viaf/64005727"]')
    assert "executed <script>." in page.text_content()  # text, not markup
    (chart,) = page.xpath("//*[local-name()='svg']")
    assert len(chart.xpath(".//*[local-name()='rect']")) == 1


def test_mention_in_a_note_links_to_the_note(site: Path) -> None:
    page = parse(site / "persons" / "yezhov" / "index.html")
    assert "../../d-003-henderson-telegram/index.html#n26" in page.xpath("//a/@href")


def test_person_index_lists_the_register_by_surname_with_counts(site: Path) -> None:
    page = parse(site / "persons" / "index.html")
    rows = [
        [normalize(td.text_content()) for td in tr.xpath("td")]
        for tr in page.xpath('//table[@class="persons"]/tbody/tr')
    ]
    assert rows == [
        ["Lev Kamenev", "1883\u20131936-08-25", "0", "0"],
        ["Hans Müller", "", "1", "1"],
        ["Nikolai Yezhov", "1895\u20131940-02-04", "2", "1"],
        ["Grigory Zinoviev", "1883\u20131936-08-25", "2", "1"],
    ]


def test_names_in_the_text_link_to_person_pages(site: Path) -> None:
    page = parse(site / "d-003-henderson-telegram" / "index.html")
    assert page.xpath('//a[@class="persname"]/@href') == [
        "../persons/zinoviev/index.html",
        "../persons/yezhov/index.html",
        "../persons/zinoviev/index.html",
        "../persons/yezhov/index.html",  # in note 26, listed under Notes
    ]
    assert page.xpath('//span[@class="persname"]/@data-ref') == []


def test_principles_count_interventions_by_kind_who_and_certainty(site: Path) -> None:
    page = parse(site / "principles" / "index.html")
    rows = [
        [normalize(td.text_content()) for td in tr.xpath("td")]
        for tr in page.xpath('//table[@class="interventions"]/tbody/tr')
    ]
    assert rows == [
        ["Names regularized (original form kept in orig)", "automatic encoding (edition)",
         "high", "1", "Yerev → Yezhov"],
        ["Names regularized (original form kept in orig)", "automatic encoding (edition)",
         "medium", "1", "Zinoxyez → Zinoviev"],
        ["Corrections (sic → corr)", "automatic encoding (edition)", "high", "1", "tbe → the"],
        ["Errors flagged but not corrected (sic)", "automatic encoding (edition)", "low", "1",
         "sentances"],
        ["Abbreviations expanded (abbr → expan)", "not stated", "unknown", "1", "Sm. → Smith"],
        ["Names linked to a person without change", "automatic encoding (edition)", "high", "1",
         "Zinoviev"],
    ]  # fmt: skip
    text = normalize(page.text_content())
    assert "Obvious OCR errors are corrected; the source's reading is kept in sic." in text


def test_plain_text_downloads_are_the_two_readings(site: Path) -> None:
    folder = site / "d-003-henderson-telegram"
    diplomatic = (folder / "d-003-henderson-telegram-diplomatic.txt").read_text("utf-8")
    normalized = (folder / "d-003-henderson-telegram-normalized.txt").read_text("utf-8")
    assert "Zinoxyez" in diplomatic and "tbe" in diplomatic and "[Page 301]" in diplomatic
    assert "Zinoviev" in normalized and "Zinoxyez" not in normalized and "tbe" not in normalized


def test_documents_sort_by_each_column_on_pages_of_their_own(site: Path) -> None:
    def order(name: str) -> list[str]:
        page = parse(site / name)
        return [td.text_content() for td in page.xpath('//td[@class="number"]')]

    assert order("index.html") == ["1", "2", "3"]
    assert order("documents-by-date.html") == ["2", "1", "3"]  # 1901, 1936, undated
    assert order("documents-by-title.html") == ["2", "3", "1"]
    assert order("documents-by-pages.html") == ["2", "1", "3"]
    page = parse(site / "documents-by-date.html")
    assert page.xpath('//th[@aria-sort="ascending"]/text()') == ["Date"]


def test_an_edition_without_documents_says_so_on_its_title_pages(tmp_path: Path) -> None:
    from edition.render import pages

    pages.write_index(pages.environment(), tmp_path, CONFIG, [])
    for name in ("index.html", "documents-by-date.html"):
        page = parse(tmp_path / name)
        assert page.xpath('//p[@class="empty"]/text()') == ["This edition has no documents yet."]
        assert not page.xpath("//table")


def test_title_pages_are_written_as_rendered_not_held_whole(tmp_path: Path) -> None:
    """Five pages of 4,000 rows: the memory the writing takes stays below what the pages
    weigh together (held whole, joined and encoded, one page took three times its size)."""
    import tracemalloc

    from edition.render import pages
    from edition.render.teiread import DocumentInfo

    infos = [DocumentInfo(f"doc{n:05d}", f"Telegram number {n} from the Ambassador", "4 May 1936",
                          "1936-05-04", "Bullitt", "300–302") for n in range(4000)]  # fmt: skip
    env = pages.environment()
    pages.write_index(env, tmp_path, CONFIG, infos[:2])  # templates compiled outside the measure
    tracemalloc.start()
    try:
        pages.write_index(env, tmp_path, CONFIG, infos)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    written = sum((tmp_path / name).stat().st_size for name in pages.index_files())
    assert peak < written
    rows = parse(tmp_path / "documents-by-title.html").xpath("//tbody/tr/@id")
    assert len(rows) == 4000
    assert rows[:2] == ["doc-doc00000", "doc-doc00001"]
    assert rows[2] == "doc-doc00010"  # "…number 10…" sorts before "…number 2…"


def test_a_page_is_written_as_its_chunks_come(tmp_path: Path) -> None:
    from edition.render.pages import CHUNKS_JOINED, write_chunks

    page = tmp_path / "page.html"
    on_disk: list[int] = []

    def chunks() -> Iterator[str]:
        for n in range(3 * CHUNKS_JOINED // 100):
            yield f"<p>{n:04d} Ł€𝄞</p>" + "x" * 84  # 100 characters, some of them wide
        on_disk.append(page.stat().st_size)
        yield "<end>"

    write_chunks(page, chunks())
    expected = "".join(chunks()).encode("utf-8")
    assert page.read_bytes() == expected
    assert on_disk[0] >= 2 * CHUNKS_JOINED  # written while the template still renders


def test_document_pages_link_previous_and_next(site: Path) -> None:
    page = parse(site / "d-007-letter" / "index.html")
    assert page.xpath('//a[@rel="prev"]/@href') == ["../d-003-henderson-telegram/index.html"]
    assert page.xpath('//a[@rel="next"]/@href') == ["../d-012-notiz/index.html"]


def test_every_page_says_version_and_release_date(tmp_path: Path) -> None:
    build(tmp_path / "site", EditionConfig(title="T", version="2.0", date="2026-11-21"))
    for path in html_pages(tmp_path / "site"):
        footer = parse(path).xpath('//footer[@class="site-footer"]')[0]
        assert "version 2.0" in footer.text_content(), path
        assert footer.xpath('.//time[@datetime="2026-11-21"]'), path


def test_permalinks_use_the_base_url(tmp_path: Path) -> None:
    build(tmp_path / "site", EditionConfig(title="T", base_url="https://ed.example.org/x/"))
    page = parse(tmp_path / "site" / "d-003-henderson-telegram" / "index.html")
    assert page.xpath('//p[@id="p1"]/a[@class="permalink"]/@data-permalink') == [
        "https://ed.example.org/x/d-003-henderson-telegram/index.html#p1"
    ]


def test_register_beside_the_files_is_found_and_unknown_names_warned_once(tmp_path: Path) -> None:
    (tmp_path / "tei").mkdir()
    for path in TEI_FILES:
        shutil.copyfile(path, tmp_path / "tei" / path.name)
    (tmp_path / "site").mkdir()
    diagnostics = render_site(sorted((tmp_path / "tei").glob("*.xml")), CONFIG, tmp_path / "site")
    (unknown,) = [d for d in diagnostics if d.code == "render.person.unknown"]
    assert "1 names point at persons no listPerson describes ('mueller')" in unknown.message
    shutil.copyfile(REGISTER, tmp_path / "tei" / "persons.xml")
    shutil.rmtree(tmp_path / "site")
    (tmp_path / "site").mkdir()
    files = [tmp_path / "tei" / p.name for p in TEI_FILES]
    diagnostics = render_site(files, CONFIG, tmp_path / "site")
    assert not [d for d in diagnostics if d.code == "render.person.unknown"]
    assert (tmp_path / "site" / "persons" / "mueller" / "index.html").is_file()
