"""Shared fixtures. Tests run from any folder; data paths come from the checkout."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("IOPSTUDY_ROOT", str(ROOT))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def raw_register(root) -> Path:
    return root / "data" / "raw" / "register" / "iop_register.csv"


def pytest_configure(config):
    """In each worker of `pytest -n 2` (make test), import the notebook runner first, as
    `iopstudy reproduce` does (iopstudy.kernels.warm_runner): nbformat without jsonschema's IRI
    grammar, which no notebook schema uses and which costs a loaded worker 3-5 s to build."""
    if hasattr(config, "workerinput"):
        from iopstudy.kernels import warm_runner

        try:
            warm_runner()
        except ImportError:  # an environment without the notebook runner (the core install)
            pass
    elif hasattr(config.option, "loadscopereorder"):
        # `--dist loadfile` hands out files in collection order (pytest_collection_modifyitems
        # below), not largest file first: pytest-xdist >= 3.7 counts tests, not seconds
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(session, config, items):
    """The notebook tests first: their file is the longest unit of `pytest -n 2 --dist loadfile`,
    so one worker starts on it while the other takes the next files; the doctests of the
    modules, many and short, come last and fill the end of both workers."""
    items.sort(key=lambda item: item.path.name != "test_notebooks.py")  # stable: order kept within


# --------------------------------------------------------------------------- executed notebooks
# The notebook tests share two runs of `iopstudy reproduce` (warm kernels, both cores) instead of
# starting a kernel per notebook and test, and the runs share two warm kernels (`kernels=`).
# They all live in tests/test_notebooks.py, and `pytest -n 2 --dist loadfile` (make test) sends a
# file's tests to one worker, so each run happens once per session. (pytest-xdist's
# `xdist_group` marks do not group on pytest 9.2.)
class StudyRun:
    """A study folder after one `reproduce` call: its status, timings and printed output."""

    def __init__(self, root: Path, status: int, timings: dict, out: str, err: str) -> None:
        self.root, self.status, self.timings, self.out, self.err = root, status, timings, out, err
        self.reports = root / "reports"
        self.data = root / "data"


def study_copy(dst: Path, notebooks: list[Path], *, register_csv=None) -> Path:
    """A study folder: the shipped raw data (or another register), the given notebooks."""
    import shutil

    shutil.copytree(ROOT / "data" / "raw", dst / "data" / "raw")
    if register_csv is not None:
        for f in (dst / "data/raw/register").glob("iop_register.*"):
            f.unlink()
        register_csv.to_csv(dst / "data/raw/register/iop_register.csv", index=False)
    (dst / "notebooks").mkdir(parents=True)
    for nb in notebooks:
        shutil.copy(nb, dst / "notebooks" / nb.name)
    shutil.copy(ROOT / "pyproject.toml", dst / "pyproject.toml")
    return dst


def run_study(root: Path, **kw) -> StudyRun:
    import contextlib
    import io

    from iopstudy.reproduce import reproduce

    out, err, timings = io.StringIO(), io.StringIO(), {}
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = reproduce(root=root, timings=timings, **kw)
    return StudyRun(root, status, timings, out.getvalue(), err.getvalue())


#: The notebooks of each reproduce run of the notebook tests (tests/test_notebooks.py).
SHIPPED_NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SYNTHETIC_NOTEBOOKS = [p for p in SHIPPED_NOTEBOOKS if p.name[:2] in ("01", "02", "03", "06")]
SECOND_RUN_NOTEBOOKS = [p for p in SHIPPED_NOTEBOOKS if p.name[:2] == "01"]


@pytest.fixture(scope="session")
def kernels():
    """Two warm kernels that every reproduce run of the notebook tests uses, each warmed for the
    notebooks it runs in them (chain i of every run runs in kernel i)."""
    from iopstudy.kernels import KernelPool, chains, preload_for

    plans = [chains(nbs, 2) for nbs in (SHIPPED_NOTEBOOKS, SYNTHETIC_NOTEBOOKS, SECOND_RUN_NOTEBOOKS)]
    runs = [sorted({nb for plan in plans if i < len(plan) for nb in plan[i]}) for i in range(2)]
    pool = KernelPool(2, ROOT / "notebooks", [preload_for(nbs) for nbs in runs]).start()
    yield pool
    pool.shutdown()


@pytest.fixture(scope="session")
def shipped_run(tmp_path_factory, kernels) -> StudyRun:
    """`iopstudy reproduce` of the shipped study: every notebook, English, default formats."""
    run = run_study(study_copy(tmp_path_factory.mktemp("shipped") / "study", SHIPPED_NOTEBOOKS), lang="en",
                    kernels=kernels)
    assert run.status == 0, run.err + run.out
    return run


@pytest.fixture(scope="session")
def synthetic_run(tmp_path_factory, kernels) -> StudyRun:
    """The presenters' export (`--only figures`, Swedish) on another register: the slides.

    The 16:9 slide version of every figure as PNG, and no paper version (the shipped run
    writes those, and the figure tests check every format of both presets, tests/test_figures.py
    and tests/test_maps.py, at a fraction of the cost).

    The register is SYNTHETIC (complete-looking, all 290 municipalities); nothing is built
    beforehand: the run builds its processed tables once, before the notebooks start.
    """
    from iopstudy.synthetic import synthetic_register

    root = study_copy(tmp_path_factory.mktemp("synthetic") / "study", SYNTHETIC_NOTEBOOKS,
                      register_csv=synthetic_register(n=400, seed=7))
    # lists, not tuples: papermill writes the parameter into the notebook as Python source
    run = run_study(root, lang="sv", only="figures", formats={"paper": [], "slide": ["png"]}, kernels=kernels)
    assert run.status == 0, run.err + run.out
    return run
