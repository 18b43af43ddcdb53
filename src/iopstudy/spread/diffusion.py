"""Diffusion of IOP between municipalities: covariates that change by year, and the hazard model.

The policy-diffusion literature (Berry & Berry 1990, *APSR* 84:395–415; Shipan & Volden 2008,
*AJPS* 52:840–857) models a government's adoption year by year with *internal determinants*
(size, resources, politics) and *diffusion* (what its neighbours, and the level above it, have
already done), each measured before the year in question. Here:

==========================  ==================================================================
DIFFUSION_COVARIATES        the covariates of the main model
DIFFUSION_UNITS             the units their ratios are reported per
lagged_covariates           every municipality-year with the covariates measured in t − 1
diffusion_panel             the municipality-years at risk of a first IOP, with the covariates
fit_diffusion               discrete-time cloglog hazard (ML with clustered SEs, or Firth)
diffusion_models            the main model: ML clustered by municipality, by county; Firth
diffusion_variants          the sensitivity variants (dating, undated adopters) with them
rescale_terms               ratios per a readable unit (e.g. 10 percentage points)
published_municipal_counts  published counts of *municipalities* with an IOP
municipal_adoption_counts   the register's adoption curve in municipalities, beside them
==========================  ==================================================================

The covariates of year t (see ``docs/data-dictionary.md``, "diffusion panel"):

* ``log_population_lag``, ``log_density_lag`` — SCB population at 31 December of t − 1
  (:func:`iopstudy.reference.scb.load_population`) and inhabitants per km² of land
  (:func:`~iopstudy.reference.scb.population_density`);
* ``neighbour_share_lag`` — the share of the municipality's neighbours
  (:func:`iopstudy.reference.geography.contiguity`) with a found, dated first IOP by t − 1;
* ``region_iop_lag`` — 1 when the region of the municipality's county has a found
  region-level agreement dated by t − 1 (vertical diffusion);
* ``left_share`` — the S + V + MP share of the valid votes in the municipality at the latest
  Riksdag election held before year t (:func:`~iopstudy.reference.elections.election_covariates`).

"Dated" follows the event: with ``event_time="first_iop_year"`` an agreement is dated by its
start year; with ``"first_evidence_year"`` by its start year or, without one, its end year.

**Few events.** The shipped register has fewer than two dozen dated first IOPs for the 7
parameters of the main model (intercept, year, five covariates): two or three events per
parameter. Maximum-likelihood estimates are then biased away from zero, Wald intervals too
narrow, and a covariate whose non-zero rows hold no event (``region_iop_lag``, non-zero in a
handful of municipality-years) has no finite estimate (separation). The main fit is therefore
Firth's penalised likelihood (Jeffreys prior, Kosmidis & Firth 2021) with profile intervals
(:func:`iopstudy.spread.interval.fit_firth_hazard`); the ML fit with cluster-robust errors (by
municipality, and by county) is shown beside it. The interval-censored model of
:mod:`iopstudy.spread.interval` and the bounds of :mod:`iopstudy.spread.bounds` take only
covariates constant within a municipality, so they cannot carry these time-varying ones
(the neighbour share itself depends on the dated adoptions).

Examples
--------
>>> DIFFUSION_COVARIATES[:3]
('log_population_lag', 'log_density_lag', 'neighbour_share_lag')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd

from iopstudy.errors import InputError
from iopstudy.spread.design import as_list, require_columns

__all__ = [
    "DIFFUSION_COVARIATES",
    "DIFFUSION_UNITS",
    "DIFFUSION_VARIANTS",
    "LAGGED_COLUMNS",
    "DiffusionModels",
    "DiffusionVariants",
    "diffusion_models",
    "diffusion_panel",
    "diffusion_variants",
    "fit_diffusion",
    "lagged_covariates",
    "municipal_adoption_counts",
    "published_municipal_counts",
    "recluster",
    "rescale_terms",
]

#: Covariates of the main diffusion model, in the order of its tables.
DIFFUSION_COVARIATES: tuple[str, ...] = (
    "log_population_lag", "log_density_lag", "neighbour_share_lag", "region_iop_lag", "left_share",
)

#: Units that ratios are reported per (:func:`rescale_terms`): shares per 10 percentage points.
DIFFUSION_UNITS: dict[str, float] = {"neighbour_share_lag": 0.1, "left_share": 0.1}

#: Columns :func:`lagged_covariates` adds to the panel.
LAGGED_COLUMNS = [
    "population_lag", "population_year", "log_population_lag", "density_lag", "log_density_lag",
    "n_neighbours", "neighbours_adopted_lag", "neighbour_share_lag", "region_iop_lag",
    "election_year", "left_share",
]

#: The sensitivity variants of :func:`diffusion_variants`: name -> what is varied.
DIFFUSION_VARIANTS: dict[str, str] = {
    "start": "first dated start (main)",
    "evidence": "first dated start or end",
    "no_undated": "undated adopters left out",
}


# --------------------------------------------------------------------------- covariates
@cache
def _official(what: str) -> pd.DataFrame:
    """The official table ``what`` shipped with iopstudy, read once per process (never modified)."""
    from iopstudy.reference.elections import load_riksdag_votes
    from iopstudy.reference.scb import load_land_area, load_population

    return {"population": load_population, "land_area": load_land_area, "votes": load_riksdag_votes}[what]()


def _lag_table(table: pd.DataFrame, years: Sequence[int], columns: Sequence[str], where: str) -> pd.DataFrame:
    """Values of ``table`` (kommun_code, year, columns) at t − 1, or the latest year before it."""
    t = table[["kommun_code", "year", *columns]].rename(columns={"year": "source_year"}).copy()
    t["kommun_code"] = t["kommun_code"].astype(str)
    t["source_year"] = t["source_year"].astype("int64")
    codes = sorted(set(t["kommun_code"]))
    want = pd.MultiIndex.from_product([codes, sorted({int(y) for y in years})], names=["kommun_code", "year"])
    want = want.to_frame(index=False)
    want["ref_year"] = (want["year"] - 1).astype("int64")
    res = pd.merge_asof(want.sort_values("ref_year"), t.sort_values("source_year"), left_on="ref_year",
                        right_on="source_year", by="kommun_code", direction="backward")
    if res["source_year"].isna().any():
        bad = res.loc[res["source_year"].isna(), ["kommun_code", "year"]].iloc[0].tolist()
        raise InputError(f"{where}: no value at or before t − 1 for (kommun_code, year) {bad}")
    res["source_year"] = res["source_year"].astype("int64")
    return res.drop(columns="ref_year").sort_values(["kommun_code", "year"], ignore_index=True)


def _event_years(panel: pd.DataFrame, event_time: str) -> pd.Series:
    per = panel.groupby("kommun_code")[event_time].first()
    return pd.to_numeric(per).astype("float64")


def _region_years(partnerships: pd.DataFrame, event_time: str) -> pd.Series:
    """The first dated year of a found region-level agreement, per county code."""
    require_columns(partnerships, ["level", "county_code", "start_year", "end_year"], "lagged_covariates")
    r = partnerships.loc[partnerships["level"] == "region"]
    start = pd.to_numeric(r["start_year"]).astype("float64")
    if event_time == "first_evidence_year":
        start = start.fillna(pd.to_numeric(r["end_year"]).astype("float64"))
    return start.groupby(r["county_code"].astype(str)).min().dropna()


def lagged_covariates(
    panel: pd.DataFrame,
    partnerships: pd.DataFrame,
    *,
    event_time: str = "first_iop_year",
    pairs: pd.DataFrame | None = None,
    population: pd.DataFrame | None = None,
    land_area: pd.DataFrame | None = None,
    votes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every municipality-year of ``panel`` with the diffusion covariates of that year.

    Parameters
    ----------
    panel
        The municipality-year panel (:func:`iopstudy.register.panel.municipality_panel`):
        ``kommun_code``, ``year``, ``county_code`` and ``event_time``.
    partnerships
        The agreements (``level``, ``county_code``, ``start_year``, ``end_year``): the
        region-level ones date vertical diffusion.
    event_time
        ``"first_iop_year"`` (a first dated start) or ``"first_evidence_year"`` (a start or,
        without one, an end): what "adopted by t − 1" means for neighbours and regions.
    pairs
        Neighbour pairs (default :func:`iopstudy.reference.geography.contiguity`).
    population, land_area, votes
        SCB population (``kommun_code, year, population``), land area (``kommun_code, year,
        land_area_km2``) and Riksdag votes (``kommun_code, election_year, party, votes``);
        default: the official files (:func:`~iopstudy.reference.scb.load_population`,
        :func:`~iopstudy.reference.scb.load_land_area`,
        :func:`~iopstudy.reference.elections.load_riksdag_votes`).

    Returns
    -------
    pandas.DataFrame
        The rows and columns of ``panel`` and :data:`LAGGED_COLUMNS`: ``population_lag``
        (int64, 31 December of t − 1, or of ``population_year`` when the data end earlier),
        ``log_population_lag``, ``density_lag`` (per km² of land), ``log_density_lag``,
        ``n_neighbours``, ``neighbours_adopted_lag`` (int64: neighbours with ``event_time``
        ≤ t − 1), ``neighbour_share_lag`` (their share), ``region_iop_lag`` (int64 0/1),
        ``election_year`` (the latest Riksdag election before t) and ``left_share``.

    Examples
    --------
    >>> pan = pd.DataFrame({"kommun_code": ["0001"] * 2 + ["0002"] * 2, "year": [2011, 2012] * 2,
    ...     "county_code": ["00"] * 4, "first_iop_year": pd.array([2011, 2011, None, None], dtype="Int64")})
    >>> pairs = pd.DataFrame({"kommun_code": ["0001", "0002"], "neighbour_code": ["0002", "0001"],
    ...                       "kind": ["border"] * 2})
    >>> pop = pd.DataFrame({"kommun_code": ["0001", "0002"] * 2, "year": [2010, 2010, 2011, 2011],
    ...                     "population": [1000, 2000, 1100, 2100]})
    >>> area = pd.DataFrame({"kommun_code": ["0001", "0002"], "year": [2010, 2010], "land_area_km2": [10.0, 20.0]})
    >>> votes = pd.DataFrame({"kommun_code": ["0001", "0001", "0002", "0002"], "election_year": [2010] * 4,
    ...                       "party": ["S", "M"] * 2, "votes": [60, 40, 30, 70]})
    >>> parts = pd.DataFrame({"level": ["kommun"], "county_code": ["00"], "start_year": [2011], "end_year": [None]})
    >>> c = lagged_covariates(pan, parts, pairs=pairs, population=pop, land_area=area, votes=votes)
    >>> c[["kommun_code", "year", "population_lag", "neighbour_share_lag", "left_share"]].values.tolist()
    [['0001', 2011, 1000, 0.0, 0.6], ['0001', 2012, 1100, 0.0, 0.6], ['0002', 2011, 2000, 0.0, 0.3], ['0002', 2012, 2100, 1.0, 0.3]]
    """
    from iopstudy.reference.elections import election_covariates
    from iopstudy.reference.scb import population_density

    where = "lagged_covariates"
    if event_time not in ("first_iop_year", "first_evidence_year"):
        raise InputError(f"{where}: event_time must be 'first_iop_year' or 'first_evidence_year', not {event_time!r}")
    require_columns(panel, ["kommun_code", "year", "county_code", event_time], where)
    out = panel.copy()
    out["kommun_code"] = out["kommun_code"].astype(str)
    years = sorted({int(y) for y in out["year"]})
    codes = sorted(set(out["kommun_code"]))

    # internal determinants: population and density in t - 1
    pop = _official("population") if population is None else population
    area = _official("land_area") if land_area is None else land_area
    pop = pop[pop["kommun_code"].astype(str).isin(codes)]
    dens = population_density(pop, area)
    lag = _lag_table(dens, years, ["population", "density_per_km2"], where)
    lag = lag.rename(columns={"population": "population_lag", "density_per_km2": "density_lag",
                              "source_year": "population_year"})
    out = out.merge(lag, on=["kommun_code", "year"], how="left", validate="many_to_one")
    if out["population_lag"].isna().any():
        bad = out.loc[out["population_lag"].isna(), "kommun_code"].iloc[0]
        raise InputError(f"{where}: no population for municipality {bad!r}", value=bad)
    out["population_lag"] = out["population_lag"].astype("int64")
    out["log_population_lag"] = np.log(out["population_lag"].astype("float64"))
    out["log_density_lag"] = np.log(out["density_lag"].astype("float64"))

    # neighbour diffusion: share of neighbours adopted by t - 1
    if pairs is None:
        from iopstudy.reference.geography import contiguity

        pairs = contiguity()
    require_columns(pairs, ["kommun_code", "neighbour_code"], where)
    adopted_in = _event_years(out, event_time)
    pr = pairs[["kommun_code", "neighbour_code"]].astype(str)
    pr = pr[pr["kommun_code"].isin(codes)]
    n_nb = pr.groupby("kommun_code").size()
    lonely = sorted(set(codes) - set(n_nb.index))
    if lonely:
        raise InputError(f"{where}: municipalities without neighbours {lonely[:10]}; pass pairs that give every "
                         "municipality at least one (iopstudy.reference.geography.contiguity)")
    nb_year = pr["neighbour_code"].map(adopted_in).to_numpy(dtype="float64", na_value=np.nan)
    yr = np.asarray(years, dtype="float64")
    hits = (nb_year[:, None] <= yr[None, :] - 1)  # NaN (never adopted / not in panel) compares False
    wide = pd.DataFrame(hits.astype("int64"), columns=years).groupby(pr["kommun_code"].to_numpy()).sum()
    counts = pd.DataFrame({
        "kommun_code": np.repeat(wide.index.to_numpy(dtype=object), len(years)),
        "year": np.tile(np.asarray(years, dtype="int64"), len(wide)),
        "neighbours_adopted_lag": wide.to_numpy(dtype="int64").ravel(),
    })
    out = out.merge(counts, on=["kommun_code", "year"], how="left", validate="many_to_one")
    out["n_neighbours"] = out["kommun_code"].map(n_nb).astype("int64")
    out["neighbours_adopted_lag"] = out["neighbours_adopted_lag"].astype("int64")
    out["neighbour_share_lag"] = out["neighbours_adopted_lag"] / out["n_neighbours"]

    # vertical diffusion: a found region-level agreement in the county, dated by t - 1
    reg = _region_years(partnerships, event_time)
    ry = out["county_code"].astype(str).map(reg).to_numpy(dtype="float64", na_value=np.nan)
    out["region_iop_lag"] = (ry <= out["year"].to_numpy(dtype="float64") - 1).astype("int64")

    # politics: the latest Riksdag election before t
    v = _official("votes") if votes is None else votes
    v = v[v["kommun_code"].astype(str).isin(codes)]
    el = election_covariates(v, years)[["kommun_code", "year", "election_year", "left_share"]]
    out = out.merge(el, on=["kommun_code", "year"], how="left", validate="many_to_one")
    if out["left_share"].isna().any():
        bad = out.loc[out["left_share"].isna(), ["kommun_code", "year"]].iloc[0].tolist()
        raise InputError(f"{where}: no Riksdag result before the year for (kommun_code, year) {bad}")
    out["election_year"] = out["election_year"].astype("int64")
    keep = [c for c in panel.columns if c not in LAGGED_COLUMNS]
    return out[keep + LAGGED_COLUMNS].sort_values(["kommun_code", "year"], ignore_index=True)


def diffusion_panel(
    panel: pd.DataFrame,
    partnerships: pd.DataFrame,
    end_year: int | None = None,
    *,
    event_time: str = "first_iop_year",
    drop_undated_adopters: bool = False,
    covariates: pd.DataFrame | None = None,
    **sources: Any,
) -> pd.DataFrame:
    """The municipality-years at risk of a first IOP, with the diffusion covariates.

    Parameters
    ----------
    panel, partnerships, event_time
        As for :func:`lagged_covariates`.
    end_year
        Last year of the window (default: the latest dated start in ``partnerships``,
        :func:`iopstudy.register.describe.observation_end`).
    drop_undated_adopters
        Leave out the municipalities with a found agreement but no ``event_time`` (default:
        they stay in the risk set, censored as if they had none).
    covariates
        The result of :func:`lagged_covariates` with the same ``event_time``, to reuse it.
    **sources
        ``pairs``, ``population``, ``land_area``, ``votes`` for :func:`lagged_covariates`.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`iopstudy.spread.describe.at_risk` (from 2010 to the first
        ``event_time`` or ``end_year``) with ``event`` (1 in the adoption year),
        ``duration`` and :data:`LAGGED_COLUMNS`.

    Examples
    --------
    >>> pan = pd.DataFrame({"kommun_code": ["0001"] * 3 + ["0002"] * 3, "year": [2011, 2012, 2013] * 2,
    ...     "county_code": ["00"] * 6, "ever_adopted": [True] * 3 + [False] * 3,
    ...     "first_iop_year": pd.array([2012] * 3 + [None] * 3, dtype="Int64")})
    >>> cov = pan.assign(x=1.0)  # stands for lagged_covariates(...)
    >>> diffusion_panel(pan, pd.DataFrame(), 2013, covariates=cov)[["kommun_code", "year", "event"]].values.tolist()
    [['0001', 2011, 0], ['0001', 2012, 1], ['0002', 2011, 0], ['0002', 2012, 0], ['0002', 2013, 0]]
    """
    from iopstudy.register.describe import observation_end
    from iopstudy.spread.describe import at_risk

    end = observation_end(partnerships, panel) if end_year is None else int(end_year)
    cov = lagged_covariates(panel, partnerships, event_time=event_time, **sources) if covariates is None else covariates
    return at_risk(cov, end, event_time, drop_undated_adopters=drop_undated_adopters)


# --------------------------------------------------------------------------- models
def fit_diffusion(
    data: pd.DataFrame,
    covariates: str | Sequence[str] = DIFFUSION_COVARIATES,
    *,
    method: Literal["firth", "ml"] = "firth",
    cluster: str | None = "kommun_code",
    time: str | None = "year",
    centre: float | Literal["mean"] | None = "mean",
    ci: Literal["profile", "wald"] = "profile",
    event: str = "event",
) -> Any:
    """The discrete-time (cloglog) hazard model of a first IOP on the diffusion panel.

    Parameters
    ----------
    data
        :func:`diffusion_panel`.
    covariates
        Default :data:`DIFFUSION_COVARIATES`.
    method
        ``"firth"``: Jeffreys-prior penalised likelihood with profile intervals
        (:func:`iopstudy.spread.interval.fit_firth_hazard`; model-based errors); ``"ml"``:
        maximum likelihood, :func:`iopstudy.spread.survival.fit_discrete_hazard`, with
        errors clustered by ``cluster``.
    cluster
        ``"kommun_code"`` or ``"county_code"`` (ML only); None for model-based errors.
    time, centre
        The baseline: a linear ``time`` term centred at its mean (the intercept is then the
        log hazard of the middle year); None for a constant baseline.
    ci
        Firth only: ``"profile"`` or ``"wald"``.

    Returns
    -------
    ModelResult
        ``ratio`` is a hazard ratio per unit of each covariate (see :func:`rescale_terms`).

    Examples
    --------
    >>> d = pd.DataFrame({"event": [0, 1, 0, 0, 1, 0, 0, 0], "x": [0, 1, 0, 1, 0, 0, 0, 1.0],
    ...                   "kommun_code": list("aabbccdd"), "year": [1, 2] * 4})
    >>> r = fit_diffusion(d, ["x"], method="ml", time=None)
    >>> r.summary[["events", "n_parameters"]].values.tolist()
    [[2, 2]]
    """
    covs = as_list(covariates)
    constant = [c for c in covs if c in data and data[c].nunique(dropna=True) < 2]
    if constant:
        # e.g. no region-level agreement in a small register: the covariate cannot be estimated
        import warnings

        from iopstudy.errors import StatisticalWarning

        warnings.warn(f"fit_diffusion: {', '.join(constant)} left out: the same value in every "
                      "municipality-year at risk", StatisticalWarning, stacklevel=2)
        covs = [c for c in covs if c not in constant]
    if method == "ml":
        from iopstudy.spread.survival import fit_discrete_hazard

        return fit_discrete_hazard(data, event, covs, link="cloglog", cluster=cluster, time=time,
                                   centre=centre if time else None)
    if method == "firth":
        from iopstudy.spread.interval import fit_firth_hazard

        return fit_firth_hazard(data, event, covs, link="cloglog", time=time,
                                centre=centre if time else None, ci=ci)
    raise InputError(f"fit_diffusion: method must be 'firth' or 'ml', not {method!r}")


def recluster(result: Any, data: pd.DataFrame, cluster: str, *, alpha: float = 0.05) -> Any:
    """The same ML hazard fit with standard errors clustered by another column.

    Parameters
    ----------
    result
        A :func:`fit_diffusion` result with ``method="ml"`` (a statsmodels GLM inside).
    data
        The rows it was fitted on.
    cluster
        The new cluster column (e.g. ``"county_code"``).

    Returns
    -------
    ModelResult
        The coefficients unchanged; ``std_error``, intervals and p-values from the
        cluster-robust sandwich by ``cluster`` (statsmodels ``cov_cluster``, CR1, the same as
        refitting with ``cov_type="cluster"``; the tests check it), without refitting.

    Examples
    --------
    >>> d = pd.DataFrame({"event": [0, 1, 0, 0, 1, 0, 0, 0], "x": [0, 1, 0, 1, 0, 0, 0, 1.0],
    ...     "kommun_code": list("aabbccdd"), "county_code": list("aaaabbbb")})
    >>> r = recluster(fit_diffusion(d, ["x"], method="ml", time=None), d, "county_code")
    >>> r.summary["se_type"].iloc[0]
    'cluster-robust SEs by county_code (2 clusters)'
    """
    from dataclasses import replace

    from scipy import stats
    from statsmodels.stats.sandwich_covariance import cov_cluster

    from iopstudy.spread.design import coef_frame

    require_columns(data, [cluster], "recluster")
    res = result.model
    if not hasattr(res, "model") or len(data) != int(res.nobs):
        raise InputError("recluster: pass an ML result (fit_diffusion(method='ml')) and the rows it was fitted on")
    groups = pd.factorize(data[cluster])[0]
    cov = cov_cluster(res, groups)
    beta = np.asarray(res.params, dtype=float)
    se = np.sqrt(np.diag(cov))
    z = stats.norm.ppf(1 - alpha / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        pv = 2 * stats.norm.sf(np.abs(beta / se))
    coef = coef_frame(result.coef["term"], beta, se, beta - z * se, beta + z * se, pv, ratio=True)
    se_type = f"cluster-robust SEs by {cluster} ({len(np.unique(groups))} clusters)"
    summary = result.summary.copy()
    old = str(summary["se_type"].iloc[0])
    summary["se_type"] = se_type
    summary["notes"] = str(summary["notes"].iloc[0]).replace(old, se_type)
    return replace(result, coef=coef, summary=summary)


def rescale_terms(coef: pd.DataFrame, per: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Coefficients per a readable unit: ``estimate``, ``std_error`` and the CI times ``per``.

    Parameters
    ----------
    coef
        A coefficient table (:data:`iopstudy.spread.results.COEF_COLUMNS`).
    per
        Term -> unit (default :data:`DIFFUSION_UNITS`: shares per 10 percentage points);
        other terms keep unit 1.

    Returns
    -------
    pandas.DataFrame
        ``coef`` with ``per`` (float64) after ``term`` and rescaled estimates, intervals and
        ratios (p-values unchanged).

    Examples
    --------
    >>> c = pd.DataFrame({"term": ["left_share"], "estimate": [2.0], "std_error": [1.0], "ci_low": [0.0],
    ...     "ci_high": [4.0], "p_value": [0.05], "ratio": [np.exp(2.0)], "ratio_ci_low": [1.0],
    ...     "ratio_ci_high": [np.exp(4.0)]})
    >>> rescale_terms(c)[["per", "estimate", "ci_high"]].values.tolist()
    [[0.1, 0.2, 0.4]]
    """
    units = DIFFUSION_UNITS if per is None else dict(per)
    out = coef.copy()
    f = out["term"].map(units).fillna(1.0).astype("float64")
    for c in ("estimate", "std_error", "ci_low", "ci_high"):
        out[c] = out[c] * f
    has_ratio = out["ratio"].notna()
    with np.errstate(over="ignore"):
        for src, dst in (("estimate", "ratio"), ("ci_low", "ratio_ci_low"), ("ci_high", "ratio_ci_high")):
            out[dst] = np.where(has_ratio, np.exp(out[src]), np.nan)
    out.insert(1, "per", f)
    return out


class DiffusionModels(NamedTuple):
    """Result of :func:`diffusion_models`: ``models`` (name -> ModelResult), ``table`` (their
    coefficients per :data:`DIFFUSION_UNITS`, column ``model`` = the name) and ``summary``
    (one row per model).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame({"event": (rng.random(200) < 0.1).astype(int), "x": rng.normal(size=200),
    ...     "kommun_code": [f"{i:04d}" for i in range(100)] * 2,
    ...     "county_code": [f"{i % 10:02d}" for i in range(200)], "year": [2011] * 100 + [2012] * 100})
    >>> res = diffusion_models(d, ["x"])
    >>> sorted(res.models), res.table.loc[res.table["term"] == "x", "model"].tolist()
    (['firth', 'ml_county', 'ml_kommun'], ['firth', 'ml_kommun', 'ml_county'])
    """

    models: dict
    table: pd.DataFrame
    summary: pd.DataFrame


def diffusion_models(
    data: pd.DataFrame,
    covariates: str | Sequence[str] = DIFFUSION_COVARIATES,
    *,
    per: Mapping[str, float] | None = None,
) -> DiffusionModels:
    """The main diffusion model three ways: Firth (main), ML clustered by municipality, by county.

    The county-clustered errors come from the municipality-clustered fit (:func:`recluster`).

    Parameters
    ----------
    data
        :func:`diffusion_panel`.
    covariates
        Default :data:`DIFFUSION_COVARIATES`.
    per
        Units of :func:`rescale_terms`.

    Returns
    -------
    DiffusionModels

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame({"event": (rng.random(200) < 0.1).astype(int), "x": rng.normal(size=200),
    ...     "kommun_code": [f"{i:04d}" for i in range(100)] * 2, "county_code": [f"{i % 10:02d}" for i in range(200)],
    ...     "year": [2011] * 100 + [2012] * 100})
    >>> list(diffusion_models(d, ["x"]).summary["model"])
    ['firth', 'ml_kommun', 'ml_county']
    """
    models = {"firth": fit_diffusion(data, covariates, method="firth"),
              "ml_kommun": fit_diffusion(data, covariates, method="ml", cluster="kommun_code")}
    models["ml_county"] = recluster(models["ml_kommun"], data, "county_code")
    table = pd.concat([rescale_terms(r.coef, per).assign(model=k) for k, r in models.items()], ignore_index=True)
    summary = pd.concat([r.summary.assign(model=k) for k, r in models.items()], ignore_index=True)
    lead = ["model"]
    return DiffusionModels(models, table[lead + [c for c in table.columns if c not in lead]],
                           summary[["model"] + [c for c in summary.columns if c != "model"]])


class DiffusionVariants(NamedTuple):
    """Result of :func:`diffusion_variants`: ``models`` (name -> ModelResult) and ``table``, one
    row per model for the term (ratio per :data:`DIFFUSION_UNITS`).

    Examples
    --------
    Models fitted already are passed in and only tabulated (here one small model stands in for
    the three variants):

    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame({"event": (rng.random(200) < 0.1).astype(int), "x": rng.normal(size=200),
    ...     "kommun_code": [f"{i:04d}" for i in range(100)] * 2, "year": [2011] * 100 + [2012] * 100})
    >>> m = fit_diffusion(d, ["x"], method="firth", ci="wald")
    >>> fitted = {f"firth_{v}": m for v in DIFFUSION_VARIANTS}
    >>> res = diffusion_variants(None, None, 2012, covariates=["x"], term="x", methods=("firth",), fitted=fitted)
    >>> res.table["term"].tolist(), sorted(res.models) == sorted(fitted)
    (['firth_start', 'firth_evidence', 'firth_no_undated'], True)
    """

    models: dict
    table: pd.DataFrame


def diffusion_variants(
    panel: pd.DataFrame,
    partnerships: pd.DataFrame,
    end_year: int,
    *,
    covariates: str | Sequence[str] = DIFFUSION_COVARIATES,
    term: str = "neighbour_share_lag",
    methods: Sequence[str] = ("firth", "ml"),
    lagged: Mapping[str, pd.DataFrame] | None = None,
    fitted: Mapping[str, Any] | None = None,
    per: Mapping[str, float] | None = None,
    ci: Literal["profile", "wald"] = "wald",
    **sources: Any,
) -> DiffusionVariants:
    """Refit the diffusion model under the variants of :data:`DIFFUSION_VARIANTS`.

    ``start``: adoption = the first dated start (main); ``evidence``: the first dated start
    or end (neighbours and regions dated the same way); ``no_undated``: municipalities with
    found but undated agreements left out instead of censored.

    Parameters
    ----------
    panel, partnerships, end_year
        As for :func:`diffusion_panel`.
    covariates, term
        The models' covariates and the term tabulated.
    methods
        ``"firth"`` and/or ``"ml"`` (clustered by municipality); keys are
        ``"<method>_<variant>"``.
    lagged
        :func:`lagged_covariates` per ``event_time`` to reuse.
    fitted
        Models already fitted, by key, to reuse.
    per
        Units of :func:`rescale_terms`.
    ci
        Intervals of the Firth fits refitted here (default ``"wald"``, from the penalised
        information: a profile interval costs about 30 penalised fits per term; pass the main
        model with profile intervals in ``fitted``).
    **sources
        For :func:`lagged_covariates`.

    Returns
    -------
    DiffusionVariants
        ``table`` has ``term`` (the key), ``variant``, ``method`` … as
        :func:`iopstudy.spread.describe.term_table`, with ``per``.

    Examples
    --------
    >>> list(DIFFUSION_VARIANTS)  # the keys are "<method>_<variant>", e.g. "firth_evidence"
    ['start', 'evidence', 'no_undated']
    """
    from iopstudy.spread.describe import term_table

    have = dict(fitted or {})
    cache = dict(lagged or {})
    spec = {"start": ("first_iop_year", False), "evidence": ("first_evidence_year", False),
            "no_undated": ("first_iop_year", True)}
    models = {}
    for variant, (et, drop) in spec.items():
        for m in methods:
            key = f"{m}_{variant}"
            if key in have:
                models[key] = have[key]
                continue
            if et not in cache:
                cache[et] = lagged_covariates(panel, partnerships, event_time=et, **sources)
            dp = diffusion_panel(panel, partnerships, end_year, event_time=et, drop_undated_adopters=drop,
                                 covariates=cache[et])
            models[key] = fit_diffusion(dp, covariates, method=m, cluster="kommun_code", ci=ci)
    table = term_table(models, term)
    units = DIFFUSION_UNITS if per is None else dict(per)
    f = float(units.get(term, 1.0))
    table["estimate"] = table["estimate"] * f
    for c in ("ratio", "ratio_ci_low", "ratio_ci_high"):
        table[c] = table[c] ** f
    table.insert(1, "variant", [k.split("_", 1)[1] for k in table["term"]])
    table.insert(2, "per", f)
    return DiffusionVariants(models, table)


# --------------------------------------------------------------------------- published counts
def _decimal_year(date: str, precision: str) -> float:
    s = str(date).strip()
    if not s:
        return float("nan")
    if len(s) == 4 and s.isdigit():
        return int(s) + 0.5
    d = pd.Timestamp(s)
    if precision in ("month", "season"):
        return d.year + (d.month - 0.5) / 12
    return d.year + (d.day_of_year - 0.5) / (366 if d.is_leap_year else 365)


def published_municipal_counts(published: pd.DataFrame) -> pd.DataFrame:
    """The published counts of *municipalities* (scope "Sweden: municipalities").

    Parameters
    ----------
    published
        :func:`iopstudy.register.literature.read_published_counts`.

    Returns
    -------
    pandas.DataFrame
        Those rows, with ``x`` (float64: the date as a decimal year, mid-period for a year
        or month). Empty when the file has no such row.

    Examples
    --------
    >>> pub = pd.DataFrame({"date": ["2024-03-25", "2023"], "date_precision": ["day", "year"],
    ...     "count": [10, 94], "count_text": ["10", "94"], "scope": ["Sweden: municipalities", "Sweden"],
    ...     "what": ["municipalities with an IOP of some kind", "IOPs"], "source_url": ["u", "v"]})
    >>> published_municipal_counts(pub)[["count", "x"]].round(2).values.tolist()
    [[10.0, 2024.23]]
    """
    require_columns(published, ["date", "date_precision", "count", "scope"], "published_municipal_counts")
    scope = published["scope"].astype(str).str.strip()
    out = published.loc[scope.str.fullmatch(r"(?i)sweden:\s*municipalities")].reset_index(drop=True)
    out["x"] = [_decimal_year(d, p) for d, p in zip(out["date"], out["date_precision"])]
    return out


def municipal_adoption_counts(window_panel: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """The register's adoption curve in *numbers of municipalities*, and the published counts.

    Parameters
    ----------
    window_panel
        The panel's years of the observation window (``year``, ``kommun_code``,
        ``first_iop_year``, ``ever_adopted``), e.g. :func:`iopstudy.spread.describe.observation_window`.
    published
        :func:`iopstudy.register.literature.read_published_counts`.

    Returns
    -------
    pandas.DataFrame
        ``series`` (``register_dated``: municipalities with a first dated start by the year;
        ``register_found``: with any found agreement, dated or not, placed at the last year;
        ``published``: :func:`published_municipal_counts`), ``x`` (decimal year; a
        register year ``t`` is placed at its end, ``t + 1``), ``year``, ``count``,
        ``count_text``, ``what``, ``source_url``.

    Examples
    --------
    >>> wp = pd.DataFrame({"kommun_code": ["a", "a", "b", "b"], "year": [2011, 2012] * 2,
    ...     "first_iop_year": pd.array([2012, 2012, None, None], dtype="Int64"), "ever_adopted": [True] * 4})
    >>> empty = pd.DataFrame(columns=["date", "date_precision", "count", "scope"])
    >>> municipal_adoption_counts(wp, empty)[["series", "year", "count"]].values.tolist()
    [['register_dated', 2011, 0], ['register_dated', 2012, 1], ['register_found', 2012, 2]]
    """
    require_columns(window_panel, ["kommun_code", "year", "first_iop_year", "ever_adopted"], "municipal_adoption_counts")
    first = pd.to_numeric(window_panel["first_iop_year"]).astype("float64")
    dated = (first <= window_panel["year"]).groupby(window_panel["year"]).sum().astype("int64")
    end = int(window_panel["year"].max())
    last = window_panel[window_panel["year"] == end]
    rows = [{"series": "register_dated", "x": float(y) + 1.0, "year": int(y), "count": int(n), "count_text": str(int(n)),
                 "what": "", "source_url": ""} for y, n in dated.items()]
    rows.append({"series": "register_found", "x": end + 1.0, "year": end, "count": int(last["ever_adopted"].astype(bool).sum()),
                     "count_text": str(int(last["ever_adopted"].astype(bool).sum())), "what": "", "source_url": ""})
    pub = published_municipal_counts(published)
    for r in pub.itertuples(index=False):
        rows.append({"series": "published", "x": float(r.x), "year": int(np.floor(r.x)), "count": int(r.count),
                         "count_text": str(getattr(r, "count_text", r.count)), "what": str(getattr(r, "what", "")),
                         "source_url": str(getattr(r, "source_url", ""))})
    out = pd.DataFrame(rows, columns=["series", "x", "year", "count", "count_text", "what", "source_url"])
    out["count"] = out["count"].astype("int64")
    out["year"] = out["year"].astype("int64")
    return out
