"""The municipality-year panel: one row per municipality and year from 2010.

:func:`municipality_panel` joins the agreements to all 290 municipalities: agreements active and
started in the year, the year of the first dated start (``first_iop_year``) and of the first
dated start or end (``first_evidence_year``), ``ever_adopted`` (any kommun-level agreement
found, dated or not), with population, size class, SKR group and county. A municipality without
a found agreement is *unknown*, not a non-adopter; the columns say "found".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "municipality_panel",
]


#: The first year of the municipality panel: IOP was launched in 2010.
PANEL_FIRST_YEAR = 2010


def municipality_panel(
    partnerships: "pd.DataFrame",
    municipalities: "pd.DataFrame | None" = None,
    *,
    first_year: int = PANEL_FIRST_YEAR,
    last_year: int | None = None,
) -> "pd.DataFrame":
    """Every municipality × every year, with IOP counts and adoption.

    Only kommun-level agreements count; region and state agreements are
    left out (they are in ``partnerships``, marked by ``level``).

    Parameters
    ----------
    partnerships
        The clean agreements (``level``, ``kommun_code``, ``start_year``,
        ``end_year``, ``open_ended``).
    municipalities
        Reference table from :func:`iopstudy.reference.load_municipalities`.
    first_year, last_year
        Years covered. ``last_year`` defaults to the latest start or end
        year in the data (at least ``first_year``).

    Returns
    -------
    pandas.DataFrame
        One row per ``kommun_code`` × ``year``:

        - ``iops_active``: agreements whose known period covers the year. An
          agreement counts from its start year to its end year; with no end
          year it counts from its start year to ``last_year`` only if it is
          open-ended ("tills vidare"), otherwise in its start year only; with
          no start year it counts in its end year only. Undated agreements
          never count here.
        - ``iops_started``: agreements that start in the year.
        - ``first_iop_year``: the earliest start year (NA if no dated start).
        - ``first_evidence_year``: the earliest year in which the register
          shows the municipality with an agreement (start year, or the end
          year of an agreement with no start).
        - ``ever_adopted``: the municipality has any kommun-level agreement,
          dated or not.
        - ``adopted``: ``first_iop_year <= year``.
        - ``iops_total``, ``iops_undated``: all agreements of the
          municipality, and those with neither start nor end year.
        - reference covariates: ``kommun_name``, ``county_code``,
          ``county_name``, ``population``, ``log_population``,
          ``size_class``, ``skr_group``, ``skr_main_group``.

    Notes
    -----
    "No IOP found" is not "no IOP": with a partial register, ``ever_adopted``
    is False for municipalities whose agreements were not found.

    Examples
    --------
    Two illustrative municipalities (the reference table's columns, other codes and names), three
    agreements of the first and one regional agreement, which does not count:

    >>> import pandas as pd
    >>> from iopstudy.reference.municipalities import load_municipalities
    >>> m = load_municipalities().head(2).assign(kommun_code=["9901", "9902"], kommun_name=["Aby", "Bby"])
    >>> p = pd.DataFrame({"level": ["kommun", "kommun", "kommun", "region"],
    ...                   "kommun_code": ["9901", "9901", "9901", None],
    ...                   "start_year": pd.array([2012, 2015, None, 2013], dtype="Int64"),
    ...                   "end_year": pd.array([2013, None, None, 2014], dtype="Int64"),
    ...                   "open_ended": [False, True, False, False]})
    >>> panel = municipality_panel(p, m, last_year=2016)
    >>> len(panel), int(panel["year"].min()), int(panel["year"].max())
    (14, 2010, 2016)
    >>> aby = panel[panel["kommun_code"] == "9901"]
    >>> aby[["year", "iops_active", "iops_started"]].values.tolist()
    [[2010, 0, 0], [2011, 0, 0], [2012, 1, 1], [2013, 1, 0], [2014, 0, 0], [2015, 1, 1], [2016, 1, 0]]
    >>> int(aby["first_iop_year"].iloc[0]), int(aby["iops_total"].iloc[0]), int(aby["iops_undated"].iloc[0])
    (2012, 3, 1)
    >>> panel.groupby("kommun_code")["ever_adopted"].first().tolist()  # Bby: none found, not "none"
    [True, False]
    """
    import numpy as np
    import pandas as pd

    from iopstudy.reference.municipalities import load_municipalities

    munis = load_municipalities() if municipalities is None else municipalities
    k = partnerships.loc[partnerships["level"] == "kommun"].copy()
    start = k["start_year"].astype("Int64")
    end = k["end_year"].astype("Int64")
    if last_year is None:
        years = pd.concat([start, end]).dropna()
        last_year = max(int(years.max()) if len(years) else first_year, first_year)
    yrs = np.arange(first_year, last_year + 1)

    # active interval per agreement (inclusive), NA when undated
    lo = start.fillna(end)
    hi = end.copy()
    no_end = end.isna() & start.notna()
    open_end = k["open_ended"].astype(bool)
    hi = hi.mask(no_end & open_end, last_year).mask(no_end & ~open_end, start)
    lo_a = lo.to_numpy(dtype="float64", na_value=np.nan)
    hi_a = hi.to_numpy(dtype="float64", na_value=np.nan)
    codes = k["kommun_code"].to_numpy()

    active = (lo_a[:, None] <= yrs[None, :]) & (yrs[None, :] <= hi_a[:, None])
    started = start.to_numpy(dtype="float64", na_value=np.nan)[:, None] == yrs[None, :]
    act = pd.DataFrame(active.astype("int64"), columns=yrs).groupby(codes).sum()
    sta = pd.DataFrame(started.astype("int64"), columns=yrs).groupby(codes).sum()

    grid = pd.MultiIndex.from_product([munis["kommun_code"], yrs], names=["kommun_code", "year"])
    panel = pd.DataFrame(index=grid).reset_index()
    panel["year"] = panel["year"].astype("int64")
    stack = lambda w: w.stack().rename_axis(["kommun_code", "year"])  # noqa: E731
    panel = panel.merge(stack(act).rename("iops_active").reset_index(), how="left", on=["kommun_code", "year"])
    panel = panel.merge(stack(sta).rename("iops_started").reset_index(), how="left", on=["kommun_code", "year"])
    for c in ("iops_active", "iops_started"):
        panel[c] = panel[c].fillna(0).astype("int64")

    g = k.assign(start_year=start, end_year=end, ev=start.fillna(end)).groupby("kommun_code")
    per = pd.DataFrame(
        {
            "first_iop_year": g["start_year"].min(),
            "first_evidence_year": g["ev"].min(),
            "iops_total": g.size(),
            "iops_undated": (start.isna() & end.isna()).groupby(k["kommun_code"].to_numpy()).sum(),
        }
    )
    panel = panel.merge(per, how="left", left_on="kommun_code", right_index=True)
    panel["first_iop_year"] = panel["first_iop_year"].astype("Int64")
    panel["first_evidence_year"] = panel["first_evidence_year"].astype("Int64")
    panel["iops_total"] = panel["iops_total"].fillna(0).astype("int64")
    panel["iops_undated"] = panel["iops_undated"].fillna(0).astype("int64")
    panel["ever_adopted"] = panel["iops_total"] > 0
    panel["adopted"] = (panel["first_iop_year"] <= panel["year"]).fillna(False).astype(bool)

    cov = munis[
        [
            "kommun_code",
            "kommun_name",
            "county_code",
            "county_name",
            "population",
            "log_population",
            "size_class",
            "skr_group",
            "skr_main_group",
        ]
    ]
    panel = panel.merge(cov, on="kommun_code", how="left")
    cols = [
        "kommun_code", "year", "iops_active", "iops_started", "first_iop_year",
        "first_evidence_year", "ever_adopted", "adopted", "iops_total", "iops_undated",
        "kommun_name", "county_code", "county_name", "population", "log_population",
        "size_class", "skr_group", "skr_main_group",
    ]
    return panel[cols].sort_values(["kommun_code", "year"], ignore_index=True)
