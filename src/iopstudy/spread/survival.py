"""Event-history models of adoption: discrete-time hazard, Cox and Kaplan–Meier.

=========================  ===================================================
person_period              unit-years at risk for discrete-time hazard models
hazard_design              design matrix with a (centred) time term or periods
fit_discrete_hazard        cloglog/logit binomial GLM on the at-risk table
fit_cox                    Cox model (statsmodels PHReg, Efron ties)
kaplan_meier               Kaplan–Meier curves with log-log CIs
logrank_test               log-rank test between groups
=========================  ===================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from iopstudy.errors import InputError
from iopstudy.spread.design import (
    Design,
    as_list,
    binary_outcome,
    check_no_na,
    coef_frame,
    design,
    fit_quietly,
    huge_terms,
    ref_note,
    require_columns,
    summary_frame,
)
from iopstudy.spread.firth import detect_separation
from iopstudy.spread.results import ModelResult, warn

__all__ = [
    "person_period",
    "hazard_design",
    "fit_discrete_hazard",
    "fit_cox",
    "kaplan_meier",
    "logrank_test",
]


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

    Examples
    --------
    Unit ``a`` adopts in 2011 and leaves the risk set; ``b`` is censored in 2012:

    >>> pan = pd.DataFrame({"kommun_code": ["a"] * 3 + ["b"] * 3, "year": [2010, 2011, 2012] * 2,
    ...                     "first_iop_year": [2011] * 3 + [None] * 3})
    >>> person_period(pan)[["kommun_code", "year", "event", "duration"]].values.tolist()
    [['a', 2010, 0, 1], ['a', 2011, 1, 2], ['b', 2010, 0, 1], ['b', 2011, 0, 2], ['b', 2012, 0, 3]]
    """
    where = "person_period"
    require_columns(panel, [unit, time, event_time], where)
    check_no_na(panel, [unit, time], where)
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
        warn(
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


def hazard_design(
    data: pd.DataFrame,
    covariates: Sequence[str],
    time: str | None = None,
    time_form: str = "linear",
    *,
    centre: float | str | None = None,
    breaks: Sequence[int] | None = None,
    where: str = "hazard_design",
) -> tuple[Design, dict[str, Any]]:
    """Design matrix of a discrete-time hazard model: intercept, covariates and a time term.

    Parameters
    ----------
    data
        Unit-period rows (the at-risk table, or any unit × year grid).
    covariates
        Covariate columns (see :func:`iopstudy.spread.design.design`).
    time
        Time column, or None for a constant baseline hazard.
    time_form
        ``"linear"`` (named ``time``), ``"quadratic"`` (``time`` and
        ``"<time>^2 (centred)"``, centred at the mean), ``"categorical"`` (one
        dummy per value after the first, ``"<time>[T.2012]"``), ``"periods"``
        (dummies of :func:`~iopstudy.spread.curves.period_of` with
        ``breaks``, ``"<time>_period[T.2016–2019]"``; the first period with
        rows is the reference) or ``"log"`` (``"log(<time>)"``; time must be
        positive, e.g. a duration starting at 1).
    centre
        Value subtracted from a linear time term (a number, or ``"mean"`` for
        the mean over the rows); None leaves it uncentred.
    breaks
        Period breaks for ``"periods"``.

    Returns
    -------
    (Design, dict)
        The design and the time specification ``{"time", "time_form",
        "time_centre", "time_breaks"}`` (centre NaN when not centred; breaks
        as a comma-separated string), which a prediction needs to rebuild
        the time term.

    Examples
    --------
    >>> d = pd.DataFrame({"year": [2010, 2012, 2014], "x": [0.0, 1.0, 0.5]})
    >>> des, spec = hazard_design(d, ["x"], "year", centre=2012)
    >>> des.X["year"].tolist(), spec["time_centre"]
    ([-2.0, 0.0, 2.0], 2012.0)
    """
    from iopstudy.spread.curves import DEFAULT_PERIOD_BREAKS, period_of

    design_covs = list(covariates)
    spec: dict[str, Any] = {"time": time or "", "time_form": time_form if time else "none",
                            "time_centre": np.nan, "time_breaks": ""}
    frame = data
    if time is not None:
        frame = data.copy()
        tv = pd.to_numeric(frame[time]).astype(float)
        if time_form == "linear":
            c = float(tv.mean()) if centre == "mean" else (float(centre) if centre is not None else None)
            frame["_t"] = tv - c if c is not None else tv
            spec["time_centre"] = c if c is not None else np.nan
            design_covs += ["_t"]
        elif time_form == "quadratic":
            c = float(tv.mean())
            frame["_t"] = tv - c
            frame["_t2"] = (tv - c) ** 2
            spec["time_centre"] = c
            design_covs += ["_t", "_t2"]
        elif time_form == "categorical":
            frame["_tc"] = pd.Categorical(tv.astype("int64"), ordered=True)
            design_covs += ["_tc"]
        elif time_form == "periods":
            b = tuple(int(x) for x in (breaks if breaks is not None else DEFAULT_PERIOD_BREAKS))
            frame["_tp"] = period_of(tv.astype("int64"), b)
            spec["time_breaks"] = ",".join(str(x) for x in b)
            design_covs += ["_tp"]
        elif time_form == "log":
            if (tv <= 0).any():
                raise InputError(f"{where}: time_form='log' needs positive {time!r} (e.g. a duration from 1)")
            frame["_tl"] = np.log(tv)
            design_covs += ["_tl"]
        else:
            raise InputError(
                f"{where}: time_form must be linear, quadratic, categorical, periods or log, "
                f"not {time_form!r}"
            )
    des = design(frame, design_covs, intercept=True, where=where)
    rename = {"_t": time, "_t2": f"{time}^2 (centred)", "_tl": f"log({time})"}

    def new_name(c: str) -> str:
        if c.startswith("_tc["):
            return f"{time}[" + c[len("_tc["):]
        if c.startswith("_tp["):
            return f"{time}_period[" + c[len("_tp["):]
        return rename.get(c, c)

    des.X.columns = [new_name(c) for c in des.X.columns]
    des.references = {
        (f"{time}_period" if k == "_tp" else time if k == "_tc" else k): v for k, v in des.references.items()
    }
    return des, spec


def fit_discrete_hazard(
    person_period: pd.DataFrame,
    event: str = "event",
    covariates: str | Sequence[str] = (),
    *,
    link: Literal["cloglog", "logit"] = "cloglog",
    cluster: str | None = "kommun_code",
    time: str | None = None,
    time_form: Literal["linear", "quadratic", "categorical", "periods", "log"] = "linear",
    centre: float | Literal["mean"] | None = None,
    breaks: Sequence[int] | None = None,
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
        ``"duration"``), entered as ``time_form`` (see :func:`hazard_design`):
        linear, linear + squared (centred at its mean), one dummy per value
        (beware: periods without events then separate), period dummies
        (``"periods"``, by ``breaks``) or ``log(time)`` (``"log"``, e.g. log
        duration).
    centre
        Subtract this value (or the mean, ``"mean"``) from a linear time
        term, so that the intercept is the log hazard at that time rather
        than at year 0 (an uncentred calendar year gives an intercept near
        -250). The value is in ``.summary["time_centre"]``.
    breaks
        Period breaks of ``time_form="periods"`` (default
        :data:`~iopstudy.spread.curves.DEFAULT_PERIOD_BREAKS`).
    alpha
        1 - confidence level.

    Returns
    -------
    ModelResult
        ``.summary`` also has ``time``, ``time_form``, ``time_centre`` and
        ``time_breaks``, which :mod:`iopstudy.spread.report_tables` uses to
        predict from the model.

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

    Examples
    --------
    Forty illustrative units over 2010–2014; a larger ``x`` makes adoption likelier:

    >>> rng = np.random.default_rng(0)
    >>> units = pd.DataFrame({"kommun_code": [f"u{i:02d}" for i in range(40)], "x": rng.normal(size=40)})
    >>> units["first_iop_year"] = np.where(rng.random(40) < 1 / (1 + np.exp(-units["x"])),
    ...                                    rng.integers(2010, 2015, 40), np.nan)
    >>> pp = person_period(units.merge(pd.DataFrame({"year": range(2010, 2015)}), how="cross"))
    >>> r = fit_discrete_hazard(pp, covariates=["x"], time="year", centre=2012)
    >>> r.summary[["n", "events", "n_units"]].values.tolist(), float(r.summary["time_centre"].iloc[0])
    ([[166, 23, 40]], 2012.0)
    >>> r.coef["term"].tolist(), round(float(r.coef.loc[1, "estimate"]), 2)
    (['Intercept', 'x', 'year'], 0.62)
    """
    import statsmodels.api as sm

    where = "fit_discrete_hazard"
    pp = person_period
    covs = as_list(covariates)
    need = [event, *covs] + ([cluster] if cluster else []) + ([time] if time else [])
    require_columns(pp, need, where)
    check_no_na(pp, need, where)
    y = binary_outcome(pp[event], where, event)
    des, time_spec = hazard_design(
        pp, covs, time, time_form, centre=centre, breaks=breaks, where=where
    )
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
        warn(msg)
    if cluster:
        groups = pd.factorize(pp[cluster])[0]
        kw = dict(cov_type="cluster", cov_kwds={"groups": groups})
        se_note = f"cluster-robust SEs by {cluster} ({len(np.unique(groups))} clusters)"
    else:
        kw = {}
        se_note = "model-based SEs (no clustering)"
    res, msgs, err = fit_quietly(lambda: sm.GLM(y, des.X, family=fam).fit(maxiter=200, **kw))
    if res is None:
        raise InputError(f"{where}: the GLM fit failed ({err})")
    for m in msgs:
        warns.append(m)
        warn(f"{where}: {m}")
    huge = huge_terms(des.X, res.params, res.bse)
    if huge and not separated:
        msg = f"{where}: estimates diverge for {huge}"
        warns.append(msg)
        warn(msg)
    ci_ = res.conf_int(alpha=alpha)
    coef = coef_frame(
        des.X.columns, res.params, res.bse, ci_.iloc[:, 0], ci_.iloc[:, 1], res.pvalues, ratio=True
    )
    summary = summary_frame(
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
            ref_note(des),
        ],
        warnings=warns,
        separation=bool(separated),
        n_units=int(pp[cluster].nunique()) if cluster else np.nan,
        se_type=se_note,
        **time_spec,
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

    Examples
    --------
    Illustrative durations that are shorter for a larger ``x`` (censored at 6):

    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=40)
    >>> d = pd.DataFrame({"x": x, "duration": np.ceil(rng.exponential(3 / np.exp(x))).clip(1, 6)})
    >>> d["event"] = d["duration"] < 6
    >>> r = fit_cox(d, "duration", "event", ["x"])
    >>> r.summary[["n", "events", "ties"]].values.tolist()
    [[40, 32, 'efron']]
    >>> round(float(r.coef.at[0, "ratio"]), 1), bool(r.coef.at[0, "p_value"] < 0.01)
    (3.0, True)
    """
    from statsmodels.duration.hazard_regression import PHReg

    where = "fit_cox"
    covs = as_list(covariates)
    if ties not in ("efron", "breslow"):
        raise InputError(f"{where}: ties must be 'efron' or 'breslow', not {ties!r}")
    need = [duration, event, *covs] + ([strata] if strata else [])
    require_columns(data, need, where)
    check_no_na(data, need, where)
    dur = pd.to_numeric(data[duration]).to_numpy(dtype=float)
    ev = binary_outcome(data[event], where, event, allow_constant=True)
    if not ev.any():
        raise InputError(f"{where}: no events in {event!r}: a Cox model needs at least one", column=event)
    if np.any(dur < 0):
        raise InputError(f"{where}: negative durations in {duration!r}", column=duration)
    des = design(data, covs, intercept=False, where=where)
    kw: dict[str, Any] = {"ties": ties, "missing": "none"}
    if strata:
        kw["strata"] = pd.factorize(data[strata])[0]
    warns: list[str] = []
    res, msgs, err = fit_quietly(lambda: PHReg(dur, des.X, status=ev, **kw).fit())
    if res is None:
        raise InputError(f"{where}: the PHReg fit failed ({err})")
    for m in msgs:
        warns.append(m)
        warn(f"{where}: {m}")
    huge = huge_terms(des.X, res.params, res.bse)
    if huge:
        msg = (
            f"{where}: estimates diverge for {huge} (monotone likelihood: e.g. a group in which "
            "every unit, or no unit, had the event); hazard ratios of these terms are not finite"
        )
        warns.append(msg)
        warn(msg)
    ci_ = np.asarray(res.conf_int(alpha=alpha))
    coef = coef_frame(des.X.columns, res.params, res.bse, ci_[:, 0], ci_[:, 1], res.pvalues, ratio=True)
    k = des.X.shape[1]
    summary = summary_frame(
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
            ref_note(des),
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

    Examples
    --------
    >>> d = pd.DataFrame({"duration": [1, 2, 2, 3, 4, 4], "event": [1, 1, 0, 1, 0, 0],
    ...                   "g": ["a", "a", "a", "b", "b", "b"]})
    >>> km = kaplan_meier(d, "duration", "event")
    >>> km[["time", "n_at_risk", "n_events", "n_censored"]].astype(int).values.tolist()
    [[0, 6, 0, 0], [1, 6, 1, 0], [2, 5, 1, 1], [3, 3, 1, 0], [4, 2, 0, 2]]
    >>> km["survival"].round(3).tolist()
    [1.0, 0.833, 0.667, 0.444, 0.444]
    >>> kaplan_meier(d, "duration", "event", "g").groupby("group")["survival"].min().round(3).to_dict()
    {'a': 0.333, 'b': 0.667}
    """
    from scipy import stats
    from statsmodels.duration.survfunc import SurvfuncRight

    where = "kaplan_meier"
    need = [duration, event] + ([group] if group else [])
    require_columns(data, need, where)
    check_no_na(data, need, where)
    z = stats.norm.ppf(1 - alpha / 2)
    out = []
    if group is None:
        groups = [("all", data)]
    else:
        groups = list(data.groupby(group, observed=True, sort=True))
    for g, d in groups:
        t = pd.to_numeric(d[duration]).to_numpy(dtype=float)
        e = binary_outcome(d[event], where, event, allow_constant=True)
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

    Examples
    --------
    Illustrative durations, shorter in group ``"high"``:

    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=40)
    >>> d = pd.DataFrame({"g": np.where(x > 0, "high", "low"),
    ...                   "duration": np.ceil(rng.exponential(3 / np.exp(x))).clip(1, 6)})
    >>> d["event"] = d["duration"] < 6
    >>> t = logrank_test(d, "duration", "event", "g")
    >>> t[["test", "dof", "n", "events"]].values.tolist(), round(float(t["p_value"].iloc[0]), 3)
    ([['log-rank', 1, 40, 32]], 0.001)
    """
    from statsmodels.duration.survfunc import survdiff

    where = "logrank_test"
    require_columns(data, [duration, event, group], where)
    check_no_na(data, [duration, event, group], where)
    t = pd.to_numeric(data[duration]).to_numpy(dtype=float)
    e = binary_outcome(data[event], where, event, allow_constant=True)
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
