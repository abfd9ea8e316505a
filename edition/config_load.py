"""Load ``edition.yaml`` into an `EditionConfig`, reporting every problem in it at once."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from edition.config import (
    DetectorOptions,
    DocumentMeta,
    EditionConfig,
    Licence,
    Person,
    Release,
)
from edition.diagnostics import Diagnostic, warning
from edition.yamlfile import YamlDocument, format_path, read_yaml
from edition.yamlschema import (
    Check,
    Field,
    Invalid,
    Reader,
    Value,
    boolean,
    http_url,
    iso_date,
    language_tag,
    list_of,
    matching,
    ncname,
    nonempty_text,
    text,
)

DetectorDefaults = Mapping[str, Mapping[str, object]]

# An ORCID iD, bare or as its URL: "0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097".
_ORCID = matching(
    re.compile(r"(?:https?://orcid\.org/)?\d{4}-\d{4}-\d{4}-\d{3}[\dX]"),
    "an ORCID iD such as '0000-0002-1825-0097'",
)


def _orcid(value: Value) -> str:
    found = str(_ORCID(value)).rsplit("/", 1)[-1]
    digits = found.replace("-", "")
    total = 0
    for digit in digits[:-1]:  # ISO 7064 MOD 11-2, the ORCID checksum
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    if digits[-1] != ("X" if check == 10 else str(check)):
        raise Invalid("an ORCID iD with a valid check digit (the last one)")
    return found


_EDITOR_FIELDS = {
    "name": Field(nonempty_text, "", required="a name such as 'Jane Smith'"),
    "id": Field(ncname("jsmith"), ""),
    "orcid": Field(_orcid, ""),
}


def _editor(value: Value) -> Person:
    if isinstance(value.data, dict):
        return Person(**value.reader.record(value, _EDITOR_FIELDS))
    if isinstance(value.data, str | int | float) and not isinstance(value.data, bool):
        return Person(nonempty_text(value))
    raise Invalid("a name or a mapping with 'name', 'id' and 'orcid'")


_LICENCE_FIELDS = {"name": Field(nonempty_text, ""), "url": Field(http_url, "")}


def _licence(value: Value) -> Licence:
    if isinstance(value.data, dict):
        return Licence(**value.reader.record(value, _LICENCE_FIELDS))
    if isinstance(value.data, str):
        return Licence(nonempty_text(value))
    raise Invalid("a licence name such as 'CC BY 4.0' or a mapping with 'name' and 'url'")


def _base_url(value: Value) -> str:
    url = http_url(value)
    return url if url.endswith("/") else url + "/"


_RELEASE_FIELDS = {
    "version": Field(nonempty_text, "", required="a version such as '1.2'"),
    "date": Field(iso_date, ""),
    "note": Field(text, ""),
}


def _release(value: Value) -> Release:
    if not isinstance(value.data, dict):
        raise Invalid("a mapping with 'version', 'date' and 'note'")
    return Release(**value.reader.record(value, _RELEASE_FIELDS))


def _releases(value: Value) -> tuple[Release, ...]:
    found: tuple[Release, ...] = list_of(_release, "a list of releases")(value)
    seen: dict[str, int] = {}
    for index, release in enumerate(found):
        if release.version and release.version in seen:
            value.reader.error(
                (*value.path, index, "version"),
                f"{format_path((*value.path, index, 'version'))}: version {release.version!r} "
                f"is listed before, as releases[{seen[release.version]}]",
                "config.edition.releases",
            )
        seen.setdefault(release.version, index)
    return found


_EDITION_FIELDS = {
    "title": Field(nonempty_text, ""),
    "subtitle": Field(text, ""),
    "editors": Field(list_of(_editor, "a list of editors"), ()),
    "publisher": Field(text, ""),
    "licence": Field(_licence, Licence()),
    "base_url": Field(_base_url, ""),
    "language": Field(language_tag, "en"),
    "version": Field(nonempty_text, "0.1.0"),
    "date": Field(iso_date, ""),
    "releases": Field(_releases, ()),
}


def _file_names(value: Value) -> tuple[str, ...]:
    """One earlier file name or a list of them: ``formerly: [003_old]``."""
    if isinstance(value.data, list):
        names: tuple[str, ...] = list_of(nonempty_text, "a list of file names")(value)
        return names
    if isinstance(value.data, dict):
        raise Invalid("a file name without .txt, or a list of them")
    return (nonempty_text(value),)


_DOCUMENT_FIELDS = {
    "title": Field(text, ""),
    "author": Field(text, ""),
    "recipient": Field(text, ""),
    "date": Field(iso_date, ""),
    "source": Field(text, ""),
    "first_page": Field(nonempty_text, ""),
    "language": Field(language_tag, ""),
    "licence": Field(_licence, None),
    "formerly": Field(_file_names, ()),
}


def _documents(value: Value, texts: frozenset[str]) -> MappingProxyType[str, DocumentMeta]:
    data = value.reader.mapping(
        value, "a mapping from a text's file name (without .txt) to its metadata"
    )
    found = {
        name: DocumentMeta(**value.reader.record(value.child(name), _DOCUMENT_FIELDS))
        for name in sorted(data or {})
    }
    _check_renames(value, found, texts)
    return MappingProxyType(found)


def _check_renames(
    value: Value, documents: Mapping[str, DocumentMeta], texts: frozenset[str]
) -> None:
    """An earlier name is claimed once, is not the document's own, and has no text any more."""
    claimed: dict[str, str] = {}
    for name, meta in documents.items():
        for index, old in enumerate(meta.formerly):
            path = (*value.path, name, "formerly", index)
            if not isinstance(value.reader.document.get(path), str | int | float):
                path = (*value.path, name, "formerly")  # a single name, not a list
            problem = ""
            if old == name:
                problem = "is the document's own name"
            elif old in claimed:
                problem = f"is already an earlier name of {claimed[old]!r}"
            elif old in texts:
                problem = f"still has a text (texts/{old}.txt); remove it or the rename"
            claimed.setdefault(old, name)
            if problem:
                value.reader.error(
                    path, f"{format_path(path)}: {old!r} {problem}", "config.documents.formerly"
                )


def _option(default: object) -> Check:
    """A check: a value of the same type as a detector option's ``default``."""

    def check(value: Value) -> object:
        data = value.data
        number = isinstance(data, int | float) and not isinstance(data, bool)
        if isinstance(default, bool):
            return boolean(value)
        if isinstance(default, int):
            if number and isinstance(data, int):
                return data
            raise Invalid("an integer")
        if isinstance(default, float):
            if number:
                return float(data)  # type: ignore[arg-type]
            raise Invalid("a number")
        if isinstance(default, str):
            return text(value)
        if isinstance(default, list | tuple):
            if isinstance(data, list):
                return type(default)(data)
            raise Invalid("a list")
        if isinstance(default, Mapping):
            if isinstance(data, dict):
                return MappingProxyType(data)
            raise Invalid("a mapping")
        if default is None or type(data) is type(default):
            return data
        raise Invalid(f"a value of type {type(default).__name__}")

    return check


def _detectors(value: Value, defaults: DetectorDefaults) -> dict[str, DetectorOptions]:
    reader = value.reader
    data = reader.mapping(value, "a mapping from detector name to its options")
    if data:
        reader.unknown_keys(value, defaults, noun="detector")
    result = {}
    for name in sorted(defaults):
        options = dict(defaults[name])
        inner = value.child(name)
        if isinstance(inner.data, bool):  # ``pages: false`` is short for ``enabled: false``
            result[name] = DetectorOptions(
                inner.data, MappingProxyType(dict(sorted(options.items())))
            )
            continue
        # One code for every option: option names come from the detectors, not from us.
        fields = {"enabled": Field(boolean, True, code="config.detectors")}
        fields.update(
            (key, Field(_option(default), default, code="config.detectors"))
            for key, default in options.items()
        )
        got = reader.record(
            inner, fields, "a mapping of options such as 'enabled: false'", noun="option"
        )
        enabled = got.pop("enabled")
        result[name] = DetectorOptions(enabled, MappingProxyType(dict(sorted(got.items()))))
    return result


def load_edition_config(
    path: Path | None,
    display: str,
    folder_name: str,
    detector_defaults: DetectorDefaults,
) -> tuple[EditionConfig, list[Diagnostic]]:
    """Read ``edition.yaml`` at ``path``; ``display`` names it in diagnostics.

    Always returns a whole configuration: where a value is missing or wrong its
    default stands in (the title defaults to ``folder_name``), and each wrong value
    is an error in the list. ``path=None`` or a missing file gives the defaults and a
    ``config.missing`` warning; an empty file gives the defaults silently.
    ``detector_defaults`` maps each known detector to its options' defaults: the
    result's ``detectors`` holds every known detector with its defaults overridden
    by the file.
    """
    texts = frozenset(p.stem for p in path.parent.glob("texts/*.txt")) if path else frozenset()
    if path is None or not path.exists():
        defaults = _build(Reader(YamlDocument(), display), folder_name, detector_defaults, texts)
        message = (
            f"no edition.yaml; using defaults (title {folder_name!r}, language 'en', "
            "licence unstated)"
        )
        return defaults, [warning(display, 0, 0, message, "config.missing")]
    document, diagnostics = read_yaml(path, display)
    reader = Reader(document, display)
    root = reader.root("config")
    top = reader.mapping(root, "a mapping with the keys 'edition', 'documents' and 'detectors'")
    if top:
        reader.unknown_keys(root, ("edition", "documents", "detectors"))
    config = _build(reader, folder_name, detector_defaults, texts)
    return config, sorted(diagnostics + reader.diagnostics)


def _build(
    reader: Reader,
    folder_name: str,
    detector_defaults: DetectorDefaults,
    texts: frozenset[str] = frozenset(),
) -> EditionConfig:
    """The configuration the document says, defaults where it is silent or wrong."""
    root = reader.root("config")
    edition: dict[str, Any] = reader.record(
        root.child("edition", "config.edition"), _EDITION_FIELDS
    )
    documents = _documents(root.child("documents", "config.documents"), texts)
    detectors = _detectors(root.child("detectors", "config.detectors"), detector_defaults)
    return EditionConfig(
        **{**edition, "title": edition["title"] or folder_name},
        documents=documents,
        detectors=MappingProxyType(detectors),
    )
