"""Reference data on Sweden's 290 municipalities and 21 regions, and a name resolver.

The data lives in ``data/raw/reference/`` with its provenance in
``SOURCES.md`` and ships inside the package (:func:`iopstudy.paths.packaged_data`), so the
loaders work without a checkout (population: SCB, 31 December 2024; SKR municipality groups:
the 2017 classification). Loaders return typed DataFrames:

``load_municipalities()`` — one row per kommun:

=================  ==========================================================
kommun_code        str, 4 digits ("0114")
kommun_name        str, official short name ("Upplands Väsby")
county_code        str, 2 digits, the first two digits of ``kommun_code``
county_name        str ("Stockholms län")
region_name        str, the county's regional authority ("Region Stockholm")
population         int64, SCB population at 31 December of ``population_year``
population_year    int64
log_population     float64, natural log of ``population``
size_class         ordered categorical, see :data:`SIZE_CLASS_BINS`
skr_group          ordered categorical A1 < A2 < B3 < … < C9 (SKR 2017)
skr_group_sv       str, SKR's Swedish name of the group
skr_group_en       str, English name of the group
skr_main_group     ordered categorical A < B < C
=================  ==========================================================

``load_counties()`` — one row per county/region: ``county_code``,
``county_name``, ``region_name``, ``population``, ``population_year``.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from iopstudy.errors import InputError, ReferenceDataError
from iopstudy.labels import check_lang, label
from iopstudy.paths import data_folder

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "SKR_GROUPS",
    "SIZE_CLASS_BINS",
    "size_class",
    "size_class_labels",
    "load_municipalities",
    "load_counties",
]

#: SKR municipality groups (2017): code -> (Swedish name, English name), from :data:`iopstudy.labels.LABELS`.
SKR_GROUPS: dict[str, tuple[str, str]] = {
    c: (label(f"skr_group.{c}", "sv"), label(f"skr_group.{c}", "en"))
    for c in ("A1", "A2", "B3", "B4", "B5", "C6", "C7", "C8", "C9")
}

#: Population size classes: (lower bound inclusive, upper bound exclusive, label).
#: Bounds are round numbers; with 2024 populations the classes hold 76, 110, 53,
#: 31, 16 and 4 municipalities (the top class: Stockholm, Göteborg, Malmö, Uppsala).
SIZE_CLASS_BINS: tuple[tuple[int, float, str], ...] = (
    (0, 10_000, "<10k"),
    (10_000, 25_000, "10–25k"),
    (25_000, 50_000, "25–50k"),
    (50_000, 100_000, "50–100k"),
    (100_000, 200_000, "100–200k"),
    (200_000, float("inf"), "≥200k"),
)



def size_class_labels(lang: str = "en") -> dict[str, str]:
    """Long labels of the size classes in ``lang`` ("en" or "sv"), from :data:`iopstudy.labels.LABELS`.

    Examples
    --------
    >>> size_class_labels("en")["≥200k"], size_class_labels("sv")["<10k"]
    ('200,000 and more', 'under 10 000')
    >>> list(size_class_labels()) == [b[2] for b in SIZE_CLASS_BINS]
    True
    """
    check_lang(lang)
    return {b[2]: label(f"size_class.{b[2]}", lang) for b in SIZE_CLASS_BINS}


def size_class(population: "pd.Series") -> "pd.Series":
    """Bin populations into the ordered size classes of :data:`SIZE_CLASS_BINS`.

    Examples
    --------
    >>> import pandas as pd
    >>> classes = size_class(pd.Series([9_999, 10_000, 49_999, 250_000]))
    >>> classes.tolist()
    ['<10k', '10–25k', '25–50k', '≥200k']
    >>> classes.cat.ordered, len(classes.cat.categories)
    (True, 6)
    """
    import numpy as np
    import pandas as pd

    edges = [b[0] for b in SIZE_CLASS_BINS] + [np.inf]
    labels = [b[2] for b in SIZE_CLASS_BINS]
    out = pd.cut(population, bins=edges, labels=labels, right=False)
    return out.astype(pd.CategoricalDtype(labels, ordered=True))


def skr_group_dtype() -> "pd.CategoricalDtype":
    import pandas as pd

    return pd.CategoricalDtype(list(SKR_GROUPS), ordered=True)


def reference_dir(data_dir: str | os.PathLike[str] | None) -> Path:
    """The folder of ``municipalities.csv``: in or below ``data_dir``, or the packaged one.

    ``data_dir`` may be the study folder, ``data/``, ``data/raw`` or ``data/raw/reference``;
    ``None`` uses the reference data shipped with iopstudy (never the current directory).
    """
    return data_folder(data_dir, "municipalities.csv", "reference", what="reference data")


def _read_csv_text(path: Path) -> "pd.DataFrame":
    import pandas as pd

    if not path.exists():
        raise InputError("reference file not found", file=str(path))
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


@lru_cache(maxsize=8)
def _load_counties_cached(ref_dir: str) -> "pd.DataFrame":
    import pandas as pd

    path = Path(ref_dir) / "counties.csv"
    df = _read_csv_text(path)
    need = ["county_code", "county_name", "region_name", "population", "population_year"]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}", file=str(path))
    bad = df.loc[~df["county_code"].str.fullmatch(r"\d{2}"), "county_code"]
    if len(bad):
        raise ReferenceDataError(f"{path}: county codes must be two digits, found {bad.tolist()}")
    if df["county_code"].duplicated().any():
        raise ReferenceDataError(f"{path}: duplicate county codes")
    if len(df) != 21:
        raise ReferenceDataError(f"{path}: expected 21 counties, found {len(df)}")
    df["population"] = pd.to_numeric(df["population"]).astype("int64")
    df["population_year"] = pd.to_numeric(df["population_year"]).astype("int64")
    return df[need].sort_values("county_code", ignore_index=True)


def load_counties(data_dir: str | os.PathLike[str] | None = None) -> "pd.DataFrame":
    """The 21 counties (län) and their regions, one row each.

    Parameters
    ----------
    data_dir
        Folder holding ``counties.csv`` (or a parent such as the project
        root or ``data/raw``). Defaults to the reference data shipped with iopstudy.

    Examples
    --------
    >>> c = load_counties()
    >>> len(c), list(c.columns)
    (21, ['county_code', 'county_name', 'region_name', 'population', 'population_year'])
    >>> c.loc[c.county_code == "01", ["county_name", "region_name"]].iloc[0].tolist()
    ['Stockholms län', 'Region Stockholm']
    """
    return _load_counties_cached(str(reference_dir(data_dir).resolve())).copy()


@lru_cache(maxsize=8)
def _load_municipalities_cached(ref_dir: str) -> "pd.DataFrame":
    import numpy as np
    import pandas as pd

    path = Path(ref_dir) / "municipalities.csv"
    df = _read_csv_text(path)
    need = [
        "kommun_code",
        "kommun_name",
        "county_code",
        "population",
        "population_year",
        "skr_group_code",
        "skr_group_name",
    ]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}", file=str(path))
    for i, code in enumerate(df["kommun_code"]):
        if not (len(code) == 4 and code.isdigit()):
            raise ReferenceDataError(
                f"{path}, row {i + 2}: kommun_code must be four digits, found {code!r}"
            )
    if df["kommun_code"].duplicated().any() or len(df) != 290:
        raise ReferenceDataError(
            f"{path}: expected 290 unique kommun codes, found {df['kommun_code'].nunique()} "
            f"unique in {len(df)} rows"
        )
    wrong = df["county_code"] != df["kommun_code"].str[:2]
    if wrong.any():
        i = int(np.flatnonzero(wrong.to_numpy())[0])
        raise ReferenceDataError(
            f"{path}, row {i + 2}: county_code {df['county_code'].iloc[i]!r} is not the first "
            f"two digits of kommun_code {df['kommun_code'].iloc[i]!r}"
        )
    unknown = set(df["skr_group_code"]) - set(SKR_GROUPS)
    if unknown:
        raise ReferenceDataError(f"{path}: unknown SKR group(s) {sorted(unknown)}")
    df["population"] = pd.to_numeric(df["population"]).astype("int64")
    df["population_year"] = pd.to_numeric(df["population_year"]).astype("int64")

    counties = _load_counties_cached(str(Path(ref_dir)))
    sums = df.groupby("county_code")["population"].sum()
    check = counties.set_index("county_code")["population"]
    diff = (sums.reindex(check.index) - check).fillna(-1)
    if (diff != 0).any():
        bad = diff[diff != 0].index.tolist()
        raise ReferenceDataError(
            f"{path}: municipal populations do not add up to the county rows for {bad}"
        )

    out = df[["kommun_code", "kommun_name", "county_code"]].merge(
        counties[["county_code", "county_name", "region_name"]], on="county_code", how="left"
    )
    out["population"] = df["population"].to_numpy()
    out["population_year"] = df["population_year"].to_numpy()
    out["log_population"] = np.log(out["population"].astype("float64"))
    out["size_class"] = size_class(out["population"])
    out["skr_group"] = df["skr_group_code"].astype(skr_group_dtype()).array
    out["skr_group_sv"] = df["skr_group_name"].to_numpy()
    out["skr_group_en"] = df["skr_group_code"].map(lambda c: SKR_GROUPS[c][1]).to_numpy()
    out["skr_main_group"] = (
        df["skr_group_code"].str[0].astype(pd.CategoricalDtype(["A", "B", "C"], ordered=True))
    ).array
    return out.sort_values("kommun_code", ignore_index=True)


def load_municipalities(data_dir: str | os.PathLike[str] | None = None) -> "pd.DataFrame":
    """All 290 municipalities with county, population, size class and SKR group.

    Validates on load: 290 unique four-digit codes, county code equal to the
    first two digits, known SKR groups, and municipal populations summing to
    each county row. Raises :class:`~iopstudy.errors.ReferenceDataError`
    otherwise.

    Parameters
    ----------
    data_dir
        Folder holding ``municipalities.csv`` and ``counties.csv`` (or a
        parent). Defaults to the reference data shipped with iopstudy (a copy of the
        repository's ``data/raw/reference``).

    Returns
    -------
    pandas.DataFrame
        One row per municipality; columns in the module docstring.

    Examples
    --------
    >>> m = load_municipalities()
    >>> m.loc[m.kommun_code == "1480", ["kommun_name", "skr_group"]].iloc[0].tolist()
    ['Göteborg', 'A1']
    """
    return _load_municipalities_cached(str(reference_dir(data_dir).resolve())).copy()


