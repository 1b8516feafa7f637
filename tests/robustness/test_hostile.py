"""Hostile inputs are refused in bounded time and memory, read nothing outside themselves, write nothing.

Each hostile input is read with :func:`milepace.read_many` in a fresh process
(``tests/robustness/measure.py``), which reports the wall time and the extra
peak resident memory of that one read. Issue 8's bound: under 2 s and under
100 MiB extra, for every input.

File access is watched from outside with Linux inotify (``inotify(7)``):

* the local file the external-entity documents point at must never be opened;
* no file may appear in the reader's working folder, in the two folders above
  it (where ``../../x.fit`` members would land if extracted), or in its
  ``TMPDIR``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.robustness import badfiles as bf

LIMIT_S = 2.0
LIMIT_MIB = 100.0

HOSTILE = [f for f in bf.all_bad_files() if f.expect == "hostile"] + [
    f for f in bf.archive_bad_files() if f.name in ("escaping_names.zip", "nested_too_deep.zip")
]

IN_ACCESS, IN_MODIFY, IN_OPEN = 0x001, 0x002, 0x020
IN_MOVED_TO, IN_CREATE = 0x080, 0x100
_EVENT = struct.Struct("iIII")


class Inotify:
    """Minimal inotify(7) watcher through libc (no third-party package)."""

    def __init__(self) -> None:
        name = ctypes.util.find_library("c")
        self.libc = ctypes.CDLL(name, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self.paths: dict[int, str] = {}

    def watch(self, path: Path, mask: int) -> None:
        wd = self.libc.inotify_add_watch(self.fd, os.fsencode(path), mask)
        if wd < 0:
            raise OSError(ctypes.get_errno(), f"inotify_add_watch failed for {path}")
        self.paths[wd] = str(path)

    def events(self) -> list[tuple[str, int, str]]:
        """(watched path, mask, name) of every event so far."""
        out: list[tuple[str, int, str]] = []
        while True:
            try:
                buf = os.read(self.fd, 65536)
            except BlockingIOError:
                return out
            pos = 0
            while pos < len(buf):
                wd, mask, _cookie, length = _EVENT.unpack_from(buf, pos)
                name = (
                    buf[pos + _EVENT.size : pos + _EVENT.size + length].rstrip(b"\0").decode(errors="replace")
                )
                out.append((self.paths.get(wd, "?"), mask, name))
                pos += _EVENT.size + length

    def close(self) -> None:
        os.close(self.fd)


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    if not sys.platform.startswith("linux"):
        pytest.skip("inotify and /proc are Linux-only")
    base = tmp_path_factory.mktemp("hostile")
    inputs = base / "inputs"
    inputs.mkdir()
    secret = base / "secret.txt"
    secret.write_text(bf.LOCAL_SECRET + "\n")
    files = [f for f in HOSTILE if not f.name.startswith("external_entity")]
    files += [f for f in bf.xml_bad_files(str(secret)) if f.name.startswith("external_entity")]
    paths = []
    for f in files:
        (inputs / f.name).write_bytes(f.data)
        paths.append(str(inputs / f.name))
    # the reader runs two folders below a watched folder, with its own TMPDIR
    up2 = base / "up2"
    cwd = up2 / "up1" / "cwd"
    tmpdir = base / "tmp"
    cwd.mkdir(parents=True)
    tmpdir.mkdir()
    watcher = Inotify()
    try:
        watcher.watch(secret, IN_OPEN | IN_ACCESS)
        for folder in (up2, up2 / "up1", cwd, tmpdir, inputs):
            watcher.watch(folder, IN_CREATE | IN_MOVED_TO | IN_MODIFY)
        env = dict(os.environ, TMPDIR=str(tmpdir), PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
        proc = subprocess.run(
            [sys.executable, "-m", "tests.robustness.measure", *paths],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        events = watcher.events()
    finally:
        watcher.close()
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    by_name = {Path(r["path"]).name: r for r in rows}
    by_name["_events"] = {"events": events, "secret": str(secret)}
    return by_name


@pytest.mark.parametrize("name", [f.name for f in HOSTILE])
def test_refused_in_bounded_time_and_memory(name: str, measured: dict[str, dict]) -> None:
    row = measured[name]
    assert row["outcome"] == "ok", row
    assert row["seconds"] < LIMIT_S, f"{name}: {row['seconds']:.2f} s"
    assert row["extra_peak_mib"] < LIMIT_MIB, f"{name}: {row['extra_peak_mib']:.0f} MiB extra"
    results = row["results"]
    assert results and not any(r["unexpected"] for r in results)
    expected = next(f for f in HOSTILE if f.name == name)
    if expected.expect == "hostile":
        assert expected.error is not None
        wanted = {cls.__name__ for cls in expected.error.__subclasses__()} | {expected.error.__name__}
        assert any(r["error_type"] in wanted for r in results), results[:3]
    if name == "escaping_names.zip":
        assert [r["ok"] for r in results] == [True, True, True]


def test_nothing_outside_the_input_is_read_or_written(measured: dict[str, dict]) -> None:
    info = measured["_events"]
    events = info["events"]
    assert not [e for e in events if e[0] == info["secret"]], "the external entity's target was opened"
    assert events == [], f"files appeared or changed while reading: {events[:5]}"


def test_the_secret_never_appears_in_results(measured: dict[str, dict]) -> None:
    for name in ("external_entity.gpx", "external_entity.tcx"):
        assert bf.LOCAL_SECRET not in json.dumps(measured[name])
