"""Say how to cite a document, for readers and for reference managers, from its TEI header facts.

One `Citable` (what the edition and the document's header say) gives every form:
the human-readable citation (Chicago-like, the access date left to the reader),
the head's Highwire ``citation_*`` and Dublin Core ``DC.*`` meta tags (what Zotero
and Google Scholar read), Schema.org JSON-LD, and the CSL-JSON and BibTeX
downloads. All are built from values only: nothing here reads the clock.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from edition.config import EditionConfig

# An ISO 8601 date at year, month or day precision: "1936", "1936-08", "1936-08-27".
ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# A minted paragraph id and its number: "p12" → 12.
PARAGRAPH_ID = re.compile(r"^p(\d+)$")
# Characters a BibTeX key may not hold: the key is the document id with these made "-".
BIBTEX_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_.:-]")
# Lowercase words a personal name may hold ("Wilhelm von Mirbach"); any other lowercase
# word ("The edition developers") makes the name an organisation's, kept whole.
NAME_PARTICLES = frozenset({"von", "van", "de", "der", "den", "du", "la", "le", "da", "di", "y"})

# LaTeX for the characters BibTeX and LaTeX treat specially. Braces become commands, not
# "\{", because BibTeX counts every brace, escaped or not, when it reads a field.
BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
BIBTEX_SPECIAL_CHARS = re.compile("[" + re.escape("".join(BIBTEX_SPECIAL)) + "]")


@dataclass(frozen=True)
class Citable:
    """What a citation of one document says: the document, the edition, the release."""

    doc_id: str
    title: str
    author: str = ""
    date: str = ""  # as the header words it: "August 27, 1936"
    when: str = ""  # ISO 8601, when the header says it
    language: str = ""
    licence: str = ""
    licence_url: str = ""
    url: str = ""  # the document's permalink, "" without a base URL
    edition: EditionConfig | None = None
    release_date: str = ""  # of this version of the edition (ISO), "" when undated

    @property
    def config(self) -> EditionConfig:
        return self.edition or EditionConfig(title="")

    @property
    def editors(self) -> list[str]:
        return [editor.name for editor in self.config.editors]


def citation_html(item: Citable) -> Markup:
    """The citation a reader copies, Chicago-like; the edition's title in ``<cite>``.

    ``Loy W. Henderson, “Telegram,” 1936-08-27, in <cite>The Edition</cite>, ed. A. Editor,
    version 1.2 (Publisher, 2026-11-21), https://…/d-003/index.html.``
    """
    parts: list[Markup] = []
    if item.author:
        parts.append(escape(item.author) + Markup(", "))
    parts.append(Markup("\u201c{},\u201d ").format(item.title))
    if item.date:
        parts.append(escape(item.date) + Markup(", "))
    parts.append(Markup("in <cite>{}</cite>").format(item.config.title))
    editors = item.editors
    if editors:
        parts.append(Markup(", ed. {}").format(_joined(editors)))
    imprint = ", ".join(x for x in (item.config.publisher, item.release_date) if x)
    parts.append(Markup(", version {}").format(item.config.version))
    if imprint:
        parts.append(Markup(" ({})").format(imprint))
    if item.url:
        parts.append(Markup(", {}").format(item.url))
    return Markup("").join(parts) + Markup(".")


def citation_text(item: Citable) -> str:
    """`citation_html` as plain text."""
    return citation_html(item).striptags()


def paragraph_label(xml_id: str) -> str:
    """How a citation names a paragraph: ``p12`` → ``¶ 12`` (the number is the stable id's)."""
    found = PARAGRAPH_ID.match(xml_id)
    return f"\u00b6 {found.group(1)}" if found else f"\u00b6 {xml_id}"


def meta_tags(item: Citable) -> list[tuple[str, str]]:
    """``(name, content)`` of the head's Highwire Press and Dublin Core meta tags."""
    config = item.config
    tags = [("citation_title", item.title)]
    tags += [("citation_author", item.author)] if item.author else []
    tags += [("citation_editor", name) for name in item.editors]
    if item.when or item.date:
        tags.append(("citation_date", _slashed(item.when) or item.date))
    if item.release_date:
        tags.append(("citation_publication_date", _slashed(item.release_date)))
    tags.append(("citation_inbook_title", config.title))
    tags += [("citation_publisher", config.publisher)] if config.publisher else []
    tags += [("citation_language", item.language)] if item.language else []
    tags += [("citation_public_url", item.url)] if item.url else []
    tags.append(("DC.title", item.title))
    tags += [("DC.creator", item.author)] if item.author else []
    tags += [("DC.contributor", name) for name in item.editors]
    tags += [("DC.date", item.when or item.date)] if item.when or item.date else []
    tags += [("DC.publisher", config.publisher)] if config.publisher else []
    tags += [("DC.language", item.language)] if item.language else []
    tags += [("DC.identifier", item.url)] if item.url else []
    tags += [("DC.rights", item.licence)] if item.licence else []
    tags.append(("DC.type", "Text"))
    tags.append(("DC.relation.isPartOf", config.title))
    return tags


def json_ld(item: Citable) -> Markup:
    """Schema.org JSON-LD, safe to put inside ``<script type="application/ld+json">``."""
    config = item.config
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": item.url or None,
        "name": item.title,
        "author": _schema_agent(item.author) if item.author else None,
        "dateCreated": item.when or None,
        "inLanguage": item.language or None,
        "license": item.licence_url or item.licence or None,
        "url": item.url or None,
        "isPartOf": {
            "@type": "Book",
            "name": config.title,
            "bookEdition": config.version,
            "editor": [_schema_agent(name) for name in item.editors] or None,
            "publisher": {"@type": "Organization", "name": config.publisher}
            if config.publisher
            else None,
            "datePublished": item.release_date or None,
        },
        "version": config.version,
        "datePublished": item.release_date or None,
    }
    text = json.dumps(_pruned(data), ensure_ascii=False, indent=1, sort_keys=False)
    # Inside <script> "</script>" or "<!--" would end or confuse the element: no "<" at all.
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def csl_json(item: Citable) -> str:
    """CSL-JSON (a list of one item) for citeproc processors and Zotero's import."""
    config = item.config
    entry: dict[str, object] = {
        "id": item.doc_id,
        "type": "manuscript",
        "title": item.title,
        "container-title": config.title,
        "version": config.version,
    }
    if item.author:
        entry["author"] = [_csl_name(item.author)]
    if item.editors:
        entry["editor"] = [_csl_name(name) for name in item.editors]
    parts = _date_parts(item.when)
    if parts:
        entry["issued"] = {"date-parts": [parts]}
    elif item.date:
        entry["issued"] = {"literal": item.date}
    if config.publisher:
        entry["publisher"] = config.publisher
    if item.language:
        entry["language"] = item.language
    if item.url:
        entry["URL"] = item.url
    return json.dumps([entry], ensure_ascii=False, indent=2) + "\n"


def bibtex(item: Citable) -> str:
    """A BibTeX ``@misc`` entry keyed by the document id, every field escaped for LaTeX."""
    config = item.config
    fields: list[tuple[str, str]] = []
    if item.author:
        fields.append(("author", _bibtex_name(item.author)))
    if item.editors:
        fields.append(("editor", " and ".join(_bibtex_name(n) for n in item.editors)))
    fields.append(("title", "{" + _latex(item.title) + "}"))
    if item.when:
        fields.append(("date", item.when))
        fields.append(("year", item.when[:4]))
    elif item.date:
        fields.append(("note", _latex(item.date)))
    fields.append(("howpublished", f"{_latex(config.title)}, version {_latex(config.version)}"))
    fields.append(("version", _latex(config.version)))
    if config.publisher:
        fields.append(("publisher", _latex(config.publisher)))
    if item.language:
        fields.append(("language", _latex(item.language)))
    if item.url:
        fields.append(("url", item.url))
    key = BIBTEX_KEY_UNSAFE.sub("-", item.doc_id)
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _is_personal(name: str) -> bool:
    """"Loy W. Henderson" is a person's name; "The edition developers" is not."""
    words = name.split()
    return (
        len(words) > 1
        and words[0].casefold() != "the"
        and all(w[:1].isupper() or w in NAME_PARTICLES for w in words)
    )


def _split_name(name: str) -> tuple[str, str]:
    """(family, given): "Loy W. Henderson" → ("Henderson", "Loy W."); "Orlov, A." as written."""
    if "," in name:
        family, given = name.split(",", 1)
        return family.strip(), given.strip()
    words = name.split()
    cut = len(words) - 1
    while cut > 1 and words[cut - 1] in NAME_PARTICLES:
        cut -= 1
    return " ".join(words[cut:]), " ".join(words[:cut])


def _csl_name(name: str) -> dict[str, str]:
    if "," in name or _is_personal(name):
        family, given = _split_name(name)
        return {"family": family, "given": given}
    return {"literal": name}


def _bibtex_name(name: str) -> str:
    if "," in name or _is_personal(name):
        family, given = _split_name(name)
        return f"{_latex(family)}, {_latex(given)}"
    return "{" + _latex(name) + "}"  # an organisation: braces keep it one name


def _latex(text: str) -> str:
    return BIBTEX_SPECIAL_CHARS.sub(lambda m: BIBTEX_SPECIAL[m.group()], " ".join(text.split()))


def _date_parts(when: str) -> list[int]:
    found = ISO_DATE.match(when)
    return [int(g) for g in found.groups() if g] if found else []


def _slashed(when: str) -> str:
    """Highwire dates: "1936-08-27" → "1936/08/27"; other text as it is."""
    return when.replace("-", "/") if ISO_DATE.match(when) else when


def _schema_agent(name: str) -> dict[str, str]:
    kind = "Person" if "," in name or _is_personal(name) else "Organization"
    return {"@type": kind, "name": name}


def _pruned(data: object) -> object:
    """``data`` without its ``None`` values, so the JSON says only what is known."""
    if isinstance(data, dict):
        return {k: _pruned(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [_pruned(v) for v in data]
    return data
