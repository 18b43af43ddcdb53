"""`iopstudy reproduce`: the same manifest twice, and a failing notebook named with its cell."""

import shutil

import nbformat
import pytest

from iopstudy.reproduce import reproduce, write_manifest


def _project_copy(root, tmp_path, notebooks=()):
    dst = tmp_path / "project"
    shutil.copytree(root / "data" / "raw", dst / "data" / "raw")
    (dst / "notebooks").mkdir(parents=True)
    for name in notebooks:
        shutil.copy(root / "notebooks" / name, dst / "notebooks" / name)
    shutil.copy(root / "pyproject.toml", dst / "pyproject.toml")
    return dst


@pytest.mark.slow
def test_two_runs_give_the_same_manifest(root, tmp_path, capsys):
    first = sorted(p.name for p in (root / "notebooks").glob("01-*.ipynb"))
    proj = _project_copy(root, tmp_path, first)
    assert reproduce(root=proj, lang="en") == 0
    out = capsys.readouterr().out
    assert "[1/6] build" in out and "manifest" in out and "Made:" in out
    manifest = (proj / "reports" / "MANIFEST.sha256").read_bytes()
    assert b"reports/notebooks/" in manifest and b"data/processed/partnerships.parquet" in manifest
    assert b"# python " in manifest and b"# pandas " in manifest
    assert reproduce(root=proj, lang="en") == 0
    assert (proj / "reports" / "MANIFEST.sha256").read_bytes() == manifest


def test_failing_notebook_is_named_with_its_cell(tmp_path, capsys):
    proj = tmp_path / "project"
    (proj / "notebooks").mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('lang = "en"\ndata_dir = "../data"\nreports_dir = "../reports"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("raise ValueError('boom')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, proj / "notebooks" / "99-broken.ipynb")
    status = reproduce(root=proj, only="notebooks")
    err = capsys.readouterr().err
    assert status == 1
    assert "99-broken.ipynb" in err and "cell" in err and "boom" in err
    assert (proj / "reports" / "notebooks" / "99-broken.ipynb").exists()  # partial output kept


def test_manifest_lists_files_sorted_with_versions(tmp_path):
    (tmp_path / "reports" / "figures").mkdir(parents=True)
    (tmp_path / "data" / "processed").mkdir(parents=True)
    (tmp_path / "reports" / "figures" / "b.svg").write_text("b")
    (tmp_path / "data" / "processed" / "a.csv").write_text("a")
    path = write_manifest(tmp_path, notes={"reports/x.png": "not byte-stable"})
    lines = path.read_text().splitlines()
    body = [line for line in lines if not line.startswith("#")]
    assert [line.split("  ")[1] for line in body] == ["data/processed/a.csv", "reports/figures/b.svg"]
    assert any(line.startswith("# note reports/x.png") for line in lines)


def test_interview_notebook_is_skipped_without_a_corpus(root, tmp_path):
    from iopstudy.reproduce import needs_interviews

    nbs = sorted((root / "notebooks").glob("*.ipynb"))
    assert [p.name[:2] for p in nbs if needs_interviews(p)] == ["04"]
