"""Scale benchmark on SYNTHETIC data (run by benchmarks/run.py in its own process).

Builds registers of 10 000, 30 000 and 100 000 synthetic agreements over all
290 municipalities and 15 years (write CSV → ``build`` → processed tables and
adoption panel), fits the models on the largest panel, and pre-codes one
million synthetic interview segments. Reports wall time per size, the growth
exponent (slope of log time on log size; 1 = linear), and peak resident memory
of this process.

    python benchmarks/scale.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import sys
import tempfile
import time
from pathlib import Path


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", action="store_true", help="print one JSON line at the end")
    args = ap.parse_args()

    import numpy as np

    from iopstudy import spread  # the package
    from iopstudy.interviews.coding import precode
    from iopstudy.register import build
    from iopstudy.synthetic import synthetic_register, synthetic_segments

    sizes = [2_000, 5_000, 10_000] if args.quick else [10_000, 30_000, 100_000]
    n_segments = 100_000 if args.quick else 1_000_000
    t_all = time.perf_counter()
    by_size: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_p = Path(tmp)
        # warm-up: imports and caches are not part of the scaling
        warm = synthetic_register(500, seed=1)
        warm.to_csv(tmp_p / "warm.csv", index=False)
        build(tmp_p / "warm.csv", tmp_p / "warm_out")
        for n in sizes:
            reg = synthetic_register(n, seed=0, years=(2010, 2024))
            path = tmp_p / f"reg_{n}.csv"
            reg.to_csv(path, index=False)
            t0 = time.perf_counter()
            result = build(path, tmp_p / f"out_{n}")
            by_size[str(n)] = round(time.perf_counter() - t0, 3)
            print(f"build {n:>7,}: {by_size[str(n)]:.2f} s  {result.summary()}", file=sys.stderr)
        panel = result.municipality_panel

        t0 = time.perf_counter()
        units = panel.groupby("kommun_code", observed=True).first().reset_index()
        # every municipality adopts in a register this dense: model "above-median
        # number of agreements" instead, which varies
        units["many_iops"] = (units["iops_total"] > units["iops_total"].median()).astype(int)
        spread.fit_logit(units, "many_iops", ["log_population", "skr_main_group"])
        spread.fit_count(units, "iops_total", ["log_population", "skr_main_group"])
        pp = spread.person_period(panel)
        spread.fit_discrete_hazard(pp, "event", ["log_population"], link="cloglog")
        spread.adoption_curve(panel, by="size_class")
        models_s = round(time.perf_counter() - t0, 3)
        print(f"models: {models_s:.2f} s", file=sys.stderr)

        segs = synthetic_segments(n_segments, seed=0)
        t0 = time.perf_counter()
        hits = precode(segs)
        precode_s = round(time.perf_counter() - t0, 3)
        print(f"pre-code {n_segments:,} segments: {precode_s:.2f} s, {len(hits):,} hits", file=sys.stderr)

    xs = np.log([int(k) for k in by_size])
    ys = np.log(list(by_size.values()))
    slope = float(np.polyfit(xs, ys, 1)[0]) if len(xs) > 1 else math.nan
    out = {
        "synthetic": True,
        "sizes": sizes,
        "build_s_by_size": by_size,
        "growth_exponent": round(slope, 3),
        "models_s": models_s,
        "precode_segments": n_segments,
        "precode_1m_s": precode_s,
        "total_s": round(time.perf_counter() - t_all, 2),
        "peak_mb": round(peak_mb(), 1),
    }
    if args.json:
        print(json.dumps(out))
    else:
        print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
