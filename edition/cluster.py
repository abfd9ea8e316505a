"""Run the per-document map on a Dask cluster (the optional ``dask`` extra), through its executor.

``edition build --scheduler tcp://HOST:PORT`` (or ``local`` for a cluster of
processes on this machine) sends the jobs in batches of a few dozen — each
`Job` carries its text's bytes, so workers need no shared disk — to Dask's
``concurrent.futures`` executor and gets each `Outcome` back in input order;
the client writes everything, as a local build does, so the output is byte for
byte the same. `Shared` (the configuration and the registers) goes to each
worker once, as a worker plugin, not once per document; a worker that joins or
is restarted later receives it too. The batches of a worker that dies are run
again elsewhere (Dask reschedules them; ``distributed.scheduler.allowed-failures``
bounds how often), and a batch whose conversion raises is retried ``RETRIES`` times.

This module is imported only when a scheduler is asked for; without the extra
installed that is a clear error, not a traceback.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from functools import partial
from typing import Any

from edition.diagnostics import EditionError, error
from edition.parallel import Job, Outcome, Shared, _start_worker, convert_job, default_jobs

NEEDS_EXTRA = "--scheduler needs the dask extra: pip install 'tei-edition[dask]'"

try:
    import distributed
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError as missing:  # the extra is not installed
    raise EditionError([error("--scheduler", 0, 0, NEEDS_EXTRA, "build.scheduler")]) from missing

LOCAL = "local"  # --scheduler local: a LocalCluster of worker processes on this machine
RETRIES = 2  # a conversion that raises (it should not: bad input comes back as diagnostics)
CONNECT_SECONDS = 30
MAX_BATCH = 32  # documents in one task at most

# What each worker process holds: Shared by its digest, so builds of two editions can share
# one cluster without mixing their configurations.
_installed: dict[str, Shared] = {}


class InstallShared(WorkerPlugin):
    """Give every worker — present, joining later, or restarted — one build's `Shared`."""

    def __init__(self, key: str, shared: Shared) -> None:
        self.key, self.shared = key, shared
        self.name = f"edition-shared-{key}"  # Dask keeps one plugin per name

    def setup(self, worker: Any) -> None:
        _start_worker(self.shared)  # builds the detectors once per worker process
        _installed[self.key] = self.shared

    def teardown(self, worker: Any) -> None:
        _installed.pop(self.key, None)


def convert_installed(batch: Sequence[Job], key: str) -> list[Outcome]:
    """Convert a batch of jobs on a worker with the `Shared` installed under ``key``."""
    return [convert_job(job, _installed[key]) for job in batch]


def shared_key(shared: Shared) -> str:
    return hashlib.sha256(pickle.dumps(shared, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()[:16]


def batch_size(documents: int, workers: int) -> int:
    """Documents per task: a few tasks per worker, so slow documents even out and a lost worker
    costs little, but at most ``MAX_BATCH``, so the scheduler's cost per task (about a
    millisecond) stays small beside the conversion's (about 12 ms a document)."""
    return max(1, min(MAX_BATCH, documents // (max(1, workers) * 8)))


def convert_on_cluster(
    jobs: Sequence[Job], shared: Shared, scheduler: str, workers: int = 0, batch: int = 0
) -> Iterator[Outcome]:
    """Convert ``jobs`` in order on the Dask scheduler at ``scheduler`` (or a local cluster).

    ``workers`` sizes a local cluster (0: all cores), one thread per worker process:
    conversion is pure Python, so threads would only queue for the GIL. ``batch``
    documents go in one task (0: see `batch_size`).
    """
    if not jobs:
        return
    with connect(scheduler, workers) as client:
        key = shared_key(shared)
        plugin = InstallShared(key, shared)
        client.register_plugin(plugin)
        try:
            size = batch or batch_size(len(jobs), len(client.scheduler_info()["workers"]))
            batches = [jobs[start : start + size] for start in range(0, len(jobs), size)]
            executor = client.get_executor(retries=RETRIES, pure=False)
            for outcomes in executor.map(partial(convert_installed, key=key), batches):
                yield from outcomes
        finally:
            _unregister(client, plugin.name)


@contextmanager
def connect(scheduler: str, workers: int = 0) -> Iterator[distributed.Client]:
    """A client of the scheduler at ``scheduler``, or of a local cluster started for it."""
    with ExitStack() as stack:
        try:
            if scheduler == LOCAL:
                cluster = stack.enter_context(
                    distributed.LocalCluster(
                        n_workers=workers or default_jobs(),
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                    )
                )
                client = distributed.Client(cluster, set_as_default=False)
            else:
                client = distributed.Client(
                    scheduler, timeout=CONNECT_SECONDS, set_as_default=False
                )
        except (OSError, TimeoutError, ValueError) as failure:
            reason = f"cannot reach the Dask scheduler at {scheduler!r}: {failure}"
            raise EditionError([error("--scheduler", 0, 0, reason, "build.scheduler")]) from failure
        with client:
            yield client


def _unregister(client: distributed.Client, name: str) -> None:
    with suppress(Exception):  # a cluster going away takes its plugins with it
        client.unregister_worker_plugin(name)
