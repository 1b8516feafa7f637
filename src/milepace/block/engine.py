"""Engines: where the per-file work runs. One seam, so a Dask engine plugs in without touching the rest.

An engine takes a picklable function and items and yields ``(item, result)``
pairs *as they finish* (so a progress bar moves), where ``result`` is the
function's return value or the exception that stopped it (a worker that
died). The block runner never needs to know which engine it has.

* :class:`SerialEngine` — in this process; used for a handful of files, where
  starting workers costs more than it saves.
* :class:`LocalEngine` — a process pool sized to the CPUs this process may
  use. Workers are forked from this process where that is safe (Linux,
  Python < 3.12, no other thread running: :func:`start_method`), else they
  come from a ``forkserver`` that has already imported the analysis code
  (safe next to other threads). Either way a worker starts in
  milliseconds instead of re-importing pandas. If a worker dies, the files it
  held are run again one at a time in a fresh pool: the file that kills a
  worker is reported against itself and nothing else is lost.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol, TypeVar

from ..errors import UsageError

T = TypeVar("T")
R = TypeVar("R")

PRELOAD = [
    "milepace.block.files",
    "milepace.block.remote",
    "milepace.analysis",
    "milepace.io",
    "milepace.io.fit",
    "milepace.io.gpx",
    "milepace.io.tcx",
    "milepace.report.session",
]
"""Modules the forkserver imports once so every worker starts with them loaded."""

START_METHOD_ENV = "MILEPACE_START_METHOD"
"""Environment variable that forces the local pool's start method (``fork``, ``forkserver``, ``spawn``)."""

SERIAL_BELOW = 4
""":func:`get_engine` runs fewer than this many files in-process (a pool costs up to ~1 s to start)."""


class Engine(Protocol):
    """What the block runner needs from an engine."""

    name: str
    workers: int

    def map_unordered(
        self, fn: Callable[[T], R], items: Iterable[T]
    ) -> Iterator[tuple[T, R | BaseException]]:
        """Yield ``(item, fn(item))`` — or ``(item, exception)`` — in completion order."""
        ...


def available_cpus() -> int:
    """CPUs this process may run on (affinity-aware), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def start_method() -> str:
    """How the local pool starts its workers: ``$MILEPACE_START_METHOD``, else ``fork`` or ``forkserver``.

    ``fork`` where it is safe and the interpreter's own default: Linux, Python
    before 3.12, and no thread in this process but the main one (another
    thread — a caller's server or GUI — could hold a lock a forked child would
    inherit held; ``milepace block`` redraws its progress bar without one). A
    forked worker has everything this process imported: a pool starts in
    ~20 ms instead of the forkserver's ~1 s of importing pandas and the
    readers. Otherwise ``forkserver``, whose workers start from a clean
    process that has imported :data:`PRELOAD` once.
    """
    chosen = os.environ.get(START_METHOD_ENV, "").strip().lower()
    if chosen:
        if chosen not in multiprocessing.get_all_start_methods():
            raise UsageError(
                f"{START_METHOD_ENV} must be one of {', '.join(multiprocessing.get_all_start_methods())}, "
                f"got {chosen!r}"
            )
        return chosen
    if sys.platform.startswith("linux") and sys.version_info < (3, 12) and threading.active_count() == 1:
        return "fork"
    return "forkserver"


class SerialEngine:
    """Run everything in this process, in order."""

    name = "serial"
    workers = 1

    def map_unordered(
        self, fn: Callable[[T], R], items: Iterable[T]
    ) -> Iterator[tuple[T, R | BaseException]]:
        """Yield ``(item, fn(item))`` one at a time; an exception is yielded, not raised."""
        for item in items:
            try:
                yield item, fn(item)
            except Exception as err:  # the engine contract: report, never stop the batch
                yield item, err


class LocalEngine:
    """A process pool on this machine.

    Parameters
    ----------
    workers
        Worker processes; defaults to :func:`available_cpus`.
    max_in_flight_per_worker
        Tasks queued per worker at a time (keeps memory flat on huge blocks
        while workers never wait for work).
    """

    name = "local"

    def __init__(self, workers: int | None = None, *, max_in_flight_per_worker: int = 8) -> None:
        if workers is not None and workers < 1:
            raise UsageError(f"workers must be at least 1, got {workers}")
        self.workers = workers or available_cpus()
        self.max_in_flight = max(1, self.workers * max_in_flight_per_worker)

    def _pool(self, workers: int) -> ProcessPoolExecutor:
        method = start_method()
        ctx = multiprocessing.get_context(method)
        if method == "forkserver":
            ctx.set_forkserver_preload(PRELOAD)
        elif method == "fork":
            # a child's exit flushes its copy of these buffers: print what is pending once, here
            sys.stdout.flush()
            sys.stderr.flush()
        return ProcessPoolExecutor(max_workers=workers, mp_context=ctx)

    def map_unordered(
        self, fn: Callable[[T], R], items: Iterable[T]
    ) -> Iterator[tuple[T, R | BaseException]]:
        """Yield ``(item, fn(item))`` in completion order; a dead worker's files are retried one by one."""
        queue = iter(items)
        while True:
            broken: list[T] = []
            yield from self._run(fn, queue, broken, self.workers, self.max_in_flight)
            if not broken:
                return
            # a worker died: the files in flight are run again one at a time, so the file that
            # kills a worker is found and reported and nothing else is lost; then the rest of the
            # queue goes on in a fresh pool
            yield from self._isolate(fn, broken)

    def _isolate(self, fn: Callable[[T], R], items: list[T]) -> Iterator[tuple[T, R | BaseException]]:
        """Run items one at a time, each in a pool of one, reporting each one that kills its worker."""
        queue = iter(items)
        while True:
            broken: list[T] = []
            yield from self._run(fn, queue, broken, 1, 1)
            if not broken:
                return
            yield broken[0], BrokenProcessPool("the worker process analysing this file died")

    def _run(
        self, fn: Callable[[T], R], todo: Iterable[T], broken: list[T], workers: int, max_in_flight: int
    ) -> Iterator[tuple[T, R | BaseException]]:
        """Run ``todo`` (consumed lazily, so the caller's generator runs while workers do) on a pool."""
        pending: dict[Future[R], T] = {}
        queue = iter(todo)
        exhausted = False
        pool = self._pool(workers)
        try:
            while True:
                while not exhausted and not broken and len(pending) < max_in_flight:
                    try:
                        item = next(queue)
                    except StopIteration:
                        exhausted = True
                        break
                    try:
                        pending[pool.submit(fn, item)] = item
                    except BrokenProcessPool:
                        broken.append(item)
                if not pending:
                    break
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    item = pending.pop(fut)
                    try:
                        yield item, fut.result()
                    except BrokenProcessPool:
                        broken.append(item)
                    except Exception as err:  # fn raised: report against the item
                        yield item, err
                if broken and not pending:
                    break  # the pool is dead; the caller goes on with the rest of the queue
        finally:
            # on an error or an interrupt, queued files are dropped at once; running ones finish
            pool.shutdown(wait=True, cancel_futures=True)


def get_engine(
    engine: str | Engine = "local",
    *,
    workers: int | None = None,
    n_items: int | None = None,
    scheduler: str | None = None,
) -> Engine:
    """Resolve an engine by name (``local``, ``serial``, ``dask``) or pass an engine object through.

    ``local`` with fewer than :data:`SERIAL_BELOW` items (or one worker) runs serially.
    ``dask`` is :class:`~milepace.block.dask_engine.DaskEngine` (imported only then): the
    cluster at ``scheduler``, or a LocalCluster of ``workers`` processes.
    """
    if not isinstance(engine, str):
        return engine
    name = engine.lower()
    if name == "dask":
        from .dask_engine import DaskEngine

        return DaskEngine(scheduler, workers=workers)
    if scheduler is not None:
        raise UsageError(f"a scheduler address is for the dask engine, not {engine!r}")
    if name == "serial":
        return SerialEngine()
    if name == "local":
        if workers == 1 or (n_items is not None and n_items < SERIAL_BELOW):
            return SerialEngine()
        return LocalEngine(workers)
    raise UsageError(f"engine must be 'local', 'serial' or 'dask', got {engine!r}")
