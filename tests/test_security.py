"""Hostile input never reaches a reader's browser or the editor's files.

Markup in every field a site shows — texts, titles, editors, names, notes, dates —
is escaped in text, in attributes and in JSON-LD; every page carries a
Content-Security-Policy that forbids loading anything from another origin, and
Chromium, reading the pages, reports no violation and makes no other request;
imported XML cannot read files or expand entities; nothing is written outside
the output folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from edition.pipeline import BuildOptions, build_edition
from edition.safexml import parse_xml

from .test_browser import browser, page, url  # noqa: F401  (fixtures)

HOSTILE = '<script>alert(1)</script>"\'&amp;</script><!--]]>'
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'"
)


def yaml_quoted(text: str) -> str:
    return json.dumps(text)  # a JSON string is a YAML double-quoted scalar


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An edition whose every field holds markup, quotes and a script."""
    root = tmp_path_factory.mktemp("hostile")
    sources = root / "src"
    (sources / "texts").mkdir(parents=True)
    (sources / "texts" / "letter.txt").write_text(
        f"Heading {HOSTILE}\n\nYezhov wrote {HOSTILE} on the 5th.1 And <img src=x onerror=alert(1)>.\n"
        f"\n  1. A note with {HOSTILE} and javascript:alert(1).\n",
        encoding="utf-8",
    )
    (sources / "edition.yaml").write_text(
        f"edition:\n  title: {yaml_quoted('Title ' + HOSTILE)}\n"
        f"  editors: [{yaml_quoted('Ed ' + HOSTILE)}]\n"
        f"  publisher: {yaml_quoted('Pub ' + HOSTILE)}\n"
        "  base_url: https://edition.example.org/x/\n  date: 2026-01-01\n"
        f"documents:\n  letter:\n    title: {yaml_quoted('Doc ' + HOSTILE)}\n"
        f"    author: {yaml_quoted('Au ' + HOSTILE)}\n",
        encoding="utf-8",
    )
    (sources / "persons.yaml").write_text(
        "persons:\n  - id: yezhov\n    name: Nikolai Yezhov\n"
        f"    description: {yaml_quoted('Desc ' + HOSTILE)}\n",
        encoding="utf-8",
    )
    build_edition(BuildOptions(sources, root / "out", validate=False, cache=False))
    return root / "out" / "site"


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_carries_the_content_security_policy(hostile_site: Path) -> None:
    for path in pages(hostile_site):
        page_ = lxml.html.fromstring(path.read_bytes())
        policies = page_.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
        assert policies == [CSP], path
        # Before anything it governs: the first element after charset, viewport, generator.
        head = page_.find("head")
        assert head is not None
        assert head.index(page_.xpath('//meta[@http-equiv="Content-Security-Policy"]')[0]) < 4


def test_markup_in_every_field_is_text_in_html_attributes_and_json_ld(hostile_site: Path) -> None:
    for path in pages(hostile_site):
        raw = path.read_text(encoding="utf-8")
        page_ = lxml.html.fromstring(raw)
        # No element, attribute or script came from the input.
        assert not page_.xpath("//img | //iframe | //object | //embed | //*[@onerror]"), path
        scripts = page_.xpath("//script")
        assert all(s.get("type") in ("application/ld+json", None) for s in scripts), path
        assert all(s.get("src") or s.get("type") == "application/ld+json" for s in scripts), path
        for script in page_.xpath('//script[@type="application/ld+json"]'):
            assert "<" not in script.text, path  # could end the element early
            json.loads(script.text)
        hrefs = page_.xpath("//@href | //@src")
        assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))]
    document = lxml.html.fromstring((hostile_site / "d-letter" / "index.html").read_bytes())
    text = document.text_content()
    assert HOSTILE in text  # shown, exactly, as text
    (ld,) = document.xpath('//script[@type="application/ld+json"]')
    data = json.loads(ld.text)
    assert data["name"] == "Doc " + HOSTILE
    assert document.xpath("//title")[0].text.startswith("Doc " + HOSTILE)
    titles = document.xpath('//meta[@name="citation_title"]/@content')
    assert titles == ["Doc " + HOSTILE]


def test_imported_xml_never_reads_a_file_or_expands_an_entity(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    attacks = {
        "external entity": f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "{secret.as_uri()}">]><TEI>&x;</TEI>',
        "parameter entity": f'<!DOCTYPE TEI [<!ENTITY % x SYSTEM "{secret.as_uri()}">%x;]><TEI/>',
        "external DTD": f'<!DOCTYPE TEI SYSTEM "{secret.as_uri()}"><TEI/>',
        "billion laughs": '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;'
        '&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><TEI>&c;&c;&c;</TEI>',
        "XInclude": '<TEI xmlns:xi="http://www.w3.org/2001/XInclude">'
        f'<xi:include href="{secret.as_uri()}" parse="text"/></TEI>',
    }
    for name, xml in attacks.items():
        tree, problems = parse_xml(xml.encode(), f"{name}.xml")
        if tree is None:
            assert [p.code for p in problems] == ["xml.doctype"], name
        else:  # well-formed and harmless: nothing was included
            assert "TOP SECRET" not in lxml.etree.tostring(tree, encoding="unicode"), name


def test_the_site_loads_nothing_from_elsewhere_and_breaks_no_policy(
    hostile_site: Path,
    page: Any,  # noqa: F811
) -> None:
    violations: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else None)
    page.on("request", lambda request: requests.append(request.url))
    for path in pages(hostile_site):
        page.goto(url(hostile_site, str(path.relative_to(hostile_site))))
        page.wait_for_load_state("load")
    assert violations == []
    assert requests and all(r.startswith("file://") for r in requests), requests


def test_the_policy_blocks_what_an_injection_would_load(
    hostile_site: Path,
    tmp_path: Path,
    page: Any,  # noqa: F811
) -> None:
    # Were markup ever to slip through, the page's own policy would stop it reaching out.
    raw = (hostile_site / "index.html").read_text(encoding="utf-8")
    injected = raw.replace(
        "</main>",
        '<img src="https://attacker.example/x.png"><script src="https://attacker.example/x.js">'
        "</script><script>document.title='ran'</script></main>",
    )
    (tmp_path / "index.html").write_text(injected, encoding="utf-8")
    answered: list[str] = []
    blocked: list[str] = []
    page.on("response", lambda response: answered.append(response.url))
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.goto((tmp_path / "index.html").as_uri())
    page.wait_for_load_state("load")
    assert not [r for r in answered if "attacker" in r]
    assert len(blocked) >= 3, blocked  # the image, the script, the inline script
    assert page.title() != "ran"
