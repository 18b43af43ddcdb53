"""The sentences the notebooks state, computed from the results they rest on.

A claim in a notebook of a partial register must change with the data and never say more
than the results allow: "the size gradient does not hinge on these choices" cannot stand
when the choices never touched the adopters the search missed. Each function here takes the
result tables of :mod:`~iopstudy.spread.bounds`, :mod:`~iopstudy.spread.detection`,
:mod:`~iopstudy.spread.sensitivity`, :mod:`~iopstudy.spread.multiple` or
:mod:`iopstudy.interviews.compare` and returns the sentence in English or Swedish (the texts
are in :mod:`iopstudy.labels`, keys ``claims.*``); the tests check them on cases where the
sign is identified and where it is not. A few helpers prepare what the figures mark: where
the rows of a public body come from, and where an undated published count sits.

=========================  ===================================================
size_claim                 is the sign of the size effect identified? (bounds)
scenario_claim             the size effect under named placements of the missed adopters
sensitivity_claim          what the model variants do and do not vary
detection_scenarios        detections to vary, anchored in the published counts
detection_claim            the size effect as detection varies
prediction_claim           predicted probabilities at given sizes, and a marginal effect
crosstab_claim             one test of a cross-table, and what it can say
k_grid                     the numbers of missed adopters to draw the bounds at
correction_claim           a family of tests after Holm / Benjamini–Hochberg
cluster_claim              a test permuted at the level of public bodies, and its jackknife
pairs_claim                the paired (McNemar) comparison of interviews
family_table                p-values of a notebook's tests as one table
p_text                     a p-value in prose, "≤ floor" at its floor
source_concentration       per public body: rows, source pages, rows from a single page
approximate_year           the year range of an undated count ("about 2024-25")
published_reference        published shares of municipalities with an IOP, placed in time
=========================  ===================================================
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from iopstudy.errors import InputError
from iopstudy.labels import check_lang, format_number, format_p, label

__all__ = [
    "size_claim",
    "scenario_claim",
    "sensitivity_claim",
    "detection_scenarios",
    "detection_claim",
    "prediction_claim",
    "crosstab_claim",
    "k_grid",
    "correction_claim",
    "cluster_claim",
    "pairs_claim",
    "family_table",
    "p_text",
    "source_concentration",
    "approximate_year",
    "published_reference",
]


def _num(x: float, lang: str, decimals: int = 2) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "–"
    x = float(x)
    if np.isinf(x):
        return "∞" if x > 0 else "0"
    if abs(x) >= 1000:
        return format_number(x, lang, 0)
    return format_number(x, lang, decimals)


def _row(table: pd.DataFrame, where: str) -> pd.Series:
    if not isinstance(table, pd.DataFrame) or not len(table):
        raise InputError(f"{where}: needs a non-empty table")
    return table.iloc[-1]


def p_text(p: float, lang: str = "en", *, floor: float | None = None) -> str:
    """A p-value in prose: ``"p = 0.012"``, ``"p = 3.2e-07"``, or ``"p ≤ 0.0001"`` at its floor.

    ``floor`` is the smallest value the test can give (``1/(B + 1)`` for a permutation test
    with *B* permutations); a p-value at it is written as a bound, since the test cannot
    resolve anything smaller (:func:`iopstudy.labels.format_p` below its floor: ``"p < …"``).

    Examples
    --------
    >>> p_text(0.0123), p_text(1e-4, floor=1e-4), p_text(0.0123, "sv")
    ('p = 0.012', 'p ≤ 0.0001', 'p = 0,012')
    """
    check_lang(lang)
    if floor is not None and p <= floor * (1 + 1e-9):
        d = max(0, int(np.ceil(-np.log10(floor))))
        return "p ≤ " + format_number(floor, lang, d)
    return format_p(p, lang, prefix=True)


# --------------------------------------------------------------------------- the size effect
def size_claim(
    bounds: pd.DataFrame,
    lang: str = "en",
    *,
    breakdown: pd.DataFrame | None = None,
    n_found: int | None = None,
    n_published: int | None = None,
    model: str = "logit",
) -> str:
    """Is the sign of the size effect identified, given the adopters the search missed?

    Parameters
    ----------
    bounds
        :func:`~iopstudy.spread.bounds.logit_bounds` or
        :func:`~iopstudy.spread.bounds.sign_identified`; the last row (the largest *k*,
        e.g. :func:`~iopstudy.spread.bounds.min_undetected` of the published counts) is used.
    breakdown
        :func:`~iopstudy.spread.bounds.breakdown_k`, for the number of missed adopters that
        would already make the sign unknown.
    n_found, n_published
        Adopters found, and the smallest number the published counts imply (both optional;
        ``n_found`` defaults to the column of ``bounds``).
    model
        ``"logit"`` (odds ratio) or ``"hazard"`` (hazard ratio) in the text.

    Returns
    -------
    str
        One paragraph. It says "identified" only if the whole identified set lies on one
        side of 1, and names both ends of the set.

    Examples
    --------
    >>> b = pd.DataFrame({"k": [101], "n_zero": [245], "n_found": [45], "estimate_found": [np.log(4.9)],
    ...                   "ratio_low": [0.39], "ratio_high": [20490.0]})
    >>> size_claim(b, n_published=146).startswith("The data do not identify the sign")
    True
    >>> b2 = b.assign(k=[3], ratio_low=[2.1], ratio_high=[7.5])
    >>> "stays between 2.10 and 7.50" in size_claim(b2)
    True
    """
    check_lang(lang)
    r = _row(bounds, "size_claim")
    k = int(r["k"])
    low, high = float(r["ratio_low"]), float(r["ratio_high"])
    found = float(r["ratio_found"]) if "ratio_found" in r else float(np.exp(r["estimate_found"]))
    nf = int(n_found if n_found is not None else r.get("n_found", 0))
    what = label(f"bounds.{model}_ratio", lang)
    f = {"k": format_number(k, lang), "low": _num(low, lang), "high": _num(high, lang),
         "found": _num(found, lang), "what": what, "n_found": format_number(nf, lang),
         "n_zero": format_number(int(r["n_zero"]), lang) if "n_zero" in r else "",
         "n_published": format_number(int(n_published), lang) if n_published is not None else ""}
    parts = []
    if k == 0:
        parts.append(label("claims.size.no_missing", lang, **f))
    else:
        if n_published is not None:
            parts.append(label("claims.size.published", lang, **f))
        if low > 1:
            parts.append(label("claims.size.positive", lang, **f))
        elif high < 1:
            parts.append(label("claims.size.negative", lang, **f))
        else:
            parts.append(label("claims.size.not_identified", lang, **f))
    if breakdown is not None and len(breakdown):
        kb = breakdown["k_breakdown"].iloc[0]
        if pd.isna(kb):
            parts.append(label("claims.size.no_breakdown", lang, what=what))
        elif int(kb) > 0:
            key = "claims.size.breakdown_beyond" if 0 < k < int(kb) else "claims.size.breakdown"
            parts.append(label(key, lang, kb=format_number(int(kb), lang), k=f["k"], what=what))
    if k > 0 and not (low > 1 or high < 1):
        parts.append(label("claims.size.found_only", lang, **f))
    text = " ".join(parts)
    if k > 0 and not (low > 1 or high < 1):
        text = label("claims.size.headline_not", lang) + " " + text
    return text


def scenario_claim(scenarios: pd.DataFrame, lang: str = "en") -> str:
    """The size effect if the missed adopters sit evenly, at random, or at one end.

    ``scenarios`` is :func:`~iopstudy.spread.bounds.placement_scenarios`; the sentence
    names the "even" and "random" placements and the two extremes, and says whether the
    neutral placements keep the interval above (or below) 1, as an assumption.

    With no missed adopters (``k`` = 0) every placement is the found data: the text is empty.

    Examples
    --------
    >>> sc = pd.DataFrame({"scenario": ["found only", "smallest", "largest", "even", "random"],
    ...     "k": [0, 9, 9, 9, 9], "ratio": [4.9, 0.5, 2210, 1.7, 1.69],
    ...     "ratio_ci_low": [3.1, 0.37, 226, 1.29, 1.28], "ratio_ci_high": [7.9, 0.67, 21653, 2.28, 2.24]})
    >>> "1.72 (1.29–2.28)" in scenario_claim(sc.assign(ratio=[4.9, 0.5, 2210, 1.72, 1.69]))
    True
    """
    check_lang(lang)
    s = scenarios.set_index("scenario")
    need = ["smallest", "largest", "even", "random"]
    missing = [n for n in need if n not in s.index]
    if missing:
        raise InputError(f"scenario_claim: scenarios {missing} missing")
    if int(s.loc["even", "k"]) == 0:
        return ""

    def ci(name: str) -> str:
        r = s.loc[name]
        return f"{_num(r['ratio'], lang)} ({_num(r['ratio_ci_low'], lang)}–{_num(r['ratio_ci_high'], lang)})"

    lo = min(float(s.loc["even", "ratio_ci_low"]), float(s.loc["random", "ratio_ci_low"]))
    hi = max(float(s.loc["even", "ratio_ci_high"]), float(s.loc["random", "ratio_ci_high"]))
    verdict = "above" if lo > 1 else ("below" if hi < 1 else "includes")
    return label("claims.scenarios", lang, k=format_number(int(s.loc["even", "k"]), lang), even=ci("even"),
                 random=ci("random"), smallest=ci("smallest"), largest=ci("largest"),
                 verdict=label(f"claims.scenarios.{verdict}", lang))


def sensitivity_claim(table: pd.DataFrame, lang: str = "en") -> str:
    """What the model variants of :func:`~iopstudy.spread.sensitivity.size_variants` show.

    The sentence gives the range of the ratios (odds and hazard ratios apart), how many
    intervals exclude 1, and always says what the variants do not vary: every one takes the
    municipalities without a found agreement as non-adopters.

    Examples
    --------
    >>> t = pd.DataFrame({"ratio": [4.9, 4.1], "ratio_ci_low": [3.1, 0.9], "ratio_ci_high": [7.9, 5.9],
    ...                   "ratio_kind": ["odds", "hazard"]})
    >>> "1 of 2" in sensitivity_claim(t)
    True
    """
    check_lang(lang)
    if not len(table):
        raise InputError("sensitivity_claim: no variants")
    kind = table["ratio_kind"] if "ratio_kind" in table else pd.Series("odds", index=table.index)
    excl = int(((table["ratio_ci_low"] > 1) | (table["ratio_ci_high"] < 1)).sum())
    ranges = []
    for k in ("odds", "hazard"):
        t = table[kind == k]
        if len(t):
            ranges.append(label(f"claims.sensitivity.range_{k}", lang, n=format_number(len(t), lang),
                                lo=_num(t["ratio"].min(), lang), hi=_num(t["ratio"].max(), lang)))
    return label("claims.sensitivity", lang, n=format_number(len(table), lang), ranges="; ".join(ranges),
                 m=format_number(excl, lang))


def detection_claim(
    sensitivity: pd.DataFrame,
    lang: str = "en",
    *,
    differential: str | None = None,
    calibrated: pd.DataFrame | None = None,
) -> str:
    """The size effect as the probability of finding an adopter varies.

    Parameters
    ----------
    sensitivity
        :func:`~iopstudy.spread.detection.detection_sensitivity`; the rows whose
        ``scenario`` parses as a number are a common detection, the others (e.g.
        ``differential``) are per-unit detections.
    differential
        The ``scenario`` of a detection that differs between places (named in the search or
        not) to state separately.
    calibrated
        :func:`~iopstudy.spread.detection.calibrate_detection`: the detection at which the
        model implies the published total.

    Examples
    --------
    >>> ds = pd.DataFrame({"scenario": ["1", "0.3", "0.1", "named 0.8, others 0.25"],
    ...     "detection": [1.0, 0.3, 0.1, 0.3], "ratio": [4.9, 8.6, np.inf, 2.1],
    ...     "ratio_ci_low": [3.1, 3.0, np.nan, 1.1], "ratio_ci_high": [7.9, 24.5, np.nan, 4.0],
    ...     "diverged": [False, False, True, False]})
    >>> t = detection_claim(ds, differential="named 0.8, others 0.25")
    >>> "steeper" in t and "0.1" in t and "2.10 (1.10–4.00)" in t
    True
    """
    check_lang(lang)
    common = sensitivity[pd.to_numeric(sensitivity["scenario"], errors="coerce").notna()]
    common = common.sort_values("detection", ascending=False)
    ok = common[~common["diverged"].astype(bool)]
    parts = []
    if len(ok) >= 2:
        a, b = ok.iloc[0], ok.iloc[-1]
        direction = "steeper" if b["ratio"] > a["ratio"] else "flatter"
        parts.append(label(f"claims.detection.common_{direction}", lang, d1=_num(a["detection"], lang),
                           r1=_num(a["ratio"], lang), d2=_num(b["detection"], lang), r2=_num(b["ratio"], lang)))
    div = common[common["diverged"].astype(bool)]
    if len(div):
        parts.append(label("claims.detection.diverged", lang, d=_num(div["detection"].max(), lang)))
    if calibrated is not None and len(calibrated):
        c = calibrated.iloc[0]
        parts.append(label("claims.detection.calibrated", lang, d=_num(c["calibrated"], lang),
                           target=format_number(int(c["target_adopters"]), lang), r=_num(c["ratio"], lang),
                           lo=_num(c["ratio_ci_low"], lang), hi=_num(c["ratio_ci_high"], lang)))
    if differential is not None:
        d = sensitivity.set_index("scenario").loc[differential]
        parts.append(label("claims.detection.differential", lang, scenario=differential,
                           r=_num(d["ratio"], lang), lo=_num(d["ratio_ci_low"], lang),
                           hi=_num(d["ratio_ci_high"], lang)))
    parts.append(label("claims.detection.design", lang))
    return " ".join(parts)


def detection_scenarios(
    detection: pd.DataFrame,
    units: pd.DataFrame,
    lang: str = "en",
    *,
    common: tuple[float, ...] = (1.0, 0.6, 0.4, 0.2, 0.15, 0.1),
    name: str = "kommun_name",
) -> tuple[dict[str, Any], str | None]:
    """Detection probabilities to vary, with the ones the published counts point to.

    Parameters
    ----------
    detection
        :func:`~iopstudy.spread.detection.detection_from_published`.
    units
        The municipalities (with ``name``), in the order of the model's data.
    common
        Common detections to try besides the published bound.

    Returns
    -------
    scenarios : dict
        ``{label: detection}`` for :func:`~iopstudy.spread.detection.detection_sensitivity`:
        the ``common`` values and the national upper bound found / published adopters (keys
        are the numbers as text), and, when the counts bound detection among the places the
        search named and among the others, a per-unit detection with those two bounds.
    differential : str or None
        The key of that per-unit scenario.

    Examples
    --------
    >>> det = pd.DataFrame({"what": ["adopting municipalities (x)", "municipalities named in the search queries",
    ...     "municipalities not named in the queries"], "detection_low": [np.nan, 0.8, np.nan],
    ...     "detection_high": [0.31, np.nan, 0.25]})
    >>> sc, key = detection_scenarios(det, pd.DataFrame({"kommun_name": ["Lund", "Eslöv"]}))
    >>> list(sc)[:3], key, sc[key].tolist()
    (['1', '0.6', '0.4'], 'named in the search 0.80, others 0.25', [0.8, 0.25])
    """
    from iopstudy.spread.detection import searched_by_name

    check_lang(lang)
    what = detection["what"].astype(str)
    values = {float(v) for v in common}
    nat = detection[what.str.startswith("adopting municipalities")]
    if len(nat) and pd.notna(nat["detection_high"].iloc[0]) and float(nat["detection_high"].iloc[0]) < 1:
        values.add(round(float(nat["detection_high"].iloc[0]), 2))
    out: dict[str, Any] = {f"{v:g}": v for v in sorted(values, reverse=True)}
    named = detection[what.str.startswith("municipalities named")]
    other = detection[what.str.startswith("municipalities not named")]
    key = None
    if len(named) and len(other) and name in units.columns:
        dn, do = float(named["detection_low"].iloc[0]), float(other["detection_high"].iloc[0])
        if 0 < do <= 1 and 0 < dn <= 1:
            key = label("claims.detection.scenario_named", lang, dn=format_number(dn, lang, 2),
                        do=format_number(do, lang, 2))
            out[key] = np.where(searched_by_name(units, name=name).to_numpy(), dn, do)
    return out, key


def prediction_claim(predictions: pd.DataFrame, effect: pd.DataFrame, lang: str = "en") -> str:
    """Predicted probabilities at given populations and the effect of doubling, in words.

    ``predictions`` is :func:`~iopstudy.spread.report_tables.predict_at` with a
    ``population`` column, ``effect`` :func:`~iopstudy.spread.report_tables.marginal_effect`
    of log population.

    Examples
    --------
    >>> pr = pd.DataFrame({"population": [10_000, 200_000], "probability": [0.05, 0.8],
    ...                    "ci_low": [0.03, 0.6], "ci_high": [0.09, 0.9]})
    >>> me = pd.DataFrame({"ame_doubling": [0.1], "doubling_ci_low": [0.08], "doubling_ci_high": [0.12]})
    >>> prediction_claim(pr, me).startswith("Predicted probability of a found agreement: 5% (3–9%) at 10,000")
    True
    """
    from iopstudy.labels import format_percent

    check_lang(lang)
    at = [label("claims.prediction.at", lang, p=format_percent(r.probability, lang),
                lo=format_number(100 * r.ci_low, lang, 0), hi=format_percent(r.ci_high, lang),
                n=format_number(float(r.population), lang))
          for r in predictions.itertuples()]
    e = effect.iloc[0]
    return label("claims.prediction", lang, at="; ".join(at),
                 d=format_number(100 * e["ame_doubling"], lang, 1),
                 lo=format_number(100 * e["doubling_ci_low"], lang, 1),
                 hi=format_number(100 * e["doubling_ci_high"], lang, 1))


def crosstab_claim(test: Mapping[str, Any] | pd.Series, what: str, lang: str = "en", *,
                   alpha: float = 0.05, adjusted: float | None = None,
                   n_resamples: int | None = None) -> str:
    """One test of a cross-table in words: the test, its p-value, Cramér's V, and the verdict.

    ``adjusted`` is the p-value after the notebook's correction (Holm); the verdict uses it
    when given. A Monte Carlo p-value at its floor, ``1/(n_resamples + 1)`` (default
    :data:`~iopstudy.spread.results.DEFAULT_RESAMPLES`), is written as "p ≤ floor".

    Examples
    --------
    >>> crosstab_claim({"test": "Fisher", "p_value": 0.2, "cramers_v": 0.1}, "County")
    "County: Fisher, p = 0.200, Cramér's V = 0.10: not distinguishable from chance with these counts."
    """
    check_lang(lang)
    from iopstudy.spread.results import DEFAULT_RESAMPLES

    p = float(test["p_value"])
    floor = 1.0 / ((n_resamples or DEFAULT_RESAMPLES) + 1) if "Monte Carlo" in str(test["test"]) else None
    use = p if adjusted is None else float(adjusted)
    verdict = label("claims.crosstab.differs" if use < alpha else "claims.crosstab.chance", lang)
    adj = "" if adjusted is None else label("claims.crosstab.adjusted", lang, p=format_p(adjusted, lang))
    return label("claims.crosstab", lang, what=what, test=str(test["test"]), p=p_text(p, lang, floor=floor),
                 v=format_number(float(test["cramers_v"]), lang, 2), adj=adj, verdict=verdict)


def k_grid(k: int, breakdown: pd.DataFrame | None = None, n: int = 9) -> list[int]:
    """Numbers of missed adopters at which to draw the bounds: 0 to at least ``k``.

    The grid reaches 1.5 × the breakdown *k* when that is larger, so the point where the sign
    is lost is inside the figure even when the published counts imply few missed adopters.

    Examples
    --------
    >>> k_grid(100, n=5)
    [0, 25, 50, 75, 100]
    >>> k_grid(0, pd.DataFrame({"k_breakdown": [10]}), n=4)
    [0, 5, 9, 10, 15]
    """
    top = int(k)
    if breakdown is not None and len(breakdown) and pd.notna(breakdown["k_breakdown"].iloc[0]):
        top = max(top, int(np.ceil(1.5 * int(breakdown["k_breakdown"].iloc[0]))))
    if top == 0:
        return [0]
    grid = set(np.round(np.linspace(0, top, n)).astype(int).tolist()) | {int(k)}
    if breakdown is not None and len(breakdown) and pd.notna(breakdown["k_breakdown"].iloc[0]):
        kb = int(breakdown["k_breakdown"].iloc[0])
        grid |= {max(kb - 1, 0), kb}
    return sorted(grid)


# --------------------------------------------------------------------------- tests
def family_table(p_values: Mapping[str, float]) -> pd.DataFrame:
    """The p-values of a notebook's tests as one table (``test, p_value``), for
    :func:`~iopstudy.spread.multiple.adjust_pvalues`. Missing p-values stay missing.

    Examples
    --------
    >>> family_table({"a": 0.01, "b": float("nan")})["p_value"].tolist()[0]
    0.01
    """
    return pd.DataFrame({"test": list(p_values), "p_value": [float(v) for v in p_values.values()]})


def correction_claim(adjusted: pd.DataFrame, lang: str = "en", *, alpha: float = 0.05) -> str:
    """How many of a family of tests survive Holm's (and Benjamini–Hochberg's) correction.

    ``adjusted`` is :func:`~iopstudy.spread.multiple.adjust_pvalues` with ``p_holm``
    (and optionally ``p_bh``).

    Examples
    --------
    >>> from iopstudy.spread.multiple import adjust_pvalues
    >>> a = adjust_pvalues(pd.DataFrame({"test": list("abc"), "p_value": [0.001, 0.04, 0.3]}))
    >>> correction_claim(a).split(":")[0]
    'The 3 tests of this notebook form one family'
    """
    check_lang(lang)
    t = adjusted[adjusted["p_value"].notna()]
    raw = int((t["p_value"] < alpha).sum())
    holm = int((t["p_holm"] < alpha).sum())
    bh = int((t["p_bh"] < alpha).sum()) if "p_bh" in t else holm
    return label("claims.correction", lang, m=format_number(len(t), lang), raw=format_number(raw, lang),
                 holm=format_number(holm, lang), bh=format_number(bh, lang),
                 alpha=format_number(alpha, lang, 2), p=format_p(t["p_holm"].min(), lang, prefix=True))


def cluster_claim(
    permutation: pd.DataFrame,
    influence: pd.DataFrame | None,
    what: str,
    lang: str = "en",
    *,
    alpha: float = 0.05,
    influence_resamples: int | None = 1_999,
) -> str:
    """A group × area test permuted at the level of clusters, and the jackknife over clusters.

    Parameters
    ----------
    permutation
        :func:`~iopstudy.spread.multiple.cluster_permutation_test` (one row).
    influence
        :func:`~iopstudy.spread.multiple.cluster_influence`; the cluster whose removal moves the
        p-value most is named.
    what
        The table tested, e.g. "size class × policy area".
    influence_resamples
        Monte Carlo resamples of the leave-one-out tests (their p-values at the floor
        ``1/(B + 1)`` are written as "p ≤ floor"); None if they are not Monte Carlo tests.

    Examples
    --------
    >>> perm = pd.DataFrame({"p_value": [0.2], "naive_p_value": [0.01], "scheme": ["between"],
    ...     "n_clusters": [30], "n_resamples": [999]})
    >>> # illustrative p-values (notebook 03 computes the real ones)
    >>> inf = pd.DataFrame({"left_out": ["(none)", "Enköping"], "rows_left_out": [0, 13],
    ...                     "p_value": [0.01, 0.4]})
    >>> t = cluster_claim(perm, inf, "size × area")
    >>> "Enköping" in t and "p = 0.200" in t
    True
    """
    check_lang(lang)
    r = _row(permutation, "cluster_claim")
    floor = 1.0 / (int(r["n_resamples"]) + 1)
    p_perm, p_naive = float(r["p_value"]), float(r["naive_p_value"])
    parts = [label(f"claims.cluster.{r['scheme']}", lang, what=what, p=p_text(p_perm, lang, floor=floor),
                   naive=p_text(p_naive, lang), n=format_number(int(r["n_clusters"]), lang))]
    if p_naive < alpha <= p_perm:
        parts.append(label("claims.cluster.naive_only", lang))
    if influence is not None and len(influence) > 1:
        f_inf = 1.0 / (int(influence_resamples) + 1) if influence_resamples else None
        base = float(influence["p_value"].iloc[0])
        rest = influence.iloc[1:]
        change = (np.log(rest["p_value"].clip(lower=1e-300)) - np.log(max(base, 1e-300))).abs()
        if float(change.max()) < np.log(1.5):
            parts.append(label("claims.cluster.stable", lang, n=format_number(len(rest), lang),
                               lo=p_text(float(rest["p_value"].min()), lang, floor=f_inf),
                               hi=p_text(float(rest["p_value"].max()), lang, floor=f_inf)))
        else:
            top = influence.loc[change.idxmax()]
            parts.append(label("claims.cluster.influence", lang, body=str(top["left_out"]),
                               n=format_number(int(top["rows_left_out"]), lang), p0=p_text(base, lang, floor=f_inf),
                               p1=p_text(float(top["p_value"]), lang, floor=f_inf)))
            if (base < alpha) != (float(top["p_value"]) < alpha):
                parts.append(label("claims.cluster.crosses", lang, alpha=format_number(alpha, lang, 2)))
    return " ".join(parts)


def pairs_claim(pairs: Any, lang: str = "en", *, alpha: float = 0.05) -> str:
    """The paired comparison of :func:`iopstudy.interviews.compare.compare_pairs`, in words.

    Examples
    --------
    >>> t = pd.DataFrame({"code": ["A", "B"], "n_pairs": [7, 7], "only_a": [4, 1], "only_b": [0, 1],
    ...                   "p_value": [0.125, 1.0], "p_adj": [0.25, 1.0], "tested": [True, True]})
    >>> pairs_claim(t).startswith("7 pairs")
    True
    """
    check_lang(lang)
    t = getattr(pairs, "table", pairs)
    tested = t[t["tested"]]
    n = int(t["n_pairs"].iloc[0]) if len(t) else 0
    if not len(tested):
        return label("claims.pairs.none", lang, n=format_number(n, lang))
    best = tested.loc[tested["p_value"].idxmin()]
    return label("claims.pairs", lang, n=format_number(n, lang), m=format_number(len(tested), lang),
                 code=str(best["code"]), a=format_number(int(best["only_a"]), lang),
                 b=format_number(int(best["only_b"]), lang), p=format_p(best["p_value"], lang),
                 padj=format_p(best["p_adj"], lang), pmin=format_number(min(1.0, 2 / 2 ** n), lang, 3),
                 sig=format_number(int((tested["p_adj"] < alpha).sum()), lang))


# --------------------------------------------------------------------------- what figures mark
def source_concentration(partnerships: pd.DataFrame, by: str = "public_body_name",
                         source: str = "source_url") -> pd.DataFrame:
    """Per public body: its rows, the source pages they come from, and whether one page holds all.

    Returns
    -------
    pandas.DataFrame
        ``by, rows, pages, top_page_rows, single_page`` (all rows from one page, and more
        than one row), largest first.

    Examples
    --------
    >>> p = pd.DataFrame({"public_body_name": ["E", "E", "E", "G", "G"], "source_url": ["u", "u", "u", "v", "w"]})
    >>> source_concentration(p)[["public_body_name", "pages", "single_page"]].values.tolist()
    [['E', 1, True], ['G', 2, False]]
    """
    d = partnerships[[by, source]].astype({source: "string"}).fillna({source: ""})
    rows = d[by].value_counts()
    pages = d.drop_duplicates([by, source])[by].value_counts()
    top = d.value_counts([by, source]).groupby(level=0).max()
    out = pd.DataFrame({by: rows.index, "rows": rows.to_numpy()})
    out["pages"] = out[by].map(pages).astype(int)
    out["top_page_rows"] = out[by].map(top).astype(int)
    out["single_page"] = (out["pages"] == 1) & (out["rows"] > 1)
    return out.sort_values(["rows", by], ascending=[False, True], kind="mergesort").reset_index(drop=True)


_ABOUT = re.compile(r"(?:about|ca\.?|omkring|cirka)\s*(\d{4})(?:\s*[-–]\s*(\d{2,4}))?", re.IGNORECASE)


def approximate_year(text: Any) -> tuple[float, float] | None:
    """The years an undated source points to ("about 2024-25" → ``(2024, 2026)``), or None.

    The range runs from the start of the first year to the end of the last.

    Examples
    --------
    >>> approximate_year("page undated (about 2024-25); it reports …")
    (2024.0, 2026.0)
    >>> approximate_year("no date") is None
    True
    """
    m = _ABOUT.search(str(text or ""))
    if not m:
        return None
    a = int(m.group(1))
    b = m.group(2)
    if b is None:
        return float(a), float(a + 1)
    b_full = int(b) if len(b) == 4 else int(str(a)[: 4 - len(b)] + b)
    return float(a), float(max(b_full, a) + 1)


def published_reference(published: pd.DataFrame, n_units: int = 290, *, lang: str = "en") -> pd.DataFrame:
    """Published shares of municipalities with an IOP, placed in time (a lower bound each).

    From :func:`~iopstudy.spread.detection.implied_adopters`: one row per published count of
    *all* IOPs that bounds the number of adopting municipalities, with ``share``
    (``min_adopters / n_units``), ``x`` (the date as a decimal year; an undated count at the
    middle of :func:`approximate_year` of its note), ``x_low``, ``x_high``, ``approximate``
    (True for an undated count) and ``text`` (a label).

    Examples
    --------
    >>> pub = pd.DataFrame({"date": [""], "count_text": ["över 500"], "source_url": [""], "count": [500],
    ...     "what": ["ongoing IOPs; more than 50 % of municipalities with at least one"],
    ...     "note": ["page undated (about 2024-25)"]})
    >>> published_reference(pub)[["share", "x", "approximate"]].round(3).values.tolist()
    [[0.503, 2025.0, True]]
    """
    from iopstudy.spread.detection import implied_adopters

    imp = implied_adopters(published, n_units)
    imp = imp[~imp["victim_support"]]
    notes = dict(zip(published["what"].astype(str), published.get("note", pd.Series([""] * len(published)))))
    rows = []
    for r in imp.itertuples():
        date = str(r.date or "")
        if date:
            y = float(pd.to_datetime(date, errors="coerce").year) if len(date) > 4 else float(date[:4])
            lo, hi, approx = y, y + 1, False
        else:
            yr = approximate_year(notes.get(r.what, ""))
            if yr is None:
                continue
            lo, hi, approx = yr[0], yr[1], True
        rows.append(dict(share=r.min_adopters / n_units, min_adopters=int(r.min_adopters), x=(lo + hi) / 2,
                         x_low=lo, x_high=hi, approximate=approx,
                         text=label("claims.published_share" + ("_undated" if approx else ""), lang,
                                    count=r.count_text, n=format_number(int(r.min_adopters), lang))))
    return pd.DataFrame(rows, columns=["share", "min_adopters", "x", "x_low", "x_high", "approximate", "text"])
