"""Regenerate the sample-data folder: ``python -m milepace.synth sample_data/``.

Every file is simulated from a fixed seed, so running this again writes the
same bytes. The folder gets the sample files, ``truth.json`` (the exact ground
truth of every activity) and a ``README.md`` describing each file.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..units import METERS_PER_MILE, format_duration, format_pace
from .export import write_strava_export
from .fit_writer import write_fit
from .gpx_writer import write_gpx
from .session import SynthSession, iso_utc, simulate
from .tcx_writer import write_tcx

GOAL_MILE_S = 330.0


@dataclass(frozen=True)
class Sample:
    """One sample file: how it is simulated and written."""

    file: str
    template: str
    seed: int
    start: str
    sim: dict[str, Any] = field(default_factory=dict)
    write: dict[str, Any] = field(default_factory=dict)
    note: str = ""


SAMPLES: tuple[Sample, ...] = (
    Sample(
        "track_6x800.fit",
        "track_6x800",
        11,
        "2026-05-02T13:01:07Z",
        {"laps": "none"},
        note="No lap presses at all: the reps must be found from speed, and corrected to the 400 m oval.",
    ),
    Sample(
        "easy_strides.gpx",
        "easy_strides",
        12,
        "2026-04-28T06:42:10Z",
        {"recording": "smart"},
        note="GPX 1.1 with Garmin TrackPointExtension v2 (hr, cad per leg, speed); smart recording.",
    ),
    Sample(
        "hill_sprints.tcx",
        "hill_sprints",
        13,
        "2026-04-30T17:20:31Z",
        {"recording": "smart", "laps": "manual", "elevation_source": "baro"},
        note="TCX with manual laps pressed late (and sometimes missed) around each sprint.",
    ),
    Sample(
        "mile_time_trial.fit",
        "mile_time_trial",
        14,
        "2026-04-25T09:05:44Z",
        {"laps": "manual", "auto_pause": True},
        note="Strides in the warm-up, a standing break (auto-paused), then the mile.",
    ),
    Sample(
        "fartlek.fit",
        "fartlek",
        15,
        "2026-04-21T12:30:02Z",
        {"laps": "workout", "speed_source": "footpod"},
        {"compressed_timestamps": True, "local_message_types": "rotating"},
        note="Structured workout (workout + workout_step messages, laps by step), footpod speed, "
        "compressed-timestamp record headers.",
    ),
)

EXPORT: tuple[tuple[str, int, str, str, dict[str, Any]], ...] = (
    # template, seed, start, format, simulate options
    (
        "easy",
        21,
        "2026-04-13T06:55:12Z",
        "fit",
        {"duration_s": 1800.0, "laps": "auto_km", "recording": "smart"},
    ),
    ("track_6x800", 22, "2026-04-14T16:40:03Z", "fit", {"laps": "manual", "recording": "smart"}),
    ("threshold_2x2mi", 23, "2026-04-16T06:31:48Z", "gpx", {"recording": "smart"}),
    ("easy_strides", 24, "2026-04-17T07:02:26Z", "tcx", {"recording": "smart", "duration_s": 1800.0}),
    ("ride", 25, "2026-04-18T09:10:00Z", "fit", {"duration_s": 2400.0, "laps": "none", "recording": "smart"}),
    ("long", 26, "2026-04-19T07:15:09Z", "fit", {"laps": "auto_mile", "recording": "smart"}),
    ("hill_sprints", 27, "2026-04-22T17:05:55Z", "fit", {"laps": "none", "recording": "smart"}),
    ("mile_time_trial", 28, "2026-04-25T09:01:30Z", "gpx", {"recording": "smart"}),
)


def _write(sample: Sample, s: SynthSession) -> bytes:
    if sample.file.endswith(".fit"):
        return write_fit(s, **sample.write)
    if sample.file.endswith(".gpx"):
        return write_gpx(s, **sample.write)
    return write_tcx(s, **sample.write)


def _describe(file: str, s: SynthSession, note: str = "") -> list[str]:
    lines = [
        f"### `{file}`",
        "",
        f"{s.description} — template `{s.template}`, seed {s.seed}, goal mile {format_duration(s.goal_mile_s, decimals=0)}.",
        "",
    ]
    if note:
        lines += [note, ""]
    dev = s.device
    lines += [
        f"- sport: {s.sport}/{s.sub_sport}; start {iso_utc(s.start_s)}; elapsed {format_duration(s.elapsed_s, decimals=0)}, "
        f"timer {format_duration(s.timer_s, decimals=0)}",
        f"- distance: true {s.true_distance_m:.0f} m ({s.true_distance_m / METERS_PER_MILE:.2f} mi), "
        f"device {s.device_distance_m:.0f} m; {len(s.time_s)} records, {len(s.laps)} laps, {len(s.pauses)} auto-pauses",
        f"- recorded: {dev['recording']} recording, {dev['speed_source']} speed, laps {dev['laps']}, "
        f"GPS σ {dev['gps_sigma_m']} m, {dev['elevation_source']} elevation",
        "",
    ]
    if s.efforts:
        lines += [
            "| # | kind | label | start (UTC) | duration | distance | pace | recovery after |",
            "|---|---|---|---|---|---|---|---|",
        ]
        rec = {r.after: r for r in s.recoveries}
        for i, e in enumerate(s.efforts):
            r = rec.get(i)
            after = f"{format_duration(r.duration_s)} {r.kind}, {r.distance_m:.0f} m" if r else "–"
            lines.append(
                f"| {i + 1} | {e.kind} | {e.label} | {iso_utc(e.start_s)[11:]} | {format_duration(e.duration_s)} | "
                f"{e.distance_m:.1f} m | {format_pace(e.pace_s_per_mile)} | {after} |"
            )
        lines.append("")
    else:
        lines += ["No efforts (plain running).", ""]
    return lines


def generate(folder: str | Path) -> list[Path]:
    """Write the sample files, ``truth.json`` and ``README.md`` into ``folder``; returns the paths written."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    truth: list[dict[str, Any]] = []
    readme = [
        "# Sample data",
        "",
        "Simulated sessions with exact ground truth, made by `milepace.synth` "
        "(regenerate with `python -m milepace.synth sample_data/`; the output is deterministic).",
        f"All paces derive from a goal mile of {format_duration(GOAL_MILE_S, decimals=0)} "
        "(try `--goal-mile 5:30`). `truth.json` holds the same truth as below, machine-readable: "
        "effort `start`/`end` are UTC (end exclusive, fractional seconds where a distance was reached "
        "between samples) and `distance_m` is the true distance run (lane 1 on the track), not what the "
        "watch measured. Recoveries run from one effort's end to the next effort's start.",
        "",
    ]
    for sample in SAMPLES:
        s = simulate(
            sample.template, seed=sample.seed, goal_mile_s=GOAL_MILE_S, start=sample.start, **sample.sim
        )
        path = out / sample.file
        path.write_bytes(_write(sample, s))
        written.append(path)
        truth.append(s.to_truth_dict(sample.file))
        readme += _describe(sample.file, s, sample.note)

    sessions: list[SynthSession] = []
    formats: list[str] = []
    for template, seed, start, fmt, opts in EXPORT:
        sessions.append(simulate(template, seed=seed, goal_mile_s=GOAL_MILE_S, start=start, **opts))
        formats.append(fmt)
    export_path = out / "strava_export.zip"
    listing = write_strava_export(sessions, export_path, formats=formats)
    written.append(export_path)
    readme += [
        "### `strava_export.zip`",
        "",
        "A tiny Strava bulk export: `activities.csv` (Strava's column names) and "
        "`activities/<id>.fit.gz`, `.gpx` or `.tcx.gz`, over two weeks, one of them a bike ride "
        "(not a run, to be listed and skipped).",
        "",
        "| member | name | type | kind | true distance | efforts |",
        "|---|---|---|---|---|---|",
    ]
    for entry, s in zip(listing, sessions, strict=True):
        member = entry["filename"]
        readme.append(
            f"| `{member}` | {entry['name']} | {entry['type']} | {s.kind} | {s.true_distance_m / 1000:.2f} km | "
            f"{len(s.efforts)} |"
        )
        truth.append(s.to_truth_dict(f"strava_export.zip!{member}"))
    readme.append("")
    (out / "truth.json").write_text(json.dumps(truth, indent=1) + "\n")
    (out / "README.md").write_text("\n".join(readme))
    written += [out / "truth.json", out / "README.md"]
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: ``python -m milepace.synth FOLDER``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0].startswith("-"):
        print("usage: python -m milepace.synth FOLDER", file=sys.stderr)
        return 2
    for path in generate(args[0]):
        print(f"{path}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
