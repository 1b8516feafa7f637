"""The one exception tree milepace raises, and the warning for usable-but-damaged data.

Library code raises these; the CLI turns them into one line
(``error: FILE: what is wrong``) and exit code 2, never a traceback.
"""

from __future__ import annotations


class MilepaceError(Exception):
    """Base class of every error milepace raises on purpose."""


class ParseError(MilepaceError):
    """A file could not be decoded.

    Parameters
    ----------
    message
        One sentence saying what was needed and what was found.
    path
        The file (or ``archive.zip!member``) being read, when known.
    offset
        Byte offset of the damage (FIT), when known.
    """

    def __init__(self, message: str, *, path: str | None = None, offset: int | None = None) -> None:
        self.message = message
        self.path = path
        self.offset = offset
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f" (at byte {self.offset:,})" if self.offset is not None else ""
        return f"{self.message}{where}"


class UnsupportedFormat(ParseError):
    """The content is not FIT, GPX, TCX or an archive of them."""


class EmptyActivity(ParseError):
    """The file decoded but holds no timed records to analyse."""


class NotARun(MilepaceError):
    """The activity is a ride, swim or other sport that milepace does not analyse."""


class HostileInput(ParseError):
    """An archive or XML document that tries to expand, escape or reach outside itself."""


class PlanSyntaxError(MilepaceError):
    """A written workout plan that does not follow the plan grammar.

    Parameters
    ----------
    message
        What was expected.
    text
        The whole plan as written.
    position
        0-based index of the offending character in ``text``.
    """

    def __init__(self, message: str, *, text: str = "", position: int = 0) -> None:
        self.message = message
        self.text = text
        self.position = position
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if not self.text:
            return self.message
        # The plan on its own line, with a caret under the offending character.
        return f"{self.message} at character {self.position + 1}\n  {self.text}\n  {' ' * self.position}^"


class UsageError(MilepaceError):
    """A command-line or API argument that cannot be used (a malformed goal time, say)."""


class DataQualityWarning(UserWarning):
    """The data has a problem that still leaves a usable answer (bad CRC, truncation, time jump)."""
