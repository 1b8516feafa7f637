"""``milepace paces``: the table, JSON, and one-line usage errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from milepace.cli import _register, app

_register()
runner = CliRunner()


def test_table_shows_goal_splits() -> None:
    result = runner.invoke(app, ["paces", "--goal-mile", "5:30"])
    assert result.exit_code == 0, result.output
    # 5:30 mile: 400 m in 82.0 s, 800 m in 2:44.0, 200 m in 41.0 s (330 * d / 1609.344)
    mile_line = next(line for line in result.output.splitlines() if "│ mile" in line)
    assert "82.0" in mile_line and "2:44.0" in mile_line and "41.0" in mile_line
    assert "VDOT 53.4" in result.output


def test_json_riegel_race_anchor() -> None:
    result = runner.invoke(app, ["paces", "--race", "5k=18:37", "--model", "riegel", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["model"] == "riegel" and data["anchor"] == "5k" and data["anchor_time_s"] == 1117.0
    five = next(p for p in data["paces"] if p["name"] == "5k")
    # 1117 s / 5000 m * 1609.344 = 359.53 s/mile
    assert five["pace_s_per_mile"] == pytest.approx(359.53, abs=0.01)
    assert {"split_200m_s", "split_400m_s", "split_800m_s", "split_1200m_s", "split_mile_s"} <= set(five)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give --goal-mile"),
        (["--race", "5k=abc"], "expected a time"),
        (["--goal-mile", "5:30", "--model", "magic"], "--model"),
        (["--goal-mile", "0:30"], "plausible"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["paces", *args])
    assert result.exit_code == 2
    err = result.stderr if hasattr(result, "stderr") else result.output
    assert message in err
    assert "Traceback" not in result.output
