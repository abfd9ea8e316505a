"""Fill the Jinja2 templates and write the site's pages and assets to disk."""

from __future__ import annotations

import importlib.resources
import itertools
import re
import shutil
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from html import escape  # not xml.sax.saxutils's: it imports urllib.request and ssl (45 ms)
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from edition.config import EditionConfig, Release, release_date
from edition.render.citation import Citable, citation_html, json_ld, meta_tags
from edition.render.compiled import template_cache
from edition.render.html import RenderedText
from edition.render.persons import (
    Personography,
    PersonRecord,
    person_href,
    sort_key,
)
from edition.render.principles import Principles
from edition.render.teiread import DocumentInfo

# Licence URLs worth linking: "https://creativecommons.org/licenses/by/4.0/".
WEB_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
# The first number of a page range, for sorting: "300–302" → 300.
FIRST_NUMBER = re.compile(r"\d+")
# A date <time datetime> accepts: "2026", "2026-11", "2026-11-21".
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ASSETS = ("style.css", "search.js")
CHUNKS_JOINED = 65536  # characters of a page `write_chunks` encodes at a time


@dataclass(frozen=True)
class DocumentRow:
    """One line of a table of documents."""

    info: DocumentInfo
    href: str  # "d-003-…/index.html", relative to the site root
    number: int  # its place in the edition's order, from 1

    @property
    def datetime(self) -> str:
        """The date for ``<time datetime>``, or "" when it is not a plain ISO date."""
        return self.info.when if ISO_DATE.match(self.info.when) else ""


@dataclass(frozen=True)
class SortOrder:
    key: str  # "date": the page is documents-by-date.html; "" is the edition's order
    label: str  # the column heading
    sort: Callable[[DocumentRow], tuple[object, ...]]


SORT_ORDERS = (
    SortOrder("", "No.", lambda row: (row.number,)),
    SortOrder("title", "Title", lambda row: (row.info.title.casefold(), row.number)),
    SortOrder("date", "Date", lambda row: (not row.info.when, row.info.when, row.number)),
    SortOrder(
        "author", "Author", lambda row: (not row.info.author, row.info.author.casefold(), row.number)
    ),
    SortOrder(
        "pages",
        "Pages",
        lambda row: (not row.info.pages, _first_number(row.info.pages), row.number),
    ),
)


def template_dir() -> Path:
    """The packaged templates folder, or the repository's when the package is not installed."""
    try:
        packaged = Path(str(importlib.resources.files("edition.templates")))
    except ModuleNotFoundError:
        packaged = Path()
    if (packaged / "base.html").is_file():
        return packaged
    return Path(__file__).parents[2] / "templates"


def template_files() -> list[Path]:
    """The files of the templates folder the site is made from, sorted: not Python's
    bytecode of its ``__init__.py``, which importing it may write (and rewrite, for
    another Python) — hashed with the rest, it made every page be rendered again."""
    folder = template_dir()
    return sorted(path for path in folder.rglob("*")
                  if path.is_file() and "__pycache__" not in path.relative_to(folder).parts)  # fmt: skip


def environment() -> jinja2.Environment:
    """Autoescaping, strict about undefined names, stable whitespace."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=template_cache(__file__),  # the options above are part of its key
    )


def document_href(doc_id: str) -> str:
    """The link from the site root to a document page; names the file, for file:// use."""
    return f"{quote(doc_id)}/index.html"


def sorted_href(key: str) -> str:
    """The page listing the documents in one order: "" → the title page's list."""
    return f"documents-by-{key}.html" if key else "index.html#ed-documents"


def permalink(config: EditionConfig, path: str) -> str:
    """The page's citable address under the edition's base URL, or "" without one."""
    base = config.base_url
    if not WEB_URL.match(base):
        return ""
    return base.rstrip("/") + "/" + path


def edition_citation(config: EditionConfig, date: str) -> str:
    """"A. Editor and B. Editor (eds.), Title, version 1.2 (2026-11-21). Publisher. URL"."""
    names = [e.name for e in config.editors]
    who = ""
    if names:
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        who = f"{joined} ({'ed.' if len(names) == 1 else 'eds.'}), "
    version = f"version {config.version}" + (f" ({date})" if date else "")
    parts = [f"{who}{config.title}, {version}."]
    if config.publisher:
        parts.append(f"{config.publisher}.")
    url = permalink(config, "index.html")
    if url:
        parts.append(url)
    return " ".join(parts)


class Once(Protocol):
    """Writes a group of pages (its paths in the site) unless its inputs are unchanged.

    The inputs are some values, and what the pages show of some documents (by id): their
    header facts and, with ``mentions_of``, that person's mentions in them. ``write``
    writes the pages, or has them written before the site is published.
    """

    def __call__(self, group: str, files: Sequence[str], inputs: tuple[object, ...],
                 documents: Sequence[str], write: Callable[[], None],
                 mentions_of: str = "") -> None: ...  # fmt: skip


def always(group: str, files: Sequence[str], inputs: tuple[object, ...], documents: Sequence[str],
            write: Callable[[], None], mentions_of: str = "") -> None:  # fmt: skip
    write()


def index_files() -> list[str]:
    """The pages `write_index` writes, as paths in the site."""
    return [f"documents-by-{order.key}.html" if order.key else "index.html" for order in SORT_ORDERS]


def write_index(
    env: jinja2.Environment,
    site_dir: Path,
    config: EditionConfig,
    documents: Sequence[DocumentInfo],
) -> None:
    """The title page (edition order), and one page per other order of the documents."""
    rows = [
        DocumentRow(info, document_href(info.id), n) for n, info in enumerate(documents, start=1)
    ]
    # Each row made once and shown in every order: five pages of 10,000 rows each, every row
    # rendered for each, took half a second whenever a title, date or author changed.
    row_html = env.get_template("document_row.html").module.document_row  # type: ignore[attr-defined]
    made = [row_html(row) for row in rows]
    date = release_date(config)
    for order in SORT_ORDERS:
        # Written as the template goes, row by row: rendered whole, joined from the rows and
        # encoded, each page was held three times over (30 MB at 10,000 documents).
        chunks = env.get_template("index.html").generate(
            page_context(config, root="", lang=config.language, current="documents"),
            page_title=(
                f"Documents by {order.label.lower()} \N{EM DASH} {config.title}"
                if order.key
                else config.title
            ),
            home=not order.key,
            # Made in `templates/document_row.html`, listed in this order.
            document_rows=[made[row.number - 1] for row in sorted(rows, key=order.sort)],
            orders=[(o, sorted_href(o.key)) for o in SORT_ORDERS],
            current_order=order,
            citation=edition_citation(config, date),
            **page_about(config, f"documents-by-{order.key}.html" if order.key else "index.html",
                     edition_description(config) if not order.key
                     else f"The documents of {config.title}, by {order.label.lower()}."),
        )
        name = f"documents-by-{order.key}.html" if order.key else "index.html"
        write_chunks(site_dir / name, chunks)


def write_document(
    env: jinja2.Environment,
    site_dir: Path,
    config: EditionConfig,
    info: DocumentInfo,
    rendered: RenderedText,
    neighbours: tuple[DocumentInfo | None, DocumentInfo | None],
    persons: Sequence[PersonRecord],
    citable: Citable | None = None,
    description: str = "",
) -> None:
    """Write ``<id>/index.html``; the caller puts the downloads beside it."""
    citable = citable or document_citable(config, info)
    folder = site_dir / info.id
    folder.mkdir(parents=True, exist_ok=True)
    licence = info.licence or config.licence.name
    licence_url = info.licence_url if info.licence else config.licence.url
    previous, following = neighbours
    url = citable.url
    html = env.get_template("document.html").render(
        page_context(config, root="../", lang=info.language or config.language, current=""),
        page_title=f"{info.title} \N{EM DASH} {config.title}",
        info=info,
        body=Markup(rendered.body),  # built with lxml, escaped by construction
        notes=Markup(rendered.notes),
        show_title=not rendered.opens_with_heading,
        downloads=_downloads(info.id),
        licence=licence,
        licence_url=licence_url if WEB_URL.match(licence_url) else "",
        previous=(previous, "../" + document_href(previous.id)) if previous else None,
        following=(following, "../" + document_href(following.id)) if following else None,
        persons=[(p, "../" + person_href(p.id)) for p in persons],
        permalink=url,
        citation=citation_html(citable),
        meta_tags=meta_tags(citable),
        json_ld=json_ld(citable),
        **page_about(config, document_href(info.id), description or info.title, "article"),
    )
    write_page(folder / "index.html", html)


def _downloads(doc_id: str) -> list[tuple[str, str, str]]:
    """(file, label, media type) of a document's downloads, beside its page."""
    name = quote(doc_id)
    return [
        (f"{name}.xml", "TEI P5 XML", "application/tei+xml"),
        (f"{name}-diplomatic.txt", "Plain text, diplomatic (as the source has it)", "text/plain"),
        (f"{name}-normalized.txt", "Plain text, normalized and corrected", "text/plain"),
        (f"{name}.json", "Citation, CSL-JSON (Zotero, citeproc)", "application/vnd.citationstyles.csl+json"),
        (f"{name}.bib", "Citation, BibTeX", "application/x-bibtex"),
    ]


def document_citable(config: EditionConfig, info: DocumentInfo) -> Citable:
    """What a citation of the document says, from its header facts and the edition's."""
    licence = info.licence or config.licence.name
    licence_url = info.licence_url if info.licence else config.licence.url
    return Citable(
        doc_id=info.id,
        title=info.title,
        author=info.author,
        date=info.date,
        when=info.when if ISO_DATE.match(info.when) else "",
        language=info.language or config.language,
        licence=licence,
        licence_url=licence_url if WEB_URL.match(licence_url) else "",
        url=permalink(config, document_href(info.id)),
        edition=config,
        release_date=release_date(config),
    )


def write_releases(env: jinja2.Environment, site_dir: Path, config: EditionConfig) -> None:
    """``releases/index.html``: the releases edition.yaml lists, the current one first if not."""
    releases = list(config.releases)
    if config.version not in {r.version for r in releases}:
        releases.insert(0, Release(config.version, release_date(config)))
    folder = site_dir / "releases"
    folder.mkdir(parents=True, exist_ok=True)
    html = env.get_template("releases.html").render(
        page_context(config, root="../", lang=config.language, current="releases"),
        page_title=f"Releases \N{EM DASH} {config.title}",
        releases=[(r, r.date if ISO_DATE.match(r.date) else "") for r in releases],
        **page_about(config, "releases/index.html", f"The releases of {config.title}."),
    )
    write_page(folder / "index.html", html)


def write_redirect(
    env: jinja2.Environment,
    site_dir: Path,
    config: EditionConfig,
    old: str,
    new: str,
    ids: Sequence[str],
) -> None:
    """``<old>/index.html``: a page that sends the reader on, without JavaScript.

    To the document ``new`` (renamed), or the edition's index (``new`` empty: removed).
    Each id the old page had stays an anchor here, linking to the same id there.
    """
    folder = site_dir / old
    folder.mkdir(parents=True, exist_ok=True)
    target = f"../{document_href(new)}" if new else "../index.html"
    html = env.get_template("redirect.html").render(
        page_context(config, root="../", lang=config.language, current=""),
        page_title=f"Moved \N{EM DASH} {config.title}",
        target=target,
        canonical=permalink(config, document_href(new) if new else "index.html"),
        renamed=bool(new),
        anchors=[(i, f"{target}#{quote(i)}" if new else target) for i in ids],
    )
    write_page(folder / "index.html", html)


def write_principles(
    env: jinja2.Environment, site_dir: Path, config: EditionConfig, principles: Principles
) -> None:
    folder = site_dir / "principles"
    folder.mkdir(parents=True, exist_ok=True)
    detectors = [
        (name, options.enabled, sorted((k, str(v)) for k, v in options.options.items()))
        for name, options in sorted(config.detectors.items())
    ]
    html = env.get_template("principles.html").render(
        page_context(config, root="../", lang=config.language, current="principles"),
        page_title=f"Editorial principles \N{EM DASH} {config.title}",
        principles=principles,
        detectors=detectors,
        **page_about(config, "principles/index.html",
                 f"The editorial principles of {config.title}: how its texts were transcribed, "
                 "encoded and corrected."),
    )
    write_page(folder / "index.html", html)


def write_assets(site_dir: Path) -> None:
    assets = site_dir / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        shutil.copyfile(template_dir() / name, assets / name)


def write_text(path: Path, text: str) -> None:
    """A plain-text download: UTF-8, LF line ends."""
    write_page(path, text)


def _first_number(pages: str) -> int:
    found = FIRST_NUMBER.search(pages)
    return int(found.group()) if found else 0


def page_context(config: EditionConfig, *, root: str, lang: str, current: str) -> dict[str, object]:
    url = config.licence.url
    return {
        "edition": config,
        "editors": [editor.name for editor in config.editors],
        "edition_licence": config.licence.name,
        "edition_licence_url": url if WEB_URL.match(url) else "",
        "lang": lang,
        "root": root,
        "version": config.version,
        "release_date": release_date(config),
        "release_datetime": release_date(config) if ISO_DATE.match(release_date(config)) else "",
        "current": current,
        "nav": [
            ("documents", "Documents", f"{root}index.html"),
            ("persons", "Persons", f"{root}persons/index.html"),
            ("principles", "Editorial principles", f"{root}principles/index.html"),
            ("releases", "Releases", f"{root}releases/index.html"),
            ("search", "Search", f"{root}search/index.html"),
        ],
        # What search engines and link previews read; each page sets its own (`_about`).
        "canonical": "",
        "description": "",
        "og_type": "website",
    }


def page_about(config: EditionConfig, path: str, description: str, kind: str = "website") -> dict[str, str]:
    """A page's canonical address (under ``base_url``; "" without one), description and OpenGraph type."""
    return {"canonical": permalink(config, path), "description": _clip(description), "og_type": kind}


def _clip(text: str, limit: int = 200) -> str:
    """``text`` on one line, cut at a word before ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "\N{HORIZONTAL ELLIPSIS}"


def edition_description(config: EditionConfig) -> str:
    """"Title: subtitle. Edited by A and B." — what the title page says of the edition."""
    names = [e.name for e in config.editors]
    text = config.title + (f": {config.subtitle}" if config.subtitle else "") + "."
    if names:
        text += " Edited by " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]) + "."
    return text


def document_description(info: DocumentInfo, text: str) -> str:
    """"Author, date. The opening words of the text…" — a document page's description."""
    about = ", ".join(part for part in (info.author, info.date) if part)
    return _clip(f"{about}. {text}" if about else text)


def write_search(
    env: jinja2.Environment,
    site_dir: Path,
    config: EditionConfig,
    bundles: Sequence[str],
    documents: Sequence[DocumentInfo],
    personography: Personography,
    named: Collection[str],
) -> None:
    """``search/index.html``: the search form over ``bundles`` (none: it says there is no index);
    its filter by person lists those of ``named`` (the person ids names point at)."""
    folder = site_dir / "search"
    folder.mkdir(parents=True, exist_ok=True)
    people = sorted(personography.persons.values(), key=sort_key)
    chunks = env.get_template("search.html").generate(  # a row for every document: not held whole
        page_context(config, root="../", lang=config.language, current="search"),
        page_title=f"Search \N{EM DASH} {config.title}",
        bundles=bundles,
        persons=[(p.id, p.name) for p in people if p.id in named],
        documents=[(info.id, info.title) for info in documents],
        **page_about(config, "search/index.html", f"Search the documents of {config.title}."),
    )
    write_chunks(folder / "index.html", chunks)


# Pages a search engine should list, besides the documents and persons: path from the root.
LISTED = ("index.html", "persons/index.html", "principles/index.html", "releases/index.html")


def write_discovery(
    site_dir: Path, config: EditionConfig, documents: Sequence[DocumentInfo], persons: Sequence[str]
) -> bool:
    """``robots.txt``, and ``sitemap.xml`` when the edition has a base URL; False without one.

    The sitemap lists the title page, the documents, the persons and the editorial pages
    (not the sorted lists, the search page or redirects), each with the release date.
    """
    base = permalink(config, "")
    robots = ["User-agent: *", "Allow: /"]
    if base:
        robots.append(f"Sitemap: {base}sitemap.xml")
    else:
        robots.insert(0, "# No sitemap: edition.yaml sets no base_url, and a sitemap needs absolute URLs.")
    write_page(site_dir / "robots.txt", "\n".join(robots) + "\n")
    if not base:
        return False
    paths = [*LISTED, *(document_href(d.id) for d in documents),
             *(f"persons/{quote(p)}/index.html" for p in persons)]  # fmt: skip
    date = release_date(config)
    lastmod = f"<lastmod>{date}</lastmod>" if ISO_DATE.match(date) else ""
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    urls = (f"<url><loc>{escape(permalink(config, path), quote=False)}</loc>{lastmod}</url>\n" for path in paths)
    write_chunks(site_dir / "sitemap.xml", itertools.chain([head], urls, ["</urlset>\n"]))
    return True


def write_page(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def write_chunks(path: Path, chunks: Iterable[str]) -> None:
    """A page written as its template renders it (`jinja2.Template.generate`), never whole in memory."""
    with path.open("wb") as file:
        held: list[str] = []
        size = 0
        for chunk in chunks:  # joined and encoded by the 64 KB: each chunk apart took longer
            held.append(chunk)
            size += len(chunk)
            if size >= CHUNKS_JOINED:
                file.write("".join(held).encode("utf-8"))
                held, size = [], 0
        file.write("".join(held).encode("utf-8"))
