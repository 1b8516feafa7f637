"""Property tests: any plan built from the grammar's parts parses back to what it was built from."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from milepace.errors import PlanSyntaxError
from milepace.plan.grammar import parse_plan

DISTANCES = {"200m": 200.0, "400m": 400.0, "800m": 800.0, "1200m": 1200.0, "1mi": 1609.344, "1km": 1000.0}
DURATIONS = {"30s": 30.0, "45s": 45.0, "1min": 60.0, "2:00": 120.0}
PACES = ["mile", "1500", "3k", "5k", "T", "5:20/mi", "3:20/km", "80s/400"]
RECOVERIES = {
    "400m jog": (400.0, None, "jog"),
    "90s stand": (None, 90.0, "stand"),
    "1min walk": (None, 60.0, "walk"),
}

part = st.tuples(
    st.integers(min_value=1, max_value=12),
    st.sampled_from(sorted(DISTANCES) + sorted(DURATIONS)),
    st.sampled_from(PACES),
    st.sampled_from(sorted(RECOVERIES)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(part, min_size=1, max_size=4))
def test_built_plans_parse_back(parts: list[tuple[int, str, str, str]]) -> None:
    text = ", ".join(f"{n}x{amount}@{pace}/{rec}" for n, amount, pace, rec in parts)
    reps = parse_plan(text).expand()
    assert len(reps) == sum(n for n, *_ in parts)
    k = 0
    for p, (n, amount, _pace, rec) in enumerate(parts):
        for i in range(n):
            rep = reps[k]
            assert rep.distance_m == DISTANCES.get(amount)
            assert rep.duration_s == DURATIONS.get(amount)
            last_of_plan = p == len(parts) - 1 and i == n - 1
            if last_of_plan:
                assert rep.recovery is None
            else:
                assert rep.recovery is not None
                assert (rep.recovery.distance_m, rep.recovery.duration_s, rep.recovery.kind) == RECOVERIES[
                    rec
                ]
            k += 1


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789xm@/:,() jogwalkstandmilefullTsk.", max_size=30))
def test_any_text_parses_or_raises_plan_syntax_error(text: str) -> None:
    try:
        plan = parse_plan(text)
    except PlanSyntaxError as err:
        assert 0 <= err.position <= len(text)
        assert err.message.startswith("expected ")
    else:
        assert len(plan.expand()) >= 1


@pytest.mark.parametrize("count", [1, 3, 10])
def test_group_count_multiplies(count: int) -> None:
    reps = parse_plan(f"{count}x(400m@mile, 200m@1500, 1min@T)/2min jog").expand()
    assert len(reps) == 3 * count
