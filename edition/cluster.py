"""Run the per-document map on a Dask cluster (the optional ``dask`` extra), through its executor.

``edition build --scheduler tcp://HOST:PORT`` (or ``local`` for a cluster of
processes on this machine) sends each `Job` — the text's bytes travel with it,
so workers need no shared disk — to Dask's ``concurrent.futures`` executor and
gets each `Outcome` back in input order; the client writes everything, as a
local build does, so the output is byte for byte the same. `Shared` (the
configuration and the registers) goes to each worker once, as a worker plugin,
not once per document; a worker that joins or is restarted later receives it
too. A document whose worker dies is run again elsewhere (Dask reschedules it;
``distributed.scheduler.allowed-failures`` bounds how often), and one whose
conversion raises is retried ``RETRIES`` times.

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


def convert_installed(job: Job, key: str) -> Outcome:
    """Convert ``job`` on a worker with the `Shared` installed under ``key``."""
    return convert_job(job, _installed[key])


def shared_key(shared: Shared) -> str:
    return hashlib.sha256(pickle.dumps(shared, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()[:16]


def convert_on_cluster(
    jobs: Sequence[Job], shared: Shared, scheduler: str, workers: int = 0
) -> Iterator[Outcome]:
    """Convert ``jobs`` in order on the Dask scheduler at ``scheduler`` (or a local cluster).

    ``workers`` sizes a local cluster (0: all cores), one thread per worker process:
    conversion is pure Python, so threads would only queue for the GIL.
    """
    if not jobs:
        return
    with connect(scheduler, workers) as client:
        key = shared_key(shared)
        plugin = InstallShared(key, shared)
        client.register_plugin(plugin)
        try:
            executor = client.get_executor(retries=RETRIES, pure=False)
            yield from executor.map(partial(convert_installed, key=key), jobs)
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
