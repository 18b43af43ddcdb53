"""`iopstudy reproduce`: the same manifest twice, and a failing notebook named with its cell."""

import pytest

from iopstudy.reproduce import reproduce, write_manifest


def test_failing_notebook_is_named_with_its_cell(tmp_path, capsys):
    import nbformat

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


def test_a_full_run_starts_from_a_clean_reports_folder(tmp_path):
    """Files of an earlier run (e.g. the slide SVGs of `make figures`) leave the manifest."""
    from conftest import run_study, study_copy

    root = study_copy(tmp_path / "study", [])  # no notebooks: build, scans, manifest
    stale = root / "reports" / "figures" / "99_old_slide_en.svg"
    stale.parent.mkdir(parents=True)
    stale.write_text("<svg/>")
    keep = root / "reports" / "notes.txt"  # reports/ itself is not emptied, only what a run writes
    keep.write_text("mine")
    run = run_study(root, lang="en")
    assert run.status == 0, run.err
    assert "1 file(s) of the last run removed" in run.out
    assert not stale.exists() and keep.exists()
    assert "99_old_slide_en.svg" not in (root / "reports" / "MANIFEST.sha256").read_text()


def test_personal_data_in_a_notebook_output_stops_the_run(tmp_path, capsys):
    """The outputs are scanned as each notebook finishes; a finding still fails the run."""
    from conftest import study_copy

    import nbformat

    root = study_copy(tmp_path / "study", [])
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('lang = "en"\ndata_dir = "../data"\nreports_dir = "../reports"')
    params.metadata["tags"] = ["parameters"]
    leak = ("from pathlib import Path\nd = Path(reports_dir) / 'tables'\nd.mkdir(parents=True, exist_ok=True)\n"
            "(d / '99_leak_en.csv').write_text('who,pnr\\nA,121212-1212\\n')")
    nb.cells = [params, nbformat.v4.new_code_cell(leak)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "notebooks" / "99-leak.ipynb")
    assert reproduce(root=root, lang="en") == 1
    err = capsys.readouterr().err
    assert "scan-reports" in err and "PERSONAL DATA FOUND" in err and "99_leak_en.csv" in err
    assert not (root / "reports" / "MANIFEST.sha256").exists()


def test_a_notebooks_only_run_builds_missing_tables_once_before_the_kernels(tmp_path):
    """Kernels that start together must not each build the tables (one would read a half-written file)."""
    import json

    from conftest import run_study, study_copy

    root = study_copy(tmp_path / "study", [])
    processed = root / "data" / "processed"
    assert not processed.exists()
    # a notebook that only looks: it finds the tables already there when its first cell runs
    cells = [{"cell_type": "code", "metadata": {"tags": ["parameters"]}, "outputs": [], "execution_count": None,
              "source": 'lang = "en"\ndata_dir = "../data"\nreports_dir = "../reports"'},
             {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": "import pathlib\nprint(sorted(p.name for p in pathlib.Path(data_dir, 'processed').glob('*.parquet')))"}]
    nb = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                      "language": "python"}}, "nbformat": 4, "nbformat_minor": 4}
    (root / "notebooks" / "99-look.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    run = run_study(root, lang="en", only="notebooks")
    assert run.status == 0, run.err
    out = json.loads((root / "reports" / "notebooks" / "99-look.ipynb").read_text())["cells"][-1]["outputs"]
    assert "partnerships.parquet" in "".join(out[0]["text"])
    # every file moved into place whole: no temporary file is left beside the tables
    assert not [p.name for p in processed.iterdir() if p.name.startswith(".")]


def test_the_runner_is_imported_without_the_iri_grammar_and_does_not_block_it():
    """warm_runner: nbformat and jsonschema without rfc3987_syntax's 38 Lark grammars (no notebook
    schema checks an IRI), in a fresh process; notebooks still validate, and the module imports later."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from iopstudy.kernels import warm_runner\n"
        "warm_runner()\n"
        "import jsonschema, nbformat\n"
        "nbformat.validate(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')]))\n"
        # not left blocked (a None in sys.modules, which would make a later import fail)
        "print(sys.modules.get('rfc3987_syntax', 'absent'), 'iri' in jsonschema.FormatChecker().checkers)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["absent", "False"]


def test_kernels_fall_back_to_tcp_where_a_unix_socket_path_would_be_too_long(tmp_path, monkeypatch):
    """Kernels use Unix sockets (tests/test_notebooks.py checks the shared ones); with a temporary
    folder too deep for a socket's path (or on Windows) they use TCP, and still run."""
    import tempfile

    from iopstudy.kernels import PRELOAD_MINIMAL, KernelPool

    deep = tmp_path / ("d" * 100)
    deep.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    pool = KernelPool(1, tmp_path, PRELOAD_MINIMAL).start()
    try:
        kernel = pool.take(0)
        assert kernel.manager.transport == "tcp" and kernel.manager.is_alive()
        kernel.run("x = 1", "a cell")
    finally:
        pool.shutdown()
    assert list(deep.iterdir()) == []
