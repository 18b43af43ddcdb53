"""Adoption curves: the share of units with a (found) IOP, year by year.

=========================  ===================================================
wilson_ci                  Wilson score interval of a proportion
expand_status_counts       unit × year table consistent with published counts
adoption_curve             share of units adopted (or in operation) per year
period_of                  ordered period categories from years
=========================  ===================================================
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from iopstudy.errors import InputError
from iopstudy.spread.design import check_no_na, require_columns

__all__ = [
    "DEFAULT_PERIOD_BREAKS",
    "wilson_ci",
    "expand_status_counts",
    "adoption_curve",
    "period_of",
]


#: Default period breaks: each is the first year of a period; the last is open-ended.
DEFAULT_PERIOD_BREAKS: tuple[int, ...] = (2010, 2016, 2020, 2022)


# --------------------------------------------------------------------------- proportions
def wilson_ci(successes: Any, n: Any, alpha: float = 0.05) -> pd.DataFrame:
    """Wilson score confidence interval of a proportion.

    Parameters
    ----------
    successes, n
        Numbers of successes and trials (scalars or array-likes of equal length).
    alpha
        1 - confidence level.

    Returns
    -------
    pandas.DataFrame
        Columns ``successes, n, share, ci_low, ci_high``; one row per input
        pair. ``share`` and the bounds are NaN where ``n == 0``.

    Notes
    -----
    With :math:`\\hat p = x/n` and :math:`z = \\Phi^{-1}(1-\\alpha/2)`,

    .. math::

        \\frac{\\hat p + z^2/(2n) \\pm z\\sqrt{\\hat p(1-\\hat p)/n + z^2/(4n^2)}}{1 + z^2/n}

    computed by ``statsmodels.stats.proportion.proportion_confint(method="wilson")``
    (R: ``prop.test(x, n, correct = FALSE)$conf.int``). Unlike the Wald
    interval it stays inside [0, 1] and is informative at 0 % and 100 %.

    Examples
    --------
    >>> wilson_ci(3, 10).round(4).to_dict("records")
    [{'successes': 3, 'n': 10, 'share': 0.3, 'ci_low': 0.1078, 'ci_high': 0.6032}]
    """
    from statsmodels.stats.proportion import proportion_confint

    x = np.atleast_1d(np.asarray(successes))
    m = np.atleast_1d(np.asarray(n))
    if x.shape != m.shape:
        raise InputError(f"wilson_ci: successes and n differ in length ({x.shape} vs {m.shape})")
    if np.any(x < 0) or np.any(m < 0) or np.any(x > m):
        raise InputError("wilson_ci: need 0 <= successes <= n")
    xf = x.astype(float)
    mf = m.astype(float)
    ok = mf > 0
    low = np.full(xf.shape, np.nan)
    high = np.full(xf.shape, np.nan)
    share = np.full(xf.shape, np.nan)
    if ok.any():
        lo, hi = proportion_confint(xf[ok], mf[ok], alpha=alpha, method="wilson")
        low[ok] = np.clip(lo, 0.0, 1.0)
        high[ok] = np.clip(hi, 0.0, 1.0)
        share[ok] = xf[ok] / mf[ok]
    return pd.DataFrame(
        {"successes": x, "n": m, "share": share, "ci_low": low, "ci_high": high}
    )


# --------------------------------------------------------------------------- adoption curves
def expand_status_counts(
    counts: pd.DataFrame,
    unit_ids: Sequence[str],
    *,
    year: str = "year",
    status_columns: Mapping[str, str] | Sequence[str] | None = None,
    unit: str = "unit",
    status: str = "status",
) -> pd.DataFrame:
    """A unit × year status table whose yearly counts equal published counts.

    Published series often give only yearly numbers of units per status (e.g.
    SKR's LOV series: in operation, decided, none, abolished; each year
    summing to 290). This builds *a* unit-level table with exactly those
    counts, so code written for unit-level panels can be checked against the
    published series.

    Parameters
    ----------
    counts
        One row per year: a ``year`` column and one count column per status.
    unit_ids
        The units (e.g. 290 kommun codes). Every row of ``counts`` must sum to
        ``len(unit_ids)``.
    year
        Name of the year column in ``counts``.
    status_columns
        Count columns to use, in assignment order, optionally mapped to status
        names (``{"lov_in_operation": "in_operation", ...}``). Default: every
        column except ``year``, status names equal to column names.
    unit, status
        Names of the output unit and status columns.

    Returns
    -------
    pandas.DataFrame
        Columns ``year, <unit>, <status>``; ``len(counts) * len(unit_ids)`` rows.

    Notes
    -----
    Year by year, the units are sorted by their status in the previous year
    (in the order of ``status_columns``) and then by id, and statuses are
    handed out in blocks of the published sizes. Units therefore keep their
    status from one year to the next where the counts allow, but the
    individual trajectories are *constructed*, not observed: use the result
    for yearly totals only.

    Examples
    --------
    Illustrative counts of three units; ``a`` keeps its status from 2020 to 2021:

    >>> counts = pd.DataFrame({"year": [2020, 2021], "in_operation": [1, 2], "none": [2, 1]})
    >>> expand_status_counts(counts, ["a", "b", "c"], unit="kommun_code").values.tolist()
    [[2020, 'a', 'in_operation'], [2020, 'b', 'none'], [2020, 'c', 'none'],
     [2021, 'a', 'in_operation'], [2021, 'b', 'in_operation'], [2021, 'c', 'none']]
    """
    require_columns(counts, [year], "expand_status_counts")
    if status_columns is None:
        mapping = {c: c for c in counts.columns if c != year}
    elif isinstance(status_columns, Mapping):
        mapping = dict(status_columns)
    else:
        mapping = {c: c for c in status_columns}
    require_columns(counts, list(mapping), "expand_status_counts")
    units = [str(u) for u in unit_ids]
    if len(set(units)) != len(units):
        raise InputError("expand_status_counts: unit_ids are not unique")
    order = {name: i for i, name in enumerate(mapping.values())}
    prev: dict[str, int] = {u: 0 for u in units}
    rows = []
    for i, rec in enumerate(counts.sort_values(year).to_dict("records")):
        ns = [int(rec[c]) for c in mapping]
        if sum(ns) != len(units):
            raise InputError(
                f"expand_status_counts: counts of year {rec[year]} sum to {sum(ns)}, not to the "
                f"{len(units)} units given",
                row=i,
            )
        ranked = sorted(units, key=lambda u: (prev[u], u))
        pos = 0
        for col, k in zip(mapping, ns):
            name = mapping[col]
            for u in ranked[pos : pos + k]:
                rows.append((rec[year], u, name))
                prev[u] = order[name]
            pos += k
    out = pd.DataFrame(rows, columns=[year, unit, status])
    out[year] = out[year].astype("int64")
    return out.sort_values([year, unit], ignore_index=True)


def adoption_curve(
    panel: pd.DataFrame,
    by: str | None = None,
    year: str = "year",
    unit: str = "kommun_code",
    adopted: str = "adopted",
    in_operation: str | None = None,
    *,
    in_operation_values: Collection[Any] = ("in_operation",),
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Share of units that have adopted (or have in operation) an innovation, per year.

    Two definitions:

    * **ever adopted by year t** (default, ``in_operation=None``): a unit
      counts from the first year its ``adopted`` column is true, and keeps
      counting afterwards (a cumulative maximum within unit, so exits are
      ignored). This is the usual diffusion curve.
    * **in operation in year t** (``in_operation=<column>``): a unit counts in
      the years the column says the innovation is in operation. The column is
      either boolean, or a status column whose values in
      ``in_operation_values`` mean "in operation" (e.g. ``status`` in
      ``{"in_operation", "decided", "none", "abolished"}``). Units can leave,
      as with LOV municipalities that abolished it; this reproduces published
      "in operation" series.

    Parameters
    ----------
    panel
        One row per unit × year.
    by
        Optional grouping column (e.g. ``"size_class"``, ``"skr_main_group"``);
        categorical order is kept.
    year, unit, adopted
        Column names.
    in_operation
        Column for the point-in-time definition (see above).
    in_operation_values
        Values of a non-boolean ``in_operation`` column that count as in operation.
    alpha
        1 - confidence level of the Wilson intervals.

    Returns
    -------
    pandas.DataFrame
        ``year, group, n_units, n_adopted, share, ci_low, ci_high, definition``;
        ``group`` is ``"all"`` without ``by``; ``definition`` is
        ``"ever_adopted_by_year"`` or ``"in_operation"``.

    Notes
    -----
    ``share = n_adopted / n_units`` with a Wilson interval (:func:`wilson_ci`).
    The units are treated as a sample from a super-population; for a census
    of all 290 municipalities the interval describes uncertainty about the
    process, not sampling error.

    Examples
    --------
    Unit ``a`` adopts in 2021, ``b`` in 2020 (and counts from then on), ``c`` never:

    >>> pan = pd.DataFrame({"kommun_code": list("aabbcc"), "year": [2020, 2021] * 3,
    ...                     "adopted": [False, True, True, False, False, False], "size": list("LLSSSS")})
    >>> adoption_curve(pan)[["year", "group", "n_adopted", "n_units", "definition"]].values.tolist()
    [[2020, 'all', 1, 3, 'ever_adopted_by_year'], [2021, 'all', 2, 3, 'ever_adopted_by_year']]
    >>> adoption_curve(pan, by="size")[["year", "group", "n_adopted", "n_units"]].values.tolist()
    [[2020, 'L', 0, 1], [2020, 'S', 1, 2], [2021, 'L', 1, 1], [2021, 'S', 1, 2]]

    With ``in_operation``, a unit counts only in the years the column says so:

    >>> adoption_curve(pan, in_operation="adopted")["n_adopted"].tolist()
    [1, 1]
    """
    where = "adoption_curve"
    status_col = in_operation if in_operation is not None else adopted
    cols = [year, unit, status_col] + ([by] if by else [])
    require_columns(panel, cols, where)
    check_no_na(panel, [year, unit, status_col], where)
    if panel.duplicated([unit, year]).any():
        dup = panel.loc[panel.duplicated([unit, year]), [unit, year]].iloc[0].tolist()
        raise InputError(f"{where}: more than one row per {unit} × {year}, e.g. {dup}")
    df = panel[cols].copy()
    s = df[status_col]
    if in_operation is None:
        if not pd.api.types.is_bool_dtype(s) and not pd.api.types.is_numeric_dtype(s):
            raise InputError(f"{where}: column {adopted!r} must be boolean", column=adopted)
        df = df.sort_values([unit, year])
        df["_flag"] = df[status_col].astype(bool).groupby(df[unit]).cummax()
        definition = "ever_adopted_by_year"
    else:
        if pd.api.types.is_bool_dtype(s):
            df["_flag"] = s.astype(bool)
        else:
            df["_flag"] = s.isin(list(in_operation_values))
        definition = "in_operation"
    if by is None:
        df["_group"] = "all"
    else:
        if df[by].isna().any():
            raise InputError(
                f"{where}: missing values in grouping column {by!r} "
                f"({int(df[by].isna().sum())} rows)",
                column=by,
            )
        df["_group"] = df[by]
    agg = (
        df.groupby([year, "_group"], observed=True, sort=True)["_flag"]
        .agg(n_units="size", n_adopted="sum")
        .reset_index()
        .rename(columns={"_group": "group", year: "year"})
    )
    ci = wilson_ci(agg["n_adopted"].to_numpy(), agg["n_units"].to_numpy(), alpha=alpha)
    agg["n_units"] = agg["n_units"].astype("int64")
    agg["n_adopted"] = agg["n_adopted"].astype("int64")
    agg["share"] = ci["share"].to_numpy()
    agg["ci_low"] = ci["ci_low"].to_numpy()
    agg["ci_high"] = ci["ci_high"].to_numpy()
    agg["definition"] = definition
    out = agg[
        ["year", "group", "n_units", "n_adopted", "share", "ci_low", "ci_high", "definition"]
    ].reset_index(drop=True)
    out.attrs["ci_level"] = round(100 * (1 - alpha))
    return out


# --------------------------------------------------------------------------- partnerships
def period_of(
    year: Any,
    breaks: Sequence[int] = DEFAULT_PERIOD_BREAKS,
) -> Any:
    """Ordered period categories of years.

    Parameters
    ----------
    year
        A year, or an array-like/Series of years (missing values stay missing).
    breaks
        Increasing first years of the periods; the last period is open-ended.

    Returns
    -------
    str, pandas.Categorical or pandas.Series
        Labels like ``"–2009"``, ``"2010–2015"``, ``"2016–2019"``,
        ``"2020–2021"``, ``"2022–"`` (en dashes), as an *ordered* categorical
        with all periods as categories (a Series keeps its index; a scalar
        gives a string or None).

    Examples
    --------
    >>> period_of(2017)
    '2016–2019'
    >>> period_of([2009, 2022]).tolist()
    ['–2009', '2022–']
    """
    b = [int(x) for x in breaks]
    if not b or any(x2 <= x1 for x1, x2 in zip(b, b[1:])):
        raise InputError(f"period_of: breaks must be increasing, got {list(breaks)}")
    labels = [f"–{b[0] - 1}"]
    for lo, hi in zip(b, b[1:]):
        labels.append(f"{lo}–{hi - 1}" if hi - 1 > lo else f"{lo}")
    labels.append(f"{b[-1]}–")
    dtype = pd.CategoricalDtype(labels, ordered=True)

    def one(y: Any) -> str | None:
        if y is None or pd.isna(y):
            return None
        i = int(np.searchsorted(b, int(y), side="right"))
        return labels[i]

    if np.isscalar(year) or year is None or year is pd.NA:
        return one(year)
    if isinstance(year, pd.Series):
        return pd.Series(pd.Categorical([one(v) for v in year], dtype=dtype), index=year.index, name=year.name)
    return pd.Categorical([one(v) for v in year], dtype=dtype)
