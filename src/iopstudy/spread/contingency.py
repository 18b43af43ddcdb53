"""Contingency tables and their tests: chi-square, Fisher and Freeman–Halton.

=========================  ===================================================
contingency_test           chi-square / exact test of a table, Cramér's V
adoption_crosstab          group × outcome table with a test
policy_composition         policy area × group table with a test
concentration              top-k shares and Herfindahl–Hirschman index
=========================  ===================================================

Small cells are normal in a partial register: exact tests are chosen when expected counts
are small (:data:`COCHRAN_RULE`), and the choice is written in the table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from iopstudy.errors import InputError
from iopstudy.spread.curves import DEFAULT_PERIOD_BREAKS, period_of, wilson_ci
from iopstudy.spread.design import check_no_na, require_columns
from iopstudy.spread.results import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    TEST_COLUMNS,
    CrosstabResult,
)

__all__ = [
    "COCHRAN_RULE",
    "cochran_ok",
    "adoption_crosstab",
    "contingency_test",
    "policy_composition",
    "concentration",
]


#: The rule used by :func:`contingency_test` to choose between tests (Cochran 1954).
COCHRAN_RULE = (
    "Cochran (1954): chi-square test if no expected count is below 1 and at most 20% are "
    "below 5 (for a 2x2 table: all at least 5), otherwise Fisher's exact test"
)


def cochran_ok(expected: Any) -> bool:
    """Cochran's (1954) rule: no expected count below 1 and at most 20 % of them below 5.

    For a 2 × 2 table one cell is already 25 %, so every expected count must
    be at least 5 there.

    Examples
    --------
    >>> cochran_ok([[6, 7], [8, 4.5]])
    False
    >>> cochran_ok([[6, 7, 9, 8, 6], [8, 4.5, 9, 7, 10]])
    True
    """
    e = np.asarray(expected, dtype=float)
    return bool(e.min() >= 1 and np.mean(e < 5) <= 0.2)


# --------------------------------------------------------------------------- contingency tables
def contingency_test(
    table: Any,
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """Test of independence on an r × c count table, chosen by Cochran's rule.

    Parameters
    ----------
    table
        2-D array-like of non-negative counts (or a DataFrame of counts).
    n_resamples, seed
        Monte Carlo resamples and seed of the Fisher–Freeman–Halton test used
        for tables larger than 2 × 2 with small expected counts.

    Returns
    -------
    pandas.DataFrame
        One row: ``test, statistic, dof, p_value, cramers_v, min_expected,
        rule, note, n``.

    Notes
    -----
    Rows and columns that are all zero are dropped first (and the note says
    so). Then, with expected counts :math:`E_{ij} = R_i C_j / N`:

    * Cochran's (1954) rule holds (:func:`cochran_ok`: no :math:`E_{ij} < 1`
      and at most 20 % of them below 5; in a 2 × 2 table every
      :math:`E_{ij} \\ge 5`) → Pearson's chi-square test,
      ``scipy.stats.chi2_contingency`` with its default ``correction=True``:
      Yates' continuity correction for 2 × 2 tables (dof = 1) only
      (R: ``chisq.test(x)``);
    * otherwise, 2 × 2 → ``scipy.stats.fisher_exact`` (exact two-sided
      p-value; ``statistic`` is the sample odds ratio; R: ``fisher.test``);
    * otherwise, r × c → the Fisher–Freeman–Halton test: ``statistic`` is
      NaN (the test has no statistic beside the ordering by table
      probability; the probability of the observed table given the margins
      is in the note), ``p_value`` by Monte Carlo with a fixed seed, by the
      algorithm of
      ``scipy.stats.fisher_exact(table, method=MonteCarloMethod(n_resamples,
      rng))`` (R: ``fisher.test(x, simulate.p.value = TRUE, B =
      n_resamples)``); see :func:`_fisher_monte_carlo`.
      The note gives the Monte Carlo standard error
      :math:`\\sqrt{p(1-p)/B}`.

    Cramér's :math:`V = \\sqrt{\\chi^2 / (N (\\min(r, c) - 1))}` uses the
    uncorrected chi-square (``scipy.stats.contingency.association``).

    Examples
    --------
    Large expected counts: chi-square; small ones: Fisher's exact test (2 × 2) or its
    Monte Carlo version (r × c):

    >>> t = contingency_test([[12, 18], [25, 5]])
    >>> t[["test", "dof", "n"]].values.tolist(), round(float(t["p_value"].iloc[0]), 4)
    ([['chi-square (Yates continuity correction)', 1, 60]], 0.0014)
    >>> round(float(t["cramers_v"].iloc[0]), 2)
    0.45
    >>> t = contingency_test([[3, 1], [0, 4]])
    >>> t["test"].iloc[0], round(float(t["p_value"].iloc[0]), 4)
    ('Fisher exact (2x2)', 0.1429)
    >>> contingency_test([[3, 1, 0], [0, 4, 2]], n_resamples=999)["test"].iloc[0]
    'Fisher-Freeman-Halton (Monte Carlo)'
    """
    from scipy import stats
    from scipy.stats.contingency import association, expected_freq

    arr = np.asarray(table.to_numpy() if isinstance(table, pd.DataFrame) else table)
    if arr.ndim != 2:
        raise InputError("contingency_test: the table must be two-dimensional")
    if np.any(arr < 0) or not np.allclose(arr, np.round(arr)):
        raise InputError("contingency_test: the table must hold non-negative whole counts")
    arr = np.round(arr).astype(np.int64)
    notes: list[str] = []
    keep_r = arr.sum(axis=1) > 0
    keep_c = arr.sum(axis=0) > 0
    if not keep_r.all() or not keep_c.all():
        notes.append(
            f"dropped {int((~keep_r).sum())} empty row(s) and {int((~keep_c).sum())} "
            "empty column(s) before testing"
        )
    arr = arr[keep_r][:, keep_c]
    n = int(arr.sum())
    row = dict(
        test="none",
        statistic=np.nan,
        dof=np.nan,
        p_value=np.nan,
        cramers_v=np.nan,
        min_expected=np.nan,
        rule=COCHRAN_RULE,
        note="",
        n=n,
    )
    if arr.shape[0] < 2 or arr.shape[1] < 2:
        notes.append(
            "no test: fewer than two non-empty rows or columns (e.g. every unit has the same "
            "outcome)"
        )
        row["note"] = "; ".join(notes)
        return pd.DataFrame([row])[TEST_COLUMNS + ["n"]]
    expected = expected_freq(arr)
    row["min_expected"] = float(expected.min())
    row["dof"] = int((arr.shape[0] - 1) * (arr.shape[1] - 1))
    try:
        row["cramers_v"] = float(association(arr, method="cramer"))
    except (ValueError, ZeroDivisionError):  # pragma: no cover - degenerate tables
        pass
    if cochran_ok(expected):
        res = stats.chi2_contingency(arr)  # correction=True (scipy default): Yates for dof 1
        row.update(statistic=float(res.statistic), p_value=float(res.pvalue), dof=int(res.dof))
        if res.dof == 1:
            row["test"] = "chi-square (Yates continuity correction)"
        else:
            row["test"] = "chi-square (Pearson)"
        notes.append("scipy.stats.chi2_contingency, correction=True (applies to 2x2 only)")
        if expected.min() < 5:
            notes.append(
                f"{np.mean(expected < 5):.0%} of expected counts below 5 and none below 1 "
                f"(min {expected.min():.2f}): Cochran's rule holds"
            )
    elif arr.shape == (2, 2):
        res = stats.fisher_exact(arr)
        row.update(
            test="Fisher exact (2x2)",
            statistic=float(res.statistic),
            p_value=float(res.pvalue),
            dof=np.nan,
        )
        notes.append(
            f"min expected count {expected.min():.2f} < 5 (Cochran's rule fails); two-sided exact "
            "p-value; statistic = sample odds ratio"
        )
    else:
        stat, p = _fisher_monte_carlo(arr, n_resamples=n_resamples, seed=seed)
        row.update(
            test="Fisher-Freeman-Halton (Monte Carlo)",
            statistic=np.nan,
            p_value=p,
            dof=np.nan,
        )
        notes.append(
            f"min expected count {expected.min():.2f}, {np.mean(expected < 5):.0%} of cells below 5 "
            f"(Cochran's rule fails); p-value from {n_resamples} Monte Carlo "
            f"tables with fixed margins (scipy.stats.random_table, seed {seed}; the algorithm of "
            "scipy.stats.fisher_exact with MonteCarloMethod), "
            f"Monte Carlo SE {math.sqrt(p * (1 - p) / n_resamples):.4f}; probability of the "
            f"observed table given the margins {stat:.3g} (no test statistic: statistic is NaN)"
        )
    row["note"] = "; ".join(notes)
    return pd.DataFrame([row])[TEST_COLUMNS + ["n"]]


def _fisher_monte_carlo(
    table: np.ndarray, *, n_resamples: int, seed: int, batch: int = 10_000
) -> tuple[float, float]:
    """Monte Carlo p-value of the Fisher-Freeman-Halton test.

    Same algorithm as ``scipy.stats.fisher_exact(table,
    method=MonteCarloMethod(n_resamples, rng))``: tables with the observed
    margins are drawn from ``scipy.stats.random_table``; the p-value is
    ``(#{P(T) <= P(observed)} + 1) / (n_resamples + 1)`` with a relative
    tolerance of 100 machine epsilons. Written out here because scipy 1.17
    mis-shapes tables that have more cells than observations; drawn in
    batches to bound memory (one batch, i.e. ``n_resamples <= batch``, gives
    exactly scipy's numbers for the same seed).
    """
    from scipy import stats

    rng = np.random.default_rng(seed)
    X = stats.random_table(table.sum(axis=1), table.sum(axis=0), seed=rng)
    observed = float(X.pmf(table))
    gamma = abs(np.finfo(float).eps * 100 * observed)
    hits = 0
    done = 0
    while done < n_resamples:
        size = min(batch, n_resamples - done)
        sims = X.rvs(size=size)
        hits += int(np.sum(X.pmf(sims) <= observed + gamma))
        done += size
    return min(observed, 1.0), float(min((hits + 1) / (n_resamples + 1), 1.0))


def _crosstab(
    df: pd.DataFrame,
    row_col: str,
    col_col: str,
    col_name: str,
    *,
    alpha: float,
    n_resamples: int,
    seed: int,
    notes: list[str],
) -> CrosstabResult:
    tab = pd.crosstab(df[row_col], df[col_col], dropna=False)
    # pd.crosstab keeps categorical levels; drop levels nobody has
    empty_rows = tab.index[tab.sum(axis=1) == 0].tolist()
    empty_cols = tab.columns[tab.sum(axis=0) == 0].tolist()
    tab = tab.loc[tab.sum(axis=1) > 0, tab.sum(axis=0) > 0]
    if empty_rows:
        notes.append(f"groups without rows left out: {empty_rows}")
    if empty_cols:
        notes.append(f"{col_name} levels without rows left out: {empty_cols}")
    test = contingency_test(tab.to_numpy(), n_resamples=n_resamples, seed=seed)
    if notes:
        test["note"] = "; ".join([t for t in [test["note"].iloc[0], *notes] if t])
    long = tab.stack().rename("count").reset_index()
    long.columns = ["group", col_name, "count"]
    if len(tab):
        from scipy.stats.contingency import expected_freq

        exp = pd.DataFrame(expected_freq(tab.to_numpy()), index=tab.index, columns=tab.columns)
        long["expected"] = exp.stack().to_numpy()
    else:  # pragma: no cover
        long["expected"] = np.nan
    long["count"] = long["count"].astype("int64")
    long["group_total"] = long.groupby("group", observed=True)["count"].transform("sum").astype("int64")
    ci = wilson_ci(long["count"].to_numpy(), long["group_total"].to_numpy(), alpha=alpha)
    long["share"] = ci["share"].to_numpy()
    long["ci_low"] = ci["ci_low"].to_numpy()
    long["ci_high"] = ci["ci_high"].to_numpy()
    long = long[["group", col_name, "count", "group_total", "share", "ci_low", "ci_high", "expected"]]
    return CrosstabResult(long.reset_index(drop=True), test.reset_index(drop=True))


def adoption_crosstab(
    data: pd.DataFrame,
    group: str,
    outcome: str = "ever_adopted",
    *,
    dropna: bool = False,
    alpha: float = 0.05,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> CrosstabResult:
    """Group × outcome contingency table with a test of independence.

    Parameters
    ----------
    data
        One row per unit (e.g. the panel's last year, or the municipalities).
    group
        Grouping column (size class, SKR group, county, ...).
    outcome
        Outcome column (boolean or categorical), default ``"ever_adopted"``.
    dropna
        If False (default) missing values in ``group``/``outcome`` raise an
        InputError; if True such rows are dropped and the note says how many.
    alpha
        1 - confidence level of the Wilson intervals of the shares.
    n_resamples, seed
        Settings of the Monte Carlo exact test (see :func:`contingency_test`).

    Returns
    -------
    CrosstabResult
        ``.table``: ``group, outcome, count, group_total, share, ci_low,
        ci_high, expected`` (long form; ``share = count / group_total`` with a
        Wilson interval; ``expected`` under independence). ``.test``: one
        row, see :func:`contingency_test`.

    Notes
    -----
    The test follows :data:`COCHRAN_RULE`: chi-square when no expected count
    is below 1 and at most 20 % are below 5, else Fisher's exact test (2 × 2
    exact; r × c by Monte Carlo with a fixed seed). With 26 adopting municipalities among 290,
    most splits by SKR group or county have small expected counts, so the
    exact test is the usual outcome.

    Examples
    --------
    >>> d = pd.DataFrame({"size": ["large"] * 10 + ["small"] * 20,
    ...                   "ever_adopted": [True] * 6 + [False] * 4 + [True] * 3 + [False] * 17})
    >>> xt = adoption_crosstab(d, "size")
    >>> list(xt.table.columns)
    ['group', 'outcome', 'count', 'group_total', 'share', 'ci_low', 'ci_high', 'expected']
    >>> xt.table.loc[xt.table["outcome"], ["group", "count", "group_total", "share"]].values.tolist()
    [['large', 6, 10, 0.6], ['small', 3, 20, 0.15]]
    >>> xt.test["test"].iloc[0], round(float(xt.test["p_value"].iloc[0]), 3)
    ('Fisher exact (2x2)', 0.03)
    """
    where = "adoption_crosstab"
    require_columns(data, [group, outcome], where)
    notes: list[str] = []
    df = data[[group, outcome]]
    if dropna:
        n0 = len(df)
        df = df.dropna()
        if len(df) < n0:
            notes.append(f"{n0 - len(df)} row(s) with missing {group}/{outcome} dropped")
    else:
        check_no_na(df, [group, outcome], where)
    res = _crosstab(
        df, group, outcome, "outcome", alpha=alpha, n_resamples=n_resamples, seed=seed, notes=notes
    )
    return res


def _attach_group(
    partnerships: pd.DataFrame,
    by: str,
    *,
    municipalities: pd.DataFrame | None,
    breaks: Sequence[int],
    unit: str = "kommun_code",
) -> tuple[pd.Series, list[str]]:
    notes: list[str] = []
    if by in partnerships.columns:
        return partnerships[by], notes
    if by == "period":
        require_columns(partnerships, ["start_year"], "policy_composition")
        notes.append(f"period from start_year, breaks {list(breaks)}")
        return period_of(partnerships["start_year"], breaks), notes
    if municipalities is None:
        from iopstudy.reference.municipalities import load_municipalities

        municipalities = load_municipalities()
    if by not in municipalities.columns:
        raise InputError(
            f"policy_composition: {by!r} is neither a column of the partnerships nor of the "
            f"municipalities ({list(municipalities.columns)}), nor 'period'",
            column=by,
        )
    require_columns(partnerships, [unit], "policy_composition")
    m = municipalities.drop_duplicates(unit).set_index(unit)[by]
    g = partnerships[unit].map(m)
    if isinstance(m.dtype, pd.CategoricalDtype):
        g = g.astype(m.dtype)
    notes.append(f"{by} from the municipality reference; agreements without a kommun (regions) have none")
    return g, notes


def policy_composition(
    partnerships: pd.DataFrame,
    by: str = "level",
    area: str = "policy_area_primary",
    *,
    municipalities: pd.DataFrame | None = None,
    breaks: Sequence[int] = DEFAULT_PERIOD_BREAKS,
    dropna: bool = True,
    alpha: float = 0.05,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> CrosstabResult:
    """Policy areas of agreements by group, with a test of independence.

    Parameters
    ----------
    partnerships
        One row per agreement.
    by
        A column of ``partnerships`` (``"level"``, ``"source_kind"``, ...),
        ``"period"`` (from ``start_year`` via :func:`period_of`), or a column
        of the municipality reference (``"size_class"``, ``"skr_group"``,
        ``"skr_main_group"``, ...), joined on ``kommun_code``.
    area
        Policy area column (primary area by default; secondary areas are not counted).
    municipalities
        Reference table for ``by`` columns not in ``partnerships``; default
        :func:`iopstudy.reference.load_municipalities`.
    breaks
        Period breaks for ``by="period"``.
    dropna
        Drop agreements with a missing group or area (the test note says how
        many: undated agreements for ``"period"``, regions for municipal
        characteristics); if False, missing values raise an InputError.
    alpha, n_resamples, seed
        As in :func:`adoption_crosstab`.

    Returns
    -------
    CrosstabResult
        ``.table``: ``group, area, count, group_total, share, ci_low, ci_high,
        expected`` (share of the group's agreements in the area, Wilson CI).
        ``.test``: see :func:`contingency_test`; for r × c tables with small
        expected counts the p-value is a Monte Carlo Fisher–Freeman–Halton
        p-value with a fixed seed.

    Notes
    -----
    Agreements, not municipalities, are the units here, and agreements of the
    same public body are not independent: read the test as descriptive.

    Examples
    --------
    >>> p = pd.DataFrame({"level": ["kommun"] * 4 + ["region"] * 4,
    ...                   "policy_area_primary": ["social", "social", "social", "culture",
    ...                                           "health", "health", "social", "health"]})
    >>> pc = policy_composition(p, n_resamples=999)
    >>> pc.table.loc[pc.table["count"] > 0, ["group", "area", "count", "share"]].values.tolist()
    [['kommun', 'culture', 1, 0.25], ['kommun', 'social', 3, 0.75],
     ['region', 'health', 3, 0.75], ['region', 'social', 1, 0.25]]
    >>> pc.test[["test", "n"]].values.tolist()
    [['Fisher-Freeman-Halton (Monte Carlo)', 8]]
    """
    where = "policy_composition"
    require_columns(partnerships, [area], where)
    g, notes = _attach_group(partnerships, by, municipalities=municipalities, breaks=breaks)
    df = pd.DataFrame({"_group": g.to_numpy() if not isinstance(g.dtype, pd.CategoricalDtype) else g.array,
                       "_area": partnerships[area].to_numpy()})
    if dropna:
        miss = df.isna().any(axis=1)
        if miss.any():
            notes.append(f"{int(miss.sum())} agreement(s) with missing {by} or {area} left out")
        df = df.loc[~miss]
    else:
        check_no_na(df.rename(columns={"_group": by, "_area": area}), [by, area], where)
    res = _crosstab(
        df, "_group", "_area", "area", alpha=alpha, n_resamples=n_resamples, seed=seed, notes=notes
    )
    return res


def concentration(
    partnerships: pd.DataFrame,
    unit: str = "kommun_code",
    *,
    by: str | None = None,
    top: Sequence[int] = (1, 3, 5),
    n_units: int | None = None,
) -> pd.DataFrame:
    """How concentrated agreements are on few units: top-k shares and the HHI.

    Parameters
    ----------
    partnerships
        One row per agreement.
    unit
        Unit column (``kommun_code``; use ``public_body_name`` to include regions).
        Rows with a missing unit are left out and counted in ``n_excluded``.
    by
        Optional grouping column (one row per group).
    top
        The k of the top-k shares.
    n_units
        Number of units that *could* hold agreements (e.g. 290). Default: the
        units holding at least one. Used only for the normalised HHI.

    Returns
    -------
    pandas.DataFrame
        ``group, n_agreements, n_units, n_excluded, top1_share, top3_share,
        top5_share, top_unit, hhi, hhi_normalised`` (one ``top{k}_share``
        column per k).

    Notes
    -----
    With :math:`s_i` the share of agreements held by unit *i* (0–1 scale),
    :math:`HHI = \\sum_i s_i^2` (multiply by 10 000 for the antitrust
    convention), ranging from :math:`1/N` (even) to 1 (one unit holds all).
    The normalised index is :math:`HHI^* = (HHI - 1/N)/(1 - 1/N)` on [0, 1],
    NaN when N = 1. In a partial register these describe the *found*
    agreements, not all agreements.

    Examples
    --------
    Three of four agreements in one of four possible municipalities (one agreement has none):

    >>> p = pd.DataFrame({"kommun_code": ["0001", "0001", "0001", "0002", None]})
    >>> c = concentration(p, n_units=4)
    >>> c[["group", "n_agreements", "n_units", "n_excluded", "top1_share", "top_unit"]].values.tolist()
    [['all', 4, 2, 1, 0.75, '0001']]
    >>> round(float(c["hhi"].iloc[0]), 3), round(float(c["hhi_normalised"].iloc[0]), 3)
    (0.625, 0.5)
    """
    where = "concentration"
    require_columns(partnerships, [unit] + ([by] if by else []), where)
    groups = [("all", partnerships)] if by is None else list(partnerships.groupby(by, observed=True, sort=True))
    rows = []
    for g, d in groups:
        n_excl = int(d[unit].isna().sum())
        counts = d[unit].dropna().astype(str).value_counts()
        counts = counts.sort_index().sort_values(ascending=False, kind="mergesort")
        total = int(counts.sum())
        row: dict[str, Any] = {"group": g, "n_agreements": total, "n_units": int(len(counts)), "n_excluded": n_excl}
        shares = counts.to_numpy(dtype=float) / total if total else np.array([])
        for k in top:
            row[f"top{k}_share"] = float(shares[:k].sum()) if total else np.nan
        row["top_unit"] = counts.index[0] if total else None
        hhi = float(np.sum(shares**2)) if total else np.nan
        N = int(n_units) if n_units is not None else len(counts)
        if n_units is not None and n_units < len(counts):
            raise InputError(f"{where}: n_units={n_units} is smaller than the {len(counts)} units found")
        row["hhi"] = hhi
        row["hhi_normalised"] = (hhi - 1 / N) / (1 - 1 / N) if total and N > 1 else np.nan
        rows.append(row)
    return pd.DataFrame(rows)
