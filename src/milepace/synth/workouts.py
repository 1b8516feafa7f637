"""Workout templates for the synthetic-session generator.

A template turns a goal mile time into a list of :class:`Segment` s — what the
runner *intends* to do, second by second: warm up, run 800 m at mile pace,
jog 400 m, … The engine in :mod:`milepace.synth.session` turns the segments
into speeds, positions and recorded channels.

Training paces
--------------
Paces are derived from the goal mile time with simple, documented ratios
(kept here on purpose, independent of :mod:`milepace.targets`):

* race pace over a distance ``d`` follows Riegel's law
  ``T(d) = T_mile * (d / 1609.344) ** 1.06``, so 3K pace is about 3.8 %
  slower per mile than mile pace and 5K pace about 7.1 % slower
  (Riegel, *Athletic records and human endurance*, American Scientist 1981);
* threshold pace = 1.15 × mile pace (a 5:30 miler runs threshold near
  6:20/mi, as in Daniels' VDOT tables around VDOT 55);
* easy pace = 1.40 × mile pace, long-run pace = 1.45 ×, recovery jog
  = 1.80 ×; walking is 1.4 m/s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..units import METERS_PER_MILE

RIEGEL_EXPONENT = 1.06
THRESHOLD_RATIO = 1.15
EASY_RATIO = 1.40
LONG_RATIO = 1.45
JOG_RATIO = 1.80
WALK_SPEED_M_S = 1.4


@dataclass(frozen=True)
class Paces:
    """Training speeds derived from a goal mile time.

    Parameters
    ----------
    goal_mile_s
        Goal mile time [s].
    """

    goal_mile_s: float

    def race_speed_m_s(self, distance_m: float) -> float:
        """Race speed over ``distance_m`` by Riegel's law [m/s]."""
        pace = self.goal_mile_s * (distance_m / METERS_PER_MILE) ** (RIEGEL_EXPONENT - 1.0)
        return METERS_PER_MILE / pace

    def ratio_speed_m_s(self, ratio: float) -> float:
        """Speed for a pace ``ratio`` × mile pace [m/s]."""
        return METERS_PER_MILE / (self.goal_mile_s * ratio)

    @property
    def mile_m_s(self) -> float:
        """Goal mile speed [m/s]."""
        return METERS_PER_MILE / self.goal_mile_s

    @property
    def k3_m_s(self) -> float:
        """3000 m race speed [m/s]."""
        return self.race_speed_m_s(3000.0)

    @property
    def k5_m_s(self) -> float:
        """5000 m race speed [m/s]."""
        return self.race_speed_m_s(5000.0)

    @property
    def threshold_m_s(self) -> float:
        """Threshold speed [m/s]."""
        return self.ratio_speed_m_s(THRESHOLD_RATIO)

    @property
    def easy_m_s(self) -> float:
        """Easy-run speed [m/s]."""
        return self.ratio_speed_m_s(EASY_RATIO)

    @property
    def long_m_s(self) -> float:
        """Long-run speed [m/s]."""
        return self.ratio_speed_m_s(LONG_RATIO)

    @property
    def jog_m_s(self) -> float:
        """Recovery-jog speed [m/s]."""
        return self.ratio_speed_m_s(JOG_RATIO)


@dataclass(frozen=True)
class Segment:
    """One intended piece of a session.

    Attributes
    ----------
    role
        ``warmup``, ``work``, ``recovery``, ``cooldown`` or ``easy``.
    motion
        ``run``, ``jog``, ``walk``, ``stand``, ``stride`` (builds to top speed) or ``sprint``.
    speed_m_s
        Intended mean speed [m/s] (0 for ``stand``).
    distance_m, duration_s
        Exactly one is set: a distance [m] or a duration [s]. Neither is set
        when ``back`` is true.
    effort
        ``interval``, ``stride`` or ``hill_repeat`` for a piece of work that
        belongs in the truth; ``None`` otherwise.
    label
        Human label (``"800m #3"``).
    direction
        +1 forward along the route, -1 back (walk back down a hill).
    back
        Cover the same distance as the previous segment, in the opposite direction.
    """

    role: str
    motion: str
    speed_m_s: float
    distance_m: float | None = None
    duration_s: float | None = None
    effort: str | None = None
    label: str = ""
    direction: int = 1
    back: bool = False


@dataclass(frozen=True)
class Plan:
    """A template's output: segments plus where the session is run.

    Attributes
    ----------
    segments
        The intended session.
    path
        ``track`` (400 m oval), ``road``, ``hill`` (a road ending in a climb) or ``treadmill``.
    name
        Activity name as a watch app would title it.
    description
        One line for the truth and the sample README.
    grade_pct
        Hill grade [%] for ``hill`` paths.
    """

    segments: list[Segment]
    path: str
    name: str
    description: str
    grade_pct: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)


Template = Callable[[Paces, np.random.Generator, "float | None"], Plan]


def _easy(
    role: str, speed: float, *, distance_m: float | None = None, duration_s: float | None = None
) -> Segment:
    return Segment(role, "run", speed, distance_m=distance_m, duration_s=duration_s)


def _reps(
    n: int,
    *,
    label: str,
    speed: float,
    recovery: list[Segment],
    distance_m: float | None = None,
    duration_s: float | None = None,
    kind: str = "interval",
    motion: str = "run",
) -> list[Segment]:
    out: list[Segment] = []
    for i in range(n):
        out.append(
            Segment(
                "work",
                motion,
                speed,
                distance_m=distance_m,
                duration_s=duration_s,
                effort=kind,
                label=f"{label} #{i + 1}",
            )
        )
        if i < n - 1:
            out.extend(recovery)
    return out


def _track_session(
    p: Paces, rng: np.random.Generator, work: list[Segment], name: str, description: str
) -> Plan:
    wu = _easy("warmup", p.easy_m_s, distance_m=float(rng.choice([2400.0, 3200.0])))
    cd = _easy("cooldown", p.easy_m_s, distance_m=1600.0)
    return Plan([wu, *work, cd], "track", name, description)


def track_4x400(p: Paces, rng: np.random.Generator, duration_s: float | None = None) -> Plan:
    """4 × 400 m at mile pace, 90 s standing/walking rest, on a track."""
    rec = [
        Segment("recovery", "walk", WALK_SPEED_M_S, duration_s=15.0),
        Segment("recovery", "stand", 0.0, duration_s=75.0),
    ]
    work = _reps(4, label="400m", speed=p.mile_m_s, recovery=rec, distance_m=400.0)
    return _track_session(p, rng, work, "Track 4x400", "4 x 400 m at mile pace, 90 s rest (standing)")


def track_8x200(p: Paces, rng: np.random.Generator, duration_s: float | None = None) -> Plan:
    """8 × 200 m at mile pace, 200 m jog, on a track."""
    rec = [Segment("recovery", "jog", p.jog_m_s, distance_m=200.0)]
    work = _reps(8, label="200m", speed=p.mile_m_s, recovery=rec, distance_m=200.0)
    return _track_session(p, rng, work, "Track 8x200", "8 x 200 m at mile pace, 200 m jog")


def track_6x800(p: Paces, rng: np.random.Generator, duration_s: float | None = None) -> Plan:
    """6 × 800 m at mile pace, 400 m jog, on a track."""
    rec = [Segment("recovery", "jog", p.jog_m_s, distance_m=400.0)]
    work = _reps(6, label="800m", speed=p.mile_m_s, recovery=rec, distance_m=800.0)
    return _track_session(p, rng, work, "Track 6x800", "6 x 800 m at mile pace, 400 m jog")


def track_4x1200(p: Paces, rng: np.random.Generator, duration_s: float | None = None) -> Plan:
    """4 × 1200 m at 3K pace, 400 m jog, on a track."""
    rec = [Segment("recovery", "jog", p.jog_m_s, distance_m=400.0)]
    work = _reps(4, label="1200m", speed=p.k3_m_s, recovery=rec, distance_m=1200.0)
    return _track_session(p, rng, work, "Track 4x1200", "4 x 1200 m at 3K pace, 400 m jog")


def track_mixed(p: Paces, rng: np.random.Generator, duration_s: float | None = None) -> Plan:
    """800 m hard, 3 min jog, then 4 × 400 m at mile pace with 30 s jog, on a track."""
    work = [Segment("work", "run", p.mile_m_s * 1.01, distance_m=800.0, effort="interval", label="800m")]
    work.append(Segment("recovery", "jog", p.jog_m_s, duration_s=180.0))
    rec = [Segment("recovery", "jog", p.jog_m_s, duration_s=30.0)]
    work += _reps(4, label="400m", speed=p.mile_m_s, recovery=rec, distance_m=400.0)
    return _track_session(
        p, rng, work, "Track 800 + 4x400", "800 m hard, 3 min jog, 4 x 400 m at mile pace / 30 s jog"
    )


def mile_time_trial(p: Paces, rng: np.random.Generator, duration_s: float | None = None) -> Plan:
    """Warm-up with 4 strides, then a mile time trial on the track."""
    segs = [_easy("warmup", p.easy_m_s, distance_m=2400.0)]
    for i in range(4):
        segs.append(
            Segment(
                "warmup",
                "stride",
                p.mile_m_s * 1.06,
                duration_s=float(rng.integers(15, 21)),
                effort="stride",
                label=f"stride #{i + 1}",
            )
        )
        segs.append(Segment("warmup", "walk", WALK_SPEED_M_S, duration_s=float(rng.integers(40, 61))))
    segs.append(Segment("recovery", "stand", 0.0, duration_s=float(rng.integers(90, 151))))
    segs.append(
        Segment(
            "work",
            "run",
            p.mile_m_s * float(rng.uniform(0.98, 1.03)),
            distance_m=METERS_PER_MILE,
            effort="interval",
            label="mile TT",
        )
    )
    segs.append(_easy("cooldown", p.easy_m_s, distance_m=1600.0))
    return Plan(segs, "track", "Mile time trial", "mile time trial on the track after 4 strides")


def fartlek(p: Paces, rng: np.random.Generator, duration_s: float | None = None) -> Plan:
    """6 × 1 min, 6 × 45 s, 6 × 30 s on the road, equal jog recoveries."""
    segs = [_easy("warmup", p.easy_m_s, distance_m=2400.0)]
    sets = [(60.0, p.k5_m_s, "1min"), (45.0, p.k3_m_s, "45s"), (30.0, p.mile_m_s, "30s")]
    for s, (dur, speed, label) in enumerate(sets):
        rec = [Segment("recovery", "jog", p.jog_m_s, duration_s=dur)]
        segs += _reps(6, label=label, speed=speed, recovery=rec, duration_s=dur)
        if s < len(sets) - 1:
            segs.append(Segment("recovery", "jog", p.jog_m_s, duration_s=dur + 60.0))
    segs.append(_easy("cooldown", p.easy_m_s, distance_m=1600.0))
    return Plan(segs, "road", "Fartlek", "fartlek 6 x 1 min / 6 x 45 s / 6 x 30 s, equal jog")


def threshold_2x2mi(p: Paces, rng: np.random.Generator, duration_s: float | None = None) -> Plan:
    """2 × 2 mi at threshold with 2 min jog on the road."""
    rec = [Segment("recovery", "jog", p.jog_m_s, duration_s=120.0)]
    segs = [_easy("warmup", p.easy_m_s, distance_m=2400.0)]
    segs += _reps(2, label="2mi", speed=p.threshold_m_s, recovery=rec, distance_m=2 * METERS_PER_MILE)
    segs.append(_easy("cooldown", p.easy_m_s, distance_m=1600.0))
    return Plan(segs, "road", "Threshold 2x2mi", "2 x 2 mi at threshold, 2 min jog")


def tempo(p: Paces, rng: np.random.Generator, duration_s: float | None = None) -> Plan:
    """20 min continuous at threshold on the road."""
    segs = [
        _easy("warmup", p.easy_m_s, distance_m=2400.0),
        Segment("work", "run", p.threshold_m_s, duration_s=1200.0, effort="interval", label="tempo 20min"),
        _easy("cooldown", p.easy_m_s, distance_m=1600.0),
    ]
    return Plan(segs, "road", "Tempo", "20 min tempo at threshold")


def combo(p: Paces, rng: np.random.Generator, duration_s: float | None = None) -> Plan:
    """4 × (¾ mi at threshold straight into ¼ mi at mile pace), 90 s jog between sets, on a track."""
    segs: list[Segment] = []
    for i in range(4):
        segs.append(
            Segment(
                "work",
                "run",
                p.threshold_m_s,
                distance_m=0.75 * METERS_PER_MILE,
                effort="interval",
                label=f"3/4mi T #{i + 1}",
            )
        )
        segs.append(
            Segment(
                "work",
                "run",
                p.mile_m_s,
                distance_m=0.25 * METERS_PER_MILE,
                effort="interval",
                label=f"1/4mi mile #{i + 1}",
            )
        )
        if i < 3:
            segs.append(Segment("recovery", "jog", p.jog_m_s, duration_s=90.0))
    return _track_session(
        p, rng, segs, "Combo 4x(3/4+1/4)", "4 x (3/4 mi at threshold + 1/4 mi at mile pace), 90 s jog"
    )


def easy_strides(p: Paces, rng: np.random.Generator, duration_s: float | None = None) -> Plan:
    """An easy run with 4–6 strides of 15–30 s late in it, walking or jogging back."""
    total = float(duration_s or rng.integers(30, 41) * 60)
    n = int(rng.integers(4, 7))
    walk_back = bool(rng.random() < 0.5)
    segs = [_easy("easy", p.easy_m_s, duration_s=round(total * 0.75))]
    for i in range(n):
        segs.append(
            Segment(
                "work",
                "stride",
                p.mile_m_s * float(rng.uniform(1.04, 1.10)),
                duration_s=float(rng.integers(15, 31)),
                effort="stride",
                label=f"stride #{i + 1}",
            )
        )
        if walk_back:
            segs.append(Segment("recovery", "walk", WALK_SPEED_M_S, direction=-1, back=True))
        else:
            segs.append(Segment("recovery", "jog", p.jog_m_s * 0.9, duration_s=float(rng.integers(45, 61))))
    segs.append(_easy("cooldown", p.easy_m_s, duration_s=float(rng.integers(4, 8) * 60)))
    return Plan(
        segs, "road", "Easy + strides", f"easy run with {n} strides, {'walk' if walk_back else 'jog'} back"
    )


def hill_sprints(p: Paces, rng: np.random.Generator, duration_s: float | None = None) -> Plan:
    """6–8 × 8–10 s sprints up a 4–10 % hill, walking back down."""
    grade = float(rng.uniform(4.0, 10.0))
    n = int(rng.integers(6, 9))
    segs = [_easy("warmup", p.easy_m_s, distance_m=float(rng.integers(2000, 3201)))]
    uphill = p.mile_m_s * (1.0 - 0.025 * grade) * 1.05
    for i in range(n):
        segs.append(
            Segment(
                "work",
                "sprint",
                uphill,
                duration_s=float(rng.integers(8, 11)),
                effort="hill_repeat",
                label=f"hill sprint #{i + 1}",
            )
        )
        if i < n - 1:
            segs.append(Segment("recovery", "walk", 1.2, direction=-1, back=True))
            segs.append(Segment("recovery", "stand", 0.0, duration_s=float(rng.integers(20, 41))))
    segs.append(Segment("recovery", "walk", 1.2, direction=-1, back=True))
    segs.append(
        Segment("cooldown", "run", p.easy_m_s, distance_m=float(rng.integers(2000, 3201)), direction=-1)
    )
    return Plan(
        segs,
        "hill",
        "Hill sprints",
        f"easy run with {n} x 8-10 s hill sprints on {grade:.1f} %, walk down",
        grade_pct=grade,
    )


def hill_repeats(p: Paces, rng: np.random.Generator, duration_s: float | None = None) -> Plan:
    """6 × ~60 s up a 5–8 % hill at 3K effort, jogging back down."""
    grade = float(rng.uniform(5.0, 8.0))
    segs = [_easy("warmup", p.easy_m_s, distance_m=2400.0)]
    uphill = p.k3_m_s * (1.0 - 0.02 * grade)
    for i in range(6):
        segs.append(
            Segment(
                "work",
                "run",
                uphill,
                duration_s=float(rng.integers(55, 66)),
                effort="hill_repeat",
                label=f"hill #{i + 1}",
            )
        )
        segs.append(Segment("recovery", "jog", p.jog_m_s * 0.95, direction=-1, back=True))
    segs.append(Segment("cooldown", "run", p.easy_m_s, distance_m=2000.0, direction=-1))
    return Plan(segs, "hill", "Hill repeats", f"6 x 60 s up a {grade:.1f} % hill, jog down", grade_pct=grade)


def easy(p: Paces, rng: np.random.Generator, duration_s: float | None = None) -> Plan:
    """An easy run with a couple of traffic-light stops."""
    total = float(duration_s or rng.integers(35, 51) * 60)
    stops = [float(rng.integers(15, 46)) for _ in range(2)]
    run_s = max(60.0, total - sum(stops))
    cuts = np.sort(rng.uniform(0.25, 0.85, size=2))
    pieces = np.diff(np.concatenate([[0.0], cuts, [1.0]])) * run_s
    segs: list[Segment] = []
    for i, piece in enumerate(pieces):
        segs.append(_easy("easy", p.easy_m_s, duration_s=float(round(piece))))
        if i < len(stops):
            segs.append(Segment("easy", "stand", 0.0, duration_s=stops[i]))
    return Plan(segs, "road", "Easy run", "easy run with 2 traffic-light stops")


def long(p: Paces, rng: np.random.Generator, duration_s: float | None = None) -> Plan:
    """A long run of about 10 miles at long-run pace."""
    if duration_s:
        segs = [_easy("easy", p.long_m_s, duration_s=float(duration_s))]
    else:
        segs = [_easy("easy", p.long_m_s, distance_m=round(float(rng.uniform(9.8, 10.4)) * METERS_PER_MILE))]
    return Plan(segs, "road", "Long run", "long run of about 10 miles")


def ride(p: Paces, rng: np.random.Generator, duration_s: float | None = None) -> Plan:
    """A bike ride (not a run): for exports that must hold a non-running activity."""
    total = float(duration_s or 3600.0)
    return Plan(
        [Segment("easy", "ride", 7.5, duration_s=total)], "road", "Afternoon Ride", "a bike ride (not a run)"
    )


TEMPLATES: dict[str, Template] = {
    "track_4x400": track_4x400,
    "track_8x200": track_8x200,
    "track_6x800": track_6x800,
    "track_4x1200": track_4x1200,
    "track_mixed": track_mixed,
    "mile_time_trial": mile_time_trial,
    "fartlek": fartlek,
    "threshold_2x2mi": threshold_2x2mi,
    "tempo": tempo,
    "combo": combo,
    "easy_strides": easy_strides,
    "hill_sprints": hill_sprints,
    "hill_repeats": hill_repeats,
    "easy": easy,
    "long": long,
}
"""Running templates by name (all produce ``sport="running"``)."""

EXTRA_TEMPLATES: dict[str, Template] = {"ride": ride}
"""Non-running templates :func:`~milepace.synth.simulate` also accepts."""
