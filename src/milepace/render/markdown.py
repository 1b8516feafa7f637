"""The session report as Markdown: the same tables as the terminal, as pipe tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..report.session import SessionReport
from .table import (
    COLUMNS,
    SET_COLUMNS,
    SPLIT_COLUMNS,
    effort_rows,
    set_rows,
    split_rows,
    title,
    trial_lines,
)

_RIGHT = {
    "#",
    "distance",
    "time",
    "target",
    "Δ",
    "pace",
    "Δ/mi",
    "n",
    "mean time",
    "mean pace",
    "spread",
    "fade",
    "CV",
}


def _escape(cell: str) -> str:
    return cell.replace("|", "\\|")


def pipe_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table (numbers right-aligned)."""
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join("---:" if h in _RIGHT else "---" for h in header) + "|")
    for row in rows:
        lines.append("| " + " | ".join(_escape(c) for c in row) + " |")
    return "\n".join(lines)


def report_to_markdown(report: SessionReport) -> str:
    """The report as Markdown: a heading, the effort table, sets, time trial, warnings."""
    out = [f"### {_escape(title(report))}", ""]
    rows = [row.cells for row in effort_rows(report)]
    out.append(pipe_table(COLUMNS, rows) if rows else "_no efforts found_")
    sets = list(set_rows(report))
    if sets:
        out += ["", "**Sets**", "", pipe_table(SET_COLUMNS, sets)]
    splits = list(split_rows(report))
    if splits:
        out += ["", "**Time trial**", "", pipe_table(SPLIT_COLUMNS, splits), ""]
        out += [f"- {line}" for line in trial_lines(report)]
    if report.warnings:
        out += [""] + [f"> warning: {w}" for w in report.warnings]
    return "\n".join(out) + "\n"
