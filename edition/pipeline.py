"""Build an edition: read everything, convert every text, check, then write everything at once.

The phases, in order (Pelican's lesson: read all, then write all):

1. **configure** — read ``edition.yaml``, ``persons.yaml``, ``corrections.yaml``;
2. **discover** — list ``texts/*.txt`` and ``tei/*.xml``; two names with one id is an error;
3. **convert** — each text to TEI (`edition.convert`), every problem collected;
4. **stage** — write the TEI, and ``persons.xml`` (the register), into a fresh folder beside
   ``OUT/tei`` and validate it against tei_all;
5. **render** — the site from the staged TEI into a fresh folder beside ``OUT/site``;
6. **publish** — swap both folders in (`edition.atomic`).

Any error before phase 6 leaves the previous output untouched.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import hashlib
import operator
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from edition.anchors import carry_renames, document_redirects, document_renames, lost_anchors
from edition.atomic import (
    delete_in_background,
    delete_now,
    keep_as_spare,
    spare_dir,
    staging_dir,
    swap_dirs,
)
from edition.cache import (
    AS_ASKED,
    ConvertCache,
    TextStamp,
    as_asked,
    cache_file,
    code_fingerprint,
    stored_tei,
    without_tei,
)
from edition.config import EditionConfig, release_date
from edition.config_load import load_edition_config
from edition.convert import Converted
from edition.corpus import CORPUS_FILE, corpus_document
from edition.corrections import Corrections, load_corrections
from edition.detectors import Registers, default_detectors, detector_defaults
from edition.diagnostics import Diagnostic, Diagnostics, EditionError, error, warning
from edition.ids import document_id
from edition.linkmemo import LinkMemo, TakeOver
from edition.lockfile import Lock, LockIndex, read_lock, rewrite_lock
from edition.orphans import note_folder, prune_gone, store_file
from edition.outlock import building
from edition.parallel import Job, Outcome, Shared, convert_jobs, fewer_collections, on_workers
from edition.personography import PERSONOGRAPHY_FILE, personography_document
from edition.persons import load_persons
from edition.progress import SILENT, Progress, as_progress
from edition.rulememo import RuleMemo
from edition.serialize import serialize
from edition.source import decode_source
from edition.store import Store, keep_in_memory, keep_written, read_kept
from edition.validate import PendingChecks, keep_jing_warm, parse_untrusted
from edition.warmjing import warm_up

if TYPE_CHECKING:
    from edition.render.memo import PageMemo


STORE_BATCH = 512  # conversions stored at a time: a build killed midway keeps most of its work
# From this many texts to convert on the workers, the check's Jing is not started before they
# convert but with the check, before the render (long enough then to cover its start): idle
# beside the conversion workers, it added 60 MB to the build's peak, all processes counted.
JING_AFTER_FROM = 200
PUBLISHING = "publishing"  # the last stage's message: from here the build does not stop


@dataclass(frozen=True)
class BuildOptions:
    sources: Path
    out: Path  # the build writes OUT/tei/ and OUT/site/
    site: bool = True
    validate: bool = True
    publish: bool = True  # False: convert and check only, write nothing (``edition check``)
    jobs: int = 0  # worker processes for the per-document work; 0: all cores
    cache: bool = True  # reuse the conversion of documents whose inputs did not change
    search: bool = True  # index the reading texts for the site's search page (Pagefind)
    # A shard of the search index holding a change keeps its bundle of the last build, for a
    # build without this to index (`BuildResult.search_behind`): ``edition serve``'s saves.
    search_later: bool = False
    scheduler: str = ""  # a Dask scheduler's address, or "local": convert there (edition.cluster)
    # A process that builds again and again (``edition serve``): the caches' values stay in
    # memory between builds (`edition.store`), the previous output is deleted in a thread.
    resident: bool = False


@dataclass
class BuildResult:
    config: EditionConfig
    # Each text's conversion. Its ``tei`` is empty when taken from the conversion cache
    # (`edition.cache`), and once written to OUT/tei.
    converted: list[Converted] = field(default_factory=list)
    imported: list[Path] = field(default_factory=list)  # sources/tei/*.xml taken in as they are
    diagnostics: list[Diagnostic] = field(default_factory=list)
    search_behind: bool = False  # a shard of the search index is left to index (`BuildOptions.search_later`)


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working folder when it is inside it."""
    folder, name = os.path.split(path)
    if name in ("", ".", "..") or not folder:
        return _relative(path)
    shown = _resolved_relative(folder, os.getcwd())
    if shown == ".":
        return name
    if not os.path.isabs(shown):
        return f"{shown}/{name}"
    return _relative(path) if name == os.path.basename(os.getcwd()) else str(path)  # the working folder?


def display_paths(paths: Sequence[Path]) -> dict[Path, str]:
    """`display_path` of each of many files, said per folder: ten thousand took a third of a second."""
    by_folder: dict[str, list[Path]] = {}
    for path in paths:
        by_folder.setdefault(os.path.dirname(path), []).append(path)
    shown: dict[Path, str] = {}
    for folder, group in by_folder.items():
        shown.update(zip(group, display_names(Path(folder), [os.path.basename(p) for p in group]), strict=True))
    return shown


def display_names(folder: Path, names: Sequence[str]) -> list[str]:
    """`display_path` of each file ``names`` in ``folder``, without a `Path` for each."""
    if not names:
        return []
    probe = display_path(folder / names[0])
    prefix = probe[: -len(names[0])] if probe.endswith(names[0]) else None
    special = os.path.basename(os.getcwd())  # a file named like the working folder: said whole
    return [display_path(folder / name) if prefix is None or name == special else prefix + name for name in names]


@functools.lru_cache(maxsize=64)
def _resolved_relative(path: str, cwd: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path(cwd).resolve()))
    except ValueError:
        return path


def _relative(path: Path) -> str:
    """Resolved once per folder: resolving each of ten thousand paths took seconds."""
    return _resolved_relative(str(path), os.getcwd())


def configure(sources: Path, report: Diagnostics) -> tuple[EditionConfig, Registers]:
    """Read and check the three YAML files; every problem goes to ``report``."""
    if not sources.is_dir():
        raise EditionError(
            [error(display_path(sources), 0, 0, "no such sources folder", "build.sources")]
        )
    defaults = detector_defaults(default_detectors())
    config, found = load_edition_config(
        sources / "edition.yaml",
        display_path(sources / "edition.yaml"),
        sources.resolve().name,
        defaults,
    )
    report.extend(found)
    persons, found = load_persons(sources / "persons.yaml", display_path(sources / "persons.yaml"))
    report.extend(found)
    corrections, found = load_corrections(
        sources / "corrections.yaml", display_path(sources / "corrections.yaml")
    )
    report.extend(found)
    return config, Registers(persons, corrections)


SETTINGS = ("edition.yaml", "persons.yaml", "corrections.yaml")


def configure_kept(sources: Path, report: Diagnostics) -> tuple[EditionConfig, Registers]:
    """`configure`, taken from the user's cache while the three files are byte for byte those
    it read last (PyYAML took 0.35 s to read a register of 1,500 persons on every build)."""
    if not sources.is_dir():
        return configure(sources, report)  # which says so
    inputs = hashlib.sha256(str(sources.resolve()).encode())
    for name in SETTINGS:
        path = sources / name
        try:
            inputs.update(f"\0{name}\0{display_path(path)}\0".encode() + path.read_bytes())
        except FileNotFoundError:
            inputs.update(f"\0{name} missing".encode())
        except OSError:
            return configure(sources, report)  # reported there, at the file
    kept = _kept_value("settings", sources)
    if isinstance(kept, tuple) and len(kept) == 4 and kept[0] == inputs.digest():
        report.extend(kept[3])
        return kept[1], kept[2]
    found = Diagnostics()
    config, registers = configure(sources, found)
    _keep_value("settings", sources, (inputs.digest(), config, registers, list(found)))
    report.extend(found)
    return config, registers


KEPT = "kept"  # the key of the one value a store of `_kept_value` holds


def _kept_value(kind: str, sources: Path) -> object:
    """The value the last build kept in the ``kind`` store of ``sources`` (None: none)."""
    store = Store(store_file(kind, sources), code_fingerprint())
    try:
        return store.get_many([KEPT]).get(KEPT)
    finally:
        store.close()


def _keep_value(kind: str, sources: Path, value: object) -> None:
    store = Store(store_file(kind, sources), code_fingerprint())
    note_folder(store.file, sources)
    store.put_many([(KEPT, value)])
    store.close()


def discover(sources: Path, report: Diagnostics) -> tuple[list[Path], list[Path]]:
    """The texts and imported TEI files of an edition, sorted; clashing ids are errors."""
    # Sorted by name, as paths in one folder sort: compared as paths, ten thousand took 20 ms.
    texts = sorted((sources / "texts").glob("*.txt"), key=operator.attrgetter("name"))
    imported = sorted((sources / "tei").glob("*.xml"), key=operator.attrgetter("name"))
    if not texts and not imported:
        report.add(
            error(
                display_path(sources),
                0,
                0,
                "no texts: put plain-text documents in texts/*.txt",
                "build.no-texts",
            )
        )
    owners: dict[str, Path] = {}
    for path in [*texts, *imported]:
        doc_id = document_id(path.stem)
        if doc_id in owners:
            report.add(
                error(
                    display_path(path),
                    0,
                    0,
                    f"gets the document id {doc_id!r}, as {display_path(owners[doc_id])} "
                    "does; rename one of them",
                    "build.duplicate-id",
                )
            )
        else:
            owners[doc_id] = path
    return texts, imported


def check_document_keys(config: EditionConfig, texts: list[Path], display: str) -> list[Diagnostic]:
    """A ``documents:`` entry that names no text is probably a typo: warn, with a guess."""
    stems = [path.stem for path in texts]
    problems = []
    for name in sorted(set(config.documents) - set(stems)):
        guess = difflib.get_close_matches(name, stems, n=1)
        hint = f"; did you mean {guess[0]!r}?" if guess else ""
        problems.append(
            warning(
                display,
                0,
                0,
                f"documents.{name}: no texts/{name}.txt{hint}",
                "config.documents.unknown",
            )
        )
    return problems


def convert_all(
    texts: list[Path],
    config: EditionConfig,
    registers: Registers,
    published: Lock,
    report: Diagnostics,
    options: BuildOptions | None = None,
    progress: Progress = SILENT,
) -> list[Converted]:
    """Convert every text — from the cache where its inputs are unchanged, else on the workers."""
    shared = Shared(config, registers, release_date(config))
    use_cache = options is not None and options.cache
    cache = None
    if use_cache and options:
        note_folder(cache_file(options.sources), options.sources)
        cache = ConvertCache(cache_file(options.sources), shared)
    jobs = []
    shown = display_paths(texts)
    known = cache.texts() if cache else {}
    stamps: dict[str, TextStamp | None] = {}
    for path in texts:
        try:
            lines = published.digest(document_id(path.stem))
            job, stamps[str(path)] = _job(path, shown[path], lines, known.get(str(path)))
        except OSError as exc:
            report.add(
                error(display_path(path), 0, 0, f"cannot read: {exc.strerror}", "source.read")
            )
            continue
        jobs.append(job)
    if cache and len(registers.corrections):
        jobs = _with_corrections(jobs, registers.corrections, cache, {path.stem: path for path in texts})
    keys = [cache.key(job) for job in jobs] if cache else []
    found = cache.get_many(keys) if cache else {}
    outcomes: list[Outcome | None] = (
        [found.get(key) for key in keys] if cache else [None] * len(jobs)
    )
    del found
    todo = [index for index, outcome in enumerate(outcomes) if outcome is None]
    workers = options.jobs if options else 1
    if todo and (len(todo) < JING_AFTER_FROM or not on_workers(len(todo), workers)):
        warm_up()  # the check's Jing: it loads tei_all while these convert
    paths = {path.stem: path for path in texts}

    readied: dict[int, Job] = {}  # the jobs drawn and not yet converted, whole

    def ready() -> Iterator[Job]:
        """The jobs to convert after all, each with its text and lock lines read (`_job` left
        them out) as a worker is about to take it: ten thousand held at once were 70 MB."""
        for index in todo:
            job = jobs[index]
            try:
                data = paths[job.name].read_bytes()
            except OSError as exc:
                report.add(error(job.display, 0, 0, f"cannot read: {exc.strerror}", "source.read"))
                data = b""
            job = replace(job, data=data, sha=hashlib.sha256(data).hexdigest(),
                          lock_lines=published.text(document_id(job.name)))  # fmt: skip
            if cache:
                keys[index] = cache.key(job)  # keyed as read: the text may have changed since its stamp
            readied[index] = job
            yield job

    if cache and stamps != known:
        cache.remember_texts({name: stamp for name, stamp in stamps.items() if stamp is not None})
    progress.advance(len(jobs) - len(todo))
    settled: set[str] = set()
    fresh: list[tuple[str, Outcome, bytes]] = []
    stored: list[int] = []  # the outcomes of ``fresh``: once stored, their TEI bytes are let go
    with published.reading():
        if options is not None and options.scheduler:
            from edition.cluster import convert_on_cluster  # the optional dask extra

            mapped = convert_on_cluster(list(ready()), shared, options.scheduler, workers)
        else:
            mapped = convert_jobs(ready(), shared, workers, count=len(todo))
        for index, outcome in zip(todo, mapped, strict=True):
            job = readied.pop(index)  # converted: its bytes go with it
            outcomes[index] = as_asked(outcome, job.lock_lines)
            progress.advance()
            if cache:
                settled_key = cache.settled_key(job, outcome)
                settled.add(settled_key)
                fresh.append((keys[index], outcome, job.lock_lines))
                stored.append(index)
                if settled_key != keys[index] and outcome.converted is not None:
                    fresh.append((settled_key, outcome, outcome.converted.lock_lines))
                if len(fresh) >= STORE_BATCH:
                    _store(cache, fresh, stored, outcomes)
                    fresh, stored = [], []
    if cache:
        _store(cache, fresh, stored, outcomes)
        shas = {done.converted.tei_sha for done in outcomes if done is not None and done.converted}
        cache.prune({*keys, *settled}, shas)
        cache.store.close()
    converted = []
    for done in outcomes:
        assert done is not None  # every miss was converted above
        report.extend(done.diagnostics)
        if done.converted is not None:
            report.extend(done.converted.diagnostics)
            converted.append(done.converted)
    return converted


def _with_corrections(
    jobs: list[Job], corrections: Corrections, cache: ConvertCache, paths: dict[str, Path]
) -> list[Job]:
    """The jobs, each with the hash of the corrections found in its text (`Job.corrections`):
    kept by the text's name and SHA-256 (a correction may be limited to some documents) while
    ``corrections.yaml`` is unchanged, else looked for in the text as the converter will read
    it — so an edit of it converts only the texts it touches."""
    everything = hashlib.sha256(repr(corrections).encode()).hexdigest()
    known = cache.corrections_found(everything)
    found: dict[str, str] = {}
    done = []
    for job in jobs:
        text_key = f"{job.name}\0{job.sha}"
        key = known.get(text_key)
        if key is None:
            try:
                data = job.data or paths[job.name].read_bytes()
                text = decode_source(data, job.display)[0].text
            except (OSError, EditionError):
                text = ""  # not converted either: reported when it is
            relevant = corrections.found_in(job.name, text)
            key = hashlib.sha256(repr(relevant).encode()).hexdigest() if relevant else ""
        found[text_key] = key
        done.append(replace(job, corrections=key))
    if found != known:
        cache.remember_corrections_found(everything, found)
    return done


def _store(
    cache: ConvertCache, fresh: list[tuple[str, Outcome, bytes]], stored: list[int], outcomes: list[Outcome | None]
) -> None:
    """Store fresh outcomes; once stored, hold them without their TEI bytes, which the TEI
    stage reads back as it writes (a clean 10,000-document build held 100 MB of them)."""
    if cache.put_many(fresh):
        for index in stored:
            done = outcomes[index]
            if done is not None:
                outcomes[index] = without_tei(done)


# A text changed this close to its reading might change again within the same clock tick,
# unseen by its stamp: its stamp is not kept (git's index does the same).
RACY_SECONDS = 2


def _job(
    path: Path, display: str, lock_digest: bytes, known: TextStamp | None
) -> tuple[Job, TextStamp | None]:
    """The text's job and its stamp to keep. The job holds the text's SHA-256 — taken from
    the last build when the stamp is the one it ``known`` (reading and hashing 10,000 texts
    took a fifth of a second) — but not its bytes, read again if it is converted after all
    (10,000 texts held were 50 MB), nor its lock lines (``lock_digest`` stands for them)."""
    status = os.stat(path)
    stamp = (status.st_ino, status.st_size, status.st_mtime_ns)
    if known is not None and known[:3] == stamp:
        return Job(path.stem, display, b"", sha=known[3], lock_digest=lock_digest), known
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    racy = time.time_ns() - status.st_mtime_ns < RACY_SECONDS * 1_000_000_000
    return Job(path.stem, display, b"", sha=sha, lock_digest=lock_digest), None if racy else (*stamp, sha)


def build_edition(
    options: BuildOptions, progress: Progress | Callable[[str], None] = SILENT
) -> BuildResult:
    """Build ``options.sources`` into ``options.out``; raise `EditionError` with every error found.

    Warnings are returned in the result. On any error nothing under ``options.out`` changes.
    ``progress`` hears of each stage (`edition.progress`).
    """
    shown = as_progress(progress)
    keep_in_memory(options.resident)
    keep_jing_warm(options.validate)
    if options.resident:
        warm_up()  # a process that builds again will check again: its Jing is ready for the next save
    try:
        with fewer_collections(), _one_at_a_time(options, shown):
            return _build(options, shown)
    finally:
        shown.close()


def _one_at_a_time(options: BuildOptions, progress: Progress) -> contextlib.AbstractContextManager[None]:
    """A build that publishes waits for another writing the same output (`edition.outlock`)."""
    if not options.publish:
        return contextlib.nullcontext()
    return building(options.out, progress.stage)


def _build(options: BuildOptions, progress: Progress) -> BuildResult:
    report = Diagnostics()
    config, registers = (configure_kept if options.cache else configure)(options.sources, report)
    texts, imported = discover(options.sources, report)
    report.extend(
        check_document_keys(config, texts, display_path(options.sources / "edition.yaml"))
    )
    report.extend(check_reserved_names(texts, imported))
    report.extend(check_places(options, [*texts, *imported]))
    lock = options.sources / "anchors.lock"
    published, found = read_kept(lock, lambda: _read_lock(options, lock))
    report.extend(found)
    renames = document_renames(config.renames())
    published = carry_renames(published, renames)  # a renamed document keeps its ids
    # Convert even after configuration errors (the loaders stand defaults in for bad values),
    # so that one run reports the problems of every file.
    progress.stage(f"converting {len(texts)} texts", len(texts))
    converted = convert_all(texts, config, registers, published, report, options, progress)
    result = BuildResult(config, converted, imported)
    report.extend(_check_imported(imported))
    built = {document_id(p.stem) for p in imported} | {doc.doc_id for doc in converted}
    redirects = document_redirects(published, renames, built)
    unresolved = {doc.doc_id: doc.unresolved for doc in converted if doc.unresolved}
    report.extend(lost_anchors(published, built, unresolved, redirects, display_path(lock)))
    report.raise_if_errors()
    if not options.publish:
        result.diagnostics = list(report)
        return result

    tei_target, site_target = options.out / "tei", options.out / "site"
    tei_stage = staging_dir(tei_target)
    site_stage = staging_dir(site_target) if options.site else None
    pages: PageMemo | None = None
    checking: PendingChecks | None = None
    taking: TakeOver | None = None
    memo = _rule_memo(options) if options.validate and options.cache else None
    written = _output_memo(tei_target) if options.cache else None
    try:
        progress.stage(f"writing {len(converted)} TEI files")
        tei_files, shas, taking = _write_tei(tei_stage, result, written, options.sources)
        if site_stage is not None and options.cache:
            pages = page_memo(options, config)  # loaded while the unchanged TEI files are taken over
            # Their folders on the site, taken over while the render gets ready to know for sure.
            pages.take_over_documents([(doc.doc_id, doc.tei_sha) for doc in converted], site_stage)
        if taking is not None:
            _write_tei_again(tei_stage, result, taking.failed(), written, options.sources)
            taking = None
        # Written: ten thousand documents' bytes need not stay in memory through the render
        # (those from the cache, or stored meanwhile, hold none already).
        converted = result.converted = [replace(doc, tei=b"") if doc.tei else doc for doc in converted]
        registered = _write_personography(tei_stage, config, registers, written)
        register = registered[0] if registered else None
        titles = dict(zip(tei_files, [doc.title for doc in converted], strict=False))  # imported last
        listed = [f"{path.name}\0{titles.get(path) or _sha(path)}" for path in [*tei_files, *registered]]
        # The whole edition described, its files listed.
        corpus = _write_once(written, tei_stage, CORPUS_FILE, [repr(config), release_date(config), *listed],
                             lambda: serialize(corpus_document(config, tei_files, register,
                                                               release_date(config), titles)))  # fmt: skip
        checked = [*tei_files, *registered, corpus]
        if options.validate:
            # Started now, finished after the render: Jing checks in a process of its own
            # while the site is written.
            shown = dict(zip(checked, display_names(tei_target, [path.name for path in checked]), strict=True))
            theirs = [tei_stage / path.name for path in imported]  # reported, published as they are
            checking = PendingChecks(checked, lambda p: shown[p], schema=True, as_is=theirs,
                                     memo=memo, shas=shas, jobs=options.jobs)  # fmt: skip
        if site_stage is not None:
            progress.stage("rendering the site", len(tei_files))
            from edition.render import render_site  # the site is optional: load it only when built

            report.extend(render_site(tei_files, config, site_stage, registered, redirects,
                                      search=options.search, memo=pages, shas=shas,
                                      search_later=options.search_later,
                                      advance=progress.advance, jobs=options.jobs))  # fmt: skip
        if checking is not None:
            progress.stage(f"validating {len(checked)} TEI files against tei_all")
            report.extend(checking.result())
            if memo is not None:
                memo.save()  # its entries are keyed by content: right whether or not this build publishes
            report.raise_if_errors()
    except BaseException:
        if taking is not None:
            taking.wait()  # its process may be moving files into the staged folder
        if pages is not None:
            pages.wait_early()  # likewise
        if checking is not None:
            checking.cancel()  # Jing may be reading the staged files
        shutil.rmtree(tei_stage, ignore_errors=True)
        if site_stage is not None:
            shutil.rmtree(site_stage, ignore_errors=True)
        raise
    progress.stage(PUBLISHING)
    # Both swapped in back to back; the previous output then kept for the next build to
    # take its unchanged files from, the one before deleted (edition.atomic).
    old = swap_dirs([(tei_stage, tei_target), *([(site_stage, site_target)] if site_stage else [])])
    spent = keep_as_spare(old) if options.cache else [folder for folder, _ in old]
    for outputs in (written, pages):
        if outputs is not None:
            outputs.save()  # only now: it describes the output just published
    changed = {doc.doc_id: doc.lock_lines for doc in converted if doc.lock_lines != AS_ASKED}
    if not lock.exists() or renames or changed:
        # Lines of documents not built this time stay: their ids were published too.
        kept = [doc for doc in published if doc not in built]
        rewritten = rewrite_lock(lock, published, changed, [*kept, *(d.doc_id for d in converted)])
        keep_written(lock, (rewritten, []))
        if options.cache:
            _keep_lock_index(options.sources, rewritten)
    # Last: a thread deleting beside the build's own last steps would slow them.
    (delete_in_background if options.resident else delete_now)(spent)
    if options.cache:
        prune_gone()  # the caches of folders deleted or moved (once a day)
    result.diagnostics = list(report)
    result.search_behind = pages is not None and pages.search_behind
    return result


def _read_lock(options: BuildOptions, lock: Path) -> tuple[Lock, list[Diagnostic]]:
    """The anchors lock, by the index the last build kept of it where the file is unchanged."""
    if not options.cache:
        return read_lock(lock, display_path(lock))
    known = _kept_value("anchors", options.sources)
    read, problems = read_lock(lock, display_path(lock), known if isinstance(known, LockIndex) else None)
    if read.index is not known and not problems:
        _keep_lock_index(options.sources, read)
    return read, problems


def _keep_lock_index(sources: Path, lock: Lock) -> None:
    if lock.on_file and lock.index is not None:
        _keep_value("anchors", sources, lock.index)


def page_memo(options: BuildOptions, config: EditionConfig) -> PageMemo:
    """The memo of the pages published at ``OUT/site``, kept in the user's cache (`edition.render.memo`).

    Its salt is what every page depends on: the code, the templates, the configuration.
    """
    from edition.render.memo import PageMemo
    from edition.render.pages import template_dir, template_files

    digest = hashlib.sha256(f"{code_fingerprint()}\0{config!r}\0{release_date(config)}".encode())
    templates = template_dir()
    for path in template_files():
        digest.update(path.relative_to(templates).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    site = (options.out / "site").resolve()
    store = store_file("pages", site)
    _forget(store.with_suffix(""))
    note_folder(store, site)
    return PageMemo(store, site, digest.hexdigest(), spare_dir(site))


def _output_memo(folder: Path) -> LinkMemo:
    """The records of the files published at ``folder`` (`edition.linkmemo`), by their SHA-256."""
    published = folder.resolve()
    store = store_file("outputs", published)
    note_folder(store, published)
    return LinkMemo(store, published, "by content 1", spare_dir(published))


def _rule_memo(options: BuildOptions) -> RuleMemo:
    """The rules' results of the TEI published at ``OUT/tei`` (`edition.rulememo`)."""
    store = store_file("rules", options.out / "tei")
    _forget(store.with_suffix(""))
    note_folder(store, options.out / "tei")
    return RuleMemo(store, code_fingerprint())


def _forget(file: Path) -> None:
    """Delete the one-pickle memo an earlier version kept where its store is now."""
    with contextlib.suppress(OSError):
        file.unlink(missing_ok=True)


def _write_tei(
    folder: Path, result: BuildResult, memo: LinkMemo | None, sources: Path
) -> tuple[list[Path], dict[Path, str], TakeOver | None]:
    """Write converted and imported TEI into ``folder``: the files in the edition's order, and
    the SHA-256 of those converted (the checks and the render key on it: each file is not
    read back twice). A file ``memo`` knows published as it is now is taken over, not
    written — in another process, perhaps, which the `TakeOver` returned stands for: its
    failures are for `_write_tei_again`, before anything reads the folder."""
    written = []
    shas = {}
    unwritten: list[Converted] = []
    for doc in result.converted:
        name = f"{doc.name}.xml"
        path = folder / name
        written.append(path)
        shas[path] = doc.tei_sha
        if memo is None or memo.claim(name, doc.tei_sha) is None:
            unwritten.append(doc)
    taking = memo.take_over(folder) if memo is not None else None
    try:
        _write_conversions(folder, unwritten, memo, sources)
        for source in result.imported:
            path = folder / source.name
            shutil.copyfile(source, path)
            written.append(path)
    except BaseException:
        if taking is not None:
            taking.wait()  # before the caller deletes the folder it moves files into
        raise
    return written, shas, taking


def _write_tei_again(folder: Path, result: BuildResult, failed: Sequence[str], memo: LinkMemo | None,
                     sources: Path) -> None:  # fmt: skip
    """Write the TEI files that could not be taken over (edited or removed since)."""
    names = set(failed)
    _write_conversions(folder, [doc for doc in result.converted if f"{doc.name}.xml" in names], memo, sources)


def _write_conversions(folder: Path, docs: Sequence[Converted], memo: LinkMemo | None, sources: Path) -> None:
    """Write the TEI of conversions: from memory, or read back from the cache where their
    bytes were let go once stored, a batch at a time (10,000 are 100 MB)."""
    unread = []
    for doc in docs:
        if doc.tei:
            _write_converted(folder, doc, doc.tei, memo)
        else:
            unread.append(doc)
    for start in range(0, len(unread), STORE_BATCH):
        batch = unread[start : start + STORE_BATCH]
        stored = stored_tei(sources, [doc.tei_sha for doc in batch])
        for doc in batch:
            if doc.tei_sha not in stored:  # pruned by a build of the same sources run meanwhile
                raise EditionError([error(display_path(sources), 0, 0, "the conversion cache changed "
                                          "during the build (another build of these sources?); "
                                          "build again", "build.cache-changed")])  # fmt: skip
            _write_converted(folder, doc, stored[doc.tei_sha], memo)


def _write_converted(folder: Path, doc: Converted, tei: bytes, memo: LinkMemo | None) -> None:
    name = f"{doc.name}.xml"
    (folder / name).write_bytes(tei)
    if memo is not None:
        memo.record(name, doc.tei_sha, [name])


def _write_personography(
    folder: Path, config: EditionConfig, registers: Registers, memo: LinkMemo | None
) -> list[Path]:
    """Write ``persons.xml``, the whole register as TEI, beside the documents (none without one)."""
    if not len(registers.persons):
        return []
    date = release_date(config)

    def make() -> bytes:
        return serialize(personography_document(config, registers.persons, date))

    return [_write_once(memo, folder, PERSONOGRAPHY_FILE, [repr(config), repr(registers.persons), date], make)]


def _write_once(memo: LinkMemo | None, folder: Path, name: str, inputs: Sequence[str],
                make: Callable[[], bytes]) -> Path:  # fmt: skip
    """Write ``folder/name`` from ``make()``, or link the one published if made from the same
    ``inputs`` by the same code: the corpus file took a fifth of a second at 10,000 documents."""
    path = folder / name
    key = memo.key(code_fingerprint(), *inputs) if memo is not None else ""
    if memo is None or memo.reuse(name, key, folder) is None:
        path.write_bytes(make())
        if memo is not None:
            memo.record(name, key, [name])
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_reserved_names(texts: list[Path], imported: list[Path]) -> list[Diagnostic]:
    """A text or imported file named like the personography or the corpus would overwrite it."""
    taken = {
        Path(PERSONOGRAPHY_FILE).stem: f"the register of persons ({PERSONOGRAPHY_FILE})",
        Path(CORPUS_FILE).stem: f"the corpus file ({CORPUS_FILE})",
    }
    return [
        error(
            display_path(path),
            0,
            0,
            f"the name {path.name!r} is taken by {taken[path.stem]}; rename the file",
            "build.reserved-name",
        )
        for path in [*texts, *imported]
        if path.stem in taken
    ]


def check_places(options: BuildOptions, inputs: Sequence[Path]) -> list[Diagnostic]:
    """Nothing from outside the sources is read, and the output replaces nothing of the editor's.

    An input that is a link to a file outside the sources folder (a shared folder's
    ``texts/notes.txt`` → ``~/.ssh/id_rsa``) would be published: refused. ``OUT/tei``
    and ``OUT/site`` are replaced whole by a build, so neither may hold the sources
    or be the sources' own ``tei/``; and ``OUT`` must be a folder.
    """
    problems = []
    home = options.sources.resolve()
    # Per folder, not per file (ten thousand lstat and resolve calls took half a second):
    # where the folder really is, and which of its entries are links.
    # Said as strings: ten thousand paths' parents and hashes took 50 ms.
    folders: dict[str, tuple[Path, bool, set[str]]] = {}
    for folder in dict.fromkeys(map(os.path.dirname, inputs)):
        with os.scandir(folder) as entries:
            real_folder = Path(folder).resolve()
            links = {e.name for e in entries if e.is_symlink()}
            folders[folder] = (real_folder, real_folder.is_relative_to(home), links)
    for path in inputs:
        folder, name = os.path.split(path)
        real_folder, inside, links = folders[folder]
        if inside and name not in links:
            continue
        real = path.resolve() if name in links else real_folder / name
        if not real.is_relative_to(home):
            shown = f"{display_path(path.parent)}/{path.name}"  # the link, not where it leads
            problems.append(error(shown, 0, 0,
                                  f"is a link to {real}, outside the sources folder; copy the "
                                  "file in if it should be published", "build.outside"))  # fmt: skip
    if not options.publish:
        return problems
    out = options.out.resolve()
    if out.exists() and not out.is_dir():
        problems.append(error(display_path(options.out), 0, 0,
                              "the output folder is a file; choose another --out", "build.out"))  # fmt: skip
    for target in (out / "tei", out / "site"):
        if home.is_relative_to(target) or target == home / "tei" or target == home / "texts":
            problems.append(error(display_path(target), 0, 0,
                                  "a build replaces this folder whole, and it holds the sources; "
                                  "choose an --out outside the sources", "build.out"))  # fmt: skip
    return problems


def _check_imported(paths: list[Path]) -> list[Diagnostic]:
    """Imported TEI must be well-formed XML without a DOCTYPE (see `parse_untrusted`)."""
    return [problem for path in paths for problem in parse_untrusted(path, display_path(path))[1]]
