"""What the register holds: the descriptive tables of the register overview (notebook 01).

Every function takes the processed tables (``partnerships``, ``partners``, the municipalities)
and returns a tidy DataFrame, or a :class:`CountTable` holding the long counts and their wide
form, so a notebook only displays and saves them.

=============================  ==========================================================
by_level                       agreements, public bodies and dated starts per level
by_public_body                 one row per public body: agreements, dates, source pages
by_county                      agreements per county and level (wide)
count_table                    counts of a column by level, long and wide (source kinds,
                               organisation types)
dating_summary                 how many agreements have start, end, amount …
date_precision                 precision of the start and end dates
amount_periods                 what the parsed amounts refer to
frequent_partners              organisations in more than one agreement
problem_summary                build problems grouped by severity, column and message
match_table                    how each public body was resolved, by level
covered_municipalities         the municipalities with a found agreement and their size
coverage_summary               the numbers the coverage paragraph quotes
=============================  ==========================================================

Examples
--------
>>> import pandas as pd
>>> p = pd.DataFrame({"record_id": ["a", "b", "c"], "level": ["kommun", "kommun", "region"],
...                   "public_body_name": ["Aby", "Bby", "Region Exempel"],  # illustrative
...                   "start_year": [2015, None, 2020]})
>>> by_level(p)[["level", "agreements", "public_bodies", "with_start_year"]]
    level  agreements  public_bodies  with_start_year
0  kommun           2              2                1
1  region           1              1                1
2    stat           0              0                0
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from iopstudy.errors import require_columns
from iopstudy.register.schemas import LEVELS as LEVEL_ORDER

__all__ = [
    "CountTable",
    "by_level",
    "by_public_body",
    "by_county",
    "count_table",
    "dating_summary",
    "date_precision",
    "amount_periods",
    "frequent_partners",
    "problem_summary",
    "match_table",
    "covered_municipalities",
    "coverage_summary",
]


class CountTable(NamedTuple):
    """Counts of one column by level: ``long`` (column, level, count), ``wide`` (one row per
    value, a column per level and ``total``) and ``order`` (values by falling total).

    Examples
    --------
    >>> p = pd.DataFrame({"source_kind": ["rapport", "nyhet", "nyhet"], "level": ["kommun", "kommun", "region"]})
    >>> t = count_table(p, "source_kind")
    >>> type(t).__name__, t.order, list(t.wide.columns)
    ('CountTable', ['nyhet', 'rapport'], ['kommun', 'region', 'total'])
    """

    long: pd.DataFrame
    wide: pd.DataFrame
    order: list


def _levels(p: pd.DataFrame) -> list[str]:
    return list(LEVEL_ORDER) + sorted(set(p["level"]) - set(LEVEL_ORDER))


def by_level(partnerships: pd.DataFrame) -> pd.DataFrame:
    """Agreements, distinct public bodies and agreements with a start year, per level.

    Every level of :data:`LEVEL_ORDER` has a row (zero when none was found); ``share_of_agreements``
    is the level's share of all agreements.

    Examples
    --------
    >>> p = pd.DataFrame({"record_id": ["A1", "A2", "A3", "A4"],
    ...                   "level": ["kommun", "kommun", "kommun", "region"],
    ...                   "public_body_name": ["Aby", "Aby", "Bby", "Region Exempel"],
    ...                   "start_year": pd.array([2015, 2019, None, 2020], dtype="Int64")})
    >>> out = by_level(p)
    >>> out[["level", "agreements", "public_bodies", "with_start_year"]].values.tolist()
    [['kommun', 3, 2, 2], ['region', 1, 1, 1], ['stat', 0, 0, 0]]
    >>> out["share_of_agreements"].tolist()
    [0.75, 0.25, 0.0]
    """
    p = partnerships
    require_columns(p, ["record_id", "level", "public_body_name", "start_year"], "partnerships")
    out = (
        p.groupby("level")
        .agg(agreements=("record_id", "size"), public_bodies=("public_body_name", "nunique"),
             with_start_year=("start_year", "count"))
        .reindex(_levels(p), fill_value=0)
        .rename_axis("level")
        .reset_index()
    )
    out["share_of_agreements"] = out["agreements"] / max(len(p), 1)
    return out


def by_public_body(partnerships: pd.DataFrame) -> pd.DataFrame:
    """One row per public body (and level): county, agreements, dated starts, first and last
    start, distinct source pages; most agreements first.

    Examples
    --------
    >>> p = pd.DataFrame({"record_id": ["A1", "A2", "A3"], "level": ["kommun"] * 3,
    ...                   "public_body_name": ["Bby", "Aby", "Aby"], "county_name": ["Exempel län"] * 3,
    ...                   "start_year": pd.array([None, 2015, 2019], dtype="Int64"),
    ...                   "source_url": ["https://example.org/b", "https://example.org/a", "https://example.org/a"]})
    >>> bodies = by_public_body(p)
    >>> bodies[["public_body_name", "agreements", "with_start_year", "source_pages"]].values.tolist()
    [['Aby', 2, 2, 1], ['Bby', 1, 0, 1]]
    >>> [int(bodies.loc[0, "first_start"]), int(bodies.loc[0, "last_start"])]
    [2015, 2019]
    """
    p = partnerships
    return (
        p.groupby(["public_body_name", "level"], dropna=False)
        .agg(county=("county_name", "first"), agreements=("record_id", "size"),
             with_start_year=("start_year", "count"), first_start=("start_year", "min"),
             last_start=("start_year", "max"), source_pages=("source_url", "nunique"))
        .reset_index()
        .sort_values(["agreements", "public_body_name"], ascending=[False, True], ignore_index=True)
    )


def by_county(partnerships: pd.DataFrame) -> pd.DataFrame:
    """Agreements per county (rows) and level (columns), with a ``total`` column.

    Examples
    --------
    >>> p = pd.DataFrame({"county_code": ["98", "99", "99", "99"],
    ...                   "county_name": ["Annat län", "Exempel län", "Exempel län", "Exempel län"],
    ...                   "level": ["kommun", "kommun", "kommun", "region"]})
    >>> out = by_county(p)
    >>> list(out.columns)
    ['county_code', 'county_name', 'kommun', 'region', 'total']
    >>> out.values.tolist()
    [['98', 'Annat län', 1, 0, 1], ['99', 'Exempel län', 2, 1, 3]]
    """
    p = partnerships
    out = (
        p.groupby(["county_code", "county_name", "level"]).size().unstack("level", fill_value=0)
        .reset_index().rename_axis(columns=None)
    )
    out["total"] = out.drop(columns=["county_code", "county_name"]).sum(axis=1)
    return out


def count_table(df: pd.DataFrame, column: str, *, fill: str | None = None) -> CountTable:
    """Counts of ``column`` by ``level``: long, wide (with ``total``) and the order by total.

    Parameters
    ----------
    df
        ``partnerships`` or ``partners`` (any table with ``level`` and ``column``).
    column
        The column to count (``"source_kind"``, ``"org_type"``).
    fill
        Text for missing values of ``column`` (``""`` keeps unstated source kinds as a group).

    Examples
    --------
    >>> p = pd.DataFrame({"source_kind": ["rapport", "nyhet", "nyhet", None],
    ...                   "level": ["kommun", "kommun", "region", "kommun"]})
    >>> t = count_table(p, "source_kind", fill="")
    >>> t.order
    ['nyhet', '', 'rapport']
    >>> t.long.values.tolist()
    [['', 'kommun', 1], ['nyhet', 'kommun', 1], ['nyhet', 'region', 1], ['rapport', 'kommun', 1]]
    >>> t.wide["total"].tolist()
    [2, 1, 1]
    """
    require_columns(df, [column, "level"], "table")
    d = df.assign(**{column: df[column].fillna(fill)}) if fill is not None else df
    long = d.groupby([column, "level"], observed=True).size().rename("count").reset_index()
    order = (
        long.groupby(column, observed=True)["count"].sum()
        .sort_values(ascending=False, kind="mergesort").index.tolist()
    )
    wide = long.pivot_table(index=column, columns="level", values="count", aggfunc="sum",
                            fill_value=0, observed=True).reindex(order)
    wide["total"] = wide.sum(axis=1)
    return CountTable(long, wide, order)


def dating_summary(partnerships: pd.DataFrame) -> pd.DataFrame:
    """How many agreements have a start, an end, both, neither, an amount (``what``,
    ``agreements``, ``share``).

    Examples
    --------
    >>> p = pd.DataFrame({"start_year": pd.array([2015, 2019, None], dtype="Int64"),
    ...                   "end_year": pd.array([2017, None, 2021], dtype="Int64"),
    ...                   "open_ended": [False, True, False],
    ...                   "amount_text": ["500 000 kr per år", "", "ett bidrag"],
    ...                   "amount_sek": [500_000.0, None, None]})
    >>> s = dating_summary(p).set_index("what")["agreements"]
    >>> int(s["start and end known"]), int(s["only a start"]), int(s["only an end"]), int(s["open-ended (tills vidare)"])
    (1, 1, 1, 1)
    >>> int(s["amount stated (text)"]), int(s["amount parsed to SEK"])
    (2, 1)
    """
    p = partnerships
    has_s, has_e = p["start_year"].notna(), p["end_year"].notna()
    out = pd.DataFrame(
        [
            ("start year known", int(has_s.sum())),
            ("end year known", int(has_e.sum())),
            ("start and end known", int((has_s & has_e).sum())),
            ("only a start", int((has_s & ~has_e).sum())),
            ("only an end", int((~has_s & has_e).sum())),
            ("no date at all", int((~has_s & ~has_e).sum())),
            ("open-ended (tills vidare)", int(p["open_ended"].sum())),
            ("amount stated (text)", int((p["amount_text"].fillna("") != "").sum())),
            ("amount parsed to SEK", int(p["amount_sek"].notna().sum())),
        ],
        columns=["what", "agreements"],
    )
    out["share"] = out["agreements"] / max(len(p), 1)
    return out


def date_precision(partnerships: pd.DataFrame) -> pd.DataFrame:
    """Agreements by the precision of their start and end dates (``precision``, ``start``, ``end``).

    Examples
    --------
    >>> p = pd.DataFrame({"start_precision": ["day", "year", "none", "year"],
    ...                   "end_precision": ["year", "none", "none", "day"]})
    >>> out = date_precision(p)
    >>> list(out.columns)
    ['precision', 'start', 'end']
    >>> sorted(out.values.tolist())
    [['day', 1, 1], ['none', 1, 2], ['year', 2, 1]]
    """
    p = partnerships
    return (
        pd.concat([p["start_precision"].value_counts().rename("start"),
                   p["end_precision"].value_counts().rename("end")], axis=1)
        .fillna(0).astype(int).rename_axis("precision").reset_index()
    )


def amount_periods(partnerships: pd.DataFrame) -> pd.DataFrame:
    """What the parsed amounts refer to (``amount_period``, ``agreements``).

    Examples
    --------
    >>> p = pd.DataFrame({"amount_sek": [500_000.0, 250_000.0, None, 2_000_000.0],
    ...                   "amount_period": ["per_year", "per_year", "unknown", "total"]})
    >>> amount_periods(p).values.tolist()
    [['per_year', 2], ['total', 1]]
    """
    p = partnerships
    return (
        p.loc[p["amount_sek"].notna(), "amount_period"].value_counts()
        .rename_axis("amount_period").reset_index(name="agreements")
    )


def frequent_partners(partners: pd.DataFrame, partnerships: pd.DataFrame) -> pd.DataFrame:
    """Organisations (by ``partner_key``) in more than one agreement, with the number of
    agreements and of public bodies.

    Examples
    --------
    >>> p = pd.DataFrame({"record_id": ["A1", "A2", "A3"], "public_body_name": ["Aby", "Bby", "Bby"]})
    >>> partners = pd.DataFrame({"record_id": ["A1", "A2", "A3", "A3"],
    ...                          "partner_key": ["forening x", "forening x", "forening x", "stiftelse y"],
    ...                          "partner_name": ["Föreningen X", "Förening X", "Föreningen X", "Stiftelsen Y"]})
    >>> frequent_partners(partners, p).values.tolist()
    [['forening x', 'Föreningen X', 3, 2]]
    """
    return (
        partners.merge(partnerships[["record_id", "public_body_name"]], on="record_id")
        .groupby("partner_key")
        .agg(name=("partner_name", "first"), agreements=("record_id", "nunique"),
             public_bodies=("public_body_name", "nunique"))
        .query("agreements > 1")
        .sort_values(["agreements", "public_bodies"], ascending=False)
        .reset_index()
    )


def problem_summary(problems: pd.DataFrame) -> pd.DataFrame:
    """The build's problems grouped by ``severity``, ``column`` and ``message`` (``rows``).

    Examples
    --------
    >>> problems = pd.DataFrame({"file": ["r.csv"] * 3, "row": [2, 3, 5],
    ...                          "column": ["start", "start", "public_party"],
    ...                          "value": ["våren", "hösten", "Kommunen"],
    ...                          "severity": ["warning", "warning", "error"],
    ...                          "message": ["no year", "no year", "unknown public party"]})
    >>> problem_summary(problems).values.tolist()
    [['error', 'public_party', 'unknown public party', 1], ['warning', 'start', 'no year', 2]]
    >>> list(problem_summary(problems.iloc[:0]).columns)
    ['severity', 'column', 'message', 'rows']
    """
    if not len(problems):
        return pd.DataFrame(columns=["severity", "column", "message", "rows"])
    return (
        problems.groupby(["severity", "column", "message"]).size().rename("rows").reset_index()
        .sort_values(["severity", "rows"], ascending=[True, False], ignore_index=True)
    )


def match_table(partnerships: pd.DataFrame) -> pd.DataFrame:
    """How each public body was resolved (``exact``, ``rule``, ``fuzzy``, ``context``,
    ``manual``) by level (wide, one column per level).

    Examples
    --------
    >>> p = pd.DataFrame({"public_body_match": ["exact", "rule", "exact", "exact"],
    ...                   "level": ["kommun", "kommun", "kommun", "region"]})
    >>> t = match_table(p)
    >>> list(t.index), list(t.columns)
    (['exact', 'rule'], ['kommun', 'region'])
    >>> t["kommun"].tolist(), t["region"].tolist()
    ([2, 1], [1, 0])
    """
    return partnerships.groupby(["public_body_match", "level"]).size().unstack("level", fill_value=0)


def covered_municipalities(bodies: pd.DataFrame, municipalities: pd.DataFrame) -> pd.DataFrame:
    """The kommun-level public bodies of :func:`by_public_body` with their population, size
    class and SKR group, largest first.

    Examples
    --------
    Two illustrative municipalities, one with two agreements:

    >>> m = pd.DataFrame({"kommun_name": ["Aby", "Bby"], "population": [30_000, 10_000],
    ...                   "size_class": ["25–50k", "10–25k"], "skr_group": ["B3", "C8"]})
    >>> bodies = pd.DataFrame({"public_body_name": ["Bby", "Aby", "Region Exempel"],
    ...                        "level": ["kommun", "kommun", "region"], "county": ["Exempel län"] * 3,
    ...                        "agreements": [1, 2, 1], "with_start_year": [0, 2, 1]})
    >>> out = covered_municipalities(bodies, m)
    >>> out[["public_body_name", "population", "size_class", "agreements"]].values.tolist()
    [['Aby', 30000, '25–50k', 2], ['Bby', 10000, '10–25k', 1]]
    """
    return (
        bodies[bodies["level"] == "kommun"]
        .merge(municipalities[["kommun_name", "population", "size_class", "skr_group"]],
               left_on="public_body_name", right_on="kommun_name", how="left")
        [["public_body_name", "county", "population", "size_class", "skr_group", "agreements", "with_start_year"]]
        .sort_values("population", ascending=False, ignore_index=True)
    )


def coverage_summary(partnerships: pd.DataFrame, municipalities: pd.DataFrame,
                     coverage_by_county: pd.DataFrame) -> dict:
    """The numbers of the coverage paragraph: municipalities found, their population share,
    counties with any agreement, regions found, counties with none (names).

    Examples
    --------
    An illustrative county of three municipalities, agreements in two of them and one of its region:

    >>> from iopstudy.register.describe import coverage_by
    >>> m = pd.DataFrame({"kommun_code": ["9901", "9902", "9903"], "county_code": ["99"] * 3,
    ...                   "county_name": ["Exempel län"] * 3, "population": [30_000, 10_000, 40_000]})
    >>> p = pd.DataFrame({"level": ["kommun", "kommun", "region"], "kommun_code": ["9901", "9902", None],
    ...                   "county_code": ["99"] * 3})
    >>> s = coverage_summary(p, m, coverage_by(p, m))
    >>> s["municipalities_found"], s["municipalities"], float(round(s["population_share"], 3))
    (2, 3, 0.5)
    >>> s["regions_found"], s["counties_without"]
    (1, [])
    """
    p, muni, cov = partnerships, municipalities, coverage_by_county
    found = muni["kommun_code"].isin(p["kommun_code"].dropna())
    empty = cov.loc[(cov["municipalities_found"] == 0) & (cov["region_agreements"] == 0), "county_name"]
    return {
        "municipalities_found": int(cov["municipalities_found"].sum()),
        "municipalities": len(muni),
        "population_share": muni.loc[found, "population"].sum() / muni["population"].sum(),
        "counties_with_any": int(p["county_code"].dropna().nunique()),
        "counties": len(cov),
        "regions_found": int((cov["region_agreements"] > 0).sum()),
        "counties_without": list(empty),
    }
