"""``milepace analyze --json``: one line per file in order, errors as lines, exit code 2 at the end."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from milepace.cli import _register, app
from milepace.synth import simulate, write_fit


def test_json_lines_in_order_with_an_error(tmp_path: Path) -> None:
    _register()
    good = tmp_path / "good.fit"
    good.write_bytes(write_fit(simulate("track_4x400", seed=2, goal_mile_s=330.0, laps="none")))
    bad = tmp_path / "bad.fit"
    bad.write_bytes(b"this is not a FIT file at all")
    result = CliRunner().invoke(app, ["analyze", str(bad), str(good), "--goal-mile", "5:30", "--json"])
    assert result.exit_code == 2
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    assert [x["status"] for x in lines] == ["error", "ok"]
    assert lines[0]["file"] == str(bad) and lines[0]["error"]
    assert "Traceback" not in result.output
    ok = lines[1]
    assert ok["goal_mile_s"] == 330.0
    assert len(ok["efforts"]) == 4
    assert all(e["kind"] == "interval" and e["target_pace_s_per_mile"] == 330.0 for e in ok["efforts"])
    assert ok["efforts"][-1]["recovery"] is None
    assert all(e["start"].endswith("Z") for e in ok["efforts"])
