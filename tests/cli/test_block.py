"""``milepace block``: tables, --json, --csv, --markdown, exit codes, one-line errors, rule overrides.

The per-file analysis is faked (see ``tests/block/test_run.py``) so these tests
are about the command; the real pipeline is exercised in
``tests/block/test_block_synthetic.py``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import milepace.cli
from milepace.block import files as block_files
from milepace.cli import app
from tests.block.test_run import GOOD, FakeReader


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MILEPACE_CACHE_DIR", str(tmp_path_factory.mktemp("milepace-cache")))


@pytest.fixture()
def block_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(block_files, "_analyze", FakeReader())
    folder = tmp_path / "runs"
    for name, data in GOOD.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def run_block(*args: str) -> tuple[int, str, str]:
    milepace.cli._register()
    result = CliRunner().invoke(app, ["block", *args, "--engine", "serial"])
    return result.exit_code, result.stdout, result.stderr


def test_tables_in_order_and_exit_zero(block_dir: Path) -> None:
    code, out, err = run_block(str(block_dir), "--goal-mile", "5:30")
    assert code == 0, err
    positions = [out.index(title) for title in ("Weeks", "Activities", "Checks")]
    assert positions == sorted(positions)
    assert "2026-W10" in out and "2026-W11" in out
    assert "block: every file was read" in out
    assert "analysing" not in err  # no progress bar when stderr is not a terminal


def test_bad_file_exit_one_with_one_line_error(block_dir: Path) -> None:
    (block_dir / "broken.fit").write_bytes(b"\x00 not a watch file")
    code, out, err = run_block(str(block_dir), "--goal-mile", "5:30")
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert lines == [f"error: {block_dir / 'broken.fit'}: is not FIT, GPX or TCX (starts with random bytes)"]
    assert "Traceback" not in err
    assert "Activities" in out  # the good files are still reported


def test_json_is_one_document(block_dir: Path) -> None:
    code, out, err = run_block(str(block_dir), "--goal-mile", "5:30", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert set(doc) >= {"activities", "weeks", "checks", "errors"}
    assert [w["week"] for w in doc["weeks"]] == ["2026-W10", "2026-W11"]
    assert len(doc["activities"]) == len(GOOD)
    assert doc["goal_mile_s"] == 330.0


def test_csv_dir(block_dir: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "csv"
    code, _, err = run_block(str(block_dir), "--goal-mile", "5:30", "--csv", str(out_dir))
    assert code == 0, err
    with open(out_dir / "weeks.csv", newline="") as fh:
        weeks = list(csv.DictReader(fh))
    assert [w["week"] for w in weeks] == ["2026-W10", "2026-W11"]
    with open(out_dir / "activities.csv", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == len(GOOD)


def test_markdown(block_dir: Path) -> None:
    code, out, err = run_block(str(block_dir), "--goal-mile", "5:30", "--markdown")
    assert code == 0, err
    assert "## Weeks" in out and "## Activities" in out and "| week |" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--goal-mile", "fast"], "--goal-mile"),
        (["--goal-mile", "5:30", "--rule", "weekly_min_mi"], "--rule needs NAME=VALUE"),
        (["--goal-mile", "5:30", "--rule", "no_such=3"], "unknown rule setting"),
        (["--goal-mile", "5:30", "--json", "--markdown"], "choose one"),
        (["--goal-mile", "5:30", "--since", "yesterday"], "expected a date"),
    ],
)
def test_usage_errors_exit_two(block_dir: Path, args: list[str], message: str) -> None:
    code, _, err = run_block(str(block_dir), *args)
    assert code == 2
    assert err.startswith("error: ") and message in err
    assert "Traceback" not in err


def test_rule_override_changes_a_verdict(block_dir: Path) -> None:
    # two short weeks of 22 and 17 mi: under 40 mi warns, under 15 mi does not
    _, out, _ = run_block(str(block_dir), "--goal-mile", "5:30", "--json")
    before = [c for c in json.loads(out)["checks"] if c["rule"] == "weekly_distance" and c["scope"] == "week"]
    _, out, _ = run_block(str(block_dir), "--goal-mile", "5:30", "--json", "--rule", "weekly_min_mi=15")
    after = [c for c in json.loads(out)["checks"] if c["rule"] == "weekly_distance" and c["scope"] == "week"]
    assert [c["status"] for c in before] == ["warn", "warn"]
    assert [c["status"] for c in after] == ["pass", "pass"]
