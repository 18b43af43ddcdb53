"""How many adopters the register misses, and models that allow for it.

The register holds the agreements a web search found; a municipality without a found
agreement is *unknown*, not a non-adopter. This module measures detection where a published
count covers what the register covers, and fits the logistic model of adoption with
detection as an explicit parameter (a misclassification-corrected logit).

=========================  ===================================================
SEARCHED_PLACES            places named in the register's search queries
searched_by_name           which units were named in the queries
implied_adopters           minimum numbers of adopters that published counts imply
detection_from_published   detection of agreements and of adopters, from published counts
fit_detection_logit        P(found) = detection × F(x'β), detection fixed, per unit or estimated
detection_sensitivity      the size effect as detection varies (and the adopters it implies)
calibrate_detection        the detection at which the model implies a published total
=========================  ===================================================
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from iopstudy.errors import InputError
from iopstudy.spread.design import (
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
from iopstudy.spread.results import ModelResult, warn

__all__ = [
    "SEARCHED_PLACES",
    "searched_by_name",
    "implied_adopters",
    "detection_from_published",
    "fit_detection_logit",
    "detection_sensitivity",
    "calibrate_detection",
]


#: Places named in the register's search queries (``data/raw/register/SOURCES.md``, "How the
#: register was compiled", Queries: Places). A search that names a place finds its agreements
#: more often: detection differs between these and the other municipalities.
SEARCHED_PLACES: tuple[str, ...] = (
    "Göteborg", "Malmö", "Lund", "Borås", "Uppsala", "Örebro", "Linköping", "Norrköping",
    "Västerås", "Umeå", "Luleå", "Helsingborg", "Jönköping", "Karlstad", "Stockholm",
)


def searched_by_name(data: pd.DataFrame, places: Sequence[str] = SEARCHED_PLACES,
                     name: str = "kommun_name") -> pd.Series:
    """Boolean Series: was the unit named in the search queries?

    Examples
    --------
    >>> searched_by_name(pd.DataFrame({"kommun_name": ["Lund", "Eslöv"]})).tolist()
    [True, False]
    """
    require_columns(data, [name], "searched_by_name")
    return data[name].isin(list(places)).rename("searched_by_name")


# --------------------------------------------------------------------------- published counts
_SHARE = re.compile(r"(more than|over|över|at least|minst)?\s*(\d+(?:[.,]\d+)?)\s*%\s*of (?:the )?municipalit",
                    re.IGNORECASE)


def implied_adopters(published: pd.DataFrame, n_units: int = 290) -> pd.DataFrame:
    """Minimum numbers of adopting municipalities implied by published counts.

    Parameters
    ----------
    published
        :func:`iopstudy.register.literature.read_published_counts`.
    n_units
        Number of municipalities (290).

    Returns
    -------
    pandas.DataFrame
        One row per published count that bounds the number of
        municipalities with an IOP: ``date, count_text, what, basis``
        (``"share of municipalities"`` or ``"count of municipalities"``),
        ``share`` (stated share, NaN for counts), ``min_adopters``,
        ``victim_support`` (the count is of municipalities with an IOP with
        a victim-support association) and ``source_url``.

    Notes
    -----
    "More than 50 % of municipalities" of 290 means at least
    :math:`\\lfloor 0.5 \\cdot 290 \\rfloor + 1 = 146`; "at least p %" means
    :math:`\\lceil p\\,n/100 \\rceil`. A count whose ``what`` starts with
    "municipalities" is a number of municipalities. Counts of agreements
    ("över 300 IOPs") do not bound the number of municipalities (one city
    can hold many agreements) and are not used.

    Examples
    --------
    >>> pub = pd.DataFrame({"date": ["2024"], "count_text": ["över 500"], "source_url": [""],
    ...     "what": ["ongoing IOPs; more than 50 % of municipalities with at least one"]})
    >>> implied_adopters(pub)["min_adopters"].tolist()
    [146]
    """
    require_columns(published, ["what"], "implied_adopters")
    rows = []
    for rec in published.to_dict("records"):
        what = str(rec.get("what", ""))
        victim = bool(re.search(r"victim|brottsoffer", what, re.IGNORECASE))
        m = _SHARE.search(what)
        if m:
            share = float(m.group(2).replace(",", "."))
            strict = (m.group(1) or "").lower() in ("more than", "over", "över")
            k = math.floor(share / 100 * n_units) + 1 if strict else math.ceil(share / 100 * n_units)
            basis = "share of municipalities"
        elif re.match(r"(?i)^municipalit", what.strip()):
            share, k, basis = np.nan, int(rec["count"]), "count of municipalities"
        else:
            continue
        rows.append(dict(date=str(rec.get("date", "")), count_text=str(rec.get("count_text", "")),
                         what=what, basis=basis, share=share, min_adopters=int(k),
                         victim_support=victim, source_url=str(rec.get("source_url", ""))))
    cols = ["date", "count_text", "what", "basis", "share", "min_adopters", "victim_support", "source_url"]
    return pd.DataFrame(rows, columns=cols)


def _victim_support_found(partnerships: pd.DataFrame) -> set[str]:
    p = partnerships[partnerships["level"] == "kommun"]
    area = pd.Series(False, index=p.index)
    for col in ("policy_area_primary", "policy_area_secondary"):
        if col in p.columns:
            area |= p[col].astype("string").fillna("").str.contains("crime_victims", regex=False).to_numpy()
    partner = p["civil_partners"].astype("string").fillna("").str.contains("brottsoffer", case=False).to_numpy()
    return set(p.loc[area.to_numpy() | partner, "kommun_code"].dropna().astype(str))


def detection_from_published(
    partnerships: pd.DataFrame,
    units: pd.DataFrame,
    published: pd.DataFrame | None = None,
    *,
    local: Sequence[Mapping[str, Any]] | None = None,
    outcome: str = "ever_adopted",
    places: Sequence[str] = SEARCHED_PLACES,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Detection of the register, wherever a published count covers what it covers.

    Parameters
    ----------
    partnerships
        The processed ``partnerships`` table.
    units
        One row per municipality with ``kommun_code``, ``kommun_name`` and
        ``outcome`` (the panel's last year).
    published
        Published counts (:func:`~iopstudy.register.literature.read_published_counts`);
        None leaves out the rows that need them.
    local
        Entries for :func:`~iopstudy.register.literature.register_vs_published`
        (default: its :data:`~iopstudy.register.literature.PUBLISHED_LOCAL`).
    places
        Places named in the search (:data:`SEARCHED_PLACES`).
    alpha
        1 - confidence level of the Clopper–Pearson intervals.

    Returns
    -------
    pandas.DataFrame
        ``what, unit, published, found, detection, detection_low,
        detection_high, ci_low, ci_high, kind, note``. ``kind`` is
        ``"bounds"`` (the register's rows bracket how many of the published
        agreements it found: ``detection_low``–``detection_high``),
        ``"estimate"`` (a proportion with a Clopper–Pearson interval) or
        ``"upper bound"`` / ``"lower bound"``.

    Notes
    -----
    Rows: (1) each public body with a published count of its own agreements
    (Göteborg, Borås, Västra Götalandsregionen, …): agreement detection lies
    between ``known / published`` and ``min(possible, published) /
    published`` (:func:`~iopstudy.register.literature.register_vs_published`);
    (2) these pooled; (3) adopters nationally: with at least :math:`A`
    adopters (:func:`implied_adopters`) and :math:`f` found, detection of an
    adopting municipality is at most :math:`f/A`; (4) municipalities with a
    victim-support IOP: found / published, if the register's are among them;
    (5) places named in the queries against the others: detection among the
    named is at least found/named (not all of them need be adopters), among
    the others at most found / (A − named). A municipality with *m*
    agreements each found with probability *d* is found with probability
    :math:`1-(1-d)^m`, so municipality detection exceeds agreement detection.

    Examples
    --------
    An illustrative municipality "Aby" (named in the search) with three register rows against
    a published count of five active agreements, and a published share of municipalities:

    >>> entry = {"place": "Aby", "level": "kommun", "code": "9901", "committee": None, "year": 2023,
    ...          "date": "2023", "published": 5, "kind": "active", "what": "active IOPs",
    ...          "source_url": "https://example.org/report"}
    >>> p = pd.DataFrame({"level": ["kommun"] * 3, "kommun_code": ["9901"] * 3, "county_code": ["99"] * 3,
    ...                   "public_party": ["Aby kommun"] * 3,
    ...                   "start_year": pd.array([2021, 2015, None], dtype="Int64"),
    ...                   "end_year": pd.array([2024, 2017, None], dtype="Int64")})
    >>> units = pd.DataFrame({"kommun_code": ["9901", "9902", "9903", "9904"],
    ...                       "kommun_name": ["Aby", "Bby", "Cby", "Dby"],
    ...                       "ever_adopted": [True, False, False, False]})
    >>> pub = pd.DataFrame({"date": ["2024"], "count_text": [""], "source_url": [""],
    ...                     "what": ["IOPs; more than 50 % of municipalities with at least one"]})
    >>> r = detection_from_published(p, units, pub, local=[entry], places=["Aby"])
    >>> r[["kind", "published", "found"]].values.tolist()
    [['bounds', 5, 1], ['bounds', 5, 1], ['upper bound', 3, 1], ['lower bound', 1, 1],
     ['upper bound', 2, 0]]
    >>> r.loc[0, ["detection_low", "detection_high"]].tolist(), round(float(r.loc[2, "detection_high"]), 3)
    ([0.2, 0.4], 0.333)
    """
    from statsmodels.stats.proportion import proportion_confint

    from iopstudy.register.literature import register_vs_published

    require_columns(units, ["kommun_code", outcome], "detection_from_published")
    rows: list[dict[str, Any]] = []

    def add(**kw: Any) -> None:
        base = dict(what="", unit="", published=np.nan, found=np.nan, detection=np.nan,
                    detection_low=np.nan, detection_high=np.nan, ci_low=np.nan, ci_high=np.nan,
                    kind="", note="")
        base.update(kw)
        rows.append(base)

    vs = register_vs_published(partnerships, local)
    for r in vs.itertuples():
        hi_found = min(r.possible, r.published)
        add(what=f"{r.place}: {r.kind} agreements {r.reference}", unit="agreements",
            published=r.published, found=r.known, detection_low=r.known / r.published,
            detection_high=hi_found / r.published, kind="bounds",
            note=f"{r.register_rows} register row(s), {r.known} certainly and at most {r.possible} counted")
    if len(vs):
        pub = int(vs["published"].sum())
        known = int(vs["known"].sum())
        poss = int(np.minimum(vs["possible"], vs["published"]).sum())
        add(what="pooled over these public bodies", unit="agreements", published=pub, found=known,
            detection_low=known / pub, detection_high=poss / pub, kind="bounds",
            note="bodies with a published count; these were named in the search, so detection elsewhere is lower")
    adopted = units[outcome].astype(bool).to_numpy()
    f = int(adopted.sum())
    imp = implied_adopters(published, len(units)) if published is not None else pd.DataFrame()
    if len(imp):
        nat = imp[~imp["victim_support"]]
        if len(nat):
            best = nat.loc[nat["min_adopters"].idxmax()]
            A = int(best["min_adopters"])
            add(what=f"adopting municipalities ({best['what']}, {best['date'] or 'undated'})",
                unit="municipalities", published=A, found=f, detection_high=f / A, kind="upper bound",
                note=f"at least {A} adopters, {f} found")
            if "kommun_name" in units.columns:
                named = searched_by_name(units, places).to_numpy()
                fn, fo, nn = int((adopted & named).sum()), int((adopted & ~named).sum()), int(named.sum())
                add(what="municipalities named in the search queries", unit="municipalities",
                    published=nn, found=fn, detection_low=fn / nn, kind="lower bound",
                    note=f"{fn} of the {nn} named places found; at most {nn} of them adopters")
                if A - nn > 0:
                    add(what="municipalities not named in the queries", unit="municipalities",
                        published=A - nn, found=fo, detection_high=fo / (A - nn), kind="upper bound",
                        note=f"at least {A} - {nn} = {A - nn} adopters among them, {fo} found")
        for rec in imp[imp["victim_support"]].to_dict("records"):
            found_vs = _victim_support_found(partnerships)
            x, n = len(found_vs), int(rec["min_adopters"])
            lo, hi = proportion_confint(x, n, alpha=alpha, method="beta")
            add(what=f"municipalities with a victim-support IOP ({rec['date']})", unit="municipalities",
                published=n, found=x, detection=x / n, ci_low=lo, ci_high=hi, kind="estimate",
                note="found: municipalities with a crime_victims agreement or a Brottsofferjour partner; "
                     "assumes they are among the published ones")
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- the model
def _detection_model(y: np.ndarray, X: pd.DataFrame, delta: np.ndarray | None):
    """GenericLikelihoodModel of P(y=1) = delta * expit(X b); delta estimated when None."""
    from scipy.special import expit, log_expit
    from statsmodels.base.model import GenericLikelihoodModel

    k = X.shape[1]
    Xa = X.to_numpy(dtype=float)

    def pieces(params):
        b = params[:k]
        if delta is None:
            g = params[k]
            d, logd = expit(g), log_expit(g)
        else:
            d, logd = delta, np.log(delta)
        eta = Xa @ b
        p = expit(eta)
        q = np.clip(d * p, 1e-300, 1 - 1e-15)
        return b, d, logd, eta, p, q

    class DetectionLogit(GenericLikelihoodModel):
        def loglikeobs(self, params):
            b, d, logd, eta, p, q = pieces(params)
            return y * (logd + log_expit(eta)) + (1 - y) * np.log1p(-q)

        def score_obs(self, params):
            b, d, logd, eta, p, q = pieces(params)
            r = y * (1 - p) - (1 - y) * d * p * (1 - p) / (1 - q)
            S = Xa * r[:, None]
            if delta is None:
                # d/dg of y log d + (1-y) log(1 - d p), d = expit(g)
                sg = y * (1 - d) - (1 - y) * p * d * (1 - d) / (1 - q)
                S = np.column_stack([S, sg])
            return S

        def score(self, params):
            return self.score_obs(params).sum(axis=0)

    names = list(X.columns) + (["detection (logit)"] if delta is None else [])
    exog = X.copy()
    if delta is None:
        mod = DetectionLogit(y, exog, extra_params_names=["detection (logit)"])
    else:
        mod = DetectionLogit(y, exog)
    return mod, names


def fit_detection_logit(
    data: pd.DataFrame,
    outcome: str,
    covariates: str | Sequence[str],
    *,
    detection: float | str | Sequence[float] | np.ndarray = 1.0,
    cluster: str | None = None,
    alpha: float = 0.05,
) -> ModelResult:
    """Logistic model of adoption when adopters are found only with probability *detection*.

    Parameters
    ----------
    data
        One row per unit, e.g. the municipalities with ``ever_adopted``.
    outcome
        Found (1) or not found (0).
    covariates
        Covariates of adoption (an intercept is added).
    detection
        Probability that an adopter is found: a number in (0, 1]; a column
        name or array with one value per unit (e.g. higher where the search
        named the place, :func:`searched_by_name`); or ``"estimate"`` to
        estimate one common value (identified only by the functional form:
        read the profile of :func:`detection_sensitivity` before trusting it).
    cluster
        Column for cluster-robust standard errors, e.g. ``"county_code"``.
    alpha
        1 - confidence level.

    Returns
    -------
    ModelResult
        ``.coef``: the coefficients of *adoption* (odds ratios in ``ratio``);
        with ``detection="estimate"`` a last row ``detection`` holds the
        estimate on the probability scale with a delta-method SE and a
        profile-likelihood interval; at the boundary 1 the fit is the
        ordinary logit and a warning says so. ``.summary`` adds
        ``detection`` (mean), ``expected_adopters`` (:math:`\\sum_i
        F(x_i^\\top\\hat\\beta)`), ``n_found`` and ``se_type``.

    Notes
    -----
    Hausman, Abrevaya & Scott-Morton (1998, J. Econometrics 87:239–269):
    with false-positive rate :math:`\\alpha_0` and false-negative rate
    :math:`\\alpha_1`, :math:`P(\\tilde y = 1 \\mid x) = \\alpha_0 + (1 -
    \\alpha_0 - \\alpha_1) F(x^\\top\\beta)`. Every found agreement is real,
    so :math:`\\alpha_0 = 0`, and with detection :math:`\\delta_i = 1 -
    \\alpha_{1i}`,

    .. math::

        \\ell(\\beta) = \\sum_i \\tilde y_i \\log(\\delta_i F_i) +
        (1 - \\tilde y_i) \\log(1 - \\delta_i F_i),\\quad
        F_i = \\mathrm{logit}^{-1}(x_i^\\top\\beta),

    maximised with statsmodels' ``GenericLikelihoodModel`` (analytic score,
    numerical Hessian). With :math:`\\delta = 1` it is the ordinary logit.
    A constant :math:`\\delta` mostly shifts the intercept when adoption is
    rare, but attenuates the slope when it is common; a :math:`\\delta_i`
    that grows with size (a search that named large cities) explains part
    or all of a size gradient in the found adopters.

    A constant :math:`\\delta` is identified only by the logistic shape
    (the ceiling :math:`\\delta` of :math:`P(\\tilde y=1)`), which a few
    dozen found adopters cannot pin down; treat it as a sensitivity
    parameter. What a proper design would add: an **audit** — a stratified
    random sample of municipalities (by size and SKR group) searched the
    same way, exhaustively (municipal diaries, the committees' minutes, a
    question to the municipality), which estimates :math:`\\delta` by
    stratum directly; and **capture–recapture** across independent kinds of
    sources (municipal pages, organisations' pages, news, national
    mappings such as Famna's): agreements found by two independent sources
    give the Lincoln–Petersen estimate :math:`\\hat N = n_1 n_2 / m` of how
    many exist, and log-linear models allow for dependence between sources.

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> x = rng.normal(size=400)
    >>> d = pd.DataFrame({"x": x, "y": rng.random(400) < 0.5 / (1 + np.exp(-x))})
    >>> r = fit_detection_logit(d, "y", ["x"], detection=0.5)
    >>> float(r.summary["detection"].iloc[0])
    0.5
    """
    import statsmodels.api as sm
    from scipy import stats
    from scipy.special import expit

    where = "fit_detection_logit"
    covs = as_list(covariates)
    need = [outcome, *covs] + ([cluster] if cluster else [])
    require_columns(data, need, where)
    check_no_na(data, need, where)
    y = binary_outcome(data[outcome], where, outcome)
    des = design(data, covs, intercept=True, where=where)
    estimate = isinstance(detection, str) and detection == "estimate"
    if estimate:
        delta = None
    elif isinstance(detection, str):
        require_columns(data, [detection], where)
        delta = pd.to_numeric(data[detection]).to_numpy(dtype=float)
    else:
        delta = np.broadcast_to(np.asarray(detection, dtype=float), (len(data),)).copy()
    if delta is not None and (np.any(delta <= 0) or np.any(delta > 1) or not np.isfinite(delta).all()):
        raise InputError(f"{where}: detection must lie in (0, 1]")
    mod, names = _detection_model(y, des.X, delta)
    naive, _, _ = fit_quietly(lambda: sm.Logit(y, des.X).fit(disp=0, maxiter=200))
    start = np.zeros(des.X.shape[1]) if naive is None else np.asarray(naive.params, dtype=float).copy()
    if delta is not None:
        start[0] -= np.log(np.mean(delta))  # P(found) ~ delta * F: shift the intercept
    else:
        start = np.append(start, 2.0)
    kw: dict[str, Any] = {}
    se_type = "model-based SEs"
    if cluster:
        groups = pd.factorize(data[cluster])[0]
        kw = dict(cov_type="cluster", cov_kwds={"groups": groups})
        se_type = f"cluster-robust SEs by {cluster} ({len(np.unique(groups))} clusters)"
    warns: list[str] = []
    res, _, err = fit_quietly(
        lambda: mod.fit(start_params=start, method="bfgs", maxiter=5000, disp=0, gtol=1e-8, **kw)
    )
    if res is None:
        raise InputError(f"{where}: the fit failed ({err})")
    converged = bool(res.mle_retvals.get("converged", False))
    params = np.asarray(res.params, dtype=float).copy()
    bse = np.asarray(res.bse, dtype=float).copy()
    k = des.X.shape[1]
    at_boundary = estimate and float(expit(params[k])) > 0.995  # handled below
    huge = [] if at_boundary else huge_terms(des.X, params[:k], bse[:k])
    if huge:
        # the likelihood rises without bound: in some group the share found is at or above the
        # assumed detection, which needs an adoption probability of 1 there
        for j, name in enumerate(names[:k]):
            if name in huge:
                params[j], bse[j] = np.sign(params[j]) * np.inf, np.nan
        warns.append(
            f"{where}: estimates diverge for {huge}: the share found in some group is at or above the "
            "assumed detection, which the model can meet only with adoption certain there; this "
            "detection is not compatible with the data"
        )
        warn(warns[-1])
    elif not converged and not at_boundary:
        warns.append(f"{where}: the fit did not converge")
        warn(warns[-1])
    z = stats.norm.ppf(1 - alpha / 2)
    coef = coef_frame(names[:k], params[:k], bse[:k], params[:k] - z * bse[:k], params[:k] + z * bse[:k],
                      2 * stats.norm.sf(np.abs(params[:k] / bse[:k])), ratio=True)
    if estimate:
        g, sg = params[k], bse[k]
        d = float(expit(g))
        q = stats.chi2.ppf(1 - alpha, 1)
        fixed_kw = dict(cluster=cluster, alpha=alpha)
        if d > 0.995:
            # the maximum is at the boundary: the model is the ordinary logit, detection 1
            base = _quiet_fit(data, outcome, covs, 1.0, **fixed_kw)
            lo = _profile_end(data, outcome, covs, float(base.summary["log_likelihood"].iloc[0]), 1.0, -1, q)
            msg = (f"{where}: the detection estimate is at the boundary 1 (profile {1 - alpha:.0%} "
                   f"interval {lo:.3g}–1): the found adopters alone do not identify detection")
            warn(msg)
            drow = pd.DataFrame([dict(term="detection", estimate=1.0, std_error=np.nan, ci_low=lo, ci_high=1.0,
                                      p_value=np.nan, ratio=np.nan, ratio_ci_low=np.nan, ratio_ci_high=np.nan)])
            base.coef = pd.concat([base.coef, drow], ignore_index=True)
            base.warnings.append(msg)
            base.summary["warnings"] = "; ".join(w for w in [base.summary["warnings"].iloc[0], msg] if w)
            base.summary["notes"] = base.summary["notes"].iloc[0].replace("detection fixed at 1", "detection estimated (at the boundary 1)")
            base.summary["n_parameters"] = int(base.summary["n_parameters"].iloc[0]) + 1
            return base
        llf = float(res.llf)
        lo = _profile_end(data, outcome, covs, llf, d, -1, q)
        hi = _profile_end(data, outcome, covs, llf, d, +1, q)
        drow = pd.DataFrame([dict(term="detection", estimate=d, std_error=d * (1 - d) * sg,
                                  ci_low=lo, ci_high=hi,
                                  p_value=np.nan, ratio=np.nan, ratio_ci_low=np.nan, ratio_ci_high=np.nan)])
        coef = pd.concat([coef, drow], ignore_index=True)
        dmean = d
    else:
        dmean = float(delta[0]) if np.ptp(delta) == 0 else float(np.mean(delta))
    with np.errstate(invalid="ignore"):
        F = expit(des.X.to_numpy(dtype=float) @ np.nan_to_num(np.asarray(res.params, dtype=float)[:k]))
    n_par = len(params)
    summary = summary_frame(
        model="logit with detection", method="ml (misclassification-corrected, HAS 1998)",
        n=len(y), events=int(y.sum()), n_parameters=n_par, log_likelihood=float(res.llf),
        aic=-2 * float(res.llf) + 2 * n_par, converged=converged,
        notes=["P(found) = detection * logistic(x'b)",
               "detection estimated" if estimate else (
                   f"detection fixed at {dmean:.3g}" if np.ptp(delta) == 0 else
                   f"detection per unit (mean {dmean:.3g}, {np.min(delta):.3g}–{np.max(delta):.3g})"),
               se_type, "Wald CIs", ref_note(des)],
        warnings=warns, detection=dmean, expected_adopters=float(F.sum()), n_found=int(y.sum()),
        se_type=se_type, diverged=bool(huge),
    )
    return ModelResult(coef, res, summary, warns)


def _quiet_fit(data, outcome, covs, detection, **kw) -> ModelResult:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit_detection_logit(data, outcome, covs, detection=detection, **kw)


def _profile_end(data, outcome, covs, llf: float, d_hat: float, side: int, q: float) -> float:
    """End of the profile-likelihood interval of a common detection (``side`` -1 or +1)."""
    from scipy.optimize import brentq

    def f(v: float) -> float:
        ll = float(_quiet_fit(data, outcome, covs, v).summary["log_likelihood"].iloc[0])
        return 2 * (llf - ll) - q

    if side > 0:
        return 1.0 if f(1.0) <= 0 else float(brentq(f, d_hat, 1.0, xtol=1e-4))
    v, prev = d_hat * 0.8, d_hat
    while v > 1e-3:
        if f(v) > 0:
            return float(brentq(f, v, prev, xtol=1e-4))
        prev, v = v, v * 0.8
    return 0.0


def detection_sensitivity(
    data: pd.DataFrame,
    outcome: str,
    covariates: str | Sequence[str],
    detections: Sequence[float] | Mapping[str, Any] = (1.0, 0.8, 0.6, 0.4, 0.3, 0.2, 0.15, 0.1),
    *,
    term: str = "log_population",
    cluster: str | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The coefficient of one term as the detection probability varies.

    Parameters
    ----------
    data, outcome, covariates, cluster, alpha
        As for :func:`fit_detection_logit`.
    detections
        Values of a common detection, or a mapping ``{label: detection}``
        whose values may be numbers, columns or per-unit arrays (e.g.
        ``{"named 0.75, other 0.11": np.where(named, 0.75, 0.11)}``).
    term
        The term reported.

    Returns
    -------
    pandas.DataFrame
        One row per detection: ``scenario, detection`` (mean),
        ``term, estimate, std_error, ci_low, ci_high, p_value, ratio,
        ratio_ci_low, ratio_ci_high, expected_adopters, log_likelihood,
        converged, diverged`` (``diverged``: the detection is below the share
        found in some group, and the estimate is infinite). The log-likelihood across a grid of common detections
        is the profile likelihood of detection: a flat profile says the data
        cannot tell detection, and the size effect must be read across rows.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"x": rng.normal(size=300)})
    >>> d["y"] = rng.random(300) < 0.6 / (1 + np.exp(-d["x"]))
    >>> detection_sensitivity(d, "y", ["x"], (1.0, 0.6), term="x")["detection"].tolist()
    [1.0, 0.6]
    """
    items = detections.items() if isinstance(detections, Mapping) else ((f"{float(v):g}", v) for v in detections)
    rows = []
    for name, det in items:
        r = fit_detection_logit(data, outcome, covariates, detection=det, cluster=cluster, alpha=alpha)
        c = r.coef.set_index("term")
        if term not in c.index:
            raise InputError(f"detection_sensitivity: no term {term!r} in {list(c.index)}")
        s = r.summary.iloc[0]
        rows.append(dict(scenario=str(name), detection=float(s["detection"]), term=term,
                         **{k: float(c.at[term, k]) for k in ["estimate", "std_error", "ci_low", "ci_high",
                                                             "p_value", "ratio", "ratio_ci_low", "ratio_ci_high"]},
                         expected_adopters=float(s["expected_adopters"]),
                         log_likelihood=float(s["log_likelihood"]), converged=bool(s["converged"]),
                         diverged=bool(s["diverged"])))
    return pd.DataFrame(rows)


def calibrate_detection(
    data: pd.DataFrame,
    outcome: str,
    covariates: str | Sequence[str],
    target_adopters: float,
    *,
    fixed: str | Sequence[float] | np.ndarray | None = None,
    term: str = "log_population",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The detection at which the model implies ``target_adopters`` adopters in all.

    Parameters
    ----------
    target_adopters
        E.g. 146, the minimum that "more than half of the municipalities"
        implies (:func:`implied_adopters`).
    fixed
        Optional per-unit detection (a column or array) that is held fixed,
        NaN where the common detection is calibrated: e.g.
        ``np.where(named, 1.0, np.nan)`` calibrates the detection of the
        places the search did not name.

    Returns
    -------
    pandas.DataFrame
        One row as :func:`detection_sensitivity` with ``scenario`` =
        ``"calibrated"``, ``calibrated`` (the common detection found) and
        ``target_adopters``; ``detection`` is the mean over units.

    Notes
    -----
    Solves :math:`\\sum_i F(x_i^\\top\\hat\\beta(\\delta)) = A` for the
    common :math:`\\delta` by ``scipy.optimize.brentq``, with
    :math:`\\hat\\beta(\\delta)` the fit of :func:`fit_detection_logit`.
    It is a moment condition on the published total, not an estimate from
    the register, and inherits the published figure's definition and date.
    A common detection low enough to imply many adopters is usually below
    the share found among the largest municipalities; the fit then
    diverges (``diverged``), which says that detection cannot be the same
    everywhere.

    Examples
    --------
    Illustrative data with 22 found adopters among 100 units; which common detection makes the
    model imply 50 adopters?

    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"x": rng.normal(size=100)})
    >>> d["y"] = rng.random(100) < 0.5 / (1 + np.exp(-d["x"]))
    >>> c = calibrate_detection(d, "y", ["x"], target_adopters=50, term="x")
    >>> c["scenario"].iloc[0], round(float(c["calibrated"].iloc[0]), 2)
    ('calibrated', 0.45)
    >>> round(float(c["expected_adopters"].iloc[0]), 1), bool(c["estimate"].iloc[0] > 0)
    (50.0, True)
    """
    from scipy.optimize import brentq

    if fixed is None:
        fx = np.full(len(data), np.nan)
    elif isinstance(fixed, str):
        fx = pd.to_numeric(data[fixed]).to_numpy(dtype=float)
    else:
        fx = np.asarray(fixed, dtype=float)
    free = np.isnan(fx)
    if not free.any():
        raise InputError("calibrate_detection: no unit is left to calibrate (fixed has no NaN)")
    n_found = int(pd.Series(data[outcome]).astype(bool).sum())
    if not n_found < target_adopters <= len(data):
        raise InputError(f"calibrate_detection: need {n_found} < target_adopters <= {len(data)}")

    def det(c: float) -> np.ndarray:
        return np.where(free, c, fx)

    def gap(c: float) -> float:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = fit_detection_logit(data, outcome, covariates, detection=det(c))
        return float(r.summary["expected_adopters"].iloc[0]) - target_adopters

    if gap(1.0) > 0:
        raise InputError("calibrate_detection: even full detection implies more adopters than the target")
    lo = 0.5
    while gap(lo) < 0 and lo > 1e-4:
        lo /= 2
    c = brentq(gap, lo, 1.0, xtol=1e-6)
    out = detection_sensitivity(data, outcome, covariates, {"calibrated": det(c)}, term=term, alpha=alpha)
    out["calibrated"] = c
    out["target_adopters"] = float(target_adopters)
    return out
