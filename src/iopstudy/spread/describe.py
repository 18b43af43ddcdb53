"""Found adopters against all municipalities: window, curves, risk sets and benchmarks (notebook 02).

=============================  ==========================================================
observation_window             the window (launch of IOP to the latest dated start), the
                               panel's years in it and one row per municipality at its end
adoption_curves                the overall curves (first dated start; start or end)
ever_adopted_tests             ever adopted by size, SKR group and county: tests and shares
at_risk, survival_data         municipality-years at risk / one row per municipality
adopters_vs_all                found adopters against all 290 municipalities (no model of
                               the others)
lov_benchmark                  SKR's LOV series reproduced by a municipality-year table
term_table, term_labels        one term of several models side by side; readable labels
period_with_undated            periods of start years, "undated" as the last group
=============================  ==========================================================

A municipality without a found agreement is *unknown*, not a non-adopter: these functions
describe the found adopters; the models and bounds that treat the missing ones are in
:mod:`iopstudy.spread.regression`, :mod:`iopstudy.spread.survival` and the bounds modules.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from iopstudy.errors import InputError
from iopstudy.labels import category_labels, label
from iopstudy.register.literature import LOV_STATUS, read_lov_counts
from iopstudy.spread.results import DEFAULT_SEED

__all__ = [
    "Window",
    "observation_window",
    "adoption_curves",
    "stack_curves",
    "stack_tables",
    "GROUPINGS",
    "EverAdopted",
    "ever_adopted_tests",
    "SEED",
    "LovBenchmark",
    "lov_panel",
    "survival_exclusions",
    "adopted_shares",
    "AdoptersVsAll",
    "adopters_vs_all",
    "survival_data",
    "at_risk",
    "term_labels",
    "term_table",
    "UNDATED",
    "period_with_undated",
]


#: Seed of every random step in the notebooks (Monte Carlo tests): :data:`~iopstudy.spread.results.DEFAULT_SEED`.
SEED = DEFAULT_SEED


class LovBenchmark(NamedTuple):
    """Result of :func:`lov_panel`: the municipality-year ``panel``, SKR's published ``counts``,
    the ``curve`` that :func:`~iopstudy.spread.adoption_curve` gives on the panel and ``check``
    (the counts beside the curve's ``n_adopted`` and ``share``, year by year).

    Examples
    --------
    >>> lov = lov_panel()
    >>> list(lov.check.columns)
    ['year', 'lov_in_operation', 'decided_to_introduce', 'no_lov', 'abolished_lov', 'n_adopted', 'share']
    >>> len(lov.panel) == lov.panel["kommun_code"].nunique() * len(lov.counts)
    True
    """

    panel: pd.DataFrame
    counts: pd.DataFrame
    curve: pd.DataFrame
    check: pd.DataFrame


def lov_panel(
    data_dir: str | os.PathLike[str] | None = None,
    municipalities: pd.DataFrame | None = None,
) -> LovBenchmark:
    """A municipality × year LOV status table that reproduces SKR's published series.

    :func:`iopstudy.spread.expand_status_counts` hands the yearly counts out
    to the 290 municipalities (the trajectories are constructed, only the
    yearly totals are real). The function then checks that
    :func:`iopstudy.spread.adoption_curve` with ``in_operation="status"``
    gives exactly the published "in operation" column, and that every
    status count of every year is reproduced. ``data_dir`` is the study's ``data/`` folder
    (or any folder holding ``lov_status_skr.csv``); ``None`` uses the data shipped with iopstudy.

    Returns
    -------
    LovBenchmark
        ``panel`` has ``year, kommun_code, status`` (``in_operation``, ``decided``,
        ``none``, ``abolished``); ``counts`` the published counts (sorted by year).

    Raises
    ------
    InputError
        If the counts do not sum to the number of municipalities, or the
        table does not reproduce them.

    Examples
    --------
    The shipped series: the panel's "in operation" curve equals SKR's column year by year.

    >>> lov = lov_panel()
    >>> lov.panel["kommun_code"].nunique(), sorted(lov.panel["status"].unique())
    (290, ['abolished', 'decided', 'in_operation', 'none'])
    >>> lov.check[["year", "lov_in_operation", "n_adopted"]].head(1).values.tolist()
    [[2010, 45, 45]]
    >>> bool((lov.check["lov_in_operation"] == lov.check["n_adopted"]).all())
    True
    """
    from iopstudy.reference.municipalities import load_municipalities
    from iopstudy.spread.curves import adoption_curve, expand_status_counts

    counts = read_lov_counts(data_dir)
    if municipalities is None:
        ref = None if data_dir is None else Path(data_dir) / "raw" / "reference"
        municipalities = load_municipalities(ref if ref and (ref / "municipalities.csv").exists() else None)
    units = sorted(municipalities["kommun_code"].astype(str))
    panel = expand_status_counts(counts, units, status_columns=LOV_STATUS, unit="kommun_code")
    curve = adoption_curve(panel, in_operation="status").set_index("year")
    pub = counts.set_index("year")
    if not (curve["n_adopted"].reindex(pub.index) == pub["lov_in_operation"]).all() or not (
        curve["n_units"].reindex(pub.index) == len(units)
    ).all():
        raise InputError("lov_panel: adoption_curve does not reproduce SKR's 'in operation' counts")
    got = panel.groupby(["year", "status"]).size().unstack(fill_value=0)
    for col, status in LOV_STATUS.items():
        have = got[status] if status in got else pd.Series(0, index=got.index)
        if not (have.reindex(pub.index, fill_value=0) == pub[col]).all():
            raise InputError(f"lov_panel: the status {status!r} does not reproduce column {col!r}")
    counts = counts.sort_values("year").reset_index(drop=True)
    curve = adoption_curve(panel, in_operation="status")
    check = counts.merge(curve[["year", "n_adopted", "share"]], on="year")
    return LovBenchmark(panel, counts, curve, check)


def adopted_shares(crosstab: Any, outcome_value: Any = True) -> pd.DataFrame:
    """The ``outcome == outcome_value`` rows of an :func:`adoption_crosstab` table.

    Returns ``group, group_total, count, share, ci_low, ci_high`` (every group,
    with a zero count where no unit had the outcome).

    Examples
    --------
    >>> from iopstudy.spread.contingency import adoption_crosstab
    >>> d = pd.DataFrame({"g": ["x"] * 4 + ["y"] * 4, "ever_adopted": [True, True] + [False] * 6})
    >>> s = adopted_shares(adoption_crosstab(d, "g"))
    >>> s[["group", "group_total", "count", "share"]].values.tolist()
    [['x', 4, 2, 0.5], ['y', 4, 0, 0.0]]
    """
    tab = crosstab.table if hasattr(crosstab, "table") else crosstab
    groups = tab.drop_duplicates("group")[["group", "group_total"]]
    hit = tab[tab["outcome"] == outcome_value][["group", "count", "share", "ci_low", "ci_high"]]
    out = groups.merge(hit, on="group", how="left")
    if out["count"].isna().any():
        from iopstudy.spread.curves import wilson_ci

        out["count"] = out["count"].fillna(0)
        ci = wilson_ci(out["count"].astype("int64").to_numpy(), out["group_total"].to_numpy())
        out["share"], out["ci_low"], out["ci_high"] = ci["share"], ci["ci_low"], ci["ci_high"]
    out["count"] = out["count"].astype("int64")
    return out.reset_index(drop=True)


@dataclass
class AdoptersVsAll:
    """Result of :func:`adopters_vs_all`: ``.table`` and ``.test``.

    Examples
    --------
    >>> m = pd.DataFrame({"kommun_code": [f"k{i:02d}" for i in range(20)],
    ...                   "size_class": ["small"] * 12 + ["large"] * 8,
    ...                   "log_population": np.r_[np.linspace(8, 10, 12), np.linspace(11, 13, 8)]})
    >>> table, test = adopters_vs_all(m, ["k04", "k14", "k17", "k19"], n_resamples=200)
    >>> table["n_adopters"].tolist(), float(test["statistic"].iloc[0])
    ([3, 1], 12.0)
    """

    table: pd.DataFrame
    test: pd.DataFrame

    def __iter__(self):
        return iter((self.table, self.test))


def adopters_vs_all(
    municipalities: pd.DataFrame,
    adopters: Sequence[str],
    by: str = "size_class",
    value: str = "log_population",
    *,
    n_resamples: int = 9_999,
    seed: int = SEED,
) -> AdoptersVsAll:
    """Compare the found adopters with all municipalities, without calling the others non-adopters.

    Parameters
    ----------
    municipalities
        All municipalities (the reference table).
    adopters
        Kommun codes of the municipalities with a found agreement.
    by
        Grouping column for the distribution table.
    value
        Numeric column for the test (default ``log_population``).
    n_resamples, seed
        Monte Carlo draws and their seed.

    Returns
    -------
    AdoptersVsAll
        ``.table``: ``group, n_municipalities, share_municipalities,
        n_adopters, share_adopters, expected_adopters, ratio`` (share among
        adopters over share among all municipalities). ``.test``: one row:
        the median of ``value`` among the adopters, its percentile among all
        municipalities' values, and a Monte Carlo p-value: the share of
        random sets of the same size, drawn without replacement from *all*
        municipalities, whose median is at least as high.

    Notes
    -----
    The comparison is with the whole population of municipalities, adopters
    included, so it needs no assumption about the municipalities where no
    agreement was found. It does assume that the found adopters are not
    selected by size, which a search that named large cities violates.

    Examples
    --------
    Twenty illustrative municipalities, four of them found adopters, three of these large:

    >>> m = pd.DataFrame({"kommun_code": [f"k{i:02d}" for i in range(20)],
    ...                   "size_class": ["small"] * 12 + ["large"] * 8,
    ...                   "log_population": np.r_[np.linspace(8, 10, 12), np.linspace(11, 13, 8)]})
    >>> r = adopters_vs_all(m, ["k04", "k14", "k17", "k19"], n_resamples=200)
    >>> r.table[["group", "n_municipalities", "n_adopters", "expected_adopters", "ratio"]].values.tolist()
    [['large', 8, 3, 1.6, 1.875], ['small', 12, 1, 2.4, 0.4166666666666667]]
    >>> r.test[["statistic", "percentile_all", "p_value"]].round(2).values.tolist()
    [[12.0, 0.8, 0.06]]
    """
    m = municipalities
    codes = set(map(str, adopters))
    is_ad = m["kommun_code"].astype(str).isin(codes)
    k = int(is_ad.sum())
    if k != len(codes):
        raise InputError("adopters_vs_all: some adopter codes are not among the municipalities")
    g_all = m.groupby(by, observed=False, sort=True).size()
    g_ad = m[is_ad].groupby(by, observed=False, sort=True).size().reindex(g_all.index, fill_value=0)
    tab = pd.DataFrame(
        {
            "group": g_all.index,
            "n_municipalities": g_all.to_numpy().astype("int64"),
            "share_municipalities": (g_all / g_all.sum()).to_numpy(),
            "n_adopters": g_ad.to_numpy().astype("int64"),
            "share_adopters": (g_ad / max(k, 1)).to_numpy(),
        }
    )
    tab["expected_adopters"] = tab["share_municipalities"] * k
    tab["ratio"] = tab["share_adopters"] / tab["share_municipalities"].replace(0, np.nan)
    vals = pd.to_numeric(m[value]).to_numpy(dtype=float)
    obs = float(np.median(vals[is_ad.to_numpy()])) if k else np.nan
    rng = np.random.default_rng(seed)
    if k:
        # each row: k municipalities drawn without replacement (the k smallest of uniform keys)
        idx = np.argpartition(rng.random((n_resamples, len(vals))), k - 1, axis=1)[:, :k]
        draws = np.median(vals[idx], axis=1)
        p = (int(np.sum(draws >= obs - 1e-12)) + 1) / (n_resamples + 1)
        pct = float(np.mean(vals <= obs))
    else:
        p, pct = np.nan, np.nan
    test = pd.DataFrame(
        [
            dict(
                test=f"Monte Carlo: median {value} of {k} adopters vs random sets of {k} of all "
                f"{len(m)} municipalities",
                statistic=obs,
                median_all=float(np.median(vals)),
                percentile_all=pct,
                p_value=p,
                n_resamples=n_resamples,
                seed=seed,
                note="one-sided (adopters larger); no assumption about municipalities without a "
                "found agreement",
            )
        ]
    )
    return AdoptersVsAll(tab, test)


# --------------------------------------------------------------------------- survival
def _undated_adopters(panel: pd.DataFrame, event_time: str) -> pd.Series:
    return panel["ever_adopted"].astype(bool) & panel[event_time].isna()


def at_risk(
    panel: pd.DataFrame,
    end_year: int,
    event_time: str = "first_iop_year",
    *,
    drop_undated_adopters: bool = False,
) -> pd.DataFrame:
    """Municipality-years at risk of a first IOP, up to and including ``end_year``.

    :func:`iopstudy.spread.person_period` on the panel's years up to
    ``end_year``. Municipalities with a found agreement but no date
    (``ever_adopted`` and a missing ``event_time``) stay in the risk set as
    censored unless ``drop_undated_adopters`` (they adopted at an unknown
    time, so either choice is an assumption).

    Examples
    --------
    Three illustrative municipalities: ``a`` started in 2011, ``b`` has an agreement known only
    by its end in 2012, ``c`` none.

    >>> pan = pd.DataFrame({"kommun_code": list("aaabbbccc"), "year": [2010, 2011, 2012] * 3,
    ...     "ever_adopted": [True] * 6 + [False] * 3, "adopted": [False, True, True] + [False] * 6,
    ...     "first_iop_year": pd.array([2011] * 3 + [None] * 6, dtype="Int64"),
    ...     "first_evidence_year": pd.array([2011] * 3 + [2012] * 3 + [None] * 3, dtype="Int64")})
    >>> at_risk(pan, 2012)[["kommun_code", "year", "event"]].values.tolist()
    [['a', 2010, 0], ['a', 2011, 1], ['b', 2010, 0], ['b', 2011, 0], ['b', 2012, 0],
     ['c', 2010, 0], ['c', 2011, 0], ['c', 2012, 0]]
    >>> at_risk(pan, 2012, drop_undated_adopters=True)["kommun_code"].unique().tolist()
    ['a', 'c']
    """
    from iopstudy.spread.survival import person_period

    p = panel[panel["year"] <= int(end_year)]
    if drop_undated_adopters:
        p = p[~_undated_adopters(p, event_time)]
    return person_period(p, event_time=event_time)


def survival_data(
    panel: pd.DataFrame,
    end_year: int,
    event_time: str = "first_iop_year",
    *,
    drop_undated_adopters: bool = False,
) -> pd.DataFrame:
    """One row per municipality: time from the panel's start to the first IOP, or censoring.

    Returns the panel's row of ``end_year`` with ``event`` (1 if
    ``event_time`` lies in the window) and ``duration`` (years: the event
    year − (first panel year − 1), else ``end_year`` − (first panel year −
    1)), so a first IOP in 2010 has duration 1. Municipalities whose event
    lies before the panel (left-censored) are left out, and so are the undated adopters with
    ``drop_undated_adopters`` (:func:`survival_exclusions` counts both).

    Examples
    --------
    Three illustrative municipalities: ``a`` started in 2011, ``b`` has an agreement known only
    by its end in 2012, ``c`` none.

    >>> pan = pd.DataFrame({"kommun_code": list("aaabbbccc"), "year": [2010, 2011, 2012] * 3,
    ...     "ever_adopted": [True] * 6 + [False] * 3, "adopted": [False, True, True] + [False] * 6,
    ...     "first_iop_year": pd.array([2011] * 3 + [None] * 6, dtype="Int64"),
    ...     "first_evidence_year": pd.array([2011] * 3 + [2012] * 3 + [None] * 3, dtype="Int64")})
    >>> survival_data(pan, 2012)[["kommun_code", "event", "duration"]].values.tolist()
    [['a', 1, 2], ['b', 0, 3], ['c', 0, 3]]
    >>> survival_data(pan, 2012, drop_undated_adopters=True)["kommun_code"].tolist()
    ['a', 'c']
    """
    first = int(panel["year"].min())
    origin = first - 1
    last = panel[panel["year"] == int(end_year)].copy()
    if not len(last):
        raise InputError(f"survival_data: the panel has no rows for {end_year}")
    et = pd.to_numeric(last[event_time]).astype("Float64")
    left = (et < first).fillna(False).to_numpy(dtype=bool)
    keep = ~left
    if drop_undated_adopters:
        keep &= ~_undated_adopters(last, event_time).to_numpy()
    last = last[keep].copy()
    et = pd.to_numeric(last[event_time]).astype("float64")
    ev = (et.notna() & (et <= end_year)).to_numpy()
    last["event"] = ev.astype("int64")
    last["duration"] = np.where(ev, et.fillna(end_year) - origin, end_year - origin).astype("int64")
    return last.reset_index(drop=True)


def survival_exclusions(
    panel: pd.DataFrame, end_year: int, event_time: str = "first_iop_year", *, drop_undated_adopters: bool = False
) -> dict[str, int]:
    """What :func:`survival_data` leaves out: ``left_censored`` (event before the panel) and
    ``dropped_undated`` (undated adopters, with ``drop_undated_adopters``), and the ``origin``
    year durations count from.

    Examples
    --------
    >>> pan = pd.DataFrame({"kommun_code": list("aaabbbccc"), "year": [2010, 2011, 2012] * 3,
    ...     "ever_adopted": [True] * 6 + [False] * 3, "adopted": [False, True, True] + [False] * 6,
    ...     "first_iop_year": pd.array([2011] * 3 + [None] * 6, dtype="Int64"),
    ...     "first_evidence_year": pd.array([2011] * 3 + [2012] * 3 + [None] * 3, dtype="Int64")})
    >>> survival_exclusions(pan, 2012, drop_undated_adopters=True)
    {'left_censored': 0, 'dropped_undated': 1, 'origin': 2009}
    """
    first = int(panel["year"].min())
    last = panel[panel["year"] == int(end_year)]
    et = pd.to_numeric(last[event_time]).astype("Float64")
    left = (et < first).fillna(False).to_numpy(dtype=bool)
    und = _undated_adopters(last, event_time).to_numpy() if drop_undated_adopters else np.zeros(len(last), bool)
    return {"left_censored": int(left.sum()), "dropped_undated": int((und & ~left).sum()), "origin": first - 1}


def term_labels(
    terms: Sequence[str],
    lang: str = "en",
    *,
    municipalities: pd.DataFrame | None = None,
    width: int = 34,
) -> dict[str, str]:
    """Readable labels of model terms: ``"log_population"``, ``"skr_main_group[T.B]"``, ….

    A dummy ``col[T.level]`` becomes "<label of col>: <label of level>"
    (category labels of :mod:`iopstudy.labels`; county codes become county
    names when ``municipalities`` is given). Wrapped to ``width`` characters.

    Examples
    --------
    >>> counties = pd.DataFrame({"county_code": ["99"], "county_name": ["Example county"]})
    >>> lab = term_labels(["log_population", "skr_main_group[T.B]", "county_code[T.99]"],
    ...                   municipalities=counties)
    >>> lab["log_population"], lab["county_code[T.99]"]
    ('Log population', 'County: Example county')
    >>> print(lab["skr_main_group[T.B]"])
    SKR main group: Large towns and
    municipalities near large towns
    """
    counties = {}
    if municipalities is not None:
        counties = dict(municipalities.drop_duplicates("county_code")[["county_code", "county_name"]].itertuples(index=False))
    out = {}
    for t in terms:
        if "[T." in t and t.endswith("]"):
            col, lev = t[:-1].split("[T.", 1)
            name = label("county", lang) if col == "county_code" else label(col, lang, default=col)
            if col == "county_code":
                val = counties.get(lev, lev)
            else:
                val = category_labels(col, [lev], lang)[lev]
            s = f"{name}: {val}"
        else:
            s = label(t, lang, default=t)
        out[t] = "\n".join(textwrap.wrap(s, width)) or s
    return out


def term_table(results: Mapping[str, Any], term: str = "log_population") -> pd.DataFrame:
    """One term of several fitted models (``ModelResult``), one row per model.

    Returns ``term`` (the key of ``results``, so that
    :func:`iopstudy.figures.plot_coef` labels rows by variant), ``model,
    method, n, events, estimate, ratio, ratio_ci_low, ratio_ci_high,
    p_value, warnings``.

    Examples
    --------
    >>> from iopstudy.spread.firth import firth_logit
    >>> from iopstudy.spread.regression import fit_logit
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"log_population": rng.normal(10, 1, 80)})
    >>> d["y"] = rng.random(80) < 1 / (1 + np.exp(-(d["log_population"] - 10)))
    >>> t = term_table({"ml": fit_logit(d, "y", ["log_population"]),
    ...                 "firth": firth_logit(d, "y", ["log_population"], ci="wald")})
    >>> t[["term", "method", "n", "events"]].values.tolist(), t["ratio"].round(1).tolist()
    ([['ml', 'ml', 80, 41], ['firth', 'firth', 80, 41]], [3.1, 3.0])
    """
    rows = []
    for key, res in results.items():
        c = res.coef.set_index("term")
        if term not in c.index:
            raise InputError(f"term_table: model {key!r} has no term {term!r}")
        s = res.summary.iloc[0]
        rows.append(
            dict(
                term=key, model=s["model"], method=s["method"], n=int(s["n"]), events=int(s["events"]),
                estimate=float(c.at[term, "estimate"]), ratio=float(c.at[term, "ratio"]),
                ratio_ci_low=float(c.at[term, "ratio_ci_low"]),
                ratio_ci_high=float(c.at[term, "ratio_ci_high"]),
                p_value=float(c.at[term, "p_value"]), warnings=str(s.get("warnings", "")),
            )
        )
    return pd.DataFrame(rows)


UNDATED = "undated"


def period_with_undated(
    partnerships: pd.DataFrame, breaks: Sequence[int] | None = None
) -> pd.Series:
    """:func:`iopstudy.spread.period_of` of ``start_year`` with ``"undated"`` as the last category.

    Periods without agreements are dropped from the categories.

    Examples
    --------
    >>> per = period_with_undated(pd.DataFrame({"start_year": [2012, None, 2023, 2013]}))
    >>> per.tolist(), per.cat.categories.tolist()
    (['2010–2015', 'undated', '2022–', '2010–2015'], ['2010–2015', '2022–', 'undated'])
    """
    from iopstudy.spread.curves import DEFAULT_PERIOD_BREAKS, period_of

    per = period_of(partnerships["start_year"], breaks or DEFAULT_PERIOD_BREAKS)
    cats = list(per.cat.categories) + [UNDATED]
    out = per.cat.add_categories([UNDATED]).fillna(UNDATED)
    out = out.astype(pd.CategoricalDtype(cats, ordered=True)).cat.remove_unused_categories()
    return out.rename("period")


class Window(NamedTuple):
    """The observation window of :func:`observation_window`.

    ``end``: its last year; ``panel``: the panel's municipality-years up to ``end``; ``last``:
    one row per municipality in year ``end``; ``counts``: municipalities with a found agreement
    (``found``), with a dated start (``dated``), with a dated start or end by ``end``
    (``evidence``, the last value of the curve of :func:`adoption_curves` that counts ends), and
    known only by an end after ``end`` (``evidence_after``, in neither curve).

    Examples
    --------
    >>> pan = pd.DataFrame({"kommun_code": list("aaabbbccc"), "year": [2010, 2011, 2012] * 3,
    ...     "ever_adopted": [True] * 6 + [False] * 3, "adopted": [False, True, True] + [False] * 6,
    ...     "first_iop_year": pd.array([2011] * 3 + [None] * 6, dtype="Int64"),
    ...     "first_evidence_year": pd.array([2011] * 3 + [2012] * 3 + [None] * 3, dtype="Int64")})
    >>> w = observation_window(pan, pd.DataFrame({"start_year": [2011, 2012]}))
    >>> w.end, len(w.panel), len(w.last), w.counts
    (2012, 9, 3, {'found': 2, 'dated': 1, 'evidence': 2, 'evidence_after': 0})
    """

    end: int
    panel: pd.DataFrame
    last: pd.DataFrame
    counts: dict


def observation_window(panel: pd.DataFrame, partnerships: pd.DataFrame) -> Window:
    """From the launch of IOP to the latest dated start in the register (see
    :func:`iopstudy.register.describe.observation_end`); the panel runs further when some
    agreements end later. ``panel`` gains ``adopted_evidence`` (a dated start *or end* by the
    year).

    Examples
    --------
    Three illustrative municipalities: ``a`` started in 2011, ``b`` has an agreement known only
    by its end in 2012, ``c`` one known only by its end in 2014, after the window:

    >>> pan = pd.DataFrame({"kommun_code": list("aaabbbccc"), "year": [2010, 2011, 2012] * 3,
    ...     "ever_adopted": [True] * 9, "adopted": [False, True, True] + [False] * 6,
    ...     "first_iop_year": pd.array([2011] * 3 + [None] * 6, dtype="Int64"),
    ...     "first_evidence_year": pd.array([2011] * 3 + [2012] * 3 + [2014] * 3, dtype="Int64")})
    >>> w = observation_window(pan, pd.DataFrame({"start_year": [2011, 2012, None]}))
    >>> w.end, w.last["kommun_code"].tolist(), w.counts
    (2012, ['a', 'b', 'c'], {'found': 3, 'dated': 1, 'evidence': 2, 'evidence_after': 1})
    >>> w.panel.loc[w.panel["kommun_code"] == "b", "adopted_evidence"].tolist()
    [False, False, True]
    """
    from iopstudy.register.describe import observation_end

    end = observation_end(partnerships)
    pw = panel[panel["year"] <= end].copy()
    pw["adopted_evidence"] = (pw["first_evidence_year"] <= pw["year"]).fillna(False).astype(bool)
    last = pw[pw["year"] == end].reset_index(drop=True)
    counts = {
        "found": int(last["ever_adopted"].sum()),
        "dated": int(last["first_iop_year"].notna().sum()),
        "evidence": int(last["adopted_evidence"].sum()),
        "evidence_after": int((last["first_evidence_year"] > end).fillna(False).sum()),
    }
    return Window(end, pw, last, counts)


def adoption_curves(window_panel: pd.DataFrame) -> pd.DataFrame:
    """The two overall curves: ``group`` ``iop_start`` (first dated start) and ``iop_evidence``
    (first dated start or end), an ordered categorical, one row per year and curve.

    Examples
    --------
    Three illustrative municipalities: ``a`` started in 2011, ``b`` has an agreement known only
    by its end in 2012, ``c`` none.

    >>> pan = pd.DataFrame({"kommun_code": list("aaabbbccc"), "year": [2010, 2011, 2012] * 3,
    ...     "ever_adopted": [True] * 6 + [False] * 3, "adopted": [False, True, True] + [False] * 6,
    ...     "first_iop_year": pd.array([2011] * 3 + [None] * 6, dtype="Int64"),
    ...     "first_evidence_year": pd.array([2011] * 3 + [2012] * 3 + [None] * 3, dtype="Int64")})
    >>> w = observation_window(pan, pd.DataFrame({"start_year": [2011, 2012]}))
    >>> c = adoption_curves(w.panel)
    >>> c["group"].astype(str).tolist(), c["n_adopted"].tolist()
    (['iop_start', 'iop_start', 'iop_start', 'iop_evidence', 'iop_evidence', 'iop_evidence'],
     [0, 1, 1, 0, 1, 2])
    """
    from iopstudy.spread.curves import adoption_curve

    return stack_curves({
        "iop_start": adoption_curve(window_panel),
        "iop_evidence": adoption_curve(window_panel, adopted="adopted_evidence"),
    })


def stack_curves(curves: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Several adoption curves in one table, ``group`` an ordered categorical in the given order.

    Examples
    --------
    >>> from iopstudy.spread.curves import adoption_curve
    >>> pan = pd.DataFrame({"kommun_code": list("aabb"), "year": [2020, 2021] * 2,
    ...                     "adopted": [False, True, False, False]})
    >>> s = stack_curves({"found": adoption_curve(pan), "all": adoption_curve(pan.assign(adopted=True))})
    >>> s["group"].cat.categories.tolist(), s["n_adopted"].tolist()
    (['found', 'all'], [0, 1, 2, 2])
    """
    out = pd.concat([c.assign(group=k) for k, c in curves.items()], ignore_index=True)
    out["group"] = pd.Categorical(out["group"], list(curves), ordered=True)
    return out


def stack_tables(tables: Mapping[str, pd.DataFrame], key: str = "by", *, text_group: bool = True) -> pd.DataFrame:
    """Stack tables with a column ``key`` saying which one each row came from (the group column
    as text when ``text_group``, so differently ordered categoricals can be stacked).

    Examples
    --------
    >>> s = stack_tables({"size": pd.DataFrame({"group": [1, 2], "n": [5, 6]}),
    ...                   "county": pd.DataFrame({"group": ["01"], "n": [3]})})
    >>> s.values.tolist()
    [['1', 5, 'size'], ['2', 6, 'size'], ['01', 3, 'county']]
    """
    out = pd.concat([t.assign(**{key: k}) for k, t in tables.items()], ignore_index=True)
    if text_group and "group" in out:
        out["group"] = out["group"].astype(str)
    return out


#: The groupings of the ever-adopted tests: name → column.
GROUPINGS = {"size_class": "size_class", "skr_main_group": "skr_main_group", "skr_group": "skr_group", "county": "county_code"}


class EverAdopted(NamedTuple):
    """Result of :func:`ever_adopted_tests`: ``crosstabs`` (grouping → CrosstabResult),
    ``tests`` (one row per grouping) and ``shares`` (the adopted share of every group, with
    ``grouping`` and a readable ``label``).

    Examples
    --------
    >>> last = pd.DataFrame({"size_class": ["large"] * 5 + ["small"] * 10,
    ...                      "county_code": ["01"] * 8 + ["02"] * 7,
    ...                      "ever_adopted": [True] * 4 + [False] + [True] * 2 + [False] * 8})
    >>> ev = ever_adopted_tests(last, groupings={"size": "size_class", "county": "county_code"})
    >>> list(ev.crosstabs), ev.tests["grouping"].tolist()
    (['size', 'county'], ['size', 'county'])
    """

    crosstabs: dict
    tests: pd.DataFrame
    shares: pd.DataFrame


def ever_adopted_tests(
    last: pd.DataFrame,
    lang: str = "en",
    *,
    groupings: Mapping[str, str] = GROUPINGS,
    county_names: Mapping[str, str] | None = None,
    seed: int = DEFAULT_SEED,
) -> EverAdopted:
    """Ever adopted (a found kommun-level agreement, dated or not) by each grouping.

    :func:`~iopstudy.spread.adoption_crosstab` per grouping, its test in one table
    (``grouping, test, statistic, p_value, cramers_v, min_expected, n, note``) and the shares
    with labels in ``lang`` (county names from ``county_names``).

    Examples
    --------
    Fifteen illustrative municipalities in two size classes and two counties:

    >>> last = pd.DataFrame({"size_class": ["large"] * 5 + ["small"] * 10,
    ...                      "county_code": ["01"] * 8 + ["02"] * 7,
    ...                      "ever_adopted": [True] * 4 + [False] + [True] * 2 + [False] * 8})
    >>> ev = ever_adopted_tests(last, groupings={"size": "size_class", "county": "county_code"},
    ...                         county_names={"01": "County One", "02": "County Two"})
    >>> ev.tests[["grouping", "test", "n"]].values.tolist(), ev.tests["p_value"].round(3).tolist()
    ([['size', 'Fisher exact (2x2)', 15], ['county', 'Fisher exact (2x2)', 15]], [0.089, 0.007])
    >>> ev.shares[["grouping", "label", "count", "group_total"]].values.tolist()
    [['size', 'large', 4, 5], ['size', 'small', 2, 10],
     ['county', 'County One', 6, 8], ['county', 'County Two', 0, 7]]
    """
    from iopstudy.spread.contingency import adoption_crosstab

    xt = {g: adoption_crosstab(last, col, seed=seed) for g, col in groupings.items()}
    tests = pd.concat([r.test.assign(grouping=g) for g, r in xt.items()], ignore_index=True)
    tests = tests[["grouping", "test", "statistic", "p_value", "cramers_v", "min_expected", "n", "note"]]
    names = dict(county_names or {})
    shares = []
    for g, r in xt.items():
        s = adopted_shares(r)
        s.insert(0, "grouping", g)
        s["label"] = [names.get(x, x) if g == "county" else label(f"{g}.{x}", lang, default=str(x)) for x in s["group"]]
        shares.append(s)
    out = pd.concat(shares, ignore_index=True).assign(group=lambda d: d["group"].astype(str))
    return EverAdopted(xt, tests, out)
