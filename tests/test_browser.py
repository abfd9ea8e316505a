"""The site as a reader meets it, in real headless Chromium: toggle, notes, anchors, persons, a11y.

Needs Playwright's Python package and a Chromium on the machine (Debian's
``chromium``; ``EDITION_CHROMIUM`` names another). Playwright never downloads a
browser of its own here. Without them these tests skip, saying why; with
``EDITION_REQUIRE_BROWSER=1`` (CI sets it) they fail instead.

Screenshots of every page type go to ``EDITION_SCREENSHOTS`` (a folder), else to
pytest's temporary folder; the path is printed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from edition.config import EditionConfig, Licence, Person
from edition.render import render_site

FIXTURES = Path(__file__).parent / "fixtures" / "tei"
TEI_FILES = [FIXTURES / n for n in ("telegram.xml", "letter.xml", "untitled.xml", "persons.xml")]
CONFIG = EditionConfig(
    title="Sample Edition",
    editors=(Person("A. Editor"),),
    licence=Licence("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    base_url="https://edition.example.org/sample/",
    version="1.2.3",
    date="2026-11-21",
)
TELEGRAM = "d-003-henderson-telegram/index.html"
# One page of each type, and what it is called in screenshots.
PAGE_TYPES = {
    "home": "index.html",
    "sorted": "documents-by-date.html",
    "document": TELEGRAM,
    "letter": "d-007-letter/index.html",
    "persons": "persons/index.html",
    "person": "persons/zinoviev/index.html",
    "principles": "principles/index.html",
}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
REQUIRED = os.environ.get("EDITION_REQUIRE_BROWSER", "") not in {"", "0"}


def unavailable(reason: str) -> None:
    """Skip, or fail where CI requires the browser."""
    if REQUIRED:
        pytest.fail(f"{reason} (EDITION_REQUIRE_BROWSER is set)")
    pytest.skip(reason)


def chromium() -> str | None:
    candidates = [
        os.environ.get("EDITION_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ]
    return next((c for c in candidates if c and Path(c).is_file()), None)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("browser") / "site"
    folder.mkdir()
    render_site(TEI_FILES, CONFIG, folder)
    return folder


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample edition's site, as ``python build.py`` makes it (without the schema check)."""
    from edition.pipeline import BuildOptions, build_edition

    out = tmp_path_factory.mktemp("sample")
    build_edition(BuildOptions(Path(__file__).parents[1] / "sources", out, validate=False))
    return out / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright's Python package is not installed (pip install -e '.[test]')")
    executable = chromium()
    if executable is None:
        unavailable("no Chromium found (apt-get install chromium, or set EDITION_CHROMIUM)")
    with sync_playwright() as playwright:
        # Playwright gives each launch a fresh, empty profile (user-data-dir) of its own.
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    tab = context.new_page()
    yield tab
    context.close()


def url(site: Path, name: str) -> str:
    return (site / name.split("#")[0]).as_uri() + ("#" + name.split("#")[1] if "#" in name else "")


def in_viewport(page: Any, selector: str, seconds: float = 5) -> bool:
    """Whether the element is (or, within ``seconds``, comes) into view: a page loaded by a
    click scrolls to its fragment only once laid out, which on a busy machine is later."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            """(selector) => {
                const element = document.querySelector(selector);
                if (!element) return false;
                const r = element.getBoundingClientRect();
                return r.bottom > 0 && r.top < window.innerHeight;
            }""",
            arg=selector,
            timeout=seconds * 1000,
        )
    except PlaywrightTimeout:
        return False
    return True


# --- reading from disk ---


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_page_reads_from_file_with_its_style_and_no_request_elsewhere(
    site: Path, page: Any, kind: str
) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url(site, PAGE_TYPES[kind]))
    assert page.title()
    assert requests and all(r.startswith("file://") for r in requests), requests
    # The stylesheet applied: the skip link is moved off screen.
    assert page.eval_on_selector(".skip-link", "e => getComputedStyle(e).position") == "absolute"
    assert "version 1.2.3" in page.inner_text("footer")
    assert "2026-11-21" in page.inner_text("footer")


# --- the reading text ---


def test_toggle_switches_to_the_diplomatic_reading_and_back(site: Path, page: Any) -> None:
    page.goto(url(site, TELEGRAM))
    text = page.locator("#p1")
    assert "The trial of Zinoviev" in text.inner_text()
    assert "Zinoxyez" not in text.inner_text()
    page.click("label[for=ed-diplomatic]")
    assert page.is_checked("#ed-diplomatic")
    assert "The trial of Zinoxyez" in text.inner_text()
    assert "spoke of the tbe verdict" in " ".join(text.inner_text().split())
    page.click("label[for=ed-diplomatic]")
    assert "The trial of Zinoviev" in text.inner_text()


def test_toggle_works_from_the_keyboard(site: Path, page: Any) -> None:
    page.goto(url(site, TELEGRAM))
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "ed-diplomatic":
            break
    else:
        pytest.fail("the reading toggle is not reachable with Tab")
    page.keyboard.press("Space")
    assert "Zinoxyez" in page.locator("#p1").inner_text()


def test_intervention_shows_other_reading_who_and_certainty_on_hover_and_focus(
    site: Path, page: Any
) -> None:
    page.goto(url(site, TELEGRAM))
    correction = page.locator("#p1 .choice-corr")
    tip = correction.locator(".tip")
    assert not tip.is_visible()
    correction.hover()
    assert tip.is_visible()
    assert tip.inner_text() == "source: tbe; corrected: the · by automatic encoding (edition) · certainty: high"
    page.mouse.move(0, 0)
    assert not tip.is_visible()
    correction.focus()
    assert tip.is_visible()
    name = page.locator("#p1 a.persname").first
    name.focus()
    assert "original: Zinoxyez; regularized: Zinoviev" in name.locator(".tip").inner_text()
    assert "certainty: medium" in name.locator(".tip").inner_text()


def test_footnote_marker_goes_to_the_note_and_back(site: Path, page: Any) -> None:
    page.set_viewport_size({"width": 1100, "height": 300})
    page.goto(url(site, TELEGRAM))
    page.click("#n27-ref")
    assert page.url.endswith("#n27")
    assert in_viewport(page, "#n27")
    page.click("#n27 .backref")
    assert page.url.endswith("#n27-ref")
    assert in_viewport(page, "#n27-ref")


def test_page_anchor_lands_on_the_page_number(site: Path, page: Any) -> None:
    page.set_viewport_size({"width": 1100, "height": 300})
    page.goto(url(site, TELEGRAM + "#pb302"))
    assert in_viewport(page, "#pb302")
    assert page.inner_text("#pb302") == "[302]"
    assert page.evaluate("document.querySelector(':target').id") == "pb302"


# --- persons ---


def test_person_page_lists_mentions_and_each_lands_on_its_paragraph(site: Path, page: Any) -> None:
    page.set_viewport_size({"width": 1100, "height": 300})
    page.goto(url(site, "persons/zinoviev/index.html"))
    links = page.locator(".mention a.where")
    assert links.count() == 2
    links.nth(1).click()
    assert page.url.endswith(TELEGRAM + "#p3")
    assert in_viewport(page, "#p3")
    assert "Zinoviev" in page.inner_text("#p3")


def test_name_in_the_text_leads_to_the_person_page(site: Path, page: Any) -> None:
    page.goto(url(site, TELEGRAM))
    page.locator("#p1 a.persname").first.click()
    assert page.url.endswith("persons/zinoviev/index.html")
    assert page.inner_text("h1") == "Grigory Zinoviev"


# --- keyboard and accessibility ---


@pytest.mark.parametrize("kind", ["home", "document", "person"])
def test_every_link_is_reachable_by_keyboard(site: Path, page: Any, kind: str) -> None:
    page.goto(url(site, PAGE_TYPES[kind]))
    wanted = page.evaluate(
        "Array.from(document.querySelectorAll('a[href], input')).filter(e => e.getClientRects().length)"
        ".map(e => e.outerHTML)"
    )
    reached: set[str] = set()
    for _ in range(len(wanted) * 2 + 10):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.outerHTML"))
    missing = [w for w in wanted if w not in reached]
    assert not missing, missing[:5]


@pytest.mark.parametrize(
    ("kind", "diplomatic"),
    [*((kind, False) for kind in PAGE_TYPES), ("document", True), ("letter", True)],
)
def test_axe_finds_no_serious_or_critical_violation(
    site: Path, page: Any, kind: str, diplomatic: bool
) -> None:
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        unavailable("axe-playwright-python is not installed (pip install -e '.[test]')")
    page.goto(url(site, PAGE_TYPES[kind]))
    if diplomatic:
        page.check("#ed-diplomatic")
    results = Axe().run(page)
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert not bad, bad


@pytest.mark.parametrize(
    "name", ["index.html", "persons/index.html", "principles/index.html", "persons/yezhov/index.html"]
)
def test_axe_finds_no_serious_or_critical_violation_in_the_sample_edition(
    sample_site: Path, page: Any, name: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(url(sample_site, name))
    documents = [page.url] + [
        url(sample_site, href) for href in page.eval_on_selector_all(
            "table.documents tbody a", "links => links.map(a => a.getAttribute('href'))"
        )
    ]
    for address in documents:
        page.goto(address)
        violations = Axe().run(page).response["violations"]
        bad = [(v["id"], v["impact"]) for v in violations if v["impact"] in {"serious", "critical"}]
        assert not bad, (address, bad)


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample edition with one document to a page of mentions: persons named twice get two."""
    from unittest import mock

    from edition.pipeline import BuildOptions, build_edition

    out = tmp_path_factory.mktemp("paged")
    with mock.patch("edition.render.person_pages.MENTION_DOCUMENTS", 1):
        build_edition(BuildOptions(Path(__file__).parents[1] / "sources", out, validate=False, cache=False))
    return out / "site"


def test_pages_of_mentions_pass_axe_and_the_pager_leads_from_one_to_the_next(
    paged_site: Path, page: Any
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    first = sorted(paged_site.glob("persons/*/mentions-*.html"))[0].parent / "index.html"
    page.goto(first.as_uri())
    second = page.locator("#ed-pages a").nth(1)
    address = second.get_attribute("href")
    second.click()
    page.wait_for_load_state()
    assert page.url.endswith("/" + address)
    assert page.locator("li.mention").count() > 0
    page.locator("nav.pager a[rel=prev]").first.click()  # and back
    page.wait_for_load_state()
    assert page.url == first.as_uri()
    for address in (first.as_uri(), page.url):
        page.goto(address)
        violations = Axe().run(page).response["violations"]
        bad = [(v["id"], v["impact"]) for v in violations if v["impact"] in {"serious", "critical"}]
        assert not bad, (address, bad)


# --- screenshots, to look at ---


def test_screenshots_of_every_page_type(
    site: Path, page: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    target = Path(os.environ.get("EDITION_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    target.mkdir(parents=True, exist_ok=True)
    for width, label in ((1100, "wide"), (375, "narrow")):
        page.set_viewport_size({"width": width, "height": 800})
        for kind, name in PAGE_TYPES.items():
            page.goto(url(site, name))
            shot = target / f"{kind}-{label}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 1000
    page.set_viewport_size({"width": 1100, "height": 800})
    page.goto(url(site, TELEGRAM))
    page.check("#ed-diplomatic")
    page.locator("#p1 .choice-corr").hover()
    page.screenshot(path=str(target / "document-diplomatic-tip.png"))
    page.emulate_media(media="print")
    page.goto(url(site, TELEGRAM))
    page.screenshot(path=str(target / "document-print.png"), full_page=True)
    print(f"screenshots in {target}")


# --- search, served over HTTP as a reader's browser gets it ---

SOURCES = Path(__file__).parents[1] / "sources"
ORLOV = "d-000-1f1a60356441ad05/index.html"
HENDERSON = "d-003-e5b59e6160513613/index.html"


@contextlib.contextmanager
def serving(
    tmp_path_factory: pytest.TempPathFactory, sources: Path = SOURCES, shard_size: int = 0, under: str = ""
) -> Iterator[str]:
    """The edition at ``sources`` built with its search index (in shards of ``shard_size``
    documents when given), served on 127.0.0.1 by a plain server: at its root, or at
    ``/under/`` as a project's site is on GitHub Pages."""
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    import edition.render.search_shards
    from edition.pipeline import BuildOptions, build_edition
    from edition.render.search import pagefind_executable

    if pagefind_executable() is None:
        unavailable("no Pagefind binary (pip install -e '.[test]')")
    out = tmp_path_factory.mktemp("served")
    with pytest.MonkeyPatch.context() as patch:
        if shard_size:
            patch.setattr(edition.render.search_shards, "SHARD_SIZE", shard_size)
        build_edition(BuildOptions(sources, out, validate=False))

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    if under:
        (out / "site").rename(out / under)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(out if under else out / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/" + (f"{under}/" if under else "")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(tmp_path_factory) as base:
        yield base


@pytest.fixture(scope="module")
def two_ways(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The sample edition and two more short documents, served indexed whole and indexed a
    document a shard: one Pagefind bundle each, which the search page merges."""
    sources = tmp_path_factory.mktemp("four") / "sources"
    shutil.copytree(SOURCES, sources, ignore=shutil.ignore_patterns("anchors.lock"))
    (sources / "texts" / "101_note.txt").write_text(
        "Memorandum on the trial\n\nThe trial of Zinoviev was discussed with Mr. Henderson.\n", encoding="utf-8"
    )
    (sources / "texts" / "102_note.txt").write_text(
        "Memorandum on the press\n\nThe press wrote of the trial and of Trotsky.\n", encoding="utf-8"
    )
    with serving(tmp_path_factory, sources) as whole, serving(tmp_path_factory, sources, shard_size=1) as sharded:
        yield whole, sharded


def search(page: Any, base: str, query: str) -> Any:
    page.goto(f"{base}search/index.html?{query}")
    page.wait_for_selector("#ed-search[data-state=done]", timeout=15000)
    return page.locator(".search-result")


@pytest.mark.parametrize("word", ["Yerev", "Yezhov"])
def test_search_finds_the_orlov_paragraph_by_either_reading_and_lands_on_it(
    served: str, page: Any, word: str
) -> None:
    results = search(page, served, f"q={word}")
    orlov = results.filter(has=page.locator(f"h2 a[href^='../{ORLOV}']"))
    assert orlov.count() == 1
    place = orlov.locator("a.search-place").first
    assert place.inner_text().startswith("¶ ")
    assert word in orlov.locator("mark").first.inner_text()
    place.click()
    page.wait_for_load_state()
    assert ORLOV + "#p" in page.url
    target = page.evaluate("document.querySelector(':target').id")
    assert page.url.endswith("#" + target)
    assert "Yezhov" in page.inner_text(f"#{target}")  # the normalized reading, shown
    if word == "Yerev":  # the paragraph that has the source's garbled form
        page.check("#ed-diplomatic")
        assert "Yerev" in page.inner_text(f"#{target}")


def test_search_finds_the_telegram_by_its_garbled_name_and_lands_on_the_note(
    served: str, page: Any
) -> None:
    results = search(page, served, "q=Zinoxyez")
    assert results.count() == 1
    link = results.first.locator("h2 a")
    assert link.get_attribute("href") == f"../{HENDERSON}#n26"
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith(HENDERSON + "#n26")
    assert page.evaluate("document.querySelector(':target').id") == "n26"
    assert "Zinoviev" in page.inner_text("#n26")


def test_search_filters_by_person_and_by_document(served: str, page: Any) -> None:
    everyone = search(page, served, "q=trial").count()
    assert everyone == 2
    page.select_option("#ed-person", "trotsky")  # named in the telegram only
    page.click("#ed-search-form button")
    page.wait_for_function("location.search.includes('person=trotsky')")
    page.wait_for_selector("#ed-search[data-state=done]")
    results = page.locator(".search-result")
    assert results.count() == 1
    assert results.first.locator("h2 a").get_attribute("href").startswith(f"../{HENDERSON}")
    only = search(page, served, "q=trial&document=d-000-1f1a60356441ad05")
    assert only.count() == 1
    assert only.first.locator("h2 a").get_attribute("href").startswith(f"../{ORLOV}")


@pytest.mark.parametrize(
    "query", ["q=trial", "q=Zinoviev", "q=Zinoxyez", "q=trial&person=trotsky", "q=trial&document=d-101-note"]
)
def test_search_over_many_bundles_finds_what_one_bundle_finds(
    two_ways: tuple[str, str], page: Any, query: str
) -> None:
    """A large edition is indexed in shards, a bundle each: the search page merges them all."""
    whole, sharded = two_ways
    page.goto(f"{sharded}search/index.html")
    assert len(page.get_attribute("#ed-search", "data-bundles").split()) == 4
    found = {}
    for base in two_ways:
        links = search(page, base, query).locator("h2 a")
        found[base] = sorted(links.evaluate_all("links => links.map(a => a.getAttribute('href'))"))
    assert found[sharded] == found[whole]
    assert len(found[whole]) >= (1 if "Zinoxyez" in query or "document" in query else 2)  # hits in more than one bundle


def test_search_from_a_site_served_under_a_path_lands_on_the_page(
    tmp_path_factory: pytest.TempPathFactory, page: Any
) -> None:
    with serving(tmp_path_factory, under="edition") as base:
        results = search(page, base, "q=Zinoxyez")
        assert results.count() == 1
        results.first.locator("h2 a").click()
        page.wait_for_load_state()
        assert page.url == f"{base}{HENDERSON}#n26"
        assert "Zinoviev" in page.inner_text("#n26")


def test_search_page_from_file_says_it_needs_a_web_server(sample_site: Path, page: Any) -> None:
    page.goto(url(sample_site, "search/index.html"))
    note = page.locator("#ed-search-file")
    assert note.is_visible()
    assert "python -m http.server" in note.inner_text()
    assert "edition serve" in note.inner_text()
    assert page.locator("a[href$='index.html']").count() > 0  # reading needs no server


def test_search_page_passes_axe(served: str, page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    search(page, served, "q=Yerev")
    violations = Axe().run(page).response["violations"]
    bad = [(v["id"], v["impact"]) for v in violations if v["impact"] in {"serious", "critical"}]
    assert not bad, bad


# --- edition serve: the page reloads itself after a save ---


def test_served_page_reloads_itself_when_a_source_is_saved(
    tmp_path: Path, page: Any
) -> None:
    from edition.pipeline import BuildOptions, build_edition
    from edition.serve import Preview

    sources = shutil.copytree(Path(__file__).parents[1] / "sources", tmp_path / "sources")
    options = BuildOptions(sources, tmp_path / "out", validate=False, search=False, jobs=1)
    preview = Preview(sources, tmp_path / "out", lambda: build_edition(options).diagnostics, port=0)
    base = preview.start()
    try:
        page.goto(base + ORLOV + "#p1")
        assert "Meanwhile, Mironov" in page.inner_text("#p1")
        text = sources / "texts" / "000_1f1a60356441ad05.txt"
        text.write_text(text.read_text(encoding="utf-8").replace("Meanwhile", "Later", 1),
                        encoding="utf-8")  # fmt: skip
        preview.rebuild("test")  # what the watcher does on a save
        page.wait_for_function(
            # A function, not an expression: the page's CSP forbids Playwright's eval of a string.
            "() => document.querySelector('#p1') && document.querySelector('#p1').innerText.includes('Later, Mironov')",
            timeout=15000,
        )
    finally:
        preview.stop()
