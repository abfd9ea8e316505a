"""The declared shape of an edition's configuration (``edition.yaml``).

Each option is a typed field of a frozen dataclass with its meaning beside it;
`edition.config_load` reads and validates the YAML into these values, and
`docs/configuration.md` documents every key for editors.
"""

from __future__ import annotations

import copyreg
import datetime
import os
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


def read_only(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    """A read-only view of ``mapping``; also how a pickled one is rebuilt."""
    return MappingProxyType(mapping)


# Configurations travel to worker processes (and Dask workers) by pickle; the read-only
# mappings they hold do not pickle by default, so they travel as dicts and come back read-only.
copyreg.pickle(MappingProxyType, lambda proxy: (read_only, (dict(proxy),)))


@dataclass(frozen=True)
class Person:
    """Someone responsible for the edition (an editor), as named on the title page."""

    name: str
    id: str = ""  # an XML name, used as @xml:id on respStmt/name and in @resp="#id"
    orcid: str = ""


@dataclass(frozen=True)
class Licence:
    name: str = ""  # e.g. "CC BY 4.0"; empty means unstated
    url: str = ""


@dataclass(frozen=True)
class DocumentMeta:
    """What the editor knows of one document (``documents: <name>:`` in edition.yaml)."""

    title: str = ""  # default: the document's first heading, else its file name
    author: str = ""  # author or sender
    recipient: str = ""
    date: str = ""  # ISO 8601: 1936-08-28, 1936-08, 1936
    source: str = ""  # bibliographic description of the printed or manuscript source
    first_page: str = ""  # the page the document starts on, when no page marker says so
    language: str = ""  # BCP 47; default: the edition's language
    licence: Licence | None = None  # when it differs from the edition's
    formerly: tuple[str, ...] = ()  # earlier file names (without .txt): their URLs redirect here


@dataclass(frozen=True)
class Release:
    """One published version of the edition (``edition: releases:``), for the releases page."""

    version: str
    date: str = ""  # ISO 8601
    note: str = ""  # what changed, in a sentence


@dataclass(frozen=True)
class DetectorOptions:
    """Options of one detector: ``detectors: <name>: {enabled: …, …}``."""

    enabled: bool = True
    options: MappingProxyType[str, Any] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class EditionConfig:
    """The whole ``edition.yaml``; every field has a sensible default."""

    title: str
    subtitle: str = ""
    editors: tuple[Person, ...] = ()
    publisher: str = ""
    licence: Licence = Licence()
    base_url: str = ""  # absolute URL the site is published at, for permalinks and citations
    language: str = "en"
    version: str = "0.1.0"
    date: str = ""  # release date (ISO); default: SOURCE_DATE_EPOCH, else undated
    releases: tuple[Release, ...] = ()  # earlier and current releases, as the editor lists them
    documents: MappingProxyType[str, DocumentMeta] = field(
        default_factory=lambda: MappingProxyType({})
    )
    detectors: MappingProxyType[str, DetectorOptions] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def document(self, name: str) -> DocumentMeta:
        return self.documents.get(name, DocumentMeta())

    def detector(self, name: str) -> DetectorOptions:
        return self.detectors.get(name, DetectorOptions())

    def renames(self) -> dict[str, str]:
        """Each earlier file name (``formerly``) → the file name the document has now."""
        return {old: name for name, meta in self.documents.items() for old in meta.formerly}


def release_date(config: EditionConfig) -> str:
    """The release's date: from edition.yaml, else SOURCE_DATE_EPOCH, else none — never the clock."""
    if config.date:
        return config.date
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()
    return ""
