"""Benchmark a full build against a floor, at several edition sizes.

    python bench/build_bench.py                 # 100 and 1,000 documents
    python bench/build_bench.py 10000 --jobs 2  # any sizes

For each size N it makes a FRUS-like edition of N ~5 KB documents (`corpus.py`),
runs the full build (text → TEI → validation → site) in a fresh process, and
prints documents/s, MB/s, the time of each stage, the peak memory — and, in the
same run, a *floor*: read each text, build a trivial lxml tree, serialize it,
render a trivial Jinja2 page, write both. The ratio ours/floor says how much the
edition's real work costs over the least any such tool must do. Output goes to
tmpfs (/dev/shm) where there is one: this machine's disk makes rewriting
thousands of files several times slower, which would measure the disk.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import make_edition  # noqa: E402


def measure_build(sources: Path, out: Path, jobs: int, validate: bool) -> dict[str, object]:
    """Run in a child process: build once, report stage times and peak memory as JSON."""
    from edition.pipeline import BuildOptions, build_edition

    marks: list[tuple[float, str]] = []
    start = time.perf_counter()
    options = BuildOptions(sources, out, validate=validate, jobs=jobs)
    build_edition(options, progress=lambda message: marks.append((time.perf_counter(), message)))
    end = time.perf_counter()
    stages: dict[str, float] = {}
    points = [(start, "configure and read"), *marks, (end, "")]
    for (t0, name), (t1, _) in itertools.pairwise(points):
        stage = name.split(" ")[0]  # "converting 1000 texts" → "converting"
        stages[stage] = stages.get(stage, 0.0) + t1 - t0
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": end - start, "stages": stages, "peak_mb": max(own, workers) / 1024}


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
    parser.add_argument("--child", nargs=2, metavar=("SOURCES", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = measure_build(
            Path(args.child[0]), Path(args.child[1]), args.jobs, not args.no_validate
        )
        print(json.dumps(result))
        return
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())
    for size in args.sizes:
        work = Path(tempfile.mkdtemp(prefix="edition-bench-", dir=base))
        try:
            sources = make_edition(work / "sources", size)
            megabytes = sum(p.stat().st_size for p in (sources / "texts").iterdir()) / 1e6
            command = [
                sys.executable,
                __file__,
                "--jobs",
                str(args.jobs),
                "--child",
                str(sources),
                str(work / "out"),
            ]
            if args.no_validate:
                command.insert(2, "--no-validate")
            result = json.loads(
                subprocess.run(command, check=True, capture_output=True, text=True).stdout
            )
            floor_seconds = floor(sources, work / "floor")
        finally:
            shutil.rmtree(work, ignore_errors=True)
        seconds = float(result["seconds"])
        print(
            f"{size:>6} documents, {megabytes:.1f} MB: {seconds:.2f} s = {size / seconds:,.0f} documents/s, "
            f"{megabytes / seconds:.2f} MB/s, peak {result['peak_mb']:.0f} MB"
        )
        stages = ", ".join(f"{name} {t:.2f} s" for name, t in result["stages"].items())  # type: ignore[union-attr]
        print(f"        stages: {stages}")
        print(
            f"        floor: {floor_seconds:.2f} s = {size / floor_seconds:,.0f} documents/s; "
            f"ours/floor = {seconds / floor_seconds:.1f}×"
        )


if __name__ == "__main__":
    main()
