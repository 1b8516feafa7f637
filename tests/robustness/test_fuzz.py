"""Fuzzing the readers: mutated valid files into ``milepace.read_bytes``; only MilepaceError may come out.

Each case is a small valid seed file (``mutate.seeds()``: FIT in four
layouts, GPX 1.1 and 1.0, TCX, a gzip and a zip of a FIT file) with one to
four mutations (bit flips, byte sets, truncations, insertions, deletions,
duplicated chunks). A case passes when the read returns a valid Activity
(:func:`milepace.activity.validate`) or raises a MilepaceError that is not the
registry's wrapper for an unexpected reader exception
(``UnexpectedReaderError``: that is a reader bug caught by the safety net, and
counts as a failure here).

The default run is derandomised (the same cases every time, so CI is
stable); ``benchmarks/fuzz_long.py`` runs random cases for as long as asked.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.robustness import mutate as mt

mutation = st.tuples(
    st.sampled_from(mt.KINDS),
    st.floats(min_value=0.0, max_value=1.0, exclude_max=True, allow_nan=False),
    st.integers(min_value=0, max_value=255),
)
mutations = st.lists(mutation, min_size=1, max_size=4)

EXAMPLES = {
    # decoding a damaged FIT file falls back to fitdecode (~0.1 s a case on a loaded machine); zips are cheap
    "fit": 50,
    "fit_compressed_ts": 50,
    "fit_big_endian_hr": 50,
    "fit_treadmill": 50,
    "gpx": 70,
    "gpx10": 50,
    "tcx": 70,
    "fit.gz": 100,
    "zip": 1200,
}


def _name(seed: str) -> str:
    return {"fit.gz": "run.fit.gz", "zip": "run.zip", "gpx10": "run.gpx"}.get(
        seed, "run." + seed.split("_")[0]
    )


@pytest.mark.parametrize("seed", list(EXAMPLES))
def test_mutated_files_give_an_activity_or_a_milepace_error(seed: str) -> None:
    data = mt.seeds()[seed]
    assert mt.run_case(data, _name(seed)).status == "ok", "the unmutated seed must read"

    @settings(
        max_examples=EXAMPLES[seed],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(mutations)
    def check(muts: list[mt.Mutation]) -> None:
        outcome = mt.run_case(mt.mutate(data, muts), _name(seed))
        assert outcome.status != "bug", f"{seed} {muts}: {outcome.detail}"

    check()


def test_mutate_is_what_it_says() -> None:
    # worked by hand on a 4-byte string
    data = b"\x00\x01\x02\x03"
    assert mt.mutate(data, [("flip", 0.0, 1)]) == b"\x02\x01\x02\x03"
    assert mt.mutate(data, [("set", 0.5, 0xFF)]) == b"\x00\x01\xff\x03"
    assert mt.mutate(data, [("truncate", 0.5, 0)]) == b"\x00\x01"
    assert mt.mutate(data, [("delete", 0.25, 1)]) == b"\x00\x03"
    assert mt.mutate(data, [("duplicate", 0.25, 1)]) == b"\x00\x01\x02\x01\x02\x03"
    assert mt.mutate(data, [("insert", 0.0, 0)]) == b"\x00" + data
