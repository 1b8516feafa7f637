"""Bulk-export archives as Strava and Garmin hand them out, built from synthetic sessions.

* **Strava** ("Download or delete your account" → bulk export): a zip with
  ``activities.csv`` (one row per activity; the real column names, including
  the two ``Elapsed Time`` and two ``Distance`` columns Strava writes — the
  first ``Distance`` in km, the second in m) and ``activities/<id>.fit.gz``,
  ``<id>.gpx`` or ``<id>.tcx.gz``.
* **Garmin Connect** data export: a zip holding
  ``DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip``, itself a
  zip of the original ``.fit`` uploads, next to other account files.
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path

from ..errors import UsageError
from ..units import METERS_PER_KM
from .fit_writer import write_fit
from .gpx_writer import write_gpx
from .session import SynthSession
from .tcx_writer import write_tcx

STRAVA_COLUMNS: tuple[str, ...] = (
    "Activity ID",
    "Activity Date",
    "Activity Name",
    "Activity Type",
    "Activity Description",
    "Elapsed Time",
    "Distance",
    "Max Heart Rate",
    "Relative Effort",
    "Commute",
    "Activity Private Note",
    "Activity Gear",
    "Filename",
    "Athlete Weight",
    "Bike Weight",
    "Elapsed Time",
    "Moving Time",
    "Distance",
    "Max Speed",
    "Average Speed",
    "Elevation Gain",
)
"""The leading columns of Strava's ``activities.csv``, in Strava's order (names repeat, as in the original)."""

_STRAVA_TYPE = {"running": "Run", "cycling": "Ride"}


def strava_date(unix_s: float) -> str:
    """Strava's ``Activity Date`` format (UTC): ``May 2, 2026, 1:01:07 PM``."""
    dt = datetime.fromtimestamp(unix_s, tz=timezone.utc)
    hour = dt.hour % 12 or 12
    return f"{dt.strftime('%b')} {dt.day}, {dt.year}, {hour}:{dt.minute:02d}:{dt.second:02d} {'AM' if dt.hour < 12 else 'PM'}"


def activity_id(session: SynthSession, index: int) -> int:
    """A Strava-like activity id (11 digits), deterministic from the start time and position."""
    return 10_000_000_000 + (int(session.start_s) // 60) % 100_000_000 * 10 + index % 10


def encode(session: SynthSession, fmt: str, *, gzip_member: bool) -> tuple[str, bytes]:
    """Encode one session as ``fit``, ``gpx`` or ``tcx``; returns (extension, bytes)."""
    if fmt == "fit":
        data, ext = write_fit(session), ".fit"
    elif fmt == "gpx":
        data, ext = write_gpx(session), ".gpx"
    elif fmt == "tcx":
        data, ext = write_tcx(session), ".tcx"
    else:
        raise UsageError(f"format must be fit, gpx or tcx, got {fmt!r}")
    if gzip_member:
        data = gzip.compress(data, compresslevel=6, mtime=0)
        ext += ".gz"
    return ext, data


def _member(zf: zipfile.ZipFile, name: str, data: bytes, when: float) -> None:
    dt = datetime.fromtimestamp(when, tz=timezone.utc)
    info = zipfile.ZipInfo(
        name, date_time=(max(dt.year, 1980), dt.month, dt.day, dt.hour, dt.minute, dt.second)
    )
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def _row(session: SynthSession, aid: int, filename: str) -> list[str]:
    hr = session.heart_rate_bpm
    max_hr = f"{float(max(hr)):.1f}" if hr is not None and len(hr) else ""
    dist = session.device_distance_m
    speed = session.speed_m_s
    max_speed = f"{float(max(speed)):.3f}" if speed is not None and len(speed) else ""
    moving = session.timer_s
    return [
        str(aid),
        strava_date(session.start_s),
        session.name,
        _STRAVA_TYPE.get(session.sport, "Workout"),
        session.description,
        str(round(session.elapsed_s)),
        f"{dist / METERS_PER_KM:.2f}",
        max_hr,
        "",
        "false",
        "",
        "",
        filename,
        "",
        "",
        f"{session.elapsed_s:.1f}",
        f"{moving:.1f}",
        f"{dist:.1f}",
        max_speed,
        f"{dist / moving:.3f}" if moving > 0 else "",
        "",
    ]


def write_strava_export(
    sessions: Sequence[SynthSession],
    path: str | Path,
    *,
    gzip_fit: bool = True,
    formats: Sequence[str] | None = None,
    gzip_tcx: bool = True,
    extra_members: Mapping[str, bytes] | None = None,
) -> list[dict[str, str]]:
    """Write a Strava-style bulk export zip.

    Parameters
    ----------
    sessions
        Activities, in any order (rows are written in that order).
    path
        The ``.zip`` to create (overwritten).
    gzip_fit, gzip_tcx
        Store FIT / TCX members gzipped (``.fit.gz``, ``.tcx.gz``) as Strava does; GPX is never gzipped.
    formats
        ``fit``, ``gpx`` or ``tcx`` per session (default: all ``fit``).
    extra_members
        More members to add as ``activities/<name>`` with a CSV row each
        (e.g. a corrupt or empty file for robustness tests); their
        ``Activity Type`` is ``Run``.

    Returns
    -------
    list of dict
        One entry per CSV row: ``id``, ``filename``, ``name``, ``type`` —
        what a reader should recover.
    """
    fmts = list(formats) if formats is not None else ["fit"] * len(sessions)
    if len(fmts) != len(sessions):
        raise UsageError(f"formats has {len(fmts)} entries for {len(sessions)} sessions")
    rows: list[list[str]] = []
    listing: list[dict[str, str]] = []
    members: list[tuple[str, bytes, float]] = []
    for i, (s, fmt) in enumerate(zip(sessions, fmts, strict=True)):
        aid = activity_id(s, i)
        gz = (fmt == "fit" and gzip_fit) or (fmt == "tcx" and gzip_tcx)
        ext, data = encode(s, fmt, gzip_member=gz)
        filename = f"activities/{aid}{ext}"
        members.append((filename, data, s.end_s))
        rows.append(_row(s, aid, filename))
        listing.append({"id": str(aid), "filename": filename, "name": s.name, "type": rows[-1][3]})
    last = max((s.end_s for s in sessions), default=1.7e9)
    for j, (name, data) in enumerate((extra_members or {}).items()):
        aid = 90_000_000_000 + j
        filename = f"activities/{name}"
        members.append((filename, data, last))
        row = [""] * len(STRAVA_COLUMNS)
        row[0], row[1], row[2], row[3], row[12] = str(aid), strava_date(last), name, "Run", filename
        rows.append(row)
        listing.append({"id": str(aid), "filename": filename, "name": name, "type": "Run"})
    text = io.StringIO()
    writer = csv.writer(text, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(STRAVA_COLUMNS)
    writer.writerows(rows)
    with zipfile.ZipFile(path, "w") as zf:
        _member(zf, "activities.csv", text.getvalue().encode("utf-8"), last)
        for name, data, when in members:
            _member(zf, name, data, when)
    return listing


def write_garmin_export(
    sessions: Sequence[SynthSession], path: str | Path, *, athlete: str = "runner@example.com"
) -> list[str]:
    """Write a Garmin Connect-style data export zip (FIT uploads in a nested zip).

    Parameters
    ----------
    sessions
        Activities to include, each as a FIT upload.
    path
        The ``.zip`` to create (overwritten).
    athlete
        Account name used in member names (``<athlete>_<id>.fit``).

    Returns
    -------
    list of str
        Member names of the FIT files inside the nested zip.
    """
    inner = io.BytesIO()
    names: list[str] = []
    with zipfile.ZipFile(inner, "w") as zf:
        for i, s in enumerate(sessions):
            name = f"{athlete}_{activity_id(s, i)}.fit"
            _member(zf, name, write_fit(s), s.end_s)
            names.append(name)
    last = max((s.end_s for s in sessions), default=1.7e9)
    profile = b'{"userName": "runner", "locale": "en_US"}\n'
    with zipfile.ZipFile(path, "w") as zf:
        _member(zf, "DI_CONNECT/DI-Connect-User/user_profile.json", profile, last)
        _member(zf, "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip", inner.getvalue(), last)
    return names
