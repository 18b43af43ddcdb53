"""Partial identification: what the data say when *K* adopters were not found.

Published counts say that more than half of the 290 municipalities (at least 146) had an IOP
around 2024; the register finds a few dozen. So at least *K* of the municipalities coded 0 are
adopters the search did not find, and where they sit decides the size effect. Nothing in the
register says where they sit. The functions here give, for a number *K* (from the published
counts or a range the user sets), the set of values a quantity can take over **all**
placements of the *K* missing adopters among the units without a found agreement (Manski 2003,
Partial Identification of Probability Distributions, ch. 1), and named worst cases.

=========================  ===================================================
min_undetected             the smallest K that published counts imply
share_bounds               adopters' share by group: sharp bounds and scenarios
placement                  which units get the K extra adopters under a rule
logit_bounds               sharp bounds of a logit coefficient (size odds ratio)
hazard_bounds              scenario bounds of a hazard ratio (interval-censored)
placement_scenarios        the model under each named placement
sign_identified            is the sign of the effect identified given K? (in words)
breakdown_k                the smallest K at which the sign is no longer identified
=========================  ===================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from iopstudy.errors import InputError
from iopstudy.labels import format_number, label
from iopstudy.spread.design import as_list, binary_outcome, check_no_na, design, require_columns
from iopstudy.spread.results import DEFAULT_SEED
from iopstudy.spread.slope_bounds import LogitProblem

__all__ = [
    "min_undetected",
    "share_bounds",
    "placement",
    "logit_bounds",
    "hazard_bounds",
    "placement_scenarios",
    "sign_identified",
    "breakdown_k",
]

_RULES = ("smallest", "largest", "even", "random", "group")


def min_undetected(published: pd.DataFrame, n_found: int, n_units: int = 290) -> int:
    """The smallest number of undetected adopters the published counts imply.

    ``max(min_adopters) - n_found`` over :func:`iopstudy.spread.detection.implied_adopters`
    (0 if no count bounds the number of adopters).

    Examples
    --------
    >>> pub = pd.DataFrame({"what": ["IOPs; more than 50 % of municipalities with one"],
    ...                     "date": [""], "count_text": ["över 500"], "source_url": [""]})
    >>> min_undetected(pub, n_found=26)
    120
    """
    from iopstudy.spread.detection import implied_adopters

    imp = implied_adopters(published, n_units)
    return int(max(int(imp["min_adopters"].max()) - int(n_found), 0)) if len(imp) else 0


def _ks(k: int | Sequence[int]) -> list[int]:
    ks = [int(k)] if np.isscalar(k) else [int(x) for x in k]
    if any(x < 0 for x in ks):
        raise InputError("the number of undetected adopters k must be >= 0")
    return ks


# --------------------------------------------------------------------------- shares
def share_bounds(
    data: pd.DataFrame,
    by: str,
    k: int | Sequence[int],
    *,
    outcome: str = "ever_adopted",
    size: str = "population",
) -> pd.DataFrame:
    """Share of adopters by group when *k* adopters among the zeros were not found.

    Parameters
    ----------
    data
        One row per unit (the municipalities) with ``by``, ``outcome`` and ``size``.
    by
        Grouping column (``"size_class"``, ``"skr_main_group"``, …).
    k
        Number(s) of undetected adopters.
    size
        Column that orders units for the "smallest" / "largest" scenarios.

    Returns
    -------
    pandas.DataFrame
        One row per k × group: ``k, group, n_units, n_found, n_zero,
        share_found, share_low, share_high`` (sharp bounds over all
        placements), ``share_smallest``, ``share_largest`` (all k on the
        smallest / largest units), ``share_even`` (k spread evenly over the
        size ranks of the zeros) and ``share_proportional`` (the expected
        share when the k are a uniform random subset of the zeros).

    Notes
    -----
    With :math:`f_g` found among :math:`n_g` units, :math:`z_g = n_g - f_g`
    zeros and :math:`Z = \\sum_g z_g`, the number :math:`k_g` of the *k*
    missing adopters in group *g* can be anything in
    :math:`[\\max(0, k - (Z - z_g)), \\min(k, z_g)]`, so the share lies in
    :math:`[(f_g + \\max(0, k - Z + z_g))/n_g,\\ (f_g + \\min(k, z_g))/n_g]`,
    and every value between is attained: the bounds are sharp.

    Examples
    --------
    >>> d = pd.DataFrame({"g": list("aabb"), "ever_adopted": [True, False, False, False],
    ...                   "population": [1, 2, 3, 4]})
    >>> share_bounds(d, "g", 1)[["group", "share_low", "share_high"]].values.tolist()
    [['a', 0.5, 1.0], ['b', 0.0, 0.5]]
    """
    where = "share_bounds"
    require_columns(data, [by, outcome, size], where)
    check_no_na(data, [by, outcome, size], where)
    y = binary_outcome(data[outcome], where, outcome, allow_constant=True).astype(bool)
    g = data[by]
    groups = list(g.cat.remove_unused_categories().cat.categories) if isinstance(g.dtype, pd.CategoricalDtype) \
        else sorted(pd.unique(g), key=str)
    Z = int((~y).sum())
    rows = []
    for kk in _ks(k):
        if kk > Z:
            raise InputError(f"{where}: k = {kk} exceeds the {Z} units without a found adopter")
        scen = {r: placement(data, kk, r, outcome=outcome, size=size) for r in ("smallest", "largest", "even")}
        for lev in groups:
            m = (g == lev).to_numpy()
            n, f = int(m.sum()), int((y & m).sum())
            z = n - f
            rows.append(dict(
                k=kk, group=lev, n_units=n, n_found=f, n_zero=z, share_found=f / n,
                share_low=(f + max(0, kk - (Z - z))) / n, share_high=(f + min(kk, z)) / n,
                share_smallest=(f + int((scen["smallest"] & m).sum())) / n,
                share_largest=(f + int((scen["largest"] & m).sum())) / n,
                share_even=(f + int((scen["even"] & m).sum())) / n,
                share_proportional=(f + kk * z / Z) / n if Z else f / n,
            ))
    out = pd.DataFrame(rows)
    if isinstance(g.dtype, pd.CategoricalDtype):
        out["group"] = pd.Categorical(out["group"], categories=groups, ordered=g.cat.ordered)
    return out


def placement(
    data: pd.DataFrame,
    k: int,
    rule: Literal["smallest", "largest", "even", "random", "group"] = "smallest",
    *,
    outcome: str = "ever_adopted",
    size: str = "population",
    group: str | None = None,
    level: Any = None,
    seed: int = DEFAULT_SEED,
) -> np.ndarray:
    """Which units without a found adopter are taken to be the *k* undetected adopters.

    Rules: ``"smallest"`` / ``"largest"`` by ``size``; ``"even"``: evenly
    spaced size ranks among the zeros (no size selection); ``"random"``: a
    uniform random subset (``seed``); ``"group"``: as many as possible in
    ``group == level`` (evenly by size within it), the rest evenly over the
    other zeros.

    Returns
    -------
    numpy.ndarray
        Boolean, one value per row of ``data``: True for the placed adopters.

    Examples
    --------
    >>> d = pd.DataFrame({"ever_adopted": [True, False, False, False], "population": [4, 1, 2, 3]})
    >>> placement(d, 2, "largest").tolist()
    [False, False, True, True]
    """
    y = binary_outcome(data[outcome], "placement", outcome, allow_constant=True).astype(bool)
    zeros = np.flatnonzero(~y)
    if k > len(zeros):
        raise InputError(f"placement: k = {k} exceeds the {len(zeros)} units without a found adopter")
    out = np.zeros(len(data), dtype=bool)
    if k == 0:
        return out
    s = pd.to_numeric(data[size]).to_numpy(dtype=float) if rule != "random" else None

    def even(idx: np.ndarray, m: int) -> np.ndarray:
        order = idx[np.argsort(s[idx], kind="mergesort")]
        if m == 0:
            return order[:0]
        pos = np.unique(np.round(np.linspace(0, len(order) - 1, m)).astype(int))
        return order[pos]

    if rule == "smallest":
        out[zeros[np.argsort(s[zeros], kind="mergesort")[:k]]] = True
    elif rule == "largest":
        out[zeros[np.argsort(-s[zeros], kind="mergesort")[:k]]] = True
    elif rule == "even":
        out[even(zeros, k)] = True
    elif rule == "random":
        out[np.random.default_rng(seed).choice(zeros, size=k, replace=False)] = True
    elif rule == "group":
        if group is None:
            raise InputError("placement: rule='group' needs group= and level=")
        inside = zeros[(data[group].iloc[zeros] == level).to_numpy()]
        take = min(k, len(inside))
        out[even(inside, take)] = True
        rest = np.setdiff1d(zeros, inside)
        out[even(rest, k - take)] = True
    else:
        raise InputError(f"placement: rule must be one of {_RULES}, not {rule!r}")
    return out


# --------------------------------------------------------------------------- logit bounds
def logit_bounds(
    data: pd.DataFrame,
    k: int | Sequence[int],
    *,
    outcome: str = "ever_adopted",
    covariates: str | Sequence[str] = ("log_population", "skr_main_group"),
    term: str = "log_population",
    n_random: int = 1000,
    seed: int = DEFAULT_SEED,
    max_allocations: int = 20_000,
) -> pd.DataFrame:
    """Bounds of a logit coefficient over all placements of *k* undetected adopters.

    Parameters
    ----------
    data
        One row per unit (the municipalities at the end of the window).
    k
        Number(s) of undetected adopters among the units with outcome 0.
    outcome, covariates, term
        The logit of ``outcome`` on ``covariates``; the bounds are of
        ``term`` (numeric), by default log population (given SKR main group).
    n_random
        Random placements (uniform subsets of the zeros, ``seed``) fitted as a
        check: all of them must fall inside the bounds.
    max_allocations
        Above this many allocations of *k* to the strata a greedy search
        replaces the enumeration (``exact`` is then False).

    Returns
    -------
    pandas.DataFrame
        One row per k: ``k, n_units, n_found, n_zero, term, estimate_found``
        (all zeros taken as non-adopters), ``estimate_low, estimate_high,
        ratio_low, ratio_high`` (the identified set of the coefficient and
        of the odds ratio), ``allocation_low, allocation_high`` (how many of
        the k sit in each stratum at each end), ``exact`` (bounds proven
        sharp), ``n_allocations``, ``random_min, random_q025,
        random_median, random_q975, random_max`` (over the random
        placements) and ``random_inside``.

    Notes
    -----
    The logit is an exponential family with sufficient statistics
    :math:`T_j = \\sum_i x_{ij} y_i`. Let the other covariates be
    categorical (strata *s*, as SKR group). Fix how many of the *k* extra
    adopters fall in each stratum, :math:`k_s`: then every sufficient
    statistic but :math:`T = \\sum_i x_i y_i` of the term is fixed, and the
    MLE :math:`\\hat\\beta` is strictly increasing in *T*, because
    :math:`\\partial\\hat\\beta/\\partial T = [I(\\hat\\theta)^{-1}]_{\\beta\\beta}
    > 0`. So within an allocation the extremes come from putting the
    :math:`k_s` on the units of the stratum with the largest (smallest)
    :math:`x`; the bounds are the extremes over all allocations, which are
    enumerated. Strata that become all 1 or all 0 carry no information on
    the term (their intercept diverges) and drop out, the limit of the
    MLE; a term that separates is ±inf. With numeric covariates besides
    the term the placements are not reduced to allocations and
    ``exact`` is False. The sample of random placements checks the bounds
    and shows where typical placements fall. Manski (2003) ch. 1–2;
    Horowitz & Manski (1995, Econometrica 63:281–302) for bounds under
    contaminated / missing outcomes.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"x": rng.normal(size=60)})
    >>> d["y"] = rng.random(60) < 1 / (1 + np.exp(-d["x"]))
    >>> b = logit_bounds(d, 5, outcome="y", covariates=["x"], term="x", n_random=50)
    >>> bool(b["estimate_low"].iloc[0] <= b["estimate_found"].iloc[0] <= b["estimate_high"].iloc[0])
    True
    >>> bool(b["random_inside"].iloc[0])
    True
    """
    prob = LogitProblem(data, outcome, covariates, term)
    rng = np.random.default_rng(seed)
    zeros = np.flatnonzero(prob.y == 0)
    base = prob.fit(np.array([], dtype=int))
    rows = []
    for kk in _ks(k):
        lo, a_lo, ex1 = prob.search(kk, False, max_allocations)
        hi, a_hi, ex2 = prob.search(kk, True, max_allocations)
        rand = np.array([prob.fit(rng.choice(zeros, size=kk, replace=False)) for _ in range(n_random)]) \
            if n_random and kk else np.array([base] * max(n_random, 1))
        rfin = rand[~np.isnan(rand)]
        with np.errstate(invalid="ignore"):  # infinite estimates (separation) are legitimate values
            q = np.quantile(rfin, [0, 0.025, 0.5, 0.975, 1]) if len(rfin) else [np.nan] * 5
        tol = 1e-6
        inside = bool(len(rfin) == 0 or ((rfin >= lo - tol).all() and (rfin <= hi + tol).all()))
        fmt = lambda a: ", ".join(f"{n}: {v}" for n, v in zip(prob.stratum_names, a))  # noqa: E731
        rows.append(dict(
            k=kk, n_units=len(prob.y), n_found=int(prob.y.sum()), n_zero=len(zeros), term=term,
            estimate_found=base, estimate_low=lo, estimate_high=hi,
            ratio_low=float(np.exp(lo)), ratio_high=float(np.exp(hi)),
            allocation_low=fmt(a_lo), allocation_high=fmt(a_hi), exact=bool(ex1 and ex2 and prob.sharp),
            n_allocations=len(prob.allocations(kk, max_allocations)[0]),
            random_min=q[0], random_q025=q[1], random_median=q[2], random_q975=q[3], random_max=q[4],
            random_inside=inside,
        ))
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- hazard bounds
def _hazard_term(intervals, extra, covariates, term, fit_kw) -> float:
    from iopstudy.spread.interval import fit_interval_hazard

    iv = intervals.copy()
    if len(extra):
        lo = iv["lower"].astype("Int64").to_numpy(dtype=object)
        up = iv["upper"].astype("Int64").to_numpy(dtype=object)
        t0 = int(iv["window_start"].iloc[0]) if "window_start" in iv else int(np.nanmin(pd.to_numeric(iv["lower"])))
        end = int(iv["window_end"].iloc[0]) if "window_end" in iv else int(np.nanmax(pd.to_numeric(iv["upper"])))
        lo[extra], up[extra] = t0, end
        iv["lower"] = pd.array(lo, dtype="Int64")
        iv["upper"] = pd.array(up, dtype="Int64")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = fit_interval_hazard(iv, covariates, **fit_kw)
    return float(r.coef.set_index("term").at[term, "estimate"])


def hazard_bounds(
    intervals: pd.DataFrame,
    k: int | Sequence[int],
    *,
    covariates: str | Sequence[str] = ("log_population", "skr_main_group"),
    term: str = "log_population",
    size: str = "population",
    n_random: int = 100,
    seed: int = DEFAULT_SEED,
    **fit_kw: Any,
) -> pd.DataFrame:
    """Range of a hazard ratio over placements of *k* undetected adopters of unknown date.

    Parameters
    ----------
    intervals
        :func:`iopstudy.spread.interval.adoption_intervals` (``status``
        ``"censored"`` marks the units without a found adopter).
    k
        Number(s) of undetected adopters.
    covariates, term
        The model of :func:`~iopstudy.spread.interval.fit_interval_hazard`
        (``**fit_kw`` are passed on, e.g. ``time="periods"``).
    size
        Column that orders units for the extreme placements.
    n_random
        Random placements fitted (seed ``seed``).

    Returns
    -------
    pandas.DataFrame
        One row per k: ``k, term, estimate_found, estimate_smallest,
        estimate_largest, estimate_low, estimate_high`` (over the extreme
        and random placements), ``ratio_low, ratio_high, random_min,
        random_median, random_max, exact`` (always False).

    Notes
    -----
    An undetected adopter has adopted at an unknown time in the window, so
    it enters the interval-censored likelihood with :math:`P(T \\le
    \\text{end}) = 1 - S(\\text{end})`: no adoption year is invented. Unlike
    the logit there is no proof that the extreme placements are the
    extremes of the hazard ratio (the at-risk structure changes with the
    placement), so the range is of the placements tried — the smallest and
    the largest units and ``n_random`` random subsets — and ``exact`` is
    False.

    Examples
    --------
    Intervals of forty illustrative units (16 with an exactly dated adoption in 2010–2014,
    the others censored), as :func:`~iopstudy.spread.interval.adoption_intervals` gives them:

    >>> rng = np.random.default_rng(0)
    >>> pop = np.round(np.exp(rng.normal(10, 1, 40)))
    >>> first = np.where(rng.random(40) < 1 / (1 + np.exp(10.5 - np.log(pop))),
    ...                  rng.integers(2010, 2015, 40), 0)
    >>> iv = pd.DataFrame({"population": pop, "log_population": np.log(pop),
    ...     "lower": pd.array(np.where(first > 0, first, 2015), dtype="Int64"),
    ...     "upper": pd.array([y if y > 0 else None for y in first], dtype="Int64"),
    ...     "status": np.where(first > 0, "exact", "censored"), "window_start": 2010, "window_end": 2014})
    >>> b = hazard_bounds(iv, [0, 5], covariates=["log_population"], n_random=3)
    >>> b[["k", "estimate_found", "estimate_smallest", "estimate_largest"]].round(2).values.tolist()
    [[0.0, 0.62, 0.62, 0.62], [5.0, 0.62, -0.3, 0.94]]
    >>> bool(b["ratio_low"].iloc[1] < 1 < b["ratio_high"].iloc[1]), bool(b["exact"].any())
    (True, False)
    """
    require_columns(intervals, ["status", size], "hazard_bounds")
    data = intervals.assign(_found=intervals["status"] != "censored")
    base = _hazard_term(intervals, [], covariates, term, fit_kw)
    zeros = np.flatnonzero(~data["_found"].to_numpy())
    rng = np.random.default_rng(seed)
    rows = []
    for kk in _ks(k):
        sm = np.flatnonzero(placement(data, kk, "smallest", outcome="_found", size=size))
        lg = np.flatnonzero(placement(data, kk, "largest", outcome="_found", size=size))
        e_sm = _hazard_term(intervals, sm, covariates, term, fit_kw)
        e_lg = _hazard_term(intervals, lg, covariates, term, fit_kw)
        rand = np.array([_hazard_term(intervals, rng.choice(zeros, kk, replace=False), covariates, term, fit_kw)
                         for _ in range(n_random if kk else 0)])
        allv = np.concatenate([[e_sm, e_lg], rand])
        lo, hi = float(np.nanmin(allv)), float(np.nanmax(allv))
        rows.append(dict(
            k=kk, term=term, estimate_found=base, estimate_smallest=e_sm, estimate_largest=e_lg,
            estimate_low=lo, estimate_high=hi, ratio_low=float(np.exp(lo)), ratio_high=float(np.exp(hi)),
            random_min=float(np.min(rand)) if len(rand) else np.nan,
            random_median=float(np.median(rand)) if len(rand) else np.nan,
            random_max=float(np.max(rand)) if len(rand) else np.nan, exact=False,
        ))
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- scenarios, words
def placement_scenarios(
    data: pd.DataFrame,
    k: int,
    *,
    outcome: str = "ever_adopted",
    covariates: str | Sequence[str] = ("log_population", "skr_main_group"),
    term: str = "log_population",
    size: str = "population",
    by: Sequence[str] = ("size_class", "skr_main_group"),
    seed: int = DEFAULT_SEED,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The logit under named placements of the *k* undetected adopters.

    Returns
    -------
    pandas.DataFrame
        One row per scenario: ``scenario`` (``"found only"``, ``"smallest"``,
        ``"largest"``, ``"even"``, ``"random"``, ``"group:<col>=<level>"``),
        ``k, n_adopters, estimate, std_error, ci_low, ci_high, p_value,
        ratio, ratio_ci_low, ratio_ci_high, method`` (``fit_logit``: ML, or
        Firth under separation). Intervals are those of the model *given*
        the placement; they do not include the uncertainty of where the
        adopters are, which the bounds of :func:`logit_bounds` describe.

    Examples
    --------
    Sixty illustrative municipalities, 19 found adopters, 10 more placed by each rule:

    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"population": np.round(np.exp(rng.normal(10, 1, 60)))})
    >>> d["log_population"] = np.log(d["population"])
    >>> d["size_class"] = np.where(d["population"] > 30000, "large", "small")
    >>> d["ever_adopted"] = rng.random(60) < 1 / (1 + np.exp(10.5 - d["log_population"]))
    >>> s = placement_scenarios(d, 10, covariates=["log_population"], by=["size_class"])
    >>> s[["scenario", "k", "n_adopters"]].values.tolist()[:3]
    [['found only', 0, 19], ['smallest', 10, 29], ['largest', 10, 29]]
    >>> s["scenario"].tolist()[3:]
    ['even', 'random', 'group:size_class=large', 'group:size_class=small']
    >>> e = s.set_index("scenario")["estimate"]
    >>> bool(e["smallest"] < 0 < e["found only"] < e["largest"])
    True
    """
    from iopstudy.spread.regression import fit_logit

    import warnings

    scen: list[tuple[str, np.ndarray]] = [("found only", np.zeros(len(data), dtype=bool))]
    for r in ("smallest", "largest", "even", "random"):
        scen.append((r, placement(data, k, r, outcome=outcome, size=size, seed=seed)))
    for col in by:
        levels = data[col].cat.remove_unused_categories().cat.categories if isinstance(
            data[col].dtype, pd.CategoricalDtype) else sorted(pd.unique(data[col]), key=str)
        for lev in levels:
            scen.append((f"group:{col}={lev}", placement(data, k, "group", outcome=outcome, size=size,
                                                          group=col, level=lev)))
    rows = []
    y0 = data[outcome].astype(bool).to_numpy()
    for name, extra in scen:
        d = data.assign(_y=y0 | extra)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = fit_logit(d, "_y", as_list(covariates), alpha=alpha, ci="wald")
        c = res.coef.set_index("term").loc[term]
        rows.append(dict(scenario=name, k=int(extra.sum()), n_adopters=int((y0 | extra).sum()),
                         **{key: float(c[key]) for key in ["estimate", "std_error", "ci_low", "ci_high",
                                                           "p_value", "ratio", "ratio_ci_low", "ratio_ci_high"]},
                         method=str(res.summary["method"].iloc[0])))
    return pd.DataFrame(rows)


def _sign(lo: float, hi: float) -> str:
    if lo > 0:
        return "positive"
    if hi < 0:
        return "negative"
    return "not identified"


def sign_identified(
    data: pd.DataFrame,
    k: int | Sequence[int],
    *,
    model: Literal["logit", "hazard"] = "logit",
    lang: str = "en",
    decimals: int = 2,
    **kw: Any,
) -> pd.DataFrame:
    """Is the sign of the size effect identified given *k* undetected adopters?

    Parameters
    ----------
    data
        Municipalities (``model="logit"``, see :func:`logit_bounds`) or
        adoption intervals (``model="hazard"``, see :func:`hazard_bounds`).
    k
        Number(s) of undetected adopters, e.g. :func:`min_undetected` of the
        published counts.
    lang, decimals
        Language and decimals of ``statement``.
    **kw
        Passed to :func:`logit_bounds` / :func:`hazard_bounds`.

    Returns
    -------
    pandas.DataFrame
        One row per k: ``k, model, term, ratio_found, ratio_low,
        ratio_high, sign`` (``"positive"``, ``"negative"`` or ``"not
        identified"``), ``exact`` and ``statement`` (one sentence, for the
        notebook to print).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame({"x": rng.normal(size=80)})
    >>> d["y"] = rng.random(80) < 1 / (1 + np.exp(-2 * d["x"]))
    >>> sign_identified(d, [0, 30], outcome="y", covariates=["x"], term="x", n_random=20)["sign"].tolist()
    ['positive', 'not identified']
    """
    if model == "logit":
        b = logit_bounds(data, k, **kw)
        n_zero = b["n_zero"]
        key_ratio = "odds ratio"
    elif model == "hazard":
        b = hazard_bounds(data, k, **kw)
        n_zero = pd.Series([int((data["status"] == "censored").sum())] * len(b))
        key_ratio = "hazard ratio"
    else:
        raise InputError(f"sign_identified: model must be 'logit' or 'hazard', not {model!r}")
    rows = []
    for r, nz in zip(b.itertuples(), n_zero):
        sign = _sign(r.estimate_low, r.estimate_high)
        f = lambda v: format_number(v, lang, decimals)  # noqa: E731
        text = label(f"bounds.sign_{sign.replace(' ', '_')}", lang, k=f"{r.k}", n_zero=f"{nz}",
                     low=f(r.ratio_low), high=f(r.ratio_high), found=f(np.exp(r.estimate_found)),
                     what=label(f"bounds.{model}_ratio", lang))
        if not r.exact:
            text += " " + label("bounds.not_sharp", lang, n=f"{kw.get('n_random', 100)}")
        rows.append(dict(k=r.k, model=model, term=r.term, ratio_found=float(np.exp(r.estimate_found)),
                         ratio_low=r.ratio_low, ratio_high=r.ratio_high, sign=sign, exact=bool(r.exact),
                         statement=text, what=key_ratio))
    return pd.DataFrame(rows).drop(columns="what")


def breakdown_k(
    data: pd.DataFrame,
    *,
    model: Literal["logit", "hazard"] = "logit",
    k_max: int | None = None,
    lang: str = "en",
    **kw: Any,
) -> pd.DataFrame:
    """The smallest number of undetected adopters at which the sign is no longer identified.

    A galloping search (k = 1, 2, 4, …) then bisection on *k* up to ``k_max``
    (default: all zeros), with the bounds of :func:`logit_bounds` (only the
    end that can cross zero) or :func:`hazard_bounds` (``n_random=0``); it assumes that the identified set only grows with *k*, which holds
    for the worst-case placements (one more adopter can always be put
    where it moves the estimate further).

    Returns
    -------
    pandas.DataFrame
        One row: ``model, term, sign_at_0, k_breakdown`` (NA if the sign
        holds up to ``k_max``), ``ratio_low, ratio_high`` (at
        ``k_breakdown``) and ``statement``.

    Examples
    --------
    With 19 found adopters among 60 illustrative municipalities the odds ratio of size is
    above 1; how many undetected adopters, placed where they move it most, make its sign
    unknown?

    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"population": np.round(np.exp(rng.normal(10, 1, 60)))})
    >>> d["log_population"] = np.log(d["population"])
    >>> d["ever_adopted"] = rng.random(60) < 1 / (1 + np.exp(10.5 - d["log_population"]))
    >>> r = breakdown_k(d, covariates=["log_population"])
    >>> r[["sign_at_0", "k_breakdown"]].values.tolist()
    [['positive', 4]]
    >>> print(r["statement"].iloc[0])
    4 undetected adopters, placed on the wrong municipalities, are enough to make the sign of
    the odds ratio per unit of log(population) unidentified.
    """
    kw.setdefault("n_random", 0)
    if model == "logit":
        zeros = int((~data[kw.get("outcome", "ever_adopted")].astype(bool)).sum())
        prob = LogitProblem(data, kw.get("outcome", "ever_adopted"),
                             kw.get("covariates", ("log_population", "skr_main_group")),
                             kw.get("term", "log_population"))
        cap = int(kw.get("max_allocations", 20_000))

        def bounds(kk: int) -> pd.Series:
            return logit_bounds(data, kk, **kw).iloc[0]

        def holds(kk: int, s0: str) -> bool:
            # only the end that can cross 0 is searched, on one fitted problem
            return prob.search(kk, False, cap)[0] > 0 if s0 == "positive" else prob.search(kk, True, cap)[0] < 0
    else:
        zeros = int((data["status"] == "censored").sum())

        def bounds(kk: int) -> pd.Series:
            return hazard_bounds(data, kk, **kw).iloc[0]

        def holds(kk: int, s0: str) -> bool:
            b = bounds(kk)
            return _sign(b.estimate_low, b.estimate_high) == s0

    top = zeros if k_max is None else min(int(k_max), zeros)
    b0 = bounds(0)
    s0 = _sign(b0.estimate_low, b0.estimate_high)
    if s0 == "not identified":
        kb, at = 0, b0
    elif top == 0:
        kb, at = None, b0
    else:
        # gallop up from k = 1 (small k are cheap), then bisect
        lo, hi = 0, 1
        while hi < top and holds(hi, s0):
            lo, hi = hi, min(2 * hi, top)
        if hi == top and holds(top, s0):
            kb, at = None, bounds(top)
        else:
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if holds(mid, s0):
                    lo = mid
                else:
                    hi = mid
            kb, at = hi, bounds(hi)
    text = label("bounds.breakdown" if kb is not None else "bounds.no_breakdown", lang,
                 k=f"{kb}" if kb is not None else "", k_max=f"{top}",
                 what=label(f"bounds.{model}_ratio", lang))
    return pd.DataFrame([dict(model=model, term=b0.term, sign_at_0=s0,
                              k_breakdown=pd.NA if kb is None else int(kb),
                              ratio_low=float(at.ratio_low), ratio_high=float(at.ratio_high),
                              statement=text)]).astype({"k_breakdown": "Int64"})
