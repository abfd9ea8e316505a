"""Remember each document's conversion, keyed by everything it depends on, so rebuilds skip it.

A document's TEI depends on its text, its lines of the anchors lock, the
edition's configuration, the registers (persons, corrections), the release date
and the code (edition's own modules and the versions of the libraries whose data
it reads). The key hashes all of them: change any and the document is converted
again; change none and its previous result is reused byte for byte. Entries are
written atomically; an unreadable entry is a miss, never an error.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import pickle
from dataclasses import replace
from pathlib import Path

from edition.parallel import Job, Outcome, Shared
from edition.schema import cache_dir

# Libraries whose data shape the output: a new version may change a flag or a link.
DATA_LIBRARIES = ("lxml", "wordfreq", "pyspellchecker")


def cache_folder(sources: Path) -> Path:
    """Where the conversions of one sources folder are kept: in the user's cache, never in
    the output (a failed build writes nothing there) nor in the sources (nothing to commit)."""
    name = hashlib.sha256(str(sources.resolve()).encode()).hexdigest()[:16]
    return cache_dir() / "convert" / name


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of edition's source files and its data libraries' versions."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for name in DATA_LIBRARIES:
        try:
            digest.update(f"{name}=={importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name} absent".encode())
    return digest.hexdigest()


class ConvertCache:
    """Conversions on disk under ``folder``, one file per key."""

    def __init__(self, folder: Path, shared: Shared) -> None:
        self.folder = folder
        self.salt = hashlib.sha256(
            (
                code_fingerprint()
                + repr(shared.config)
                + repr(shared.registers)
                + shared.release_date
            ).encode()
        ).digest()

    def key(self, job: Job) -> str:
        digest = hashlib.sha256(self.salt)
        digest.update(job.name.encode() + b"\0" + job.display.encode() + b"\0" + job.data)
        # In one order whatever the order given: the lock's (sorted) and the converter's may differ.
        digest.update("\n".join(sorted(a.line() for a in job.anchors)).encode())
        return digest.hexdigest()

    def put_settled(self, job: Job, outcome: Outcome) -> str:
        """File ``outcome`` also under the key of the next build, which reads the lock this one writes.

        A first build reads no lock lines and writes the ids it minted; the second reads
        them, and its key differs. Its conversion is the same — ids aligned with the very
        lines they produced stay as they are (tested) — so it is stored now and the second
        build converts nothing. Returns the key, for `prune` to keep.
        """
        if outcome.converted is None or outcome.converted.anchors == job.anchors:
            return self.key(job)
        key = self.key(replace(job, anchors=outcome.converted.anchors))
        self.put(key, outcome)
        return key

    def get(self, key: str) -> Outcome | None:
        try:
            with open(self.folder / key[:2] / key, "rb") as stream:
                outcome = pickle.load(stream)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
            return None
        return outcome if isinstance(outcome, Outcome) else None

    def put(self, key: str, outcome: Outcome) -> None:
        path = self.folder / key[:2] / key
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"{key}.{os.getpid()}.part")
            partial.write_bytes(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
            partial.replace(path)
        except OSError:
            return  # a cache that cannot be written only costs time

    def prune(self, keep: set[str]) -> None:
        """Delete entries this build did not use, so the cache holds one build's worth."""
        if not self.folder.is_dir():
            return
        for shard in os.scandir(self.folder):  # scandir, not glob: ten thousand entries
            if shard.is_dir():
                for entry in os.scandir(shard.path):
                    if entry.name not in keep:
                        os.unlink(entry.path)
