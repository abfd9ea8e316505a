"""The site's templates compiled once, kept in the user's cache.

Jinja2 compiles a template to Python on first use in each process: 0.05 s for the
site's templates, paid by every build that renders a page (a one-document rebuild,
each render worker, each `edition serve` start). Its own `FileSystemBytecodeCache`
keeps the compiled code, checked against each template's source; the folder is keyed
by what else the code depends on — the Jinja2 version and the module that sets the
environment's options — so a new version compiles anew (its folder replaces the old one),
never reads old code.

A cache that cannot be read or written only costs time: a compile, never a failed build.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import shutil
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from edition.schema import cache_dir


class ForgivingCache(jinja2.FileSystemBytecodeCache):
    """Jinja2's file cache, with a file that cannot be read or written taken as absent."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged file (pickle and marshal errors vary): compile instead
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # a full disk, a read-only folder: the next process compiles
            super().dump_bytecode(bucket)


@functools.lru_cache(maxsize=1)
def template_cache(options_module: str) -> jinja2.BytecodeCache | None:
    """The cache of compiled templates for environments made by the module at ``options_module``
    (a path); None when its folder cannot be made."""
    key = hashlib.sha256(jinja2.__version__.encode() + b"\0" + Path(options_module).read_bytes())
    folder = cache_dir() / "templates" / key.hexdigest()[:16]
    if not folder.is_dir():
        for older in _listed(folder.parent):  # another version's: there is one in use at a time
            shutil.rmtree(older, ignore_errors=True)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
    return ForgivingCache(str(folder))


def _listed(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []
