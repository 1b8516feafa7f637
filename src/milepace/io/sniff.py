"""Content sniffing: tell FIT, GPX, TCX, gzip and zip apart from their first bytes.

The name of a file is only a hint: watches and apps write ``.fit`` files that
are really GPX, exports drop extensions, and ``.gz`` files are sometimes not
compressed at all. :func:`sniff` looks at the content instead:

* **FIT** — byte 0 is the header size (12 or 14) and bytes 8–11 are ``.FIT``
  (FIT protocol, "File Header" section of the FIT SDK).
* **gzip** — the two magic bytes ``1f 8b`` (RFC 1952, section 2.3.1).
* **zip** — a local file header ``PK\\x03\\x04`` or, for an empty archive, the
  end-of-central-directory record ``PK\\x05\\x06`` (PKWARE APPNOTE 4.3.7, 4.3.16).
* **GPX / TCX** — an XML document whose root element is ``gpx`` or
  ``TrainingCenterDatabase`` (found by :func:`milepace.io.xmlsafe.root_name`).
"""

from __future__ import annotations

FIT_MAGIC = b".FIT"
GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
SNIFF_BYTES = 4096
"""How many leading bytes :func:`sniff` needs to decide (the XML root usually sits in the first few hundred)."""

XML_ROOTS = {"gpx": "gpx", "trainingcenterdatabase": "tcx"}
"""Root element local name (lower case) to format."""

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")
"""File name endings of activity files (after removing ``.gz``), lower case."""


def is_fit(head: bytes) -> bool:
    """True when ``head`` starts with a FIT file header (size 12 or 14, ``.FIT`` at bytes 8–11)."""
    return len(head) >= 12 and head[0] in (12, 14) and head[8:12] == FIT_MAGIC


def xml_root(head: bytes) -> str | None:
    """Local name of the root element of an XML document, or ``None`` when ``head`` is not XML.

    Delegates to :func:`milepace.io.xmlsafe.root_name`, which scans only the
    first few KiB and never parses the document.
    """
    from .xmlsafe import root_name

    try:
        name = root_name(head)
    except Exception:  # a sniff never fails: content it cannot name is simply not XML
        return None
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1] if name else None


def sniff(head: bytes) -> str | None:
    """Name the content: ``fit``, ``gpx``, ``tcx``, ``gzip``, ``zip``, ``xml`` (some other XML) or ``None``.

    Parameters
    ----------
    head
        The first bytes of the content (at least :data:`SNIFF_BYTES` when available).

    Examples
    --------
    >>> sniff(b"\\x0e\\x10\\x00\\x00\\x00\\x00\\x00\\x00.FIT\\x00\\x00")
    'fit'
    >>> sniff(b'<?xml version="1.0"?><gpx version="1.1"></gpx>')
    'gpx'
    """
    if is_fit(head):
        return "fit"
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(ZIP_MAGICS):
        return "zip"
    root = xml_root(head[:SNIFF_BYTES])
    if root is None:
        return None
    return XML_ROOTS.get(root.lower(), "xml")


def activity_suffix(name: str) -> str | None:
    """``fit``, ``gpx`` or ``tcx`` when ``name`` ends in one of them (optionally followed by ``.gz``)."""
    lower = name.lower().removesuffix(".gz")
    for suffix in ACTIVITY_SUFFIXES:
        if lower.endswith(suffix):
            return suffix[1:]
    return None
