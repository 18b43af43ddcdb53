"""Policy areas across bodies, periods and the 2022 refugee question (notebook 03).

=============================  ==========================================================
concentration_table            top-k shares and HHI over municipalities, bodies, levels
                               and areas, with readable names
refugee_agreements             agreements on refugee reception/integration or mentioning
                               Ukraine, by period, and the 2022-vs-earlier test
=============================  ==========================================================

Examples
--------
>>> import pandas as pd
>>> p = pd.DataFrame({"record_id": list("abcd"), "kommun_code": ["9901", "9901", "9902", None],  # illustrative
...                   "public_body_name": ["Aby", "Aby", "Bby", "Region Exempel"],
...                   "level": ["kommun", "kommun", "kommun", "region"],
...                   "policy_area_primary": ["social", "social", "culture", "health"]})
>>> t = concentration_table(p, n_municipalities=290)
>>> t[["units", "n_agreements", "top1_share"]].head(2)
                              units  n_agreements  top1_share
0           municipalities (of all)             3    0.666667
1  public bodies found (all levels)             4    0.500000
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

from iopstudy.spread.contingency import concentration, contingency_test
from iopstudy.spread.curves import period_of
from iopstudy.spread.describe import period_with_undated
from iopstudy.spread.results import DEFAULT_SEED

__all__ = ["concentration_table", "RefugeeTables", "refugee_agreements", "REFUGEE_AREA"]

#: The policy area of refugee reception and integration in the vocabulary.
REFUGEE_AREA = "refugees_integration"


def concentration_table(
    partnerships: pd.DataFrame,
    *,
    n_municipalities: int,
    unit_names: Mapping[str, str] | None = None,
    area_names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """:func:`~iopstudy.spread.concentration` over four kinds of unit, one table.

    Rows: municipalities (of all ``n_municipalities``), public bodies found (all levels), public
    bodies by level, public bodies by primary area (column ``units`` says which). ``top_unit``
    is shown by name (``unit_names``: code → name) and ``group`` by area name (``area_names``).

    Examples
    --------
    >>> p = pd.DataFrame({"kommun_code": ["0001", "0001", "0002", None],
    ...                   "public_body_name": ["Town A", "Town A", "Town B", "Region C"],
    ...                   "level": ["kommun", "kommun", "kommun", "region"],
    ...                   "policy_area_primary": ["social", "social", "culture", "health"]})
    >>> t = concentration_table(p, n_municipalities=10, unit_names={"0001": "Town A"},
    ...                         area_names={"social": "Social services"})
    >>> t[["units", "group", "n_agreements", "top_unit"]].values.tolist()[:3]
    [['municipalities (of all)', 'all', 3, 'Town A'],
     ['public bodies found (all levels)', 'all', 4, 'Town A'],
     ['public bodies found, by level', 'kommun', 3, 'Town A']]
    >>> t.loc[t["units"] == "public bodies found, by primary area", "group"].tolist()
    ['culture', 'health', 'Social services']
    """
    p = partnerships
    out = pd.concat([
        concentration(p, "kommun_code", n_units=n_municipalities).assign(units="municipalities (of all)"),
        concentration(p, "public_body_name").assign(units="public bodies found (all levels)"),
        concentration(p, "public_body_name", by="level").assign(units="public bodies found, by level"),
        concentration(p, "public_body_name", by="policy_area_primary").assign(units="public bodies found, by primary area"),
    ], ignore_index=True)
    names, areas = dict(unit_names or {}), dict(area_names or {})
    out["top_unit"] = out["top_unit"].map(lambda u: names.get(u, u))
    out["group"] = [areas.get(g, g) for g in out["group"]]
    return out


class RefugeeTables(NamedTuple):
    """The tables of the refugee question.

    ``by_period``: ``period``, ``agreements``, ``refugees_integration``, ``share``;
    ``rows``: the agreements on refugees or mentioning Ukraine (``mentions_ukraine``);
    ``test``: the 2022-or-later vs earlier test among dated agreements (one row of
    :func:`~iopstudy.spread.contingency_test`); ``counts``: the numbers the text quotes.

    Examples
    --------
    >>> p = pd.DataFrame({"record_id": ["r1", "r2"], "public_body_name": ["Town A", "Town B"],
    ...     "level": ["kommun"] * 2, "start_year": pd.array([2015, 2023], dtype="Int64"),
    ...     "end_year": pd.array([None, None], dtype="Int64"),
    ...     "policy_area_primary": ["culture", REFUGEE_AREA], "policy_area_secondary": [None, None],
    ...     "policy_area_text": ["culture", "reception"]})
    >>> r = refugee_agreements(p)
    >>> r._fields, r.rows["record_id"].tolist(), r.counts["refugee"]
    (('by_period', 'rows', 'test', 'counts'), ['r2'], 1)
    """

    by_period: pd.DataFrame
    rows: pd.DataFrame
    test: pd.DataFrame
    counts: dict


def refugee_agreements(
    partnerships: pd.DataFrame, *, recent_from: int = 2022, seed: int = DEFAULT_SEED
) -> RefugeeTables:
    """Agreements on refugee reception or integration, and whether they grew from ``recent_from``.

    An agreement counts when its primary or secondary area is :data:`REFUGEE_AREA`; agreements
    whose title, area text or evidence mention Ukraine are listed too. The test compares the
    share of refugee agreements among dated agreements of the period starting in
    ``recent_from`` with the earlier ones.

    Examples
    --------
    Five illustrative agreements: two with refugees as the primary area (one of them
    undated), and one that mentions Ukraine with refugees as its secondary area:

    >>> p = pd.DataFrame({"record_id": ["r1", "r2", "r3", "r4", "r5"],
    ...     "public_body_name": ["Town A", "Town A", "Town B", "Town B", "Region C"],
    ...     "level": ["kommun"] * 4 + ["region"],
    ...     "start_year": pd.array([2015, 2022, 2023, None, 2012], dtype="Int64"),
    ...     "end_year": pd.array([None] * 5, dtype="Int64"),
    ...     "policy_area_primary": ["culture", REFUGEE_AREA, "social", REFUGEE_AREA, "health"],
    ...     "policy_area_secondary": [None, None, REFUGEE_AREA, None, None],
    ...     "policy_area_text": ["culture", "reception", "help for people from Ukraine", "integration",
    ...                          "health"]})
    >>> r = refugee_agreements(p)
    >>> r.by_period.values.tolist()
    [['2010–2015', 2, 0, 0.0], ['2022–', 2, 2, 1.0], ['undated', 1, 1, 1.0]]
    >>> r.rows[["record_id", "mentions_ukraine"]].values.tolist()
    [['r2', False], ['r3', True], ['r4', False]]
    >>> {k: r.counts[k] for k in ["refugee", "refugee_dated", "refugee_recent", "ukraine_bodies"]}
    {'refugee': 3, 'refugee_dated': 2, 'refugee_recent': 2, 'ukraine_bodies': ['Town B r3']}
    >>> r.test["test"].iloc[0]
    'Fisher exact (2x2)'
    """
    p = partnerships
    periods = period_with_undated(p)
    is_ref = (p["policy_area_primary"] == REFUGEE_AREA) | (p["policy_area_secondary"] == REFUGEE_AREA)
    by_period = (
        pd.DataFrame({"period": periods, "refugees_integration": is_ref})
        .groupby("period", observed=False)["refugees_integration"].agg(agreements="size", refugees_integration="sum")
        .reset_index()
    )
    by_period["share"] = by_period["refugees_integration"] / by_period["agreements"].replace(0, np.nan)
    by_period["period"] = by_period["period"].astype(str)

    text_cols = [c for c in ["title", "policy_area_text", "evidence"] if c in p.columns]
    ukraine = p[text_cols].fillna("").apply(lambda s: s.str.contains("ukrain", case=False)).any(axis=1)
    cols = ["record_id", "public_body_name", "level", "start_year", "end_year", "policy_area_primary",
            "policy_area_secondary", "policy_area_text"]
    rows = p.loc[is_ref | ukraine, cols].assign(mentions_ukraine=ukraine[is_ref | ukraine])

    first_recent = period_of(recent_from)
    dated = p["start_year"].notna()
    recent = dated & (periods.astype(str) == first_recent)
    tab = pd.crosstab(recent[dated], is_ref[dated]).reindex(index=[False, True], columns=[False, True], fill_value=0)
    test = contingency_test(tab, seed=seed)
    uk = p[ukraine]
    counts = {
        "refugee": int(is_ref.sum()),
        "refugee_dated": int((is_ref & dated).sum()),
        "refugee_recent": int((is_ref & recent).sum()),
        "recent": int(recent.sum()),
        "recent_period": first_recent,
        "ukraine": len(uk),
        "ukraine_dated": int(uk["start_year"].notna().sum()),
        "ukraine_bodies": list(uk["public_body_name"] + " " + uk["record_id"]),
    }
    return RefugeeTables(by_period, rows, test, counts)
