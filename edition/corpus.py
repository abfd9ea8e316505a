"""Write ``tei/corpus.xml``: a ``teiCorpus`` that describes the whole edition and lists its files.

The corpus header comes from ``edition.yaml`` (title, editors, version, publisher, base
URL, licence, release date); its ``sourceDesc/listBibl`` has one ``bibl`` per document —
its title and ``ref target="<file>.xml"`` — and one for the register (``persons.xml``).
The documents are listed by reference, not copied in: each stays one file with its own
ids (``p1`` in every document; combined in one file they would clash). tei_all wants at
least one ``TEI`` inside a ``teiCorpus``: the one here, ``corpus-contents``, is the table
of contents as text, so the file is valid as it stands, with no XInclude processing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from lxml import etree

from edition import __version__
from edition.config import EditionConfig
from edition.encode import NSMAP, TEI_NS, XML_NS, sub, tei
from edition.header import fill_publication
from edition.safexml import read_xml

CORPUS_FILE = "corpus.xml"
TITLE = f"{{{TEI_NS}}}teiHeader/{{{TEI_NS}}}fileDesc/{{{TEI_NS}}}titleStmt/{{{TEI_NS}}}title"


def corpus_document(
    config: EditionConfig,
    files: Sequence[Path],
    register: Path | None,
    release_date: str = "",
    titles: Mapping[Path, str] | None = None,
) -> etree._Element:
    """The ``teiCorpus`` for the TEI ``files`` (in the edition's order) and the ``register``.

    ``titles``: those known already (`document_title`); the other files are read for theirs.
    """
    titles = titles or {}
    root = etree.Element(f"{{{TEI_NS}}}teiCorpus", nsmap=NSMAP)  # type: ignore[arg-type]
    root.set(f"{{{XML_NS}}}id", "corpus")
    root.set(f"{{{XML_NS}}}lang", config.language)
    listing = [(path.name, titles.get(path) or _title(path)) for path in files]
    if register is not None:
        listing.append((register.name, f"{config.title}: persons"))
    root.append(_header(config, config.title, release_date, listing))
    contents = sub(root, "TEI", {f"{{{XML_NS}}}id": "corpus-contents"})
    contents.append(_header(config, f"{config.title}: contents", release_date, []))
    body = sub(sub(contents, "text"), "body")
    sub(body, "head", text=f"{config.title}: the files of the edition")
    items = sub(body, "list", {"type": "files"})
    for name, title in listing:
        sub(sub(items, "item"), "ref", {"target": name}, title)
    return root


def _header(
    config: EditionConfig, title: str, date: str, listing: Sequence[tuple[str, str]]
) -> etree._Element:
    header = tei("teiHeader")
    file_desc = sub(header, "fileDesc")
    title_stmt = sub(file_desc, "titleStmt")
    sub(title_stmt, "title", text=title)
    for editor in config.editors:
        sub(title_stmt, "editor", text=editor.name)
    edition = sub(sub(file_desc, "editionStmt"), "edition", {"n": config.version})
    edition.text = f"Version {config.version}, encoded with edition {__version__}"
    fill_publication(sub(file_desc, "publicationStmt"), config, config.base_url, config.licence, date)
    source = sub(file_desc, "sourceDesc")
    if listing:
        bibls = sub(source, "listBibl")
        for name, file_title in listing:
            bibl = sub(bibls, "bibl")
            sub(bibl, "title", text=file_title)
            sub(bibl, "ref", {"target": name}, name)
    else:
        sub(source, "p", text="Born digital: a table of the edition's files.")
    return header


def _title(path: Path) -> str:
    tree, _ = read_xml(path, str(path))
    return (document_title(tree.getroot()) if tree is not None else "") or path.stem


def document_title(root: etree._Element) -> str:
    """The title a TEI document's header gives, its spaces normalized; "" when it has none."""
    found = root.find(TITLE)
    return " ".join("".join(str(t) for t in found.itertext()).split()) if found is not None else ""
