"""Command line: ``iopstudy init | build | validate | merge | scan-pii | reproduce``.

Every command but ``reproduce`` works in any folder; inside a study folder (one made by
``iopstudy init``, or a checkout of this repository) ``build`` and ``validate`` use its register,
reference data and vocabulary unless told otherwise, and ``reproduce`` needs one (or
``--project DIR``).

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
    from iopstudy.project import command_defaults
    from iopstudy.register.process import build

    d = command_defaults(
        register=args.register, out=args.out, reference=args.reference, vocabulary=args.vocabulary
    )
    result = build(
        register=d["register"],
        out_dir=d["out"],
        reference_dir=d["reference"],
        vocabulary=d["vocabulary"],
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
    from iopstudy.project import command_defaults
    from iopstudy.register.process import check_register
    from iopstudy.register.read import read_register_file

    d = command_defaults(register=args.file, reference=args.reference, vocabulary=args.vocabulary)
    register = read_register_file(args.file, sheet=args.sheet, allow_empty=True)
    raw = register.table
    if raw.empty:
        print(f"{args.file}: 0 rows, 0 error(s): an empty register (one agreement per row, first sheet)")
        return 0
    if register.encoding == "cp1252":
        print(
            f"{args.file}: note: read as Windows-1252/Latin-1 (an Excel CSV export), "
            "not UTF-8; consider saving as UTF-8"
        )
    if register.delimiter == ";":
        print(f"{args.file}: note: semicolon-separated (Excel with Swedish settings)")
    problems = check_register(register, data_dir=d["reference"], vocabulary=d["vocabulary"])
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
    findings = scan_pii([p for p in paths if p.exists()]).matches
    if len(findings):
        print(f"PERSONAL DATA FOUND: {len(findings)} finding(s) — do not publish these files:")
        for row in findings.itertuples(index=False):
            print(f"  {row.file}:{row.line} {row.kind}: {row.match}")
        return 1
    print(f"scan-pii: no personal data found in {', '.join(str(p) for p in paths)}")
    return 0


_FORM = "data/raw/register/iop_register.xlsx"


def _cmd_init(args: argparse.Namespace) -> int:
    from iopstudy.project import init_study

    root = init_study(args.dir, example=args.example)
    print(f"made the study folder {root}:")
    print("  data/raw/register/iop_register.xlsx  the register form (sheet 'columns' explains it)")
    print("  data/raw/  reference data, published counts, vocabulary;  notebooks/;  README.md")
    print(f"next: cd {args.dir}, fill in the form, then `iopstudy validate {_FORM}` and `iopstudy reproduce`")
    return 0


def _cmd_merge(args: argparse.Namespace) -> int:
    from iopstudy.register.merge import merge_registers

    result = merge_registers(args.files, data_dir=args.reference, aliases=args.aliases)
    out = result.write_csv(args.out)
    print(result.summary())
    for row in result.collisions[result.collisions["kind"] == "across files"].itertuples(index=False):
        print(f"  record id {row.record_id!r} also in another file: {row.source_file}:{row.source_line}")
    for row in result.problems.itertuples(index=False):
        print(f"  {row.file}:{row.row} [{row.column}] {row.message}")
    print(f"wrote {len(result.combined)} rows to {out} (no row dropped; see the link columns)")
    return 0


def _cmd_reproduce(args: argparse.Namespace) -> int:
    from iopstudy.reproduce import reproduce

    return reproduce(lang=args.lang, only=args.only, root=args.root, jobs=args.jobs, formats=args.formats)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iopstudy",
        description="Research tools for idéburet offentligt partnerskap (IOP).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    i = sub.add_parser("init", help="make a study folder: register form, reference data, notebooks")
    i.add_argument("dir", help="the new folder (must not exist, or be empty)")
    i.add_argument(
        "--example",
        action="store_true",
        help="fill it with the shipped register and the fictional interview corpus",
    )
    i.set_defaults(func=_cmd_init)

    b = sub.add_parser("build", help="build data/processed/ from the raw register")
    b.add_argument(
        "--register",
        help="raw register file (default: the study folder's data/raw/register/iop_register.csv or .xlsx)",
    )
    b.add_argument(
        "--out", help="output folder (default: the study folder's data/processed, else ./data/processed)"
    )
    b.add_argument(
        "--reference",
        help="reference data folder (default: the study folder's data/raw/reference, else the shipped data)",
    )
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

    m = sub.add_parser("merge", help="combine registers, flag likely duplicates and renewals (drops nothing)")
    m.add_argument("files", nargs="+", help="register files (CSV or .xlsx), combined in this order")
    m.add_argument("-o", "--out", required=True, help="the combined CSV to write")
    m.add_argument("--reference", help="reference data folder")
    m.add_argument("--aliases", help="partner alias table (default: the shipped partner_aliases.csv)")
    m.set_defaults(func=_cmd_merge)

    r = sub.add_parser("reproduce", help="build, scan, run every notebook, export figures and tables")
    r.add_argument("--lang", default="en", choices=["en", "sv"])
    r.add_argument(
        "--only",
        choices=["build", "notebooks", "figures"],
        help="run one part only (figures: re-export figures and tables for presenters)",
    )
    r.add_argument(
        "--project",
        "--root",
        dest="root",
        metavar="DIR",
        help="the study folder (default: the one the current directory is in)",
    )
    r.add_argument("--jobs", type=int, help="notebooks run in parallel (default: CPU cores, at most 4)")
    r.add_argument(
        "--formats",
        default=None,
        metavar="FORMATS",
        help="figure formats: 'default' (PNG and PDF of the paper figure), 'all' (the paper "
        "figure and its 16:9 slide version, each as PNG, PDF and SVG), or a list such as 'png,svg'",
    )
    r.set_defaults(func=_cmd_reproduce)
    return parser


def main(argv: list[str] | None = None) -> int:
    from iopstudy.errors import IopStudyError

    parser = make_parser()
    args = parser.parse_args(argv)
    # pandera imports hypothesis when it is installed (the test extra), and hypothesis then loads
    # its plugins (trio's, which imports pytest): 0.4 s that no command of iopstudy needs
    os.environ.setdefault("HYPOTHESIS_NO_PLUGINS", "1")
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
