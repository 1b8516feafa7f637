"""Many athletes in one run: a block report per athlete and a squad summary.

A CSV manifest lists every file with its athlete (``--group-by athlete``)::

    path,athlete,goal_mile
    s3://club-uploads/ana/2026-03-02.fit,ana,5:10
    s3://club-uploads/ana/2026-03-03.fit.gz,ana,
    s3://club-uploads/ben/export.zip,ben,5:45

:func:`squad` lists each athlete's files (URLs, zips, exports), sends *all*
files to the engine in one fan-out — so every worker stays busy across
athletes — and then assembles one :class:`~milepace.block.model.BlockReport`
per athlete from that athlete's results, exactly as
:func:`milepace.block.run.block` would for the athlete's files alone.
Duplicates by content are looked for within an athlete's files only.

An optional ``goal_mile`` column gives an athlete's goal (``M:SS`` or
seconds); rows left empty use the run's goal, and one athlete's filled rows
must agree.

:meth:`SquadReport.to_jsonl` is the ``--json`` output: one document per
athlete (``"type": "athlete"``, the athlete's name, then the block document
of :meth:`~milepace.block.model.BlockReport.to_dict`), then one squad
summary (``"type": "squad"``).
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from ..errors import MilepaceError, UsageError
from .checks import CheckConfig
from .engine import Engine, get_engine
from .model import BlockReport, CheckStatus, FileError, RunStats, SkippedFile, _clean
from .remote import ProgressCallback, cache_root, fan_out, list_any, read_manifest
from .sessions import SessionRules
from .sources import Source


@dataclass(frozen=True)
class AthleteSummary:
    """One athlete's line of the squad summary.

    Attributes
    ----------
    athlete
        The group value from the manifest.
    goal_mile_s
        The goal the athlete's block was checked against [s].
    status
        ``warn`` when any of the athlete's checks warns, else ``pass``.
    files, runs, failed, skipped
        Files listed, runs counted, files that failed, files skipped (non-runs, duplicates).
    weeks
        ISO weeks in the athlete's block.
    mean_weekly_distance_m, peak_weekly_distance_m
        Mean and largest weekly distance over the block's weeks [m] (NaN without weeks).
    longest_run_m
        The longest run [m] (NaN without runs).
    time_trials
        Time trials and races found.
    best_mile_equivalent_s
        The fastest time-trial mile equivalent [s] (NaN without one).
    warnings
        Checks that warn.
    """

    athlete: str
    goal_mile_s: float
    status: CheckStatus
    files: int
    runs: int
    failed: int
    skipped: int
    weeks: int
    mean_weekly_distance_m: float
    peak_weekly_distance_m: float
    longest_run_m: float
    time_trials: int
    best_mile_equivalent_s: float
    warnings: int

    @classmethod
    def of(cls, athlete: str, report: BlockReport) -> AthleteSummary:
        """Summarise one athlete's block report."""
        weekly = [w.distance_m for w in report.weeks]
        return cls(
            athlete=athlete,
            goal_mile_s=report.goal_mile_s,
            status=report.status,
            files=report.stats.files,
            runs=len(report.activities),
            failed=len(report.errors),
            skipped=len(report.skipped),
            weeks=len(report.weeks),
            mean_weekly_distance_m=sum(weekly) / len(weekly) if weekly else math.nan,
            peak_weekly_distance_m=max(weekly, default=math.nan),
            longest_run_m=max((a.distance_m for a in report.activities), default=math.nan),
            time_trials=len(report.time_trials),
            best_mile_equivalent_s=min((t.mile_equivalent_s for t in report.time_trials), default=math.nan),
            warnings=sum(1 for c in report.checks if c.status == "warn"),
        )


@dataclass(frozen=True)
class SquadReport:
    """One block report per athlete, their summaries, and the run's totals.

    Attributes
    ----------
    reports
        Block report per athlete, in the manifest's order of first appearance.
    athletes
        One :class:`AthleteSummary` per athlete, same order.
    stats
        The whole run: files, analysed, from cache, failed, skipped, wall time [s], engine, workers.
    """

    reports: dict[str, BlockReport]
    athletes: tuple[AthleteSummary, ...]
    stats: RunStats

    @property
    def ok(self) -> bool:
        """True when every athlete's files were all read."""
        return all(r.ok for r in self.reports.values())

    def to_frame(self) -> pd.DataFrame:
        """The squad summary, one row per athlete; units in the column names."""
        return pd.DataFrame(
            [dataclasses.asdict(a) for a in self.athletes],
            columns=[f.name for f in dataclasses.fields(AthleteSummary)],
        )

    def summary_dict(self) -> dict[str, Any]:
        """The squad summary document (JSON-safe)."""
        return _clean(
            {
                "type": "squad",
                "athletes": [dataclasses.asdict(a) for a in self.athletes],
                "ok": self.ok,
                "stats": dataclasses.asdict(self.stats),
            }
        )

    def to_jsonl(self) -> Iterator[str]:
        """JSON Lines: one document per athlete, then the squad summary (one line each)."""
        for name, report in self.reports.items():
            doc = {"type": "athlete", "athlete": name, **report.to_dict()}
            yield json.dumps(doc, allow_nan=False, separators=(",", ":"))
        yield json.dumps(self.summary_dict(), allow_nan=False, separators=(",", ":"))


def _goal(value: str | float) -> float:
    from .run import _goal_seconds

    return _goal_seconds(value)


def squad(
    manifest: str | os.PathLike[str],
    *,
    group_by: str = "athlete",
    goal_mile: str | float | None = None,
    checks: CheckConfig | None = None,
    rules: SessionRules | None = None,
    options: Any = None,
    cache: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
    engine: str | Engine = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    progress: ProgressCallback | None = None,
) -> SquadReport:
    """Check every athlete's block listed in a manifest, in one fan-out.

    Parameters
    ----------
    manifest
        CSV (local path or URL) with a ``path`` column and the ``group_by`` column.
    group_by
        The column naming each file's athlete.
    goal_mile
        Goal mile for athletes whose rows give none (``"5:30"`` or seconds [s]).
    checks, rules, options, cache, cache_dir, since, until, progress
        As :func:`milepace.block.run.block`; ``progress`` counts files over the whole squad.
    engine, scheduler, workers
        ``local`` (process pool), ``serial`` or ``dask`` (with a scheduler address, or a
        LocalCluster of ``workers`` processes).

    Returns
    -------
    SquadReport
        A :class:`~milepace.block.model.BlockReport` per athlete and the squad summary.

    Raises
    ------
    UsageError
        Bad manifest, an athlete without a goal, or an athlete whose rows disagree on the goal.

    Examples
    --------
    >>> from milepace.block.squad import squad
    >>> result = squad("club.csv", group_by="athlete", goal_mile="5:30")     # doctest: +SKIP
    >>> result.to_frame()                                                     # doctest: +SKIP
    """
    from .run import BlockOptions, _as_date, assemble

    t0 = time.perf_counter()
    default_goal = _goal(goal_mile) if goal_mile is not None else None
    rows = read_manifest(manifest, group_by=group_by)
    paths: dict[str, list[str]] = {}
    goals: dict[str, float] = {}
    for row in rows:
        name = row.group or ""
        paths.setdefault(name, []).append(row.path)
        if row.goal_mile:
            try:
                g = _goal(row.goal_mile)
            except MilepaceError as err:
                raise UsageError(f"manifest line {row.line}: {err}") from None
            if name in goals and goals[name] != g:
                raise UsageError(
                    f"athlete {name!r} has two goal miles in the manifest "
                    f"({goals[name]:.0f} s and {g:.0f} s, line {row.line})"
                )
            goals[name] = g
    for name in paths:
        if name not in goals:
            if default_goal is None:
                raise UsageError(
                    f"athlete {name!r} has no goal_mile in the manifest and no --goal-mile was given"
                )
            goals[name] = default_goal

    # list each athlete's files; one fan-out for all
    sources: list[Source] = []
    owners: list[str] = []
    listing: dict[str, list[FileError]] = {}
    spans: dict[str, tuple[int, int]] = {}
    for name, given in paths.items():
        found, failed = list_any(given)
        spans[name] = (len(sources), len(sources) + len(found))
        sources.extend(found)
        owners.extend([name] * len(found))
        listing[name] = failed
    eng = get_engine(engine, scheduler=scheduler, workers=workers, n_items=len(sources))
    out = fan_out(
        sources,
        [goals[o] for o in owners],
        engine=eng,
        cache_root=cache_root(cache, cache_dir),
        progress=progress,
        groups=owners,
    )
    wall_s = time.perf_counter() - t0
    dup_of: dict[int, SkippedFile] = dict(zip(out.duplicate_at, out.duplicates, strict=True))
    since_d, until_d = _as_date(since), _as_date(until)
    reports: dict[str, BlockReport] = {}
    for name, (a, b) in spans.items():
        report = assemble(
            sources[a:b],
            out.results[a:b],
            out.cached[a:b],
            listing_errors=listing[name],
            skipped=[dup_of[i] for i in range(a, b) if i in dup_of],
            goal_mile_s=goals[name],
            checks=checks or CheckConfig(),
            rules=rules or SessionRules(),
            options=options or BlockOptions(),
            since=since_d,
            until=until_d,
            stats_extra={
                "engine": out.engine,
                "workers": out.workers,
                "analysed": sum(out.fresh[a:b]),
                "wall_s": wall_s,
            },
        )
        reports[name] = report
    athletes = tuple(AthleteSummary.of(name, r) for name, r in reports.items())
    stats = RunStats(
        files=sum(r.stats.files for r in reports.values()),
        analysed=out.analysed,
        from_cache=sum(out.cached),
        failed=sum(r.stats.failed for r in reports.values()),
        skipped=sum(r.stats.skipped for r in reports.values()),
        wall_s=time.perf_counter() - t0,
        engine=out.engine,
        workers=out.workers,
    )
    return SquadReport(reports=reports, athletes=athletes, stats=stats)
