"""Local worker processes that Ctrl-C ends cleanly.

A terminal sends Ctrl-C (SIGINT) to every process of the foreground group, workers included.
Workers here ignore it: the parent alone is interrupted, cancels the tasks not started and
ends the workers at once, so no worker is orphaned and none prints a traceback.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager


def _ignore_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes, forked where the platform can (nothing re-imported)."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_interrupt)


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
