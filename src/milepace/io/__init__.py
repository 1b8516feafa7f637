"""Readers: FIT, GPX, TCX and the archives they come in, all returning :class:`~milepace.activity.Activity`.

Use :func:`milepace.read` and :func:`milepace.read_many`; nothing else leaves this package.
"""

from __future__ import annotations

from .registry import ReadResult, read, read_bytes, read_many

__all__ = ["ReadResult", "read", "read_bytes", "read_many"]
