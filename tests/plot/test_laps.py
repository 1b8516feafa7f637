"""Lap-pacing chart: bars, target band, labels, recoveries and sets checked on the figure's artists.

Expected values are worked out by hand from the goal mile: a 5:30 mile is
330 s per 1609.344 m, so 400 m takes 330 × 400 / 1609.344 = 82.021 s and
800 m 164.042 s; the reporter's default tolerance is 1 s per 400 m, which
as a pace is 1609.344 / 400 = 4.023 s/mile.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from milepace.errors import UsageError
from milepace.plot import lap_chart, save
from milepace.plot.style import VERDICT_COLOURS
from milepace.report.session import session_report
from tests.report.builders import Seg, build, reps

GOAL_S = 330.0
TARGET_400_S = 82.021  # 330 * 400 / 1609.344
TARGET_800_S = 164.042  # 330 * 800 / 1609.344


def _by_gid(fig: Figure, prefix: str) -> dict[str, object]:
    return {
        a.get_gid(): a
        for a in fig.findobj()
        if isinstance(a.get_gid(), str) and a.get_gid().startswith(prefix)
    }


def _four_by_400() -> Figure:
    analysis = build(reps([81.0, 82.0, 83.0, 85.0], 400.0), goal_mile_s=GOAL_S)
    return lap_chart(session_report(analysis))


def test_one_bar_per_effort_at_the_rep_time() -> None:
    fig = _four_by_400()
    bars = _by_gid(fig, "bar-")
    assert sorted(bars) == ["bar-1", "bar-2", "bar-3", "bar-4"]
    tops = {gid: r.get_y() + r.get_height() for gid, r in bars.items() if isinstance(r, Rectangle)}
    assert tops == pytest.approx({"bar-1": 81.0, "bar-2": 82.0, "bar-3": 83.0, "bar-4": 85.0})
    assert fig.milepace_metric == "time"  # type: ignore[attr-defined]


def test_target_band_is_goal_split_plus_minus_one_second() -> None:
    fig = _four_by_400()
    bands = _by_gid(fig, "target-")
    assert len(bands) == 4
    for band in bands.values():
        assert isinstance(band, Rectangle)
        assert band.get_y() + band.get_height() / 2 == pytest.approx(TARGET_400_S, abs=0.001)
        assert band.get_height() == pytest.approx(2.0)


def test_labels_carry_time_and_delta_and_bars_the_verdict_colour() -> None:
    fig = _four_by_400()
    labels = {gid: t.get_text() for gid, t in _by_gid(fig, "label-").items() if isinstance(t, Text)}
    # 81 − 82.021 = −1.021 s (fast: beyond the 1 s tolerance); 85 − 82.021 = +2.979 s (slow)
    assert labels["label-1"] == "1:21.0\n−1.0 s"
    assert labels["label-2"] == "1:22.0\n±0.0 s"
    assert labels["label-3"] == "1:23.0\n+1.0 s"
    assert labels["label-4"] == "1:25.0\n+3.0 s"
    bars = _by_gid(fig, "bar-")
    from matplotlib.colors import to_hex

    colours = {gid: to_hex(r.get_facecolor()) for gid, r in bars.items() if isinstance(r, Rectangle)}
    assert colours["bar-1"] == VERDICT_COLOURS["fast"]
    assert colours["bar-2"] == VERDICT_COLOURS["on-target"]
    assert colours["bar-3"] == VERDICT_COLOURS["on-target"]
    assert colours["bar-4"] == VERDICT_COLOURS["slow"]


def test_recoveries_labelled_between_bars_with_time_distance_and_kind() -> None:
    fig = _four_by_400()
    recs = {gid: t.get_text() for gid, t in _by_gid(fig, "recovery-").items() if isinstance(t, Text)}
    # 120 s at 400/120 m/s covers 400 m; nothing after the last rep
    assert recs == {f"recovery-{i}": "2:00 400 m jog" for i in (1, 2, 3)}


def test_sets_are_grouped_with_a_wider_gap_and_a_summary() -> None:
    # 3 × 400 m with 2:00 jog, 3:00 jog, 2 × 800 m with 2:00 jog
    segs = [
        Seg(300.0, 3.0),
        *(s for t in (81.0, 82.0, 83.0) for s in (Seg(t, 400.0 / t, work=True), Seg(120.0, 3.3))),
    ]
    segs[-1] = Seg(180.0, 2.5)
    segs += [Seg(163.0, 800.0 / 163.0, work=True), Seg(120.0, 3.3), Seg(165.0, 800.0 / 165.0, work=True)]
    segs.append(Seg(300.0, 3.0))
    analysis = build(segs, goal_mile_s=GOAL_S)
    report = session_report(analysis)
    fig = lap_chart(report, metric="pace")
    xs = [b.x for b in fig.milepace_bars]  # type: ignore[attr-defined]
    gaps = [b - a for a, b in itertools.pairwise(xs)]
    assert len(report.sets) == 2
    assert gaps[2] > gaps[0] == pytest.approx(1.0)  # the set change after the third rep
    set_texts = [t.get_text() for t in _by_gid(fig, "set-").values() if isinstance(t, Text)]
    assert len(set_texts) == 2 and all("spread" in t and "fade" in t for t in set_texts)


def test_pace_band_is_goal_pace_plus_minus_the_tolerance_as_pace() -> None:
    analysis = build(reps([164.0, 166.0], 800.0), goal_mile_s=GOAL_S)
    fig = lap_chart(session_report(analysis), metric="pace")
    for band in _by_gid(fig, "target-").values():
        assert isinstance(band, Rectangle)
        assert band.get_y() + band.get_height() / 2 == pytest.approx(330.0)
        # 2 s on an 800 m rep is 2 × 1609.344 / 800 = 4.023 s/mile each side
        assert band.get_height() / 2 == pytest.approx(4.023, abs=0.001)


def test_twenty_four_fartlek_efforts_stay_one_bar_each_and_use_pace() -> None:
    segs = [Seg(600.0, 3.0)]
    for k in range(24):
        speed = 4.6 + 0.02 * (k % 5)  # distances differ, times equal: a fartlek
        segs += [Seg(60.0, speed, work=True), Seg(60.0, 2.8)]
    segs[-1] = Seg(600.0, 3.0)
    fig = lap_chart(session_report(build(segs, goal_mile_s=GOAL_S)))
    assert len(_by_gid(fig, "bar-")) == 24
    assert fig.milepace_metric == "pace"  # type: ignore[attr-defined]
    labels = [t for t in _by_gid(fig, "label-").values() if isinstance(t, Text)]
    assert all(t.get_rotation() == 90 for t in labels)  # vertical so 24 labels do not overlap


def test_strides_without_target_draw_no_band() -> None:
    analysis = build(reps([18.0, 19.0, 20.0], 90.0, kind="stride", recovery_s=60.0), goal_mile_s=GOAL_S)
    fig = lap_chart(session_report(analysis))
    assert len(_by_gid(fig, "bar-")) == 3
    assert _by_gid(fig, "target-") == {}


def test_title_says_what_and_when() -> None:
    fig = _four_by_400()
    title = fig.axes[0].get_title(loc="left")
    assert title.startswith("Lap pacing — synthetic.fit — 2026-05-02 13:00")
    assert "goal mile 5:30" in title


def test_draws_into_a_given_axes_and_returns_its_figure() -> None:
    fig = Figure()
    ax = fig.add_subplot()
    analysis = build(reps([81.0, 82.0], 400.0), goal_mile_s=GOAL_S)
    assert lap_chart(session_report(analysis), ax=ax) is fig


def test_no_efforts_gives_an_empty_chart_that_says_so() -> None:
    analysis = build([Seg(600.0, 3.0)], goal_mile_s=GOAL_S)
    fig = lap_chart(analysis)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "no efforts detected" in texts


def test_png_1200_px_wide_and_svg_both_write(tmp_path: Path) -> None:
    fig = _four_by_400()
    png = save(fig, tmp_path / "laps.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    assert int.from_bytes(png[16:20], "big") == 1200  # PNG IHDR: width is bytes 16–19
    svg = save(fig, tmp_path / "laps.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and 'width="864pt"' in svg  # 12 in × 72 pt


def test_other_extensions_and_bad_input_raise_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"\.png or \.svg"):
        save(_four_by_400(), tmp_path / "laps.pdf")
    with pytest.raises(UsageError, match="metric"):
        lap_chart(build(reps([81.0], 400.0)), metric="speed")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="SessionReport or SessionAnalysis"):
        lap_chart("run.fit")  # type: ignore[arg-type]
