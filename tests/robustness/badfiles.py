"""Every bad input of the robustness suite, generated from valid files made by :mod:`milepace.synth`.

Nothing here is a hand-edited binary: each bad file is a valid synthetic
session written by ``write_fit`` / ``write_gpx`` / ``write_tcx`` (or zipped /
gzipped with the standard library) and then damaged by a named, documented
operation — a cut at a FIT message boundary found by walking the file, a
bit flip, a rewritten header field, an XML edit, an archive built to hurt.

Each :class:`BadFile` says what milepace must do with it (:attr:`BadFile.expect`):

``partial``
    damaged but partly readable: an :class:`~milepace.activity.Activity` with
    the data up to the damage and at least one warning in ``Activity.warnings``;
``error``
    unreadable: a :class:`~milepace.errors.ParseError` carrying the path (and,
    for FIT damage at a known place, the byte offset);
``hostile``
    crafted to hurt: refused with :class:`~milepace.errors.HostileInput` (or,
    for archives, every good member read and the hostile one refused), in
    bounded time and memory, reading nothing outside the input and writing nothing;
``ok``
    odd but valid: read without an error (warnings allowed);
``any``
    random damage (bit flips): an Activity or a MilepaceError, never anything else.

Run ``python -m tests.robustness.badfiles OUT_DIR`` to write them all to a folder.
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import io
import random
import re
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from milepace.errors import EmptyActivity, HostileInput, MilepaceError, ParseError
from milepace.synth import SynthSession, simulate, write_fit, write_gpx, write_tcx
from milepace.synth.fit_writer import crc16

MIB = 1024 * 1024


@dataclass(frozen=True)
class BadFile:
    """One generated bad input.

    Attributes
    ----------
    name
        File name (its extension is what a user would see).
    data
        The content.
    expect
        ``partial``, ``error``, ``hostile``, ``ok`` or ``any`` (see the module notes).
    how
        What was done to a valid file to make it.
    error
        The exception class expected for ``error``/``hostile`` (a subclass is fine).
    offset
        For ``error``: where the damaged FIT message starts [bytes]; the error's offset must lie between
        this and the end of the data (``None``: no particular offset required).
    max_records
        For ``partial``: at most this many records may be read (data *up to* the damage).
    min_records
        For ``partial``/``ok``: at least this many records must be read.
    """

    name: str
    data: bytes
    expect: str
    how: str
    error: type[MilepaceError] | None = None
    offset: int | None = None
    max_records: int | None = None
    min_records: int = 1


# ----------------------------------------------------------------------------- valid sources


@functools.cache
def session(template: str = "easy_strides", seed: int = 3, duration_s: float | None = 480.0) -> SynthSession:
    """A short synthetic run (8 minutes with 5 strides by default): the valid file everything starts from.

    It starts at an instant no other generated or sample file uses (2026-01-04 07:30:11 UTC), so a
    block run over good files mixed with these never takes a good file for a repeat of a bad one.
    """
    return simulate(template, seed=seed, duration_s=duration_s, start=START)


START = "2026-01-04T07:30:11Z"


@functools.cache
def good_fit() -> bytes:
    """A valid FIT activity (little-endian, one local type redefined per message change)."""
    return write_fit(session())


@functools.cache
def good_gpx() -> bytes:
    """A valid GPX 1.1 activity, one ``<trkpt>`` per line."""
    return write_gpx(session())


@functools.cache
def good_tcx() -> bytes:
    """A valid TCX activity, one ``<Trackpoint>`` per line."""
    return write_tcx(session())


def n_records() -> int:
    """How many records the valid files hold."""
    return len(session().time_s)


# ----------------------------------------------------------------------------- FIT structure


@dataclass(frozen=True)
class FitMessage:
    """One message of a FIT file as found by :func:`walk_fit`.

    ``offset`` and ``size`` [bytes] include the 1-byte record header;
    ``field_offset`` maps a field number to its byte offset inside a data
    message (definition messages: the offset of their field list).
    """

    kind: str  # "definition" or "data"
    offset: int
    size: int
    local: int
    global_num: int
    fields: tuple[tuple[int, int, int], ...]  # (field number, size, base type) of the governing definition
    big_endian: bool = False

    def field_offset(self, number: int) -> int | None:
        """Absolute offset of field ``number`` in this data message, or ``None``."""
        pos = self.offset + 1
        for num, size, _base in self.fields:
            if num == number:
                return pos
            pos += size
        return None


def walk_fit(data: bytes) -> list[FitMessage]:
    """List the messages of a valid FIT file (FIT SDK "FIT File Structure": header, records, CRC).

    Handles normal and compressed-timestamp record headers and developer
    fields; enough for the files :func:`milepace.synth.write_fit` writes.
    """
    header_size = data[0]
    data_size = struct.unpack_from("<I", data, 4)[0]
    end = header_size + data_size
    p = header_size
    defs: dict[int, tuple[int, tuple[tuple[int, int, int], ...], int, bool]] = {}
    out: list[FitMessage] = []
    while p < end:
        h = data[p]
        if h & 0x80:  # compressed timestamp header: a data message of local type bits 5-6
            local = (h >> 5) & 0x03
            gnum, fields, size, big = defs[local]
            out.append(FitMessage("data", p, 1 + size, local, gnum, fields, big))
            p += 1 + size
        elif h & 0x40:
            local = h & 0x0F
            big = data[p + 2] == 1
            gnum = struct.unpack_from(">H" if big else "<H", data, p + 3)[0]
            n = data[p + 5]
            raw = data[p + 6 : p + 6 + 3 * n]
            fields = tuple((raw[i], raw[i + 1], raw[i + 2]) for i in range(0, len(raw), 3))
            q = p + 6 + 3 * n
            dev = 0
            if h & 0x20:
                nd = data[q]
                dev = sum(data[q + 1 + 3 * i + 1] for i in range(nd))
                q += 1 + 3 * nd
            defs[local] = (gnum, fields, sum(f[1] for f in fields) + dev, big)
            out.append(FitMessage("definition", p, q - p, local, gnum, fields, big))
            p = q
        else:
            local = h & 0x0F
            gnum, fields, size, big = defs[local]
            out.append(FitMessage("data", p, 1 + size, local, gnum, fields, big))
            p += 1 + size
    return out


def with_fit_crcs(body: bytes) -> bytes:
    """``body`` (14-byte header + records, without the file CRC) with header data size and both CRCs recomputed."""
    head = bytearray(body[:14])
    struct.pack_into("<I", head, 4, len(body) - 14)
    struct.pack_into("<H", head, 12, crc16(bytes(head[:12])))
    whole = bytes(head) + body[14:]
    return whole + struct.pack("<H", crc16(whole))


RECORD, SESSION, LAP, SPORT = 20, 18, 19, 12
SPORT_FIELD = {SPORT: 0, SESSION: 5, LAP: 25}
SUB_SPORT_FIELD = {SPORT: 1, SESSION: 6, LAP: 26}
"""FIT profile field numbers of ``sport`` and ``sub_sport`` in the sport, session and lap messages."""


def set_fit_sport(data: bytes, sport: int, sub_sport: int = 0) -> bytes:
    """Rewrite every sport/sub_sport field (sport, session, lap messages) and fix the CRCs.

    FIT profile ``sport`` enum: 0 generic, 1 running, 2 cycling, 5 swimming, 11 walking.
    """
    buf = bytearray(data[:-2])
    for m in walk_fit(data):
        if m.kind != "data":
            continue
        for table, value in ((SPORT_FIELD, sport), (SUB_SPORT_FIELD, sub_sport)):
            num = table.get(m.global_num)
            at = m.field_offset(num) if num is not None else None
            if at is not None:
                buf[at] = value
    return with_fit_crcs(bytes(buf))


def strip_fit_fields(data: bytes, global_num: int, numbers: set[int]) -> bytes:
    """Remove fields from every definition of ``global_num`` and from its data messages; fix the CRCs.

    Used to make a "GPS-only" FIT with no ``distance`` field (record field 5),
    or one without positions (fields 0 and 1).
    """
    msgs = walk_fit(data)
    out = bytearray(data[:14])
    for m in msgs:
        chunk = data[m.offset : m.offset + m.size]
        if m.global_num != global_num:
            out += chunk
            continue
        if m.kind == "definition":
            kept = [f for f in m.fields if f[0] not in numbers]
            n_old = len(m.fields)
            out += chunk[:5] + bytes([len(kept)]) + b"".join(bytes(f) for f in kept) + chunk[6 + 3 * n_old :]
        else:
            pos = 1
            body = bytearray(chunk[:1])
            for num, size, _base in m.fields:
                if num not in numbers:
                    body += chunk[pos : pos + size]
                pos += size
            body += chunk[pos:]  # developer fields
            out += body
    return with_fit_crcs(bytes(out))


# ----------------------------------------------------------------------------- FIT damage


def fit_bad_files() -> list[BadFile]:
    """FIT files cut at every kind of boundary, flipped, mis-sized, with unknown base types, empty."""
    data = good_fit()
    msgs = walk_fit(data)
    n = n_records()
    end = len(data) - 2  # offset of the file CRC
    records = [m for m in msgs if m.kind == "data" and m.global_num == RECORD]
    defs = [m for m in msgs if m.kind == "definition"]
    first_def = defs[0]
    mid_rec = records[len(records) // 2]
    later_def = next(d for d in defs if d.offset > mid_rec.offset)
    before_mid = sum(1 for r in records if r.offset < mid_rec.offset)
    before_later = sum(1 for r in records if r.offset < later_def.offset)
    out = [
        BadFile("empty.fit", b"", "error", "0-byte file", EmptyActivity),
        BadFile(
            "cut_in_header.fit",
            data[:7],
            "error",
            "cut inside the 14-byte file header",
            ParseError,
        ),
        BadFile(
            "header_only.fit",
            data[:14],
            "error",
            "only the 14-byte header (its data size still says the records follow)",
            ParseError,
            offset=14,
        ),
        BadFile(
            "header_only_empty.fit",
            with_fit_crcs(data[:14])[:14],
            "error",
            "a valid header declaring 0 bytes of data, and nothing else",
            ParseError,
        ),
        BadFile(
            "cut_in_first_definition.fit",
            data[: first_def.offset + 4],
            "error",
            "cut inside the first definition message (before any data message)",
            ParseError,
            offset=first_def.offset,
        ),
        BadFile(
            "cut_in_later_definition.fit",
            data[: later_def.offset + 4],
            "partial",
            f"cut inside a definition after {before_later} records",
            max_records=before_later,
            min_records=before_later,
        ),
        BadFile(
            "cut_mid_record.fit",
            data[: mid_rec.offset + mid_rec.size // 2],
            "partial",
            f"cut in the middle of record message {before_mid + 1}",
            max_records=before_mid,
            min_records=before_mid,
        ),
        BadFile(
            "cut_at_record_boundary.fit",
            data[: mid_rec.offset],
            "partial",
            f"cut exactly between record {before_mid} and the next message",
            max_records=before_mid,
            min_records=before_mid,
        ),
        BadFile(
            "cut_before_crc.fit",
            data[:end],
            "partial",
            "the 2-byte file CRC is missing",
            max_records=n,
            min_records=n,
        ),
        BadFile(
            "bad_file_crc.fit",
            data[:end] + bytes([data[end] ^ 0xFF, data[end + 1]]),
            "partial",
            "file CRC does not match",
            max_records=n,
            min_records=n,
        ),
    ]
    # a bit flip inside a record value (latitude of the middle record): the CRC catches it
    lat_at = mid_rec.field_offset(0)
    assert lat_at is not None
    flipped = bytearray(data)
    flipped[lat_at + 1] ^= 0x10
    out.append(
        BadFile(
            "bitflip_in_value.fit",
            bytes(flipped),
            "partial",
            "one bit flipped inside a record's latitude",
            max_records=n,
            min_records=n,
        )
    )
    # a bit flip in a record header byte (local type 0 -> 4, never defined): damage from there on
    hdr = bytearray(data)
    hdr[mid_rec.offset] ^= 0x04
    out.append(
        BadFile(
            "bitflip_in_record_header.fit",
            bytes(hdr),
            "partial",
            "record header bit flipped to an undefined local message type",
            max_records=before_mid,
            min_records=before_mid,
        )
    )
    # random bit flips anywhere after the header (seeded): anything goes but a crash
    rng = random.Random(8)
    for k in range(6):
        buf = bytearray(data)
        for _ in range(1 + k):
            i = rng.randrange(14, len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        out.append(BadFile(f"bitflips_{k + 1}.fit", bytes(buf), "any", f"{k + 1} random bit flip(s)"))
    # the header's data size wrong: too big (runs into the CRC and past the end), too small, zero
    for label, size in (("too_big", len(data) + 4096), ("too_small", (len(data) - 16) // 2), ("zero", 0)):
        head = bytearray(data)
        struct.pack_into("<I", head, 4, size)
        struct.pack_into("<H", head, 12, crc16(bytes(head[:12])))
        expect = "error" if size == 0 else "partial"
        out.append(
            BadFile(
                f"data_size_{label}.fit",
                bytes(head),
                expect,
                f"header data size set to {size:,} bytes (file has {len(data) - 16:,})",
                ParseError if expect == "error" else None,
                max_records=n,
            )
        )
    # a definition with an unknown base type: the record definition's heart-rate field (3) gets 0x55
    rec_def = next(d for d in defs if d.global_num == RECORD)
    ub = bytearray(data[:-2])
    for d in (d for d in defs if d.global_num == RECORD):
        for i, (num, _size, _base) in enumerate(d.fields):
            if num == 3:
                ub[d.offset + 6 + 3 * i + 2] = 0x55
    assert rec_def is not None
    out.append(
        BadFile(
            "unknown_base_type.fit",
            with_fit_crcs(bytes(ub)),
            "ok",
            "record definition's heart_rate field declared with base type 0x55 (not in the FIT profile)",
            min_records=n,
        )
    )
    # timestamps written backwards for a stretch (a device clock stepping back)
    s = session()
    t = s.time_s.copy()
    k0 = len(t) // 3
    t[k0 : k0 + 30] = t[k0 : k0 + 30][::-1]
    out.append(
        BadFile(
            "times_backwards.fit",
            write_fit(dataclasses.replace(s, time_s=t)),
            "ok",
            "30 record timestamps written in reverse order",
            min_records=n,
        )
    )
    out.append(
        BadFile(
            "trailing_garbage.fit",
            data + b"\x00junk after the file" * 10,
            "partial",
            "200 bytes of junk after the file CRC",
            max_records=n,
            min_records=n,
        )
    )
    out.append(
        BadFile(
            "not_fit_at_all.fit",
            bytes(range(256)) * 4,
            "error",
            "1 KiB of bytes 0..255 named .fit",
            ParseError,
        )
    )
    return out


# ----------------------------------------------------------------------------- XML damage

GPX_TRKPT = re.compile(rb"^<trkpt .*</trkpt>$", re.M)
TCX_TRACKPOINT = re.compile(rb"^<Trackpoint>.*</Trackpoint>$", re.M)


def split_points(data: bytes, pattern: re.Pattern[bytes]) -> tuple[bytes, list[bytes], bytes]:
    """(text before the first point, the point lines, text after the last) — one point per line, as the
    synth writers write them."""
    found = list(pattern.finditer(data))
    return data[: found[0].start()], [m.group(0) for m in found], data[found[-1].end() :]


def join_points(head: bytes, points: list[bytes], tail: bytes) -> bytes:
    """Inverse of :func:`split_points`."""
    return head + b"\n".join(points) + tail


LOCAL_SECRET = "MILEPACE-SECRET-7f3a"
"""Text of the local file an external entity points at; must never show up in anything milepace returns."""


def billion_laughs(root: bytes) -> bytes:
    """The classic entity-expansion bomb (10 levels of 10×: 10⁹ "lol"s) around a root element."""
    ents = [b'<!ENTITY lol0 "lol">']
    for i in range(1, 10):
        ents.append(b'<!ENTITY lol%d "%s">' % (i, b"".join(b"&lol%d;" % (i - 1) for _ in range(10))))
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE '
        + root
        + b" [\n"
        + b"\n".join(ents)
        + b"\n]>\n<"
        + root
        + b">&lol9;</"
        + root
        + b">\n"
    )


def xxe(doc: bytes, root: bytes, secret_path: str) -> bytes:
    """``doc`` with a DOCTYPE declaring an external entity on ``secret_path`` and using it in the first point."""
    decl = b'<!DOCTYPE %s [<!ENTITY xxe SYSTEM "file://%s">]>\n' % (root, secret_path.encode())
    head, rest = doc.split(b"\n", 1)
    rest = rest.replace(b"<name>", b"<name>&xxe;", 1).replace(b"<Id>", b"<Id>&xxe;", 1)
    return head + b"\n" + decl + rest


def xml_bad_files(secret_path: str) -> list[BadFile]:
    """GPX and TCX with missing, unsorted and repeated times, no positions, mixed namespaces, bad UTF-8, bombs."""
    gpx = good_gpx()
    tcx = good_tcx()
    n = n_records()
    rng = random.Random(80)
    out: list[BadFile] = []
    for fmt, doc, pat, root in (
        ("gpx", gpx, GPX_TRKPT, b"gpx"),
        ("tcx", tcx, TCX_TRACKPOINT, b"TrainingCenterDatabase"),
    ):
        time_tag = re.compile(rb"<time>[^<]*</time>" if fmt == "gpx" else rb"<Time>[^<]*</Time>")
        pos_tag = re.compile(rb' lat="[^"]*" lon="[^"]*"' if fmt == "gpx" else rb"<Position>.*?</Position>")
        head, pts, tail = split_points(doc, pat)
        out.append(
            BadFile(
                f"no_times.{fmt}",
                join_points(head, [time_tag.sub(b"", p) for p in pts], tail),
                "error",
                "every point's time removed",
                ParseError,
            )
        )
        # 5 % of points lose their time: at most 10 % may be dropped with a note
        drop = set(rng.sample(range(n), n // 20))
        out.append(
            BadFile(
                f"some_times_missing.{fmt}",
                join_points(
                    head, [time_tag.sub(b"", p) if i in drop else p for i, p in enumerate(pts)], tail
                ),
                "partial",
                f"{len(drop)} of {n} points without a time",
                max_records=n - len(drop),
                min_records=n - len(drop),
            )
        )
        out.append(
            BadFile(
                f"second_half_without_times.{fmt}",
                join_points(
                    head, [time_tag.sub(b"", p) if i >= n // 2 else p for i, p in enumerate(pts)], tail
                ),
                "error",
                "the second half of the points have no time",
                ParseError,
            )
        )
        shuffled_order = list(range(n))
        rng.shuffle(shuffled_order)
        out.append(
            BadFile(
                f"unsorted_times.{fmt}",
                join_points(head, [pts[i] for i in shuffled_order], tail),
                "ok",
                "points shuffled out of time order",
                min_records=n,
            )
        )
        out.append(
            BadFile(
                f"duplicate_points.{fmt}",
                join_points(head, [q for p in pts for q in (p, p)], tail),
                "ok",
                "every point written twice",
                min_records=n,
            )
        )
        conflicting = re.compile(
            rb"(<ele>)[0-9.]+(</ele>)" if fmt == "gpx" else rb"(<AltitudeMeters>)[0-9.]+(</AltitudeMeters>)"
        )
        out.append(
            BadFile(
                f"duplicate_times_disagreeing.{fmt}",
                join_points(
                    head, [q for p in pts for q in (p, conflicting.sub(b"\\g<1>999.9\\g<2>", p))], tail
                ),
                "ok",
                "every point repeated with the same time and a different elevation",
                min_records=n,
            )
        )
        no_pos = set(range(n // 4, n // 4 + 60))
        out.append(
            BadFile(
                f"points_without_position.{fmt}",
                join_points(
                    head, [pos_tag.sub(b"", p) if i in no_pos else p for i, p in enumerate(pts)], tail
                ),
                "ok",
                f"{len(no_pos)} points in a row without a position",
                min_records=n - (len(no_pos) if fmt == "gpx" else 0),
            )
        )
        out.append(
            BadFile(
                f"invalid_utf8.{fmt}",
                doc.replace(
                    b"<Id>" if fmt == "tcx" else b"<name>",
                    (b"<Id>" if fmt == "tcx" else b"<name>") + b"\xff\xfe\xc3",
                    1,
                )
                + b"<!-- \xe2\x28\xa1 -->",
                "ok",
                "invalid UTF-8 bytes in the name and in a trailing comment",
                min_records=n,
            )
        )
        cut = pat.search(doc, len(doc) // 2)
        assert cut is not None
        before = len(pat.findall(doc, 0, cut.start()))
        out.append(
            BadFile(
                f"truncated.{fmt}",
                doc[: cut.start() + 20],
                "partial",
                f"cut 20 bytes into point {before + 1} (before its time is complete)",
                max_records=before,
                min_records=before,
            )
        )
        out.append(
            BadFile(
                f"billion_laughs.{fmt}",
                billion_laughs(root),
                "hostile",
                "entity bomb (10^9 expansions)",
                HostileInput,
            )
        )
        out.append(
            BadFile(
                f"external_entity.{fmt}",
                xxe(doc, root, secret_path),
                "hostile",
                f"external entity pointing at the local file {secret_path}",
                HostileInput,
            )
        )
        out.append(BadFile(f"empty.{fmt}", b"", "error", "0-byte file", EmptyActivity))
        close = b"</trkpt>" if fmt == "gpx" else b"</Trackpoint>"
        at = doc.index(close, len(doc) // 2)
        out.append(
            BadFile(
                f"unclosed_point.{fmt}",
                doc[:at] + doc[at + len(close) :],
                "partial",
                "one point's closing tag removed halfway (recovery nests the next points inside it)",
                min_records=n // 2,
            )
        )
        time_open = b"<time>" if fmt == "gpx" else b"<Time>"
        at = doc.index(time_open, len(doc) // 2) + len(time_open)
        out.append(
            BadFile(
                f"time_in_year_3026.{fmt}",
                doc[:at] + b"3" + doc[at + 1 :],
                "partial",
                "one point's year changed from 2026 to 3026 (outside what nanosecond times hold)",
                max_records=n - 1,
                min_records=n - 1,
            )
        )
    # GPX 1.0 and 1.1 namespaces mixed: the second half of the track in a GPX 1.0 <trkseg>
    pts = GPX_TRKPT.findall(gpx)
    first = GPX_TRKPT.search(gpx)
    assert first is not None
    half = len(pts) // 2
    mixed = (
        gpx[: first.start()]
        + b"\n".join(pts[:half])
        + b'\n</trkseg><trkseg xmlns="http://www.topografix.com/GPX/1/0">\n'
        + b"\n".join(pts[half:])
        + b"\n</trkseg></trk>\n</gpx>\n"
    )
    out.append(
        BadFile(
            "mixed_namespaces.gpx",
            mixed,
            "ok",
            "GPX 1.1 document with a GPX 1.0 track segment",
            min_records=n,
        )
    )
    # a route only (a plan, not a recording)
    rte = (
        gpx.replace(b"<trk>", b"<rte>")
        .replace(b"</trk>", b"</rte>")
        .replace(b"<trkseg>", b"")
        .replace(b"</trkseg>", b"")
    )
    rte = rte.replace(b"<trkpt ", b"<rtept ").replace(b"</trkpt>", b"</rtept>")
    out.append(
        BadFile("route_only.gpx", rte, "error", "the points are a route (<rte>), not a track", ParseError)
    )
    return out


# ----------------------------------------------------------------------------- archives


def _zip(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as zf:
        for name, data in members:
            zf.writestr(zipfile.ZipInfo(name, date_time=(2026, 5, 2, 13, 1, 8)), data, compress_type=method)
    return buf.getvalue()


def _gf2_times(mat: list[int], vec: int) -> int:
    out = 0
    i = 0
    while vec:
        if vec & 1:
            out ^= mat[i]
        vec >>= 1
        i += 1
    return out


def _gf2_square(mat: list[int]) -> list[int]:
    return [_gf2_times(mat, mat[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of ``A + B`` from ``crc32(A)``, ``crc32(B)`` and ``len(B)`` (zlib's ``crc32_combine``)."""
    if len2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << (n - 1) for n in range(1, 32)]  # one zero bit
    even = _gf2_square(odd)  # two zero bits
    odd = _gf2_square(even)  # four zero bits
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


BOMB_BLOCK = 16 * MIB


@functools.cache
def _zero_block() -> tuple[bytes, bytes, int]:
    """Raw deflate of :data:`BOMB_BLOCK` zeros ending in a full flush (so copies of it concatenate into a valid
    stream), the stream's final empty block, and the block's CRC-32."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(BOMB_BLOCK)
    block = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
    return block, comp.flush(zlib.Z_FINISH), zlib.crc32(zeros)


@functools.cache
def zeros_deflated(n_bytes: int) -> tuple[bytes, int]:
    """Raw deflate stream and CRC-32 of ``n_bytes`` zeros (a multiple of :data:`BOMB_BLOCK`), built in
    milliseconds: a fully flushed compressed block repeated (about 1 KiB per MiB)."""
    assert n_bytes % BOMB_BLOCK == 0
    block, tail, block_crc = _zero_block()
    count = n_bytes // BOMB_BLOCK
    crc, run_crc, run_len, left = 0, block_crc, BOMB_BLOCK, count  # binary doubling: log2(count) combines
    while left:
        if left & 1:
            crc = crc32_combine(crc, run_crc, run_len)
        run_crc = crc32_combine(run_crc, run_crc, run_len)
        run_len *= 2
        left >>= 1
    return block * count + tail, crc


@functools.cache
def bomb_zip(expanded_bytes: int, *, declared_bytes: int | None = None, members: int = 1) -> bytes:
    """A zip whose member(s) of zeros expand to ``expanded_bytes`` each (PKWARE APPNOTE 4.3.7, 4.3.12, 4.3.16).

    ``declared_bytes`` makes the local and central headers lie about the
    uncompressed size (the CRC is that of the real content).
    """
    raw, crc = zeros_deflated(expanded_bytes)
    size = expanded_bytes if declared_bytes is None else declared_bytes
    body = bytearray()
    central = bytearray()
    for i in range(members):
        name = f"bomb_{i:03d}.fit".encode()
        offset = len(body)
        body += struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(raw), size, len(name), 0)
        body += name + raw
        central += struct.pack(
            "<4s6H3I5H2I",
            b"PK\x01\x02",
            20,
            20,
            0,
            8,
            0,
            0x21,
            crc,
            len(raw),
            size,
            len(name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += name
    eocd = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, members, members, len(central), len(body), 0)
    return bytes(body + central + eocd)


def overlap_bomb_zip(expanded_bytes: int, entries: int) -> bytes:
    """A zip whose ``entries`` central-directory entries all point at one compressed member (the
    "overlapping files" construction of D. Fifield, "A better zip bomb", WOOT 2019): tiny on disk,
    ``entries × expanded_bytes`` when every entry is read."""
    raw, crc = zeros_deflated(expanded_bytes)
    name = b"bomb.fit"
    body = struct.pack(
        "<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(raw), expanded_bytes, len(name), 0
    )
    body += name + raw
    entry = struct.pack(
        "<4s6H3I5H2I",
        b"PK\x01\x02",
        20,
        20,
        0,
        8,
        0,
        0x21,
        crc,
        len(raw),
        expanded_bytes,
        len(name),
        0,
        0,
        0,
        0,
        0,
        0,
    )
    central = (entry + name) * entries
    eocd = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, entries, entries, len(central), len(body), 0)
    return body + central + eocd


@functools.cache
def gzip_bomb(expanded_bytes: int) -> bytes:
    """A gzip member (RFC 1952) of ``expanded_bytes`` zeros."""
    raw, crc = zeros_deflated(expanded_bytes)
    header = b"\x1f\x8b\x08\x00" + b"\x00" * 4 + b"\x02\xff"
    return header + raw + struct.pack("<2I", crc, expanded_bytes & 0xFFFFFFFF)


def archive_bad_files() -> list[BadFile]:
    """Bombs, path-escaping member names, fake ``.gz``, nested zips."""
    fit = good_fit()
    gpx = good_gpx()
    n = n_records()
    inner = _zip([("inner/run.fit", fit)])
    inner2 = _zip([("deeper.zip", inner)])
    return [
        BadFile(
            "bomb_honest.zip",
            bomb_zip(2048 * MIB),
            "hostile",
            "one member of zeros expanding to 2 GiB (declared)",
            HostileInput,
        ),
        BadFile(
            "bomb_lying.zip",
            bomb_zip(512 * MIB, declared_bytes=len(fit)),
            "hostile",
            "one member of zeros expanding to 512 MiB while its headers declare a FIT file's size "
            "(inflated with its output bounded by the declared size: refused one byte past it)",
            HostileInput,
        ),
        BadFile(
            "bomb.fit.gz",
            gzip_bomb(1024 * MIB),
            "hostile",
            "gzip of 1 GiB of zeros named .fit.gz",
            HostileInput,
        ),
        BadFile(
            "bomb_many_members.zip",
            bomb_zip(48 * MIB, members=60),
            "hostile",
            "60 members of 48 MiB of zeros each (each under the per-file cap, 2.8 GiB in all, 3 MB on disk)",
            HostileInput,
        ),
        BadFile(
            "bomb_overlapping.zip",
            overlap_bomb_zip(16 * MIB, 200),
            "hostile",
            "200 entries sharing one 16 MiB member (3.1 GiB in all, 36 kB on disk)",
            HostileInput,
        ),
        BadFile(
            "bomb_gz_members.zip",
            _zip(
                [(f"run_{i:03d}.fit.gz", gzip_bomb(48 * MIB)) for i in range(40)], method=zipfile.ZIP_STORED
            ),
            "hostile",
            "40 stored .fit.gz members, each 48 MiB of zeros (1.9 GiB in all, 2 MB on disk)",
            HostileInput,
        ),
        BadFile(
            "bomb_nested.zip",
            _zip(
                [(f"inner_{i}.zip", bomb_zip(48 * MIB, members=8)) for i in range(4)],
                method=zipfile.ZIP_STORED,
            ),
            "hostile",
            "4 nested zips of 8 members of 48 MiB of zeros each (1.5 GiB in all, 1.6 MB on disk)",
            HostileInput,
        ),
        BadFile(
            "escaping_names.zip",
            _zip(
                [
                    ("../../escape_up.fit", fit),
                    ("/abs/escape_abs.gpx", gpx),
                    ("C:\\windows\\escape_win.fit", fit),
                ]
            ),
            "ok",
            "members named ../../x.fit, /abs/x.gpx and C:\\windows\\x.fit (read in memory, never extracted)",
            min_records=n,
        ),
        BadFile(
            "not_gzip.gz", b"hello, I am not compressed\n" * 20, "error", "plain text named .gz", ParseError
        ),
        BadFile(
            "fit_not_gzip.fit.gz",
            fit,
            "ok",
            "a plain FIT file named .fit.gz (content decides)",
            min_records=n,
        ),
        BadFile(
            "cut_gzip.fit.gz",
            gzip.compress(fit, mtime=0)[: len(fit) // 3],
            "partial",
            "gzip stream cut at a third",
        ),
        BadFile(
            "nested.zip",
            _zip([("level1.zip", inner)]),
            "ok",
            "zip in a zip (a Garmin export's layout)",
            min_records=n,
        ),
        BadFile(
            "nested_too_deep.zip",
            _zip([("level1.zip", inner2)]),
            "error",
            "zip in a zip in a zip",
            ParseError,
        ),
        BadFile(
            "not_a_zip.zip", b"PK\x03\x04" + b"\x00" * 60, "error", "zip magic followed by zeros", ParseError
        ),
    ]


def all_bad_files(secret_path: str = "/nonexistent/milepace-secret.txt") -> list[BadFile]:
    """Every bad input: FIT, GPX/TCX and archives (archives last: they are the slowest to build)."""
    return fit_bad_files() + xml_bad_files(secret_path) + archive_bad_files()


# ----------------------------------------------------------------------------- odd but valid activities


@dataclass(frozen=True)
class OddFile:
    """A valid file of an activity milepace may or may not analyse.

    ``runs`` is True when ``milepace.analyze`` must analyse it, False when it must be refused with
    :class:`~milepace.errors.NotARun`.
    """

    name: str
    data: bytes
    runs: bool
    sport: str | None
    how: str


def _without(s: SynthSession, *names: str) -> SynthSession:
    changes: dict[str, Any] = dict.fromkeys(names)
    return dataclasses.replace(s, **changes)


def odd_files() -> list[OddFile]:
    """Cycling, swimming without GPS, multisport, treadmill without positions, GPS-only, a 12-hour ultra."""
    run = session()
    # each on its own day, so none is taken for a repeat of another (or of a sample file) by start time
    ride = simulate("ride", seed=4, start="2026-01-05T08:00:07Z")
    swim = _without(run, "lat_deg", "lon_deg", "cadence_spm")
    treadmill = simulate("easy", seed=5, treadmill=True, duration_s=900.0, start="2026-01-06T18:10:00Z")
    ultra = simulate("long", seed=6, duration_s=12 * 3600.0, recording="smart", start="2026-01-10T05:00:00Z")
    fit = good_fit()
    # multisport: the run followed by a ride, chained as two FIT files back to back (a FIT "chained file")
    multisport = fit + write_fit(
        dataclasses.replace(ride, time_s=ride.time_s + (run.end_s - ride.start_s) + 120.0),
        serial_number=12345,
    )
    gps_only = strip_fit_fields(fit, RECORD, {5, 6, 73})  # no distance, no speed fields at all
    return [
        OddFile("ride.fit", write_fit(ride), False, "cycling", "a road ride"),
        OddFile("ride.gpx", write_gpx(ride), False, "cycling", "a road ride (GPX <type>cycling)"),
        OddFile(
            "swim.fit",
            set_fit_sport(write_fit(swim), 5, 17),
            False,
            "swimming",
            "open-water swim without GPS",
        ),
        OddFile(
            "sport_other.tcx",
            write_tcx(run).replace(b'Sport="Running"', b'Sport="Other"'),
            True,
            "other",
            'TCX with Sport="Other" (TCX has no swimming; Other is read as generic, not refused)',
        ),
        OddFile("run_then_ride.fit", multisport, True, "running", "a run then a ride, chained FIT files"),
        OddFile(
            "treadmill.fit",
            write_fit(treadmill),
            True,
            "running",
            "treadmill run: footpod speed, no positions",
        ),
        OddFile("gps_only.fit", gps_only, True, "running", "positions only: no distance or speed fields"),
        OddFile(
            "gps_only.gpx",
            write_gpx(run, extensions="none"),
            True,
            "running",
            "GPX with positions and times only",
        ),
        OddFile("ultra_12h.fit", write_fit(ultra), True, "running", "a 12-hour ultra (smart recording)"),
    ]


def write_all(folder: str | Path, secret_path: str = "/nonexistent/milepace-secret.txt") -> list[Path]:
    """Write every bad and odd file into ``folder``; returns the paths written."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    written = []
    files: list[BadFile | OddFile] = [*all_bad_files(secret_path), *odd_files()]
    for f in files:
        path = root / f.name
        path.write_bytes(f.data)
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    for p in write_all(sys.argv[1] if len(sys.argv) > 1 else "badfiles"):
        print(p)
