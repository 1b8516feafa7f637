"""Long fuzzing run over the readers: random mutations of valid files into ``milepace.read_bytes``.

The short, derandomised run is ``tests/robustness/test_fuzz.py`` (part of CI);
this one draws random cases for as long as asked, across every seed file of
``tests/robustness/mutate.py`` (FIT in four layouts, GPX 1.1/1.0, TCX, gzip,
zip) in turn, and prints one closing line with the figures issue 8 asks for:

* cases tried and time taken;
* exceptions other than MilepaceError that escaped ``read_bytes`` (goal 0);
* reader bugs the registry caught and wrapped (``UnexpectedReaderError``; goal 0);
* Activities that break the reader invariants (``validate``; goal 0);
* the slowest case [s] (a hang would show here).

Every failing case is written (seed name + mutation list, and the bytes) under
``--out`` so it can be replayed. Run from the repository root::

    .venv/bin/python benchmarks/fuzz_long.py --minutes 10 --seed 1
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.robustness import mutate as mt  # noqa: E402


def _name(seed: str) -> str:
    return {"fit.gz": "run.fit.gz", "zip": "run.zip", "gpx10": "run.gpx"}.get(
        seed, "run." + seed.split("_")[0]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to run [min]")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: time-based, printed)")
    parser.add_argument("--max-mutations", type=int, default=4)
    parser.add_argument("--out", default=None, help="folder for failing cases (default: none written)")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    seeds = mt.seeds()
    names = list(seeds)
    for name in names:  # warm up and check the seeds themselves read
        assert mt.run_case(seeds[name], _name(name)).status == "ok", name
    out = Path(args.out) if args.out else None
    counts: dict[str, collections.Counter[str]] = {n: collections.Counter() for n in names}
    failures: list[dict[str, object]] = []
    slowest: tuple[float, str, list[mt.Mutation]] = (0.0, "", [])
    t0 = time.perf_counter()
    deadline = t0 + args.minutes * 60.0
    cases = 0
    while time.perf_counter() < deadline:
        name = names[cases % len(names)]
        muts: list[mt.Mutation] = [
            (rng.choice(mt.KINDS), rng.random(), rng.randrange(256))
            for _ in range(rng.randint(1, args.max_mutations))
        ]
        data = mt.mutate(seeds[name], muts)
        t = time.perf_counter()
        outcome = mt.run_case(data, _name(name))
        dt = time.perf_counter() - t
        cases += 1
        counts[name][outcome.status] += 1
        if dt > slowest[0]:
            slowest = (dt, name, muts)
        if outcome.status == "bug":
            failures.append({"seed": name, "mutations": muts, "detail": outcome.detail})
            if out is not None:
                out.mkdir(parents=True, exist_ok=True)
                stem = f"case_{len(failures):04d}_{name}"
                (out / f"{stem}.bin").write_bytes(data)
                (out / f"{stem}.json").write_text(json.dumps(failures[-1]))
    elapsed = time.perf_counter() - t0
    escaped = [f for f in failures if "the reader failed unexpectedly" not in str(f["detail"])]
    wrapped = [f for f in failures if "the reader failed unexpectedly" in str(f["detail"])]
    invalid = [f for f in escaped if str(f["detail"]).startswith("invalid activity")]
    escaped = [f for f in escaped if f not in invalid]
    print(f"random seed {seed}")
    for name in names:
        c = counts[name]
        print(
            f"  {name:18s} {sum(c.values()):7,d} cases  ok {c['ok']:6,d}  error {c['error']:6,d}  bug {c['bug']:4,d}"
        )
    kinds = collections.Counter(str(f["detail"]).split(" <- ")[-1][:80] for f in failures)
    for detail, k in kinds.most_common(10):
        print(f"  {k:5d} × {detail}")
    for f in failures[:5]:
        print(f"  e.g. {f['seed']} {f['mutations']}: {str(f['detail'])[:160]}")
    print(f"  slowest case {slowest[0]:.2f} s ({slowest[1]} {slowest[2]})")
    print(
        f"fuzz_long: {cases:,} cases in {elapsed / 60:.1f} min ({cases / elapsed:,.1f}/s); "
        f"exceptions other than MilepaceError: {len(escaped)}; reader bugs wrapped as UnexpectedReaderError: "
        f"{len(wrapped)}; invalid activities: {len(invalid)}; slowest case {slowest[0]:.2f} s"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
