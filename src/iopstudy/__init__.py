"""iopstudy: research tools for idéburet offentligt partnerskap (IOP) in Sweden.

Submodules are imported lazily so that ``import iopstudy`` stays fast (the
heavy scientific stack is only loaded by the module that needs it)::

    import iopstudy
    iopstudy.reference.load_municipalities()   # imports pandas on first use
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_SUBMODULES = {
    "errors",
    "paths",
    "stems",
    "reference",
    "parsers",
    "policy",
    "register",
    "schemas",
    "panel",
    "spread",
    "figures",
    "tables",
    "interviews",
    "privacy",
    "codebook",
    "coding",
    "qdpx",
    "themes",
    "synthetic",
    "reproduce",
    "distributed",
}

__all__ = sorted(_SUBMODULES) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'iopstudy' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
