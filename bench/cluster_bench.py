"""Measure the per-document map on a Dask LocalCluster, and estimate a whole-series build from it.

    python bench/cluster_bench.py                        # 1,000 FRUS-like documents (corpus.py)
    python bench/cluster_bench.py 2000 --workers 2
    python bench/cluster_bench.py --texts ../shared/corpus/frus1918Russiav03

Prints what the README's estimate is computed from: one core's cost per document
(lexicon loaded), the bytes sent (a `Job`) and returned (an `Outcome`) per
document, the map on local processes and on a LocalCluster (cold: workers
started and loading their lexicons; warm: the same cluster again; per-document
tasks against batches), a full build with ``scheduler=`` and its client-side
stages — then the estimate for ``--documents`` documents on N workers.
"""

from __future__ import annotations

import argparse
import itertools
import os
import pickle
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import make_edition  # noqa: E402


def timed(run: object) -> float:
    start = time.perf_counter()
    run()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", nargs="?", type=int, default=1000)
    parser.add_argument("--texts", type=Path, help="measure these *.txt instead of generated ones")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--documents", type=int, default=250_000, help="for the estimate")
    args = parser.parse_args()

    import distributed

    from edition import cluster
    from edition.config import release_date
    from edition.diagnostics import Diagnostics
    from edition.parallel import Job, Shared, convert_jobs
    from edition.pipeline import BuildOptions, build_edition, configure

    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())
    work = Path(tempfile.mkdtemp(prefix="edition-cluster-", dir=base))
    try:
        if args.texts:
            sources = work / "sources"
            (sources / "texts").mkdir(parents=True)
            for path in sorted(args.texts.glob("*.txt")):
                shutil.copy(path, sources / "texts" / path.name)
        else:
            sources = make_edition(work / "sources", args.size)
        config, registers = configure(sources, Diagnostics())
        shared = Shared(config, registers, release_date(config))
        paths = sorted((sources / "texts").glob("*.txt"))
        jobs = [Job(p.stem, p.name, p.read_bytes()) for p in paths]
        n = len(jobs)
        print(f"{n} documents, {sum(len(j.data) for j in jobs) / n / 1e3:.1f} KB of text each")

        list(convert_jobs(jobs[:1], shared, 1))  # load the lexicons once
        cpu = time.process_time()  # CPU time, not wall: other work on the machine does not count
        list(convert_jobs(jobs, shared, 1))
        one_core = (time.process_time() - cpu) / n
        outcomes = list(convert_jobs(jobs, shared, 1))
        sent = statistics.mean(len(pickle.dumps(j)) for j in jobs)
        back = statistics.mean(len(pickle.dumps(o)) for o in outcomes)
        tei = statistics.mean(len(o.converted.tei) for o in outcomes if o.converted)
        print(f"one core, warm: {one_core * 1e3:.1f} ms (CPU) a document; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
        once = len(pickle.dumps(shared))
        print(f"sent per document (Job): {sent / 1e3:.1f} KB; returned (Outcome): {back / 1e3:.1f} KB "
              f"(TEI {tei / 1e3:.1f} KB); Shared, once per worker: {once / 1e3:.1f} KB")  # fmt: skip

        pool = timed(lambda: list(convert_jobs(jobs, shared, args.workers)))
        print(f"local processes ({args.workers}): {pool:.2f} s = {n / pool:.0f} documents/s "
              "(forked: lexicons inherited)")  # fmt: skip

        start = time.perf_counter()
        with distributed.LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as local:
            address = local.scheduler_address
            with distributed.Client(local, set_as_default=False) as client:
                client.wait_for_workers(args.workers)
                started = time.perf_counter() - start
            cold = timed(lambda: list(cluster.convert_on_cluster(jobs, shared, address)))
            print(f"LocalCluster ({args.workers} workers): started in {started:.1f} s; "
                  f"cold map {cold:.2f} s (workers load their lexicons)")  # fmt: skip
            for batch in (1, 0):
                warm = timed(
                    lambda b=batch: list(cluster.convert_on_cluster(jobs, shared, address, batch=b))  # type: ignore[misc]
                )
                size = batch or cluster.batch_size(n, args.workers)
                overhead = (warm - n * one_core / args.workers) * args.workers / n
                print(f"  warm map, {size} document(s) a task: {warm:.2f} s = {n / warm:.0f} "
                      f"documents/s; overhead {overhead * 1e3:.1f} ms/document per worker")  # fmt: skip
            marks: list[tuple[float, str]] = []
            begin = time.perf_counter()
            options = BuildOptions(sources, work / "out", cache=False, scheduler=address)
            build_edition(options, progress=lambda m: marks.append((time.perf_counter(), m)))
            end = time.perf_counter()
        stages: dict[str, float] = {}
        for (t0, name), (t1, _) in itertools.pairwise([(begin, "configure"), *marks, (end, "")]):
            stages[name.split(" ")[0]] = t1 - t0
        print(f"full build on the LocalCluster: {end - begin:.2f} s; "
              + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items()))  # fmt: skip
        client_side = (stages.get("validating", 0) + stages.get("rendering", 0)) / n
        print(f"client-side per document (validate + render, one core): {client_side * 1e3:.1f} ms")

        total = args.documents
        print(f"\nestimate for {total:,} documents "
              f"(map = {total:,} × {one_core * 1e3:.1f} ms / N; client = {total:,} × "
              f"{client_side * 1e3:.1f} ms; transfer = {total:,} × {(sent + back) / 1e3:.1f} KB "
              f"= {total * (sent + back) / 1e9:.1f} GB at 100 MB/s):")  # fmt: skip
        transfer = total * (sent + back) / 100e6
        for workers in (1, 8, 32, 128):
            mapped = total * one_core / workers
            print(f"  N = {workers:>3}: map {mapped / 60:6.1f} min + client {total * client_side / 60:.1f} min"
                  f" (transfer {transfer / 60:.1f} min overlaps the map)")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
