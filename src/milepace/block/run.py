"""``milepace.block(paths, goal_mile=...)``: a whole training block checked against the guidance.

The run, end to end:

1. list the sources (files, folders, zips, Strava/Garmin exports) without reading them;
2. in this process, without reading any file: Strava activities typed as
   another sport are skipped, and a file the cache has seen unchanged (same
   path, inode, size and times: :func:`~milepace.block.sources.source_key`)
   takes its cached result;
3. the rest go to the engine (a process pool by default), whose workers run
   :func:`~milepace.block.remote.fetch_and_analyze`: read the file, hash it,
   look the content up in the cache, else analyse and store it; results
   stream back as they finish, and a repeat of content already seen is a
   duplicate (the first listed copy is kept). Reading, hashing and caching
   on the workers leaves this process free, so two workers have two cores;
4. in this process: runs become :class:`~milepace.block.model.ActivityRow`\\ s
   (local date, session kind), two runs starting within
   :attr:`BlockOptions.duplicate_start_s` of each other are one (the first
   listed is kept, unless a later one is more than 1 % longer: a copy cut
   short must not cost the complete recording), weeks are summarised and the
   guidance checked.
"""

from __future__ import annotations

import bisect
import math
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from ..errors import UsageError
from .checks import CheckConfig, check_block, check_weeks
from .engine import Engine
from .model import ActivityRow, BlockReport, FileError, FileResult, RunStats, SkippedFile
from .sessions import SessionRules, activity_row, block_offset, pace_bands
from .sources import Source
from .weeks import block_span, one_long_run_per_week, summarize_weeks, time_trials

ProgressCallback = Callable[[int, int, str], None]
"""Called as ``progress(done, total, source)`` after each file."""


@dataclass(frozen=True)
class BlockOptions:
    """Settings of the block run that are not guidance thresholds.

    Attributes
    ----------
    duplicate_start_s
        Two runs whose starts are this close [s] are the same run recorded or exported twice.
    use_training_paces
        Take pace bands from :func:`milepace.training_paces` when available (else fixed ratios).
    """

    duplicate_start_s: float = 60.0
    use_training_paces: bool = True


def _goal_seconds(goal_mile: str | float) -> float:
    if isinstance(goal_mile, str):
        from ..units import parse_duration

        value = parse_duration(goal_mile)
    else:
        value = float(goal_mile)
    if not math.isfinite(value) or not 150.0 <= value <= 1800.0:
        raise UsageError(f"goal_mile needs a plausible mile time (2:30 to 30:00), got {goal_mile!r}")
    return value


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        raise UsageError(f"expected a date like 2026-03-02, got {value!r}") from None


def block(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] = (),
    *,
    goal_mile: str | float,
    checks: CheckConfig | None = None,
    rules: SessionRules | None = None,
    options: BlockOptions | None = None,
    cache: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
    engine: str | Engine = "local",
    workers: int | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    progress: ProgressCallback | None = None,
    scheduler: str | None = None,
    manifest: str | os.PathLike[str] | None = None,
) -> BlockReport:
    """Check a training block against the mile-training guidance.

    Parameters
    ----------
    paths
        Files, folders, zips, Strava or Garmin exports (one path or several); fsspec URLs
        (``s3://…``, ``memory://…``) too.
    goal_mile
        Goal mile time, ``"5:30"`` or seconds [s].
    checks
        Guidance thresholds (:class:`~milepace.block.checks.CheckConfig`).
    rules
        Session-kind rules (:class:`~milepace.block.sessions.SessionRules`).
    options
        :class:`BlockOptions`.
    cache
        Use the per-file result cache (``False`` = ``--no-cache``: nothing read or written).
    cache_dir
        Cache root; default ``$MILEPACE_CACHE_DIR`` or the user cache dir.
    engine
        ``local`` (process pool), ``serial``, ``dask`` (a ``dask.distributed`` cluster), or an
        engine object.
    workers
        Worker processes for ``local``, or of the LocalCluster ``dask`` starts without a
        ``scheduler`` (default: the CPUs available).
    since, until
        Block span (local dates, inclusive); default from the runs (see :mod:`milepace.block.weeks`).
    progress
        ``progress(done, total, source)`` after each file.
    scheduler
        Dask scheduler address for ``engine="dask"``.
    manifest
        A CSV with a ``path`` column listing (more of) the block's files.

    Whatever the engine, each file is fetched, hashed, looked up in the cache and analysed on a
    worker (:func:`milepace.block.remote.block_remote` is the run), so the files never pass
    through this process; only a file the cache has seen unchanged is found here, unread.

    Returns
    -------
    BlockReport
        Activities, weeks, checks, time trials, skipped files and errors.

    Examples
    --------
    >>> report = milepace.block("export.zip", goal_mile="5:30")     # doctest: +SKIP
    >>> report.to_frame("weeks")                                    # doctest: +SKIP
    """
    from .remote import block_remote  # the one run: list, look up, fan out, assemble

    return block_remote(
        paths,
        goal_mile=goal_mile,
        manifest=manifest,
        checks=checks,
        rules=rules,
        options=options,
        cache=cache,
        cache_dir=cache_dir,
        engine=engine,
        scheduler=scheduler,
        workers=workers,
        since=since,
        until=until,
        progress=progress,
    )


def assemble(
    sources: list[Source],
    results: list[FileResult | None],
    cached_flags: list[bool],
    *,
    listing_errors: list[FileError],
    skipped: list[SkippedFile],
    goal_mile_s: float,
    checks: CheckConfig,
    rules: SessionRules,
    options: BlockOptions,
    since: date | None = None,
    until: date | None = None,
    stats_extra: dict[str, object] | None = None,
) -> BlockReport:
    """Build the report from per-file results (pure; no I/O). Engines other than the built-in ones reuse this."""
    bands = pace_bands(goal_mile_s, use_training_paces=options.use_training_paces)
    errors = list(listing_errors)
    skipped = list(skipped)
    rows: list[ActivityRow] = []
    kept_starts: list[tuple[float, int, str]] = []  # (start [s], order kept, source), by start
    kept: dict[str, tuple[int, FileResult]] = {}  # source -> (index in rows, result) of each run kept
    usual_offset_s = block_offset([r for r in results if r is not None and r.status == "ok"])
    for src, res, cached in zip(sources, results, cached_flags, strict=True):
        if res is None:
            continue
        if res.status == "error":
            errors.append(FileError(res.source, res.error or "could not be analysed", res.error_type))
            continue
        if res.status == "not_run":
            kind = src.strava.get("type") or res.sport or "unknown sport"
            row_date = None
            if res.start_utc or src.strava.get("date"):
                from .sessions import local_start

                start, _ = local_start(res, src.strava.get("date"), block_offset_s=usual_offset_s)
                row_date = start.date().isoformat() if start else None
            skipped.append(SkippedFile(res.source, "not a run", str(kind), row_date))
            continue
        start = _utc(res.start_utc)
        if start is not None:
            at_s, window = start.timestamp(), options.duplicate_start_s
            near = kept_starts[
                bisect.bisect_left(kept_starts, (at_s - window,)) : bisect.bisect_right(
                    kept_starts, (at_s + window, math.inf)
                )
            ]
            if near:
                entry = min(near, key=lambda e: e[1])  # the run kept first
                twin = entry[2]
                at, first = kept[twin]
                if res.elapsed_s > 1.01 * first.elapsed_s:
                    # a cut-short copy listed first must not cost the complete recording
                    rows[at] = activity_row(
                        res, bands, rules, strava=src.strava, from_cache=cached, block_offset_s=usual_offset_s
                    )
                    kept[res.source] = (at, res)
                    kept_starts[kept_starts.index(entry)] = (entry[0], entry[1], res.source)
                    skipped.append(
                        SkippedFile(twin, "duplicate", f"same start time as {res.source}, which is longer")
                    )
                else:
                    skipped.append(SkippedFile(res.source, "duplicate", f"same start time as {twin}"))
                continue
            bisect.insort(kept_starts, (at_s, len(kept), res.source))
            kept[res.source] = (len(rows), res)
        rows.append(
            activity_row(
                res, bands, rules, strava=src.strava, from_cache=cached, block_offset_s=usual_offset_s
            )
        )
    rows.sort(key=lambda a: (a.date, a.start_local or "", a.source))
    rows = one_long_run_per_week(rows)
    dates = [date.fromisoformat(a.date) for a in rows if a.date]
    span = block_span(dates, since=since, until=until)
    trials = time_trials(rows, goal_mile_s)
    weeks = summarize_weeks(rows, span, goal_mile_s=goal_mile_s, trials=trials) if span else ()
    week_checks = check_weeks(weeks, config=checks, bands=bands)
    block_checks = check_block(weeks, week_checks, trials, errors, span, config=checks)
    extra = stats_extra or {}
    stats = RunStats(
        files=len(sources) + len(listing_errors),
        analysed=int(
            extra.get(  # type: ignore[call-overload]
                "analysed",
                sum(1 for r, c in zip(results, cached_flags, strict=True) if r is not None and not c),
            )
        ),
        from_cache=sum(cached_flags),
        failed=len(errors),
        skipped=len(skipped),
        wall_s=float(extra.get("wall_s", 0.0)),  # type: ignore[arg-type]
        engine=str(extra.get("engine", "")),
        workers=int(extra.get("workers", 1)),  # type: ignore[call-overload]
    )
    return BlockReport(
        goal_mile_s=goal_mile_s,
        activities=tuple(rows),
        weeks=weeks,
        checks=(*week_checks, *block_checks),
        time_trials=trials,
        skipped=tuple(skipped),
        errors=tuple(errors),
        stats=stats,
        paces=bands.as_dict(),
    )


def _utc(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
