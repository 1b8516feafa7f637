"""Engines: every item comes back once, in completion order, and a dying worker loses no other item."""

from __future__ import annotations

import os

import pytest

from milepace.block.engine import LocalEngine, SerialEngine, get_engine
from milepace.errors import UsageError


def square(x: int) -> int:
    return x * x


def die_on_three(x: int) -> int:
    if x == 3:
        os._exit(13)  # the worker process dies, as a segfault in a C extension would
    return x * x


def raise_on_two(x: int) -> int:
    if x == 2:
        raise RuntimeError("boom")
    return x


def test_serial_engine_yields_results_and_exceptions() -> None:
    out = dict(SerialEngine().map_unordered(raise_on_two, [1, 2, 3]))
    assert out[1] == 1 and out[3] == 3
    assert isinstance(out[2], RuntimeError)


def test_local_engine_returns_every_item() -> None:
    out = dict(LocalEngine(2).map_unordered(square, range(20)))
    assert out == {i: i * i for i in range(20)}


def test_local_engine_reports_a_dead_worker_and_finishes_the_rest() -> None:
    out = dict(LocalEngine(2, max_in_flight_per_worker=2).map_unordered(die_on_three, range(8)))
    assert set(out) == set(range(8))
    assert isinstance(out[3], BaseException)
    assert "died" in str(out[3])
    assert all(out[i] == i * i for i in range(8) if i != 3)


def test_get_engine() -> None:
    assert get_engine("local", n_items=2).name == "serial"  # not worth starting workers
    assert get_engine("local", n_items=100, workers=2).name == "local"
    assert get_engine("local", n_items=100, workers=1).name == "serial"
    engine = SerialEngine()
    assert get_engine(engine) is engine
    with pytest.raises(UsageError):
        get_engine("dask-please")
    with pytest.raises(UsageError):
        LocalEngine(0)


def test_after_a_death_the_rest_runs_in_a_full_pool() -> None:
    # item 1 kills its worker early; the other 30 still all come back, most from a fresh 2-worker pool
    out = dict(LocalEngine(2, max_in_flight_per_worker=1).map_unordered(die_on_one, iter(range(31))))
    assert set(out) == set(range(31))
    assert isinstance(out[1], BaseException)
    assert all(out[i] == i for i in range(31) if i != 1)


def die_on_one(x: int) -> int:
    if x == 1:
        os._exit(13)
    return x


def test_start_method_forks_only_without_other_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import threading

    from milepace.block.engine import START_METHOD_ENV, start_method

    monkeypatch.delenv(START_METHOD_ENV, raising=False)
    can_fork = sys.platform.startswith("linux") and sys.version_info < (3, 12)
    with monkeypatch.context() as m:  # other tests may leave a thread behind (a pool's manager, Dask)
        m.setattr(threading, "active_count", lambda: 1)
        assert start_method() == ("fork" if can_fork else "forkserver")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)  # a progress bar's refresh thread, say
    other.start()
    try:
        assert start_method() == "forkserver"
    finally:
        stop.set()
        other.join()
    monkeypatch.setenv(START_METHOD_ENV, "spawn")
    assert start_method() == "spawn"
    monkeypatch.setenv(START_METHOD_ENV, "teleport")
    with pytest.raises(UsageError, match="teleport"):
        start_method()


@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_local_engine_under_each_start_method(monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    import multiprocessing

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} here")
    monkeypatch.setenv("MILEPACE_START_METHOD", method)
    out = dict(LocalEngine(2).map_unordered(die_on_three, range(6)))
    assert {k: v for k, v in out.items() if k != 3} == {i: i * i for i in range(6) if i != 3}
    assert isinstance(out[3], BaseException)
