"""Load ``persons.yaml``, the edition's register of persons, into a `Personography`."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from edition.diagnostics import Diagnostic
from edition.yamlfile import format_path, read_yaml
from edition.yamlschema import (
    Field,
    Reader,
    Value,
    iso_date,
    list_of,
    matching,
    ncname,
    nonempty_text,
    text,
)

# Authority files and the shape of their ids, e.g. wikidata "Q42", viaf "76305993",
# gnd "118557513" or "4001234-5", lc (Library of Congress) "n80038223".
AUTHORITY_IDS: Mapping[str, tuple[re.Pattern[str], str]] = MappingProxyType(
    {
        "gnd": (
            re.compile(r"1[012]?\d{7}[0-9X]|[47]\d{6}-\d|[1-9]\d{0,7}-[0-9X]|3\d{7}[0-9X]"),
            "a GND id such as '118557513'",
        ),
        "lc": (re.compile(r"[a-z]{1,2}\d{8,10}"), "a Library of Congress id such as 'n80038223'"),
        "viaf": (re.compile(r"[1-9]\d{0,21}"), "a VIAF id such as '76305993'"),
        "wikidata": (re.compile(r"Q[1-9]\d*"), "a Wikidata id such as 'Q42'"),
    }
)


@dataclass(frozen=True)
class PersonRecord:
    """One person of the register, as the editor described them."""

    id: str  # an XML name, used as @xml:id and in @ref="#id"
    name: str  # the display name, forename first: "Nikolai Yezhov"
    forms: tuple[str, ...] = ()  # forms used in running text: "Yezhov"
    variants: tuple[str, ...] = ()  # known variant or garbled spellings: "Yerev"
    birth: str = ""  # ISO 8601 date, or ''
    death: str = ""
    description: str = ""
    roles: tuple[str, ...] = ()
    authority: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    line: int = field(default=0, compare=False)  # where the record starts in persons.yaml

    @property
    def names(self) -> tuple[str, ...]:
        """The regular forms of the name: the display name, then ``forms``, without repeats."""
        return tuple(dict.fromkeys((self.name, *self.forms)))


@dataclass(frozen=True)
class Personography:
    """The register: records in file order, and a lookup by id."""

    records: tuple[PersonRecord, ...] = ()
    by_id: Mapping[str, PersonRecord] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, PersonRecord] = {}
        for record in self.records:
            by_id.setdefault(record.id, record)  # the first of duplicate ids wins
        object.__setattr__(self, "by_id", MappingProxyType(by_id))

    def get(self, person_id: str) -> PersonRecord | None:
        return self.by_id.get(person_id)

    def __iter__(self) -> Iterator[PersonRecord]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)


T = TypeVar("T")


def per_register(build: Callable[[Personography], T]) -> Callable[[Personography], T]:
    """``build`` made once per register object, not once per document: a register of 1,500
    persons took a detector 3 ms a document to read again."""
    made: dict[int, tuple[Personography, T]] = {}

    @functools.wraps(build)
    def cached(persons: Personography) -> T:
        found = made.get(id(persons))
        if found is not None and found[0] is persons:
            return found[1]
        value = build(persons)
        made[id(persons)] = (persons, value)
        return value

    return cached


_AUTHORITY_FIELDS = {
    name: Field(matching(pattern, expected), "", code="config.persons.authority")
    for name, (pattern, expected) in AUTHORITY_IDS.items()
}


def _authority(value: Value) -> Mapping[str, str]:
    found = value.reader.record(value, _AUTHORITY_FIELDS, "a mapping such as {wikidata: Q42}")
    return MappingProxyType({k: v for k, v in sorted(found.items()) if v})


_STRINGS = "a list of non-empty strings such as [Yezhov]"

_PERSON_FIELDS = {
    "id": Field(ncname("yezhov"), "", required="an XML name such as 'yezhov'"),
    "name": Field(nonempty_text, "", required="a display name such as 'Nikolai Yezhov'"),
    "forms": Field(list_of(nonempty_text, _STRINGS), (), code="config.persons.forms"),
    "variants": Field(list_of(nonempty_text, _STRINGS), (), code="config.persons.variants"),
    "birth": Field(iso_date, ""),
    "death": Field(iso_date, ""),
    "description": Field(text, ""),
    "roles": Field(list_of(nonempty_text, "a list of roles such as [diplomat]"), ()),
    "authority": Field(_authority, MappingProxyType({})),
}


def load_persons(path: Path | None, display: str) -> tuple[Personography, list[Diagnostic]]:
    """Read ``persons.yaml`` at ``path``; ``display`` names it in diagnostics.

    A missing file (or ``None``) is an empty register and no diagnostic. Every
    problem is reported, located, in file order; records with errors are kept
    as far as they could be read, so a caller must stop on errors.
    """
    if path is None or not path.exists():
        return Personography(), []
    document, diagnostics = read_yaml(path, display)
    reader = Reader(document, display)
    root = reader.root("config.persons")
    top = reader.mapping(root, "a mapping with the key 'persons'")
    if top:
        reader.unknown_keys(root, ("persons",))
    people = root.child("persons")
    records: list[PersonRecord] = []
    if isinstance(people.data, list):
        for i in range(len(people.data)):
            item = people.child(i)
            got = reader.record(item, _PERSON_FIELDS, "a mapping with 'id' and 'name'")
            records.append(PersonRecord(**got, line=document.value_at(item.path)[0]))
        _check_ids(reader, people, records)
        _check_variants(reader, people, records)
    elif people.data is not None:
        reader.expected(people, "a list of persons, each a mapping with 'id' and 'name'")
    return Personography(tuple(records)), sorted(diagnostics + reader.diagnostics)


def _check_ids(reader: Reader, people: Value, records: list[PersonRecord]) -> None:
    first: dict[str, int] = {}  # id → the line it was first given on
    for i, record in enumerate(records):
        path = (*people.path, i, "id")
        if not record.id:
            continue
        if record.id in first:
            message = (
                f"{format_path(path)}: duplicate id {record.id!r}; "
                f"first given at line {first[record.id]}"
            )
            reader.error(path, message, "config.persons.duplicate-id")
        else:
            first[record.id] = reader.document.value_at(path)[0]


def _check_variants(reader: Reader, people: Value, records: list[PersonRecord]) -> None:
    """Warn of a variant that is another person's regular name: the text is ambiguous."""
    owners: dict[str, list[PersonRecord]] = {}
    for record in records:
        for form in record.names:
            owners.setdefault(form, []).append(record)
    for i, record in enumerate(records):
        for j, variant in enumerate(record.variants):
            others = [o for o in owners.get(variant, ()) if o is not record]
            if others:
                path = (*people.path, i, "variants", j)
                message = (
                    f"{format_path(path)}: {variant!r} is also a regular form of "
                    f"{others[0].id!r} (line {others[0].line}); the text cannot tell them apart"
                )
                reader.warning(path, message, "config.persons.ambiguous-variant")
