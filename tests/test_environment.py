"""environment.yml (conda) and pyproject.toml must list the same dependencies."""

import re
import tomllib

import yaml


def _name(spec: str) -> str:
    return re.split(r"[<>=!~\[ ]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec(spec: str) -> str:
    name = _name(spec)
    rest = re.sub(r"^[A-Za-z0-9_.\-]+(\[[^\]]*\])?", "", spec.strip()).replace(" ", "")
    return f"{name}{rest}"


# conda-forge names that differ from PyPI names
CONDA_TO_PYPI = {}


def test_environment_matches_pyproject(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    pip_deps = project["dependencies"] + project["optional-dependencies"]["test"]
    env = yaml.safe_load((root / "environment.yml").read_text())
    assert env["name"] == "iopstudy"
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section, "the package must be installed in editable mode from pip"
    conda_specs = {
        _name(CONDA_TO_PYPI.get(_name(d), d)): _spec(d)
        for d in conda
        if _name(d) not in {"python", "pip"}
    }
    pip_specs = {_name(d): _spec(re.sub(r"\[[^\]]*\]", "", d)) for d in pip_deps}
    assert set(conda_specs) == set(pip_specs), (
        f"only in environment.yml: {sorted(set(conda_specs) - set(pip_specs))}; "
        f"only in pyproject.toml: {sorted(set(pip_specs) - set(conda_specs))}"
    )
    for name, spec in pip_specs.items():
        assert conda_specs[name] == spec, f"{name}: pyproject {spec!r} vs environment.yml {conda_specs[name]!r}"
    py = next(d for d in conda if _name(d) == "python")
    assert py.startswith("python=3.11")
