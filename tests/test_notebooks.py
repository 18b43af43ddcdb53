"""Every notebook in notebooks/ runs top to bottom with papermill and writes its figures.

The notebooks are sources: committed without outputs, kernelspec ``python3``,
the first code cell tagged ``parameters``. The slow tests read two shared runs of
``iopstudy reproduce`` (``tests/conftest.py``): every notebook in English on the
shipped data (as ``make reproduce``), and the register notebooks once more in
Swedish on a SYNTHETIC complete register (``iopstudy.synthetic``) as the
presenters' export of the slides (``--only figures``), which checks that they run
unchanged on a user's own register, whose processed tables the run builds once.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import SECOND_RUN_NOTEBOOKS, run_study, study_copy
from iopstudy.interviews.privacy import load_names, scan_pii

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("*.ipynb"))
INTERVIEW_NOTEBOOK = NB_DIR / "04-interviews-hybridisation-governance.ipynb"

#: Figures (``{name}_{preset}_{lang}.png``) the register notebooks must write.
EXPECTED_FIGURES = {
    "01-register-overview": [
        "source_kinds", "start_years", "partner_types", "coverage_by_county", "published_counts", "lov_vs_iop",
    ],
    "02-spread-by-size-and-region": [
        "adoption_overall", "adoption_by_size", "adoption_by_skr", "km_by_size", "sensitivity",
        "cumulative_incidence",
    ],
    "03-policy-areas": [
        "policy_areas", "composition_by_level", "composition_by_size", "composition_by_period",
        "agreements_by_body",
    ],
    "06-what-a-partial-register-can-say": ["share_by_size"],
}
REGISTER_NOTEBOOKS = [NB_DIR / f"{stem}.ipynb" for stem in EXPECTED_FIGURES]


def _ids(p: Path) -> str:
    return p.stem


def _check_figures(nb: Path, reports: Path, lang: str, *, slides: bool = False) -> None:
    """The paper version of every figure as PNG and PDF (`make reproduce`), or with ``slides``
    only the 16:9 versions as PNG (the presenters' export of the slides)."""
    prefix = nb.stem.split("-")[0]
    figs = reports / "figures"
    preset = "slide" if slides else "paper"
    written = sorted(figs.glob(f"{prefix}_*_{preset}_{lang}.png"))
    assert written, f"{nb.name} wrote no figure into {figs}"
    for png in written:
        assert png.with_suffix(".pdf").exists() != slides, f"{png.name}: PDF {'written' if slides else 'missing'}"
        other = png.with_name(png.name.replace(f"_{preset}_", "_paper_" if slides else "_slide_"))
        assert not other.exists(), f"{png.name}: {other.name} written too"
        assert not png.with_suffix(".svg").exists()
        assert png.stat().st_size > 10_000
    for name in EXPECTED_FIGURES.get(nb.stem, []):
        f = figs / f"{prefix}_{name}_{preset}_{lang}.png"
        assert f.exists(), f"{nb.name}: missing {f.name}"
    if nb.stem in EXPECTED_FIGURES:
        assert sorted((reports / "tables").glob(f"{prefix}_*_{lang}.csv")), f"{nb.name} wrote no table"


def _read(path: Path) -> dict:
    # plain JSON: importing nbformat costs each test worker a second (jsonschema's format checks)
    node = json.loads(path.read_text(encoding="utf-8"))
    for cell in node["cells"]:
        cell["source"] = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    return node


def _first_difference(a: dict, b: dict) -> str:
    """Where two runs of an executed notebook differ first: the cell and its outputs."""
    if len(a["cells"]) != len(b["cells"]):
        return f"{len(a['cells'])} cells, then {len(b['cells'])}"
    import hashlib

    def brief(out: dict) -> str:
        text = out.get("text") or out.get("data", {}).get("text/plain") or ""
        text = "".join(text) if isinstance(text, list) else text
        digest = hashlib.sha256(json.dumps(out, sort_keys=True).encode()).hexdigest()[:8]
        return f"{out.get('output_type')} {out.get('name', '')} {sorted(out.get('data', {}))} {digest} {text[:200]!r}"

    for i, (x, y) in enumerate(zip(a["cells"], b["cells"])):
        if x != y:
            first, then = ([brief(o) for o in c.get("outputs", [])] for c in (x, y))
            return f"cell {i} ({x['source'][:60]!r}):\n" + "\n".join(first) + "\nthen:\n" + "\n".join(then)
    return f"metadata: {a['metadata']} then {b['metadata']}"


def _no_errors(executed: Path) -> None:
    node = _read(executed)
    for cell in node["cells"]:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", f"{executed.name}: {out.get('ename')}: {out.get('evalue')}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=_ids)
def test_notebook_is_a_clean_source(nb):
    node = _read(nb)
    assert node["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in node["cells"] if c["cell_type"] == "code"]
    assert "parameters" in code[0]["metadata"].get("tags", []), "first code cell must be tagged 'parameters'"
    for name in ("lang", "data_dir", "reports_dir"):
        assert f"{name} =" in code[0]["source"]
    for c in code:
        assert not c.get("outputs") and c.get("execution_count") is None, "commit notebooks without outputs"


@pytest.mark.slow
@pytest.mark.parametrize("nb", NOTEBOOKS, ids=_ids)
def test_notebook_runs_on_the_shipped_data(nb, shipped_run):
    """Every notebook, executed by `iopstudy reproduce` in English: no error, its figures and tables."""
    _no_errors(shipped_run.reports / "notebooks" / nb.name)
    assert (shipped_run.reports / "notebooks" / nb.with_suffix(".html").name).is_file()
    _check_figures(nb, shipped_run.reports, "en")


@pytest.mark.slow
@pytest.mark.parametrize("nb", REGISTER_NOTEBOOKS, ids=_ids)
def test_register_notebook_runs_in_swedish_on_another_register(nb, synthetic_run):
    """The presenters' export in Swedish on a SYNTHETIC register built by that run."""
    reports = synthetic_run.reports
    _no_errors(reports / "notebooks" / "figures-sv" / nb.name)
    _check_figures(nb, reports, "sv", slides=True)
    assert (synthetic_run.data / "processed" / "partnerships.parquet").exists()
    assert not list((reports / "figures").glob("*_en.png")), "lang='sv' must name every figure _sv"


@pytest.mark.slow
def test_interview_notebook_outputs_hold_no_personal_data(shipped_run):
    """The interview notebook's tables and figures, and not one name of the corpus's names list."""
    reports = shipped_run.reports
    assert (shipped_run.data / "processed" / "interview_segments.parquet").is_file()
    figs = {p.name for p in (reports / "figures").iterdir()}
    for name in ("04_code_frequencies_sector", "04_code_frequencies_role", "04_cooccurrence"):
        for ext in ("png", "pdf", "caption.txt"):  # the note beside the paper version
            assert f"{name}_paper_en.{ext}" in figs
    tables = {p.name for p in (reports / "tables").iterdir()}
    assert {"04_agreement_en.csv", "04_sector_comparison_dictionary_en.md", "04_quotes_en.xlsx"} <= tables
    executed = reports / "notebooks" / INTERVIEW_NOTEBOOK.name
    found = scan_pii([reports, executed], names=load_names(ROOT / "data/raw/interviews/names.txt")).matches
    assert found.empty, found.to_string()


@pytest.mark.slow
def test_executed_notebooks_hold_no_path_of_this_machine(shipped_run):
    """Parameters, printed results and warnings name no folder of the study or the installation."""
    import sys

    import iopstudy

    folders = {str(shipped_run.root), str(Path(iopstudy.__file__).parent), sys.prefix}
    files = sorted((shipped_run.reports / "notebooks").glob("*.*"))
    assert len(files) == 2 * len(NOTEBOOKS)
    for f in files:
        text = f.read_text(encoding="utf-8")
        for folder in folders:
            assert folder not in text and json.dumps(folder)[1:-1] not in text, f"{f.name} holds {folder}"


@pytest.mark.slow
def test_a_second_run_elsewhere_gives_the_same_bytes(shipped_run, kernels, tmp_path_factory):
    """The shared run (tests/conftest.py), then the build and notebook 01 again in a copy of the
    study at another path (as a second clone): the same bytes, so no output holds a path."""
    import hashlib

    out = shipped_run.out
    assert "[1/7] clean" in out and "[2/7] build" in out and "manifest" in out and "Made:" in out
    manifest = (shipped_run.reports / "MANIFEST.sha256").read_text()
    assert "reports/notebooks/" in manifest and "data/processed/partnerships.parquet" in manifest
    assert "# python " in manifest and "# pandas " in manifest
    assert "_slide_" not in manifest and ".svg" not in manifest  # the paper versions only
    listed = dict(reversed(line.split("  ", 1)) for line in manifest.splitlines() if not line.startswith("#"))
    executed = shipped_run.reports / "notebooks" / "01-register-overview.ipynb"
    before = _read(executed)
    if os.name == "posix":  # the kernels talk over Unix sockets (TCP on Windows)
        managers = [kernels.take(i).manager for i in range(len(kernels))]
        assert [m.transport for m in managers] == ["ipc"] * len(kernels)
        assert all(Path(m.ip).parent.name.startswith("iopstudy-kernels-") for m in managers)
    root = study_copy(tmp_path_factory.mktemp("a-second-clone-at-a-longer-path") / "iopstudy", SECOND_RUN_NOTEBOOKS)
    assert len(str(root)) != len(str(shipped_run.root))
    again = run_study(root, lang="en", only="build")
    assert again.status == 0, again.err
    again = run_study(root, lang="en", only="notebooks", notebooks=[p.stem for p in SECOND_RUN_NOTEBOOKS],
                      kernels=kernels)
    assert again.status == 0, again.err
    checked = [rel for rel in listed if rel.startswith("data/processed/") or rel.split("/")[-1][:2] == "01"]
    assert len(checked) > 40
    executed = root / "reports" / "notebooks" / executed.name
    assert _read(executed) == before, _first_difference(before, _read(executed))
    for rel in checked:
        assert hashlib.sha256((root / rel).read_bytes()).hexdigest() == listed[rel], f"{rel} changed"
