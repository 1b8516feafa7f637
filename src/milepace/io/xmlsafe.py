"""Hardened XML parsing for the GPX and TCX readers.

Watch files are plain XML with no DTD, so everything a DTD can do is switched
off or refused:

* entities are never expanded (``resolve_entities=False``) and a document that
  *declares* any entity is refused with :class:`~milepace.errors.HostileInput`
  before it is parsed (billion laughs, external entities pointing at local
  files or URLs); a declaration the cheap byte scan cannot see (a UTF-16
  document) is caught after parsing from the document's internal DTD;
* no DTD is loaded and nothing is fetched from the network
  (``load_dtd=False``, ``no_network=True``);
* libxml2's own limits stay on (``huge_tree=False``: text nodes ≤ 10 MB,
  depth ≤ 256) and documents larger than :data:`MAX_XML_BYTES` are refused.

libxml2 2.14 also refuses entity amplification by itself ("Maximum entity
amplification factor exceeded") even with ``resolve_entities=False``; the
byte scan makes the refusal ours, with one clear sentence, in microseconds.

Real files are sometimes not well-formed. :func:`parse_xml_notes` parses
strictly (``recover=False``) and, when that fails, repairs what is known to
be harmless and says so:

========================================  =====================================================
problem                                   what happens
========================================  =====================================================
whitespace/BOM before ``<?xml ...?>``     stripped, parsed strictly, no note (nothing is lost)
undeclared namespace prefix               declared on the root, parsed strictly, note
(``gpxdata:cadence`` without ``xmlns``)   (sports-lib Strava exports)
invalid UTF-8 in a UTF-8 document         bad bytes replaced by U+FFFD, parsed strictly, note
anything else (truncation, bad markup)    libxml2 recovery (``recover=True``), note quoting
                                          the first error; nothing usable → ParseError
========================================  =====================================================
"""

from __future__ import annotations

import re
import warnings

from lxml import etree

from ..errors import DataQualityWarning, HostileInput, ParseError

MAX_XML_BYTES = 64 * 1024 * 1024
"""Largest XML document read [bytes] (64 MiB ≈ two days of 1 Hz TCX; a 12-hour 1 Hz GPX is ~15 MB)."""

ROOT_SCAN_BYTES = 64 * 1024
"""How far :func:`root_name` looks for the root element [bytes]."""


def _parser(recover: bool) -> etree.XMLParser:
    """The one parser configuration milepace uses (only ``recover`` differs)."""
    return etree.XMLParser(
        recover=recover,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        # whitespace-only text between elements (indentation, one newline per point) is never read
        # (leaf values keep theirs: libxml2 drops a blank run only when an element child follows it);
        # dropping it makes parse + free ~15 % cheaper on a 1 h GPX (fewer nodes to build and walk)
        remove_blank_text=True,
    )


_STRICT = _parser(recover=False)
_RECOVER = _parser(recover=True)

_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")
_ELEMENT_PREFIX = re.compile(rb"</?([A-Za-z_][\w.\-]*):[A-Za-z_]")
_ATTRIBUTE_PREFIX = re.compile(rb"\s([A-Za-z_][\w.\-]*):[A-Za-z_][\w.\-]*\s*=")
_DECLARED_PREFIX = re.compile(rb"xmlns:([A-Za-z_][\w.\-]*)\s*=")
_NAME = re.compile(rb"[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?")


def root_tag_span(data: bytes) -> tuple[int, int] | None:
    """Byte span of the root element's start tag (``<`` up to and including ``>``), or ``None``.

    Skips the XML declaration, processing instructions, comments and a
    DOCTYPE (with its internal subset). ``data`` may be a prefix of the
    document; ``None`` when the start tag is not complete inside it.
    """
    n = len(data)
    i = 0
    while i < n:
        lt = data.find(b"<", i)
        if lt < 0 or lt + 1 >= n:
            return None
        if data.startswith(b"<?", lt):
            end = data.find(b"?>", lt + 2)
            if end < 0:
                return None
            i = end + 2
        elif data.startswith(b"<!--", lt):
            end = data.find(b"-->", lt + 4)
            if end < 0:
                return None
            i = end + 3
        elif data.startswith(b"<!", lt):
            # DOCTYPE (possibly with an internal subset in [...]) or another declaration
            gt = _closing_gt(data, lt + 2, brackets=True)
            if gt is None:
                return None
            i = gt + 1
        else:
            m = _NAME.match(data, lt + 1)
            if not m:
                return None
            gt = _closing_gt(data, m.end(), brackets=False)
            return None if gt is None else (lt, gt + 1)
    return None


def _closing_gt(data: bytes, j: int, *, brackets: bool) -> int | None:
    """Index of the ``>`` that closes a tag or declaration, from ``j`` on, or ``None``.

    A ``>`` inside single or double quotes does not count, nor (``brackets``:
    a DOCTYPE's internal subset) one inside ``[...]``.
    """
    n = len(data)
    depth = 0
    quote = 0
    while j < n:
        c = data[j]
        if quote:
            if c == quote:
                quote = 0
        elif c in (0x22, 0x27):  # " '
            quote = c
        elif brackets and c == 0x5B:  # [
            depth += 1
        elif brackets and c == 0x5D:  # ]
            depth -= 1
        elif c == 0x3E and depth <= 0:  # >
            return j
        j += 1
    return None


def _utf8_head(data: bytes, limit: int) -> bytes:
    """The first ``limit`` bytes as UTF-8 (UTF-16 documents with a BOM are transcoded)."""
    head = data[:limit]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    return head.removeprefix(b"\xef\xbb\xbf")


def root_name(data: bytes) -> str | None:
    """Local name of the root element (``gpx``, ``TrainingCenterDatabase``), or ``None`` when not XML.

    A cheap sniff for content detection: scans at most the first
    :data:`ROOT_SCAN_BYTES` bytes, skipping a BOM, the XML declaration,
    comments, processing instructions and a DOCTYPE; never parses the document.

    Parameters
    ----------
    data
        The document, or its first few KiB.

    Returns
    -------
    str or None
        The root element's name without any namespace prefix.

    Examples
    --------
    >>> root_name(b'<?xml version="1.0"?><!-- x --><gpx version="1.1">')
    'gpx'
    >>> root_name(b"\\x0e\\x10.FIT") is None
    True
    """
    head = _utf8_head(data, ROOT_SCAN_BYTES)
    if not head.lstrip().startswith(b"<"):
        return None
    span = root_tag_span(head)
    if span is None:
        # the start tag may be cut off by the end of ``data``: read the name alone
        m = re.match(
            rb"\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>\s*)*<([A-Za-z_][\w.\-:]*)",
            head,
            re.S,
        )
        if not m:
            return None
        name = m.group(1)
    else:
        m = _NAME.match(head, span[0] + 1)
        if not m:
            return None
        name = m.group(0)
    return name.rsplit(b":", 1)[-1].decode("ascii", errors="replace")


def _refuse_entities(data: bytes, source: str) -> None:
    """Raise HostileInput when the document declares entities (checked on the raw bytes)."""
    if b"<!ENTITY" in data:
        raise HostileInput(
            f"{source} declares XML entities (<!ENTITY ...>); watch files never need them "
            "and milepace does not expand them",
            path=source,
        )


def _check_tree(root: etree._Element, source: str) -> None:
    """Refuse a parsed document whose internal DTD declares entities (UTF-16 bombs miss the byte scan)."""
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):  # type: ignore[attr-defined]
        raise HostileInput(
            f"{source} declares XML entities in its DTD; watch files never need them "
            "and milepace does not expand them",
            path=source,
        )


def _declared_encoding(data: bytes) -> str:
    m = _ENCODING.match(data[:256].removeprefix(b"\xef\xbb\xbf"))
    return m.group(1).decode("ascii").lower().replace("_", "-") if m else "utf-8"


def _declare_prefixes(data: bytes) -> tuple[bytes, list[str]] | None:
    """Declare every namespace prefix used but never declared, on the root start tag."""
    used = set(_ELEMENT_PREFIX.findall(data)) | set(_ATTRIBUTE_PREFIX.findall(data))
    declared = set(_DECLARED_PREFIX.findall(data))
    missing = sorted(used - declared - {b"xml", b"xmlns"})
    span = root_tag_span(data)
    if not missing or span is None:
        return None
    end = span[1] - 1
    if data[end - 1 : end] == b"/":
        end -= 1
    decl = b"".join(b' xmlns:%s="urn:milepace:undeclared:%s"' % (p, p) for p in missing)
    return data[:end] + decl + data[end:], [p.decode("ascii") for p in missing]


def _first_error(err: etree.XMLSyntaxError) -> str:
    msg = str(err.msg if getattr(err, "msg", None) else err).split(" (<string>", 1)[0]
    return msg.rstrip(".")


def parse_xml_notes(data: bytes, source: str) -> tuple[etree._Element, list[str]]:
    """Parse an XML document safely and report the repairs it needed.

    Parameters
    ----------
    data
        The whole document.
    source
        Path or archive member name, used in messages.

    Returns
    -------
    (root, notes)
        The root element, and one sentence per repair (empty for a
        well-formed document); readers put the notes in
        :attr:`Activity.warnings <milepace.activity.Activity.warnings>`.

    Raises
    ------
    HostileInput
        The document declares entities.
    ParseError
        The document is larger than :data:`MAX_XML_BYTES`, or nothing usable
        could be parsed from it.
    """
    if len(data) > MAX_XML_BYTES:
        raise ParseError(
            f"{source} is {len(data) / 2**20:,.1f} MiB of XML; milepace reads XML files "
            f"up to {MAX_XML_BYTES / 2**20:,.0f} MiB",
            path=source,
        )
    _refuse_entities(data, source)
    notes: list[str] = []
    work = data
    first_error: str | None = None
    repaired: set[str] = set()
    for _attempt in range(4):
        try:
            root = etree.fromstring(work, _STRICT)
        except etree.XMLSyntaxError as err:
            message = _first_error(err)
            first_error = first_error or message
            if "XML declaration allowed only at the start" in message and "lead" not in repaired:
                repaired.add("lead")
                work = work.removeprefix(b"\xef\xbb\xbf").lstrip()
                continue
            if "Namespace prefix" in message and "prefix" not in repaired:
                repaired.add("prefix")
                fixed = _declare_prefixes(work)
                if fixed is not None:
                    work, prefixes = fixed
                    notes.append(
                        f"the file uses namespace prefix(es) {', '.join(prefixes)} without declaring them; "
                        "they were declared so their values could be read"
                    )
                    continue
            if (
                ("Invalid bytes in character encoding" in message or "not proper UTF-8" in message)
                and "utf8" not in repaired
                and _declared_encoding(work) in ("utf-8", "utf8")
            ):
                repaired.add("utf8")
                text = work.decode("utf-8", errors="replace")
                bad = text.count("\ufffd") - work.count(b"\xef\xbf\xbd")
                work = text.encode("utf-8")
                notes.append(f"{max(bad, 1):,} invalid UTF-8 byte sequence(s) were replaced by U+FFFD")
                continue
            break
        else:
            _check_tree(root, source)
            return root, notes
    # last resort: libxml2 recovery keeps what parses (a truncated upload keeps its first part)
    try:
        recovered: etree._Element | None = etree.fromstring(work, _RECOVER)
    except etree.XMLSyntaxError as err:
        raise ParseError(
            f"{source} is not well-formed XML: {first_error or _first_error(err)}", path=source
        ) from err
    if recovered is None or not isinstance(recovered.tag, str):
        raise ParseError(f"{source} is not well-formed XML: {first_error}", path=source)
    root = recovered
    _check_tree(root, source)
    notes.append(f"the XML is damaged ({first_error}); only the part libxml2 could recover was read")
    return root, notes


def parse_xml(data: bytes, source: str) -> etree._Element:
    """Parse an XML document with entities, DTDs and network access off.

    Repairs (see the module docstring) are issued as
    :class:`~milepace.errors.DataQualityWarning`; use :func:`parse_xml_notes`
    to get them as sentences instead.

    Parameters
    ----------
    data
        The whole document [bytes].
    source
        Path or archive member name, used in messages.

    Returns
    -------
    lxml.etree._Element
        The root element.

    Raises
    ------
    HostileInput
        The document declares entities.
    ParseError
        Too large, or not XML that anything usable can be recovered from.

    Examples
    --------
    >>> parse_xml(b"<gpx><trk/></gpx>", "x.gpx").tag
    'gpx'
    """
    root, notes = parse_xml_notes(data, source)
    for note in notes:
        warnings.warn(f"{source}: {note}", DataQualityWarning, stacklevel=2)
    return root
