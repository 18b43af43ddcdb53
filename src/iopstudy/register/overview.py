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
...                   "public_body_name": ["Lund", "Malmö", "Region Skåne"],
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
    value, a column per level and ``total``) and ``order`` (values by falling total)."""

    long: pd.DataFrame
    wide: pd.DataFrame
    order: list


def _levels(p: pd.DataFrame) -> list[str]:
    return list(LEVEL_ORDER) + sorted(set(p["level"]) - set(LEVEL_ORDER))


def by_level(partnerships: pd.DataFrame) -> pd.DataFrame:
    """Agreements, distinct public bodies and agreements with a start year, per level.

    Every level of :data:`LEVEL_ORDER` has a row (zero when none was found); ``share_of_agreements``
    is the level's share of all agreements.
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
    start, distinct source pages; most agreements first."""
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
    """Agreements per county (rows) and level (columns), with a ``total`` column."""
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
    ``agreements``, ``share``)."""
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
    """Agreements by the precision of their start and end dates (``precision``, ``start``, ``end``)."""
    p = partnerships
    return (
        pd.concat([p["start_precision"].value_counts().rename("start"),
                   p["end_precision"].value_counts().rename("end")], axis=1)
        .fillna(0).astype(int).rename_axis("precision").reset_index()
    )


def amount_periods(partnerships: pd.DataFrame) -> pd.DataFrame:
    """What the parsed amounts refer to (``amount_period``, ``agreements``)."""
    p = partnerships
    return (
        p.loc[p["amount_sek"].notna(), "amount_period"].value_counts()
        .rename_axis("amount_period").reset_index(name="agreements")
    )


def frequent_partners(partners: pd.DataFrame, partnerships: pd.DataFrame) -> pd.DataFrame:
    """Organisations (by ``partner_key``) in more than one agreement, with the number of
    agreements and of public bodies."""
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
    """The build's problems grouped by ``severity``, ``column`` and ``message`` (``rows``)."""
    if not len(problems):
        return pd.DataFrame(columns=["severity", "column", "message", "rows"])
    return (
        problems.groupby(["severity", "column", "message"]).size().rename("rows").reset_index()
        .sort_values(["severity", "rows"], ascending=[True, False], ignore_index=True)
    )


def match_table(partnerships: pd.DataFrame) -> pd.DataFrame:
    """How each public body was resolved (``exact``, ``rule``, ``fuzzy``, ``context``,
    ``manual``) by level (wide, one column per level)."""
    return partnerships.groupby(["public_body_match", "level"]).size().unstack("level", fill_value=0)


def covered_municipalities(bodies: pd.DataFrame, municipalities: pd.DataFrame) -> pd.DataFrame:
    """The kommun-level public bodies of :func:`by_public_body` with their population, size
    class and SKR group, largest first."""
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
    counties with any agreement, regions found, counties with none (names)."""
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
