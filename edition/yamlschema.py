"""Check YAML data against declared fields, collecting every problem at its position.

A loader declares each mapping as ``{key: Field(check, default)}`` and calls
`Reader.record`; a check is a small function from a `Value` to the converted value
that raises `Invalid` with what it expected. The reader turns that into
``file:line:col: persons[3].id: expected an XML name such as 'yezhov', got 'Ye zhov'
[config.persons.id]``, reports unknown keys with a "did you mean", fills defaults,
and carries on, so that one run shows every mistake.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from edition.diagnostics import Diagnostic, error, warning
from edition.yamlfile import YamlDocument, YamlPath, format_path


class Invalid(Exception):
    """Raised by a check: the value is not what was ``expected`` (a phrase: "a string")."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()  # what `Reader.convert` returns after reporting a bad value


@dataclass(frozen=True)
class Value:
    """One value under check: its data, where it is, and the code its problems carry."""

    reader: Reader
    path: YamlPath
    data: object
    code: str

    @property
    def text(self) -> str | None:
        """The source text of a plain scalar (``1.10`` for the float ``1.1``)."""
        return self.reader.document.text_at(self.path)

    def child(self, step: str | int, code: str | None = None) -> Value:
        data = self.data
        if isinstance(step, str) and isinstance(data, dict):
            inner = data.get(step)
        elif isinstance(step, int) and isinstance(data, list):
            inner = data[step]
        else:
            inner = None
        return Value(self.reader, (*self.path, step), inner, self.code if code is None else code)


Check = Callable[[Value], Any]


@dataclass(frozen=True)
class Field:
    """One key of a mapping: how to check it, its default, and whether it may be left out.

    ``required`` is the phrase for a missing value ("a display name such as …");
    empty means optional. ``code`` defaults to the record's code + ``.`` + the key.
    """

    check: Check
    default: object = None
    required: str = ""
    code: str = ""


class Reader:
    """Walks one `YamlDocument`, converting values and collecting located diagnostics."""

    def __init__(self, document: YamlDocument, display: str) -> None:
        self.document = document
        self.display = display
        self.diagnostics: list[Diagnostic] = []

    def root(self, code: str) -> Value:
        return Value(self, (), self.document.data, code)

    def error(self, path: YamlPath, message: str, code: str, *, at_key: bool = False) -> None:
        line, col = self.document.key_at(path) if at_key else self.document.value_at(path)
        self.diagnostics.append(error(self.display, line, col, message, code))

    def warning(self, path: YamlPath, message: str, code: str, *, at_key: bool = False) -> None:
        line, col = self.document.key_at(path) if at_key else self.document.value_at(path)
        self.diagnostics.append(warning(self.display, line, col, message, code))

    def expected(self, value: Value, expected: str) -> None:
        """Report that ``value`` is not ``expected``, naming what it is instead."""
        message = f"{format_path(value.path)}: expected {expected}, got {describe(value.data)}"
        self.error(value.path, message, value.code)

    def convert(self, value: Value, check: Check) -> Any:
        """``check(value)``, or `INVALID` after reporting why not."""
        try:
            return check(value)
        except Invalid as exc:
            self.expected(value, exc.expected)
            return INVALID

    def unknown_keys(self, value: Value, known: Iterable[str], noun: str = "key") -> None:
        """Report every key of the mapping ``value`` not in ``known``, with a did-you-mean."""
        choices = sorted(known)
        for key in value.data if isinstance(value.data, dict) else ():
            if key not in choices:
                path = (*value.path, key)
                message = f"{format_path(path)}: unknown {noun}; {suggest(key, choices)}"
                self.error(path, message, "config.unknown-key", at_key=True)

    def mapping(self, value: Value, expected: str) -> dict[str, object] | None:
        """The mapping at ``value`` (``{}`` when empty), or ``None`` after reporting."""
        if value.data is None:
            return {}
        if isinstance(value.data, dict):
            return value.data
        self.expected(value, expected)
        return None

    def record(
        self,
        value: Value,
        fields: Mapping[str, Field],
        expected: str = "a mapping",
        noun: str = "key",
    ) -> dict[str, Any]:
        """Every field of the mapping at ``value``, checked, with defaults filled in.

        Unknown keys, missing required keys and bad values are reported; a bad or
        missing value takes its field's default so that checking carries on.
        """
        data = self.mapping(value, expected)
        result: dict[str, Any] = {}
        if data:
            self.unknown_keys(value, fields, noun)
        for name, spec in fields.items():
            code = spec.code or f"{value.code}.{name}"
            inner = value.child(name, code)
            if inner.data is None:
                if spec.required and data is not None:
                    self.error(
                        inner.path,
                        f"{format_path(inner.path)}: missing; expected {spec.required}",
                        code,
                    )
                result[name] = spec.default
                continue
            converted = self.convert(inner, spec.check)
            result[name] = spec.default if converted is INVALID else converted
        return result


def suggest(key: str, choices: list[str]) -> str:
    """``did you mean 'title'?`` when a choice is close, else the list of choices."""
    close = difflib.get_close_matches(key, choices, n=1, cutoff=0.6)
    if not close:
        close = [c for c in choices if c.casefold() == key.casefold()]
    if close:
        return f"did you mean {close[0]!r}?"
    if not choices:
        return "none are known"
    return "expected one of " + ", ".join(repr(c) for c in choices)


def describe(data: object) -> str:
    """What was found, for a message: a short repr of a scalar, else its kind."""
    if data is None:
        return "an empty value"
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, dict):
        return "a mapping"
    if isinstance(data, list):
        return "a list"
    if isinstance(data, str | int | float):
        shown = repr(data)
        return shown if len(shown) <= 60 else shown[:56] + "…" + shown[-3:]
    return f"a value of YAML type {type(data).__name__}"


# --- checks -----------------------------------------------------------------------------


def text(value: Value) -> str:
    """A string; a plain scalar YAML read as a number or boolean counts as its text."""
    if isinstance(value.data, str):
        return value.data
    if value.text is not None and isinstance(value.data, int | float):
        return value.text
    raise Invalid("a string")


def nonempty_text(value: Value) -> str:
    found = text(value) if isinstance(value.data, str | int | float) else None
    if not found or not found.strip():
        raise Invalid("a non-empty string")
    return found


def boolean(value: Value) -> bool:
    if isinstance(value.data, bool):
        return value.data
    raise Invalid("true or false")


def matching(pattern: re.Pattern[str], expected: str) -> Check:
    """A check: a string that ``pattern`` matches in full."""

    def check(value: Value) -> str:
        found = text(value) if isinstance(value.data, str | int | float) else None
        if found is None or not pattern.fullmatch(found):
            raise Invalid(expected)
        return found

    return check


def one_of(*choices: str) -> Check:
    """A check: one of the given words."""
    expected = " or ".join(repr(c) for c in choices)

    def check(value: Value) -> str:
        if value.data not in choices:
            raise Invalid(expected)
        return str(value.data)

    return check


def list_of(item: Check, expected: str) -> Check:
    """A check: a list (``expected`` names it) whose items pass ``item``; bad items drop out."""

    def check(value: Value) -> tuple[Any, ...]:
        if not isinstance(value.data, list):
            raise Invalid(expected)
        converted = (value.reader.convert(value.child(i), item) for i in range(len(value.data)))
        return tuple(c for c in converted if c is not INVALID)

    return check


# An XML NCName, as every xml:id must be: "yezhov", "d-003", "_x1.2"; not "Ye zhov", "3x".
NCNAME = re.compile(r"[^\W\d][\w.\-\u00b7]*")

# A well-formed BCP 47 tag: "en", "de-AT", "sr-Latn-RS", "zh-Hant", "x-private".
# Language subtags of 4 to 8 letters are reserved and unused, so "english" is refused.
LANGUAGE_TAG = re.compile(
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3})"
    r"(?:-[a-z]{4})?"
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
    r"(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*"
    r"(?:-x(?:-[a-z0-9]{1,8})+)?"
    r"|x(?:-[a-z0-9]{1,8})+",
    re.IGNORECASE,
)

# An ISO 8601 calendar date at year, month or day precision: "1936", "1936-08", "1936-08-28".
ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")

ISO_DATE_EXPECTED = "an ISO 8601 date such as '1936-08-28', '1936-08' or '1936'"


def iso_date(value: Value) -> str:
    found = text(value) if isinstance(value.data, str | int) else ""
    match = ISO_DATE.fullmatch(found)
    try:
        if not match:
            raise ValueError(found)
        year, month, day = (int(g) if g else 1 for g in match.groups())
        datetime.date(max(year, 1), month, day)
    except ValueError:
        raise Invalid(ISO_DATE_EXPECTED) from None
    return found


def ncname(example: str) -> Check:
    return matching(NCNAME, f"an XML name such as {example!r}")


language_tag = matching(LANGUAGE_TAG, "a language tag such as 'en' or 'de-AT'")


def http_url(value: Value) -> str:
    """An absolute http(s) URL."""
    found = value.data if isinstance(value.data, str) else ""
    try:
        parts = urlsplit(found) if found and not any(c.isspace() for c in found) else None
    except ValueError:  # "http://[" is not even splittable
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid("an absolute http(s) URL such as 'https://example.org/edition/'")
    return found
