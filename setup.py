"""Build step of iopstudy: copy the study's raw data and notebooks into the package.

The metadata is in pyproject.toml. This file only adds one step to ``build_py``: the files
listed in ``PACKAGED_DATA`` (src/iopstudy/paths.py, read here as a literal so the package is
not imported) are copied from the repository's ``data/raw/`` and ``notebooks/`` into
``iopstudy/data/`` of the build, so the wheel carries them and the repository keeps a single
copy. An editable install (``pip install -e .``) copies nothing: there ``iopstudy.paths`` reads
the repository's files in place. The sdist carries the sources (see MANIFEST.in), so a wheel
built from it (``python -m build``) gets the same files.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def packaged_data_table(paths_py: Path = HERE / "src" / "iopstudy" / "paths.py") -> dict[str, str]:
    """``PACKAGED_DATA`` of src/iopstudy/paths.py, read without importing iopstudy."""
    tree = ast.parse(paths_py.read_text(encoding="utf-8"))
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        if isinstance(target, ast.Name) and target.id == "PACKAGED_DATA":
            return ast.literal_eval(node.value)
    raise RuntimeError(f"PACKAGED_DATA not found in {paths_py}")


def _skipped(parts: tuple[str, ...]) -> bool:
    # keep in step with iopstudy.paths._skipped: personal data never goes into a build
    return any(p.startswith(".") or p in ("private", "__pycache__") for p in parts) or parts[
        -1
    ].endswith((".salt", ".pyc"))


def packaged_file_plan(root: Path = HERE) -> list[tuple[str, Path]]:
    """(path below ``iopstudy/data/``, source file) for every file that goes into the package."""
    plan = []
    for name, source in sorted(packaged_data_table(root / "src" / "iopstudy" / "paths.py").items()):
        src = root / source
        if src.is_file():
            plan.append((name, src))
            continue
        if not src.is_dir():
            raise RuntimeError(f"packaged data {name!r}: {src} does not exist")
        for p in sorted(src.rglob("*")):
            rel = p.relative_to(src).parts
            if not p.is_file() or _skipped(rel) or (name == "notebooks" and p.suffix != ".ipynb"):
                continue
            plan.append(("/".join((name, *rel)), p))
    return plan


def copy_packaged_data(dest: Path, root: Path = HERE) -> list[Path]:
    """Copy every packaged file into ``dest`` (``<build_lib>/iopstudy/data``); return the copies."""
    out = []
    for rel, src in packaged_file_plan(root):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
        out.append(target)
    return out


class build_py_with_data(build_py):
    """``build_py`` that also copies the packaged data into the build."""

    def run(self) -> None:
        super().run()
        if not getattr(self, "editable_mode", False):
            self._data_copies = copy_packaged_data(Path(self.build_lib) / "iopstudy" / "data")

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        return [*super().get_outputs(include_bytecode), *map(str, getattr(self, "_data_copies", []))]


if __name__ == "__main__":
    setup(cmdclass={"build_py": build_py_with_data})
