"""Regression models of adoption: logistic (with a Firth fallback) and count models.

=========================  ===================================================
fit_logit                  logistic regression, Firth fallback on separation
fit_count                  Poisson GLM, overdispersion test, negative binomial
=========================  ===================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from iopstudy.errors import InputError
from iopstudy.spread.design import (
    as_list,
    binary_outcome,
    check_no_na,
    coef_frame,
    column_or_array,
    design,
    fit_quietly,
    huge_terms,
    ref_note,
    require_columns,
    summary_frame,
)
from iopstudy.spread.firth import detect_separation, firth_result
from iopstudy.spread.results import CountModelResult, ModelResult, warn

__all__ = [
    "fit_logit",
    "fit_count",
]


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
    statsmodels' separation warnings, non-finite values or ``|estimate| > 15`` /
    ``SE > 50``. In each case ``"auto"`` refits with Firth's method and says so
    in ``.summary`` and a :class:`StatisticalWarning`. ML intervals are Wald
    intervals.

    Examples
    --------
    Illustrative units whose outcome rises with ``x``:

    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"x": rng.normal(size=100), "g": rng.choice(["A", "B"], 100)})
    >>> d["y"] = rng.random(100) < 1 / (1 + np.exp(-(d["x"] - 0.5)))
    >>> r = fit_logit(d, "y", ["x", "g"])
    >>> r.summary[["method", "n", "events", "separation"]].values.tolist()
    [['ml', 100, 32, False]]
    >>> r.coef["term"].tolist(), round(float(r.coef.at[1, "ratio"]), 2)
    (['Intercept', 'x', 'g[T.B]'], 3.26)

    Under complete separation the maximum likelihood estimate does not exist, and ``"auto"``
    switches to Firth with a warning:

    >>> import warnings
    >>> sep = pd.DataFrame({"x": [1, 2, 3, 4, 5, 6, 7, 8], "y": [0, 0, 0, 0, 1, 1, 1, 1]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     r = fit_logit(sep, "y", "x", ci="wald")
    >>> r.summary[["method", "separation"]].values.tolist(), "switched to Firth" in str(caught[0].message)
    ([['firth', True]], True)
    """
    import statsmodels.api as sm

    where = "fit_logit"
    covs = as_list(covariates)
    require_columns(data, [outcome, *covs], where)
    check_no_na(data, [outcome, *covs], where)
    y = binary_outcome(data[outcome], where, outcome)
    des = design(data, covs, intercept=True, where=where)
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
        res, msgs, err = fit_quietly(
            lambda: sm.Logit(y, des.X).fit(disp=0, maxiter=200, method="newton")
        )
        problem = None
        if err is not None:
            problem = f"ML fit failed ({type(err).__name__}: {err})"
        elif res is not None:
            conv = bool(res.mle_retvals.get("converged", True))
            huge = huge_terms(des.X, res.params, res.bse)
            if not conv:
                problem = "ML fit did not converge"
            elif huge:
                problem = f"ML estimates diverge for {huge}"
            elif any("separation" in m.lower() for m in msgs):
                problem = "statsmodels reports separation"
        if problem is None and not separated:
            ci_ml = res.conf_int(alpha=alpha)
            coef = coef_frame(
                des.X.columns, res.params, res.bse, ci_ml.iloc[:, 0], ci_ml.iloc[:, 1],
                res.pvalues, ratio=True,
            )
            for m in msgs:
                warns.append(m)
                warn(f"{where}: {m}")
            summary = summary_frame(
                model="logit",
                method="ml",
                n=len(y),
                events=int(y.sum()),
                n_parameters=des.X.shape[1],
                log_likelihood=float(res.llf),
                aic=float(res.aic),
                converged=bool(res.mle_retvals.get("converged", True)),
                notes=["maximum likelihood (statsmodels Logit), Wald CIs", ref_note(des)],
                warnings=warns,
                separation=False,
            )
            return ModelResult(coef, res, summary, warns)
        if penalised is False:
            msg = sep_msg if separated else f"{where}: {problem}"
            msg += "; estimates and odds ratios of the affected terms are meaningless (not finite)"
            warns.append(msg)
            warn(msg)
            if res is None:
                raise InputError(f"{where}: {problem}; use penalised='auto' or True")
            ci_ml = res.conf_int(alpha=alpha)
            coef = coef_frame(
                des.X.columns, res.params, res.bse, ci_ml.iloc[:, 0], ci_ml.iloc[:, 1],
                res.pvalues, ratio=True,
            )
            summary = summary_frame(
                model="logit", method="ml", n=len(y), events=int(y.sum()),
                n_parameters=des.X.shape[1], log_likelihood=float(res.llf), aic=float(res.aic),
                converged=bool(res.mle_retvals.get("converged", False)),
                notes=["maximum likelihood forced (penalised=False)", ref_note(des)],
                warnings=warns, separation=bool(separated),
            )
            return ModelResult(coef, res, summary, warns)
        reason = sep_msg if separated else f"{where}: {problem}"
    else:
        reason = sep_msg if separated else ""
    if penalised == "auto":
        msg = f"{reason}; switched to Firth's penalised logistic regression (report it as such)"
        warns.append(msg)
        warn(msg)
        notes.append("Firth fallback: " + reason)
    elif separated:
        notes.append(sep_msg)
    out = firth_result(des, y, ci=ci, alpha=alpha, notes=notes, warns=warns, model_name="logit")
    out.summary["separation"] = bool(separated)
    return out


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
        estimate, note`` (rows: Cameron–Trivedi, ``statistic`` the robust z
        and ``estimate`` the NB2 :math:`\\alpha` of the auxiliary regression;
        Pearson, ``statistic`` :math:`X^2` and ``estimate`` the dispersion
        ratio :math:`X^2/\\mathrm{df}`; likelihood ratio NB vs Poisson,
        ``statistic`` the LR :math:`\\chi^2` and ``estimate`` the NB2
        :math:`\\alpha`).

    Notes
    -----
    Poisson GLM: :math:`\\log E(y_i) = x_i^\\top\\beta + \\text{offset}_i`
    (``statsmodels`` GLM). Overdispersion is tested by the Cameron–Trivedi
    (1990) auxiliary regression for the NB2 alternative
    :math:`\\mathrm{Var}(y) = \\mu + \\alpha\\mu^2`: regress
    :math:`((y-\\hat\\mu)^2 - y)/\\hat\\mu` on :math:`\\hat\\mu` without a
    constant and test :math:`\\alpha > 0` with the z statistic (one-sided,
    normal reference), computed with a heteroskedasticity-robust (HC1)
    variance: the auxiliary regression's errors are heteroskedastic by
    construction, and the regression-based tests of Cameron & Trivedi (1990;
    *Regression Analysis of Count Data*, 2nd ed. 2013, ch. 3) are valid with
    a robust variance. R ``AER::dispersiontest(m, trafo = 2)`` uses the
    model-based variance; that z is given in the note.
    The negative binomial (NB2, ``statsmodels.discrete.NegativeBinomial``,
    :math:`\\alpha` by maximum likelihood) is chosen when the likelihood ratio
    test NB vs Poisson rejects at ``test_level`` (its p-value is halved because
    :math:`\\alpha = 0` is on the boundary); if the NB fit did not converge,
    the Cameron–Trivedi test decides. When the two tests disagree a warning
    says so. Pearson :math:`X^2/\\mathrm{df}` with :math:`P(\\chi^2_{df} > X^2)`
    is reported too. ``ratio`` is the incidence rate ratio.

    Examples
    --------
    Poisson counts: no overdispersion, the Poisson fit is kept.

    >>> rng = np.random.default_rng(0)
    >>> c = pd.DataFrame({"x": rng.normal(size=60)})
    >>> c["n"] = rng.poisson(np.exp(0.5 + 0.8 * c["x"]))
    >>> r = fit_count(c, "n", ["x"])
    >>> r.chosen, r.dispersion_test["test"].tolist()
    ('poisson', ['Cameron-Trivedi (NB2 alternative, one-sided)', 'Pearson chi2/df',
                 'Likelihood ratio NB2 vs Poisson'])
    >>> round(float(r.coef.at[1, "ratio"]), 1)
    2.0

    Overdispersed counts: the negative binomial is chosen.

    >>> c["m"] = rng.negative_binomial(1, 1 / (1 + np.exp(0.5 + 0.8 * c["x"])))
    >>> r = fit_count(c, "m", ["x"])
    >>> r.chosen, r.summary["chosen_because"].iloc[0].startswith("likelihood ratio test")
    ('negbin', True)
    """
    import statsmodels.api as sm
    from scipy import stats

    where = "fit_count"
    covs = as_list(covariates)
    require_columns(data, [outcome, *covs], where)
    check_no_na(data, [outcome, *covs], where)
    yv = pd.to_numeric(data[outcome]).to_numpy(dtype=float)
    if np.any(yv < 0) or not np.allclose(yv, np.round(yv)):
        raise InputError(f"{where}: outcome {outcome!r} must hold non-negative whole counts", column=outcome)
    des = design(data, covs, intercept=True, where=where)
    off = column_or_array(data, offset, where, "offset")
    expo = column_or_array(data, exposure, where, "exposure")
    total_off = np.zeros(len(yv))
    if off is not None:
        total_off = total_off + off
    if expo is not None:
        total_off = total_off + np.log(expo)
    warns: list[str] = []
    ref = ref_note(des)

    pois, msgs, err = fit_quietly(
        lambda: sm.GLM(yv, des.X, family=sm.families.Poisson(), offset=total_off).fit()
    )
    if pois is None:
        raise InputError(f"{where}: the Poisson fit failed ({err})")
    for m in msgs:
        warns.append(f"poisson: {m}")
    huge = huge_terms(des.X, pois.params, pois.bse)
    if huge:
        warns.append(f"poisson: estimates diverge for {huge} (a group with only zero counts?)")
    ci_p = pois.conf_int(alpha=alpha)
    pois_res = ModelResult(
        coef_frame(des.X.columns, pois.params, pois.bse, ci_p.iloc[:, 0], ci_p.iloc[:, 1], pois.pvalues, ratio=True),
        pois,
        summary_frame(
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
    ols = sm.OLS(aux_y, mu).fit(cov_type="HC1")
    ct_alpha = float(ols.params[0])
    ct_z = float(ols.tvalues[0])
    ct_p = float(stats.norm.sf(ct_z))
    ct_z_model = float(sm.OLS(aux_y, mu).fit().tvalues[0])
    pearson = float(pois.pearson_chi2)
    df_resid = float(pois.df_resid)
    rows = [
        dict(
            test="Cameron-Trivedi (NB2 alternative, one-sided)",
            statistic=ct_z,
            df=np.nan,
            p_value=ct_p,
            estimate=ct_alpha,
            note="OLS of ((y-mu)^2-y)/mu on mu without constant; z test of alpha > 0 with a "
            f"heteroskedasticity-robust (HC1) variance (model-based z = {ct_z_model:.3g}, as R "
            "AER::dispersiontest(trafo = 2)); estimate = alpha; decides if the NB fit fails",
        ),
        dict(
            test="Pearson chi2/df",
            statistic=pearson,
            df=df_resid,
            p_value=float(stats.chi2.sf(pearson, df_resid)) if df_resid > 0 else np.nan,
            estimate=pearson / df_resid if df_resid > 0 else np.nan,
            note="statistic = Pearson X2, p = P(chi2_df > X2); estimate = X2/df, the dispersion "
            "ratio (1 under Poisson)",
        ),
    ]

    nb_res: ModelResult | None = None
    nb_msgs: list[str] = []
    nb_model = sm.NegativeBinomial(yv, des.X, loglike_method="nb2", offset=total_off)
    nb, nb_msgs, nb_err = fit_quietly(lambda: nb_model.fit(disp=0, maxiter=200, method="newton"))
    if nb is None or not bool(nb.mle_retvals.get("converged", False)) or not np.isfinite(nb.bse).all():
        # Newton can fail far from the optimum; BFGS is statsmodels' default
        nb, nb_msgs, nb_err = fit_quietly(lambda: nb_model.fit(disp=0, maxiter=1000, method="bfgs"))
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
            coef_frame(names_nb, params, bse, ci_nb[:, 0], ci_nb[:, 1], pv, ratio=True),
            nb,
            summary_frame(
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
        warn(msg)
    for m in warns + (nb_res.warnings if nb_res is not None and chosen == "negbin" else []):
        warn(f"{where}: {m}")
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
