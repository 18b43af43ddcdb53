"""Reproduce every processed table, notebook, figure and table from raw data.

``iopstudy reproduce`` (and ``make reproduce``) runs, in order:

1. ``build`` — the register's processed tables (:func:`iopstudy.register.process`);
2. ``interviews`` — the pseudonymised interview segments and pre-coding
   (:func:`iopstudy.interviews.build_interviews`), when an interview corpus exists;
3. ``scan-pii`` — fails loudly if personal data reached ``data/processed/``;
4. ``notebooks`` — every ``notebooks/*.ipynb`` executed with papermill into
   ``reports/notebooks/`` (parameters ``lang``, ``data_dir``, ``reports_dir``),
   each with an HTML copy; the notebooks export the figures and tables into
   ``reports/figures`` and ``reports/tables``;
5. ``scan-pii`` again, over ``reports/``;
6. ``manifest`` — ``reports/MANIFEST.sha256``: every generated file with its
   SHA-256, plus the versions of Python and the key libraries.

Executed notebooks are normalised before they are written (papermill's run
times, kernel ids and execution counts are removed), so two runs give the
same bytes. A failing notebook stops the run: its name and the failing
cell are printed, the partial output is kept in ``reports/notebooks/`` and
the exit status is 1.
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["reproduce", "write_manifest", "run_notebook", "STEPS"]

STEPS = ("build", "interviews", "scan-data", "notebooks", "scan-reports", "manifest")

#: Libraries whose versions are written into the manifest.
KEY_LIBRARIES = (
    "numpy", "pandas", "pyarrow", "scipy", "statsmodels", "matplotlib", "seaborn",
    "pandera", "krippendorff", "rapidfuzz", "papermill", "nbconvert", "openpyxl",
)

#: Files in reports/ that are not part of the reproducible output.
NOT_IN_MANIFEST = {"MANIFEST.sha256", "benchmarks.json", ".gitkeep"}


def _progress(i: int, n: int, name: str, seconds: float, detail: str = "") -> None:
    print(f"[{i}/{n}] {name:<13} {seconds:6.1f} s  {detail}", flush=True)


_KERNEL_FILE = re.compile(r"[^\s\"']*ipykernel_\d+[/\\]\d+\.py")


def _normalise_notebook(path: Path) -> None:
    """Drop run-specific metadata so an executed notebook is byte-stable."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.execution_count = None
            for out in cell.get("outputs", []):
                if "execution_count" in out:
                    out["execution_count"] = None
                # warnings name the kernel's temporary file, whose path holds a process id
                if out.get("output_type") == "stream":
                    out["text"] = _KERNEL_FILE.sub("<cell>", out["text"])
        cell.pop("id", None)
    nb.nbformat_minor = 4  # cell ids are random per run; v4.4 does not need them
    nbformat.write(nb, path)


def run_notebook(
    notebook: Path, out_dir: Path, parameters: dict, *, html: bool = True, cwd: Path | None = None
) -> Path:
    """Execute ``notebook`` with papermill into ``out_dir`` (and an HTML copy).

    Raises
    ------
    RuntimeError
        With the notebook's name and the failing cell, when a cell fails.
        The partial output stays in ``out_dir`` for inspection.
    """
    import papermill as pm

    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / notebook.name
    try:
        pm.execute_notebook(
            str(notebook),
            str(out),
            parameters=parameters,
            kernel_name="python3",
            cwd=str(cwd or notebook.parent),
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
        )
    except pm.PapermillExecutionError as exc:
        raise RuntimeError(
            f"notebook {notebook.name} failed in cell {exc.exec_count} "
            f"({exc.ename}: {exc.evalue}); partial output kept in {out}"
        ) from None
    _normalise_notebook(out)
    if html:
        import nbformat
        from nbconvert import HTMLExporter

        body, _ = HTMLExporter(template_name="lab").from_notebook_node(nbformat.read(out, as_version=4))
        out.with_suffix(".html").write_text(body, encoding="utf-8")
    return out


def _timed_run(nb: Path, out_dir: Path, params: dict, html: bool, cwd: Path) -> float:
    t0 = time.perf_counter()
    run_notebook(nb, out_dir, params, html=html, cwd=cwd)
    return round(time.perf_counter() - t0, 2)


def _run_notebooks(
    names: list[Path], out_dir: Path, params: dict, html: bool, cwd: Path, jobs: int
) -> dict[str, float]:
    """Run notebooks, ``jobs`` at a time in separate processes; the first failure is raised."""
    if jobs <= 1 or len(names) <= 1:
        return {nb.stem: _timed_run(nb, out_dir, params, html, cwd) for nb in names}
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {nb.stem: pool.submit(_timed_run, nb, out_dir, params, html, cwd) for nb in names}
        errors = []
        per = {}
        for stem, fut in futures.items():
            try:
                per[stem] = fut.result()
            except Exception as exc:  # noqa: BLE001 - collect, then report every failure
                errors.append(str(exc))
        if errors:
            raise RuntimeError("; ".join(errors))
    return per


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_manifest(root: Path, folders=("data/processed", "reports"), notes: dict | None = None) -> Path:
    """Write ``reports/MANIFEST.sha256``: checksums of every generated file, sorted.

    The header lists the Python and library versions; ``notes`` maps a
    relative path to a remark (for example why a file is not byte-stable).
    """
    from importlib.metadata import PackageNotFoundError, version

    lines = [
        "# iopstudy reproduction manifest: sha256  path (relative to the project root)",
        f"# python {platform.python_version()} ({platform.python_implementation()})",
    ]
    for lib in KEY_LIBRARIES:
        try:
            lines.append(f"# {lib} {version(lib)}")
        except PackageNotFoundError:
            lines.append(f"# {lib} not installed")
    for rel, note in sorted((notes or {}).items()):
        lines.append(f"# note {rel}: {note}")
    files = []
    for folder in folders:
        base = root / folder
        if not base.exists():
            continue
        for p in sorted(base.rglob("*")):
            if p.is_file() and p.name not in NOT_IN_MANIFEST and ".ipynb_checkpoints" not in p.parts:
                files.append(p)
    for p in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        lines.append(f"{_sha256(p)}  {p.relative_to(root).as_posix()}")
    out = root / "reports" / "MANIFEST.sha256"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def reproduce(
    lang: str = "en",
    only: str | None = None,
    root: str | os.PathLike[str] | None = None,
    *,
    notebooks: list[str] | None = None,
    html: bool = True,
    timings: dict | None = None,
    jobs: int | None = None,
) -> int:
    """Run the whole pipeline (or one part of it) and return an exit status.

    Parameters
    ----------
    lang
        Language of figure labels: "en" or "sv".
    only
        ``None`` for everything; ``"build"`` for the processed data only;
        ``"notebooks"`` to run the notebooks; ``"figures"`` to re-export the
        figures and tables only (runs the notebooks without HTML copies,
        skipping the build, the scans and the manifest).
    root
        The study folder: one made by ``iopstudy init``, or a checkout of this repository.
        Default: the study folder the current directory is in; outside one,
        :class:`~iopstudy.errors.InputError` says how to make or name one.
    notebooks
        Names (stems) of notebooks to run; default all in ``notebooks/``.
    timings
        A dict that receives the seconds per step (for benchmarks).
    jobs
        Notebooks run at the same time, each in its own process and kernel
        (default: the number of CPU cores, at most 4). Each notebook writes
        only its own figures and tables, so the order does not matter.
    """
    from iopstudy.paths import project_root

    root_p = Path(root).resolve() if root else project_root()
    if not root_p.is_dir():
        from iopstudy.errors import InputError

        raise InputError("study folder not found (make one with `iopstudy init DIR`)", file=str(root_p))
    processed = root_p / "data" / "processed"
    reports = root_p / "reports"
    nb_dir = root_p / "notebooks"
    timings = {} if timings is None else timings
    jobs = jobs or min(4, os.cpu_count() or 1)
    made: list[str] = []

    plan: list[tuple[str, Callable[[], str]]] = []

    def step_build() -> str:
        from iopstudy.paths import register_file
        from iopstudy.register.process import build

        reference = root_p / "data/raw/reference"
        res = build(
            register=register_file(root_p / "data/raw/register"),
            out_dir=processed,
            # a study folder without its own reference data uses the data shipped with iopstudy
            reference_dir=reference if (reference / "municipalities.csv").is_file() else None,
        )
        made.append(f"{processed.relative_to(root_p)}/ (register tables)")
        return res.summary()

    def step_interviews() -> str:
        corpus = root_p / "data" / "raw" / "interviews"
        if not corpus.exists():
            return "no interview corpus: skipped"
        from iopstudy.interviews.build import build_interviews

        summary = build_interviews(corpus, processed).summary()
        made.append(f"{processed.relative_to(root_p)}/ (interview tables)")
        return summary

    def scan(paths: list[Path]) -> Callable[[], str]:
        def _scan() -> str:
            from iopstudy.interviews.privacy import scan_pii

            existing = [p for p in paths if p.exists()]
            findings = scan_pii(existing).matches
            if len(findings):
                lines = "\n".join(
                    f"  {r.file}:{r.line} {r.kind}: {r.match}" for r in findings.itertuples(index=False)
                )
                raise RuntimeError(f"PERSONAL DATA FOUND ({len(findings)} finding(s)):\n{lines}")
            return "no personal data found in " + ", ".join(
                str(p.relative_to(root_p)) for p in existing
            )

        return _scan

    def step_notebooks(with_html: bool) -> Callable[[], str]:
        def _run() -> str:
            names = sorted(p for p in nb_dir.glob("*.ipynb"))
            if notebooks:
                names = [p for p in names if p.stem in notebooks]
            params = {
                "lang": lang,
                "data_dir": str(root_p / "data"),
                "reports_dir": str(reports),
            }
            # a figures-only run keeps its executed notebooks apart from the full run's
            out_dir = reports / "notebooks" if with_html else reports / "notebooks" / f"figures-{lang}"
            per = _run_notebooks(names, out_dir, params, with_html, nb_dir, jobs)
            for name, secs in per.items():
                print(f"      {name + '.ipynb':<45} {secs:6.1f} s", flush=True)
            timings["notebooks_each"] = per
            made.append(f"{out_dir.relative_to(root_p)}/ (executed notebooks" + (" + HTML)" if with_html else ")"))
            made.append("reports/figures/, reports/tables/")
            slowest = max(per, key=per.get) if per else "-"
            return f"{len(per)} notebook(s) in {jobs} process(es); slowest {slowest}"

        return _run

    def step_manifest() -> str:
        out = write_manifest(root_p)
        made.append(str(out.relative_to(root_p)))
        n = sum(1 for line in out.read_text().splitlines() if not line.startswith("#"))
        return f"{n} files checksummed"

    if only in (None, "build"):
        plan += [("build", step_build), ("interviews", step_interviews)]
    if only is None:
        plan.append(("scan-data", scan([processed])))
    if only in (None, "notebooks"):
        plan.append(("notebooks", step_notebooks(html)))
    if only == "figures":
        plan.append(("figures", step_notebooks(False)))
    if only is None:
        plan += [("scan-reports", scan([reports])), ("manifest", step_manifest)]

    t_all = time.perf_counter()
    for i, (name, fn) in enumerate(plan, 1):
        t0 = time.perf_counter()
        try:
            detail = fn()
        except Exception as exc:  # report the step, keep what was made
            timings[name] = round(time.perf_counter() - t0, 3)
            _progress(i, len(plan), name, timings[name], "FAILED")
            print(f"iopstudy reproduce: step {name!r} failed: {exc}", file=sys.stderr)
            if os.environ.get("IOPSTUDY_DEBUG"):
                raise
            return 1
        timings[name] = round(time.perf_counter() - t0, 3)
        _progress(i, len(plan), name, timings[name], detail)
    timings["total"] = round(time.perf_counter() - t_all, 3)
    print(f"done in {timings['total']:.1f} s (lang={lang}). Made:")
    for m in dict.fromkeys(made):
        print(f"  - {m}")
    return 0
