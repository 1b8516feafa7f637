"""Re-score detection on synthetic sessions recorded under harsher settings than the labelled corpus.

The corpus in ``../shared/corpus`` is one draw of devices and settings; the
detector is also judged on sessions it has not seen (noisier GPS, more smart
recording and auto-pause, footpods, treadmills, compressed timestamps). This
script guards against fitting the corpus: every template of
:mod:`milepace.synth` is simulated under each setting below with a few seeds,
written as FIT (GPX as well when the GPX reader is installed), read back,
analysed, and scored with the corpus scorer's own functions
(``../shared/tools/score_detection.py``: F1 at IoU ≥ 0.5, kind accuracy,
boundary, pace, track distance and recovery errors).

Run: ``.venv/bin/python benchmarks/perturb_detect.py [--seeds 2] [--only SETTING]``
"""

from __future__ import annotations

import argparse
import importlib.util
import time
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

from milepace.analysis import analyze
from milepace.errors import MilepaceError
from milepace.io import read_bytes
from milepace.render.jsonl import analysis_to_contract
from milepace.synth import TEMPLATES, simulate, write_fit, write_gpx

SCORER = Path(__file__).resolve().parents[2] / "shared" / "tools" / "score_detection.py"
KIND = {"interval": "rep", "stride": "stride", "hill_repeat": "hill"}

SETTINGS: dict[str, dict[str, Any]] = {
    "baseline": {},
    "gps_sigma_4": {"gps_sigma_m": 4.0},
    "gps_sigma_6": {"gps_sigma_m": 6.0},
    "smart": {"recording": "smart"},
    "auto_pause": {"auto_pause": True},
    "footpod": {"speed_source": "footpod"},
    "treadmill": {"treadmill": True},
    "dropouts": {"gps_dropouts": 3},
    "gps_elevation": {"elevation_source": "gps"},
    "manual_laps": {"laps": "manual"},
    "harsh": {"recording": "smart", "gps_sigma_m": 5.0, "auto_pause": True, "elevation_source": "gps"},
}
"""Recording settings, each applied on its own to every template (``harsh`` combines them)."""


def _scorer() -> Any:
    spec = importlib.util.spec_from_file_location("score_detection", SCORER)
    if spec is None or spec.loader is None:
        raise SystemExit(f"needs the corpus scorer at {SCORER}, found none")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _truth(session: Any) -> dict[str, Any]:
    t = session.to_truth_dict()
    for e in t["efforts"]:
        e["kind"] = KIND[e["kind"]]
        e["optional"] = False
    return t


def _formats() -> list[str]:
    try:
        import milepace.io.gpx  # noqa: F401
    except ImportError:
        return ["fit"]
    return ["fit", "gpx"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=2, help="seeds per template and setting")
    ap.add_argument("--only", default=None, help="run one setting")
    ap.add_argument("--by", default="setting", choices=("setting", "template"))
    ap.add_argument("--verbose", action="store_true", help="list sessions with a missed or extra effort")
    args = ap.parse_args()
    sd = _scorer()
    formats = _formats()
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    every: list[dict[str, Any]] = []
    t_start = time.perf_counter()
    for name, kwargs in SETTINGS.items():
        if args.only and name != args.only:
            continue
        for template in TEMPLATES:
            if kwargs.get("treadmill") and template.startswith(("track", "mile", "hill", "combo")):
                continue
            for seed in range(args.seeds):
                opts = {"laps": "none", **kwargs}
                session = simulate(template, seed=100 + seed, goal_mile_s=330.0, **opts)
                truth = _truth(session)
                for fmt in formats:
                    if fmt == "gpx" and (session.lat_deg is None):
                        continue
                    data = (
                        write_fit(session, compressed_timestamps=seed % 2 == 1)
                        if fmt == "fit"
                        else write_gpx(session)
                    )
                    try:
                        with warnings.catch_warnings():
                            warnings.simplefilter("ignore")
                            result = analyze(read_bytes(data, f"{template}.{fmt}"), goal_mile=330.0)
                        efforts = analysis_to_contract(result, template)["efforts"]
                    except MilepaceError as err:
                        print(f"error: {name} {template} seed {seed} {fmt}: {err}")
                        efforts = []
                    score = sd.score_file(truth, efforts)
                    wrong_kind = score["kind_n"] - score["kind_ok"]
                    if args.verbose and (score["fp"] or score["fn"] or wrong_kind):
                        print(
                            f"  {name} {template} seed {seed} {fmt}: fp={score['fp']} fn={score['fn']} kind wrong={wrong_kind}"
                        )
                    key = name if args.by == "setting" else template
                    groups[key].append(score)
                    every.append(score)
    for key, scores in groups.items():
        ag = sd.aggregate(scores)
        print(
            f"{key:14s} n={len(scores):3d} F1={ag['f1']:.3f} P={ag['precision']:.3f} R={ag['recall']:.3f} "
            f"kind={ag['kind_acc']:.3f} bound med/p90={ag['boundary_med_s']}/{ag['boundary_p90_s']} s "
            f"pace={ag['pace_err_med_s_mi']} s/mi track={ag['track_dist_err_med_pct']} % "
            f"rec={ag['recovery_err_med_s']} s rec_kind={ag['recovery_kind_acc']}"
        )
    ag = sd.aggregate(every)
    print(
        f"ALL            n={len(every):3d} F1={ag['f1']:.3f} P={ag['precision']:.3f} R={ag['recall']:.3f} "
        f"kind={ag['kind_acc']:.3f} bound med/p90={ag['boundary_med_s']}/{ag['boundary_p90_s']} s "
        f"pace={ag['pace_err_med_s_mi']} s/mi track={ag['track_dist_err_med_pct']} % "
        f"rec={ag['recovery_err_med_s']} s rec_kind={ag['recovery_kind_acc']} "
        f"({time.perf_counter() - t_start:.0f} s, formats {'+'.join(formats)})"
    )


if __name__ == "__main__":
    main()
