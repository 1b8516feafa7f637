"""The reporter on real detection output over the shared corpus: it never fails and keeps the contract.

These check invariants only (every effort reported once, contract keys kept,
splits add up); the corpus numbers themselves are detection's to score.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import pytest

from milepace.errors import MilepaceError
from milepace.plan.grammar import parse_plan
from milepace.render.table import render_session
from milepace.report.session import session_report

# plans by template, written as a coach would for each kind of session
PLANS = {
    "track_400s": "8x400m@mile/400m jog",
    "track_200s": "8x200m@mile/200m jog",
    "track_800s": "6x800m@mile/400m jog",
    "track_mixed": "1x800m@3k/800m jog, 4x400m@5k/30s jog",
    "track_1200s": "4x1200m@3k/800m jog",
    "time_trial": "1mi@mile",
    "road_fartlek": "6x1min@3k/1min jog, 6x45s@mile/45s jog, 6x30s@1500/30s jog",
    "road_threshold": "2x2mi@T/1mi jog",
    "road_combo": "4x(0.75mi@T, 0.25mi@mile)/0.25mi jog",
    "easy_strides": "6x20s strides/60s walk",
    "hill_sprints": "8x10s hill/walk down",
    "hill_repeats": "10x10s hill/walk down",
}
CONTRACT_EFFORT_KEYS = {
    "index",
    "kind",
    "start",
    "end",
    "duration_s",
    "distance_m",
    "measured_distance_m",
    "pace_s_per_mile",
    "target_pace_s_per_mile",
    "delta_s_per_mile",
    "recovery",
}
DEFAULT_TEMPLATES = ("track_800s", "road_fartlek", "easy_strides", "hill_repeats", "time_trial")


def _check_file(corpus: Path, entry: dict) -> bool:
    """Check the report on one file; False when the file cannot be analysed (a reader's business)."""
    import milepace

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            analysis = milepace.analyze(corpus / entry["file"], goal_mile=entry["goal_mile_s"])
        except MilepaceError:
            return False
    plan = PLANS.get(entry["template"])
    for p in (plan, None):
        report = session_report(analysis, goal_mile_s=entry["goal_mile_s"], plan=p)
        assert [r.effort_index for r in report.reps] == [e.index for e in analysis.efforts]
        if p is not None:
            # every planned rep is either matched once or listed as missed
            matched = [r.plan_index for r in report.reps if r.plan_index is not None]
            assert len(matched) == len(set(matched))
            assert len(matched) + len(report.missed) == len(parse_plan(p).expand())
        for r in report.reps:
            assert r.verdict in ("on-target", "fast", "slow", "no-target")
            if r.verdict != "no-target":
                assert abs(r.delta_s) <= r.tolerance_s or r.verdict != "on-target"
        if report.time_trial is not None:
            assert math.isclose(sum(report.time_trial.split_s), report.time_trial.duration_s, abs_tol=1e-6)
        data = json.loads(render_session(report, "json", file=entry["file"]))
        assert {"file", "status", "error", "activity", "goal_mile_s", "efforts"} <= set(data)
        assert len(data["efforts"]) == len(analysis.efforts)
        for effort in data["efforts"]:
            assert CONTRACT_EFFORT_KEYS <= set(effort)
        assert render_session(report, "csv").count("\n") == len(analysis.efforts) + 1
        assert render_session(report, "table")
    return True


def _entries(corpus: Path) -> list[dict]:
    return json.loads((corpus / "truth.json").read_text())


@pytest.mark.corpus
def test_report_on_one_session_of_each_closing_note_kind(corpus: Path) -> None:
    entries = _entries(corpus)
    for template in DEFAULT_TEMPLATES:
        # the first session of this kind that the readers can read
        assert any(_check_file(corpus, e) for e in entries if e["template"] == template), template


@pytest.mark.corpus
@pytest.mark.slow
def test_report_on_the_whole_corpus(corpus: Path) -> None:
    checked = [_check_file(corpus, entry) for entry in _entries(corpus)]
    assert sum(checked) >= len(checked) // 2
