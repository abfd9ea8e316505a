"""Remember each document's conversion, keyed by everything it depends on, so rebuilds skip it.

A document's TEI depends on its text, its lines of the anchors lock, the
edition's configuration, the registers (persons, corrections), the release date
and the code (edition's own modules and the versions of the libraries whose data
it reads). The key hashes all of them: change any and the document is converted
again; change none and its previous result is reused byte for byte. An unreadable
entry is a miss, never an error (`edition.store`).

A conversion's TEI bytes are kept in a row of their own, by their SHA-256: a rebuild
links most TEI files from the published folder and reads only the bytes it must
write. Ten thousand conversions' rows were 120 MB read and held on every rebuild.
The store also keeps each text's stamp and hash (`ConvertCache.texts`), so a rebuild
need not read a text whose stamp held (`edition.pipeline`).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import shutil
from collections.abc import Collection, Iterable
from dataclasses import replace
from pathlib import Path

from edition.lockfile import lines_digest
from edition.orphans import store_file
from edition.parallel import Job, Outcome, Shared
from edition.store import Store

TEI = "tei:"  # the keys of TEI bytes: "tei:" and their SHA-256
TEXTS = "texts"  # the key of the texts' stamps (`ConvertCache.texts`)
CORRECTED = "corrections"  # the key of the corrections found in each text (`ConvertCache.corrections_found`)
TextStamp = tuple[int, int, int, str]
# A conversion's lock lines when they are the lines its key was made from, the lines the lock
# has (`edition.lockfile.Lock`): so stored, and so held by a build, which reads a document's
# lines only to convert it or to write the lock (10,000 copies were 24 MB). Never a
# document's lines: those end with a line break.
AS_ASKED = b"\0"
# Libraries whose data shape the output: a new version may change a flag or a link.
DATA_LIBRARIES = ("lxml", "wordfreq", "pyspellchecker")


def cache_file(sources: Path) -> Path:
    """Where the conversions of one sources folder are kept: in the user's cache, never in
    the output (a failed build writes nothing there) nor in the sources (nothing to commit)."""
    return store_file("convert", sources)


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


def as_asked(outcome: Outcome, asked: bytes) -> Outcome:
    """The outcome with its lock lines `AS_ASKED` when they are ``asked``, the lines its key
    was made from: so stored, and so held by a build (`edition.lockfile`)."""
    converted = outcome.converted
    if converted is None or converted.lock_lines != asked or converted.lock_lines == AS_ASKED:
        return outcome
    return replace(outcome, converted=replace(converted, lock_lines=AS_ASKED))


def without_tei(outcome: Outcome, asked: bytes | None = None) -> Outcome:
    """The outcome with its conversion's TEI bytes let go (`stored_tei` has them), and its
    lock lines too when they are ``asked`` (`as_asked`)."""
    if asked is not None:
        outcome = as_asked(outcome, asked)
    converted = outcome.converted
    if converted is None or not converted.tei:
        return outcome
    return replace(outcome, converted=replace(converted, tei=b""))


def stored_tei(sources: Path, shas: Iterable[str]) -> dict[str, bytes]:
    """The TEI bytes of conversions of ``sources`` by their SHA-256 (hex), as far as stored."""
    store = Store(cache_file(sources), code_fingerprint())
    found = store.get_many(TEI + sha for sha in shas)
    store.close()
    return {key[len(TEI):]: tei for key, tei in found.items() if isinstance(tei, bytes)}


class ConvertCache:
    """Conversions on disk, one row per key, in the store ``file`` (`edition.store`)."""

    def __init__(self, file: Path, shared: Shared) -> None:
        self.salt = hashlib.sha256(
            (
                code_fingerprint()
                + repr(shared.config)
                + repr(shared.registers.persons)  # the corrections are each job's own (`Job.corrections`)
                + shared.release_date
            ).encode()
        ).digest()
        # New code empties the store: its entries' classes may have changed shape.
        self.store = Store(file, code_fingerprint())
        if file.with_suffix("").is_dir():  # the one-file-per-entry cache of earlier versions
            shutil.rmtree(file.with_suffix(""), ignore_errors=True)

    def key(self, job: Job) -> str:
        text = job.sha or hashlib.sha256(job.data).hexdigest()
        digest = hashlib.sha256(self.salt)
        digest.update(f"{job.name}\0{job.display}\0{text}\0{job.corrections}\0".encode())
        digest.update(job.lock_digest or lines_digest(job.lock_lines))
        return digest.hexdigest()

    def texts(self) -> dict[str, TextStamp]:
        """The texts the last build read: by path, (inode, size, mtime in ns, SHA-256)."""
        found = self.store.get_many([TEXTS]).get(TEXTS)
        return found if isinstance(found, dict) else {}

    def remember_texts(self, texts: dict[str, TextStamp]) -> None:
        self.store.put_many([(TEXTS, texts)])

    def corrections_found(self, corrections: str) -> dict[str, str]:
        """`Job.corrections` of each text by its name and SHA-256, as the last
        build found them with the same ``corrections`` (a hash of them all); none if they were others."""
        found = self.store.get_many([CORRECTED]).get(CORRECTED)
        if isinstance(found, tuple) and len(found) == 2 and found[0] == corrections:
            return dict(found[1])
        return {}

    def remember_corrections_found(self, corrections: str, found: dict[str, str]) -> None:
        self.store.put_many([(CORRECTED, (corrections, found))])

    def settled_key(self, job: Job, outcome: Outcome) -> str:
        """The key of the next build, which reads the lock this one writes.

        A first build reads no lock lines and writes the ids it minted; the second reads
        them, and its key differs. Its conversion is the same — ids aligned with the very
        lines they produced stay as they are (tested) — so filing the outcome under both
        keys lets the second build convert nothing.
        """
        if outcome.converted is None or outcome.converted.lock_lines == job.lock_lines:
            return self.key(job)
        return self.key(replace(job, lock_lines=outcome.converted.lock_lines, lock_digest=b""))

    def get_many(self, keys: Iterable[str]) -> dict[str, Outcome]:
        """The outcomes stored under ``keys`` whose TEI bytes are stored too; their
        conversions' ``tei`` is empty (`stored_tei` reads it), their ``lock_lines``
        `AS_ASKED` when the lines the key was made from."""
        found = {k: v for k, v in self.store.get_many(keys).items() if isinstance(v, Outcome)}
        shas = {v.converted.tei_sha for v in found.values() if v.converted is not None}
        kept = self.store.present(TEI + sha for sha in shas)
        return {
            key: outcome
            for key, outcome in found.items()
            if outcome.converted is None or TEI + outcome.converted.tei_sha in kept
        }

    def put_many(self, entries: Iterable[tuple[str, Outcome, bytes]]) -> bool:
        """Store the outcomes, each with the lock lines its key was made from, their TEI bytes
        apart; False when they could not be written."""
        rows: dict[str, object] = {}
        for key, outcome, asked in entries:
            rows[key] = without_tei(outcome, asked)
            if outcome.converted is not None and outcome.converted.tei:
                rows[TEI + outcome.converted.tei_sha] = outcome.converted.tei
        return self.store.put_many(rows.items())

    def prune(self, keep: set[str], shas: Collection[str]) -> None:
        """Delete entries this build did not use, so the cache holds one build's worth:
        those under ``keep`` stay, and the TEI bytes of ``shas``."""
        self.store.keep_only(keep | {TEI + sha for sha in shas} | {TEXTS, CORRECTED})
