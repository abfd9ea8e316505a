"""Fill the Jinja2 templates and write the site's pages and assets to disk."""

from __future__ import annotations

import importlib.resources
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from edition.config import EditionConfig
from edition.render.html import RenderedText
from edition.render.teiread import DocumentInfo

# Licence URLs worth linking: "https://creativecommons.org/licenses/by/4.0/".
WEB_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
ASSETS = ("style.css",)


@dataclass(frozen=True)
class DocumentRow:
    """One line of the index's table of documents."""

    info: DocumentInfo
    href: str  # "d-003-…/index.html", relative to the site root


def template_dir() -> Path:
    """The packaged templates folder, or the repository's when the package is not installed."""
    try:
        packaged = Path(str(importlib.resources.files("edition.templates")))
    except ModuleNotFoundError:
        packaged = Path()
    if (packaged / "base.html").is_file():
        return packaged
    return Path(__file__).parents[2] / "templates"


def environment() -> jinja2.Environment:
    """Autoescaping, strict about undefined names, stable whitespace."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def document_href(doc_id: str) -> str:
    """The link from the site root to a document page; names the file, for file:// use."""
    return f"{quote(doc_id)}/index.html"


def write_index(
    env: jinja2.Environment,
    site_dir: Path,
    config: EditionConfig,
    documents: Sequence[DocumentInfo],
) -> None:
    rows = [DocumentRow(info, document_href(info.id)) for info in documents]
    html = env.get_template("index.html").render(
        _common(config, root="", lang=config.language),
        page_title=config.title,
        documents=rows,
    )
    _write(site_dir / "index.html", html)


def write_document(
    env: jinja2.Environment,
    site_dir: Path,
    config: EditionConfig,
    info: DocumentInfo,
    rendered: RenderedText,
) -> None:
    """Write ``<id>/index.html``; the caller puts the TEI download beside it."""
    folder = site_dir / info.id
    folder.mkdir(parents=True, exist_ok=True)
    licence = info.licence or config.licence.name
    licence_url = info.licence_url if info.licence else config.licence.url
    html = env.get_template("document.html").render(
        _common(config, root="../", lang=info.language or config.language),
        page_title=f"{info.title} \N{EM DASH} {config.title}",
        info=info,
        body=Markup(rendered.body),  # built with lxml, escaped by construction
        notes=Markup(rendered.notes),
        show_title=not rendered.opens_with_heading,
        tei_href=f"{quote(info.id)}.xml",
        licence=licence,
        licence_url=licence_url if WEB_URL.match(licence_url) else "",
    )
    _write(folder / "index.html", html)


def write_assets(site_dir: Path) -> None:
    assets = site_dir / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        shutil.copyfile(template_dir() / name, assets / name)


def _common(config: EditionConfig, *, root: str, lang: str) -> dict[str, object]:
    url = config.licence.url
    return {
        "edition": config,
        "editors": [editor.name for editor in config.editors],
        "edition_licence": config.licence.name,
        "edition_licence_url": url if WEB_URL.match(url) else "",
        "lang": lang,
        "root": root,
        "version": config.version,
    }


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))
