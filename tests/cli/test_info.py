"""``milepace info``: tables, JSON Lines, one-line errors, exit codes, warnings, and no matplotlib."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import milepace.cli
from milepace.cli import app
from tests.conftest import REALDATA
from tests.io._fakes import GPX, TCX, Calls, install_fake_readers


@pytest.fixture
def fake_readers(monkeypatch: pytest.MonkeyPatch) -> Calls:
    return install_fake_readers(monkeypatch)


def run_info(*args: str) -> tuple[int, str, str]:
    milepace.cli._register()
    result = CliRunner().invoke(app, ["info", *args])
    return result.exit_code, result.stdout, result.stderr


def test_table_output(tmp_path: Path, fake_readers: Calls) -> None:
    path = tmp_path / "easy.gpx"
    path.write_bytes(GPX)
    code, out, err = run_info(str(path))
    assert code == 0, err
    assert str(path) in out
    for label in (
        "format",
        "device",
        "sport",
        "start (UTC)",
        "start (local)",
        "duration",
        "distance",
        "channels",
    ):
        assert label in out
    # the fake activity starts 2024-01-03T06:01:02Z and has no UTC offset
    assert "2024-01-03T06:01:02Z" in out and "unknown" in out
    assert err == ""


def test_json_lines_in_input_order_with_errors(tmp_path: Path, fake_readers: Calls) -> None:
    good = tmp_path / "a.gpx"
    good.write_bytes(GPX)
    empty = tmp_path / "b.fit"
    empty.write_bytes(b"")
    other = tmp_path / "c.tcx"
    other.write_bytes(TCX)
    code, out, err = run_info("--json", str(good), str(empty), str(tmp_path / "missing.fit"), str(other))
    assert code == 2
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(d["file"], d["status"]) for d in lines] == [
        (str(good), "ok"),
        (str(empty), "error"),
        (str(tmp_path / "missing.fit"), "error"),
        (str(other), "ok"),
    ]
    assert lines[0]["error"] is None and lines[0]["format"] == "gpx" and lines[0]["records"] == 3
    assert lines[1]["error"] == "the file is empty (0 bytes)"
    assert err.splitlines() == [
        f"error: {empty}: the file is empty (0 bytes)",
        f"error: {tmp_path / 'missing.fit'}: no such file or folder",
    ]
    assert "Traceback" not in out + err


def test_sources_are_reported_as_given(
    tmp_path: Path, fake_readers: Calls, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.gpx").write_bytes(GPX)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_info("--json", "./a.gpx", "./nothing.fit")
    assert code == 2
    assert [json.loads(line)["file"] for line in out.splitlines()] == ["./a.gpx", "./nothing.fit"]


def test_archive_members_get_one_line_each(tmp_path: Path, fake_readers: Calls) -> None:
    import zipfile

    path = tmp_path / "runs.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("one.gpx", GPX)
        zf.writestr("two.tcx.gz", gzip.compress(TCX))
    code, out, _ = run_info("--json", str(path))
    assert code == 0
    assert [json.loads(line)["file"] for line in out.splitlines()] == [
        f"{path}!one.gpx",
        f"{path}!two.tcx.gz",
    ]


def test_warnings_are_short_lines_not_python_warnings(tmp_path: Path, fake_readers: Calls) -> None:
    packed = gzip.compress(GPX * 100)
    path = tmp_path / "cut.gpx.gz"
    path.write_bytes(packed[: len(packed) // 2])
    code, _, err = run_info(str(path))
    assert code == 0
    [line] = err.splitlines()
    assert line.startswith(f"warning: {path}: the gzip stream is cut short")
    assert "DataQualityWarning" not in err and ".py:" not in err


def test_unexpected_reader_failure_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from milepace.io import registry

    def broken(data: bytes, source: str) -> None:
        raise KeyError("lap")

    monkeypatch.setattr(registry, "_reader", lambda fmt: broken)
    path = tmp_path / "a.gpx"
    path.write_bytes(GPX)
    code, _, err = run_info(str(path))
    assert code == 2
    assert err.startswith(f"error: {path}: the reader failed unexpectedly (KeyError")
    assert "Traceback" not in err


_PROBE = """
import atexit, sys
atexit.register(lambda: print("MATPLOTLIB_LOADED=" + str("matplotlib" in sys.modules), file=sys.stderr))
sys.argv = ["milepace", "info", *sys.argv[1:]]
from milepace.cli import main
main()
"""


def test_info_does_not_import_matplotlib(tmp_path: Path) -> None:
    files = [tmp_path / "junk.fit"]
    files[0].write_bytes(b"\x00" * 64)
    real = REALDATA / "python-fitparse" / "garmin-fenix-5-run.fit"
    if real.is_file():
        files.append(real)  # a real FIT through the real reader
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, *map(str, files)], capture_output=True, text=True, timeout=240
    )
    assert "MATPLOTLIB_LOADED=False" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["info", "a.fit"], (["a.fit"], False)),
        (["info", "--json", "a.fit", "b.gpx"], (["a.fit", "b.gpx"], True)),
        (["info", "a.fit", "--json"], (["a.fit"], True)),
        (["info"], None),  # typer reports the missing argument
        (["info", "--json"], None),
        (["info", "--help"], None),
        (["info", "a.fit", "--jsn"], None),  # typer reports the unknown option
        (["info", "-"], None),
        (["analyze", "a.fit"], None),
        ([], None),
    ],
)
def test_plain_info_call(argv: list[str], expected: tuple[list[str], bool] | None) -> None:
    assert milepace.cli._plain_info_call(argv) == expected


_MAIN = """
import sys
sys.argv = ["milepace", *sys.argv[1:]]
from milepace.cli import main
try:
    main()
finally:
    print("TYPER_LOADED=" + str("typer" in sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize("as_json", [False, True])
def test_plain_call_prints_what_the_typer_command_prints(tmp_path: Path, as_json: bool) -> None:
    from milepace.synth import simulate, write_fit

    good = tmp_path / "run.fit"
    good.write_bytes(write_fit(simulate("easy", seed=2, duration_s=600.0)))
    missing = tmp_path / "missing.fit"
    milepace.cli._register()
    for files, code, typer_loaded in (([good], 0, False), ([good, missing], 2, True)):
        args = ["info", *(["--json"] if as_json else []), *map(str, files)]
        proc = subprocess.run(
            [sys.executable, "-c", _MAIN, *args],
            capture_output=True,
            text=True,
            timeout=240,
            env={**os.environ, "COLUMNS": "80"},
        )
        # typer is imported only to print an error line (cli/_common.py imports it)
        assert f"TYPER_LOADED={typer_loaded}" in proc.stderr
        via_typer = CliRunner().invoke(app, args, env={"COLUMNS": "80"})
        assert proc.returncode == via_typer.exit_code == code
        assert proc.stdout == via_typer.stdout
        assert proc.stderr.replace(f"TYPER_LOADED={typer_loaded}\n", "") == via_typer.stderr
