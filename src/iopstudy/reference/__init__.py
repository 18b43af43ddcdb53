"""Reference data on Sweden's 290 municipalities and 21 counties/regions, and the name resolver.

:mod:`~iopstudy.reference.municipalities` loads and validates the reference tables (county,
population, SKR group); :mod:`~iopstudy.reference.resolve` maps the names that registers give
public bodies ("Göteborgs Stad", "VGR", "Socialnämnden i Lund") to codes, saying how each match
was made and never guessing silently.

Examples
--------
>>> from iopstudy.reference import resolve_public_party
>>> resolve_public_party(["Falu kommun", "VGR"])[["level", "code", "match"]].values.tolist()
[['kommun', '2080', 'exact'], ['region', '14', 'rule']]
"""

from __future__ import annotations

from iopstudy.reference.municipalities import (
    SIZE_CLASS_BINS,
    SKR_GROUPS,
    load_counties,
    load_municipalities,
    size_class,
    size_class_labels,
)
from iopstudy.reference.resolve import (
    RESOLVE_COLUMNS,
    fold,
    resolve_public_party,
)

__all__ = [
    "SKR_GROUPS",
    "SIZE_CLASS_BINS",
    "size_class",
    "size_class_labels",
    "load_municipalities",
    "load_counties",
    "resolve_public_party",
    "RESOLVE_COLUMNS",
    "fold",
]
