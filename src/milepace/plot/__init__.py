"""Charts: lap pacing, speed trace, time trial, training block (matplotlib, no pyplot).

>>> import milepace
>>> from milepace import plot                                             # doctest: +SKIP
>>> report = milepace.session_report(milepace.analyze("run.fit", goal_mile="5:30"))  # doctest: +SKIP
>>> plot.lap_chart(report).savefig("laps.png")                            # doctest: +SKIP

Every function takes ``ax=None`` (draw into your own axes, or get a new
1200 px-wide figure) and returns the :class:`~matplotlib.figure.Figure`; none
calls ``plt.show()`` or touches pyplot state. :func:`save` writes PNG or SVG
by the file extension. matplotlib is imported here and nowhere else in
milepace, so ``import milepace`` and the CLI stay light.
"""

from __future__ import annotations

from .block import block_chart, progression_chart, week_stacks, weekly_chart
from .laps import LapBar, lap_chart
from .style import save
from .trace import speed_series, trace_chart
from .trial import plan_split_s, trial_chart

__all__ = [
    "LapBar",
    "block_chart",
    "lap_chart",
    "plan_split_s",
    "progression_chart",
    "save",
    "speed_series",
    "trace_chart",
    "trial_chart",
    "week_stacks",
    "weekly_chart",
]
