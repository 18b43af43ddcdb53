"""environment.yml (conda, Binder) and pyproject.toml must list the same dependencies.

environment.yml holds what ``pip install -e ".[all,test]"`` (``make install``) brings: the core,
the ``all`` groups (notebooks, dask, geo) and ``test``; packages that conda-forge lacks go in
its ``pip:`` section, beside ``-e .``.
"""

import re
import tomllib

import yaml

#: Extras that environment.yml covers (``all`` is expanded into the groups it names).
ENV_EXTRAS = ("all", "test")


def _name(spec: str) -> str:
    return re.split(r"[<>=!~\[ ;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec(spec: str) -> str:
    name = _name(spec)
    rest = re.sub(r"^[A-Za-z0-9_.\-]+(\[[^\]]*\])?", "", spec.strip()).replace(" ", "")
    return f"{name}{rest}"


# conda-forge names that differ from PyPI names
CONDA_TO_PYPI: dict[str, str] = {}


def _expand(project: dict, extras) -> list[str]:
    """The requirements of ``extras``, following ``iopstudy[...]`` self-references."""
    groups = project["optional-dependencies"]
    out, todo, seen = [], list(extras), set()
    while todo:
        extra = todo.pop(0)
        if extra in seen:
            continue
        seen.add(extra)
        for req in groups[extra]:
            m = re.fullmatch(r"iopstudy\[([^\]]+)\]", req.replace(" ", ""))
            if m:
                todo += m.group(1).split(",")
            else:
                out.append(req)
    return out


def _pip_deps(root) -> list[str]:
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    return project["dependencies"] + _expand(project, ENV_EXTRAS)


def _env(root):
    env = yaml.safe_load((root / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    return env, conda, pip_section


def test_environment_matches_pyproject(root):
    env, conda, pip_section = _env(root)
    assert env["name"] == "iopstudy"
    assert "-e ." in pip_section, "the package must be installed in editable mode from pip"
    env_specs = {
        _name(CONDA_TO_PYPI.get(_name(d), d)): _spec(d)
        for d in conda + [p for p in pip_section if not p.startswith("-")]
        if _name(d) not in {"python", "pip"}
    }
    pip_specs = {_name(d): _spec(re.sub(r"\[[^\]]*\]", "", d)) for d in _pip_deps(root)}
    assert set(env_specs) == set(pip_specs), (
        f"only in environment.yml: {sorted(set(env_specs) - set(pip_specs))}; "
        f"only in pyproject.toml: {sorted(set(pip_specs) - set(env_specs))}"
    )
    for name, spec in pip_specs.items():
        assert env_specs[name] == spec, f"{name}: pyproject {spec!r} vs environment.yml {env_specs[name]!r}"
    py = next(d for d in conda if _name(d) == "python")
    assert py.startswith("python=3.11")


def test_environment_has_what_binder_needs(root):
    """repo2docker: a Jupyter kernel and the notebook server in the env, iopstudy installed."""
    _, conda, pip_section = _env(root)
    names = {_name(d) for d in conda}
    assert {"ipykernel", "jupyterlab", "papermill"} <= names
    assert "-e ." in pip_section
    # the notebooks run with the env's default kernel
    import json

    for nb in sorted((root / "notebooks").glob("*.ipynb")):
        kernel = json.loads(nb.read_text(encoding="utf-8"))["metadata"]["kernelspec"]["name"]
        assert kernel == "python3", nb.name


def test_make_installs_the_same_extras(root):
    make = (root / "Makefile").read_text()
    m = re.search(r"^MAIN_REQS\s*:=\s*-e\s+'?\.\[([^\]]+)\]", make, re.MULTILINE)
    assert "$(call install_into,$(VENV),$(MAIN_REQS))" in make
    assert m, "the Makefile must install the package with its extras"
    assert set(ENV_EXTRAS) <= set(m.group(1).split(","))
