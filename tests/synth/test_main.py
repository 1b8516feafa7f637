"""``python -m milepace.synth FOLDER`` regenerates the sample data, byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from milepace.synth.__main__ import SAMPLES, main
from tests.conftest import SAMPLE_DATA


def test_generate_matches_committed_sample_data(tmp_path: Path) -> None:
    assert main([str(tmp_path)]) == 0
    for f in sorted(tmp_path.iterdir()):
        committed = SAMPLE_DATA / f.name
        assert committed.is_file(), f"{f.name} is missing from sample_data/"
        assert committed.read_bytes() == f.read_bytes(), f"sample_data/{f.name} is stale: regenerate it"


def test_sample_truth_lists_every_file() -> None:
    truth = json.loads((SAMPLE_DATA / "truth.json").read_text())
    files = {t["file"] for t in truth}
    assert {s.file for s in SAMPLES} <= files
    assert sum(f.startswith("strava_export.zip!") for f in files) == 8
    six = next(t for t in truth if t["file"] == "track_6x800.fit")
    assert [round(e["distance_m"], 3) for e in six["efforts"]] == [800.0] * 6
    assert sum(f.stat().st_size for f in SAMPLE_DATA.iterdir()) < 2_000_000


def test_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage" in capsys.readouterr().err
