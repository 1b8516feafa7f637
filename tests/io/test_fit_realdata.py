"""Every FIT file of ../shared/realdata and ../shared/corpus through :func:`read_fit`, checked against fitdecode.

Each real device file either reads into an Activity that passes
``validate()`` or is rejected with a :class:`MilepaceError` (the damaged ones
listed in ``realdata/README.md``). Record values of the files that read are
compared with an independent fitdecode pass (its own ``get_value`` API,
default options): timestamps exactly, positions within 1e-9° (the conversion
is exact; one semicircle is 8.4e-8°), distance within 0.005 m (field
resolution 0.01 m), speed within 0.0005 m/s (resolution 0.001), heart rate
exactly, cadence within 2/128 spm (fractional_cadence resolution 1/128, ×2).

By default the files under 60 kB run (about half of them); the whole set is
``-m slow``. The corpus check (record count = record messages in the file)
runs on every corpus FIT file.
"""

from __future__ import annotations

import csv
import gzip
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import fitdecode
import numpy as np
import pandas as pd
import pytest

from milepace.activity import Activity, validate
from milepace.errors import DataQualityWarning, MilepaceError
from milepace.io.fit import read_fit
from milepace.units import FIT_EPOCH_S, SEMICIRCLES_TO_DEG
from tests.conftest import CORPUS, REALDATA

SMALL_BYTES = 60_000
"""Files up to this size run by default; the rest only with ``-m slow``."""

DAMAGED_ON_PURPOSE = (
    "python-fitparse/activity-filecrc.fit",
    "python-fitparse/activity-activity-filecrc.fit",
    "python-fitparse/activity-settings-corruptheader.fit",
    "python-fitparse/activity-settings-nodata.fit",
    "python-fitparse/activity-unexpected-eof.fit",
    "python-fitparse/nick.fit",
    "sports-lib/empty-activities.fit",
    "sports-lib/empty-sessions.fit",
)
"""Files ``realdata/README.md`` and the manifest call corrupt or truncated: rejected, or read with a warning."""


def _fit_rows() -> list[tuple[str, int]]:
    manifest = REALDATA / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    with manifest.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [(r["relpath"], int(r["size_bytes"])) for r in rows if r["format"] in ("fit", "fit.gz")]


def _params() -> list[object]:
    out: list[object] = []
    for relpath, size in _fit_rows():
        marks = [pytest.mark.realdata]
        if size > SMALL_BYTES:
            marks.append(pytest.mark.slow)
        out.append(pytest.param(relpath, id=relpath, marks=marks))
    return out or [pytest.param(None, id="no-realdata")]


def _load(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


@dataclass
class _Direct:
    """Record values as fitdecode's own API reports them."""

    time_ns: list[int] = field(default_factory=list)
    values: dict[str, list[float]] = field(default_factory=dict)
    has_hr_messages: bool = False
    records: int = 0


def _direct_fitdecode(data: bytes) -> _Direct:
    out = _Direct()
    cols: dict[str, list[float]] = {
        k: [] for k in ("lat_deg", "lon_deg", "distance_m", "speed_m_s", "heart_rate_bpm", "cadence_spm")
    }

    def num(frame: fitdecode.FitDataMessage, name: str, scale: float = 1.0) -> float:
        # the field the file wrote wins over fitdecode's expansion of another field into it
        # (``speed`` -> ``enhanced_speed`` component), which get_value would return first
        # developer fields may reuse profile names (an IQ app's float32 "speed"): not the device's values
        fields = [f for f in frame.get_fields(name) if f.field_def is None or not f.field_def.is_dev]
        written = [f for f in fields if f.field_def is not None]
        chosen = (written or fields or [None])[0]
        value = None if chosen is None else chosen.value
        if isinstance(value, tuple):
            value = next((v for v in value if v is not None), None)
        return np.nan if value is None else float(value) * scale

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = fitdecode.FitReader(data, processor=None)
            for frame in reader:
                if not isinstance(frame, fitdecode.FitDataMessage):
                    continue
                if frame.name == "hr":
                    out.has_hr_messages = True
                if frame.name != "record":
                    continue
                out.records += 1
                ts = frame.get_value("timestamp", fallback=None)
                if ts is None:
                    continue
                out.time_ns.append((int(ts) + FIT_EPOCH_S) * 1_000_000_000)
                cols["lat_deg"].append(num(frame, "position_lat", SEMICIRCLES_TO_DEG))
                cols["lon_deg"].append(num(frame, "position_long", SEMICIRCLES_TO_DEG))
                cols["distance_m"].append(num(frame, "distance"))
                speed = num(frame, "enhanced_speed")
                cols["speed_m_s"].append(num(frame, "speed") if np.isnan(speed) else speed)
                cols["heart_rate_bpm"].append(num(frame, "heart_rate"))
                frac = num(frame, "fractional_cadence")
                cols["cadence_spm"].append((num(frame, "cadence") + (0.0 if np.isnan(frac) else frac)) * 2)
        except (fitdecode.FitError, ValueError):  # fitdecode raises ValueError("size") on zero-size fields
            pass  # damaged file: compare what decoded before the damage
    out.values = cols
    return out


TOLERANCE = {
    "lat_deg": 1e-9,
    "lon_deg": 1e-9,
    "distance_m": 0.005,
    "speed_m_s": 0.0005,
    "heart_rate_bpm": 0.0,
    "cadence_spm": 2 / 128,
}


def _compare_with_fitdecode(act: Activity, direct: _Direct) -> None:
    times = np.asarray(direct.time_ns, dtype=np.int64)
    ours = pd.DatetimeIndex(act.records.index).asi8
    assert np.isin(ours, times).all(), "a record time that fitdecode does not have"
    multisport = any("multisport" in w for w in act.warnings)
    if not multisport:
        assert len(ours) == len(np.unique(times)), "record count differs from fitdecode's unique timestamps"
    uniq, counts = np.unique(times, return_counts=True)
    single = uniq[counts == 1]
    pick_direct = np.flatnonzero(np.isin(times, single) & np.isin(times, ours))
    pick_ours = np.searchsorted(ours, times[pick_direct])
    for name, tol in TOLERANCE.items():
        expected = np.asarray(direct.values[name], dtype=np.float64)[pick_direct]
        if name == "cadence_spm" and "cadence_dropped" in act.meta.extra:
            assert name not in act.records
            continue
        if name in act.records:
            got = act.records[name].to_numpy(dtype=np.float64)[pick_ours]
        else:
            got = np.full(len(pick_direct), np.nan)
        both = ~np.isnan(expected) & ~np.isnan(got)
        assert np.all(np.abs(got[both] - expected[both]) <= tol), f"{name} differs from fitdecode"
        # values fitdecode has are never lost; values it lacks are never invented (bar merged hr messages)
        assert not (~np.isnan(expected) & np.isnan(got)).any(), f"{name}: values fitdecode has are missing"
        invented = np.isnan(expected) & ~np.isnan(got)
        if name == "heart_rate_bpm" and direct.has_hr_messages:
            continue
        assert not invented.any(), f"{name}: values fitdecode does not have"


@pytest.mark.parametrize("relpath", _params())
def test_realdata_fit_reads_or_is_rejected(relpath: str | None, realdata: Path) -> None:
    if relpath is None:
        pytest.skip("no FIT rows in the manifest")
    data = _load(realdata / relpath)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        try:
            act = read_fit(data, relpath)
        except MilepaceError as err:
            assert str(err).strip(), "an error needs a sentence"
            return
    validate(act)
    if relpath in DAMAGED_ON_PURPOSE:
        assert act.warnings, "a damaged file must not read silently"
    _compare_with_fitdecode(act, _direct_fitdecode(data))


def _damaged_params() -> list[object]:
    sizes = dict(_fit_rows())
    return [
        pytest.param(
            p,
            id=p,
            marks=[pytest.mark.realdata] + ([pytest.mark.slow] if sizes.get(p, 0) > SMALL_BYTES else []),
        )
        for p in DAMAGED_ON_PURPOSE
    ]


@pytest.mark.parametrize("relpath", _damaged_params())
def test_damaged_files_are_rejected_or_warned(relpath: str, realdata: Path) -> None:
    path = realdata / relpath
    if not path.is_file():
        pytest.skip(f"{relpath} not in this realdata snapshot")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            act = read_fit(path.read_bytes(), relpath)
        except MilepaceError as err:
            assert "\n" not in str(err)
            return
    assert act.warnings
    assert any(issubclass(w.category, DataQualityWarning) for w in caught)


def _corpus_fits() -> list[object]:
    files = sorted(CORPUS.glob("*.fit")) if CORPUS.is_dir() else []
    return [pytest.param(p.name, id=p.name, marks=pytest.mark.corpus) for p in files] or [
        pytest.param(None, id="no-corpus")
    ]


@pytest.mark.parametrize("name", _corpus_fits())
def test_corpus_fit_record_count(name: str | None, corpus: Path) -> None:
    if name is None:
        pytest.skip("no FIT files in the corpus")
    data = (corpus / name).read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        act = read_fit(data, name)
    validate(act)
    direct = _direct_fitdecode(data)
    assert len(act.records) == direct.records


@pytest.mark.realdata
def test_hr_messages_merge_like_the_fit_sdk(realdata: Path) -> None:
    """Records without their own heart rate get the FIT SDK's merge of the ``hr`` messages.

    The reference is Garmin's own garmin-fit-sdk (``merge_heart_rates=True``).
    The SDK overwrites every record's heart rate with the strap average; milepace
    keeps a record's own value and fills only the missing ones, so only those are compared.
    """
    sdk = pytest.importorskip("garmin_fit_sdk")
    path = realdata / "muktihari-fit" / "HrmPluginTestActivity.fit"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    data = path.read_bytes()
    messages, errors = sdk.Decoder(sdk.Stream.from_byte_array(bytearray(data))).read(
        merge_heart_rates=True, convert_datetimes_to_dates=False
    )
    assert not errors
    expected = {
        (int(m["timestamp"]) + FIT_EPOCH_S) * 1_000_000_000: m.get("heart_rate")
        for m in messages["record_mesgs"]
    }
    direct = _direct_fitdecode(data)
    own_hr = {
        t for t, h in zip(direct.time_ns, direct.values["heart_rate_bpm"], strict=True) if not np.isnan(h)
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        act = read_fit(data, path.name)
    merged = [
        (t, hr)
        for t, hr in zip(
            pd.DatetimeIndex(act.records.index).asi8.tolist(), act.records["heart_rate_bpm"], strict=True
        )
        if t not in own_hr and not np.isnan(hr)
    ]
    assert len(merged) > 100  # the file's records mostly lack heart rate; the strap's hr messages carry it
    assert all(expected[t] == hr for t, hr in merged)
