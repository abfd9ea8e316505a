"""Located diagnostics: what went wrong, where, and how the user is told.

Every problem the tool finds is a `Diagnostic` carrying a file, a line and column
when it has them, a message that names the thing, and a stable code such as
``config.persons.id``. The core never prints: it returns diagnostics, or raises
`EditionError` carrying them; only the CLI formats them, errors in full and
warnings grouped by code so that a corpus-wide problem is one line, not a thousand.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from edition.pickling import ByFields


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True, slots=True)
class Diagnostic(ByFields):
    """One problem, located as precisely as the finder could locate it.

    ``line`` and ``col`` are 1-based; ``0`` means unknown.
    """

    path: str
    line: int
    col: int
    message: str
    code: str
    severity: Severity = field(default=Severity.ERROR, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def location(self) -> str:
        if self.line and self.col:
            return f"{self.path}:{self.line}:{self.col}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path

    def format(self) -> str:
        """``file:line:col: message [code]``; warnings say so after the location."""
        kind = "" if self.is_error else "warning: "
        return f"{self.location}: {kind}{self.message} [{self.code}]"


def error(path: str, line: int, col: int, message: str, code: str) -> Diagnostic:
    return Diagnostic(path, line, col, message, code, Severity.ERROR)


def warning(path: str, line: int, col: int, message: str, code: str) -> Diagnostic:
    return Diagnostic(path, line, col, message, code, Severity.WARNING)


class EditionError(Exception):
    """Raised when work cannot go on; carries every error found so far."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


@dataclass
class Diagnostics:
    """A collector: stages append, the caller decides when errors stop the work."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if not d.is_error]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise EditionError(self.errors)


_order = operator.attrgetter("path", "line", "col", "message", "code")


def format_report(diagnostics: Iterable[Diagnostic], *, examples: int = 3) -> list[str]:
    """Lines for a human: every error in full, warnings grouped by code.

    A warning code seen more than ``examples`` times prints its first locations
    and a count, so a problem repeated over a corpus stays readable.
    """
    # By the fields the dataclass orders by, as a tuple: compared in C, not by its __lt__
    # (7,000 warnings of a 10,000-document edition took 0.05 s a report).
    items = sorted(set(diagnostics), key=_order)
    errors = [d for d in items if d.is_error]
    lines = [d.format() for d in errors]
    by_code: dict[str, list[Diagnostic]] = {}
    for d in items:
        if not d.is_error:
            by_code.setdefault(d.code, []).append(d)
    for code in sorted(by_code):
        group = by_code[code]
        lines.extend(d.format() for d in group[:examples])
        if len(group) > examples:
            lines.append(f"… and {len(group) - examples} more warnings like these [{code}]")
    return lines
