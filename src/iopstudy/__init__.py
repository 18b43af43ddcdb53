"""iopstudy: research tools for idéburet offentligt partnerskap (IOP) in Sweden.

The package has two wings over a few shared rooms; imports run one way, from the top of this
list to the bottom (a room imports only rooms above it)::

    errors, paths, text, labels        shared: errors, folders, text normalisers, the label table
    xlsx                               shared: reading .xlsx workbooks fast (as openpyxl reads them)
    reference/                         the 290 municipalities, 21 regions, the name resolver
    register/                          register wing: read, fields, resolve, build, panel, literature
    spread/                            how IOP spreads: curves, tests, regression, survival
    interviews/                        interview wing: transcripts, privacy, coding, agreement, themes
    figures/, tables                   house-style figures and tables
    project                            study folders: `iopstudy init`, finding the one you are in
    notebook, reproduce, cli           the notebooks' set-up, the pipeline, the command line
    distributed, synthetic             Dask and synthetic data for scale

Submodules are imported lazily so that ``import iopstudy`` stays fast (the scientific stack is
only loaded by the module that needs it)::

    import iopstudy
    iopstudy.reference.load_municipalities()   # imports pandas on first use

``from iopstudy import *`` imports every room listed in :data:`__all__`. The names of version
0.1 (``iopstudy.parsers``, ``iopstudy.report`` …) still work with a DeprecationWarning; see
:mod:`iopstudy.deprecated`.
"""

from __future__ import annotations

import importlib
from typing import Any

from iopstudy import deprecated as _deprecated

__version__ = "0.2.0"

#: The public rooms of the package, in the order imports run.
_SUBMODULES = (
    "errors",
    "paths",
    "text",
    "xlsx",
    "labels",
    "reference",
    "register",
    "spread",
    "interviews",
    "figures",
    "tables",
    "project",
    "notebook",
    "reproduce",
    "cli",
    "distributed",
    "synthetic",
    "deprecated",
)

__all__ = [*_SUBMODULES, "__version__"]

_deprecated.install()


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES or f"iopstudy.{name}" in _deprecated.MOVED:
        module = importlib.import_module(f"{__name__}.{name}")
        if name in _SUBMODULES:
            globals()[name] = module
        return module
    raise AttributeError(f"module 'iopstudy' has no attribute {name!r}")


def __dir__() -> list[str]:
    return list(__all__)
