"""``milepace chart``: PNG and SVG by extension, the three kinds, one-line errors; matplotlib stays out of the rest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from milepace.cli import _register, app
from milepace.synth import simulate, write_fit


@pytest.fixture(scope="module")
def track_fit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("chart") / "track.fit"
    path.write_bytes(write_fit(simulate("track_4x400", seed=2, goal_mile_s=330.0, laps="none")))
    return path


@pytest.mark.parametrize(("kind", "name"), [("laps", "laps.png"), ("trace", "trace.svg")])
def test_writes_png_and_svg(track_fit: Path, tmp_path: Path, kind: str, name: str) -> None:
    _register()
    out = tmp_path / name
    result = CliRunner().invoke(
        app, ["chart", str(track_fit), "-o", str(out), "--kind", kind, "--goal-mile", "5:30"]
    )
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG") if name.endswith(".png") else b"<svg" in data[:2000]
    assert f"wrote {out}" in result.stdout


def test_trial_on_a_session_without_one_is_one_line_exit_2(track_fit: Path, tmp_path: Path) -> None:
    _register()
    result = CliRunner().invoke(
        app, ["chart", str(track_fit), "-o", str(tmp_path / "t.png"), "--kind", "trial"]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {track_fit}: needs a session with a time trial")
    assert "Traceback" not in result.output and not (tmp_path / "t.png").exists()


def test_bad_extension_bad_goal_and_missing_file(track_fit: Path, tmp_path: Path) -> None:
    _register()
    runner = CliRunner()
    bad_ext = runner.invoke(app, ["chart", str(track_fit), "-o", str(tmp_path / "x.pdf")])
    assert bad_ext.exit_code == 2 and "must end in .png or .svg" in bad_ext.stderr
    bad_goal = runner.invoke(
        app, ["chart", str(track_fit), "-o", str(tmp_path / "x.png"), "--goal-mile", "1:00"]
    )
    assert bad_goal.exit_code == 2 and "--goal-mile" in bad_goal.stderr
    missing = runner.invoke(app, ["chart", str(tmp_path / "none.fit"), "-o", str(tmp_path / "x.png")])
    assert missing.exit_code == 2 and missing.stderr.startswith("error: ")
    assert "Traceback" not in missing.output


def test_import_and_info_do_not_import_matplotlib(track_fit: Path) -> None:
    code = (
        "import sys, io, contextlib\n"
        "import milepace\n"
        "from milepace.cli import _register, app\n"
        "_register()\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        f"        app(['info', {str(track_fit)!r}])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('matplotlib' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_block_chart_option_writes_the_weekly_chart(sample_data: Path, tmp_path: Path) -> None:
    _register()
    out = tmp_path / "weekly.svg"
    args = ["block", str(sample_data / "strava_export.zip"), "--goal-mile", "5:30", "--no-cache"]
    result = CliRunner().invoke(app, [*args, "--engine", "serial", "-q", "--chart", str(out)])
    assert result.exit_code == 0, result.output
    assert b"<svg" in out.read_bytes()[:2000]
    bad = CliRunner().invoke(app, [*args, "--engine", "serial", "-q", "--chart", str(tmp_path / "w.gif")])
    assert bad.exit_code == 2 and "--chart" in bad.stderr
