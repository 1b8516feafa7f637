"""The written-plan grammar: workouts the way coaches write them.

Examples
--------
``6x800m@mile/400m jog``
    six 800 m reps at goal-mile pace, 400 m jog after each.
``1x800m@3k/800m jog, 4x400m@5k/30s jog``
    parts separated by commas, run in order.
``6x1min@3k/1min jog``
    timed reps (``s``, ``sec``, ``min`` or a clock such as ``2:00``).
``4x(0.75mi@T, 0.25mi@mile)/0.25mi jog``
    a group: its reps follow each other straight on; the recovery after the
    parenthesis follows each repeat of the group.
``2x(4x400m@mile/60s jog)/4min walk``
    a set recovery: 4 min walk after each set of four (it replaces the
    60 s jog after the fourth rep).
``6x20s strides/60s walk`` · ``8x10s hill/walk down``
    strides and hill sprints (``stride``/``strides``, ``hill``/``hills``,
    ``hill sprint(s)``).
``1mi@mile``
    no count means one: a time trial.

Grammar (whitespace is free between tokens; case does not matter)::

    plan      := item ("," item)*
    item      := [INT ("x" | "×" | "*")] unit ["/" recovery]
    unit      := "(" item ("," item)* ")" | rep
    rep       := amount [activity] ["@" pace]
    amount    := NUMBER distance-unit | NUMBER time-unit | CLOCK | INT    (INT ≥ 100: metres)
    distance-unit := m | meter(s) | metre(s) | km | k | mi | mile(s)
    time-unit := s | sec | second(s) | min | minute(s)
    activity  := stride(s) | hill(s) | hill sprint(s) | sprint(s)
    pace      := CLOCK "/" (mi | km | NUMBER [m])     e.g. 5:20/mi, 3:20/km, 80s/400
               | CLOCK | NUMBER "s"                      target time for the rep, e.g. 800m@2:44
               | NAME                                    1500, mile, 3k, 5k, 10k, hm, R, I, T, M, E
    recovery  := "full" ["recovery"] | amount [rkind] | rkind
    rkind     := jog | walk | stand | rest | walk down | jog down | walk back | jog back

A whole number of at least 100 without a unit is metres, as coaches write
track sessions (``6x400@mile/200 jog``); smaller bare numbers are errors
(``6x45@mile``: seconds or metres?). ``rest`` means stand; ``… back`` is the
same as ``… down``. A pace with a
distance after the slash (``80s/400``) must be followed by a comma, a slash,
a parenthesis or the end, so ``400m@80s/400m jog`` reads as "80 s for the
rep, then 400 m jog".

>>> plan = parse_plan("6x800m@mile/400m jog")
>>> [r.distance_m for r in plan.expand()][:2]
[800.0, 800.0]
"""

from __future__ import annotations

import re
from typing import cast

from ..errors import PlanSyntaxError, UsageError
from ..units import METERS_PER_MILE, parse_duration, parse_pace
from .model import Block, PaceSpec, Plan, PlannedRecoveryKind, RecoverySpec, RepKind, RepSpec

_DISTANCE_UNITS: dict[str, float] = {
    "m": 1.0,
    "meter": 1.0,
    "meters": 1.0,
    "metre": 1.0,
    "metres": 1.0,
    "km": 1000.0,
    "k": 1000.0,
    "mi": METERS_PER_MILE,
    "mile": METERS_PER_MILE,
    "miles": METERS_PER_MILE,
}
_TIME_UNITS: dict[str, float] = {
    "s": 1.0,
    "sec": 1.0,
    "secs": 1.0,
    "second": 1.0,
    "seconds": 1.0,
    "min": 60.0,
    "mins": 60.0,
    "minute": 60.0,
    "minutes": 60.0,
}
_ACTIVITIES: dict[str, RepKind] = {
    "stride": "stride",
    "strides": "stride",
    "hill": "hill_repeat",
    "hills": "hill_repeat",
    "sprint": "hill_repeat",
    "sprints": "hill_repeat",
}
_RECOVERY_KINDS: dict[str, PlannedRecoveryKind] = {
    "jog": "jog",
    "walk": "walk",
    "stand": "stand",
    "rest": "stand",
}

BARE_METRES_FROM = 100.0
"""A whole number without a unit is metres from this value up (``6x400``, ``/200 jog``)."""
MAX_COUNT = 100
"""Largest repeat count accepted (a typo such as 1000x400m is an error, not a 1000-rep plan)."""
MAX_DEPTH = 4
"""Deepest nesting of parenthesised groups."""
MAX_REPS = 500
"""Most reps a whole plan may expand to."""

_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_CLOCK = re.compile(r"\d+:\d{1,2}(?::\d{1,2})?(?:\.\d+)?")
_WORD = re.compile(r"[a-z]+")
_EXPLICIT_PACE = re.compile(
    r"(?P<pace>(?:\d+:\d{1,2}(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?:s|sec)?\s*/\s*(?:mi(?:le)?|km|k|\d+(?:\.\d+)?\s*m?))"
    r"(?![a-z0-9.])(?=\s*(?:$|[,/)]))"
)
_REP_TIME = re.compile(r"(?:\d+:\d{1,2}(?:\.\d+)?|\d+(?:\.\d+)?\s*s(?:ec)?)(?![a-z0-9.:])")
_PACE_NAME = re.compile(r"[a-z0-9][a-z0-9.]*")


def parse_plan(text: str) -> Plan:
    """Parse a written workout plan.

    Parameters
    ----------
    text
        The plan, e.g. ``"6x800m@mile/400m jog"`` (grammar in this module's docstring).

    Returns
    -------
    Plan

    Raises
    ------
    PlanSyntaxError
        When the text does not follow the grammar; ``position`` is the 0-based
        index of the offending character and the message says what was expected.
    """
    if not isinstance(text, str):
        raise PlanSyntaxError(f"a plan must be text, got {type(text).__name__}")
    return _Parser(text).parse()


class _Parser:
    """Recursive descent over the characters of the plan."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.low = text.lower()
        self.pos = 0
        self.depth = 0

    # ------------------------------------------------------------------ helpers
    def error(self, expected: str, position: int | None = None) -> PlanSyntaxError:
        at = self.pos if position is None else position
        if at >= len(self.text):
            found = "the end of the plan"
        else:
            token = re.match(r"[A-Za-z0-9.:]+", self.text[at:])
            found = repr(token.group(0) if token else self.text[at])
        return PlanSyntaxError(f"expected {expected}, found {found}", text=self.text, position=at)

    def skip_ws(self) -> None:
        while self.pos < len(self.low) and self.low[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        self.skip_ws()
        return self.low[self.pos] if self.pos < len(self.low) else ""

    def accept(self, chars: str) -> bool:
        if self.peek() and self.peek() in chars:
            self.pos += 1
            return True
        return False

    def match(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        self.skip_ws()
        m = pattern.match(self.low, self.pos)
        if m:
            self.pos = m.end()
        return m

    def peek_word(self) -> str:
        self.skip_ws()
        m = _WORD.match(self.low, self.pos)
        return m.group(0) if m else ""

    # ------------------------------------------------------------------ grammar
    def parse(self) -> Plan:
        if not self.text.strip():
            raise self.error("a plan such as 6x800m@mile/400m jog", 0)
        items = self.items(top=True)
        if self.peek():
            raise self.error("',' before the next part of the plan, or the end")
        total = sum(_rep_count(block) for block in items)
        if total > MAX_REPS:
            raise self.error(f"a plan of at most {MAX_REPS} reps (this one has {total})", 0)
        return Plan(text=self.text, blocks=tuple(items))

    def items(self, *, top: bool) -> list[Block]:
        items = [self.item()]
        while self.accept(","):
            items.append(self.item())
        if not top and self.peek() != ")":
            raise self.error("',' or ')' to close the group")
        return items

    def item(self) -> Block:
        self.skip_ws()
        start = self.pos
        count = 1
        m = _NUMBER.match(self.low, self.pos)
        if m and re.fullmatch(r"\d+", m.group(0)):
            after = m.end()
            while after < len(self.low) and self.low[after].isspace():
                after += 1
            if after < len(self.low) and self.low[after] in "x×*":
                count = int(m.group(0))
                if not 1 <= count <= MAX_COUNT:
                    raise self.error(f"a repeat count from 1 to {MAX_COUNT}", start)
                self.pos = after + 1
        body: tuple[RepSpec | Block, ...]
        if self.accept("("):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error(f"at most {MAX_DEPTH} levels of '(' groups", self.pos - 1)
            body = tuple(self.items(top=False))
            self.depth -= 1
            self.accept(")")
            is_group = True
        else:
            body = (self.rep(),)
            is_group = False
        recovery = None
        if self.accept("/"):
            recovery = self.recovery()
        return Block(
            count=count,
            body=body,
            recovery=recovery,
            is_group=is_group,
            text=self.text[start : self.pos].strip(),
        )

    def amount(self, expected: str) -> tuple[float | None, float | None]:
        """Read a distance or a duration; returns ``(distance_m, duration_s)``."""
        self.skip_ws()
        start = self.pos
        clock = _CLOCK.match(self.low, self.pos)
        if clock:
            self.pos = clock.end()
            try:
                return None, parse_duration(clock.group(0))
            except UsageError as err:
                raise self.error(f"a time like 1:30 ({err})", start) from None
        number = _NUMBER.match(self.low, self.pos)
        if not number:
            raise self.error(expected, start)
        self.pos = number.end()
        value = float(number.group(0))
        unit_at = self.pos
        word = self.peek_word()
        if word in _DISTANCE_UNITS:
            self.pos += len(word)
            distance = value * _DISTANCE_UNITS[word]
            if distance <= 0:
                raise self.error("a distance greater than zero", start)
            return distance, None
        if word in _TIME_UNITS:
            self.pos += len(word)
            duration = value * _TIME_UNITS[word]
            if duration <= 0:
                raise self.error("a duration greater than zero", start)
            return None, duration
        if value >= BARE_METRES_FROM and value == int(value):
            return value, None  # "6x400", "400 jog": track distances in metres
        raise self.error(
            f"a unit after the number: m, km, mi, s or min (a bare whole number from {BARE_METRES_FROM:.0f} up is metres)",
            self._word_start(unit_at),
        )

    def rep(self) -> RepSpec:
        self.skip_ws()
        start = self.pos
        distance, duration = self.amount("a rep such as 800m, 1mi, 45s, 1min or a group in '('")
        kind: RepKind = "interval"
        word = self.peek_word()
        if word in _ACTIVITIES:
            self.pos += len(word)
            kind = _ACTIVITIES[word]
            if word in ("hill", "hills") and self.peek_word() in ("sprint", "sprints"):
                self.pos += len(self.peek_word())
        elif word:
            raise self.error("'@' and a pace, 'strides', 'hill', '/' and a recovery, or ','")
        pace = None
        if self.accept("@"):
            pace = self.pace(distance)
        text = self.text[start : self.pos].strip()
        return RepSpec(
            text=text, kind=kind, distance_m=distance, duration_s=duration, pace=pace, position=start
        )

    def pace(self, distance_m: float | None) -> PaceSpec:
        self.skip_ws()
        start = self.pos
        explicit = _EXPLICIT_PACE.match(self.low, self.pos)
        if explicit:
            self.pos = explicit.end()
            written = self.text[start : self.pos]
            try:
                return PaceSpec(text=written.strip(), pace_s_per_mile=parse_pace(written))
            except UsageError as err:
                raise self.error(f"a pace like 5:20/mi, 3:20/km or 80s/400 ({err})", start) from None
        rep_time = _REP_TIME.match(self.low, self.pos)
        if rep_time:
            self.pos = rep_time.end()
            if distance_m is None:
                raise self.error("a pace (a target time needs a rep given as a distance)", start)
            try:
                seconds = parse_duration(rep_time.group(0).replace("sec", "s"))
            except UsageError as err:
                raise self.error(f"a target time like 2:44 or 80s ({err})", start) from None
            return PaceSpec(text=self.text[start : self.pos].strip(), rep_time_s=seconds)
        name = _PACE_NAME.match(self.low, self.pos)
        if not name:
            raise self.error("a pace after '@': mile, 1500, 3k, 5k, 10k, T, M, E, I, R, 5:20/mi or 80s/400")
        from ..targets.paces import canonical_pace_name

        written = self.text[name.start() : name.end()]
        try:
            canonical = canonical_pace_name(written)
        except UsageError:
            raise self.error(
                "a pace name (mile, 1500, 3k, 5k, 10k, hm, T, M, E, I, R) or a pace like 5:20/mi", start
            ) from None
        self.pos = name.end()
        return PaceSpec(text=written, name=canonical)

    def recovery(self) -> RecoverySpec:
        self.skip_ws()
        start = self.pos
        word = self.peek_word()
        if word == "full":
            self.pos += len(word)
            if self.peek_word() in ("recovery", "rest"):
                self.pos += len(self.peek_word())
            return RecoverySpec(text=self.text[start : self.pos].strip(), full=True)
        distance = duration = None
        if not word:
            distance, duration = self.amount("a recovery such as 400m jog, 90s stand, full or walk down")
        kind = self.recovery_kind(required=distance is None and duration is None)
        return RecoverySpec(
            text=self.text[start : self.pos].strip(), distance_m=distance, duration_s=duration, kind=kind
        )

    def recovery_kind(self, *, required: bool) -> PlannedRecoveryKind | None:
        word_at = self.pos
        word = self.peek_word()
        if not word:
            if required:
                raise self.error("a recovery kind: jog, walk, stand, walk down or full")
            return None
        if word not in _RECOVERY_KINDS:
            raise self.error(
                "a recovery kind: jog, walk, stand, rest, walk down or full", self._word_start(word_at)
            )
        self.pos += len(word)
        kind = _RECOVERY_KINDS[word]
        after = self.peek_word()
        if after in ("down", "back") and kind in ("walk", "jog"):
            self.pos += len(after)
            return cast(PlannedRecoveryKind, f"{kind} down")
        return kind

    def _word_start(self, pos: int) -> int:
        while pos < len(self.low) and self.low[pos].isspace():
            pos += 1
        return pos


def _rep_count(block: Block) -> int:
    """How many reps a block expands to."""
    inner = sum(1 if isinstance(item, RepSpec) else _rep_count(item) for item in block.body)
    return block.count * inner
