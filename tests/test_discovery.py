"""What search engines and reference managers read: sitemap, robots.txt, canonical, description, OG, lang."""

from __future__ import annotations

from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from edition.config import EditionConfig
from edition.render import render_site

FIXTURES = Path(__file__).parent / "fixtures" / "tei"
FILES = [FIXTURES / n for n in ("telegram.xml", "letter.xml", "untitled.xml", "persons.xml")]
BASE = "https://edition.example.org/sample/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("discovery")
    config = EditionConfig(title="Sample <Edition> & Co", subtitle="Letters \"and\" telegrams",
                           base_url=BASE, date="2026-11-21")  # fmt: skip
    render_site(FILES, config, folder)
    return folder


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("draft")
    render_site(FILES, EditionConfig(title="Draft"), folder)
    return folder


def head(page: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(page.read_bytes())


def test_sitemap_lists_every_document_person_and_edition_page_with_absolute_urls(site: Path) -> None:
    root = lxml.etree.fromstring((site / "sitemap.xml").read_bytes())
    urls = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert f"{BASE}index.html" in urls
    assert f"{BASE}d-003-henderson-telegram/index.html" in urls
    assert f"{BASE}persons/zinoviev/index.html" in urls
    assert all(url.startswith(BASE) for url in urls)
    assert not any("search" in url or "documents-by" in url for url in urls)
    for url in urls:  # every listed page exists
        assert (site / url[len(BASE):]).is_file(), url
    assert {m.text for m in root.iter(f"{SITEMAP}lastmod")} == {"2026-11-21"}


def test_robots_txt_allows_all_and_names_the_sitemap(site: Path) -> None:
    assert (site / "robots.txt").read_text() == f"User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n"


def test_without_a_base_url_there_is_no_sitemap_and_no_canonical(draft: Path) -> None:
    assert not (draft / "sitemap.xml").exists()
    assert "Sitemap" not in (draft / "robots.txt").read_text().replace("No sitemap", "")
    for page in draft.rglob("*.html"):
        assert not head(page).xpath("//link[@rel='canonical'] | //meta[@property='og:url']"), page


def test_every_page_has_lang_title_description_canonical_and_opengraph(site: Path) -> None:
    for page in sorted(site.rglob("*.html")):
        tree = head(page)
        where = page.relative_to(site).as_posix()
        assert tree.get("lang"), where
        assert tree.findtext(".//title"), where
        assert tree.xpath("//meta[@property='og:title']/@content"), where
        assert tree.xpath("//meta[@property='og:site_name']/@content") == ["Sample <Edition> & Co"]
        canonical = tree.xpath("//link[@rel='canonical']/@href")
        assert canonical == [BASE + where], where  # one, naming the page itself
        assert tree.xpath("//meta[@property='og:url']/@content") == canonical
        description = tree.xpath("//meta[@name='description']/@content")
        assert len(description) == 1 and 20 < len(description[0]) <= 201, (where, description)


def test_a_document_page_is_an_article_described_by_its_author_date_and_first_words(site: Path) -> None:
    tree = head(site / "d-003-henderson-telegram" / "index.html")
    assert tree.xpath("//meta[@property='og:type']/@content") == ["article"]
    description = tree.xpath("//meta[@name='description']/@content")[0]
    assert description.startswith("Loy W. Henderson, 28 August 1936. ")
    assert "Zinoviev" in description


def test_text_in_descriptions_is_escaped(site: Path) -> None:
    raw = (site / "index.html").read_text(encoding="utf-8")
    assert 'content="Sample &lt;Edition&gt; &amp; Co: Letters &#34;and&#34; telegrams."' in raw
    assert head(site / "index.html").xpath("//meta[@name='description']/@content") == [
        'Sample <Edition> & Co: Letters "and" telegrams.'
    ]
