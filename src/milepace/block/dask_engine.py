"""The Dask engine: per-file work submitted to a ``dask.distributed`` cluster, results streamed back.

:class:`DaskEngine` fulfils the same :class:`~milepace.block.engine.Engine`
contract as the local process pool: it takes a picklable function and items
and yields ``(item, result)`` — or ``(item, exception)`` — *as they finish*,
so the block runner, its cache and its progress bar do not know which engine
they have.

* **Where.** ``scheduler="tcp://host:8786"`` (or any address
  :class:`distributed.Client` accepts) uses a running cluster; without one a
  :class:`distributed.LocalCluster` of ``workers`` single-threaded worker
  processes is started for the run and closed after it. An existing
  ``client`` can be passed instead (it is left open).
* **Flow.** At most ``max_in_flight_per_thread`` tasks per worker thread are
  submitted at a time and topped up as results arrive, so a million-file
  manifest never puts a million futures on the scheduler, and each result is
  released as soon as it is read.
* **Failures.** A task that raises is yielded as its exception. A worker that
  dies takes the tasks it held with it; the scheduler retries them and, after
  ``allowed-failures``, gives up with :class:`distributed.KilledWorker` — which
  can land on an innocent file queued next to the culprit. Every such file is
  therefore run once more *alone* after the main stream: the innocent ones
  finish, the file that kills its worker is reported against itself, and
  nothing else is lost.

Dask is an optional extra (``pip install 'milepace[dask]'``); this module is
imported only when ``engine="dask"`` is asked for, and names a missing
install in one sentence.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import UsageError
from .engine import available_cpus

if TYPE_CHECKING:
    from distributed import Client

T = TypeVar("T")
R = TypeVar("R")

LOCAL_ALLOWED_FAILURES = 1
"""Deaths a task may cause on a :class:`~distributed.LocalCluster` started here before it is given up.

On one machine a worker that dies is almost always killed by the file it was
reading (a crash in a C extension, memory); one retry elsewhere, then the
lone re-run of :class:`DaskEngine`, are enough. A cluster given by address
keeps its own ``distributed.scheduler.allowed-failures`` (Dask's default: 3)."""


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as err:  # the optional extra is not installed
        raise UsageError(
            "engine 'dask' needs dask.distributed, which is not installed (pip install 'milepace[dask]')"
        ) from err
    return distributed


class DaskEngine:
    """Run the per-file work on a ``dask.distributed`` cluster.

    Parameters
    ----------
    scheduler
        Scheduler address (``tcp://10.0.0.5:8786``, a scheduler-file path is not
        accepted); ``None`` starts a :class:`~distributed.LocalCluster` for the run.
    workers
        Worker processes of the local cluster (default :func:`~milepace.block.engine.available_cpus`);
        ignored with ``scheduler`` or ``client``.
    client
        An open :class:`distributed.Client` to use (and leave open).
    processes
        Local cluster workers as processes (default) or as threads of this process
        (``False``: starts in milliseconds and sees this process's in-memory
        filesystems, but the analysis then shares one interpreter lock).
    max_in_flight_per_thread
        Files submitted ahead per worker thread [files] (at least two tasks per thread).
    files_per_task
        Files analysed by one Dask task [files]. The scheduler and client spend about a
        millisecond or a few per task whatever it holds, so beyond a few dozen workers, where
        that cost caps the files per second, several files per task divide it (see the
        "Running on a cluster" notes); progress then moves a task at a time, and a task whose
        worker dies has each of its files run again alone.

    Examples
    --------
    >>> from milepace.block.dask_engine import DaskEngine
    >>> engine = DaskEngine(workers=2)                                   # doctest: +SKIP
    >>> milepace.block("export.zip", goal_mile="5:30", engine=engine)    # doctest: +SKIP
    """

    name = "dask"

    def __init__(
        self,
        scheduler: str | None = None,
        *,
        workers: int | None = None,
        client: Client | None = None,
        processes: bool = True,
        max_in_flight_per_thread: int = 16,
        files_per_task: int = 1,
    ) -> None:
        if workers is not None and workers < 1:
            raise UsageError(f"workers must be at least 1, got {workers}")
        if files_per_task < 1:
            raise UsageError(f"files_per_task must be at least 1, got {files_per_task}")
        if max_in_flight_per_thread < 1:
            raise UsageError(f"max_in_flight_per_thread must be at least 1, got {max_in_flight_per_thread}")
        self.scheduler = scheduler
        self.client = client
        self.processes = processes
        self.max_in_flight_per_thread = max_in_flight_per_thread
        self.files_per_task = files_per_task
        self.workers = workers or (1 if scheduler or client else available_cpus())
        """Workers of the cluster (for a cluster given by address: as counted when the run connected)."""
        self.threads = self.workers
        self.submitted = 0
        """Tasks submitted by the last :meth:`map_unordered` (lone re-runs included) [tasks]."""
        self.rerun = 0
        """Items re-run alone after their worker died in the last :meth:`map_unordered` [items]."""

    # ------------------------------------------------------------------ connection
    def _connect(self) -> tuple[Client, Callable[[], None]]:
        """A client and how to close what was opened for this run."""
        distributed = _import_distributed()
        if self.client is not None:
            return self.client, lambda: None
        if self.scheduler:
            try:
                client = distributed.Client(self.scheduler, timeout="30s")
            except (OSError, TimeoutError, ValueError) as err:
                raise UsageError(
                    f"cannot connect to the Dask scheduler at {self.scheduler!r} ({err})"
                ) from None
            return client, client.close
        cluster = distributed.LocalCluster(
            n_workers=self.workers,
            threads_per_worker=1,
            processes=self.processes,
            dashboard_address=None,
            silence_logs=logging.CRITICAL,
            # no dashboard; its small HTTP server on a free port, not 8787 (two runs at once would clash)
            scheduler_kwargs={
                "allowed_failures": LOCAL_ALLOWED_FAILURES,
                "dashboard": False,
                "dashboard_address": ":0",
            },
        )
        client = distributed.Client(cluster)

        def close() -> None:
            client.close()
            cluster.close()

        return client, close

    def _count(self, client: Client) -> None:
        nthreads = client.nthreads()
        if nthreads:
            self.workers = len(nthreads)
            self.threads = max(1, sum(nthreads.values()))

    # ------------------------------------------------------------------ the contract
    def map_unordered(
        self, fn: Callable[[T], R], items: Iterable[T]
    ) -> Iterator[tuple[T, R | BaseException]]:
        """Yield ``(item, fn(item))`` — or ``(item, exception)`` — in completion order.

        Parameters
        ----------
        fn
            A picklable module-level function (the workers import it by name).
        items
            Picklable work items; consumed lazily, a bounded number ahead.
        """
        todo = iter(items)
        first = next(todo, None)
        if first is None:
            return
        distributed = _import_distributed()
        client, close = self._connect()
        self.submitted = 0
        self.rerun = 0
        try:
            self._count(client)
            lost: list[T] = []
            yield from self._stream(client, fn, _chain(first, todo), lost, distributed)
            # a worker died under these: run each alone, so only the file that kills its worker fails
            self.rerun = len(lost)
            for item in lost:
                yield from self._stream(client, fn, iter([item]), None, distributed)
        finally:
            close()

    def _stream(
        self,
        client: Client,
        fn: Callable[[T], R],
        items: Iterator[T],
        lost: list[T] | None,
        distributed: Any,
    ) -> Iterator[tuple[T, R | BaseException]]:
        """Submit a bounded window of tasks, yield each as it finishes, top the window up.

        Tasks go out in batches (one ``Client.map`` message when the window is half empty) and
        come back in batches (every future finished since the last look, one ``gather``), so the
        client's round trips do not grow with the number of files.
        """
        size = self.files_per_task if lost is not None else 1
        limit = (
            max(2 * self.threads, self.threads * self.max_in_flight_per_thread // size)
            if lost is not None
            else 1
        )
        jobs = _batches(items, size)
        pending: dict[Any, tuple[Any, list[T]]] = {}
        finished = distributed.as_completed()
        exhausted = False

        def top_up() -> None:
            nonlocal exhausted
            if exhausted or len(pending) > limit // 2:
                return
            batch = list(itertools.islice(jobs, limit - len(pending)))
            if len(batch) < limit - len(pending):
                exhausted = True
            if not batch:
                return
            futures = client.map(run_batch, batch, fn=fn, pure=False)
            self.submitted += len(futures)
            for future, job in zip(futures, batch, strict=True):
                pending[future.key] = (future, job)
            finished.update(futures)

        top_up()
        try:
            for done in finished.batches():
                values = _gather(client, [f for f in done if f.status == "finished"])
                for future in done:
                    _, job = pending.pop(future.key)
                    if future.key in values:
                        outcomes: list[Any] = values[future.key]
                    else:
                        outcomes = [_failure(future, future.status, distributed)] * len(job)
                    for item, outcome in zip(job, outcomes, strict=True):
                        if lost is not None and isinstance(outcome, WorkerDied):
                            lost.append(item)
                        else:
                            yield item, outcome
                for future in done:
                    future.release()  # results read: the workers may forget them
                top_up()
        finally:
            # an error or an interrupt in the caller: queued tasks are dropped at once
            if pending:
                finished.clear()
                client.cancel([future for future, _ in pending.values()], force=True)


def run_batch(items: list[T], fn: Callable[[T], R]) -> list[R | BaseException]:
    """The Dask task: ``fn`` over a few items, each exception kept against its own item."""
    out: list[R | BaseException] = []
    for item in items:
        try:
            out.append(fn(item))
        except Exception as err:  # the engine contract: report, never stop the batch
            out.append(err)
    return out


def _batches(items: Iterator[T], size: int) -> Iterator[list[T]]:
    while batch := list(itertools.islice(items, size)):
        yield batch


def _gather(client: Client, futures: list[Any]) -> dict[Any, Any]:
    """Results of finished futures by key: one round trip, or one each if some result was lost."""
    if not futures:
        return {}
    try:
        return dict(zip([f.key for f in futures], client.gather(futures), strict=True))
    except Exception:  # a result's worker died after finishing: the others one by one
        values = {}
        for future in futures:
            try:
                values[future.key] = future.result()
            except Exception:  # left to :func:`_failure`
                pass
        return values


class WorkerDied(RuntimeError):
    """The worker process analysing an item died (a crash in a C extension, memory, a kill)."""


def _failure(future: Any, status: str, distributed: Any) -> BaseException:
    """The exception a future ended with: the task's own, :class:`WorkerDied`, or a cancellation."""
    if status == "error":
        try:
            exc = future.exception()
        except Exception as err:  # the exception itself could not be fetched or unpickled
            return err
        if isinstance(exc, distributed.KilledWorker):
            return WorkerDied("the Dask worker analysing this file died")
        if isinstance(exc, BaseException):
            return exc
    if status == "finished":  # finished, but its worker died before the result was fetched
        return WorkerDied("the Dask worker holding this file's result died")
    return RuntimeError(f"the Dask task ended as {status!r} without a result")


def _chain(first: T, rest: Iterator[T]) -> Iterator[T]:
    yield first
    yield from rest
