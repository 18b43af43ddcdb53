"""Performance budget of iopstudy: one command, one table, one JSON file.

    python benchmarks/run.py            # everything (about two minutes on 2 cores)
    python benchmarks/run.py --quick    # smaller sizes, for a smoke run
    python benchmarks/run.py --test --install   # also `make test` and a fresh `make install`

Prints a table and writes ``reports/benchmarks.json`` with:

- ``import_s``: ``import iopstudy`` in a fresh interpreter (best of 5); budget 0.3 s;
- ``reproduce_s`` and ``reproduce_steps``: ``iopstudy reproduce`` on the shipped
  data, per step, and ``notebook_s`` per notebook; budgets 25 s and 10 s per notebook;
- ``test_s`` (with ``--test``): the whole suite as ``make test`` runs it (both cores); budget 120 s;
- ``install_s`` (with ``--install``): a fresh clone and ``make install`` in a new virtual
  environment, with uv as the Makefile uses it (what dominates: unpacking and byte-compiling the
  scientific stack, about 170 packages; uv's download cache is left as it is);
- ``resolve_ratio``: resolving one million messy public-party names, row-by-row
  ``apply`` vs :func:`iopstudy.reference.resolve_public_party` (goal ≥ 10×);
- ``precode_ratio``: dictionary pre-coding of 100 000 segments × 40 codes, a
  ``str.contains`` loop per code vs :func:`iopstudy.interviews.coding.precode` (goal ≥ 10×);
- ``scale``: build, adoption panel, models and pre-coding on SYNTHETIC data
  (100 000 agreements, one million segments) in a separate process, with
  ``total_s``, ``peak_mb`` and the time at each register size (budget 60 s and
  2 GB; time should grow no faster than linearly).

Ratios are measured side by side in the same run. Timings are wall-clock on
this machine; compare ratios, not absolute times, across machines.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

BUDGET = {"import_s": 0.3, "reproduce_s": 25.0, "notebook_s": 10.0, "test_s": 120.0,
          "scale_total_s": 60.0, "scale_peak_mb": 2048.0}


def bench_test() -> float:
    """``make test``'s command (the suite on both cores), timed as a whole process."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "2", "-p", "no:cacheprovider"], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
    return round(time.perf_counter() - t0, 1)


def bench_install() -> float:
    """A fresh clone of the last commit and ``make install`` (a new .venv), timed."""
    import shutil
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="iopstudy-install-"))
    try:
        subprocess.run(["git", "clone", "-q", str(ROOT), str(work / "c")], check=True)
        t0 = time.perf_counter()
        subprocess.run(["make", "install"], cwd=work / "c", check=True, stdout=subprocess.DEVNULL)
        return round(time.perf_counter() - t0, 1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench_import(repeat: int = 5) -> float:
    code = "import time; t=time.perf_counter(); import iopstudy; print(time.perf_counter()-t)"
    times = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip()))
    return round(min(times), 4)


def bench_reproduce() -> dict:
    from iopstudy.reproduce import reproduce

    timings: dict = {}
    t0 = time.perf_counter()
    status = reproduce(lang="en", root=ROOT, timings=timings)
    total = time.perf_counter() - t0
    return {"status": status, "total_s": round(total, 2), "steps": timings}


def bench_scale(quick: bool) -> dict:
    args = [sys.executable, str(HERE / "scale.py"), "--json"]
    if quick:
        args.append("--quick")
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-5:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller sizes (smoke run)")
    ap.add_argument("--skip-reproduce", action="store_true")
    ap.add_argument("--test", action="store_true", help="also time the whole test suite (make test)")
    ap.add_argument("--install", action="store_true", help="also time a fresh clone + make install")
    ap.add_argument("--out", default=str(ROOT / "reports" / "benchmarks.json"))
    args = ap.parse_args()

    import bench_precode
    import bench_resolve

    result: dict = {"quick": args.quick, "budget": BUDGET}
    print("import ...", flush=True)
    result["import_s"] = bench_import()
    if not args.skip_reproduce:
        print("reproduce ...", flush=True)
        rep = bench_reproduce()
        result["reproduce_s"] = rep["total_s"]
        result["reproduce_steps"] = rep["steps"]
        result["reproduce_status"] = rep["status"]
        result["notebook_s"] = rep["steps"].get("notebooks_each", {})  # the cells' run time
        result["notebook_save_s"] = rep["steps"].get("notebooks_saving", {})  # writing .ipynb + HTML
    if args.test:
        print("test suite ...", flush=True)
        result["test_s"] = bench_test()
    if args.install:
        print("fresh install ...", flush=True)
        result["install_s"] = bench_install()
    print("resolve ...", flush=True)
    res = bench_resolve.run(100_000 if args.quick else 1_000_000)
    result["resolve"] = res
    result["resolve_ratio"] = res["resolve_ratio"]
    print("precode ...", flush=True)
    # the naive loop is timed on 10 000 segments and scaled (it is linear; minutes at full size)
    pre = bench_precode.run(n_segments=20_000 if args.quick else 100_000, n_codes=40, naive_sample=10_000)
    result["precode"] = pre
    result["precode_ratio"] = pre["precode_ratio"]
    print("scale (separate process) ...", flush=True)
    result["scale"] = bench_scale(args.quick)

    rows = [
        ("import iopstudy", f"{result['import_s']:.3f} s", f"≤ {BUDGET['import_s']} s"),
    ]
    if "reproduce_s" in result:
        rows.append(("make reproduce (after install)", f"{result['reproduce_s']:.1f} s", f"≤ {BUDGET['reproduce_s']:.0f} s"))
        for k, v in result["reproduce_steps"].items():
            if not isinstance(v, dict) and k != "total":
                rows.append((f"  step {k}", f"{v:.2f} s", ""))
        for k, v in result["notebook_s"].items():
            rows.append((f"  notebook {k}", f"{v:.1f} s", f"≤ {BUDGET['notebook_s']:.0f} s"))
    if "test_s" in result:
        rows.append(("make test (whole suite, 2 cores)", f"{result['test_s']:.1f} s", f"≤ {BUDGET['test_s']:.0f} s"))
    if "install_s" in result:
        rows.append(("fresh clone + make install", f"{result['install_s']:.1f} s", ""))
    rows.append(("resolve 1M names: ratio vs row-by-row apply", f"{result['resolve_ratio']}x", "≥ 10x"))
    rows.append(("pre-code 100k x 40: ratio vs str.contains loop", f"{result['precode_ratio']}x", "≥ 10x"))
    sc = result["scale"]
    if "error" in sc:
        rows.append(("scale", "FAILED: " + " | ".join(sc["error"]), ""))
    else:
        rows.append(("scale: total", f"{sc['total_s']:.1f} s", f"≤ {BUDGET['scale_total_s']:.0f} s"))
        rows.append(("scale: peak memory", f"{sc['peak_mb']:.0f} MB", f"≤ {BUDGET['scale_peak_mb']:.0f} MB"))
        for size, t in sc["build_s_by_size"].items():
            rows.append((f"  build + panel, {int(size):,} agreements", f"{t:.2f} s", ""))
        rows.append(("  growth exponent (log t / log n)", f"{sc['growth_exponent']:.2f}", "≤ 1.1"))
        for k in ("models_s", "precode_1m_s"):
            rows.append((f"  {k}", f"{sc[k]:.2f} s", ""))
    w = max(len(r[0]) for r in rows)
    print()
    for name, val, budget in rows:
        print(f"{name:<{w}}  {val:>22}  {budget}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("MPLBACKEND", "Agg")
    raise SystemExit(main())
