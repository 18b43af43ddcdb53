"""Every notebook in notebooks/ runs top to bottom with papermill and writes its figures.

The notebooks are sources: committed without outputs, kernelspec ``python3``,
the first code cell tagged ``parameters``. The slow tests execute each one in
a fresh kernel into ``tmp_path`` (figures and tables too), in English on the
shipped data, and the register notebooks once more in Swedish on a SYNTHETIC
complete register (``iopstudy.synthetic``), which checks that they run
unchanged on a user's own register and build its processed tables themselves.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("*.ipynb"))

#: Figures (``{name}_{preset}_{lang}.png``) the register notebooks must write.
EXPECTED_FIGURES = {
    "01-register-overview": ["source_kinds", "start_years", "partner_types", "coverage_by_county"],
    "02-spread-by-size-and-region": [
        "adoption_overall", "adoption_by_size", "adoption_by_skr", "share_by_size", "km_by_size",
        "sensitivity", "published_counts", "lov_vs_iop",
    ],
    "03-policy-areas": [
        "policy_areas", "composition_by_level", "composition_by_size", "composition_by_period",
        "agreements_by_body",
    ],
}
REGISTER_NOTEBOOKS = [NB_DIR / f"{stem}.ipynb" for stem in EXPECTED_FIGURES]


def _ids(p: Path) -> str:
    return p.stem


def _run(nb: Path, out_dir: Path, **parameters) -> Path:
    import papermill as pm

    out = out_dir / nb.name
    pm.execute_notebook(
        str(nb), str(out), parameters=parameters, kernel_name="python3", cwd=str(NB_DIR),
        progress_bar=False, log_output=False,
    )
    return out


def _check_figures(nb: Path, reports: Path, lang: str, *, slides: bool = False) -> None:
    """The paper version of every figure as PNG and PDF; with ``slides``, the 16:9 versions too."""
    prefix = nb.stem.split("-")[0]
    figs = reports / "figures"
    paper = sorted(figs.glob(f"{prefix}_*_paper_{lang}.png"))
    assert paper, f"{nb.name} wrote no figure into {figs}"
    for png in paper:
        assert png.with_suffix(".pdf").exists(), f"{png.name} has no PDF"
        slide = png.with_name(png.name.replace("_paper_", "_slide_"))
        assert slide.exists() == slides, f"{png.name}: slide version {'missing' if slides else 'written'}"
        if slides:
            assert {slide.with_suffix(e).exists() for e in (".pdf", ".svg")} == {True}
        assert png.stat().st_size > 10_000
    for name in EXPECTED_FIGURES.get(nb.stem, []):
        for preset in ("paper", "slide") if slides else ("paper",):
            f = figs / f"{prefix}_{name}_{preset}_{lang}.png"
            assert f.exists(), f"{nb.name}: missing {f.name}"
    if nb.stem in EXPECTED_FIGURES:
        assert sorted((reports / "tables").glob(f"{prefix}_*_{lang}.csv")), f"{nb.name} wrote no table"


def _no_errors(executed: Path) -> None:
    node = nbformat.read(executed, as_version=4)
    for cell in node.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", f"{executed.name}: {out.get('ename')}: {out.get('evalue')}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=_ids)
def test_notebook_is_a_clean_source(nb):
    node = nbformat.read(nb, as_version=4)
    assert node.metadata.kernelspec.name == "python3"
    code = [c for c in node.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", []), "first code cell must be tagged 'parameters'"
    for name in ("lang", "data_dir", "reports_dir"):
        assert f"{name} =" in code[0].source
    for c in code:
        assert not c.get("outputs") and c.get("execution_count") is None, "commit notebooks without outputs"


@pytest.fixture(scope="module")
def synthetic_data(tmp_path_factory) -> Path:
    """A data/ folder whose register is SYNTHETIC (complete-looking, all 290 municipalities)."""
    from iopstudy.synthetic import synthetic_register

    d = tmp_path_factory.mktemp("synthetic") / "data"
    (d / "raw" / "register").mkdir(parents=True)
    shutil.copy(ROOT / "data/raw/register/policy_areas.yml", d / "raw/register/policy_areas.yml")
    shutil.copytree(ROOT / "data/raw/reference", d / "raw/reference")
    shutil.copytree(ROOT / "data/raw/literature", d / "raw/literature")
    synthetic_register(n=400, seed=7).to_csv(d / "raw/register/iop_register.csv", index=False)
    return d


@pytest.mark.slow
@pytest.mark.parametrize("nb", NOTEBOOKS, ids=_ids)
def test_notebook_runs_on_the_shipped_data(nb, tmp_path):
    reports = tmp_path / "reports"
    out = _run(nb, tmp_path, lang="en", data_dir=str(ROOT / "data"), reports_dir=str(reports))
    _no_errors(out)
    _check_figures(nb, reports, "en")


@pytest.mark.slow
@pytest.mark.parametrize("nb", REGISTER_NOTEBOOKS, ids=_ids)
def test_register_notebook_runs_in_swedish_on_another_register(nb, synthetic_data, tmp_path):
    reports = tmp_path / "reports"
    # the presenters' export (figure_formats="all", as `make figures`) for the first notebook
    slides = nb.stem.startswith("01")
    out = _run(nb, tmp_path, lang="sv", data_dir=str(synthetic_data), reports_dir=str(reports),
               figure_formats="all" if slides else None)
    _no_errors(out)
    _check_figures(nb, reports, "sv", slides=slides)
    assert (synthetic_data / "processed" / "partnerships.parquet").exists()
    assert not list((reports / "figures").glob("*_en.png")), "lang='sv' must name every figure _sv"
