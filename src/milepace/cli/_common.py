"""Small helpers the commands share: one-line errors and option parsing."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from ..errors import MilepaceError


def error_line(source: str, message: str) -> None:
    """Print ``error: FILE: sentence`` on stderr (the CLI's one form of error)."""
    sentence = " ".join(str(message).split())
    print(f"error: {source}: {sentence}", file=sys.stderr)


def usage_error(message: str) -> typer.Exit:
    """Print ``error: sentence`` and return the exit (code 2) for the caller to raise."""
    print(f"error: {' '.join(message.split())}", file=sys.stderr)
    return typer.Exit(code=2)


def parse_goal(text: str | None) -> float | None:
    """Parse ``--goal-mile`` (``M:SS``) into seconds, or exit with a one-line usage error."""
    if text is None:
        return None
    from ..units import parse_duration

    try:
        value = parse_duration(text)
    except MilepaceError as err:
        raise usage_error(f"--goal-mile: {err}") from None
    if not 150 <= value <= 1800:
        raise usage_error(f"--goal-mile: {text!r} is not a plausible mile time (2:30 to 30:00)")
    return value


@contextmanager
def quiet_warnings() -> Iterator[list[warnings.WarningMessage]]:
    """Collect warnings instead of letting Python print them with file and line numbers."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught
