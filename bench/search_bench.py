"""Benchmark the search index alone: Pagefind over an N-document edition's reading texts.

    python bench/search_bench.py                 # 1,000 and 10,000 documents
    python bench/search_bench.py 10000 --shard-size 2000 --workers 1
    python bench/search_bench.py 10000 --shard-size 250 --browser   # and a reader's searches

For each size N it makes a FRUS-like edition of N ~5 KB documents (`corpus.py`), converts it
(TEI only, once), builds the lean pages the site's search indexes (`edition.render.search`),
and then times the indexing alone: every Pagefind run, its own peak memory (from wait4),
the peak of all runs alive at once (runs overlap ``workers`` at a time: the sum of the
largest ``workers`` peaks bounds it), the index's size and file count. Output goes to tmpfs.
Shards here are cut by position, each of ``--shard-size`` (a build cuts where the documents'
ids say, `edition.render.search_shards.cut_shards`: from 3/4 to 3/2 of it).

With ``--browser`` it also times what a reader waits for, in headless Chromium over a local
HTTP server, as the site's search page (``templates/search.js``) does it: Pagefind loaded from
the first bundle, every other bundle merged, a query and the data of its first 50 results —
the first query with nothing loaded yet, then others — and counts the requests and bytes.
More, smaller shards index faster and in less memory; this says what they cost the reader.
"""

from __future__ import annotations

import argparse
import os
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


def measure(count: int, shard_size: int, workers: int, scratch: Path, browser: bool = False) -> None:
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
    if browser:
        for line in reader_timings(site, index.bundles):
            print(f"{count:>6} documents, {len(index.bundles)} bundle(s): {line}", flush=True)


# Queries a reader might type into a FRUS-like edition: frequent, rare, a name, a phrase.
QUERIES = ("telegram", "constitution", "Litvinov", "Soviet government", "ambassador")
# The search page's way (`templates/search.js`), timed in the page.
SEARCH_SCRIPT = """async ([bundles, query, first, together]) => {
  const started = performance.now();
  if (first) {
    window.pf = await import(new URL(bundles[0] + "pagefind.js", location.href).href);
    await window.pf.options({ excerptLength: 30, baseUrl: "/" });
    const merge = (bundle) => window.pf.mergeIndex(new URL(bundle, location.href).href, { baseUrl: "/" });
    if (together) {
      await Promise.all(bundles.slice(1).map(merge));
    } else {
      for (const bundle of bundles.slice(1)) { await merge(bundle); }
    }
  }
  const loaded = performance.now();
  const search = await window.pf.search(query);
  await Promise.all(search.results.slice(0, 50).map((r) => r.data()));
  const done = performance.now();
  return [loaded - started, done - loaded, search.results.length];
}"""


def reader_timings(site: Path, bundles: tuple[str, ...]) -> list[str]:
    """The reader's waits, one line a query: loading the bundles (the first), searching."""
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from playwright.sync_api import sync_playwright

    served = [0, 0]  # requests, bytes

    class Counting(SimpleHTTPRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            path = self.translate_path(self.path)
            served[0] += 1
            served[1] += os.path.getsize(path) if os.path.isfile(path) else 0

        def log_message(self, format: str, *args: object) -> None:
            pass  # a missing favicon is no news

    (site / "harness.html").write_text("<!doctype html><title>search</title>", encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Counting, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    lines = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                                 args=["--headless", "--no-sandbox", "--disable-gpu"])  # fmt: skip
            for together in (False, True):
                served[:] = [0, 0]
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/harness.html")
                for number, query in enumerate(QUERIES):
                    load, searched, hits = page.evaluate(SEARCH_SCRIPT, [list(bundles), query, number == 0, together])
                    how = "merged at once" if together else "merged in turn"
                    what = f"loading {load:6.0f} ms, " if number == 0 else ""
                    lines.append(f"{how}: {query!r:22} {what}search and 50 results' data {searched:6.0f} ms, "
                                 f"{hits:5} hits; so far {served[0]} requests, {served[1] / 2**20:.1f} MB")  # fmt: skip
                page.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--shard-size", type=int, default=0, help="documents a shard (default: the build's)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--browser", action="store_true", help="time a reader's searches in headless Chromium")
    args = parser.parse_args()
    if not args.shard_size:
        from edition.render.search import SHARD_SIZE

        args.shard_size = SHARD_SIZE
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() else Path(tempfile.gettempdir())
    scratch = Path(tempfile.mkdtemp(prefix="search-bench-", dir=base))
    try:
        for count in args.sizes:
            measure(count, args.shard_size, args.workers, scratch, args.browser)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
