"""Unit constants and time/pace parsing, with hand-worked values."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from milepace.errors import UsageError
from milepace.units import (
    METERS_PER_MILE,
    SEMICIRCLES_TO_DEG,
    format_duration,
    format_pace,
    pace_s_per_mile,
    parse_duration,
    parse_pace,
    speed_to_pace,
)


def test_mile_is_exact() -> None:
    # 1 international mile = 5280 ft × 0.3048 m/ft.
    assert METERS_PER_MILE == 5280 * 0.3048 == 1609.344


def test_semicircles() -> None:
    # 2**31 semicircles span 180°, so 2**30 is 90° and 1 semicircle ≈ 8.38e-8°.
    assert 2**30 * SEMICIRCLES_TO_DEG == 90.0
    assert math.isclose(SEMICIRCLES_TO_DEG, 8.381903171539307e-08)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("5:30", 330.0), ("4:05.3", 245.3), ("1:02:03", 3723.0), ("82", 82.0), ("82.5s", 82.5), ("0:59", 59.0)],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("bad", ["", "5:60", "abc", "1:75:00", "-3"])
def test_parse_duration_rejects(bad: str) -> None:
    with pytest.raises(UsageError):
        parse_duration(bad)


def test_parse_pace() -> None:
    assert parse_pace("5:20/mi") == 320.0
    # 3:20/km = 200 s per 1000 m -> 200 × 1.609344 = 321.8688 s/mi
    assert parse_pace("3:20/km") == pytest.approx(321.8688)
    # 80 s per 400 m -> 80 × 1609.344 / 400 = 321.8688 s/mi
    assert parse_pace("80s/400") == pytest.approx(321.8688)
    assert parse_pace("80/400m") == pytest.approx(321.8688)


def test_split_arithmetic() -> None:
    # A 5:30 mile is 330 s over 1609.344 m; 400 m of it is 330 × 400 / 1609.344 = 82.0210 s (1609.344 × 82 = 131,966.2; 33.8 / 1609.344 = 0.0210).
    assert 330 * 400 / METERS_PER_MILE == pytest.approx(82.0210, abs=1e-4)
    assert pace_s_per_mile(164.0417, 800.0) == pytest.approx(330.0, abs=1e-3)
    # 4.4704 m/s is exactly 10 mph: 6:00/mi.
    assert speed_to_pace(4.4704) == pytest.approx(360.0)


def test_format() -> None:
    assert format_duration(164.04) == "2:44.0"
    assert format_duration(3723.0) == "1:02:03.0"
    assert format_duration(59.96) == "1:00.0"
    assert format_pace(330.0) == "5:30/mi"
    assert format_pace(330.0, per="km") == "3:25/km"  # 330 / 1.609344 = 205.05 s


@given(st.floats(min_value=0, max_value=36000, allow_nan=False))
def test_duration_round_trip(seconds: float) -> None:
    assert parse_duration(format_duration(seconds, decimals=3)) == pytest.approx(seconds, abs=6e-4)
