"""Where the project's data and outputs live.

Functions in iopstudy take explicit folders; these helpers only give the
defaults used by the CLI and the notebooks when run from a checkout.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root(start: str | os.PathLike[str] | None = None) -> Path:
    """The checkout's root: the nearest parent holding ``pyproject.toml`` and ``data/``.

    Falls back to the current directory. The environment variable
    ``IOPSTUDY_ROOT`` overrides the search.
    """
    env = os.environ.get("IOPSTUDY_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(start or Path.cwd()).resolve()
    for cand in (here, *here.parents):
        if (cand / "pyproject.toml").exists() and (cand / "data").is_dir():
            return cand
    pkg = Path(__file__).resolve().parents[2]
    if (pkg / "pyproject.toml").exists():
        return pkg
    return here


def data_dir(root: str | os.PathLike[str] | None = None) -> Path:
    """The ``data/`` folder of the project."""
    return Path(root) / "data" if root else project_root() / "data"


def raw_dir(root: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(root) / "raw"


def processed_dir(root: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(root) / "processed"


def reports_dir(root: str | os.PathLike[str] | None = None) -> Path:
    return (Path(root) if root else project_root()) / "reports"
