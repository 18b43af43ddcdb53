"""The package works outside a checkout: packaged data, loaders' defaults, `iopstudy init`.

The wheel carries the study's raw data, copied from data/raw/ at build time (setup.py, the
table PACKAGED_DATA in iopstudy.paths); these tests check the copy is complete and byte-identical,
that loaders read it by default and never the current directory, that `iopstudy init` makes a
study folder whose register form passes `iopstudy validate`, and that a built wheel holds it all.
"""

from __future__ import annotations

import email
import importlib.util
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from iopstudy import paths
from iopstudy.cli import main
from iopstudy.errors import InputError
from iopstudy.paths import PACKAGED_DATA, packaged_data, packaged_files
from iopstudy.project import TEMPLATE_COLUMNS, init_study, write_register_template

ROOT = Path(__file__).resolve().parents[1]


def _setup_module():
    pytest.importorskip("setuptools")
    spec = importlib.util.spec_from_file_location("iopstudy_setup", ROOT / "setup.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # __name__ is not "__main__": setup() does not run
    return mod


# --------------------------------------------------------------------------- the packaged copy
def test_packaged_data_is_byte_identical_to_the_repository():
    for name, source in PACKAGED_DATA.items():
        files = packaged_files(name)
        assert files, name
        repo = ROOT / source
        for rel, path in files:
            below = rel[len(name) :].lstrip("/")
            original = repo / below if below else repo
            assert original.is_file(), f"{rel}: not in the repository ({original})"
            assert path.read_bytes() == original.read_bytes(), f"{rel} differs from {original}"


def test_build_step_copies_what_the_package_reads(tmp_path):
    setup = _setup_module()
    assert setup.packaged_data_table() == PACKAGED_DATA
    plan = [rel for rel, _ in setup.packaged_file_plan()]
    runtime = [rel for name in sorted(PACKAGED_DATA) for rel, _ in packaged_files(name)]
    assert plan == runtime
    copies = setup.copy_packaged_data(tmp_path / "iopstudy" / "data")
    assert len(copies) == len(plan)
    for rel, src in setup.packaged_file_plan():
        assert (tmp_path / "iopstudy" / "data" / rel).read_bytes() == src.read_bytes()
    # what loaders and `iopstudy init` need is in it
    for need in (
        "raw/reference/municipalities.csv",
        "raw/reference/counties.csv",
        "raw/reference/sources/scb/be0101_tabhel2024.xlsx",
        "raw/register/policy_areas.yml",
        "raw/literature/iop_published_counts.csv",
        "raw/literature/lov_status_skr.csv",
        "notebooks/01-register-overview.ipynb",
    ):
        assert need in plan, need
    # personal data never goes into a build
    assert not [r for r in plan if "/private/" in r or r.endswith(".salt")]


def test_never_packaged_private_interviews(tmp_path):
    setup = _setup_module()
    fake = tmp_path / "repo"
    shutil.copytree(ROOT / "src" / "iopstudy", fake / "src" / "iopstudy", ignore=shutil.ignore_patterns("__pycache__"))
    for source in PACKAGED_DATA.values():
        (fake / source).parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / source).is_dir():
            (fake / source).mkdir(exist_ok=True)
        else:
            shutil.copyfile(ROOT / source, fake / source)
    (fake / "data/raw/interviews/private").mkdir(parents=True)
    (fake / "data/raw/interviews/private/real.md").write_text("personal data")
    (fake / "data/raw/interviews/demo.salt").write_text("salt")
    (fake / "data/raw/interviews/ok.md").write_text("fictional")
    plan = [rel for rel, _ in setup.packaged_file_plan(fake)]
    assert "raw/interviews/ok.md" in plan
    assert not [r for r in plan if "private" in r or r.endswith(".salt")]


def test_manifest_in_carries_every_packaged_source():
    lines = [ln.split() for ln in (ROOT / "MANIFEST.in").read_text().splitlines() if ln and ln[0] != "#"]
    covered = {(ln[0], p) for ln in lines for p in ln[1:]}
    for name, source in PACKAGED_DATA.items():
        if (ROOT / source).is_dir():
            ok = ("graft", source) in covered or ("include", f"{source}/*.ipynb") in covered
        else:
            ok = ("include", source) in covered
        assert ok, f"MANIFEST.in does not carry {source} (packaged as {name})"
    assert ("prune", "data/raw/interviews/private") in covered


def test_pyproject_metadata():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    assert project["dynamic"] == ["version"] and "version" not in project
    assert project["scripts"] == {"iopstudy": "iopstudy.cli:main"}
    assert not any(c.startswith("License ::") for c in project["classifiers"])
    extras = project["optional-dependencies"]
    assert {"test", "docs", "geo", "dask", "notebooks", "all"} <= set(extras)
    core = {d.split(">")[0].split("[")[0] for d in project["dependencies"]}
    assert core == {
        "numpy", "pandas", "pyarrow", "pandera", "pyyaml", "rapidfuzz", "openpyxl", "scipy",
        "statsmodels", "matplotlib",
    }
    assert not any("<" in d for d in project["dependencies"]), "no upper bounds in the core"


# --------------------------------------------------------------------------- loaders
@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """A current directory outside any study folder, with a decoy data/ that must be ignored."""
    decoy = tmp_path / "cwd"
    (decoy / "data" / "raw" / "reference").mkdir(parents=True)
    (decoy / "data" / "raw" / "reference" / "municipalities.csv").write_text("not,the,data\n")
    (decoy / "data" / "raw" / "literature").mkdir(parents=True)
    (decoy / "data" / "raw" / "literature" / "iop_published_counts.csv").write_text("x\n")
    monkeypatch.chdir(decoy)
    monkeypatch.delenv("IOPSTUDY_ROOT", raising=False)
    return decoy


def test_loaders_use_the_packaged_data_by_default_never_the_cwd(elsewhere):
    from iopstudy.reference import (
        load_counties,
        load_municipalities,
        resolve_public_party,
    )
    from iopstudy.reference.municipalities import reference_dir
    from iopstudy.reference.scb import source_folder
    from iopstudy.register.literature import read_lov_counts, read_published_counts
    from iopstudy.register.policy import default_vocabulary_path, load_policy_vocabulary

    assert reference_dir(None) == packaged_data("raw/reference")
    assert len(load_municipalities()) == 290 and len(load_counties()) == 21
    res = resolve_public_party(["Falu kommun", "VGR"])
    assert res["code"].tolist() == ["2080", "14"]
    assert len(read_published_counts()) > 5 and len(read_lov_counts()) > 5
    assert default_vocabulary_path() == packaged_data("raw/register/policy_areas.yml")
    assert "other" in set(load_policy_vocabulary()["area_id"])
    assert source_folder() == packaged_data("raw/reference") / "sources"
    assert (source_folder() / "SOURCES.md").is_file()


def test_loaders_take_an_explicit_folder(tmp_path):
    from iopstudy.reference import load_municipalities
    from iopstudy.register.literature import read_published_counts
    from iopstudy.register.policy import load_policy_vocabulary

    mine = tmp_path / "study" / "data" / "raw"
    shutil.copytree(packaged_data("raw/reference"), mine / "reference")
    shutil.copytree(packaged_data("raw/literature"), mine / "literature")
    (mine / "register").mkdir()
    voc = (mine / "register" / "policy_areas.yml")
    voc.write_text(
        packaged_data("raw/register/policy_areas.yml").read_text(encoding="utf-8").replace(
            "  - id: other", "  - id: my_area\n    sv: 'Mitt'\n    en: 'Mine'\n    stems: [mitt*]\n  - id: other"
        ),
        encoding="utf-8",
    )
    csv = mine / "reference" / "municipalities.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",Falun,", ",Falun (mine),"), encoding="utf-8")
    for folder in (tmp_path / "study", mine.parent, mine, mine / "reference"):
        m = load_municipalities(folder)
        assert m.loc[m.kommun_code == "2080", "kommun_name"].item() == "Falun (mine)"
    assert len(read_published_counts(tmp_path / "study")) == len(read_published_counts())
    for where in (tmp_path / "study", voc):
        assert "my_area" in set(load_policy_vocabulary(where)["area_id"])


def test_missing_data_names_both_places(tmp_path):
    from iopstudy.reference import load_municipalities
    from iopstudy.reference.scb import source_folder
    from iopstudy.register.literature import read_published_counts
    from iopstudy.register.policy import load_policy_vocabulary

    empty = tmp_path / "empty"
    empty.mkdir()
    cases = [
        (load_municipalities, "raw/reference"),
        (read_published_counts, "raw/literature"),
        (load_policy_vocabulary, "raw/register/policy_areas.yml"),
        (lambda p: source_folder(p / "nope"), "raw/reference"),
    ]
    for fn, shipped in cases:
        with pytest.raises(InputError) as err:
            fn(empty)
        msg = str(err.value)
        assert str(empty) in msg, msg
        assert str(packaged_data(shipped)) in msg, msg
        assert "shipped with iopstudy" in msg


def test_no_study_folder_is_a_clear_error(elsewhere):
    assert paths.find_project_root() is None
    with pytest.raises(InputError, match="not inside a study folder"):
        paths.project_root()
    with pytest.raises(InputError, match="not inside a study folder"):
        paths.processed_dir()


# --------------------------------------------------------------------------- iopstudy init
def test_init_makes_a_study_folder_whose_form_validates(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("IOPSTUDY_ROOT", raising=False)
    study = tmp_path / "my-study"
    assert main(["init", str(study)]) == 0
    for rel in (
        "iopstudy.toml",
        "README.md",
        "data/raw/register/iop_register.xlsx",
        "data/raw/register/policy_areas.yml",
        "data/raw/reference/municipalities.csv",
        "data/raw/reference/sources/SOURCES.md",
        "data/raw/literature/iop_published_counts.csv",
        "notebooks/01-register-overview.ipynb",
    ):
        assert (study / rel).is_file(), rel
    assert (study / "data" / "processed").is_dir() and (study / "reports").is_dir()
    assert not (study / "data" / "raw" / "interviews").exists()
    assert paths.find_project_root(study / "notebooks") == study
    capsys.readouterr()
    assert main(["validate", str(study / "data/raw/register/iop_register.xlsx")]) == 0
    assert "0 rows, 0 error(s)" in capsys.readouterr().out
    # a folder that is not empty is left alone
    assert main(["init", str(study)]) == 1
    assert "not empty" in capsys.readouterr().err


def test_template_drop_downs_list_the_vocabulary(tmp_path):
    from openpyxl import load_workbook

    from iopstudy.register.policy import load_policy_vocabulary

    path = write_register_template(tmp_path / "form.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["agreements", "columns", "lists"]
    ws = wb["agreements"]
    assert [c.value for c in ws[1]] == list(TEMPLATE_COLUMNS)

    def listed(column: str) -> list[str]:
        letter = ws.cell(row=1, column=TEMPLATE_COLUMNS.index(column) + 1).column_letter
        dv = next(d for d in ws.data_validations.dataValidation if str(d.sqref).startswith(f"{letter}2:"))
        assert dv.type == "list"
        sheet, cells = dv.formula1.split("!")
        first, last = cells.replace("$", "").split(":")
        return [c.value for (c,) in wb[sheet.strip("'")][f"{first}:{last}"]]

    assert listed("policy_area_override") == load_policy_vocabulary()["area_id"].tolist()
    assert listed("public_party_level") == ["kommun", "region", "stat"]
    assert "kommun webbplats" in listed("source_kind")
    explained = {r[0].value: r for r in wb["columns"].iter_rows(min_row=2) if r[0].value in TEMPLATE_COLUMNS}
    assert set(explained) == set(TEMPLATE_COLUMNS)
    assert all(r[2].value and r[3].value and r[4].value for r in explained.values())  # sv, en, example
    assert explained["record_id"][1].value.startswith("ja")


def test_init_example_builds_as_the_shipped_register(tmp_path, monkeypatch, capsys):
    from iopstudy.register.process import build

    monkeypatch.delenv("IOPSTUDY_ROOT", raising=False)
    study = init_study(tmp_path / "example", example=True)
    form = study / "data/raw/register/iop_register.xlsx"
    shipped = build(register=packaged_data("raw/register/iop_register.csv"), write=False)
    n = shipped.n_raw
    assert main(["validate", str(form)]) == 0
    assert f"{n} rows, 0 error(s)" in capsys.readouterr().out
    mine = build(register=form, write=False)
    for table in ("partnerships", "partners", "municipality_panel", "exclusions"):
        assert getattr(mine, table).equals(getattr(shipped, table)), table
    assert (study / "data/raw/interviews/interviews.csv").is_file()
    # inside the study folder `build` needs no flags
    monkeypatch.chdir(study / "notebooks")
    capsys.readouterr()
    assert main(["build"]) == 0
    assert f"{n} raw rows -> {len(shipped.partnerships)} agreements" in capsys.readouterr().out
    assert (study / "data/processed/partnerships.parquet").is_file()
    # reproduce --project runs in that folder, from anywhere (the interviews need python-docx)
    pytest.importorskip("docx")
    monkeypatch.chdir(tmp_path)
    assert main(["reproduce", "--project", str(study), "--only", "build"]) == 0
    assert (study / "data/processed/interview_segments.parquet").is_file()


def test_reproduce_outside_a_study_folder_says_so(elsewhere, capsys):
    assert main(["reproduce", "--only", "build"]) == 1
    err = capsys.readouterr().err
    assert "not inside a study folder" in err and "iopstudy init" in err and "--project" in err
    assert main(["build"]) == 1
    assert "--register" in capsys.readouterr().err


# --------------------------------------------------------------------------- the wheel
@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build the wheel from a copy of the sources (the checkout gets no build/ folder)."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "src", src / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for source in PACKAGED_DATA.values():
        (src / source).parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / source).is_dir():
            shutil.copytree(ROOT / source, src / source, dirs_exist_ok=True)
        else:
            shutil.copy(ROOT / source, src / source)
    out = tmp / "dist"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(src)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    (whl,) = out.glob("iopstudy-*.whl")
    return whl


def test_wheel_holds_the_data_and_the_metadata(wheel):
    from iopstudy import __version__

    setup = _setup_module()
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for rel, src in setup.packaged_file_plan():
            member = f"iopstudy/data/{rel}"
            assert member in names, member
            assert zf.read(member) == src.read_bytes(), member
        assert "iopstudy/data/codebook_iop.yml" in names
        assert not [n for n in names if "/private/" in n or n.endswith(".salt")]
        (meta_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        meta = email.message_from_bytes(zf.read(meta_name))
        entry = zf.read(meta_name.replace("METADATA", "entry_points.txt")).decode()
        licenses = [n for n in names if ".dist-info/licenses/" in n]
    assert meta["Version"] == __version__
    assert meta["License-Expression"] == "MIT"
    assert licenses and licenses[0].endswith("LICENSE")
    assert "iopstudy = iopstudy.cli:main" in entry
    requires = meta.get_all("Requires-Dist")
    core = [r for r in requires if "extra ==" not in r]
    assert {r.split(">")[0] for r in core} >= {"numpy", "pandas", "rapidfuzz"}
    assert not any(r.startswith(("seaborn", "papermill", "dask", "geopandas")) for r in core)
    assert set(meta.get_all("Provides-Extra")) >= {"all", "test", "docs", "geo", "dask", "notebooks"}


def test_docstring_examples():
    import doctest

    from iopstudy import project

    for mod in (paths, project):
        res = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert res.failed == 0 and res.attempted > 0, mod.__name__
