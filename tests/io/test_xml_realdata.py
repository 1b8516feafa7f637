"""GPX and TCX readers on real device files and on the labelled corpus.

* Every GPX/TCX row of ``../shared/realdata/MANIFEST.tsv`` (``.gz`` ones
  decompressed here with :mod:`gzip`) reads into a valid Activity or raises a
  :class:`~milepace.errors.MilepaceError` — nothing else escapes.
* GPX values are checked against gpxpy, the reference GPX library: for the
  points gpxpy gives a time, the same instants (sorted, repeats merged), the
  same latitude, longitude and elevation.
* Every GPX/TCX file of ``../shared/corpus`` reads, one record per
  ``<trkpt>``/``<Trackpoint>`` element.
"""

from __future__ import annotations

import gzip
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from milepace.activity import Activity, validate
from milepace.errors import MilepaceError
from milepace.io.gpx import read_gpx
from milepace.io.tcx import read_tcx
from tests.conftest import CORPUS, REALDATA

pytestmark = pytest.mark.realdata


GPXPY_DEFAULT_MAX_BYTES = 150_000
"""GPX files up to this size (uncompressed; gzip counted ×8) are compared with gpxpy in the default run;
larger ones (gpxpy takes seconds each on a loaded machine) carry the ``slow`` marker."""


def _manifest_rows() -> list[tuple[str, str, int]]:
    manifest = REALDATA / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    rows = [line.split("\t") for line in manifest.read_text().splitlines()[1:] if line.strip()]
    return [(r[0], r[3], int(r[4])) for r in rows if r[3].startswith(("gpx", "tcx"))]


ROWS = [(r[0], r[1]) for r in _manifest_rows()]
GPX_PARAMS = [
    pytest.param(
        path,
        fmt,
        id=path,
        marks=[pytest.mark.slow]
        if size * (8 if path.endswith(".gz") else 1) > GPXPY_DEFAULT_MAX_BYTES
        else [],
    )
    for path, fmt, size in _manifest_rows()
    if fmt.startswith("gpx")
]


def _load(relpath: str) -> bytes:
    data = (REALDATA / relpath).read_bytes()
    return gzip.decompress(data) if relpath.lower().endswith(".gz") else data


def _read(relpath: str, fmt: str) -> Activity:
    reader = read_gpx if fmt.startswith("gpx") else read_tcx
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return reader(_load(relpath), relpath)


@pytest.mark.parametrize(("relpath", "fmt"), ROWS, ids=[r[0] for r in ROWS])
def test_reads_or_says_why(realdata: Path, relpath: str, fmt: str) -> None:
    try:
        act = _read(relpath, fmt)
    except MilepaceError as err:
        assert str(err).strip() and "\n" not in str(err)
        return
    validate(act)
    assert act.meta.format == fmt[:3]
    assert len(act.records) > 0 and act.channels


def _gpxpy_frame(data: bytes) -> pd.DataFrame | None:
    """Points gpxpy gives a time, sorted by time, repeated instants merged (last value wins)."""
    import gpxpy
    import gpxpy.gpx

    try:
        parsed = gpxpy.parse(data.decode("utf-8", errors="replace"))
    except Exception:  # gpxpy refuses some files we repair (undeclared prefixes): nothing to compare
        return None
    rows = [
        (p.time, p.latitude, p.longitude, np.nan if p.elevation is None else p.elevation)
        for trk in parsed.tracks
        for seg in trk.segments
        for p in seg.points
        if p.time is not None
    ]
    if not rows:
        return None
    frame = pd.DataFrame(rows, columns=["time", "lat", "lon", "ele"])
    frame["time"] = pd.to_datetime(frame["time"], utc=True)
    frame = frame.sort_values("time", kind="stable")
    return frame.groupby("time").last()


@pytest.mark.parametrize(("relpath", "fmt"), GPX_PARAMS)
def test_gpx_values_match_gpxpy(realdata: Path, relpath: str, fmt: str) -> None:
    data = _load(relpath)
    try:
        act = _read(relpath, fmt)
    except MilepaceError:
        pytest.skip("rejected by the reader (covered by test_reads_or_says_why)")
    ref = _gpxpy_frame(data)
    if ref is None:
        pytest.skip("gpxpy cannot read this file or finds no timed points")
    recs = act.records
    assert len(recs) == len(ref)
    ours = pd.DatetimeIndex(recs.index).as_unit("ns")
    assert (ours.asi8 == pd.DatetimeIndex(ref.index).as_unit("ns").asi8).all()
    np.testing.assert_allclose(recs["lat_deg"], ref["lat"], atol=1e-9)
    np.testing.assert_allclose(recs["lon_deg"], ref["lon"], atol=1e-9)
    if "elevation_m" in recs:
        np.testing.assert_allclose(recs["elevation_m"], ref["ele"], atol=1e-9, equal_nan=True)
    else:
        assert ref["ele"].isna().all()


def _corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.suffix.lower() in (".gpx", ".tcx"))


CORPUS_FILES = _corpus_files()


@pytest.mark.corpus
@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.name for p in CORPUS_FILES])
def test_corpus_record_counts(corpus: Path, path: Path) -> None:
    data = path.read_bytes()
    reader = read_gpx if path.suffix.lower() == ".gpx" else read_tcx
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        act = reader(data, path.name)
    validate(act)
    tag = rb"<trkpt[\s>]" if path.suffix.lower() == ".gpx" else rb"<(?:\w+:)?Trackpoint[\s>]"
    assert len(act.records) == len(re.findall(tag, data))
