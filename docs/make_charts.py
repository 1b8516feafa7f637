"""Draw the documentation charts: a track session, a fartlek, a strides run, a hill session, a time trial and a block.

Usage (from the repository root)::

    .venv/bin/python docs/make_charts.py                 # corpus sessions when ../shared/corpus exists, else sample_data/
    .venv/bin/python docs/make_charts.py --source sample --block sample   # only what ships with the repo (fast)

Sessions come from the labelled corpus (``../shared/corpus``, the first file
of each template in ``truth.json``, judged against that file's goal mile)
when it is present, else from ``sample_data/`` (goal mile 5:30). The block is
an 8-week block simulated by :func:`milepace.synth.block.simulate_block`
(written as a Strava export into a temporary folder and checked with
:func:`milepace.block`), or with ``--block sample`` the two-week
``sample_data/strava_export.zip``. The README picture,
``docs/img/track_6x800_laps.png``, is always drawn from
``sample_data/track_6x800.fit`` so the command shown beside it reproduces it.

Every chart is a PNG 1200 px wide. The script prints one line per file written.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import milepace
from milepace.plot import block_chart, lap_chart, save, trace_chart, trial_chart, weekly_chart

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLE_GOAL_S = 330.0
README_PLAN = "6x800m@mile/400m jog"


@dataclass(frozen=True)
class Session:
    """One documented session: its name, where to find it, and which charts to draw."""

    name: str
    template: str  # corpus template
    sample: str  # file in sample_data/
    charts: tuple[str, ...]
    zoom: bool = False  # trace only around the efforts (strides, hill sprints: seconds long in an hour)


SESSIONS = (
    Session("track", "track_800s", "track_6x800.fit", ("laps", "trace")),
    Session("fartlek", "road_fartlek", "fartlek.fit", ("laps", "trace")),
    Session("strides", "easy_strides", "easy_strides.gpx", ("laps", "trace"), zoom=True),
    Session("hills", "hill_sprints", "hill_sprints.tcx", ("laps", "trace"), zoom=True),
    Session("time_trial", "time_trial", "mile_time_trial.fit", ("trial", "trace")),
)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _corpus_files() -> dict[str, tuple[Path, float]]:
    """First file of each template in the corpus, with its goal mile [s]."""
    truth = json.loads((CORPUS / "truth.json").read_text())
    out: dict[str, tuple[Path, float]] = {}
    for entry in sorted(truth, key=lambda e: e["file"]):
        out.setdefault(entry["template"], (CORPUS / entry["file"], float(entry["goal_mile_s"])))
    return out


def _session_charts(source: str, out: Path) -> list[Path]:
    use_corpus = source == "corpus" or (source == "auto" and (CORPUS / "truth.json").is_file())
    corpus = _corpus_files() if use_corpus else {}
    written: list[Path] = []
    for s in SESSIONS:
        if use_corpus and s.template in corpus:
            path, goal = corpus[s.template]
        else:
            path, goal = SAMPLE / s.sample, SAMPLE_GOAL_S
        report = milepace.session_report(milepace.analyze(path, goal_mile=goal))
        for kind in s.charts:
            if kind == "trial" and report.time_trial is None:
                print(f"skipped {s.name}_{kind}.png: no time trial found in {path.name}", file=sys.stderr)
                continue
            if kind == "laps":
                fig = lap_chart(report)
            elif kind == "trace":
                fig = trace_chart(report, zoom=s.zoom)
            else:
                fig = trial_chart(report)
            target = save(fig, out / f"{s.name}_{kind}.png")
            written.append(target)
            print(f"{_shown(target)}  ({path.name}, {len(report.reps)} efforts)")
    return written


def _readme_chart(out: Path) -> Path:
    analysis = milepace.analyze(SAMPLE / "track_6x800.fit", goal_mile=SAMPLE_GOAL_S)
    report = milepace.session_report(analysis, plan=README_PLAN)
    target = save(lap_chart(report), out / "track_6x800_laps.png")
    print(f"{_shown(target)}  (README picture, {len(report.reps)} efforts)")
    return target


def _block_charts(which: str, weeks: int, out: Path) -> list[Path]:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        if which == "sample":
            export = SAMPLE / "strava_export.zip"
        else:
            from milepace.synth.block import simulate_block
            from milepace.synth.export import write_strava_export

            export = Path(tmp) / "block_export.zip"
            write_strava_export(simulate_block(weeks, goal_mile_s=SAMPLE_GOAL_S, seed=7), export)
        report = milepace.block(export, goal_mile=SAMPLE_GOAL_S, cache=False)
    written = [
        save(weekly_chart(report), out / "block_weekly.png"),
        save(block_chart(report), out / "block.png"),
    ]
    took = time.perf_counter() - started
    for target in written:
        print(f"{_shown(target)}  ({len(report.activities)} runs, {len(report.weeks)} weeks, {took:.0f} s)")
    return written


def main(argv: list[str] | None = None) -> int:
    """Draw the charts; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=("auto", "corpus", "sample"), default="auto")
    parser.add_argument("--block", choices=("simulated", "sample"), default="simulated")
    parser.add_argument("--weeks", type=int, default=8, help="weeks of the simulated block")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args(argv)
    if args.source == "corpus" and not (CORPUS / "truth.json").is_file():
        parser.error(f"--source corpus: no corpus at {CORPUS}")
    args.out.mkdir(parents=True, exist_ok=True)
    _readme_chart(args.out)
    _session_charts(args.source, args.out)
    _block_charts(args.block, args.weeks, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
