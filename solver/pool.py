"""Executors for sweeps and sensitivity: local worker processes that Ctrl-C ends cleanly, or
a Dask ``distributed`` cluster.

A terminal sends Ctrl-C (SIGINT) to every process of the foreground group, workers included.
Local workers ignore it: the parent alone is interrupted, cancels the tasks not started and
ends the workers at once, so no worker is orphaned and none prints a traceback.

Tasks carry what they need (nothing is read from forked module state), so any
:class:`concurrent.futures.Executor` runs them; a large input they share travels as a
:class:`Shared`, pickled once and unpickled once per worker process.
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import pickle
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any


def cpu_count() -> int:
    """Cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def _ignore_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # blocked since the fork: a pending one is dropped
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes, forked where the platform can (nothing re-imported).

    Forked workers start now, with SIGINT blocked until they ignore it: a Ctrl-C between
    the fork and their initializer would otherwise raise KeyboardInterrupt in a worker,
    which prints a traceback. In this process a Ctrl-C meanwhile is delivered just after."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_interrupt)
    if "fork" in methods and hasattr(signal, "pthread_sigmask"):
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            pool.submit(int).result()  # a fork context starts every worker at once
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
    return pool


def stop(pool: ProcessPoolExecutor) -> None:
    """Cancel the tasks not started and end the workers now, without waiting for theirs."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join()


@contextmanager
def workers_of(workers: int) -> Iterator[ProcessPoolExecutor | None]:
    """A process pool for the block (None for one worker: run here); on any exception,
    Ctrl-C included, the workers are stopped at once, else shut down once idle."""
    pool = process_pool(workers) if workers > 1 else None
    try:
        yield pool
    except BaseException:
        if pool is not None:
            stop(pool)
        raise
    if pool is not None:
        pool.shutdown()


def dask_executor(scheduler: str | None, workers: int) -> tuple[Executor, Callable[[], None]]:
    """An executor on a Dask ``distributed`` cluster: the scheduler at ``scheduler``
    (``tcp://host:port``), or a LocalCluster of ``workers`` single-threaded processes. Returns
    (executor, close)."""
    from solver.errors import UsageError

    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("--dask/--scheduler need Dask: pip install 'rackscale[dask]'") from None
    cluster = None
    if scheduler is None:  # its HTTP server on a free port: two clusters never clash on 8787
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
    try:
        client = Client(cluster if cluster is not None else scheduler)
    except (OSError, ValueError) as exc:
        raise UsageError(f"--scheduler {scheduler}: cannot connect ({exc})") from None

    def close() -> None:
        client.close()
        if cluster is not None:
            cluster.close()

    # pure=False: task keys are not hashed from their (large) arguments
    return client.get_executor(pure=False), close


@contextmanager
def executor_of(
    workers: int, dask: bool = False, scheduler: str | None = None
) -> Iterator[Executor | None]:
    """The executor the ``--workers``, ``--dask`` and ``--scheduler`` options ask for, for
    the block: a Dask cluster (closed after it), else a local pool (:func:`workers_of`)."""
    if not (dask or scheduler):
        with workers_of(workers) as pool:
            yield pool
        return
    executor, close = dask_executor(scheduler, workers)
    try:
        yield executor
    finally:
        close()


class Shared:
    """A value many tasks carry: pickled to bytes once however many tasks send them, and
    unpickled once per worker process (keyed by the bytes' hash); here, ``value`` as it is."""

    def __init__(self, value: Any):
        self.value = value

    @functools.cached_property
    def _pickled(self) -> tuple[str, bytes]:
        blob = pickle.dumps(self.value, protocol=pickle.HIGHEST_PROTOCOL)
        return hashlib.sha256(blob).hexdigest(), blob

    def __reduce__(self):
        return _unpickle_shared, self._pickled


_LOADED: dict[str, Shared] = {}
_KEEP = 64


def _unpickle_shared(digest: str, blob: bytes) -> Shared:
    shared = _LOADED.get(digest)
    if shared is None:
        import solver.units  # noqa: F401  (quantities unpickle into the package's registry)

        if len(_LOADED) >= _KEEP:
            _LOADED.pop(next(iter(_LOADED)))
        shared = _LOADED[digest] = Shared(pickle.loads(blob))
    return shared
