"""Benchmark a full build, a rebuild and a one-document change against a floor.

    python bench/build_bench.py                 # 100 and 1,000 documents
    python bench/build_bench.py 10000 --jobs 2  # any sizes
    python bench/build_bench.py 1000 --persons 1500  # a register the size of a volume's list
    python bench/build_bench.py 1000 --search   # with the search index, as `edition build` has it

For each size N it makes a FRUS-like edition of N ~5 KB documents with a
register of persons (`corpus.py`) and runs, each in a fresh process as an editor
would, with a cache of its own:

1. **clean** — the full build (text → TEI → validation → site), nothing cached;
2. **unchanged** — the same again: everything comes from the cache;
3. **one changed** — after one word of one document is changed;
4. **one added**, **one removed** — a copy of the middle document inserted after it, then
   removed again: the title pages, the persons' and the principles change with it;
5. **resident** — one word changed and rebuilt in a process that built before, as
   ``edition serve`` does on every save: the caches' values stay in memory and the
   previous output is deleted in the background (waited for between rebuilds, as an
   editor's typing would). With ``--search``, as ``edition serve`` does, the save's rebuild
   leaves the changed shard of the index as it was, and a **catch-up** build indexes it.

For each it prints documents/s, MB/s, the time of each stage and the peak memory
(this process, the largest worker, and all of the build's processes together:
`AllProcesses`). In the same run it measures a *floor*: read each text, build a
trivial lxml tree, serialize it, render a trivial Jinja2 page, write both. The ratio
ours/floor says how much the edition's real work costs over the least any such tool
must do. The search index has its own
benchmark (``search_bench.py``) and is left out here unless ``--search`` is given: then
each build indexes what it must (a clean build every shard, a rebuild the shards holding a
change), and "largest child" is a Pagefind run's.

Output goes to tmpfs (/dev/shm) where there is one: this machine's disk makes
rewriting thousands of files several times slower, which would measure the disk.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import make_edition  # noqa: E402


def measure_build(
    sources: Path, out: Path, jobs: int, validate: bool, resident: bool = False, search: bool = False,
    later: bool = False,
) -> dict[str, object]:
    """Run in a child process: build once, report stage times and peak memory as JSON."""
    from edition.pipeline import BuildOptions, build_edition

    marks: list[tuple[float, str]] = []
    start = time.perf_counter()
    options = BuildOptions(sources, out, validate=validate, jobs=jobs, search=search, resident=resident,
                           search_later=later)
    with AllProcesses() as machine:
        build_edition(options, progress=lambda message: marks.append((time.perf_counter(), message)))
    end = time.perf_counter()
    stages: dict[str, float] = {}
    points = [(start, "configure and read"), *marks, (end, "")]
    for (t0, name), (t1, _) in itertools.pairwise(points):
        stage = name.split(" ")[0]  # "converting 1000 texts" → "converting"
        stages[stage] = stages.get(stage, 0.0) + t1 - t0
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": end - start, "stages": stages, "peak_mb": own,
            "worker_peak_mb": max(workers, kept_jing_peak_mb()), "all_mb": machine.peak_mb}  # fmt: skip


class AllProcesses:
    """The peak memory of this process, its descendants and the kept Jing together, sampled
    every `SAMPLED_EVERY` s while the ``with`` block runs (Linux; 0 elsewhere).

    Each process counts its proportional share (PSS) of the pages it shares: a worker forked
    from the build shares most of its pages with it, so the peaks of the two (their RSS,
    what ``getrusage`` gives) count those pages twice, and say little of what the machine
    gave the build. Sampled, a peak shorter than the interval may be missed."""

    SAMPLED_EVERY = 0.2

    def __init__(self) -> None:
        self.peak_mb = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> AllProcesses:
        if Path("/proc/self/smaps_rollup").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        if self._thread.is_alive():
            self._thread.join()

    def _sample(self) -> None:
        from edition.warmjing import kept_pid

        while True:
            pids = _descendants(os.getpid())
            kept = kept_pid()
            if kept is not None and kept not in pids:
                pids.append(kept)
            self.peak_mb = max(self.peak_mb, sum(_pss_kb(pid) for pid in pids) / 1024)
            if self._done.wait(self.SAMPLED_EVERY):
                return


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process under it."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                todo.extend(int(child) for child in Path(f"/proc/{current}/task/{task}/children").read_text().split())
        except OSError:
            continue  # ended meanwhile
    return found


def _pss_kb(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)


def kept_jing_peak_mb() -> float:
    """The peak memory of the Jing the build keeps running (`edition.warmjing`): never waited
    for, it is not among the children ``getrusage`` counts. Read from /proc, where there is one."""
    from edition.warmjing import kept_pid

    pid = kept_pid()
    try:
        status = Path(f"/proc/{pid}/status").read_text() if pid is not None else ""
    except OSError:
        return 0.0
    peak = next((line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")), "0")
    return int(peak) / 1024


def run_build(sources: Path, out: Path, args: argparse.Namespace, cache: Path) -> dict[str, Any]:
    """One build in a fresh process, as ``edition build`` runs; its report, and the wall time."""
    command = [sys.executable, __file__, "--jobs", str(args.jobs), *_flags(args), "--child", str(sources), str(out)]
    started = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True,
                          env={**os.environ, "EDITION_CACHE": str(cache)})  # fmt: skip
    result: dict[str, Any] = json.loads(done.stdout)
    result["wall"] = time.perf_counter() - started
    return result


def _flags(args: argparse.Namespace) -> list[str]:
    """The options a measuring child process is given as this run was."""
    return [*(["--no-validate"] if args.no_validate else []), *(["--search"] if args.search else [])]


def measure_resident(
    sources: Path, out: Path, jobs: int, validate: bool, repeat: int, search: bool = False
) -> list[dict[str, object]]:
    """Run in a child process: build once, then ``repeat`` times change a word and rebuild, as
    `edition serve` does (with the search index: the save's build, then the catch-up's)."""
    from edition.atomic import wait_for_deletions

    measure_build(sources, out, jobs, validate, resident=True, search=search)
    results = []
    for attempt in range(repeat):
        change_one_word(sources, f"Resident{attempt}")
        wait_for_deletions()
        results.append({**measure_build(sources, out, jobs, validate, True, search, later=search), "kind": "resident"})
        if search:
            wait_for_deletions()
            results.append({**measure_build(sources, out, jobs, validate, True, search), "kind": "catch-up"})
    return results


def run_resident(sources: Path, out: Path, args: argparse.Namespace, cache: Path) -> list[dict[str, Any]]:
    command = [sys.executable, __file__, "--jobs", str(args.jobs), "--repeat", str(args.repeat), *_flags(args),
               "--child-resident", str(sources), str(out)]  # fmt: skip
    done = subprocess.run(command, check=True, capture_output=True, text=True,
                          env={**os.environ, "EDITION_CACHE": str(cache)})  # fmt: skip
    results: list[dict[str, Any]] = json.loads(done.stdout)
    for result in results:
        result["wall"] = result["seconds"]  # the process lives on: its start is not paid again
    return results


def change_one_word(sources: Path, word: str = "Corrigendum") -> Path:
    """Change a word in the middle document's longest paragraph, as an editor's correction would."""
    texts = sorted((sources / "texts").glob("*.txt"))
    path = texts[len(texts) // 2]
    text = path.read_text(encoding="utf-8")
    paragraph = max(text.split("\n\n"), key=len)
    words = paragraph.split(" ")
    words[len(words) // 2] = word
    path.write_text(text.replace(paragraph, " ".join(words), 1), encoding="utf-8")
    return path


def add_one(sources: Path, attempt: int) -> Path:
    """A copy of the middle document, named to sort right after it: inserted mid-edition."""
    texts = sorted((sources / "texts").glob("*.txt"))
    source = texts[len(texts) // 2]
    added = source.with_name(f"{source.stem}-added{attempt}.txt")
    added.write_bytes(source.read_bytes())
    return added


def report(label: str, size: int, megabytes: float, result: dict[str, Any]) -> float:
    """Print one build's line and its stages; return its time."""
    seconds = float(result["seconds"])
    print(
        f"  {label:<12} {seconds:7.2f} s = {size / seconds:7,.0f} documents/s, "
        f"{megabytes / seconds:5.2f} MB/s; process {result['wall']:.2f} s; "
        f"peak {result['peak_mb']:.0f} MB (largest child {result['worker_peak_mb']:.0f} MB: a worker or Jing; "
        f"all processes {result['all_mb']:.0f} MB)"
    )
    stages = ", ".join(f"{name} {t:.2f}" for name, t in result["stages"].items())
    print(f"               stages (s): {stages}")
    return seconds


def floor(sources: Path, out: Path) -> float:
    """The least work: read, trivial tree, serialize, trivial page, write both."""
    import jinja2
    from lxml import etree

    page = jinja2.Environment(autoescape=True).from_string(
        "<!DOCTYPE html><html><head><title>{{ t }}</title></head><body><p>{{ text }}</p></body></html>"
    )
    (out / "tei").mkdir(parents=True)
    (out / "site").mkdir()
    start = time.perf_counter()
    for path in sorted((sources / "texts").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        root = etree.Element("TEI")
        etree.SubElement(root, "p").text = text
        (out / "tei" / f"{path.stem}.xml").write_bytes(etree.tostring(root, encoding="UTF-8"))
        (out / "site" / f"{path.stem}.html").write_text(
            page.render(t=path.stem, text=text), encoding="utf-8"
        )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000])
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default: all cores)")
    parser.add_argument("--no-validate", action="store_true", help="leave out the tei_all check")
    parser.add_argument("--search", action="store_true", help="build the search index too (Pagefind)")
    parser.add_argument("--repeat", type=int, default=3, help="rebuilds measured per kind (default 3)")
    parser.add_argument("--persons", type=int, default=0, metavar="N",
                        help="N persons in the register besides the twelve the texts name (default 0)")
    parser.add_argument("--child", nargs=2, metavar=("SOURCES", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--child-resident", nargs=2, metavar=("SOURCES", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_resident:
        sources, out = map(Path, args.child_resident)
        print(json.dumps(measure_resident(sources, out, args.jobs, not args.no_validate, args.repeat, args.search)))
        return
    if args.child:
        result = measure_build(
            Path(args.child[0]), Path(args.child[1]), args.jobs, not args.no_validate, search=args.search
        )
        print(json.dumps(result))
        return
    import compileall

    import edition
    from edition.ids import document_id
    from edition.schema import schema_path

    # Each build runs in a fresh process, as a user's does, whose install has its bytecode
    # compiled: where it is stale and not written on import (PYTHONDONTWRITEBYTECODE, as on
    # this machine), every process compiled the modules changed since, 50–100 ms.
    compileall.compile_dir(Path(edition.__file__).parent, quiet=1)
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())
    work = Path(tempfile.mkdtemp(prefix="edition-bench-", dir=base))
    try:
        # A cache of the benchmark's own, with the schema and the word lists made once
        # by a small build first: every run of a real user's has them.
        cache = work / "cache"
        cache.mkdir()
        shutil.copy(schema_path(), cache / schema_path().name)
        run_build(make_edition(work / "warm-up", 20), work / "warm-up-out", args, cache)
        for size in args.sizes:
            sources = make_edition(work / f"sources-{size}", size, others=args.persons)
            out = work / f"out-{size}"
            megabytes = sum(p.stat().st_size for p in (sources / "texts").iterdir()) / 1e6
            print(f"{size:,} documents, {megabytes:.1f} MB")
            clean = report("clean", size, megabytes, run_build(sources, out, args, cache))
            # The machine is noisy: each rebuild is measured --repeat times, and the least said.
            unchanged, changed_times = [], []
            for attempt in range(args.repeat):
                unchanged.append(report("unchanged", size, megabytes, run_build(sources, out, args, cache)))
                word = f"Corrigendum{attempt}"
                changed = change_one_word(sources, word)
                changed_times.append(report("one changed", size, megabytes, run_build(sources, out, args, cache)))
                page = out / "site" / f"d-{changed.stem}" / "index.html"
                assert word in page.read_text(encoding="utf-8"), "the change is not on the site"
            added_times, removed_times = [], []
            for attempt in range(args.repeat):
                added = add_one(sources, attempt)
                added_times.append(report("one added", size, megabytes, run_build(sources, out, args, cache)))
                page = out / "site" / document_id(added.stem) / "index.html"
                assert page.is_file(), "the document added is not on the site"
                added.unlink()
                removed_times.append(report("one removed", size, megabytes, run_build(sources, out, args, cache)))
                # Its address published, it stays, as a redirect to the title page (stable ids).
                assert 'http-equiv="refresh"' in page.read_text(encoding="utf-8"), "the document removed is on the site"
            print(f"  least of {args.repeat}: one added {min(added_times):.2f} s, one removed "
                  f"{min(removed_times):.2f} s (most {max(added_times):.2f} s, {max(removed_times):.2f} s)")
            times: dict[str, list[float]] = {"resident": [], "catch-up": []}
            for result in run_resident(sources, out, args, cache):
                times[result["kind"]].append(report(result["kind"], size, megabytes, result))
            resident = times["resident"]
            print(f"  least of {args.repeat}: unchanged {min(unchanged):.2f} s, one changed "
                  f"{min(changed_times):.2f} s, resident {min(resident):.2f} s (most {max(unchanged):.2f} s, "
                  f"{max(changed_times):.2f} s, {max(resident):.2f} s)")  # fmt: skip
            if times["catch-up"]:
                print(f"  the search index caught up in {min(times['catch-up']):.2f}–{max(times['catch-up']):.2f} s")
            floor_seconds = floor(sources, work / f"floor-{size}")
            print(
                f"  floor        {floor_seconds:7.2f} s = {size / floor_seconds:7,.0f} documents/s; "
                f"clean/floor = {clean / floor_seconds:.1f}×"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
