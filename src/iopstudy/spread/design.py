"""Design matrices and input checks shared by the spread models.

These helpers turn a long DataFrame and column names into model matrices and say clearly
what is wrong with the input (missing columns, missing values, rank deficiency) before a
model is fitted.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from iopstudy.errors import InputError
from iopstudy.spread.results import COEF_COLUMNS, SUMMARY_COLUMNS


def as_list(cols: str | Sequence[str] | None) -> list[str]:
    if cols is None:
        return []
    if isinstance(cols, str):
        return [cols]
    return list(cols)


def require_columns(data: pd.DataFrame, columns: Sequence[str], where: str) -> None:
    from iopstudy.errors import require_columns

    require_columns(data, columns, f"{where}: the data")


def check_no_na(data: pd.DataFrame, columns: Sequence[str], where: str) -> None:
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
class Design:
    X: pd.DataFrame
    references: dict[str, Any]


def design(
    data: pd.DataFrame, covariates: Sequence[str], *, intercept: bool, where: str
) -> Design:
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
    return Design(X, refs)


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


def coef_frame(
    names: Sequence[str],
    estimate: np.ndarray,
    std_error: np.ndarray,
    ci_low: np.ndarray,
    ci_high: np.ndarray,
    p_value: np.ndarray,
    *,
    ratio: bool,
) -> pd.DataFrame:
    names = list(names)
    cols = {k: np.asarray(v, dtype=float) for k, v in
            (("estimate", estimate), ("std_error", std_error), ("ci_low", ci_low), ("ci_high", ci_high),
             ("p_value", p_value))}
    # computed on arrays: a numpy function applied to a Series costs milliseconds on pandas 3
    baseline = np.array([t == "Intercept" for t in names], dtype=bool)
    with np.errstate(over="ignore"):
        for src, dst in (("estimate", "ratio"), ("ci_low", "ratio_ci_low"), ("ci_high", "ratio_ci_high")):
            # exp(intercept) is a baseline odds/rate, not a ratio
            cols[dst] = np.where(baseline, np.nan, np.exp(cols[src])) if ratio else np.full(len(names), np.nan)
    out = pd.DataFrame({"term": names, **cols})
    return out[COEF_COLUMNS]


def summary_frame(**kw: Any) -> pd.DataFrame:
    row = {c: kw.get(c) for c in SUMMARY_COLUMNS}
    for c in ("notes", "warnings"):
        v = row[c]
        if isinstance(v, (list, tuple)):
            row[c] = "; ".join(str(x) for x in v if x)
        row[c] = row[c] or ""
    extra = {k: v for k, v in kw.items() if k not in row}
    row.update(extra)
    return pd.DataFrame([row])


def huge_terms(X: pd.DataFrame, params: Any, bse: Any) -> list[str]:
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


def binary_outcome(s: pd.Series, where: str, name: str, *, allow_constant: bool = False) -> np.ndarray:
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


def ref_note(des: Design) -> str:
    if not des.references:
        return ""
    return "reference levels: " + ", ".join(f"{k}={v}" for k, v in des.references.items())


def fit_quietly(fn):
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


# --------------------------------------------------------------------------- count models
def column_or_array(data: pd.DataFrame, x: str | Any | None, where: str, what: str):
    if x is None:
        return None
    if isinstance(x, str):
        require_columns(data, [x], where)
        check_no_na(data, [x], where)
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
