"""Old module names of iopstudy 0.1, kept working with a DeprecationWarning.

Version 0.2 arranged the package in two wings (:mod:`iopstudy.register`,
:mod:`iopstudy.interviews`) over shared rooms (:mod:`iopstudy.reference`,
:mod:`iopstudy.text`, :mod:`iopstudy.labels`, :mod:`iopstudy.figures`, …). Code written for
0.1 (``from iopstudy.parsers import parse_dates``, ``from iopstudy import report as R``) still
runs: importing an old module name gives a stand-in module whose attributes are looked up in
the new modules, with a :class:`DeprecationWarning` that names the new place. :data:`MOVED`
is the whole table of old names and where their contents went.

Examples
--------
>>> import warnings
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     from iopstudy.parsers import parse_dates
>>> parse_dates.__module__
'iopstudy.register.fields'
>>> "iopstudy.register.fields" in str(caught[-1].message)
True
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
import warnings
from typing import Any

__all__ = ["MOVED", "ALIASES", "install"]

#: Old module → the new modules that hold its public names (searched in this order).
MOVED: dict[str, tuple[str, ...]] = {
    "iopstudy.parsers": (
        "iopstudy.register.fields",
        "iopstudy.register.amounts",
        "iopstudy.register.organisations",
        "iopstudy.text",
    ),
    "iopstudy.policy": ("iopstudy.register.policy",),
    "iopstudy.schemas": ("iopstudy.register.schemas",),
    "iopstudy.resolve": ("iopstudy.reference.resolve",),
    "iopstudy.stems": ("iopstudy.text",),
    "iopstudy.privacy": ("iopstudy.interviews.privacy",),
    "iopstudy.codebook": ("iopstudy.interviews.codebook", "iopstudy.interviews.qdc"),
    "iopstudy.qdpx": ("iopstudy.interviews.qdpx", "iopstudy.interviews.refi"),
    "iopstudy.coding": ("iopstudy.interviews.coding", "iopstudy.interviews.reliability"),
    "iopstudy.themes": (
        "iopstudy.interviews.themes",
        "iopstudy.interviews.compare",
        "iopstudy.interviews.reliability",
        "iopstudy.interviews.build",
        "iopstudy.figures.interviews",
    ),
    "iopstudy.report": (
        "iopstudy.register.study",
        "iopstudy.register.describe",
        "iopstudy.register.literature",
        "iopstudy.spread.describe",
        "iopstudy.figures.register",
        "iopstudy.labels",
    ),
}

#: Old names that were renamed: ``(old module, old name) → (new module, new name)``.
ALIASES: dict[tuple[str, str], tuple[str, str]] = {
    ("iopstudy.report", "EXTRA_LABELS"): ("iopstudy.labels", "LABELS"),
    ("iopstudy.report", "text"): ("iopstudy.labels", "label"),
    ("iopstudy.report", "labels_of"): ("iopstudy.labels", "category_labels"),
    ("iopstudy.themes", "THEME_LABELS"): ("iopstudy.labels", "LABELS"),
    ("iopstudy.stems", "normalise_text"): ("iopstudy.text", "normalise_text"),
    ("iopstudy.resolve", "fold"): ("iopstudy.text", "fold"),
}


class _Moved(types.ModuleType):
    """A stand-in for an old module: attributes come from the new modules."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        old = self.__name__
        target = ALIASES.get((old, name))
        if target is not None:
            where, attr = target
            obj = getattr(importlib.import_module(where), attr)
        else:
            for where in MOVED[old]:
                mod = importlib.import_module(where)
                if name in getattr(mod, "__all__", ()) or (hasattr(mod, name) and not name.startswith("_")):
                    obj, attr = getattr(mod, name), name
                    break
            else:
                raise AttributeError(
                    f"{old} was split up in iopstudy 0.2 and {name!r} is in none of {', '.join(MOVED[old])}"
                )
        warnings.warn(
            f"{old}.{name} is deprecated; use {where}.{attr}", DeprecationWarning, stacklevel=2
        )
        return obj

    def __dir__(self) -> list[str]:
        names: set[str] = {n for (o, n) in ALIASES if o == self.__name__}
        for where in MOVED[self.__name__]:
            names.update(getattr(importlib.import_module(where), "__all__", ()))
        return sorted(names)


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname in MOVED:
            return importlib.machinery.ModuleSpec(fullname, self)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        mod = _Moved(spec.name, f"Deprecated: the contents of {spec.name} moved to {', '.join(MOVED[spec.name])}.")
        mod.__all__ = mod.__dir__()  # type: ignore[attr-defined]
        return mod

    def exec_module(self, module: types.ModuleType) -> None:
        return None


def install() -> None:
    """Put the finder of old module names on :data:`sys.meta_path` (done on ``import iopstudy``)."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.append(_Finder())
