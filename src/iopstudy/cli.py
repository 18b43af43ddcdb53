"""Command line: ``iopstudy build | validate | scan-pii | reproduce``.

Errors caused by input are printed as one clear message naming the file,
row and column, never as a Python traceback (set ``IOPSTUDY_DEBUG=1`` to see
the traceback anyway).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _cmd_build(args: argparse.Namespace) -> int:
    from iopstudy.register.process import build

    result = build(
        register=args.register,
        out_dir=args.out,
        reference_dir=args.reference,
        vocabulary=args.vocabulary,
        last_year=args.last_year,
    )
    print(result.summary())
    n_warn = int((result.problems["severity"] == "warning").sum())
    if len(result.exclusions):
        print(f"excluded rows ({len(result.exclusions)}), see exclusions.csv:")
        for row in result.exclusions.itertuples():
            print(f"  row {row.source_row} {row.record_id}: {row.reason}")
    if n_warn:
        print(f"{n_warn} warning(s) kept in problems.csv (run `iopstudy validate` to list them)")
    out = Path(result.files[0]).parent if result.files else None
    if out is not None:
        print(f"wrote {len(result.files)} files to {out}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from iopstudy.register.process import check_register
    from iopstudy.register.read import read_register

    raw = read_register(args.file, sheet=args.sheet)
    enc = raw.attrs.get("encoding")
    if enc == "cp1252":
        print(
            f"{args.file}: note: read as Windows-1252/Latin-1 (an Excel CSV export), "
            "not UTF-8; consider saving as UTF-8"
        )
    if raw.attrs.get("delimiter") == ";":
        print(f"{args.file}: note: semicolon-separated (Excel with Swedish settings)")
    problems = check_register(raw, data_dir=args.reference, vocabulary=args.vocabulary)
    for row in problems.itertuples(index=False):
        val = "" if row.value in (None, "") else f" {row.value!r}:"
        print(f"{row.file}:{row.row} [{row.column}] {row.severity}:{val} {row.message}")
    n_err = int((problems["severity"] == "error").sum())
    n_warn = int((problems["severity"] == "warning").sum())
    n_rows = len(raw)
    n_bad_rows = problems.loc[problems["severity"] == "error", "row"].nunique()
    print(
        f"{args.file}: {n_rows} rows, {n_err} error(s) in {n_bad_rows} row(s) "
        f"(would be excluded), {n_warn} warning(s)"
    )
    return 1 if n_err else 0


def _cmd_scan_pii(args: argparse.Namespace) -> int:
    from iopstudy.interviews.privacy import scan_pii

    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing and len(missing) == len(paths):
        print(f"scan-pii: nothing to scan, not found: {', '.join(missing)}")
        return 0
    findings = scan_pii([p for p in paths if p.exists()])
    if len(findings):
        print(f"PERSONAL DATA FOUND: {len(findings)} finding(s) — do not publish these files:")
        for row in findings.itertuples(index=False):
            print(f"  {row.file}:{row.line} {row.kind}: {row.match}")
        return 1
    print(f"scan-pii: no personal data found in {', '.join(str(p) for p in paths)}")
    return 0


def _cmd_reproduce(args: argparse.Namespace) -> int:
    from iopstudy.reproduce import reproduce

    return reproduce(lang=args.lang, only=args.only, root=args.root, jobs=args.jobs)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iopstudy",
        description="Research tools for idéburet offentligt partnerskap (IOP).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build data/processed/ from the raw register")
    b.add_argument("--register", help="raw register file (default: data/raw/register/iop_register.csv)")
    b.add_argument("--out", help="output folder (default: data/processed)")
    b.add_argument("--reference", help="reference data folder (default: data/raw/reference)")
    b.add_argument("--vocabulary", help="policy-area vocabulary YAML")
    b.add_argument("--last-year", type=int, help="last year of the municipality panel")
    b.set_defaults(func=_cmd_build)

    v = sub.add_parser("validate", help="check a register file (CSV or .xlsx) and list every problem")
    v.add_argument("file")
    v.add_argument("--sheet", default=0, help="Excel sheet name or index")
    v.add_argument("--reference", help="reference data folder")
    v.add_argument("--vocabulary", help="policy-area vocabulary YAML")
    v.set_defaults(func=_cmd_validate)

    s = sub.add_parser("scan-pii", help="fail if personal data is found under the paths")
    s.add_argument("paths", nargs="+")
    s.set_defaults(func=_cmd_scan_pii)

    r = sub.add_parser("reproduce", help="build, scan, run every notebook, export figures and tables")
    r.add_argument("--lang", default="en", choices=["en", "sv"])
    r.add_argument(
        "--only",
        choices=["build", "notebooks", "figures"],
        help="run one part only (figures: re-export figures and tables for presenters)",
    )
    r.add_argument("--root", help="project root (default: the current checkout)")
    r.add_argument("--jobs", type=int, help="notebooks run in parallel (default: CPU cores, at most 4)")
    r.set_defaults(func=_cmd_reproduce)
    return parser


def main(argv: list[str] | None = None) -> int:
    from iopstudy.errors import IopStudyError

    parser = make_parser()
    args = parser.parse_args(argv)
    if getattr(args, "sheet", None) is not None and str(args.sheet).isdigit():
        args.sheet = int(args.sheet)
    try:
        return int(args.func(args) or 0)
    except (IopStudyError, FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        if os.environ.get("IOPSTUDY_DEBUG"):
            raise
        print(f"iopstudy {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # pragma: no cover
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
