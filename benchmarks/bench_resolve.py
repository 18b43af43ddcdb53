"""Benchmark: resolving one million messy public-party names (SYNTHETIC names).

Compares :func:`iopstudy.reference.resolve_public_party` on the whole column
(each distinct name resolved once) with a plain row-by-row ``Series.apply``
of the same single-name resolver. The baseline is timed on a random sample
of rows and scaled linearly to the full size (its cost per row is constant),
so the benchmark finishes in seconds; both are measured in the same run.

Run: ``python benchmarks/bench_resolve.py [n]``.
"""

from __future__ import annotations

import sys
import time


def run(n: int = 1_000_000, baseline_rows: int = 20_000, seed: int = 0) -> dict:
    from iopstudy.reference import resolve_public_party
    from iopstudy.reference.resolve import _build_index, _resolve_string
    from iopstudy.reference.municipalities import reference_dir
    from iopstudy.synthetic import messy_public_party_names

    names = messy_public_party_names(n, seed=seed)
    idx = _build_index(str(reference_dir(None).resolve()))  # warm the index for both
    resolve_public_party(names.iloc[:10])

    t0 = time.perf_counter()
    ours = resolve_public_party(names)
    ours_s = time.perf_counter() - t0

    sample = names.sample(min(baseline_rows, n), random_state=seed)
    t0 = time.perf_counter()
    base = sample.apply(lambda s: _resolve_string(s, idx, 90.0))
    base_sample_s = time.perf_counter() - t0
    naive_s = base_sample_s * (n / len(sample))

    # the two must agree on the sampled rows
    agree = (ours.loc[sample.index, "code"].fillna("-").to_numpy() == base.map(lambda r: r[2] or "-").to_numpy()).mean()
    return {
        "n": n,
        "distinct_names": int(names.nunique()),
        "resolve_s": round(ours_s, 3),
        "naive_s": round(naive_s, 3),
        "naive_sample_rows": len(sample),
        "resolve_ratio": round(naive_s / ours_s, 1),
        "agreement": float(agree),
        "unresolved_share": float((ours["match"] == "none").mean()),
    }


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    r = run(n)
    print(
        f"resolve {r['n']:,} names ({r['distinct_names']} distinct): {r['resolve_s']:.2f} s; "
        f"row-by-row apply (timed on {r['naive_sample_rows']:,} rows, scaled): {r['naive_s']:.1f} s; "
        f"ratio {r['resolve_ratio']}x; agreement {r['agreement']:.3f}"
    )
