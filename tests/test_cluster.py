"""The per-document map on Dask: a LocalCluster build equals a local one, even when a worker dies."""

from __future__ import annotations

import importlib
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from edition.cli import main
from edition.diagnostics import EditionError
from edition.pipeline import BuildOptions, build_edition

from .conftest import SEEDS, published

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")

pytestmark = pytest.mark.slow


def make_sources(folder: Path, copies: int) -> Path:
    """The seeds ``copies`` times over, under names of their own, with a register."""
    (folder / "texts").mkdir(parents=True)
    for k in range(copies):
        for path in sorted(SEEDS.glob("*.txt")):
            shutil.copy(path, folder / "texts" / f"{path.stem}-{k:03}.txt")
    (folder / "edition.yaml").write_text(
        "edition:\n  title: T\n  date: 2026-01-01\n", encoding="utf-8"
    )
    (folder / "persons.yaml").write_text(
        "persons:\n  - id: yezhov\n    name: Nikolai Yezhov\n", encoding="utf-8"
    )
    return folder


def build(sources: Path, out: Path, scheduler: str = "") -> dict[str, bytes]:
    options = BuildOptions(sources, out, validate=False, cache=False, jobs=1, scheduler=scheduler)
    build_edition(options)
    return published(out)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two worker processes, one thread each, as the issue asks; nannies restart a killed one."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as running:
        yield running


def test_a_local_cluster_build_is_byte_identical_to_a_local_build(
    cluster: Any, tmp_path: Path
) -> None:
    sources = make_sources(tmp_path / "src", 10)
    build(sources, tmp_path / "first")  # writes the anchors lock both builds then read
    local = build(sources, tmp_path / "local")
    assert build(sources, tmp_path / "dask", scheduler=cluster.scheduler_address) == local
    assert sum(name.startswith("tei/") for name in local) >= 20  # every document came back


def test_a_worker_killed_mid_build_has_its_documents_run_again(
    cluster: Any, tmp_path: Path
) -> None:
    sources = make_sources(tmp_path / "src", 30)  # 60 documents
    build(sources, tmp_path / "first")
    local = build(sources, tmp_path / "local")
    with distributed.Client(cluster, set_as_default=False) as client:
        client.wait_for_workers(2, timeout=30)
        pids = client.run(os.getpid)
        result: dict[str, Any] = {}

        def run() -> None:
            try:
                result["out"] = build(sources, tmp_path / "dask", cluster.scheduler_address)
            except BaseException as failure:  # reported by the assertion below
                result["error"] = failure

        builder = threading.Thread(target=run)
        builder.start()
        victim, in_flight = wait_for_work_in_flight(client, deadline=time.monotonic() + 40)
        assert builder.is_alive(), "the build finished before a worker could be killed"
        os.kill(pids[victim], signal.SIGKILL)
        builder.join(timeout=60)
        client.wait_for_workers(2, timeout=30)  # the nanny has started a fresh worker
        assert pids[victim] not in client.run(os.getpid).values()
    assert not builder.is_alive(), "the build did not finish after a worker was killed"
    assert "error" not in result, result.get("error")
    assert in_flight, "the killed worker had no document in hand"
    assert result["out"] == local


def wait_for_work_in_flight(client: Any, deadline: float) -> tuple[str, list[str]]:
    """A worker converting documents once some are done: the moment to kill it."""
    while time.monotonic() < deadline:
        done = client.run_on_scheduler(
            lambda dask_scheduler: sum(ts.state == "memory" for ts in dask_scheduler.tasks.values())
        )
        busy = {worker: keys for worker, keys in client.processing().items() if keys}
        if done >= 4 and busy:
            worker = sorted(busy)[0]
            return worker, [str(key) for key in busy[worker]]
        time.sleep(0.02)
    raise AssertionError("no document was in flight within the deadline")


def test_without_the_extra_scheduler_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed → ImportError
    monkeypatch.delitem(sys.modules, "edition.cluster", raising=False)
    with pytest.raises(EditionError, match=r"pip install 'tei-edition\[dask\]'"):
        importlib.import_module("edition.cluster")
    sources = make_sources(tmp_path / "src", 1)
    code = main(["build", str(sources), "--out", str(tmp_path / "out"), "--scheduler", "local"])
    err = capsys.readouterr().err
    assert code == 1
    assert "--scheduler needs the dask extra: pip install 'tei-edition[dask]'" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_an_unreachable_scheduler_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import edition.cluster

    monkeypatch.setattr(edition.cluster, "CONNECT_SECONDS", 1)
    sources = make_sources(tmp_path / "src", 1)
    with pytest.raises(
        EditionError, match=r"cannot reach the Dask scheduler at 'tcp://127\.0\.0\.1:9'"
    ):
        build(sources, tmp_path / "out", scheduler="tcp://127.0.0.1:9")
