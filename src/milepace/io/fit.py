"""FIT reader: the fitdecode reference decoder and the FIT → :class:`Activity` builder.

Two decoders turn FIT bytes into :data:`~milepace.io.fit_tables.FitTables`
(one DataFrame per message type); :func:`tables_to_activity` builds the
Activity from either, so the fast path and the reference path differ only in
decoding:

* :func:`read_fit` tries the vectorised decoder (``io/fit_fast.py``) and falls
  back to :func:`decode_fitdecode` when it is unavailable or declines the file
  (``meta.decoder`` says which ran, ``meta.extra["fallback_reason"]`` why);
* :func:`read_fit_reference` always uses fitdecode.

Table conventions beyond :mod:`milepace.io.fit_tables`
-----------------------------------------------------
* Fields whose meaning depends on another field (FIT "subfields":
  ``event.data``, ``workout_step.duration_value``, ``target_value``,
  ``custom_target_value_low/high``) hold the **raw integer** of the parent
  field; the builder applies the subfield's scale (``duration_time`` /1000 s,
  ``duration_distance`` /100 m, ``custom_target_speed_*`` /1000 m/s).
  ``event.timer_trigger`` is filled for timer events.
* ``record.enhanced_speed``/``enhanced_altitude`` are only the fields the file
  actually wrote (fitdecode's expansion of ``speed`` into an ``enhanced_speed``
  component is not copied); components that are the only source of a value
  (``compressed_speed_distance`` → ``speed``/``distance``, ``time256`` →
  ``fractional_timestamp``) are.
* A chained file (several FIT files back to back) is read in order into the
  same tables. ``tables["_summary"]`` (optional for other decoders) holds one
  row: ``fit_files`` (count; > 1 is copied to ``meta.extra["fit_files"]``) and
  ``messages`` (every message name in the file, for error messages).
* ``hr``: ``filtered_bpm`` and ``event_timestamp`` are tuples (object
  column), one entry per beat sample; ``event_timestamp`` is on the sensor's
  event clock [s] as the FIT SDK accumulates it (12-bit packed values rolled
  over from the anchor message's full ``event_timestamp``).
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.arrays import IntegerArray

from ..activity import (
    LAP_COLUMNS,
    PAUSE_COLUMNS,
    WORKOUT_STEP_COLUMNS,
    Activity,
    ActivityMeta,
    empty_laps,
    empty_pauses,
)
from ..errors import DataQualityWarning, EmptyActivity, MilepaceError, ParseError
from ..units import FIT_EPOCH_S, SEMICIRCLES_TO_DEG
from . import fit_names
from .fit_profile import narrower_field_note, narrower_than_profile
from .fit_tables import MESSAGES, FitTables
from .records import build_records, frame_of_columns, object_column

if TYPE_CHECKING:
    import fitdecode

__all__ = ["decode_fitdecode", "read_fit", "read_fit_reference", "tables_to_activity"]

_WANTED_FIELDS: dict[str, frozenset[str]] = {name: frozenset(fields) for name, fields in MESSAGES.items()}
_RAW_TYPES = frozenset({"date_time", "local_date_time"})
"""Profile types kept as raw integers (besides enums)."""
_RUN_LIKE_SPORTS = frozenset({"running", "walking", "hiking", "generic"})
"""Sports whose FIT ``cadence`` counts strides of one leg, so steps = 2 × cadence."""
_NS_PER_S = 1_000_000_000
_RELATIVE_TIME_LIMIT_S = 0x10000000
"""FIT date_time values below this are seconds since device power-up, not since the FIT epoch."""


# --------------------------------------------------------------------------- decoding


def _field_kind(field: Any) -> str:
    """``raw`` (enums, date_time), ``str`` or ``num`` for a fitdecode profile field."""
    ftype = field.type
    name = getattr(ftype, "name", "")
    if name == "string":
        return "str"
    if name in _RAW_TYPES:
        return "raw"
    if not field.is_base_type and ftype.enum:
        return "raw"
    return "num"


def _scalar(value: Any) -> Any:
    """First element of an array value (FIT lets any field be an array); ``None`` stays ``None``."""
    if isinstance(value, tuple):
        for item in value:
            if item is not None:
                return item
        return None
    return value


def _scaled(field: Any, raw: Any) -> Any:
    raw = _scalar(raw)
    if raw is None or not isinstance(raw, (int, float)):
        return raw
    value = float(raw)
    if field.scale:
        value /= field.scale
    if field.offset:
        value -= field.offset
    return value


def _unpack_12bit(raw: tuple[int, ...] | bytes) -> list[int]:
    """The 8 little-endian 12-bit values packed in ``hr.event_timestamp_12`` (12 bytes)."""
    as_int = int.from_bytes(bytes(int(b) & 0xFF for b in raw), "little")
    count = (len(raw) * 8) // 12
    return [(as_int >> (12 * i)) & 0xFFF for i in range(count)]


class _HrClock:
    """Accumulates ``hr`` event timestamps the way the FIT SDK does (1/1024 s ticks)."""

    def __init__(self) -> None:
        self.acc: int | None = None

    def anchor(self, raw: int) -> None:
        self.acc = raw & 0xFFFFFFFF

    def expand(self, values_12: list[int]) -> list[float]:
        out: list[float] = []
        if self.acc is None:
            return [math.nan] * len(values_12)
        for v in values_12:
            base = v + (self.acc & ~0xFFF)
            if v < (self.acc & 0xFFF):
                base += 0x1000
            self.acc = base
            out.append(base / 1024.0)
        return out


def _narrow_field(frame: fitdecode.FitDataMessage, fd: fitdecode.types.FieldData) -> str | None:
    """The note for a field declared narrower than its profile type (``fit_profile.narrower_than_profile``), else ``None``.

    fitdecode reads an unknown base type, ``byte`` or a size that is not a
    multiple of the base type's size as bytes (element size 1).
    """
    import fitdecode  # loaded by decode_fitdecode already

    field_def = fd.field_def
    base = field_def.base_type
    as_bytes = base.identifier == fitdecode.types.BASE_TYPE_BYTE.identifier
    element = 1 if as_bytes else base.size
    profile_type = narrower_than_profile(
        frame.global_mesg_num,
        field_def.def_num,
        field_def.size,
        element,
        declared_string=base.identifier == fitdecode.types.BASE_TYPES[0x07].identifier,
    )
    if profile_type is None:
        return None
    name = fd.parent_field.name if fd.parent_field is not None else fd.field.name
    declared = None if as_bytes else base.name
    return narrower_field_note(frame.name, name, field_def.size, declared, profile_type[0])


def _holds_data(fd: fitdecode.types.FieldData) -> bool:
    """Whether an array or bytes field has an element that is neither zero nor invalid (0xFF for bytes)."""
    raw = fd.raw_value
    if isinstance(raw, bytes):
        raw = raw.decode("latin-1")
    if isinstance(raw, str):  # declared as a string
        return bool(raw.strip("\x00"))
    if not isinstance(raw, tuple):
        return False  # None: every byte 0xFF
    if fd.field_def.base_type.name == "byte":
        return any(v not in (0, 0xFF) for v in raw)
    return any(v is not None and v == v and v != 0 for v in raw)


def _message_row(
    frame: fitdecode.FitDataMessage, wanted: frozenset[str], hr_clock: _HrClock, dropped: set[str]
) -> dict[str, Any]:
    row: dict[str, Any] = {}
    from_components: dict[str, Any] = {}
    pending: list[tuple[str, Any]] = []  # fitdecode lists a field's components just before the field
    is_hr = frame.name == "hr"
    for fd in frame.fields:
        field = fd.field
        if field is None:
            continue
        if fd.field_def is None:
            # component expansion, or the timestamp of a compressed-timestamp header
            name = field.name
            if (
                name in wanted
                and not name.startswith("enhanced_")
                and not (is_hr and name == "event_timestamp")
            ):
                raw = fd.raw_value if name == "timestamp" else fd.value
                pending.append((name, _scalar(raw)))
            continue
        if fd.field_def.is_dev:
            continue
        note = _narrow_field(frame, fd)
        if note is not None:  # drop the field and the components expanded from its fragments
            if _holds_data(fd):  # a placeholder of zeros or invalid values loses nothing: no note
                dropped.add(note)
            pending.clear()
            continue
        for name, value in pending:
            from_components.setdefault(name, value)
        pending.clear()
        parent = fd.parent_field
        base = parent if parent is not None else field
        name = base.name
        if is_hr:
            if name == "event_timestamp_12" and isinstance(fd.raw_value, tuple):
                row["event_timestamp"] = tuple(hr_clock.expand(_unpack_12bit(fd.raw_value)))
                continue
            if name == "event_timestamp":
                raws = fd.raw_value if isinstance(fd.raw_value, tuple) else (fd.raw_value,)
                if raws and raws[0] is not None:
                    hr_clock.anchor(int(raws[0]))
                row[name] = tuple(math.nan if r is None else r / 1024.0 for r in raws)
                continue
            if name == "filtered_bpm":
                raws = fd.raw_value if isinstance(fd.raw_value, tuple) else (fd.raw_value,)
                row[name] = tuple(math.nan if r is None else float(r) for r in raws)
                continue
        if parent is not None and field.name in wanted:
            row[field.name] = _scalar(fd.raw_value)  # e.g. event.timer_trigger
        if name not in wanted:
            continue
        kind = _field_kind(base)
        if kind == "str":
            value = fd.value if parent is None else fd.raw_value
            row[name] = value if isinstance(value, str) else None
        elif kind == "raw" or parent is not None:
            row[name] = _scalar(fd.raw_value) if kind == "raw" else _scaled(base, fd.raw_value)
        else:
            row[name] = _scalar(fd.value)
    for name, value in pending:  # the timestamp of a compressed-timestamp header comes last
        from_components.setdefault(name, value)
    for name, value in from_components.items():
        if row.get(name) is None:
            row[name] = value
    return row


def _to_frame(name: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    columns = [c for c in MESSAGES[name] if any(c in r for r in rows)]
    extra = sorted({c for r in rows for c in r} - set(columns))
    frame = pd.DataFrame.from_records(rows, columns=columns + extra)
    for col in frame.columns:
        sample = next((v for v in frame[col] if v is not None and not isinstance(v, float)), None)
        if isinstance(sample, (str, tuple)):
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
        else:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    return frame


def _describe_fit_error(err: Exception) -> str:
    text = str(err).strip()
    if (
        not text
    ):  # e.g. a bare AssertionError inside fitdecode: the type name is all there is, kept as written
        return f"fitdecode stopped with {type(err).__name__} and no message"
    if isinstance(err, ValueError) and text == "size":
        return "a message definition declares a field of size zero"
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def decode_fitdecode(data: bytes, source: str) -> tuple[FitTables, list[str]]:
    """Decode FIT bytes with fitdecode into :data:`~milepace.io.fit_tables.FitTables`.

    Chained FIT files are read one after another into the same tables.
    A field declared narrower than its profile type (an unknown base type,
    ``byte`` or an array of narrower values for a wider number, such as a
    4-byte ``position_lat``; see
    :func:`~milepace.io.fit_profile.narrower_than_profile`) is dropped rather
    than read as its first byte, with a note naming it when it held data.
    Damage does not lose what came before it: a CRC mismatch, a decode error
    or truncation mid-file becomes a note (with the byte offset) and every
    message decoded before it is kept.

    Parameters
    ----------
    data
        The whole file.
    source
        Path as given, for error messages.

    Returns
    -------
    (tables, notes)
        One DataFrame per message type of :data:`~milepace.io.fit_tables.MESSAGES`
        present in the file, and data-quality notes (sentences).

    Raises
    ------
    ParseError
        When not a single data message decodes (no FIT header, or damage
        before the first message).
    """
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in MESSAGES}
    notes: list[str] = []
    stream = io.BytesIO(data)
    data_messages = 0
    files = 0
    good_offset = 0
    hr_clock = _HrClock()
    seen: dict[str, None] = {}  # message names in file order
    dropped: set[str] = set()  # notes for fields declared narrower than their profile type
    failure: Exception | None = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        import fitdecode  # only the reference path needs it; start-up stays light

        reader = fitdecode.FitReader(
            stream,
            processor=None,
            check_crc=fitdecode.CrcCheck.WARN,
            error_handling=fitdecode.ErrorHandling.WARN,
        )
        try:
            for frame in reader:
                if isinstance(frame, fitdecode.FitHeader):
                    files += 1
                    hr_clock = _HrClock()
                elif isinstance(frame, fitdecode.FitDataMessage):
                    data_messages += 1
                    if frame.name not in seen:
                        seen[frame.name] = None
                    wanted = _WANTED_FIELDS.get(frame.name)
                    if wanted is not None:
                        rows[frame.name].append(_message_row(frame, wanted, hr_clock, dropped))
                good_offset = stream.tell()
        except Exception as err:  # fitdecode on damaged bytes raises many types (TypeError included)
            failure = err
        finally:
            reader.close()
    crc_notes = sorted({str(w.message) for w in caught if "CRC" in str(w.message)})
    for text in crc_notes:
        notes.append(f"the file's checksum does not match its contents ({text}); the data was kept")
    other = sorted({str(w.message) for w in caught if "CRC" not in str(w.message)})
    if other:
        notes.append(f"fitdecode reported {len(other)} malformed definition(s), first: {other[0]}")
    if failure is not None:
        offset = getattr(failure, "offset", None)
        at = good_offset if offset is None else int(offset)
        if data_messages == 0:
            if files == 0:
                raise ParseError(
                    f"needs a FIT file header ('.FIT' in bytes 8-11), found none: {_describe_fit_error(failure)}",
                    path=source,
                    offset=at,
                ) from failure
            raise ParseError(
                f"needs at least one decodable FIT message, found damage before the first: "
                f"{_describe_fit_error(failure)}",
                path=source,
                offset=at,
            ) from failure
        trailing = isinstance(failure, fitdecode.FitHeaderError) and "not a FIT file" in str(failure)
        if trailing:
            notes.append(
                f"{len(data) - good_offset:,} byte(s) after the FIT data at byte {good_offset:,} are not FIT; ignored"
            )
        else:
            notes.append(
                f"the file is damaged or truncated at byte {good_offset:,} of {len(data):,} "
                f"({_describe_fit_error(failure)}); kept the {data_messages:,} message(s) decoded before it"
            )
    if files == 0:
        raise ParseError("needs a FIT file header, found an empty file", path=source, offset=0)
    notes.extend(sorted(dropped))
    tables: FitTables = {name: _to_frame(name, r) for name, r in rows.items() if r}
    tables["_summary"] = pd.DataFrame({"fit_files": [float(files)], "messages": [", ".join(seen)]})
    return tables, notes


# --------------------------------------------------------------------------- building


def _col(frame: pd.DataFrame | None, name: str) -> npt.NDArray[np.float64] | None:
    if frame is None or name not in frame:
        return None
    column = frame[name]
    if column.dtype == np.float64:  # the fast decoder's columns: no per-value conversion needed
        return column.to_numpy()
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


Columns = Mapping[str, np.ndarray]
"""One message type as plain columns (the fast decoder's form, ``milepace.io.fit_fast.ColumnTables``):
column name → one value per message, float64 (object for strings and ``hr`` beat tuples)."""

AnyTables = Mapping[str, "pd.DataFrame | Columns"]
"""What :func:`tables_to_activity` reads: :data:`~milepace.io.fit_tables.FitTables`, or per message
plain :data:`Columns` as ``milepace.io.fit_fast.decode_columns`` gives them (same names and values)."""


class _Table:
    """One decoded message table, its float64 columns fetched once per build.

    The table is a DataFrame (:data:`~milepace.io.fit_tables.FitTables`) or plain
    :data:`Columns` (the fast decoder's). A DataFrame of float64 columns only is
    turned into one 2-D array, a view of its single block, whose columns are then
    plain slices; other DataFrames convert a column on first use, as :func:`_col`
    does. Selecting a column of a DataFrame costs ~30 µs, and the builder reads
    about forty; plain columns are used as they are.
    """

    __slots__ = ("_arrays", "_cache", "_positions", "_values", "frame")

    def __init__(self, source: pd.DataFrame | Columns | None) -> None:
        self.frame: pd.DataFrame | None = None
        self._arrays: Columns | None = None
        if isinstance(source, pd.DataFrame):
            self.frame = source
        elif source is not None:
            self._arrays = source
        self._cache: dict[str, npt.NDArray[np.float64] | None] = {}
        self._values: npt.NDArray[Any] | None = None
        self._positions: dict[Any, int] | None = None

    def __len__(self) -> int:
        if self._arrays is not None:
            return next(iter(self._arrays.values())).shape[0] if self._arrays else 0
        return 0 if self.frame is None else len(self.frame)

    def __contains__(self, name: str) -> bool:
        if self._arrays is not None:
            return name in self._arrays
        return self.frame is not None and name in self.frame

    @property
    def empty(self) -> bool:
        """No table, or a table without rows or columns."""
        if self._arrays is not None:
            return len(self) == 0
        return self.frame is None or self.frame.empty

    def objects(self, name: str) -> list[Any]:
        """Column ``name`` as Python objects, one per row (the column must exist)."""
        if self._arrays is not None:
            return list(self._arrays[name].tolist())
        assert self.frame is not None
        return list(self.frame[name].tolist())

    def col(self, name: str) -> npt.NDArray[np.float64] | None:
        """Column ``name`` as float64 (NaN where missing or not a number), or ``None`` when absent."""
        if name in self._cache:
            return self._cache[name]
        values: npt.NDArray[np.float64] | None = None
        arrays = self._arrays
        if arrays is not None:
            column = arrays.get(name)
            if column is not None:
                values = (
                    column
                    if column.dtype == np.float64
                    else pd.to_numeric(
                        pd.Series(column, dtype=column.dtype, copy=False), errors="coerce"
                    ).to_numpy(dtype=np.float64, na_value=np.nan)
                )
            self._cache[name] = values
            return values
        frame = self.frame
        if frame is not None and name in frame:
            if self._positions is None:
                self._positions = {}
                if frame.columns.is_unique and len(frame.columns):
                    block = frame.to_numpy()
                    if block.dtype == np.float64:
                        self._values = block
                        self._positions = {c: j for j, c in enumerate(frame.columns)}
            j = self._positions.get(name)
            values = self._values[:, j] if self._values is not None and j is not None else _col(frame, name)
        self._cache[name] = values
        return values

    def col_or_nan(self, name: str) -> npt.NDArray[np.float64]:
        """:meth:`col`, or all NaN when absent."""
        values = self.col(name)
        return np.full(len(self), np.nan) if values is None else values

    def first_valid(self, name: str) -> float | None:
        """First non-NaN value of column ``name``, or ``None``."""
        return _first_of(self.col(name), None)


def _first_of(values: npt.NDArray[np.float64] | None, rows: npt.NDArray[np.intp] | None) -> float | None:
    """First non-NaN of ``values`` (only at ``rows`` when given), or ``None``."""
    if values is None:
        return None
    if rows is not None:
        values = values[rows]
    ok = values[~np.isnan(values)]
    return float(ok[0]) if len(ok) else None


def _first_valid(frame: pd.DataFrame | Columns | None, name: str) -> float | None:
    return _Table(frame).first_valid(name)


def _prefer(primary: npt.NDArray[np.float64] | None, fallback: npt.NDArray[np.float64] | None) -> Any:
    if primary is None:
        return fallback
    if fallback is None:
        return primary
    return np.where(np.isnan(primary), fallback, primary)


def _fit_s_to_ns(fit_s: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """FIT seconds → Unix nanoseconds, whole and fractional seconds apart so no float rounding creeps in."""
    whole = np.floor(fit_s)
    frac_ns = np.round((fit_s - whole) * _NS_PER_S).astype(np.int64)
    return (whole.astype(np.int64) + FIT_EPOCH_S) * _NS_PER_S + frac_ns


_LAP_INDEX = pd.Index(list(LAP_COLUMNS))
_WORKOUT_STEP_INDEX = pd.Index(list(WORKOUT_STEP_COLUMNS))


def _ns_to_timestamps(ns: npt.NDArray[np.int64]) -> pd.DatetimeIndex:
    """Unix nanoseconds (no missing values) → UTC index."""
    return pd.DatetimeIndex(ns.view("datetime64[ns]"), tz="UTC")


def _fit_s_to_timestamps(fit_s: npt.NDArray[np.float64]) -> pd.DatetimeIndex:
    missing = np.isnan(fit_s)
    ns = _fit_s_to_ns(np.where(missing, 0.0, fit_s))
    ns[missing] = np.iinfo(np.int64).min  # NaT
    return pd.DatetimeIndex(ns.view("datetime64[ns]"), tz="UTC")


def _spans(
    tables: AnyTables,
) -> tuple[list[tuple[float, float]] | None, str | None, str | None, dict[str, Any], list[str]]:
    """Time spans to keep [FIT s], sport, sub_sport, meta extras and notes, from the sessions."""
    extra: dict[str, Any] = {}
    notes: list[str] = []
    sessions = _Table(tables.get("session"))
    if sessions.empty:
        sport = sub = None
        for name in ("sport", "lap"):
            frame = _Table(tables.get(name))
            if not frame.empty:
                sport = fit_names.enum_name("sport", frame.first_valid("sport"))
                sub = fit_names.enum_name("sub_sport", frame.first_valid("sub_sport"))
                if sport is not None:
                    break
        return None, sport, sub, extra, notes
    nan = np.full(len(sessions), np.nan)
    sport_raw = sessions.col("sport")
    sub_raw = sessions.col("sub_sport")
    sports = [fit_names.enum_name("sport", v) for v in (nan if sport_raw is None else sport_raw)]
    subs = [fit_names.enum_name("sub_sport", v) for v in (nan if sub_raw is None else sub_raw)]
    start = sessions.col("start_time")
    end = sessions.col("timestamp")
    elapsed = sessions.col("total_elapsed_time")
    if len(sessions) > 1:
        extra["sessions"] = [f"{s or 'unknown'}/{u or 'unknown'}" for s, u in zip(sports, subs, strict=True)]
    running = [i for i, s in enumerate(sports) if s == "running"]
    if running and len(running) < len(sessions):
        spans: list[tuple[float, float]] = []
        for i in running:
            s0 = start[i] if start is not None else math.nan
            candidates = [
                e
                for e in (
                    end[i] if end is not None else math.nan,
                    s0 + elapsed[i] if elapsed is not None else math.nan,
                )
                if not math.isnan(e)
            ]
            if math.isnan(s0) or not candidates:
                notes.append("a running session has no start or end time; kept every session's records")
                break
            spans.append((s0, max(candidates)))
        else:
            others = sorted({s or "unknown" for s in sports} - {"running"})
            notes.append(f"multisport file: kept the running session(s), dropped {', '.join(others)}")
            return spans, "running", subs[running[0]], extra, notes
        return None, "running", subs[running[0]], extra, notes
    if running:
        return None, "running", subs[running[0]], extra, notes
    distinct = {s for s in sports if s is not None}
    if len(distinct) > 1:
        return None, "multisport", None, extra, notes
    return None, sports[0], subs[0], extra, notes


def _in_spans(t: npt.NDArray[np.float64], spans: list[tuple[float, float]] | None) -> npt.NDArray[np.bool_]:
    if spans is None:
        return np.ones(t.shape, dtype=bool)
    keep = np.zeros(t.shape, dtype=bool)
    for s0, s1 in spans:
        keep |= (t >= s0) & (t <= s1)
    return keep


def _hr_samples(hr: _Table) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Beat-level HR samples from ``hr`` messages: (time [FIT s], bpm), following the FIT SDK.

    Each message with a ``timestamp`` anchors the sensor's event clock to the
    FIT clock (timestamp + fractional_timestamp ↔ its event_timestamp); later
    samples are placed at anchor + (event_timestamp - anchor event_timestamp).
    As in the SDK's ``expand_heart_rates``, a value is carried forward in
    0.25 s steps for up to 5 s across gaps between samples.
    """
    empty = np.array([], dtype=np.float64)
    if hr.empty or "filtered_bpm" not in hr or "event_timestamp" not in hr:
        return empty, empty
    times: list[float] = []
    bpms: list[float] = []
    anchor_t: float | None = None
    anchor_evt = 0.0
    ts = hr.col("timestamp")
    frac = hr.col("fractional_timestamp")
    for i, (evts, bpm) in enumerate(
        zip(hr.objects("event_timestamp"), hr.objects("filtered_bpm"), strict=True)
    ):
        ev = tuple(evts) if isinstance(evts, (tuple, list)) else (evts,)
        bp = tuple(bpm) if isinstance(bpm, (tuple, list)) else (bpm,)
        if ts is not None and not math.isnan(ts[i]):
            anchor_t = float(ts[i]) + (0.0 if frac is None or math.isnan(frac[i]) else float(frac[i]))
            if ev and ev[0] is not None and not math.isnan(float(ev[0])):
                anchor_evt = float(ev[0])
        if anchor_t is None or len(ev) != len(bp):
            continue
        for e, b in zip(ev, bp, strict=True):
            if e is None or b is None or math.isnan(float(e)) or math.isnan(float(b)):
                continue
            e = float(e)
            if e < anchor_evt and anchor_evt - e > 0x400000:
                e += 0x400000
            t = anchor_t + (e - anchor_evt)
            if times:
                gap_ms = abs(t - times[-1]) * 1000.0
                steps = min(20, max(0, math.ceil(gap_ms / 250.0) - 1))
                prev_t, prev_b = times[-1], bpms[-1]
                times.extend(prev_t + 0.25 * k for k in range(1, steps + 1))
                bpms.extend([prev_b] * steps)
            times.append(t)
            bpms.append(float(b))
    return np.asarray(times, dtype=np.float64), np.asarray(bpms, dtype=np.float64)


def merge_hr(
    record_t: npt.NDArray[np.float64], hr_t: npt.NDArray[np.float64], hr_bpm: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Heart rate per record from separate HR samples, as the FIT SDK merges them.

    Each record gets the mean of the samples in (previous record time, its
    time], rounded half up; the first record's window is the second before it.
    Records with no sample in their window get NaN.

    Parameters
    ----------
    record_t
        Record times [s], sorted.
    hr_t, hr_bpm
        Sample times [s] (same clock) and heart rates [bpm].

    Returns
    -------
    numpy.ndarray
        Heart rate [bpm] per record.
    """
    out = np.full(record_t.shape, np.nan)
    if not len(record_t) or not len(hr_t):
        return out
    order = np.argsort(hr_t, kind="stable")
    t = hr_t[order]
    b = hr_bpm[order]
    lower = np.empty_like(record_t)
    lower[0] = record_t[0] - 1.0
    lower[1:] = record_t[:-1]
    lower = np.where(lower >= record_t, record_t - 1.0, lower)
    lo = np.searchsorted(t, lower, side="right")
    hi = np.searchsorted(t, record_t, side="right")
    csum = np.concatenate(([0.0], np.cumsum(b)))
    count = hi - lo
    has = count > 0
    out[has] = np.floor((csum[hi[has]] - csum[lo[has]]) / count[has] + 0.5)
    return out


def _laps(table: _Table, spans: list[tuple[float, float]] | None) -> tuple[pd.DataFrame, list[str]]:
    notes: list[str] = []
    if table.empty:
        return empty_laps(), notes
    start = table.col("start_time")
    end_ts = table.col("timestamp")
    elapsed = table.col("total_elapsed_time")
    n = len(table)
    nan = np.full(n, np.nan)
    start = nan.copy() if start is None else start
    end_ts = nan.copy() if end_ts is None else end_ts
    elapsed = nan.copy() if elapsed is None else elapsed
    timer = table.col("total_timer_time")
    dist = table.col("total_distance")
    start = np.where(np.isnan(start), end_ts - elapsed, start)
    elapsed = np.where(np.isnan(elapsed), end_ts - start, elapsed)
    ok = ~np.isnan(start)
    if not ok.all():
        notes.append(f"{int((~ok).sum()):,} lap(s) without a start time dropped")
    ok &= _in_spans(start, spans)
    # kept laps in start order (stable), chosen on numpy arrays so the frame is built once
    kept = np.flatnonzero(ok)
    start_ns = _fit_s_to_ns(start[kept])
    order = np.argsort(start_ns, kind="stable")
    kept = kept[order]
    start_ns = start_ns[order]
    elapsed = elapsed[kept]
    end_ns = _fit_s_to_ns(start[kept] + np.where(np.isnan(elapsed), 0.0, elapsed))
    trig = [
        fit_names.LAP_TRIGGER_TO_CANONICAL.get(fit_names.enum_name("lap_trigger", v) or "", "unknown")
        for v in table.col_or_nan("lap_trigger")[kept]
    ]
    inten = [fit_names.enum_name("intensity", v) for v in table.col_or_nan("intensity")[kept]]
    step = table.col_or_nan("wkt_step_index")[kept]
    step_missing = np.isnan(step)
    # starts and ends converted in one call (~50 µs each): the two columns are halves of one array
    start_end = _ns_to_timestamps(np.concatenate([start_ns, end_ns])).array
    frame = frame_of_columns(  # every column is a new array made here, in LAP_COLUMNS order
        _LAP_INDEX,
        [
            start_end[: len(kept)],
            start_end[len(kept) :],
            elapsed,
            nan[kept] if timer is None else timer[kept],
            nan[kept] if dist is None else dist[kept],
            object_column(trig),
            object_column(inten),
            IntegerArray(np.where(step_missing, 0.0, step).astype(np.int64), step_missing),
        ],
    )
    return frame, notes


def _pauses(table: _Table, spans: list[tuple[float, float]] | None) -> pd.DataFrame:
    """Timer stop → next timer start spans from FIT ``event`` messages."""
    if table.empty or "event" not in table or "event_type" not in table:
        return empty_pauses()
    t = table.col("timestamp")
    ev = table.col("event")
    et = table.col("event_type")
    if t is None or ev is None or et is None:
        return empty_pauses()
    trigger = table.col("timer_trigger")
    if trigger is None:
        trigger = table.col("data")
    timer = (ev == fit_names.TIMER_EVENT) & ~np.isnan(t)
    idx = np.flatnonzero(timer)
    idx = idx[np.argsort(t[idx], kind="stable")]
    starts: list[float] = []
    ends: list[float] = []
    triggers: list[str | None] = []
    stopped_at: float | None = None
    stop_trigger: str | None = None
    for i in idx:
        kind = int(et[i]) if not math.isnan(et[i]) else -1
        if kind in fit_names.TIMER_STOP_EVENT_TYPES:
            if stopped_at is None:
                stopped_at = float(t[i])
                stop_trigger = (
                    fit_names.enum_name("timer_trigger", trigger[i]) if trigger is not None else None
                )
        elif kind == fit_names.TIMER_START_EVENT_TYPE and stopped_at is not None:
            if t[i] > stopped_at:
                starts.append(stopped_at)
                ends.append(float(t[i]))
                triggers.append(stop_trigger)
            stopped_at = None
    if not starts:
        return empty_pauses()
    s = np.asarray(starts)
    e = np.asarray(ends)
    keep = _in_spans(s, spans)
    frame = pd.DataFrame(
        {
            "start": _fit_s_to_timestamps(s[keep]),
            "end": _fit_s_to_timestamps(e[keep]),
            "duration_s": (e - s)[keep],
            "source": ["timer"] * int(keep.sum()),
            "trigger": pd.Series([tr for tr, k in zip(triggers, keep, strict=True) if k], dtype=object),
        },
        columns=[*PAUSE_COLUMNS, "trigger"],
    )
    return frame.reset_index(drop=True)


def _workout_target(kind: str | None, raw: float) -> float:
    if math.isnan(raw):
        return math.nan
    if kind == "speed":
        return raw / 1000.0  # custom_target_speed_*: scale 1000, m/s
    if kind == "heart_rate":
        return raw - 100.0 if raw > 100 else math.nan  # workout_hr: >100 means bpm + 100
    if kind == "power":
        return raw - 1000.0 if raw > 1000 else math.nan  # workout_power: >1000 means W + 1000
    return raw


def _workout_steps(table: _Table) -> tuple[pd.DataFrame | None, dict[str, Any]]:
    extra: dict[str, Any] = {}
    if table.empty:
        return None, extra
    n = len(table)
    nan = np.full(n, np.nan)

    def col(name: str) -> npt.NDArray[np.float64]:
        values = table.col(name)
        return nan.copy() if values is None else values

    index = col("message_index")
    index = np.where(np.isnan(index), np.arange(n, dtype=np.float64), index)
    dtype = [fit_names.enum_name("wkt_step_duration", v) for v in col("duration_type")]
    dval = col("duration_value")
    ttype = [fit_names.enum_name("wkt_step_target", v) for v in col("target_type")]
    low = col("custom_target_value_low")
    high = col("custom_target_value_high")
    duration: list[float] = []
    for kind, raw in zip(dtype, dval, strict=True):
        if math.isnan(raw):
            duration.append(math.nan)
        elif kind in ("time", "repetition_time", "repeat_until_time"):
            duration.append(raw / 1000.0)  # duration_time: scale 1000, s
        elif kind in ("distance", "repeat_until_distance"):
            duration.append(raw / 100.0)  # duration_distance: scale 100, m
        else:
            duration.append(float(raw))
    names = table.objects("wkt_step_name") if "wkt_step_name" in table else [None] * n
    frame = frame_of_columns(  # every column is a new array made here, in WORKOUT_STEP_COLUMNS order
        _WORKOUT_STEP_INDEX,
        [
            IntegerArray(index.astype(np.int64), np.zeros(n, dtype=bool)),
            object_column([v if isinstance(v, str) else None for v in names]),
            object_column([fit_names.enum_name("intensity", v) for v in col("intensity")]),
            object_column(dtype),
            np.asarray(duration, dtype=np.float64),
            object_column(ttype),
            np.asarray([_workout_target(k, v) for k, v in zip(ttype, low, strict=True)], dtype=np.float64),
            np.asarray([_workout_target(k, v) for k, v in zip(ttype, high, strict=True)], dtype=np.float64),
        ],
    )
    return frame, extra


def _device(tables: AnyTables) -> tuple[str | None, str | None]:
    file_id = _Table(tables.get("file_id"))
    manufacturer = file_id.first_valid("manufacturer")
    product = file_id.first_valid("product")
    table = _Table(tables.get("device_info"))
    product_text: str | None = None
    if not table.empty and "product_name" in table:
        # the creator device (device_index 0), as row positions: a .loc selection costs ~0.25 ms
        rows = np.flatnonzero(table.col_or_nan("device_index") == 0) if "device_index" in table else None
        all_names = table.objects("product_name")
        names = [
            v
            for v in (all_names if rows is None else [all_names[i] for i in rows])
            if isinstance(v, str) and v.strip() and v.strip().isprintable() and "\ufffd" not in v
        ]
        product_text = names[0].strip() if names else None
        if manufacturer is None:
            manufacturer = _first_of(table.col("manufacturer"), rows)
            product = _first_of(table.col("product"), rows)
    maker = fit_names.enum_name("manufacturer", manufacturer)
    if maker is None and manufacturer is not None:
        maker = str(int(manufacturer))
    model = fit_names.product_name(manufacturer, product)
    if product_text is not None and (model is None or model.isdigit()):
        model = product_text
    return maker, model


_CLOCK_JUMP_S = 6 * 3600.0
"""A gap between consecutive records longer than this [s] is reported as a likely clock jump."""


def _clock_jumps(index: pd.Index) -> list[str]:
    """Notes for record gaps over :data:`_CLOCK_JUMP_S` (a reset device clock, or two sessions in one file)."""
    if len(index) < 2:
        return []
    t = (index if isinstance(index, pd.DatetimeIndex) else pd.DatetimeIndex(index)).asi8
    gaps_s = np.diff(t) / _NS_PER_S
    where = np.flatnonzero(gaps_s > _CLOCK_JUMP_S)
    if not len(where):
        return []
    first = int(where[0])
    return [
        f"record times jump forward {len(where):,} time(s) by more than {_CLOCK_JUMP_S / 3600:.0f} h "
        f"(first: {gaps_s[first] / 3600:,.1f} h after {index[first].isoformat()}); "
        "the device clock may have been reset"
    ]


def _only_holds(tables: AnyTables) -> str:
    summary = _Table(tables.get("_summary"))
    message_list = summary.objects("messages")[0] if "messages" in summary and len(summary) else None
    if isinstance(message_list, str):
        kinds = [k for k in message_list.split(", ") if k]
    else:
        kinds = [
            name for name, frame in tables.items() if not _Table(frame).empty and not name.startswith("_")
        ]
    file_type = fit_names.enum_name("file", _first_valid(tables.get("file_id"), "type"))
    what = f"a FIT {file_type} file" if file_type else "a FIT file"
    listed = ", ".join(kinds[:8]) + (f" and {len(kinds) - 8} more" if len(kinds) > 8 else "")
    holding = f" holding only {listed}" if kinds else " holding no messages milepace reads"
    return what + holding


def tables_to_activity(tables: AnyTables, notes: list[str], *, source: str, decoder: str) -> Activity:
    """Build the canonical :class:`~milepace.activity.Activity` from decoded FIT tables.

    Records (UTC index): ``lat_deg``/``lon_deg`` from semicircles × 180/2³¹,
    ``distance_m``, ``speed_m_s`` (``enhanced_speed`` where present, else
    ``speed``), ``elevation_m`` (``enhanced_altitude``, else ``altitude``),
    ``heart_rate_bpm`` (record HR; where a record has none and the file has
    ``hr`` messages, the mean of the beat samples since the previous record,
    as the FIT SDK merges them), ``cadence_spm`` = 2 × (cadence +
    fractional_cadence) for running/walking/hiking/generic (FIT counts one
    leg's strides per minute) and dropped for other sports, whose cadence is
    pedal or stroke rate in rpm, not steps, ``power_w``.

    With several sessions, only the running sessions' spans are kept (records,
    laps, pauses) when there are running and non-running sessions; otherwise
    everything is kept and ``meta.sport`` names the sport (``multisport`` for a
    mix without running).

    Parameters
    ----------
    tables
        Decoded messages (see :mod:`milepace.io.fit_tables`).
    notes
        Data-quality notes from the decoder; each becomes a
        :class:`~milepace.errors.DataQualityWarning` and an entry of
        ``Activity.warnings``.
    source
        Path as given.
    decoder
        ``fit-fast`` or ``fitdecode``.

    Raises
    ------
    EmptyActivity
        When the file holds no timestamped records.
    """
    notes = list(notes)
    spans, sport, sub_sport, extra, span_notes = _spans(tables)
    notes.extend(span_notes)
    rec_table = _Table(tables.get("record"))
    t = rec_table.col("timestamp")
    if rec_table.empty:
        raise EmptyActivity(f"no timestamped records; the file is {_only_holds(tables)}", path=source)
    if t is None or np.isnan(t).all():
        raise EmptyActivity(
            f"no timestamped records: none of its {len(rec_table):,} record message(s) has a timestamp "
            "(pool-swim lengths and SDK examples store records without one)",
            path=source,
        )
    has_time = ~np.isnan(t)
    if not has_time.all():
        notes.append(f"{int((~has_time).sum()):,} record(s) without a timestamp dropped")
    keep = has_time & _in_spans(t, spans)
    if not keep.any():
        raise EmptyActivity("no timestamped records inside the running session(s)", path=source)
    if (t[keep] < _RELATIVE_TIME_LIMIT_S).any():
        notes.append("record times are relative to device power-up, not real dates; the start date is wrong")

    def channel(name: str) -> npt.NDArray[np.float64] | None:
        values = rec_table.col(name)
        return None if values is None else values[keep]

    tk = t[keep]
    lat = channel("position_lat")
    lon = channel("position_long")
    hr = channel("heart_rate")
    hr_t, hr_bpm = _hr_samples(_Table(tables.get("hr")))
    if len(hr_t):
        order = np.argsort(tk, kind="stable")
        merged = np.empty_like(tk)
        merged[order] = merge_hr(tk[order], hr_t, hr_bpm)
        filled = merged if hr is None else np.where(np.isnan(hr), merged, hr)
        added = int(
            np.count_nonzero(~np.isnan(filled)) - (0 if hr is None else np.count_nonzero(~np.isnan(hr)))
        )
        if added:
            extra["hr_from_hr_messages"] = added
        hr = filled
    sport_for_cadence = sport if sport != "multisport" else None
    cadence_spm: npt.NDArray[np.float64] | None = None
    cad = channel("cadence")
    if cad is not None:
        if sport_for_cadence is None or sport_for_cadence in _RUN_LIKE_SPORTS:
            frac = channel("fractional_cadence")
            frac = np.zeros_like(cad) if frac is None else np.where(np.isnan(frac), 0.0, frac)
            cadence_spm = (cad + frac) * 2.0
        elif not np.isnan(cad).all():
            extra["cadence_dropped"] = f"{sport} cadence is in rpm, not steps per minute"
    columns: dict[str, Any] = {
        "lat_deg": None if lat is None else lat * SEMICIRCLES_TO_DEG,
        "lon_deg": None if lon is None else lon * SEMICIRCLES_TO_DEG,
        "distance_m": channel("distance"),
        "speed_m_s": _prefer(channel("enhanced_speed"), channel("speed")),
        "elevation_m": _prefer(channel("enhanced_altitude"), channel("altitude")),
        "heart_rate_bpm": hr,
        "cadence_spm": cadence_spm,
        "power_w": channel("power"),
    }
    records, record_notes = build_records(_fit_s_to_ns(tk), columns)
    notes.extend(record_notes)
    notes.extend(_clock_jumps(records.index))
    laps, lap_notes = _laps(_Table(tables.get("lap")), spans)
    notes.extend(lap_notes)
    pauses = _pauses(_Table(tables.get("event")), spans)
    steps, step_extra = _workout_steps(_Table(tables.get("workout_step")))
    extra.update(step_extra)
    workout = _Table(tables.get("workout"))
    if not workout.empty and "wkt_name" in workout:
        names = [v for v in workout.objects("wkt_name") if isinstance(v, str)]
        if names:
            extra["workout_name"] = names[0]
    fit_files = _Table(tables.get("_summary")).col("fit_files")
    if fit_files is not None and len(fit_files) and fit_files[0] > 1:
        extra["fit_files"] = int(fit_files[0])
    act = _Table(tables.get("activity"))
    utc_offset_s: float | None = None
    local_ts = act.first_valid("local_timestamp")
    act_ts = act.first_valid("timestamp")
    if local_ts is not None and act_ts is not None:
        utc_offset_s = local_ts - act_ts
    manufacturer, product = _device(tables)
    meta = ActivityMeta(
        source=source,
        format="fit",
        sport=sport,
        sub_sport=sub_sport,
        manufacturer=manufacturer,
        product=product,
        utc_offset_s=utc_offset_s,
        decoder=decoder,
        extra=extra,
    )
    messages = tuple(f"{source}: {n}" for n in notes)
    for msg in messages:
        warnings.warn(msg, DataQualityWarning, stacklevel=2)
    return Activity(
        records=records,
        laps=laps,
        pauses=pauses,
        meta=meta,
        workout_steps=steps,
        warnings=messages,
    )


# --------------------------------------------------------------------------- entry points


def read_fit_reference(data: bytes, source: str) -> Activity:
    """Read FIT bytes with the fitdecode reference decoder (never the fast path).

    Parameters
    ----------
    data
        The whole file.
    source
        Path as given, for messages and ``meta.source``.
    """
    tables, notes = decode_fitdecode(data, source)
    return tables_to_activity(tables, notes, source=source, decoder="fitdecode")


def read_fit(data: bytes, source: str) -> Activity:
    """Read FIT bytes into an :class:`~milepace.activity.Activity`, fast path first.

    The vectorised decoder (``milepace.io.fit_fast.decode_columns``, whose numpy
    columns the builder reads without DataFrames in between) runs first; when it is
    not importable, declines the file (``FastPathUnsupported``) or fails, the
    fitdecode decoder reads it instead and ``meta.extra["fallback_reason"]``
    says why.

    Parameters
    ----------
    data
        The whole file.
    source
        Path as given.

    Examples
    --------
    >>> from pathlib import Path
    >>> act = read_fit(Path("run.fit").read_bytes(), "run.fit")  # doctest: +SKIP
    >>> act.meta.decoder  # doctest: +SKIP
    'fit-fast'
    """
    reason: str
    try:
        from .fit_fast import FastPathUnsupported
        from .fit_fast import decode_columns as fast_decode
    except ImportError as err:
        reason = f"fast decoder not available ({err})"
    else:
        try:
            columns, notes = fast_decode(data)
        except FastPathUnsupported as err:
            reason = str(err) or "fast decoder declined the file"
        except Exception as err:  # a fast-path bug must not cost the user the file
            reason = f"fast decoder failed ({type(err).__name__}: {err})"
        else:
            try:
                return tables_to_activity(columns, notes, source=source, decoder="fit-fast")
            except MilepaceError:
                raise
            except Exception as err:  # tables the builder cannot use: let the reference path try
                reason = f"fast decoder tables unusable ({type(err).__name__}: {err})"
    tables, notes = decode_fitdecode(data, source)
    activity = tables_to_activity(tables, notes, source=source, decoder="fitdecode")
    activity.meta.extra["fallback_reason"] = reason
    return activity
