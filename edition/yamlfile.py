"""Read a YAML file safely into plain data that remembers where every value stood.

`read_yaml` (a file) and `parse_yaml` (a string) return a `YamlDocument`: the data
as plain Python (dicts with ``str`` keys, lists, scalars) and the 1-based line and
column of every key and value, addressed by paths such as ``("persons", 3, "id")``.
Nothing raises: syntax errors, duplicate keys, bad encodings and alias bombs come
back as located `Diagnostic` values.

Two choices differ from ``yaml.safe_load``, both so that editors get what they wrote:
mapping keys are always the key's text (``003: …`` is the key ``"003"``, not ``3``),
and dates stay strings (``1936-08-28`` is ``"1936-08-28"``, not a ``datetime.date``).
The text of every plain scalar is kept too, so that a string field can accept
``version: 1.10`` as ``"1.10"`` rather than the float ``1.1``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import yaml

from edition.diagnostics import Diagnostic, error

YamlPath = tuple[str | int, ...]

# Values an alias may expand to before we call the document a "billion laughs" attack.
MAX_NODES = 100_000
MAX_DEPTH = 100

_STANDARD_TAG = "tag:yaml.org,2002:"


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves ISO dates as strings: configuration compares text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _STANDARD_TAG + "timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Position:
    """Where one value stood: its key's and its own 1-based line and column."""

    line: int
    col: int
    key_line: int = 0
    key_col: int = 0
    text: str | None = None  # the source text of a plain (unquoted) scalar


@dataclass(frozen=True)
class YamlDocument:
    """Plain data plus the position of every value in it, by path."""

    data: object = None
    positions: Mapping[YamlPath, Position] = field(default_factory=lambda: MappingProxyType({}))

    def get(self, path: YamlPath) -> object:
        """The value at ``path``, or ``None`` where the path leads nowhere."""
        value = self.data
        for step in path:
            if isinstance(step, str) and isinstance(value, dict):
                value = value.get(step)
            elif isinstance(step, int) and isinstance(value, list) and 0 <= step < len(value):
                value = value[step]
            else:
                return None
        return value

    def _nearest(self, path: YamlPath) -> tuple[YamlPath, Position | None]:
        while path not in self.positions and path:
            path = path[:-1]
        return path, self.positions.get(path)

    def value_at(self, path: YamlPath) -> tuple[int, int]:
        """``(line, col)`` of the value at ``path``, else of its nearest present ancestor."""
        _, position = self._nearest(path)
        return (position.line, position.col) if position else (0, 0)

    def key_at(self, path: YamlPath) -> tuple[int, int]:
        """``(line, col)`` of the key naming ``path``; the value's position for list items."""
        found, position = self._nearest(path)
        if position is None:
            return (0, 0)
        if found == path and position.key_line:
            return (position.key_line, position.key_col)
        return (position.line, position.col)

    def text_at(self, path: YamlPath) -> str | None:
        """The source text of the plain scalar at ``path`` (``None`` if quoted or absent)."""
        position = self.positions.get(path)
        return position.text if position else None


def read_yaml(path: Path, display: str) -> tuple[YamlDocument, list[Diagnostic]]:
    """Read and parse the UTF-8 YAML file at ``path``; ``display`` names it in diagnostics.

    An unreadable or non-UTF-8 file gives an empty document and one located error.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return YamlDocument(), [
            error(display, 0, 0, f"cannot read the file: {reason}", "config.yaml.unreadable")
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        byte = raw[exc.start]
        message = f"the file is not UTF-8 (byte 0x{byte:02x}); save it as UTF-8"
        return YamlDocument(), [error(display, line, col, message, "config.yaml.encoding")]
    return parse_yaml(text, display)


def parse_yaml(text: str, display: str) -> tuple[YamlDocument, list[Diagnostic]]:
    """Parse one YAML document; an empty text gives ``YamlDocument(data=None)``.

    On a syntax error the document is empty and the one error says what YAML said,
    at the mark where it said it.
    """
    loader: _Loader | None = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(), []
        walker = _Walker(loader, display)
        data = walker.walk(node, ())
        return YamlDocument(data, MappingProxyType(walker.positions)), walker.diagnostics
    except yaml.MarkedYAMLError as exc:
        return YamlDocument(), [_syntax_error(display, exc)]
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        message = f"YAML syntax: unacceptable character #x{exc.character:04x}"
        return YamlDocument(), [error(display, line, col, message, "config.yaml.syntax")]
    except yaml.YAMLError as exc:
        return YamlDocument(), [error(display, 0, 0, f"YAML syntax: {exc}", "config.yaml.syntax")]
    except RecursionError:
        message = "YAML syntax: the document is nested too deeply"
        return YamlDocument(), [error(display, 0, 0, message, "config.yaml.syntax")]
    finally:
        if loader is not None:
            loader.dispose()


def _syntax_error(display: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    said = exc.problem or exc.context or "invalid"
    if exc.problem and exc.context:
        said += f" ({exc.context})"
    return error(display, line, col, f"YAML syntax: {said}", "config.yaml.syntax")


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


class _Walker:
    """Turns a composed node tree into plain data, recording positions and problems."""

    def __init__(self, loader: _Loader, display: str) -> None:
        self.loader = loader
        self.display = display
        self.positions: dict[YamlPath, Position] = {}
        self.diagnostics: list[Diagnostic] = []
        self.count = 0
        self.active: set[int] = set()

    def _error(self, node: yaml.Node, message: str, code: str = "config.yaml.syntax") -> None:
        mark = node.start_mark
        found = error(self.display, mark.line + 1, mark.column + 1, message, code)
        if found not in self.diagnostics:  # an alias repeats its target's problems
            self.diagnostics.append(found)

    def walk(self, node: yaml.Node, path: YamlPath, key: yaml.Node | None = None) -> object:
        self.count += 1
        if self.count > MAX_NODES:
            if self.count == MAX_NODES + 1:
                self._error(node, f"YAML syntax: more than {MAX_NODES} values (aliases?)")
            return None
        if id(node) in self.active:
            self._error(node, "YAML syntax: an alias refers to a value that contains it")
            return None
        if len(path) > MAX_DEPTH:
            self._error(node, f"YAML syntax: nested more than {MAX_DEPTH} levels deep")
            return None
        text = node.value if isinstance(node, yaml.ScalarNode) and node.style is None else None
        key_mark = key.start_mark if key is not None else None
        self.positions[path] = Position(
            node.start_mark.line + 1,
            node.start_mark.column + 1,
            key_mark.line + 1 if key_mark else 0,
            key_mark.column + 1 if key_mark else 0,
            text,
        )
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if not node.tag.startswith(_STANDARD_TAG):
            self._error(node, f"YAML: unsupported tag {node.tag!r}")
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.walk(item, (*path, i)) for i, item in enumerate(node.value)]
            assert isinstance(node, yaml.MappingNode)
            return self._mapping(node, path)
        finally:
            self.active.discard(id(node))

    def _scalar(self, node: yaml.ScalarNode) -> object:
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.MarkedYAMLError as exc:
            found = _syntax_error(self.display, exc)
            if found not in self.diagnostics:
                self.diagnostics.append(found)
        except Exception:  # an explicit tag (``!!timestamp x``) can make PyYAML raise anything
            self._error(node, f"YAML: {node.value!r} is not a valid {node.tag.rsplit(':', 1)[-1]}")
        return None

    def _mapping(self, node: yaml.MappingNode, path: YamlPath) -> dict[str, object]:
        self.loader.flatten_mapping(node)  # resolves ``<<: *anchor`` merge keys
        result: dict[str, object] = {}
        first_seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._error(
                    key_node,
                    "YAML: a key must be plain text, not a list or mapping",
                    "config.yaml.key",
                )
                continue
            key = key_node.value
            if key in first_seen:
                where = first_seen[key].start_mark.line + 1
                self._error(
                    key_node,
                    f"{format_path((*path, key))}: duplicate key; first given at line {where}",
                    "config.yaml.duplicate-key",
                )
                continue
            first_seen[key] = key_node
            result[key] = self.walk(value_node, (*path, key), key_node)
        return result


def format_path(path: YamlPath) -> str:
    """``("persons", 3, "id")`` → ``persons[3].id``; odd keys are quoted: ``documents['a b']``."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        elif step and all(c.isalnum() or c in "_-" for c in step):
            out += f".{step}" if out else step
        else:
            out += f"[{step!r}]"
    return out or "top level"
