"""Colours, sizes and small helpers every milepace chart shares.

Charts are drawn on :class:`matplotlib.figure.Figure` objects directly, never
through ``pyplot``, so no global state is touched, no window opens and no
backend has to be chosen: :meth:`Figure.savefig` picks the canvas from the
file extension (PNG through Agg, SVG through the SVG backend).

The default size is 12 × 6 in at 100 dpi: 1200 px wide, the width the charts
are designed to stay legible at.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..errors import UsageError
from ..units import format_duration

if TYPE_CHECKING:
    from ..report.session import SessionReport

DPI = 100
"""Resolution charts are saved at [dots per inch]; 12 in × 100 dpi = 1200 px."""
WIDTH_IN = 12.0
"""Default figure width [in]."""
HEIGHT_IN = 6.0
"""Default figure height [in]."""
FONT_SIZE = 10.0
"""Base font size [pt]; at 100 dpi a 10 pt label is about 14 px high."""
SMALL_FONT_SIZE = 8.5
"""Font size of per-bar labels [pt]."""

VERDICT_COLOURS: dict[str, str] = {
    "on-target": "#2e9e44",
    "fast": "#2b6cb0",
    "slow": "#dd6b20",
    "no-target": "#8c8c8c",
}
"""Bar colour by the reporter's verdict."""

KIND_COLOURS: dict[str, str] = {
    "interval": "#e05d44",
    "stride": "#7b61c9",
    "hill_repeat": "#8a6d3b",
}
"""Shading colour by effort kind."""

BAND_COLOUR = "#2e9e44"
"""Colour of the target band."""
RECOVERY_COLOURS: dict[str, str] = {
    "jog": "#4a7fb5",
    "walk": "#b58a4a",
    "stand": "#9a4ab5",
    "mixed": "#666666",
}
"""Text colour of recovery labels by kind."""

SAVE_FORMATS = ("png", "svg")
"""File formats :func:`save` writes (by extension)."""


def new_figure(
    rows: int = 1,
    *,
    height_ratios: Iterable[float] | None = None,
    height_in: float = HEIGHT_IN,
    sharex: bool = True,
) -> tuple[Figure, list[Axes]]:
    """A figure of the default width with ``rows`` axes stacked (sharing x unless ``sharex=False``).

    Parameters
    ----------
    rows
        Number of axes, top to bottom.
    height_ratios
        Relative heights of the rows.
    height_in
        Figure height [in].
    sharex
        Whether the axes share their x axis.

    Returns
    -------
    (Figure, list of Axes)
    """
    fig = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, layout="constrained")
    ratios = list(height_ratios) if height_ratios is not None else None
    axes = fig.subplots(rows, 1, sharex=sharex, squeeze=False, gridspec_kw={"height_ratios": ratios})
    return fig, [a for (a,) in axes]


def figure_for(ax: Axes | None, *, height_in: float = HEIGHT_IN) -> tuple[Figure, Axes]:
    """The figure of ``ax``, or a new default-size figure with one axes."""
    if ax is None:
        fig, (new_ax,) = new_figure(1, height_in=height_in)
        return fig, new_ax
    parent = ax.get_figure()
    root = getattr(parent, "figure", parent)  # a SubFigure's root Figure (a Figure is its own)
    if not isinstance(root, Figure):
        raise UsageError("needs an Axes that belongs to a matplotlib Figure, found a detached Axes")
    return root, ax


def style_axes(ax: Axes) -> None:
    """Light grid behind the data, no top/right spines, the base font size."""
    ax.grid(True, axis="y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=FONT_SIZE)


def clock_label(seconds: float) -> str:
    """``2:43.4`` under a minute and above; ``58.2`` reads as ``0:58.2`` (one form for all bars)."""
    return format_duration(seconds, decimals=1)


def signed_seconds(delta_s: float) -> str:
    """``+1.4 s`` / ``−0.6 s`` / ``±0.0 s``; empty when NaN."""
    if delta_s is None or not math.isfinite(delta_s):
        return ""
    shown = round(delta_s, 1)
    if shown == 0:
        return "±0.0 s"
    return f"{'+' if shown > 0 else '−'}{abs(shown):.1f} s"


def local_start(start: pd.Timestamp | None, utc_offset_s: float | None) -> str:
    """``2026-05-02 13:01 UTC``, or local time with its offset when the file records one."""
    if start is None or pd.isna(start):
        return "date unknown"
    if utc_offset_s is not None and math.isfinite(utc_offset_s):
        local = start + pd.Timedelta(seconds=utc_offset_s)
        hours = utc_offset_s / 3600.0
        zone = "UTC" if hours == 0 else f"UTC{hours:+g}"
        return f"{local:%Y-%m-%d %H:%M} ({zone})"
    return f"{start:%Y-%m-%d %H:%M} UTC"


def save(fig: Figure, path: str | Path) -> Path:
    """Write ``fig`` as PNG or SVG, chosen by the file extension, at :data:`DPI`.

    Parameters
    ----------
    fig
        The figure.
    path
        Target file ending in ``.png`` or ``.svg``.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    UsageError
        For any other extension, or when the file cannot be written.
    """
    target = Path(path)
    ext = target.suffix.lower().lstrip(".")
    if ext not in SAVE_FORMATS:
        raise UsageError(f"chart file must end in .png or .svg, got {target.name!r}")
    try:
        fig.savefig(target, format=ext, dpi=DPI)
    except OSError as err:
        raise UsageError(f"cannot write the chart to {target}: {err.strerror or err}") from err
    return target


def session_heading(report: SessionReport, what: str) -> str:
    """Chart title: what is shown, the session's name (or file) and when it started.
    ``Lap pacing — track_6x800.fit — 2026-05-02 13:01 UTC``.
    """
    name = None
    offset = None
    if report.analysis is not None:
        name = report.analysis.activity.meta.name
        offset = report.analysis.activity.meta.utc_offset_s
    label = name or Path(report.source.split("!")[-1]).name or "session"
    return f"{what} — {label} — {local_start(report.start, offset)}"


def session_subtitle(report: SessionReport) -> str:
    """Second title line: goal mile and plan, when given."""
    parts = []
    if report.goal_mile_s is not None:
        parts.append(f"goal mile {format_duration(report.goal_mile_s, decimals=0)}")
    if report.plan_text:
        parts.append(f"plan {report.plan_text}")
    return " · ".join(parts) if parts else "no goal mile given"
