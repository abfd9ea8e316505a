"""Benchmark the search index alone: Pagefind over an N-document edition's reading texts.

    python bench/search_bench.py                 # 1,000 and 10,000 documents
    python bench/search_bench.py 10000 --shard-size 2000 --workers 1

For each size N it makes a FRUS-like edition of N ~5 KB documents (`corpus.py`), converts it
(TEI only, once), builds the lean pages the site's search indexes (`edition.render.search`),
and then times the indexing alone: every Pagefind run, its own peak memory (from wait4),
the peak of all runs alive at once (runs overlap ``workers`` at a time: the sum of the
largest ``workers`` peaks bounds it), the index's size and file count. Output goes to tmpfs.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import make_edition  # noqa: E402


def measure(count: int, shard_size: int, workers: int, scratch: Path) -> None:
    from edition.pipeline import BuildOptions, build_edition
    from edition.render.persons import find_mentions
    from edition.render.search import build_index, search_page
    from edition.render.teiread import NS, read_tei

    sources = make_edition(scratch / f"ed{count}", count)
    out = scratch / f"out{count}"
    build_edition(BuildOptions(sources, out, site=False, validate=False, cache=False))
    start = time.perf_counter()
    pages = []
    for path in sorted((out / "tei").glob("doc*.xml")):
        document = read_tei(path)
        body = document.root.find("tei:text/tei:body", NS)
        named = sorted({m.person_id for m in find_mentions(document.info.id, body)}) if body is not None else []
        pages.append(search_page(document, named))
    prepared = time.perf_counter() - start
    site = scratch / f"site{count}"
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    index = build_index(pages, site, "en", shard_size=shard_size, workers=workers)
    seconds = time.perf_counter() - start
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    peaks = sorted((run.peak_mb for run in index.runs), reverse=True)
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files) / 2**20
    print(
        f"{count:>6} documents: index {seconds:5.1f} s (Pagefind CPU {cpu:5.1f} s), "
        f"{len(index.runs)} shard(s) of ≤{shard_size}, {workers} at once; "
        f"peak memory {sum(peaks[:workers]):5.0f} MB (largest run {peaks[0]:4.0f} MB); "
        f"index {size:5.1f} MB in {len(files)} files; lean pages made in {prepared:.1f} s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--shard-size", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() else Path(tempfile.gettempdir())
    scratch = Path(tempfile.mkdtemp(prefix="search-bench-", dir=base))
    try:
        for count in args.sizes:
            measure(count, args.shard_size, args.workers, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
