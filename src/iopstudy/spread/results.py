"""Result types shared by the spread models, and the columns of their tables.

Every model returns one result type with ``coef`` (a tidy table of terms), ``summary``
(one row of fit statistics), ``warnings`` (the caveats, as text) and the fitted model; tests
return a tidy table with the columns in :data:`TEST_COLUMNS`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from iopstudy.errors import StatisticalWarning

__all__ = [
    "CrosstabResult",
    "ModelResult",
    "CountModelResult",
    "FirthLogitResults",
    "COEF_COLUMNS",
    "SUMMARY_COLUMNS",
    "TEST_COLUMNS",
]


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
def warn(message: str, stacklevel: int = 3) -> None:
    warnings.warn(message, StatisticalWarning, stacklevel=stacklevel)


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

    Examples
    --------
    Every model function returns one, e.g. :func:`~iopstudy.spread.fit_logit`:

    >>> from iopstudy.spread.regression import fit_logit
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"x": rng.normal(size=50)})
    >>> d["y"] = rng.random(50) < 1 / (1 + np.exp(-d["x"]))
    >>> r = fit_logit(d, "y", "x")
    >>> list(r.coef.columns) == COEF_COLUMNS, r.coef["term"].tolist(), r.warnings
    (True, ['Intercept', 'x'], [])
    >>> r.summary[["model", "method", "n"]].values.tolist()
    [['logit', 'ml', 50]]
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

    Examples
    --------
    >>> from iopstudy.spread.regression import fit_count
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"x": rng.normal(size=60)})
    >>> d["n"] = rng.poisson(np.exp(0.5 + 0.8 * d["x"]))
    >>> r = fit_count(d, "n", "x")
    >>> r.chosen, r.poisson.summary["model"].iloc[0], r.negbin.summary["model"].iloc[0]
    ('poisson', 'poisson', 'negbin')
    >>> len(r.dispersion_test)
    3
    """

    poisson: ModelResult | None = None
    negbin: ModelResult | None = None
    dispersion_test: pd.DataFrame | None = None
    chosen: str = "poisson"


@dataclass
class CrosstabResult:
    """A contingency table in long form (``.table``) and its test (``.test``).

    Unpacks as ``table, test = adoption_crosstab(...)``.

    Examples
    --------
    >>> from iopstudy.spread.contingency import adoption_crosstab
    >>> d = pd.DataFrame({"g": ["x"] * 4 + ["y"] * 4, "ever_adopted": [True, True] + [False] * 6})
    >>> table, test = adoption_crosstab(d, "g")
    >>> table[["group", "outcome", "count"]].values.tolist()
    [['x', False, 2], ['x', True, 2], ['y', False, 4], ['y', True, 0]]
    >>> test["test"].iloc[0], int(test["n"].iloc[0])
    ('Fisher exact (2x2)', 8)
    """

    table: pd.DataFrame
    test: pd.DataFrame

    def __iter__(self):
        return iter((self.table, self.test))


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

    Examples
    --------
    The ``.model`` of :func:`~iopstudy.spread.firth_logit`:

    >>> from iopstudy.spread.firth import firth_logit
    >>> d = pd.DataFrame({"x": [1, 2, 3, 4, 5, 6, 7, 8], "y": [0, 0, 0, 0, 1, 1, 1, 1]})
    >>> m = firth_logit(d, "y", "x", ci="wald").model
    >>> type(m).__name__, m.ci_method, m.nobs, m.converged
    ('FirthLogitResults', 'wald', 8, True)
    >>> round(float(m.params["x"]), 2), list(m.conf_int().columns)
    (1.03, ['lower', 'upper'])
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
