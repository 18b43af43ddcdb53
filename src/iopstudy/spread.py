"""How IOP spreads: adoption curves, contingency tests and regression models.

Plain functions on any long (tidy) DataFrame, in the style of pingouin: the
data come first, columns are named by keyword, and every function returns
DataFrames (or a small result object holding DataFrames), so each function
can be checked on textbook data as well as on the municipality panel.

Overview
--------
=========================  ===================================================
wilson_ci                  Wilson score interval of a proportion
expand_status_counts       unit × year table consistent with published counts
adoption_curve             share of units adopted (or in operation) per year
adoption_crosstab          group × outcome table, chi-square / Fisher test
fit_logit                  logistic regression, Firth fallback on separation
firth_logit                Firth's penalised logistic regression
fit_count                  Poisson GLM, overdispersion test, negative binomial
person_period              unit-years at risk for discrete-time hazard models
fit_discrete_hazard        cloglog/logit binomial GLM on the at-risk table
fit_cox                    Cox model (statsmodels PHReg, Efron ties)
kaplan_meier               Kaplan–Meier curves with log-log CIs
logrank_test               log-rank test between groups
policy_composition         policy area × group table with a test
concentration              top-k shares and Herfindahl–Hirschman index
period_of                  ordered period categories from years
=========================  ===================================================

Small cells, zero cells and perfect separation are normal in a partial
register of a few dozen agreements. The functions here never drop rows
silently (missing values raise :class:`~iopstudy.errors.InputError`), choose
exact tests when expected counts are small, switch to Firth's penalised
likelihood when maximum likelihood estimates do not exist, and say so in
their output and in a :class:`~iopstudy.errors.StatisticalWarning`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from iopstudy.errors import InputError, StatisticalWarning

__all__ = [
    "CrosstabResult",
    "ModelResult",
    "CountModelResult",
    "FirthLogitResults",
    "COCHRAN_RULE",
    "COEF_COLUMNS",
    "SUMMARY_COLUMNS",
    "TEST_COLUMNS",
    "DEFAULT_PERIOD_BREAKS",
    "wilson_ci",
    "expand_status_counts",
    "adoption_curve",
    "adoption_crosstab",
    "contingency_test",
    "detect_separation",
    "fit_logit",
    "firth_logit",
    "fit_count",
    "person_period",
    "fit_discrete_hazard",
    "fit_cox",
    "kaplan_meier",
    "logrank_test",
    "policy_composition",
    "concentration",
    "period_of",
]

#: The rule used by :func:`contingency_test` to choose between tests.
COCHRAN_RULE = (
    "Cochran: chi-square test if every expected count is >= 5, "
    "otherwise Fisher's exact test"
)

#: Default period breaks: each is the first year of a period; the last is open-ended.
DEFAULT_PERIOD_BREAKS: tuple[int, ...] = (2010, 2016, 2020, 2022)

#: Seed and number of resamples of the Monte Carlo Fisher–Freeman–Halton test.
DEFAULT_SEED = 20240601
DEFAULT_RESAMPLES = 99_999

COEF_COLUMNS = [
    "term",
    "estimate",
    "std_error",
    "ci_low",
    "ci_high",
    "p_value",
    "ratio",
    "ratio_ci_low",
    "ratio_ci_high",
]
SUMMARY_COLUMNS = [
    "model",
    "method",
    "n",
    "events",
    "n_parameters",
    "log_likelihood",
    "aic",
    "converged",
    "notes",
    "warnings",
]
TEST_COLUMNS = ["test", "statistic", "dof", "p_value", "cramers_v", "min_expected", "rule", "note"]


# --------------------------------------------------------------------------- helpers
def _warn(message: str, stacklevel: int = 3) -> None:
    warnings.warn(message, StatisticalWarning, stacklevel=stacklevel)


def _as_list(cols: str | Sequence[str] | None) -> list[str]:
    if cols is None:
        return []
    if isinstance(cols, str):
        return [cols]
    return list(cols)


def _require_columns(data: pd.DataFrame, columns: Sequence[str], where: str) -> None:
    from iopstudy.errors import require_columns

    require_columns(data, columns, f"{where}: the data")


def _check_no_na(data: pd.DataFrame, columns: Sequence[str], where: str) -> None:
    """Raise an InputError naming the columns with missing values (never drop silently)."""
    cols = list(dict.fromkeys(columns))
    na = data[cols].isna().sum()
    bad = na[na > 0]
    if len(bad):
        desc = ", ".join(f"{c!r} ({n} rows)" for c, n in bad.items())
        raise InputError(
            f"{where}: missing values in {desc}. Rows are never dropped silently: drop or "
            f"impute them first, e.g. data.dropna(subset={list(bad.index)})",
            column=str(bad.index[0]),
        )


def _is_categorical_like(s: pd.Series) -> bool:
    return (
        isinstance(s.dtype, pd.CategoricalDtype)
        or pd.api.types.is_object_dtype(s)
        or pd.api.types.is_string_dtype(s)
    )


@dataclass
class _Design:
    X: pd.DataFrame
    references: dict[str, Any]


def _design(
    data: pd.DataFrame, covariates: Sequence[str], *, intercept: bool, where: str
) -> _Design:
    """Numeric design matrix: numbers as they are, bools as 0/1, categories as dummies.

    Categorical, string and object columns get one 0/1 column per level except
    the first (the reference level: the first category of a categorical, else
    the smallest value), named like patsy: ``"skr_main_group[T.B]"``. Unused
    categories are dropped first.
    """
    parts: list[pd.Series] = []
    refs: dict[str, Any] = {}
    if intercept:
        parts.append(pd.Series(1.0, index=data.index, name="Intercept"))
    for col in covariates:
        s = data[col]
        if pd.api.types.is_bool_dtype(s):
            parts.append(s.astype("float64").rename(col))
        elif _is_categorical_like(s):
            cat = s if isinstance(s.dtype, pd.CategoricalDtype) else s.astype("category")
            cat = cat.cat.remove_unused_categories()
            levels = list(cat.cat.categories)
            if len(levels) < 2:
                raise InputError(
                    f"{where}: covariate {col!r} has a single level {levels!r} in these data; "
                    "leave it out",
                    column=col,
                )
            refs[col] = levels[0]
            for lev in levels[1:]:
                parts.append((cat == lev).astype("float64").rename(f"{col}[T.{lev}]"))
        elif pd.api.types.is_numeric_dtype(s):
            parts.append(pd.to_numeric(s).astype("float64").rename(col))
        else:
            raise InputError(
                f"{where}: covariate {col!r} has dtype {s.dtype}, which is neither numeric, "
                "boolean nor categorical",
                column=col,
            )
    if not parts:
        X = pd.DataFrame(index=data.index)
    else:
        X = pd.concat(parts, axis=1)
    if X.shape[1]:
        if not np.isfinite(X.to_numpy()).all():
            bad = [c for c in X.columns if not np.isfinite(X[c].to_numpy()).all()]
            raise InputError(f"{where}: non-finite values in {bad}", column=bad[0])
        _check_rank(X, where)
    return _Design(X, refs)


def _check_rank(X: pd.DataFrame, where: str) -> None:
    arr = X.to_numpy()
    if np.linalg.matrix_rank(arr) == arr.shape[1]:
        return
    rank = 0
    for j in range(arr.shape[1]):
        r = np.linalg.matrix_rank(arr[:, : j + 1])
        if r == rank:
            raise InputError(
                f"{where}: the design matrix is rank deficient: {X.columns[j]!r} is a linear "
                f"combination of the terms before it ({list(X.columns[:j])}). Leave out one of "
                "the collinear covariates (a constant covariate, or two codings of the same "
                "grouping)",
                column=str(X.columns[j]),
            )
        rank = r


def _coef_frame(
    names: Sequence[str],
    estimate: np.ndarray,
    std_error: np.ndarray,
    ci_low: np.ndarray,
    ci_high: np.ndarray,
    p_value: np.ndarray,
    *,
    ratio: bool,
) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "term": list(names),
            "estimate": np.asarray(estimate, dtype=float),
            "std_error": np.asarray(std_error, dtype=float),
            "ci_low": np.asarray(ci_low, dtype=float),
            "ci_high": np.asarray(ci_high, dtype=float),
            "p_value": np.asarray(p_value, dtype=float),
        }
    )
    with np.errstate(over="ignore"):
        for src, dst in (("estimate", "ratio"), ("ci_low", "ratio_ci_low"), ("ci_high", "ratio_ci_high")):
            out[dst] = np.exp(out[src]) if ratio else np.nan
    if ratio:
        # exp(intercept) is a baseline odds/rate, not a ratio
        out.loc[out["term"] == "Intercept", ["ratio", "ratio_ci_low", "ratio_ci_high"]] = np.nan
    return out[COEF_COLUMNS]


def _summary_frame(**kw: Any) -> pd.DataFrame:
    row = {c: kw.get(c) for c in SUMMARY_COLUMNS}
    for c in ("notes", "warnings"):
        v = row[c]
        if isinstance(v, (list, tuple)):
            row[c] = "; ".join(str(x) for x in v if x)
        row[c] = row[c] or ""
    extra = {k: v for k, v in kw.items() if k not in row}
    row.update(extra)
    return pd.DataFrame([row])


def _huge_terms(X: pd.DataFrame, params: Any, bse: Any) -> list[str]:
    """Terms whose estimate or SE look like a diverging (non-existent) MLE.

    Scale-free check on the standardised coefficient: with :math:`s_j` the
    standard deviation of the term's column, flag non-finite values,
    :math:`|\\beta_j| s_j > 15` or :math:`SE_j s_j > 25` (a dummy with
    half its values 1 and an odds ratio of :math:`e^{30}`). The intercept
    is not checked (it is large whenever covariates are not centred).
    """
    params = np.asarray(params, float)[: X.shape[1]]
    bse = np.asarray(bse, float)[: X.shape[1]]
    sd = X.std(axis=0, ddof=0).to_numpy()
    bad = (~np.isfinite(params)) | (~np.isfinite(bse)) | (np.abs(params) * sd > 15) | (bse * sd > 25)
    return [n for n, b, s in zip(X.columns, bad, sd) if b and s > 0]


@dataclass
class ModelResult:
    """Result of a model fit, with the same attributes for every model.

    Attributes
    ----------
    coef
        One row per term: ``term, estimate, std_error, ci_low, ci_high,
        p_value, ratio, ratio_ci_low, ratio_ci_high``. ``ratio`` is
        ``exp(estimate)`` (odds, incidence-rate or hazard ratio) where the
        link makes it one; NaN for intercepts.
    model
        The fitted statsmodels result (or :class:`FirthLogitResults`).
    summary
        One row: ``model, method, n, events, n_parameters, log_likelihood,
        aic, converged, notes, warnings`` (plus model-specific columns).
    warnings
        The statistical warnings raised during the fit, as text.
    """

    coef: pd.DataFrame
    model: Any
    summary: pd.DataFrame
    warnings: list[str] = field(default_factory=list)

    def __repr__(self) -> str:  # pragma: no cover - cosmetic
        return (
            f"{type(self).__name__}(method={self.summary['method'].iloc[0]!r}, "
            f"n={self.summary['n'].iloc[0]})\n{self.coef.to_string(index=False)}"
        )


@dataclass(repr=False)
class CountModelResult(ModelResult):
    """:class:`ModelResult` of :func:`fit_count`, with both fits and the dispersion test.

    ``coef``, ``model`` and ``summary`` describe the *chosen* model; ``poisson``
    and ``negbin`` hold both fits (``negbin`` is None if it failed).
    """

    poisson: ModelResult | None = None
    negbin: ModelResult | None = None
    dispersion_test: pd.DataFrame | None = None
    chosen: str = "poisson"


@dataclass
class CrosstabResult:
    """A contingency table in long form (``.table``) and its test (``.test``).

    Unpacks as ``table, test = adoption_crosstab(...)``.
    """

    table: pd.DataFrame
    test: pd.DataFrame

    def __iter__(self):
        return iter((self.table, self.test))


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
    """
    _require_columns(counts, [year], "expand_status_counts")
    if status_columns is None:
        mapping = {c: c for c in counts.columns if c != year}
    elif isinstance(status_columns, Mapping):
        mapping = dict(status_columns)
    else:
        mapping = {c: c for c in status_columns}
    _require_columns(counts, list(mapping), "expand_status_counts")
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
    """
    where = "adoption_curve"
    status_col = in_operation if in_operation is not None else adopted
    cols = [year, unit, status_col] + ([by] if by else [])
    _require_columns(panel, cols, where)
    _check_no_na(panel, [year, unit, status_col], where)
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

    * every :math:`E_{ij} \\ge 5` → Pearson's chi-square test,
      ``scipy.stats.chi2_contingency`` with its default ``correction=True``:
      Yates' continuity correction for 2 × 2 tables (dof = 1) only
      (R: ``chisq.test(x)``);
    * otherwise, 2 × 2 → ``scipy.stats.fisher_exact`` (exact two-sided
      p-value; ``statistic`` is the sample odds ratio; R: ``fisher.test``);
    * otherwise, r × c → the Fisher–Freeman–Halton test, ``statistic`` being
      the probability of the observed table given the margins, p-value by
      Monte Carlo with a fixed seed, by the algorithm of
      ``scipy.stats.fisher_exact(table, method=MonteCarloMethod(n_resamples,
      rng))`` (R: ``fisher.test(x, simulate.p.value = TRUE, B =
      n_resamples)``); see :func:`_fisher_monte_carlo`.
      The note gives the Monte Carlo standard error
      :math:`\\sqrt{p(1-p)/B}`.

    Cramér's :math:`V = \\sqrt{\\chi^2 / (N (\\min(r, c) - 1))}` uses the
    uncorrected chi-square (``scipy.stats.contingency.association``).
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
    if expected.min() >= 5:
        res = stats.chi2_contingency(arr)  # correction=True (scipy default): Yates for dof 1
        row.update(statistic=float(res.statistic), p_value=float(res.pvalue), dof=int(res.dof))
        if res.dof == 1:
            row["test"] = "chi-square (Yates continuity correction)"
        else:
            row["test"] = "chi-square (Pearson)"
        notes.append("scipy.stats.chi2_contingency, correction=True (applies to 2x2 only)")
    elif arr.shape == (2, 2):
        res = stats.fisher_exact(arr)
        row.update(
            test="Fisher exact (2x2)",
            statistic=float(res.statistic),
            p_value=float(res.pvalue),
            dof=np.nan,
        )
        notes.append(
            f"min expected count {expected.min():.2f} < 5; two-sided exact p-value; "
            "statistic = sample odds ratio"
        )
    else:
        stat, p = _fisher_monte_carlo(arr, n_resamples=n_resamples, seed=seed)
        row.update(
            test="Fisher-Freeman-Halton (Monte Carlo)",
            statistic=stat,
            p_value=p,
            dof=np.nan,
        )
        notes.append(
            f"min expected count {expected.min():.2f} < 5; p-value from {n_resamples} Monte Carlo "
            f"tables with fixed margins (scipy.stats.random_table, seed {seed}; the algorithm of "
            "scipy.stats.fisher_exact with MonteCarloMethod), "
            f"Monte Carlo SE {math.sqrt(p * (1 - p) / n_resamples):.4f}; statistic = "
            "probability of the observed table"
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
    The test follows :data:`COCHRAN_RULE`: chi-square when every expected
    count is at least 5, else Fisher's exact test (2 × 2 exact; r × c by
    Monte Carlo with a fixed seed). With 26 adopting municipalities among 290,
    most splits by SKR group or county have small expected counts, so the
    exact test is the usual outcome.
    """
    where = "adoption_crosstab"
    _require_columns(data, [group, outcome], where)
    notes: list[str] = []
    df = data[[group, outcome]]
    if dropna:
        n0 = len(df)
        df = df.dropna()
        if len(df) < n0:
            notes.append(f"{n0 - len(df)} row(s) with missing {group}/{outcome} dropped")
    else:
        _check_no_na(df, [group, outcome], where)
    res = _crosstab(
        df, group, outcome, "outcome", alpha=alpha, n_resamples=n_resamples, seed=seed, notes=notes
    )
    return res


# --------------------------------------------------------------------------- logistic models
def detect_separation(X: Any, y: Any, *, tol: float = 1e-7) -> tuple[bool, list[str]]:
    """Linear-programming check for (quasi-)complete separation in a binary regression.

    Parameters
    ----------
    X
        Design matrix (DataFrame or array) including the intercept column.
    y
        0/1 outcome.
    tol
        Objective values above ``tol`` count as separation.

    Returns
    -------
    (bool, list of str)
        Whether the data are separated, and the terms with a non-zero
        component in the separating direction found.

    Notes
    -----
    Konis (2007): with :math:`s_i = 2y_i - 1`, the maximum likelihood
    estimate of a logistic (or any binary GLM with a monotone link) does not
    exist iff some :math:`b \\ne 0` has :math:`s_i x_i^\\top b \\ge 0` for all
    *i*. Solve ``max sum_i s_i x_i'b  s.t.  s_i x_i'b >= 0, -1 <= b <= 1`` with
    ``scipy.optimize.linprog`` (HiGHS); a positive optimum means separation
    (R: ``detectseparation::detect_separation``). Columns are scaled to unit
    maximum absolute value first.
    """
    from scipy.optimize import linprog

    names = list(X.columns) if isinstance(X, pd.DataFrame) else [f"x{j}" for j in range(np.shape(X)[1])]
    A = np.asarray(X, dtype=float)
    yy = np.asarray(y, dtype=float)
    scale = np.max(np.abs(A), axis=0)
    scale[scale == 0] = 1.0
    A = A / scale
    s = 2 * yy - 1
    SA = s[:, None] * A
    c = -SA.sum(axis=0)
    res = linprog(c, A_ub=-SA, b_ub=np.zeros(len(yy)), bounds=[(-1, 1)] * A.shape[1], method="highs")
    if res.status != 0 or res.x is None:  # pragma: no cover - LP failure
        return False, []
    value = -res.fun
    if value > tol * max(1.0, len(yy) ** 0.5):
        terms = [n for n, b in zip(names, res.x) if abs(b) > 1e-6]
        return True, terms
    return False, []


@dataclass
class FirthLogitResults:
    """Fitted Firth logistic regression (statsmodels-like attributes).

    Attributes: ``params``, ``bse`` (Wald SEs from the inverse Fisher
    information at the estimate), ``cov_params`` (DataFrame), ``pvalues``
    (penalised likelihood ratio tests, or Wald), ``ci_table`` (DataFrame
    ``lower``, ``upper``; profile penalised likelihood or Wald, at the
    ``alpha`` of the fit; also returned by :meth:`conf_int`), ``llf``
    (unpenalised log-likelihood at the estimate), ``llf_penalised``,
    ``converged``, ``n_iter``, ``nobs``, ``ci_method``, ``fittedvalues``.
    """

    params: pd.Series
    bse: pd.Series
    cov_params: pd.DataFrame
    pvalues: pd.Series
    ci_table: pd.DataFrame
    llf: float
    llf_penalised: float
    converged: bool
    n_iter: int
    nobs: int
    ci_method: str
    fittedvalues: np.ndarray | None = None

    def conf_int(self) -> pd.DataFrame:
        """Confidence intervals (``lower``, ``upper``) computed at fit time."""
        return self.ci_table.copy()


@dataclass
class _FirthFit:
    beta: np.ndarray
    pll: float
    ll: float
    info: np.ndarray
    converged: bool
    n_iter: int
    p: np.ndarray


def _firth_state(X: np.ndarray, y: np.ndarray, beta: np.ndarray, offset: np.ndarray):
    from scipy.special import expit, log_expit

    eta = X @ beta + offset
    p = expit(eta)
    w = p * (1.0 - p)
    XW = X * np.sqrt(w)[:, None]
    info = XW.T @ XW
    sign, logdet = np.linalg.slogdet(info)
    ll = float(np.sum(y * log_expit(eta) + (1.0 - y) * log_expit(-eta)))
    pll = ll + 0.5 * logdet if sign > 0 else -np.inf
    return p, XW, info, ll, pll


def _firth_score(X: np.ndarray, y: np.ndarray, p: np.ndarray, XW: np.ndarray, info: np.ndarray):
    """Firth's modified score X'(y - p + h(1/2 - p)) and the inverse information."""
    try:
        cov = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        cov = np.linalg.pinv(info)
    h = np.sum((XW @ cov) * XW, axis=1)
    return X.T @ (y - p + h * (0.5 - p)), cov


def _firth_core(
    X: np.ndarray,
    y: np.ndarray,
    *,
    offset: np.ndarray | None = None,
    fixed: Mapping[int, float] | None = None,
    beta0: np.ndarray | None = None,
    maxiter: int = 200,
    gtol: float = 1e-9,
    xtol: float = 1e-10,
    maxstep: float = 5.0,
) -> _FirthFit:
    n, k = X.shape
    off = np.zeros(n) if offset is None else offset
    beta = np.zeros(k) if beta0 is None else np.array(beta0, dtype=float)
    free = np.ones(k, dtype=bool)
    for j, v in (fixed or {}).items():
        beta[j] = v
        free[j] = False
    p, XW, info, ll, pll = _firth_state(X, y, beta, off)
    U, _ = _firth_score(X, y, p, XW, info)
    converged = False
    it = 0
    for it in range(1, maxiter + 1):
        if not free.any():
            converged = True
            break
        delta = np.zeros(k)
        sub = info[np.ix_(free, free)]
        try:
            delta[free] = np.linalg.solve(sub, U[free])
        except np.linalg.LinAlgError:
            delta[free] = np.linalg.pinv(sub) @ U[free]
        gmax = float(np.max(np.abs(U[free])))
        if gmax < gtol or float(np.max(np.abs(delta))) < xtol:
            converged = True
            break
        mx = np.max(np.abs(delta))
        if mx > maxstep:
            delta *= maxstep / mx
        # step halving: accept a clear gain in the penalised log-likelihood, or,
        # when the change is below its numerical resolution (near the optimum,
        # where Fisher scoring can overshoot), a smaller modified score
        noise = 1e-11 * max(1.0, abs(pll))
        step = 1.0
        stalled = False
        while True:
            new = beta + step * delta
            st = _firth_state(X, y, new, off)
            U_new, _ = _firth_score(X, y, st[0], st[1], st[2])
            if st[4] > pll + noise:
                break
            if st[4] >= pll - noise:
                if np.max(np.abs(U_new[free])) < gmax:
                    break
                if gmax < 1e-6:  # at the optimum to numerical precision
                    stalled = True
                    break
            if step < 1e-8:
                stalled = True
                break
            step /= 2.0
        if stalled:
            converged = gmax < 1e-5
            break
        beta = new
        p, XW, info, ll, pll = st
        U = U_new
    else:
        # maxiter reached: converged if the score is small on the scale of the data
        converged = bool(np.max(np.abs(U[free])) < 1e-5) if free.any() else True
    return _FirthFit(beta, pll, ll, info, converged, it, p)


def _firth_profile_bound(
    X: np.ndarray,
    y: np.ndarray,
    offset: np.ndarray | None,
    fit: _FirthFit,
    j: int,
    side: int,
    q: float,
    se: float,
) -> float:
    from scipy.optimize import brentq

    bj = fit.beta[j]
    last = {"beta": fit.beta.copy()}

    def f(b: float) -> float:
        start = last["beta"].copy()  # warm start from the previous profile point
        start[j] = b
        r = _firth_core(X, y, offset=offset, fixed={j: b}, beta0=start, gtol=1e-7)
        if np.all(np.isfinite(r.beta)):
            last["beta"] = r.beta
        d = 2.0 * (fit.pll - r.pll) - q
        return float(min(d, 1e12)) if np.isfinite(d) else 1e12

    step = se if np.isfinite(se) and se > 0 else 1.0
    step = min(max(step, 0.05), 10.0)
    prev, f_prev = bj, -q
    for _ in range(40):
        b = prev + side * step
        fb = f(b)
        if fb > 0:
            if f_prev >= 0:
                # the profile is not below the cut-off where it should be (the fit
                # is not at its maximum): no bound rather than a wrong one
                return float("nan")
            lo, hi = sorted((prev, b))
            try:
                return float(brentq(f, lo, hi, xtol=1e-8))
            except ValueError:  # warm starts made f non-monotone inside the bracket
                return float("nan")
        prev, f_prev = b, fb
        step *= 2.0
        if abs(prev - bj) > 100:
            break
    return float(side * np.inf)


def firth_logit(
    data: pd.DataFrame,
    outcome: str,
    covariates: str | Sequence[str],
    *,
    ci: Literal["profile", "wald"] = "profile",
    alpha: float = 0.05,
) -> ModelResult:
    """Firth's penalised-likelihood logistic regression.

    Parameters
    ----------
    data
        One row per unit.
    outcome
        0/1 or boolean outcome column.
    covariates
        Covariate columns (numeric, boolean or categorical; an intercept is added).
    ci
        ``"profile"`` (default, as R ``logistf``): profile penalised likelihood
        intervals and penalised likelihood ratio p-values; ``"wald"``: Wald
        intervals and p-values from ``std_error``.
    alpha
        1 - confidence level.

    Returns
    -------
    ModelResult
        ``.model`` is a :class:`FirthLogitResults`.

    Notes
    -----
    Firth (1993), Heinze & Schemper (2002): maximise
    :math:`\\ell^*(\\beta) = \\ell(\\beta) + \\tfrac12 \\log|I(\\beta)|`, the
    log-likelihood penalised by Jeffreys' prior, :math:`I = X^\\top W X`,
    :math:`W = \\mathrm{diag}(\\pi_i(1-\\pi_i))`. The score becomes
    :math:`U^*(\\beta) = X^\\top(y - \\pi + h \\circ (1/2 - \\pi))` with
    :math:`h` the diagonal of :math:`W^{1/2}X I^{-1} X^\\top W^{1/2}`; it is
    solved by Newton–Raphson with step halving on :math:`\\ell^*` and steps
    capped at 5 (as ``logistf``). Estimates are finite under separation.
    ``std_error`` is :math:`\\sqrt{\\mathrm{diag}\\, I(\\hat\\beta)^{-1}}`;
    with ``ci="profile"`` the interval is
    :math:`\\{b: 2(\\ell^*(\\hat\\beta) - \\max_{\\beta_j=b}\\ell^*) \\le
    \\chi^2_{1,1-\\alpha}\\}` and the p-value the penalised likelihood ratio
    test of :math:`\\beta_j = 0`. No library in the environment provides
    Firth's method; this implementation is checked in the tests against the
    closed form for a 2 × 2 table (log odds ratio with 0.5 added to each
    cell). The AIC in ``.summary`` uses the unpenalised log-likelihood.
    """
    where = "firth_logit"
    covs = _as_list(covariates)
    _require_columns(data, [outcome, *covs], where)
    _check_no_na(data, [outcome, *covs], where)
    y = _binary_outcome(data[outcome], where, outcome)
    des = _design(data, covs, intercept=True, where=where)
    return _firth_result(des, y, ci=ci, alpha=alpha, notes=[], warns=[], model_name="logit")


def _binary_outcome(s: pd.Series, where: str, name: str, *, allow_constant: bool = False) -> np.ndarray:
    vals = pd.to_numeric(s.astype("float64") if pd.api.types.is_bool_dtype(s) else s, errors="coerce")
    arr = vals.to_numpy(dtype=float)
    if np.isnan(arr).any() or not np.isin(arr, [0.0, 1.0]).all():
        raise InputError(f"{where}: outcome {name!r} must be boolean or 0/1", column=name)
    if not allow_constant and len(arr) and np.all(arr == arr[0]):
        # only an intercept could be estimated, and even it is infinite
        raise InputError(
            f"{where}: outcome {name!r} is {int(arr[0])} for every row: there is nothing to model",
            column=name,
        )
    return arr


def _firth_result(
    des: _Design,
    y: np.ndarray,
    *,
    ci: str,
    alpha: float,
    notes: list[str],
    warns: list[str],
    model_name: str,
) -> ModelResult:
    from scipy import stats

    X = des.X.to_numpy(dtype=float)
    names = list(des.X.columns)
    fit = _firth_core(X, y)
    if not fit.converged:
        msg = f"Firth fit did not converge in {fit.n_iter} iterations"
        warns.append(msg)
        _warn(msg, stacklevel=4)
    cov = np.linalg.inv(fit.info)
    se = np.sqrt(np.diag(cov))
    z = stats.norm.ppf(1 - alpha / 2)
    if ci == "profile":
        q = stats.chi2.ppf(1 - alpha, 1)
        lo = np.array([_firth_profile_bound(X, y, None, fit, j, -1, q, se[j]) for j in range(len(names))])
        hi = np.array([_firth_profile_bound(X, y, None, fit, j, +1, q, se[j]) for j in range(len(names))])
        pv = []
        for j in range(len(names)):
            start = fit.beta.copy()
            start[j] = 0.0
            r0 = _firth_core(X, y, fixed={j: 0.0}, beta0=start)
            chi = max(2.0 * (fit.pll - r0.pll), 0.0)
            pv.append(float(stats.chi2.sf(chi, 1)))
        pv = np.array(pv)
        ci_text = "profile penalised likelihood CIs and penalised likelihood ratio p-values (as R logistf)"
        if np.isnan(lo).any() or np.isnan(hi).any():
            bad = [names[j] for j in range(len(names)) if np.isnan(lo[j]) or np.isnan(hi[j])]
            warns.append(f"profile CI bounds could not be found for {bad}: use ci='wald' or check the fit")
        if np.isinf(lo).any() or np.isinf(hi).any():
            warns.append("some profile CI bounds are infinite")
    elif ci == "wald":
        lo = fit.beta - z * se
        hi = fit.beta + z * se
        pv = 2 * stats.norm.sf(np.abs(fit.beta / se))
        ci_text = "Wald CIs and p-values from the inverse information"
    else:
        raise InputError(f"ci must be 'profile' or 'wald', not {ci!r}")
    coef = _coef_frame(names, fit.beta, se, lo, hi, pv, ratio=True)
    res_model = FirthLogitResults(
        params=pd.Series(fit.beta, index=names),
        bse=pd.Series(se, index=names),
        cov_params=pd.DataFrame(cov, index=names, columns=names),
        pvalues=pd.Series(pv, index=names),
        ci_table=pd.DataFrame({"lower": lo, "upper": hi}, index=names),
        llf=fit.ll,
        llf_penalised=fit.pll,
        converged=fit.converged,
        n_iter=fit.n_iter,
        nobs=len(y),
        ci_method=ci,
        fittedvalues=fit.p,
    )
    k = len(names)
    notes = [
        *notes,
        "Firth penalised likelihood (Jeffreys prior), Newton-Raphson with step halving",
        ci_text,
        _ref_note(des),
    ]
    summary = _summary_frame(
        model=model_name,
        method="firth",
        n=len(y),
        events=int(y.sum()),
        n_parameters=k,
        log_likelihood=fit.ll,
        aic=-2 * fit.ll + 2 * k,
        converged=fit.converged,
        notes=notes,
        warnings=warns,
        penalised_log_likelihood=fit.pll,
    )
    return ModelResult(coef, res_model, summary, list(warns))


def _ref_note(des: _Design) -> str:
    if not des.references:
        return ""
    return "reference levels: " + ", ".join(f"{k}={v}" for k, v in des.references.items())


def _fit_quietly(fn):
    """Run ``fn()`` catching statsmodels/numpy warnings; return (result, messages, error)."""
    from statsmodels.tools.sm_exceptions import PerfectSeparationError

    msgs: list[str] = []
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        try:
            res = fn()
            err = None
        except (PerfectSeparationError, np.linalg.LinAlgError, ValueError, OverflowError) as e:
            res, err = None, e
    for w in rec:
        if issubclass(w.category, (DeprecationWarning, FutureWarning)):
            continue
        text = str(w.message).strip().splitlines()[0] if str(w.message).strip() else ""
        if text and text not in msgs:
            msgs.append(f"{w.category.__name__}: {text}")
    return res, msgs, err


def fit_logit(
    data: pd.DataFrame,
    outcome: str,
    covariates: str | Sequence[str],
    *,
    penalised: bool | Literal["auto"] = "auto",
    ci: Literal["profile", "wald"] = "profile",
    alpha: float = 0.05,
) -> ModelResult:
    """Logistic regression with a Firth fallback when the MLE does not exist.

    Parameters
    ----------
    data
        One row per unit, e.g. municipalities with ``ever_adopted``.
    outcome
        Boolean or 0/1 column.
    covariates
        Columns (numeric, boolean, categorical; dummies with the first level as
        reference; an intercept is added), e.g.
        ``["log_population", "skr_main_group", "county_code"]``.
    penalised
        ``"auto"`` (default): maximum likelihood (``statsmodels.Logit``) unless
        separation is detected or the ML fit fails, then Firth. ``True``:
        always Firth. ``False``: always ML, with a warning under separation.
    ci
        Interval method of a Firth fit (see :func:`firth_logit`).
    alpha
        1 - confidence level.

    Returns
    -------
    ModelResult
        ``.coef`` (odds ratios in ``ratio``), ``.model``, ``.summary``
        (``method`` is ``"ml"`` or ``"firth"``; ``separation`` says whether
        separation was found).

    Notes
    -----
    :math:`\\mathrm{logit}\\,P(y_i=1) = x_i^\\top\\beta`. Separation (a
    combination of covariates predicting the outcome perfectly, e.g. all 3
    A1 municipalities adopted) means the ML estimate is infinite; statsmodels
    then returns huge coefficients (odds ratios of 1e+15) or fails. It is
    detected before fitting by the linear program of
    :func:`detect_separation`, and after fitting by non-convergence,
    statsmodels' separation warnings, non-finite values or |estimate| > 15 /
    SE > 50. In each case ``"auto"`` refits with Firth's method and says so
    in ``.summary`` and a :class:`StatisticalWarning`. ML intervals are Wald
    intervals.
    """
    import statsmodels.api as sm
    from scipy import stats

    where = "fit_logit"
    covs = _as_list(covariates)
    _require_columns(data, [outcome, *covs], where)
    _check_no_na(data, [outcome, *covs], where)
    y = _binary_outcome(data[outcome], where, outcome)
    des = _design(data, covs, intercept=True, where=where)
    separated, sep_terms = detect_separation(des.X, y)
    warns: list[str] = []
    notes: list[str] = []
    if penalised not in ("auto", True, False):
        raise InputError(f"{where}: penalised must be 'auto', True or False, not {penalised!r}")
    if separated:
        sep_msg = (
            f"{where}: (quasi-)complete separation in {outcome!r} involving "
            f"{sep_terms or 'the covariates'}; maximum likelihood estimates do not exist"
        )
    use_firth = penalised is True or (penalised == "auto" and separated)
    if not use_firth:
        res, msgs, err = _fit_quietly(
            lambda: sm.Logit(y, des.X).fit(disp=0, maxiter=200, method="newton")
        )
        problem = None
        if err is not None:
            problem = f"ML fit failed ({type(err).__name__}: {err})"
        elif res is not None:
            conv = bool(res.mle_retvals.get("converged", True))
            huge = _huge_terms(des.X, res.params, res.bse)
            if not conv:
                problem = "ML fit did not converge"
            elif huge:
                problem = f"ML estimates diverge for {huge}"
            elif any("separation" in m.lower() for m in msgs):
                problem = "statsmodels reports separation"
        if problem is None and not separated:
            ci_ml = res.conf_int(alpha=alpha)
            coef = _coef_frame(
                des.X.columns, res.params, res.bse, ci_ml.iloc[:, 0], ci_ml.iloc[:, 1],
                res.pvalues, ratio=True,
            )
            for m in msgs:
                warns.append(m)
                _warn(f"{where}: {m}")
            summary = _summary_frame(
                model="logit",
                method="ml",
                n=len(y),
                events=int(y.sum()),
                n_parameters=des.X.shape[1],
                log_likelihood=float(res.llf),
                aic=float(res.aic),
                converged=bool(res.mle_retvals.get("converged", True)),
                notes=["maximum likelihood (statsmodels Logit), Wald CIs", _ref_note(des)],
                warnings=warns,
                separation=False,
            )
            return ModelResult(coef, res, summary, warns)
        if penalised is False:
            msg = sep_msg if separated else f"{where}: {problem}"
            msg += "; estimates and odds ratios of the affected terms are meaningless (not finite)"
            warns.append(msg)
            _warn(msg)
            if res is None:
                raise InputError(f"{where}: {problem}; use penalised='auto' or True")
            ci_ml = res.conf_int(alpha=alpha)
            coef = _coef_frame(
                des.X.columns, res.params, res.bse, ci_ml.iloc[:, 0], ci_ml.iloc[:, 1],
                res.pvalues, ratio=True,
            )
            summary = _summary_frame(
                model="logit", method="ml", n=len(y), events=int(y.sum()),
                n_parameters=des.X.shape[1], log_likelihood=float(res.llf), aic=float(res.aic),
                converged=bool(res.mle_retvals.get("converged", False)),
                notes=["maximum likelihood forced (penalised=False)", _ref_note(des)],
                warnings=warns, separation=bool(separated),
            )
            return ModelResult(coef, res, summary, warns)
        reason = sep_msg if separated else f"{where}: {problem}"
    else:
        reason = sep_msg if separated else ""
    if penalised == "auto":
        msg = f"{reason}; switched to Firth's penalised logistic regression (report it as such)"
        warns.append(msg)
        _warn(msg)
        notes.append("Firth fallback: " + reason)
    elif separated:
        notes.append(sep_msg)
    out = _firth_result(des, y, ci=ci, alpha=alpha, notes=notes, warns=warns, model_name="logit")
    out.summary["separation"] = bool(separated)
    return out


# --------------------------------------------------------------------------- count models
def _column_or_array(data: pd.DataFrame, x: str | Any | None, where: str, what: str):
    if x is None:
        return None
    if isinstance(x, str):
        _require_columns(data, [x], where)
        _check_no_na(data, [x], where)
        arr = pd.to_numeric(data[x]).to_numpy(dtype=float)
    else:
        arr = np.asarray(x, dtype=float)
        if arr.shape != (len(data),):
            raise InputError(f"{where}: {what} must have one value per row")
    if what == "exposure" and np.any(arr <= 0):
        raise InputError(f"{where}: exposure must be positive")
    if not np.isfinite(arr).all():
        raise InputError(f"{where}: {what} has non-finite values")
    return arr


def fit_count(
    data: pd.DataFrame,
    outcome: str,
    covariates: str | Sequence[str],
    *,
    offset: str | Any | None = None,
    exposure: str | Any | None = None,
    test_level: float = 0.05,
    alpha: float = 0.05,
) -> CountModelResult:
    """Poisson regression, an overdispersion test, and a negative binomial fit.

    Parameters
    ----------
    data
        One row per unit (e.g. municipalities with ``iops_total``).
    outcome
        Non-negative integer counts.
    covariates
        Covariate columns (an intercept is added).
    offset, exposure
        Column name or array: an offset on the log scale, or an exposure
        (``log(exposure)`` is used as offset), e.g. population.
    test_level
        Level of the one-sided overdispersion test that picks the model.
    alpha
        1 - confidence level of the Wald intervals.

    Returns
    -------
    CountModelResult
        ``.coef``/``.model``/``.summary`` of the chosen model; ``.chosen`` is
        ``"poisson"`` or ``"negbin"``; ``.poisson`` and ``.negbin`` hold both
        fits; ``.dispersion_test`` has columns ``test, statistic, df, p_value,
        estimate, note`` (rows: Cameron–Trivedi, Pearson chi2/df, likelihood
        ratio NB vs Poisson).

    Notes
    -----
    Poisson GLM: :math:`\\log E(y_i) = x_i^\\top\\beta + \\text{offset}_i`
    (``statsmodels`` GLM). Overdispersion is tested by the Cameron–Trivedi
    (1990) auxiliary regression for the NB2 alternative
    :math:`\\mathrm{Var}(y) = \\mu + \\alpha\\mu^2`: regress
    :math:`((y-\\hat\\mu)^2 - y)/\\hat\\mu` on :math:`\\hat\\mu` without a
    constant and test :math:`\\alpha > 0` with the z statistic
    (one-sided, normal reference), as R ``AER::dispersiontest(m, trafo = 2)``.
    The negative binomial (NB2, ``statsmodels.discrete.NegativeBinomial``,
    :math:`\\alpha` by maximum likelihood) is chosen when the likelihood ratio
    test NB vs Poisson rejects at ``test_level`` (its p-value is halved because
    :math:`\\alpha = 0` is on the boundary); if the NB fit did not converge,
    the Cameron–Trivedi test decides. When the two tests disagree a warning
    says so. Pearson :math:`X^2/\\mathrm{df}` with :math:`P(\\chi^2_{df} > X^2)`
    is reported too. ``ratio`` is the incidence rate ratio.
    """
    import statsmodels.api as sm
    from scipy import stats

    where = "fit_count"
    covs = _as_list(covariates)
    _require_columns(data, [outcome, *covs], where)
    _check_no_na(data, [outcome, *covs], where)
    yv = pd.to_numeric(data[outcome]).to_numpy(dtype=float)
    if np.any(yv < 0) or not np.allclose(yv, np.round(yv)):
        raise InputError(f"{where}: outcome {outcome!r} must hold non-negative whole counts", column=outcome)
    des = _design(data, covs, intercept=True, where=where)
    off = _column_or_array(data, offset, where, "offset")
    expo = _column_or_array(data, exposure, where, "exposure")
    total_off = np.zeros(len(yv))
    if off is not None:
        total_off = total_off + off
    if expo is not None:
        total_off = total_off + np.log(expo)
    warns: list[str] = []
    ref = _ref_note(des)

    pois, msgs, err = _fit_quietly(
        lambda: sm.GLM(yv, des.X, family=sm.families.Poisson(), offset=total_off).fit()
    )
    if pois is None:
        raise InputError(f"{where}: the Poisson fit failed ({err})")
    for m in msgs:
        warns.append(f"poisson: {m}")
    huge = _huge_terms(des.X, pois.params, pois.bse)
    if huge:
        warns.append(f"poisson: estimates diverge for {huge} (a group with only zero counts?)")
    ci_p = pois.conf_int(alpha=alpha)
    pois_res = ModelResult(
        _coef_frame(des.X.columns, pois.params, pois.bse, ci_p.iloc[:, 0], ci_p.iloc[:, 1], pois.pvalues, ratio=True),
        pois,
        _summary_frame(
            model="poisson", method="ml (GLM, IRLS)", n=len(yv), events=int(yv.sum()),
            n_parameters=des.X.shape[1], log_likelihood=float(pois.llf), aic=float(pois.aic),
            converged=bool(getattr(pois, "converged", True)), notes=["Poisson GLM, Wald CIs", ref],
            warnings=list(warns),
        ),
        list(warns),
    )

    # Cameron-Trivedi auxiliary regression (NB2)
    mu = np.asarray(pois.mu, dtype=float)
    aux_y = ((yv - mu) ** 2 - yv) / mu
    ols = sm.OLS(aux_y, mu).fit()
    ct_alpha = float(ols.params[0])
    ct_z = float(ols.tvalues[0])
    ct_p = float(stats.norm.sf(ct_z))
    pearson = float(pois.pearson_chi2)
    df_resid = float(pois.df_resid)
    rows = [
        dict(
            test="Cameron-Trivedi (NB2 alternative, one-sided)",
            statistic=ct_z,
            df=np.nan,
            p_value=ct_p,
            estimate=ct_alpha,
            note="OLS of ((y-mu)^2-y)/mu on mu without constant; z test of alpha > 0 "
            "(R AER::dispersiontest(trafo = 2)); decides if the NB fit fails",
        ),
        dict(
            test="Pearson chi2/df",
            statistic=pearson / df_resid if df_resid > 0 else np.nan,
            df=df_resid,
            p_value=float(stats.chi2.sf(pearson, df_resid)) if df_resid > 0 else np.nan,
            estimate=pearson,
            note="dispersion ratio (1 under Poisson); p = P(chi2_df > Pearson X2); estimate = X2",
        ),
    ]

    nb_res: ModelResult | None = None
    nb_msgs: list[str] = []
    nb_model = sm.NegativeBinomial(yv, des.X, loglike_method="nb2", offset=total_off)
    nb, nb_msgs, nb_err = _fit_quietly(lambda: nb_model.fit(disp=0, maxiter=200, method="newton"))
    if nb is None or not bool(nb.mle_retvals.get("converged", False)) or not np.isfinite(nb.bse).all():
        # Newton can fail far from the optimum; BFGS is statsmodels' default
        nb, nb_msgs, nb_err = _fit_quietly(lambda: nb_model.fit(disp=0, maxiter=1000, method="bfgs"))
    if nb is not None:
        nb_conv = bool(nb.mle_retvals.get("converged", True))
        names_nb = list(des.X.columns)
        params = np.asarray(nb.params)[: len(names_nb)]
        bse = np.asarray(nb.bse)[: len(names_nb)]
        ci_nb = np.asarray(nb.conf_int(alpha=alpha))[: len(names_nb)]
        pv = np.asarray(nb.pvalues)[: len(names_nb)]
        nb_alpha = float(np.asarray(nb.params)[-1])
        nb_warns = [f"negbin: {m}" for m in nb_msgs]
        if not nb_conv:
            nb_warns.append("negbin: did not converge")
        nb_res = ModelResult(
            _coef_frame(names_nb, params, bse, ci_nb[:, 0], ci_nb[:, 1], pv, ratio=True),
            nb,
            _summary_frame(
                model="negbin", method="ml (NB2, statsmodels NegativeBinomial)", n=len(yv),
                events=int(yv.sum()), n_parameters=len(nb.params), log_likelihood=float(nb.llf),
                aic=float(nb.aic), converged=nb_conv,
                notes=[f"NB2 with alpha estimated by ML (alpha = {nb_alpha:.4g}); Wald CIs", ref],
                warnings=nb_warns, nb_alpha=nb_alpha,
            ),
            nb_warns,
        )
        lr = max(2.0 * (float(nb.llf) - float(pois.llf)), 0.0)
        rows.append(
            dict(
                test="Likelihood ratio NB2 vs Poisson",
                statistic=lr,
                df=1.0,
                p_value=0.5 * float(stats.chi2.sf(lr, 1)),
                estimate=nb_alpha,
                note="boundary test of alpha = 0, p-value halved; estimate = NB2 alpha; "
                "decides the model",
            )
        )
    else:
        warns.append(f"negbin: fit failed ({nb_err})")
    disp = pd.DataFrame(rows, columns=["test", "statistic", "df", "p_value", "estimate", "note"])

    # The choice rests on the likelihood-ratio test of alpha = 0 when the NB fit
    # converged (it uses the full likelihood and is the more powerful test in
    # small samples); otherwise on the Cameron-Trivedi test. Both are reported.
    lr_p = float(disp.loc[disp["test"].str.startswith("Likelihood ratio"), "p_value"].iloc[0]) if (
        nb_res is not None and bool(nb_res.summary["converged"].iloc[0])
    ) else None
    deciding, deciding_p = ("likelihood ratio", lr_p) if lr_p is not None else ("Cameron-Trivedi", ct_p)
    overdispersed = deciding_p < test_level
    if lr_p is not None and (lr_p < test_level) != (ct_p < test_level):
        warns.append(
            f"the overdispersion tests disagree (likelihood ratio p = {lr_p:.3g}, Cameron-Trivedi "
            f"p = {ct_p:.3g}); the choice follows the likelihood ratio test: report both fits"
        )
    chosen = "negbin" if overdispersed and nb_res is not None else "poisson"
    if overdispersed and nb_res is None:
        msg = f"{where}: overdispersion found but the negative binomial fit failed; Poisson SEs are too small"
        warns.append(msg)
        _warn(msg)
    for m in warns + (nb_res.warnings if nb_res is not None and chosen == "negbin" else []):
        _warn(f"{where}: {m}")
    base = nb_res if chosen == "negbin" else pois_res
    summary = base.summary.copy()
    summary["chosen_because"] = (
        f"{deciding} test of overdispersion p = {deciding_p:.4g} "
        f"{'<' if overdispersed else '>='} {test_level}"
    )
    summary["warnings"] = "; ".join([w for w in [summary["warnings"].iloc[0], *warns] if w])
    return CountModelResult(
        coef=base.coef,
        model=base.model,
        summary=summary,
        warnings=list(dict.fromkeys(warns + base.warnings)),
        poisson=pois_res,
        negbin=nb_res,
        dispersion_test=disp,
        chosen=chosen,
    )


# --------------------------------------------------------------------------- hazard models
def person_period(
    panel: pd.DataFrame,
    unit: str = "kommun_code",
    time: str = "year",
    event_time: str = "first_iop_year",
    *,
    event: str = "event",
) -> pd.DataFrame:
    """The at-risk (person-period) table for a discrete-time hazard model.

    Parameters
    ----------
    panel
        One row per unit × time (e.g. the municipality panel).
    unit, time
        Unit and time columns.
    event_time
        Column with the unit's event time (constant within unit; missing for
        units without an event), e.g. ``first_iop_year``.
    event
        Name of the new 0/1 event column.

    Returns
    -------
    pandas.DataFrame
        The panel's rows in the risk set, sorted by unit and time, with two
        new columns: ``<event>`` (int64, 1 in the event year) and
        ``duration`` (int64, 1 in the unit's first year at risk).

    Notes
    -----
    A unit is at risk from its first row up to and including its event time;
    after the event it leaves the risk set. Units without an event are
    censored at their last row. Units whose event time lies *before* their
    first row (e.g. adopted before the panel starts: left-censored) are never
    at risk; they are left out with a :class:`StatisticalWarning`. An event
    time after the last row means the unit is censored.
    """
    where = "person_period"
    _require_columns(panel, [unit, time, event_time], where)
    _check_no_na(panel, [unit, time], where)
    if panel.duplicated([unit, time]).any():
        dup = panel.loc[panel.duplicated([unit, time]), [unit, time]].iloc[0].tolist()
        raise InputError(f"{where}: more than one row per {unit} × {time}, e.g. {dup}")
    et = pd.to_numeric(panel[event_time]).astype("Float64")
    n_et = et.groupby(panel[unit]).nunique(dropna=False)
    if (n_et > 1).any():
        bad = n_et[n_et > 1].index[0]
        raise InputError(
            f"{where}: {event_time!r} must be constant within each {unit}; it varies for {bad!r}",
            column=event_time,
        )
    df = panel.copy()
    t = pd.to_numeric(df[time]).astype("float64")
    e = et.astype("float64").to_numpy(na_value=np.nan)
    first = t.groupby(df[unit]).transform("min").to_numpy()
    left = (~np.isnan(e)) & (e < first)
    if left.any():
        units = pd.unique(df.loc[left, unit])
        _warn(
            f"{where}: {len(units)} unit(s) had the event before their first {time} "
            f"(left-censored, never at risk) and are left out: {list(units[:10])}"
            + (" ..." if len(units) > 10 else "")
        )
    keep = (~left) & (np.isnan(e) | (t.to_numpy() <= e))
    out = df.loc[keep].copy()
    tt = t.to_numpy()[keep]
    ee = e[keep]
    out[event] = (tt == ee).astype("int64")
    out = out.sort_values([unit, time], kind="mergesort")
    out["duration"] = (out.groupby(unit).cumcount() + 1).astype("int64")
    return out.reset_index(drop=True)


def fit_discrete_hazard(
    person_period: pd.DataFrame,
    event: str = "event",
    covariates: str | Sequence[str] = (),
    *,
    link: Literal["cloglog", "logit"] = "cloglog",
    cluster: str | None = "kommun_code",
    time: str | None = None,
    time_form: Literal["linear", "quadratic", "categorical"] = "linear",
    alpha: float = 0.05,
) -> ModelResult:
    """Discrete-time hazard model: binomial GLM on unit-periods at risk.

    Parameters
    ----------
    person_period
        The at-risk table from :func:`person_period`.
    event
        0/1 event column.
    covariates
        Covariate columns (may vary over time); an intercept is added.
    link
        ``"cloglog"`` (default; ``exp(estimate)`` is a hazard ratio of the
        underlying continuous-time proportional hazards model) or ``"logit"``
        (``exp(estimate)`` is an odds ratio of the discrete hazard).
    cluster
        Column identifying units for cluster-robust (sandwich) standard
        errors; None for model-based SEs.
    time
        Optional time column for the baseline hazard (e.g. ``"year"`` or
        ``"duration"``), entered as ``time_form``: linear, linear + squared
        (centred at its mean), or one dummy per value (beware: periods without
        events then separate).
    alpha
        1 - confidence level.

    Returns
    -------
    ModelResult

    Notes
    -----
    :math:`g(h_{it}) = \\alpha_t + x_{it}^\\top\\beta` with
    :math:`h_{it} = P(T_i = t \\mid T_i \\ge t, x_{it})` and
    :math:`g = \\log(-\\log(1-h))` or :math:`\\mathrm{logit}(h)`; fitted by
    ``statsmodels`` GLM (Binomial) with ``cov_type="cluster"`` by unit
    (CR1 small-sample correction, statsmodels default). On grouped (yearly)
    event times the cloglog model estimates the same :math:`\\beta` as a
    Cox model (Prentice & Gloeckler 1978). Separation is checked with
    :func:`detect_separation`; if present, a :class:`StatisticalWarning`
    names the terms whose estimates are not finite (merge categories or
    drop the term).
    """
    import statsmodels.api as sm

    where = "fit_discrete_hazard"
    pp = person_period
    covs = _as_list(covariates)
    need = [event, *covs] + ([cluster] if cluster else []) + ([time] if time else [])
    _require_columns(pp, need, where)
    _check_no_na(pp, need, where)
    y = _binary_outcome(pp[event], where, event)
    data = pp
    design_covs = list(covs)
    if time is not None:
        data = pp.copy()
        tv = pd.to_numeric(data[time]).astype(float)
        if time_form == "linear":
            data["_t"] = tv
            design_covs += ["_t"]
        elif time_form == "quadratic":
            c = tv - tv.mean()
            data["_t"] = c
            data["_t2"] = c**2
            design_covs += ["_t", "_t2"]
        elif time_form == "categorical":
            data["_tc"] = pd.Categorical(tv.astype("int64"), ordered=True)
            design_covs += ["_tc"]
        else:
            raise InputError(f"{where}: time_form must be linear, quadratic or categorical")
    des = _design(data, design_covs, intercept=True, where=where)
    rename = {"_t": time, "_t2": f"{time}^2 (centred)"}
    des.X.columns = [
        rename.get(c, c.replace("_tc[", f"{time}[") if c.startswith("_tc[") else c) for c in des.X.columns
    ]
    if link == "cloglog":
        fam = sm.families.Binomial(link=sm.families.links.CLogLog())
    elif link == "logit":
        fam = sm.families.Binomial()
    else:
        raise InputError(f"{where}: link must be 'cloglog' or 'logit', not {link!r}")
    warns: list[str] = []
    separated, sep_terms = detect_separation(des.X, y)
    if separated:
        msg = (
            f"{where}: (quasi-)complete separation involving {sep_terms}; the estimates of "
            "these terms are not finite (merge sparse categories or drop the term)"
        )
        warns.append(msg)
        _warn(msg)
    if cluster:
        groups = pd.factorize(pp[cluster])[0]
        kw = dict(cov_type="cluster", cov_kwds={"groups": groups})
        se_note = f"cluster-robust SEs by {cluster} ({len(np.unique(groups))} clusters)"
    else:
        kw = {}
        se_note = "model-based SEs (no clustering)"
    res, msgs, err = _fit_quietly(lambda: sm.GLM(y, des.X, family=fam).fit(maxiter=200, **kw))
    if res is None:
        raise InputError(f"{where}: the GLM fit failed ({err})")
    for m in msgs:
        warns.append(m)
        _warn(f"{where}: {m}")
    huge = _huge_terms(des.X, res.params, res.bse)
    if huge and not separated:
        msg = f"{where}: estimates diverge for {huge}"
        warns.append(msg)
        _warn(msg)
    ci_ = res.conf_int(alpha=alpha)
    coef = _coef_frame(
        des.X.columns, res.params, res.bse, ci_.iloc[:, 0], ci_.iloc[:, 1], res.pvalues, ratio=True
    )
    summary = _summary_frame(
        model=f"discrete-time hazard ({link})",
        method="ml (binomial GLM)",
        n=len(y),
        events=int(y.sum()),
        n_parameters=des.X.shape[1],
        log_likelihood=float(res.llf),
        aic=float(res.aic),
        converged=bool(getattr(res, "converged", True)),
        notes=[
            f"binomial GLM, {link} link, on unit-periods at risk",
            se_note,
            "ratio = hazard ratio" if link == "cloglog" else "ratio = odds ratio of the discrete hazard",
            _ref_note(des),
        ],
        warnings=warns,
        separation=bool(separated),
        n_units=int(pp[cluster].nunique()) if cluster else np.nan,
    )
    return ModelResult(coef, res, summary, warns)


def fit_cox(
    data: pd.DataFrame,
    duration: str,
    event: str,
    covariates: str | Sequence[str],
    ties: Literal["efron", "breslow"] = "efron",
    strata: str | None = None,
    *,
    alpha: float = 0.05,
) -> ModelResult:
    """Cox proportional hazards model (``statsmodels`` PHReg) with explicit ties.

    Parameters
    ----------
    data
        One row per unit.
    duration
        Time to event or censoring (> 0).
    event
        1/True if the event happened, 0/False if censored.
    covariates
        Covariate columns (categorical ones as dummies; no intercept).
    ties
        ``"efron"`` (default, as R ``coxph`` and lifelines) or ``"breslow"``
        (the statsmodels default). Always passed explicitly to PHReg.
    strata
        Optional stratum column (separate baseline hazards).
    alpha
        1 - confidence level.

    Returns
    -------
    ModelResult
        ``ratio`` is the hazard ratio; ``.summary`` states the tie method.

    Notes
    -----
    Partial likelihood of :math:`h_i(t) = h_0(t)\\exp(x_i^\\top\\beta)`;
    Efron's approximation for tied event times. statsmodels' own default is
    ``missing="drop"``, which silently loses rows: here missing values in any
    used column raise an :class:`~iopstudy.errors.InputError` naming the
    columns instead. Wald intervals. AIC is :math:`-2\\ell_p + 2k` on the
    partial log-likelihood (as lifelines' ``AIC_partial_``). With yearly
    adoption data ties are many; the discrete-time model
    (:func:`fit_discrete_hazard`) is the main model and this one a check.
    """
    from statsmodels.duration.hazard_regression import PHReg

    where = "fit_cox"
    covs = _as_list(covariates)
    if ties not in ("efron", "breslow"):
        raise InputError(f"{where}: ties must be 'efron' or 'breslow', not {ties!r}")
    need = [duration, event, *covs] + ([strata] if strata else [])
    _require_columns(data, need, where)
    _check_no_na(data, need, where)
    dur = pd.to_numeric(data[duration]).to_numpy(dtype=float)
    ev = _binary_outcome(data[event], where, event, allow_constant=True)
    if not ev.any():
        raise InputError(f"{where}: no events in {event!r}: a Cox model needs at least one", column=event)
    if np.any(dur < 0):
        raise InputError(f"{where}: negative durations in {duration!r}", column=duration)
    des = _design(data, covs, intercept=False, where=where)
    kw: dict[str, Any] = {"ties": ties, "missing": "none"}
    if strata:
        kw["strata"] = pd.factorize(data[strata])[0]
    warns: list[str] = []
    res, msgs, err = _fit_quietly(lambda: PHReg(dur, des.X, status=ev, **kw).fit())
    if res is None:
        raise InputError(f"{where}: the PHReg fit failed ({err})")
    for m in msgs:
        warns.append(m)
        _warn(f"{where}: {m}")
    huge = _huge_terms(des.X, res.params, res.bse)
    if huge:
        msg = (
            f"{where}: estimates diverge for {huge} (monotone likelihood: e.g. a group in which "
            "every unit, or no unit, had the event); hazard ratios of these terms are not finite"
        )
        warns.append(msg)
        _warn(msg)
    ci_ = np.asarray(res.conf_int(alpha=alpha))
    coef = _coef_frame(des.X.columns, res.params, res.bse, ci_[:, 0], ci_[:, 1], res.pvalues, ratio=True)
    k = des.X.shape[1]
    summary = _summary_frame(
        model="cox",
        method=f"partial likelihood (statsmodels PHReg), ties={ties}",
        n=len(dur),
        events=int(ev.sum()),
        n_parameters=k,
        log_likelihood=float(res.llf),
        aic=-2 * float(res.llf) + 2 * k,
        converged=bool(getattr(res, "converged", True)) if hasattr(res, "converged") else True,
        notes=[
            f"ties handled by the {ties.capitalize()} method",
            "Wald CIs",
            "AIC on the partial log-likelihood",
            f"stratified by {strata}" if strata else "",
            _ref_note(des),
        ],
        warnings=warns,
        ties=ties,
    )
    return ModelResult(coef, res, summary, warns)


def kaplan_meier(
    data: pd.DataFrame,
    duration: str,
    event: str,
    group: str | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Kaplan–Meier survival curves with pointwise log-log confidence intervals.

    Parameters
    ----------
    data
        One row per unit.
    duration, event
        Time to event or censoring, and 1/True for an event.
    group
        Optional grouping column: one curve per group.
    alpha
        1 - confidence level.

    Returns
    -------
    pandas.DataFrame
        ``group, time, n_at_risk, n_events, n_censored, survival, ci_low,
        ci_high``: a row at time 0 and at every distinct observed time
        (events or censorings), as lifelines' ``event_table``. ``group`` is
        ``"all"`` without ``group``.

    Notes
    -----
    :math:`\\hat S(t) = \\prod_{t_j \\le t}(1 - d_j/n_j)` and its Greenwood
    standard error from ``statsmodels.duration.survfunc.SurvfuncRight``.
    Intervals use the log-log ("exponential Greenwood") transform, the
    lifelines default (R: ``survfit(..., conf.type = "log-log")``):

    .. math::

        \\hat S(t)^{\\exp(\\pm z\\,\\sigma(t)/\\log \\hat S(t))},\\quad
        \\sigma^2(t) = \\sum_{t_j \\le t} \\frac{d_j}{n_j(n_j - d_j)}.

    Where :math:`\\hat S = 1` both bounds are 1, where it is 0 both are 0.
    """
    from scipy import stats
    from statsmodels.duration.survfunc import SurvfuncRight

    where = "kaplan_meier"
    need = [duration, event] + ([group] if group else [])
    _require_columns(data, need, where)
    _check_no_na(data, need, where)
    z = stats.norm.ppf(1 - alpha / 2)
    out = []
    if group is None:
        groups = [("all", data)]
    else:
        groups = list(data.groupby(group, observed=True, sort=True))
    for g, d in groups:
        t = pd.to_numeric(d[duration]).to_numpy(dtype=float)
        e = _binary_outcome(d[event], where, event, allow_constant=True)
        times = np.union1d([0.0], np.unique(t))
        n_risk = np.array([(t >= s).sum() for s in times], dtype="int64")
        n_ev = np.array([((t == s) & (e == 1)).sum() for s in times], dtype="int64")
        n_cens = np.array([((t == s) & (e == 0)).sum() for s in times], dtype="int64")
        surv = np.ones(len(times))
        var = np.zeros(len(times))
        if e.sum() > 0:
            sf = SurvfuncRight(t, e)
            st = np.asarray(sf.surv_times, dtype=float)
            sp = np.asarray(sf.surv_prob, dtype=float)
            se = np.asarray(sf.surv_prob_se, dtype=float)
            idx = np.searchsorted(st, times, side="right") - 1
            has = idx >= 0
            surv[has] = sp[idx[has]]
            with np.errstate(divide="ignore", invalid="ignore"):
                v = np.where(sp > 0, (se / sp) ** 2, np.inf)
            var[has] = v[idx[has]]
        with np.errstate(divide="ignore", invalid="ignore"):
            logS = np.log(surv)
            sig = np.sqrt(var)
            # logS < 0, so log(-logS) - z*sig/logS is the larger exponent: lower bound
            lo = np.exp(-np.exp(np.log(-logS) - z * sig / logS))
            hi = np.exp(-np.exp(np.log(-logS) + z * sig / logS))
        lo = np.where(surv >= 1.0, 1.0, np.where(surv <= 0.0, 0.0, lo))
        hi = np.where(surv >= 1.0, 1.0, np.where(surv <= 0.0, 0.0, hi))
        out.append(
            pd.DataFrame(
                {
                    "group": g,
                    "time": times,
                    "n_at_risk": n_risk,
                    "n_events": n_ev,
                    "n_censored": n_cens,
                    "survival": surv,
                    "ci_low": lo,
                    "ci_high": hi,
                }
            )
        )
    res = pd.concat(out, ignore_index=True)
    if group is not None and isinstance(data[group].dtype, pd.CategoricalDtype):
        res["group"] = pd.Categorical(
            res["group"], categories=data[group].cat.categories, ordered=data[group].cat.ordered
        )
    res.attrs["ci_level"] = round(100 * (1 - alpha))
    return res


def logrank_test(data: pd.DataFrame, duration: str, event: str, group: str) -> pd.DataFrame:
    """Log-rank test of equal survival curves across groups.

    Returns
    -------
    pandas.DataFrame
        One row: ``test, statistic, dof, p_value, n, events``.

    Notes
    -----
    ``statsmodels.duration.survfunc.survdiff`` (R: ``survdiff``): the
    chi-square statistic on (groups - 1) degrees of freedom.
    """
    from statsmodels.duration.survfunc import survdiff

    where = "logrank_test"
    _require_columns(data, [duration, event, group], where)
    _check_no_na(data, [duration, event, group], where)
    t = pd.to_numeric(data[duration]).to_numpy(dtype=float)
    e = _binary_outcome(data[event], where, event, allow_constant=True)
    g = pd.factorize(data[group], sort=True)[0]
    k = len(np.unique(g))
    if k < 2:
        return pd.DataFrame(
            [dict(test="log-rank", statistic=np.nan, dof=np.nan, p_value=np.nan, n=len(t), events=int(e.sum()))]
        )
    stat, p = survdiff(t, e, g)
    return pd.DataFrame(
        [dict(test="log-rank", statistic=float(stat), dof=k - 1, p_value=float(p), n=len(t), events=int(e.sum()))]
    )


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
        _require_columns(partnerships, ["start_year"], "policy_composition")
        notes.append(f"period from start_year, breaks {list(breaks)}")
        return period_of(partnerships["start_year"], breaks), notes
    if municipalities is None:
        from iopstudy.reference import load_municipalities

        municipalities = load_municipalities()
    if by not in municipalities.columns:
        raise InputError(
            f"policy_composition: {by!r} is neither a column of the partnerships nor of the "
            f"municipalities ({list(municipalities.columns)}), nor 'period'",
            column=by,
        )
    _require_columns(partnerships, [unit], "policy_composition")
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
    """
    where = "policy_composition"
    _require_columns(partnerships, [area], where)
    g, notes = _attach_group(partnerships, by, municipalities=municipalities, breaks=breaks)
    df = pd.DataFrame({"_group": g.to_numpy() if not isinstance(g.dtype, pd.CategoricalDtype) else g.array,
                       "_area": partnerships[area].to_numpy()})
    if dropna:
        miss = df.isna().any(axis=1)
        if miss.any():
            notes.append(f"{int(miss.sum())} agreement(s) with missing {by} or {area} left out")
        df = df.loc[~miss]
    else:
        _check_no_na(df.rename(columns={"_group": by, "_area": area}), [by, area], where)
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
    """
    where = "concentration"
    _require_columns(partnerships, [unit] + ([by] if by else []), where)
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
