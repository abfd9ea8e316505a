"""Read a plain-text transcription into *the source*: decoded, LF line ends, NFC.

The decoded text is what every later stage points into with offsets, and what
the TEI must give back (the diplomatic reading). How the bytes differed from it
— another encoding, a byte-order mark, CRLF line ends, a non-NFC form — is kept
in `Source` so the TEI header can record it.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from edition.diagnostics import Diagnostic, EditionError, error, warning

UTF8_BOM = b"\xef\xbb\xbf"

# Characters XML 1.0 cannot hold: C0 controls but tab/LF/CR, surrogates, U+FFFE/FFFF.
# e.g. "\x00", "\x0b" (vertical tab), "\x1b" (escape)
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# The legacy encodings we detect: the ones editors' Western transcriptions come in.
# Letting the detector guess among all (it took French cp1252 for Slovak cp1250)
# gives mojibake; among these few it either fits or refuses.
PLAUSIBLE_LEGACY_ENCODINGS = ["cp1252", "iso8859_15", "utf_16"]


@dataclass(frozen=True)
class Source:
    """A decoded text and what decoding changed.

    ``text`` is the source every offset points into. ``encoding`` is the
    encoding of the bytes on disk ("utf-8" normally); ``had_bom``,
    ``line_ends`` ("LF", "CRLF", "CR", "mixed") and ``normalized_nfc`` say
    what reading dropped or changed.
    """

    path: str
    text: str
    encoding: str = "utf-8"
    had_bom: bool = False
    line_ends: str = "LF"
    normalized_nfc: bool = False
    _line_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of a character offset into ``text``."""
        starts = self._line_starts or line_starts(self.text)
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    def error(self, offset: int, message: str, code: str) -> Diagnostic:
        line, col = self.position(offset)
        return error(self.path, line, col, message, code)

    def warning(self, offset: int, message: str, code: str) -> Diagnostic:
        line, col = self.position(offset)
        return warning(self.path, line, col, message, code)


def line_starts(text: str) -> tuple[int, ...]:
    return (0, *(m.end() for m in re.finditer("\n", text)))


def decode_source(data: bytes, path: str) -> tuple[Source, list[Diagnostic]]:
    """Decode bytes into a `Source`, or raise `EditionError` naming the file and place.

    UTF-8 (with or without BOM) is read as is. Other bytes are accepted only when
    charset-normalizer is confident of a plausible legacy encoding, with a warning;
    otherwise the first undecodable byte is reported with its line and column.
    """
    diagnostics: list[Diagnostic] = []
    had_bom = data.startswith(UTF8_BOM)
    if had_bom:
        data = data[len(UTF8_BOM) :]
    encoding = "utf-8"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text, encoding = _decode_legacy(data, exc, path)
        diagnostics.append(
            warning(
                path,
                0,
                0,
                f"not UTF-8; read as {encoding} — check the text, or save it as UTF-8",
                "source.encoding",
            )
        )
    if "\x00" in text[:4096] and encoding == "utf-8":
        _raise_binary(text, path)
    line_ends = _line_ends(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    nfc = unicodedata.normalize("NFC", text)
    source = Source(
        path=path,
        text=nfc,
        encoding=encoding,
        had_bom=had_bom,
        line_ends=line_ends,
        normalized_nfc=nfc != text,
        _line_starts=line_starts(nfc),
    )
    illegal = [
        source.error(
            m.start(),
            f"character U+{ord(m.group()):04X} cannot be stored in XML; remove or replace it",
            "source.illegal-char",
        )
        for m in XML_ILLEGAL.finditer(nfc)
    ]
    if illegal:
        raise EditionError(illegal[:20])
    if not nfc.strip():
        diagnostics.append(
            warning(path, 0, 0, "the text is empty; it is published as an empty document",
                    "source.empty")
        )
    return source, diagnostics


def read_source(path: Path, display: str | None = None) -> tuple[Source, list[Diagnostic]]:
    """Read and decode a text file; ``display`` is the path shown in diagnostics."""
    shown = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EditionError(
            [error(shown, 0, 0, f"cannot read: {exc.strerror}", "source.read")]
        ) from None
    return decode_source(data, shown)


def _decode_legacy(data: bytes, exc: UnicodeDecodeError, path: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes  # imported late: rarely needed, slow to load

    best = from_bytes(data, cp_isolation=PLAUSIBLE_LEGACY_ENCODINGS).best()
    if best is not None and "\x00" not in str(best):
        return str(best), best.encoding.replace("_", "-")
    if b"\x00" in data[:4096]:  # no text encoding we read has NUL bytes: a binary file
        _raise_binary(data.decode("latin-1"), path)
    head = data[: exc.start].decode("utf-8")
    line = head.count("\n") + 1
    col = exc.start - (head.rfind("\n") + 1) + 1
    byte = data[exc.start : exc.start + 1].hex()
    raise EditionError(
        [
            error(
                path,
                line,
                col,
                f"cannot decode byte 0x{byte} as UTF-8, and the encoding could not be "
                "detected with confidence; save the file as UTF-8",
                "source.encoding",
            )
        ]
    )


def _raise_binary(text: str, path: str) -> None:
    """Refuse a file with NUL bytes near its start, naming the first (a stray one is found too)."""
    at = text.index("\x00")
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    raise EditionError(
        [
            error(
                path,
                line,
                col,
                "contains a NUL byte (U+0000), so it looks like a binary file, not text",
                "source.binary",
            )
        ]
    )


def _line_ends(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [name for name, count in (("CRLF", crlf), ("CR", cr), ("LF", lf)) if count]
    if len(kinds) > 1:
        return "mixed"
    return kinds[0] if kinds else "LF"
