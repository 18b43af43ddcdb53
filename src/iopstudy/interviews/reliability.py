"""Intercoder agreement: percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha.

:func:`agreement` computes the measures from a long coding table (``segment_id, code, coder``)
with bootstrap confidence intervals (resampling units); the unit is segment × code presence.
:func:`agreement_summary` gives them overall and per code for a notebook.
Checked against Krippendorff (2011) (0.743 / 0.815 / 0.849), Fleiss (1971) (0.430) and a textbook
Cohen example (0.4).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from iopstudy.errors import InputError, require_columns
from iopstudy.interviews.themes import resolve_codebook

if TYPE_CHECKING:  # pragma: no cover
    from iopstudy.interviews.codebook import Codebook

__all__ = [
    "AGREEMENT_COLUMNS",
    "agreement",
    "agreement_summary",
    "per_code_table",
]


#: Columns of :func:`agreement`'s result (``code`` first when ``by_code``).
AGREEMENT_COLUMNS = ("metric", "value", "ci_low", "ci_high", "level", "n_units", "n_coders", "note")


_LEVELS = ("nominal", "ordinal", "interval", "ratio")


def alpha_from_ci(alpha: float, ci: float | None) -> float:
    """``alpha``, or ``1 - ci`` (with a DeprecationWarning) when the old ``ci=`` is given; checked."""
    import warnings

    if ci is not None:
        warnings.warn("ci= is deprecated; use alpha=1-ci (alpha=0.05 for 95 % intervals)", DeprecationWarning, stacklevel=3)
        alpha = 1 - ci
    if not (0 < alpha < 1):
        raise InputError("alpha must be between 0 and 1", value=alpha)
    return float(alpha)


def _percentiles(values: list[float], ci: float) -> tuple[float, float, int]:
    arr = np.asarray(values, dtype=float)
    ok = arr[np.isfinite(arr)]
    if len(ok) == 0:
        return np.nan, np.nan, len(arr)
    lo, hi = np.percentile(ok, [100 * (1 - ci) / 2, 100 * (1 + ci) / 2])
    return float(lo), float(hi), len(arr) - len(ok)


#: Resample index cells (times the statistic's width) per bootstrap batch; bounds the memory.
_BATCH_CELLS = 1 << 21


def _boot(
    stat: Callable[[np.ndarray], np.ndarray], n: int, n_boot: int, rng: np.random.Generator, ci: float, width: int = 1
) -> tuple[float, float, str]:
    """Percentile bootstrap over ``n`` units; ``stat(idx)`` -> one value (or nan) per row of ``idx``.

    The resamples are the rows of ``rng.integers(0, n, (n_boot, n))``, drawn in batches: the
    same numbers, in the same order, as ``n_boot`` calls ``rng.integers(0, n, n)``.
    """
    if n_boot <= 0 or n == 0:
        return np.nan, np.nan, ""
    step = max(1, _BATCH_CELLS // (n * width))
    vals = np.concatenate([stat(rng.integers(0, n, (min(step, n_boot - b), n))) for b in range(0, n_boot, step)])
    lo, hi, bad = _percentiles(vals, ci)
    note = f"{bad} of {n_boot} bootstrap resamples undefined (left out of the CI)" if bad else ""
    return lo, hi, note


def _undefined_as_nan(value: np.ndarray, used: np.ndarray) -> np.ndarray:
    """``value``, nan where fewer than two categories are used (the statistic is 0/0 there)."""
    return np.where((used > 0).sum(axis=1) < 2, np.nan, value)


def _cohen_batch(t: np.ndarray) -> np.ndarray:
    """Cohen's kappa of each k × k table ``t[i]``: the operations of statsmodels' ``cohens_kappa``."""
    t = t.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        nobs = t.reshape(len(t), -1).sum(axis=1)[:, None]
        agree = np.diagonal(t, axis1=1, axis2=2).sum(axis=1)
        freq_row, freq_col = t.sum(axis=2) / nobs, t.sum(axis=1) / nobs
        agree_exp = (freq_col * freq_row).sum(axis=1)
        kappa = (agree / nobs[:, 0] - agree_exp) / (1 - agree_exp)
    return _undefined_as_nan(kappa, t.sum(axis=1) + t.sum(axis=2))


def _fleiss_batch(table: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Fleiss' kappa of the resamples ``table[idx[i]]``: the operations of statsmodels' ``fleiss_kappa``."""
    table = 1.0 * table
    n_rat = table.sum(1).max()  # every unit has every coder
    p_rat = ((table * table).sum(1) - n_rat) / (n_rat * (n_rat - 1.0))
    cat = table[idx].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_cat = cat / cat.sum(axis=1)[:, None]
        p_mean_exp = (p_cat * p_cat).sum(axis=1)
        kappa = (p_rat[idx].mean(axis=1) - p_mean_exp) / (1 - p_mean_exp)
    return _undefined_as_nan(kappa, cat)


def _alpha_batch(vc: np.ndarray, dom: np.ndarray, level: str) -> Callable[[np.ndarray], np.ndarray] | None:
    """Krippendorff's alpha of the resamples ``vc[idx[i]]`` (value counts per unit): the operations
    of ``krippendorff.alpha``; None for the ordinal level, whose distances depend on the resample."""
    if level == "ordinal":
        return None
    v1, v2 = dom[:, None], dom[None, :]
    if level == "nominal":
        d = (v1 != v2).astype(float)
    elif level == "interval":
        d = (v1 - v2).astype(float) ** 2
    else:
        s = v1 + v2
        d = np.divide(v1 - v2, s, out=np.zeros(np.broadcast(v1, v2).shape), where=s != 0, dtype=float) ** 2
    k = vc.shape[1]
    eye = np.eye(k)
    pairable = np.maximum(vc.sum(axis=1), 2)
    unit = np.divide(vc[..., None] * vc[:, None, :] - vc[:, None, :] * eye[None], (pairable - 1).reshape((-1, 1, 1)), dtype=float)

    def alpha(idx: np.ndarray) -> np.ndarray:
        o = unit[idx].sum(axis=1)  # coincidences, summed in resample order
        n_v = o.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            e = np.divide(n_v[:, :, None] * n_v[:, None, :] - n_v[:, :, None] * eye, (n_v.sum(axis=1) - 1)[:, None, None], dtype=float)
            a = 1 - (o * d).reshape(len(o), -1).sum(axis=1) / (e * d).reshape(len(e), -1).sum(axis=1)
        return _undefined_as_nan(a, n_v)  # n_v[c] > 0 exactly when value c is used

    return alpha


def _join(*notes: str) -> str:
    return "; ".join(n for n in notes if n)


_ONE_VALUE = "undefined: only one category used, so chance agreement is 1 and kappa = 0/0"


def _metrics(
    M: np.ndarray,
    domain: np.ndarray,
    level: str,
    *,
    n_boot: int,
    ci: float,
    rng: np.random.Generator,
) -> list[dict[str, Any]]:
    """All metrics for a coders × units matrix of category indices (nan = missing)."""
    import krippendorff
    from statsmodels.stats.inter_rater import (
        aggregate_raters,
        cohens_kappa,
        fleiss_kappa,
    )

    k = len(domain)
    present = ~np.isnan(M)
    active = present.any(axis=1)
    M = M[active]
    present = present[active]
    n_coders = int(M.shape[0])
    rows: list[dict[str, Any]] = []
    nominal_note = "" if level == "nominal" else "categories taken as nominal (exact equality)"

    # value counts per unit (units × categories) over all units
    VC = np.zeros((M.shape[1], k), dtype=float)
    for r in range(n_coders):
        ok = present[r]
        np.add.at(VC, (np.flatnonzero(ok), M[r, ok].astype(int)), 1)
    m_u = VC.sum(axis=1)
    pairable = m_u >= 2
    VCp = VC[pairable]
    coders_pairable = int((present[:, pairable].any(axis=1)).sum()) if n_coders else 0
    used = np.flatnonzero(VCp.sum(axis=0) > 0)

    # -- percent agreement: share of agreeing coder pairs per unit, averaged
    if len(VCp):
        mu = VCp.sum(axis=1)
        agree_u = (VCp * (VCp - 1)).sum(axis=1) / (mu * (mu - 1))
        value = float(agree_u.mean())
        lo, hi, bnote = _boot(lambda idx: agree_u[idx].mean(axis=1), len(agree_u), n_boot, rng, ci)
        note = _join(nominal_note, bnote)
    else:
        value, lo, hi, note = np.nan, np.nan, np.nan, "no unit coded by two or more coders"
    rows.append(
        dict(metric="percent_agreement", value=value, ci_low=lo, ci_high=hi, level="nominal",
             n_units=int(len(VCp)), n_coders=coders_pairable, note=note)
    )

    # -- Cohen's kappa: exactly two coders, units coded by both
    if n_coders == 2:
        both = present[0] & present[1]
        a = M[0, both].astype(int)
        b = M[1, both].astype(int)

        def kappa2(ix: np.ndarray) -> float:
            aa, bb = a[ix], b[ix]
            if len(set(aa.tolist()) | set(bb.tolist())) < 2:
                return np.nan
            table = np.bincount(aa * k + bb, minlength=k * k).reshape(k, k)
            return float(cohens_kappa(table, return_results=False))

        if len(a) == 0:
            value, lo, hi, note = np.nan, np.nan, np.nan, "no unit coded by both coders"
        else:
            value = kappa2(np.arange(len(a)))
            cells = a * k + b

            def kappa2_batch(idx: np.ndarray) -> np.ndarray:  # kappa2 of every row of idx
                flat = (np.arange(len(idx))[:, None] * (k * k) + cells[idx]).ravel()
                return _cohen_batch(np.bincount(flat, minlength=len(idx) * k * k).reshape(-1, k, k))

            lo, hi, bnote = _boot(kappa2_batch, len(a), n_boot, rng, ci) if not np.isnan(value) else (np.nan, np.nan, "")
            note = _join(nominal_note, _ONE_VALUE if np.isnan(value) else "", bnote)
        dropped = int((present.any(axis=0)).sum() - both.sum())
        if dropped and len(a):
            note = _join(f"{dropped} unit(s) coded by only one coder left out", note)
        rows.append(
            dict(metric="cohen_kappa", value=value, ci_low=lo, ci_high=hi, level="nominal",
                 n_units=int(len(a)), n_coders=2, note=note)
        )

    # -- Fleiss' kappa: units coded by every coder (equal raters per unit)
    complete = present.all(axis=0) if n_coders else np.zeros(M.shape[1], bool)
    n_any = int(present.any(axis=0).sum())
    if n_coders >= 2 and complete.any():
        table = aggregate_raters(M[:, complete].T.astype(int), n_cat=k)[0]

        def fk(ix: np.ndarray) -> float:
            t = table[ix]
            if (t.sum(axis=0) > 0).sum() < 2:
                return np.nan
            return float(fleiss_kappa(t, method="fleiss"))

        value = fk(np.arange(len(table)))
        lo, hi, bnote = (
            _boot(lambda idx: _fleiss_batch(table, idx), len(table), n_boot, rng, ci, width=k)
            if not np.isnan(value)
            else (np.nan, np.nan, "")
        )
        dropped = n_any - int(complete.sum())
        drop_note = (
            f"{dropped} of {n_any} units left out: Fleiss' kappa needs the same coders on every unit"
            if dropped
            else ""
        )
        note = _join(drop_note, nominal_note, _ONE_VALUE if np.isnan(value) else "", bnote)
        n_fk = int(complete.sum())
    else:
        value, lo, hi, n_fk = np.nan, np.nan, np.nan, 0
        note = "no unit coded by every coder" if n_coders >= 2 else "fewer than two coders"
    rows.append(
        dict(metric="fleiss_kappa", value=value, ci_low=lo, ci_high=hi, level="nominal",
             n_units=n_fk, n_coders=n_coders, note=note)
    )

    # -- Krippendorff's alpha: missing values allowed, pairable units only
    if len(VCp) and len(used) >= 2:
        dom = np.arange(k) if level == "nominal" else np.asarray(domain, dtype=float)

        def ka(ix: np.ndarray) -> float:
            v = VCp[ix]
            if ((v.sum(axis=0) > 0).sum()) < 2:
                return np.nan
            return float(krippendorff.alpha(value_counts=v, value_domain=dom, level_of_measurement=level))

        value = ka(np.arange(len(VCp)))
        batch = _alpha_batch(VCp, dom, level) or (lambda idx: np.array([ka(ix) for ix in idx]))
        lo, hi, bnote = _boot(batch, len(VCp), n_boot, rng, ci, width=k * k)
        note = bnote
    elif len(VCp):
        value, lo, hi = np.nan, np.nan, np.nan
        note = "undefined: only one value used in the pairable units, so expected disagreement is 0 and alpha = 0/0"
    else:
        value, lo, hi, note = np.nan, np.nan, np.nan, "no unit coded by two or more coders"
    rows.append(
        dict(metric="krippendorff_alpha", value=value, ci_low=lo, ci_high=hi, level=level,
             n_units=int(len(VCp)), n_coders=coders_pairable, note=note)
    )
    return rows


def agreement(
    codings: "pd.DataFrame",
    unit: str = "segment_id",
    coder: str = "coder",
    value: str = "code",
    *,
    level: str = "nominal",
    by_code: bool = False,
    n_boot: int = 1000,
    alpha: float = 0.05,
    seed: int = 0,
    units: Iterable[Any] | None = None,
    ci: float | None = None,
) -> "pd.DataFrame":
    """Inter-coder agreement from a long coding table.

    Parameters
    ----------
    codings
        One row per unit × coder (``by_code=False``: one value each), or
        per unit × coder × code (``by_code=True``). A row with an empty value
        says the coder coded the unit but gave it no value/code.
    unit, coder, value
        Column names.
    level
        Level of measurement of the values for Krippendorff's alpha:
        ``"nominal"`` (default, codes are nominal), ``"ordinal"``,
        ``"interval"`` or ``"ratio"`` (values must then be numeric). Passed
        explicitly to :func:`krippendorff.alpha`, whose own default is
        interval. The kappas and percent agreement always treat values as
        nominal categories.
    by_code
        Each code becomes a presence/absence variable; the unit is then
        *segment × code presence*: for every code, a coder's value for a
        unit is 1 if they applied the code, 0 if they coded the unit but not
        with this code, missing if they did not code the unit. One block of
        rows per code (column ``code``). Requires ``level="nominal"``.
    n_boot
        Bootstrap resamples of units for the confidence intervals (0: none).
    alpha
        The percentile intervals are ``1 - alpha`` confidence intervals (``alpha=0.05``: 95 %),
        as ``alpha`` everywhere in the package.
    seed
        Seed of the :class:`numpy.random.Generator` (per code with
        ``by_code``: ``default_rng([seed, i])`` for the i-th code).
    units
        Restrict to these units. With ``by_code=True`` every coder is taken
        to have coded every one of them (a unit without rows from a coder
        means "no code"), which is what you want when coders were assigned
        the same segments; without ``units``, a coder's units are those where
        they have at least one row.
    ci
        Deprecated: the confidence level (``ci=0.95`` is ``alpha=0.05``).

    Returns
    -------
    pandas.DataFrame
        One row per metric (``code`` first when ``by_code``): ``metric``
        (``percent_agreement``; ``cohen_kappa`` only with exactly two
        coders; ``fleiss_kappa``; ``krippendorff_alpha``), ``value``,
        ``ci_low``, ``ci_high``, ``level``, ``n_units`` and ``n_coders`` used
        by that metric, and ``note``.

    Raises
    ------
    InputError
        Missing columns, an unknown level, non-numeric values with a
        non-nominal level, or several values for one unit × coder without
        ``by_code``.

    Notes
    -----
    * Percent agreement: per unit, the share of agreeing pairs among the
      coders who coded it, averaged over units coded by two or more.
    * Cohen's kappa (:func:`statsmodels.stats.inter_rater.cohens_kappa` on
      the two coders' contingency table) uses units coded by both.
    * Fleiss' kappa (``aggregate_raters`` + ``fleiss_kappa``) assumes the
      same number of raters per unit: units not coded by every coder are
      left out, and the note says how many.
    * Krippendorff's alpha (:func:`krippendorff.alpha`) handles missing
      values itself and uses every unit coded by two or more coders.
    * When only one category occurs (all ratings identical) the chance
      agreement is 1 and the kappas and alpha are 0/0: the value is NaN
      and ``note`` says so — perfect observed agreement on data without
      variation is not evidence of reliability (percent agreement is 1).
    * Confidence intervals: percentile bootstrap over units (resampling the
      units each metric uses), seeded; resamples where a metric is
      undefined are left out and counted in ``note``.

    Examples
    --------
    Krippendorff (2011), reliability data with missing values:

    >>> import numpy as np, pandas as pd
    >>> data = {"A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    ...         "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    ...         "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    ...         "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]}
    >>> long = (pd.DataFrame(data).rename_axis("unit").reset_index()
    ...         .melt(id_vars="unit", var_name="coder", value_name="value").dropna())
    >>> res = agreement(long, "unit", "coder", "value", n_boot=0)
    >>> round(float(res.set_index("metric").loc["krippendorff_alpha", "value"]), 3)
    0.743
    """
    require_columns(codings, [unit, coder, value], "codings")
    if level not in _LEVELS:
        raise InputError(f"level must be one of {', '.join(_LEVELS)}", value=level)
    alpha = alpha_from_ci(alpha, ci)
    ci = 1 - alpha
    if int(n_boot) != n_boot or n_boot < 0:
        raise InputError("n_boot must be a non-negative integer", value=n_boot)
    if by_code and level != "nominal":
        raise InputError("by_code=True gives presence/absence data; use level='nominal'", value=level)
    df = codings[[unit, coder, value]].copy()
    bad = df[unit].isna() | df[coder].isna()
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError("a coding row has no unit or no coder", row=pos, column=unit if df[unit].isna().iloc[pos] else coder)
    unit_list = None
    if units is not None:
        unit_list = list(pd.unique(pd.Series(list(units), dtype=object)))
        df = df.loc[df[unit].isin(set(unit_list))]
    coders = sorted(pd.unique(df[coder]).tolist(), key=str)
    cidx = {c: i for i, c in enumerate(coders)}
    all_units = unit_list if unit_list is not None else list(pd.unique(df[unit]))
    uidx = {u: i for i, u in enumerate(all_units)}
    out_cols = list(AGREEMENT_COLUMNS)

    if not by_code:
        vals = df.dropna(subset=[value]).drop_duplicates()
        multi = vals.groupby([unit, coder])[value].nunique()
        if (multi > 1).any():
            u, c = multi.index[np.flatnonzero((multi > 1).to_numpy())[0]]
            raise InputError(
                f"unit {u!r} has several values from coder {c!r}; one value per unit and coder is "
                "expected — for several codes per segment use by_code=True",
                column=value,
            )
        if level == "nominal":
            cats = sorted(pd.unique(vals[value]).tolist(), key=lambda x: (type(x).__name__, x))
            domain = np.array(cats, dtype=object)
            vmap = {v: i for i, v in enumerate(cats)}
            vidx = vals[value].map(vmap).to_numpy(dtype=float)
        else:
            num = pd.to_numeric(vals[value], errors="coerce")
            if num.isna().any():
                pos = int(np.flatnonzero(num.isna().to_numpy())[0])
                raise InputError(
                    f"level={level!r} needs numeric values", column=value, value=vals[value].iloc[pos]
                )
            cats = sorted(pd.unique(num).tolist())
            domain = np.array(cats, dtype=float)
            vmap = {v: i for i, v in enumerate(cats)}
            vidx = num.map(vmap).to_numpy(dtype=float)
        M = np.full((len(coders), len(all_units)), np.nan)
        M[vals[coder].map(cidx).to_numpy(), vals[unit].map(uidx).to_numpy()] = vidx
        rows = _metrics(M, domain, level, n_boot=int(n_boot), ci=ci, rng=np.random.default_rng(seed))
        return pd.DataFrame(rows, columns=out_cols)

    # by_code: one presence/absence variable per code
    B = np.full((len(coders), len(all_units)), np.nan)
    if unit_list is not None:
        B[:] = 0.0
    else:
        seen = df[[coder, unit]].drop_duplicates()
        B[seen[coder].map(cidx).to_numpy(), seen[unit].map(uidx).to_numpy()] = 0.0
    coded = df.dropna(subset=[value]).drop_duplicates()
    code_list = sorted(pd.unique(coded[value]).tolist(), key=str)
    rows = []
    for i, code in enumerate(code_list):
        M = B.copy()
        sub = coded.loc[coded[value] == code]
        M[sub[coder].map(cidx).to_numpy(), sub[unit].map(uidx).to_numpy()] = 1.0
        for r in _metrics(M, np.array([0, 1]), "nominal", n_boot=int(n_boot), ci=ci, rng=np.random.default_rng([seed, i])):
            rows.append({"code": code, **r})
    return pd.DataFrame(rows, columns=["code", *out_cols])


def agreement_summary(
    codings: pd.DataFrame,
    *,
    units: Iterable[Any] | None = None,
    codes: Sequence[str] | None = None,
    n_boot: int = 1000,
    alpha: float = 0.05,
    seed: int = 0,
    metrics: Sequence[str] | None = ("percent_agreement", "cohen_kappa", "krippendorff_alpha"),
    codebook: "Codebook | None" = None,
    ci: float | None = None,
) -> pd.DataFrame:
    """Intercoder agreement on code presence, overall and per code, as one table.

    Parameters
    ----------
    codings
        Manual codings ``segment_id, code, coder`` with two or more coders.
    units
        The segments every coder coded (e.g. the ``segment_id`` of
        :func:`coded_segments`): a coder without a row on one of them found
        no code there. Default: a coder's units are the segments where they
        have at least one row — which drops the segments a coder left
        uncoded, and with them part of the disagreement; pass ``units``
        whenever the assignment is known.
    codes
        Codes to assess; default: the codes used by any coder (in codebook
        order when the codebook knows them all).
    n_boot, alpha, seed
        Bootstrap resamples, ``1 - alpha`` confidence level and seed for
        :func:`iopstudy.interviews.reliability.agreement`.
    metrics
        Metrics to keep (``percent_agreement``, ``cohen_kappa``,
        ``fleiss_kappa``, ``krippendorff_alpha``); ``None`` keeps all.
    codebook
        For the code order and themes; default: the packaged codebook.

    Returns
    -------
    pandas.DataFrame
        ``scope`` (``"overall"`` first, then ``"code"``), ``code`` (None for
        overall), ``theme``, ``metric``, ``value``, ``ci_low``, ``ci_high``,
        ``n_units``, ``n_coders``, ``n_applied`` (code applications by all
        coders), ``unit`` and ``note``.

    Notes
    -----
    The unit is **segment × code presence**: for each code, each coder's
    value for a segment is 1 (applied) or 0 (not applied).

    * Per code: :func:`iopstudy.interviews.reliability.agreement` with ``by_code=True``.
    * Overall: the segment × code units of all codes pooled into one
      binary variable (``agreement`` with ``level="nominal"``). Its
      bootstrap resamples segment × code pairs, ignoring that pairs of one
      segment are related, so the interval is somewhat too narrow.

    Percent agreement counts the many segments where neither coder applied
    a rare code, so it is high for rare codes; kappa and alpha correct for
    that (and are undefined, NaN, when a code was never applied).

    Examples
    --------
    >>> cod = pd.DataFrame({"segment_id": ["s1", "s1", "s2", "s3", "s3", "s4"],
    ...                     "code": ["LAW.LOU", "LAW.LOU", "LAW.LOU", "GOV.TRUST", "GOV.TRUST", None],
    ...                     "coder": ["anna", "kim", "anna", "anna", "kim", "kim"]})
    >>> s = agreement_summary(cod, units=["s1", "s2", "s3", "s4"], n_boot=0)
    >>> s.loc[s["scope"] == "overall", "metric"].tolist()
    ['percent_agreement', 'cohen_kappa', 'krippendorff_alpha']
    >>> kappa = s[s["metric"] == "cohen_kappa"]
    >>> kappa[["scope", "code", "n_units", "n_applied"]].values.tolist(), kappa["value"].round(3).tolist()
    ([['overall', None, 8, 5], ['code', 'GOV.TRUST', 4, 2], ['code', 'LAW.LOU', 4, 3]], [0.714, 1.0, 0.5])
    """
    require_columns(codings, ["segment_id", "code", "coder"], "codings")
    cb = resolve_codebook(codebook)
    themes = dict(zip(cb.codes["code_id"], cb.codes["theme_id"]))
    used = set(codings["code"].dropna())
    if codes is None:
        known = [c for c in cb.code_ids if c in used]
        code_list = known + sorted(used - set(known))
    else:
        code_list = list(codes)
    df = codings.loc[codings["code"].isna() | codings["code"].isin(set(code_list))]
    unit_list = None if units is None else list(pd.unique(pd.Series(list(units), dtype=object)))

    per = agreement(df, "segment_id", "coder", "code", by_code=True, n_boot=n_boot, alpha=alpha_from_ci(alpha, ci), seed=seed, units=unit_list)
    # codes nobody applied (when asked for explicitly) are absent from ``per``
    applied = df.dropna(subset=["code"]).drop_duplicates().groupby("code").size()

    # pooled: every (segment, code) is one binary unit
    coders = sorted(codings["coder"].dropna().unique().tolist(), key=str)
    if unit_list is not None:
        pairs = pd.DataFrame(
            [(s, c) for s in unit_list for c in coders], columns=["segment_id", "coder"]
        )
    else:
        pairs = df[["segment_id", "coder"]].drop_duplicates()
    present = set(map(tuple, df.dropna(subset=["code"])[["segment_id", "coder", "code"]].to_numpy().tolist()))
    rows = []
    for s, cdr in pairs.itertuples(index=False):
        for c in code_list:
            rows.append((f"{s}\x1f{c}", cdr, int((s, cdr, c) in present)))
    pooled = pd.DataFrame(rows, columns=["unit", "coder", "value"])
    overall = agreement(pooled, "unit", "coder", "value", n_boot=n_boot, alpha=alpha_from_ci(alpha, ci), seed=seed)

    unit_text = "segment × code presence"
    overall = overall.assign(
        scope="overall", code=None, theme=None, n_applied=int(applied.sum()),
        unit=f"{unit_text}, {len(code_list)} codes pooled",
    )
    per = per.assign(
        scope="code",
        theme=per["code"].map(themes),
        n_applied=per["code"].map(applied).fillna(0).astype("int64"),
        unit=unit_text,
    )
    order = {c: i for i, c in enumerate(code_list)}
    per = per.assign(_o=per["code"].map(order)).sort_values("_o", kind="mergesort").drop(columns="_o")
    out = pd.concat([overall, per], ignore_index=True)
    if metrics is not None:
        out = out.loc[out["metric"].isin(set(metrics))]
    cols = ["scope", "code", "theme", "metric", "value", "ci_low", "ci_high", "n_units", "n_coders",
            "n_applied", "unit", "note"]
    return out[cols].reset_index(drop=True)


def per_code_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The per-code rows of :func:`agreement_summary`, one row per code with a column per metric.

    Parameters
    ----------
    summary
        The result of :func:`agreement_summary`.

    Returns
    -------
    pandas.DataFrame
        ``code``, ``n_applied``, one column per metric (in the order of
        ``summary``), then ``kappa_ci_low`` and ``kappa_ci_high``
        (the confidence interval of Cohen's kappa); codes in the order of ``summary``.

    Examples
    --------
    >>> s = pd.DataFrame({"scope": ["overall", "code", "code", "code", "code"],
    ...                   "code": [None, "B", "B", "A", "A"], "n_applied": [9, 5, 5, 4, 4],
    ...                   "metric": ["cohen_kappa"] + ["cohen_kappa", "percent_agreement"] * 2,
    ...                   "value": [0.5, 0.6, 0.9, 0.2, 0.8], "ci_low": [0.4, 0.3, 0.8, -0.1, 0.7],
    ...                   "ci_high": [0.6, 0.8, 1.0, 0.5, 0.9]})
    >>> per_code_table(s).round(2).values.tolist()
    [['B', 5, 0.6, 0.9, 0.3, 0.8], ['A', 4, 0.2, 0.8, -0.1, 0.5]]
    """
    require_columns(summary, ["scope", "code", "n_applied", "metric", "value", "ci_low", "ci_high"], "summary")
    per = summary.loc[summary["scope"] == "code"]
    wide = per.pivot_table(index=["code", "n_applied"], columns="metric", values="value", sort=False).reset_index()
    ci = per.loc[per["metric"] == "cohen_kappa", ["code", "ci_low", "ci_high"]]
    wide = wide.merge(ci.rename(columns={"ci_low": "kappa_ci_low", "ci_high": "kappa_ci_high"}), on="code")
    return wide.rename_axis(columns=None)
