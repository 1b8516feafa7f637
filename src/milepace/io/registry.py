"""Read anything a runner points at: sniff the content, unpack it, hand it to the right reader.

* :func:`read` — one file (plain, ``.gz``, or an archive holding exactly one
  activity) to an :class:`~milepace.activity.Activity`.
* :func:`read_bytes` — the same for content already in memory.
* :func:`read_many` — files, folders, zips and exports, one
  :class:`ReadResult` per activity file, never stopping on a bad one.

The format is decided by the content first (:func:`milepace.io.sniff.sniff`:
FIT header magic, gzip and zip magic, the XML root element) and by the name
only when the content is not recognisable (so a damaged ``.fit`` still gets
the FIT reader's precise error). ``.gz`` content is decompressed in memory
with a cap of :data:`~milepace.io.archive.MAX_FILE_BYTES`; a gzip stream cut
short is decompressed as far as it goes and read with a warning.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import (
    DataQualityWarning,
    EmptyActivity,
    HostileInput,
    MilepaceError,
    ParseError,
    UnsupportedFormat,
    UsageError,
)
from . import inflate
from .archive import (
    CHUNK_BYTES,
    MAX_FILE_BYTES,
    MAX_RATIO,
    MIB,
    RATIO_FLOOR_BYTES,
    Payload,
    StravaInfo,
    expand,
    expand_zip,
    open_zip_bytes,
)
from .sniff import activity_suffix, sniff

if TYPE_CHECKING:
    from ..activity import Activity

Reader = Callable[[bytes, str], "Activity"]

STRAVA_SPORTS = {
    "run": "running",
    "trailrun": "running",
    "virtualrun": "running",
    "treadmill": "running",
    "walk": "walking",
    "hike": "hiking",
    "ride": "cycling",
    "virtualride": "cycling",
    "ebikeride": "cycling",
    "mountainbikeride": "cycling",
    "gravelride": "cycling",
    "swim": "swimming",
}
"""Strava ``Activity Type`` (lower case, spaces removed) to the sport name readers use; used only
when the file itself names no sport."""


class UnexpectedReaderError(ParseError):
    """A reader raised something other than a :class:`~milepace.errors.MilepaceError`.

    The registry wraps it so a batch never dies; tests assert it never happens.
    """


@dataclass(frozen=True)
class ReadResult:
    """The outcome of reading one activity file in :func:`read_many`.

    Attributes
    ----------
    source
        Path as given, or ``archive.zip!member/path.fit`` for archive members.
    activity
        The activity, or ``None`` when reading failed.
    error
        Why reading failed (one sentence in ``str(error)``), or ``None``.
    warnings
        Data-quality problems met while reading (the activity's own warnings included), each a
        sentence without the source in front.
    strava
        The Strava export's ``activities.csv`` row for this file, when there is one.
    """

    source: str
    activity: Activity | None
    error: MilepaceError | None
    warnings: tuple[str, ...] = ()
    strava: StravaInfo | None = None

    @property
    def ok(self) -> bool:
        """True when an activity was read."""
        return self.activity is not None

    @property
    def unexpected(self) -> bool:
        """True when a reader failed with a non-milepace exception (a bug to fix, wrapped here)."""
        return isinstance(self.error, UnexpectedReaderError)


# ----------------------------------------------------------------------------- readers


def _reader(fmt: str) -> Reader:
    if fmt == "fit":
        from .fit import read_fit

        return read_fit
    if fmt == "gpx":
        from .gpx import read_gpx

        return read_gpx
    if fmt == "tcx":
        from .tcx import read_tcx

        return read_tcx
    raise UnsupportedFormat(f"no reader for format {fmt!r}")


def gunzip(data: bytes, source: str, *, cap: int = MAX_FILE_BYTES) -> tuple[bytes, list[str]]:
    """Decompress gzip content in memory, refusing more than ``cap`` bytes of output.

    Concatenated gzip members are joined (RFC 1952 allows them). A stream cut
    short, or damaged after some output, gives the output so far plus a note.

    Returns
    -------
    (data, notes)
        The decompressed bytes and sentences describing any damage.

    Raises
    ------
    HostileInput
        The content expands past ``cap`` bytes, or (past
        :data:`~milepace.io.archive.RATIO_FLOOR_BYTES`) more than
        :data:`~milepace.io.archive.MAX_RATIO` bytes per compressed byte.
    ParseError
        Nothing could be decompressed.
    """
    out = bytearray()
    notes: list[str] = []
    pending = data
    decomp = inflate.decompressobj(31)
    try:
        while True:
            # bounded steps: a bomb costs at most the cap plus one chunk of memory
            out += decomp.decompress(pending, min(CHUNK_BYTES, cap + 1 - len(out)))
            if len(out) > cap:
                raise HostileInput(
                    f"the gzip content expands past the {cap / MIB:,.0f} MiB cap for one activity file; not read",
                    path=source,
                )
            consumed = len(data) - len(decomp.unconsumed_tail) - len(decomp.unused_data)
            if len(out) > RATIO_FLOOR_BYTES and len(out) > MAX_RATIO * consumed:
                raise HostileInput(
                    f"the gzip content expands past the {MAX_RATIO}:1 ratio cap ({len(out):,} bytes from its "
                    f"first {consumed:,}), a ratio no activity file reaches; not read",
                    path=source,
                )
            if decomp.unconsumed_tail:
                pending = decomp.unconsumed_tail
                continue
            if decomp.eof:
                rest = decomp.unused_data
                if rest.strip(b"\x00"):
                    if not rest.startswith(b"\x1f\x8b"):
                        notes.append(
                            f"{len(rest):,} bytes of trailing data after the gzip stream were ignored"
                        )
                        break
                    decomp = inflate.decompressobj(31)
                    pending = rest
                    continue
                break
            out += decomp.flush()
            notes.append(f"the gzip stream is cut short; read the {len(out):,} bytes that decompressed")
            break
    except inflate.ZlibError as err:
        if not out:
            raise ParseError(
                f"the gzip content is damaged and could not be decompressed ({err})", path=source
            ) from err
        notes.append(
            f"the gzip stream is damaged after {len(out):,} decompressed bytes ({err}); read what came before"
        )
    if not out:
        raise EmptyActivity("the gzip content decompresses to nothing", path=source)
    return bytes(out), notes


def _describe_head(data: bytes) -> str:
    head = data[:16]
    if head.isascii() and all(32 <= b < 127 or b in (9, 10, 13) for b in head):
        return f"it starts with the text {head.decode('ascii').strip()[:16]!r}"
    return f"it starts with the bytes {head[:8].hex(' ')}"


def _decode(data: bytes, source: str, *, inside_gzip: bool = False) -> Activity:
    """Sniff and decode one activity file's content (no archives)."""
    if not data:
        raise EmptyActivity("the file is empty (0 bytes)", path=source)
    kind = sniff(data)
    notes: list[str] = []
    if kind == "gzip":
        if inside_gzip:
            raise UnsupportedFormat("is gzip inside gzip; milepace unpacks one gzip layer only", path=source)
        inner, notes = gunzip(data, source)
        for note in notes:
            warnings.warn(note, DataQualityWarning, stacklevel=3)
        activity = _decode(inner, source, inside_gzip=True)
        if notes:
            activity = activity.with_(warnings=(*notes, *activity.warnings))
        return activity
    if kind == "zip":
        raise UnsupportedFormat(
            "is a zip archive inside gzip or another archive layer milepace does not open", path=source
        )
    name = source.rsplit("!", 1)[-1]
    if kind not in ("fit", "gpx", "tcx"):
        by_name = activity_suffix(name)
        if by_name is None or kind == "xml":
            if kind == "xml":
                from .sniff import xml_root

                root = xml_root(data)
                raise UnsupportedFormat(
                    f"is an XML document with root element <{root}>, not GPX (<gpx>) or TCX "
                    "(<TrainingCenterDatabase>)",
                    path=source,
                )
            if name.lower().endswith(".gz") and not inside_gzip:
                raise ParseError(
                    f"is named .gz but is not gzip-compressed ({_describe_head(data)})", path=source
                )
            raise UnsupportedFormat(
                f"is not a FIT, GPX or TCX file, nor a gzip or zip of them ({_describe_head(data)})",
                path=source,
            )
        kind = by_name  # unrecognisable content with an activity name: let that reader say what is wrong
    return _reader(kind)(data, source)


def _with_strava(activity: Activity, strava: StravaInfo | None) -> Activity:
    if strava is None:
        return activity
    meta = activity.meta
    extra = dict(meta.extra)
    extra.update(strava.as_extra())
    if meta.name and strava.name and meta.name != strava.name:
        extra["file_name"] = meta.name
    sport = meta.sport
    if sport is None and strava.type:
        sport = STRAVA_SPORTS.get(strava.type.lower().replace(" ", ""))
    new_meta = dataclasses.replace(meta, name=strava.name or meta.name, sport=sport, extra=extra)
    return activity.with_(meta=new_meta)


def _wrap_unexpected(err: Exception, source: str) -> UnexpectedReaderError:
    detail = " ".join(str(err).split())[:200]
    wrapped = UnexpectedReaderError(
        f"the reader failed unexpectedly ({type(err).__name__}{': ' + detail if detail else ''})", path=source
    )
    wrapped.__cause__ = err
    return wrapped


def _decode_payload(payload: Payload) -> Activity:
    """Decode a payload's bytes (raising its error if it has one); exceptions are wrapped, warnings pass."""
    if payload.error is not None:
        raise payload.error
    assert payload.data is not None
    try:
        activity = _decode(payload.data, payload.source)
    except MilepaceError:
        raise
    except Exception as err:  # a reader bug must not kill a batch
        raise _wrap_unexpected(err, payload.source) from err
    return _with_strava(activity, payload.strava)


def read_payload(payload: Payload) -> ReadResult:
    """Decode one :class:`~milepace.io.archive.Payload` into a :class:`ReadResult` (never raises).

    Warnings issued while decoding are collected into ``ReadResult.warnings``
    instead of being printed. Payloads are picklable, so a process pool can
    run this on payloads from :func:`milepace.io.archive.expand`.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            activity = _decode_payload(payload)
        except MilepaceError as err:
            _let_go_of_frames(err)
            return ReadResult(
                payload.source, None, err, _messages(caught, (), payload.source), payload.strava
            )
    return ReadResult(
        payload.source, activity, None, _messages(caught, activity.warnings, payload.source), payload.strava
    )


def _let_go_of_frames(err: BaseException) -> None:
    """Drop the tracebacks of an error kept in a :class:`ReadResult`, and of the errors it was raised from.

    A traceback keeps every frame between the raise and the catch alive, and
    with them the file's bytes (a reader's ``data`` argument): a batch over many
    damaged files would otherwise hold all of them in memory until the results
    go. ``UnexpectedReaderError`` keeps its traceback (a reader bug to debug).
    """
    if isinstance(err, UnexpectedReaderError):
        return
    stack: list[BaseException] = [err]
    seen: set[int] = set()
    while stack:
        e = stack.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        e.__traceback__ = None
        stack.extend(x for x in (e.__cause__, e.__context__) if x is not None)


def strip_source(message: str, source: str) -> str:
    """A warning or error as a bare sentence: whitespace collapsed, a leading ``"<source>: "`` or
    ``"<source> "`` removed (the CLI prints the source in front itself)."""
    text = " ".join(str(message).split())
    for prefix in (f"{source}: ", f"{source} "):
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix) :]
    return text


def _messages(caught: list[warnings.WarningMessage], own: tuple[str, ...], source: str) -> tuple[str, ...]:
    seen: dict[str, None] = dict.fromkeys(strip_source(m, source) for m in own)
    for w in caught:
        if issubclass(w.category, UserWarning):  # DataQualityWarning and library warnings
            seen.setdefault(strip_source(str(w.message), source), None)
    return tuple(seen)


# ----------------------------------------------------------------------------- public API


def read_bytes(data: bytes, source: str = "<bytes>") -> Activity:
    """Read an activity from content in memory (FIT, GPX, TCX, gzip of one, or a zip holding one).

    Parameters
    ----------
    data
        The file's bytes.
    source
        A name for messages and ``meta.source`` (a path, or ``<bytes>``).

    Raises
    ------
    MilepaceError
        The content is not a readable activity (:class:`~milepace.errors.ParseError` and subclasses),
        or a zip holds more than one activity (:class:`~milepace.errors.UsageError`).
    """
    if sniff(data) == "zip":
        zf = open_zip_bytes(data, source)
        with zf:
            return _read_single(expand_zip(zf, source), source)
    try:
        return _decode(data, source)
    except MilepaceError:
        raise
    except Exception as err:
        raise _wrap_unexpected(err, source) from err


def read(path: str | os.PathLike[str]) -> Activity:
    """Read one activity file.

    Parameters
    ----------
    path
        A FIT, GPX or TCX file (the content decides the format, not the name),
        gzipped or not, or a zip (or folder) holding exactly one of them.

    Returns
    -------
    Activity
        With ``meta.source`` set to ``path`` as given (``archive.zip!member`` for a zip member).

    Raises
    ------
    MilepaceError
        The file cannot be read (one clear sentence), or it is an archive or
        folder with several activities (use :func:`read_many`).

    Examples
    --------
    >>> act = read("sample_data/track_6x800.fit")  # doctest: +SKIP
    >>> act.meta.format  # doctest: +SKIP
    'fit'
    """
    return _read_single(expand([path]), os.fspath(path))


def _read_single(payloads: Iterator[Payload], source: str) -> Activity:
    first = next(payloads, None)
    if first is None:
        raise UnsupportedFormat("holds no FIT, GPX or TCX files", path=source)
    second = next(payloads, None)
    if second is not None:
        raise UsageError(
            f"{source} holds more than one activity file ({first.source}, {second.source}, …); "
            "use milepace.read_many() or `milepace info`, which read every one"
        )
    return _decode_payload(first)


def read_many(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str]) -> Iterator[ReadResult]:
    """Read every activity under ``paths``, one :class:`ReadResult` each, never stopping on a bad file.

    Parameters
    ----------
    paths
        Files, folders (walked recursively in sorted order, skipping hidden
        and obviously non-activity files), zips (members read in memory,
        nested zips one level deep), Strava bulk exports (folder or zip with
        ``activities.csv``: the activity's name, type, date and id go to
        ``meta.name`` and ``meta.extra["strava_*"]``) and Garmin exports. A
        single path is accepted too.

    Yields
    ------
    ReadResult
        In input order; a failure is a result with ``error`` set, and the
        next file is read. Warnings are collected in ``ReadResult.warnings``,
        not printed.

    Examples
    --------
    >>> for result in read_many(["export.zip", "extra_runs/"]):  # doctest: +SKIP
    ...     print(result.source, result.error or result.activity.distance_m)
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for payload in expand(paths):
        yield read_payload(payload)
