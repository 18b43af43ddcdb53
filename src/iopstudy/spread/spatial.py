"""Spatial clustering of found adoption: join counts, Moran's I and local clusters (LISA).

=========================  ==============================================================
adoption_status            one row per municipality: dated / undated adopter / none found
rate_per_10k               agreements per 10 000 inhabitants
join_count_test            are adopters next to adopters more often than by chance?
morans_i                   global Moran's I of a value, with a permutation p-value
local_clusters             local Moran's I (LISA): HH, LL, HL, LH or ns per unit
clustering_tests           the join-count test and Moran's I in one table
=========================  ==============================================================

All statistics are computed by `esda <https://pysal.org/esda/>`_ on libpysal weights
(default: :func:`iopstudy.reference.geography.spatial_weights`, shared border or corner,
islands linked to their nearest municipalities). p-values come from random permutations of
the values over the units (conditional permutations for the local statistics), with a fixed
seed, so they are the same on every run; global tests are one-sided, in the direction of
clustering (more adopter–adopter joins; I above its expectation).

**What a search-based register can support.** The register holds the agreements that could
be *found* on public web pages. A join-count or Moran test tells whether *found* agreements
lie closer together than a random placement over the 290 municipalities would put them. That
is what spatial diffusion produces (neighbours learning from each other, a region's
initiative, a shared non-profit), but it is equally what clustered searching produces: the
sources were found by queries naming cities and regions, a regional report lists the
agreements of its own county, and one organisation's page lists its partners in
neighbouring municipalities. A significant test therefore shows that the *found* agreements
cluster, not that IOP does; a non-significant one says nothing about municipalities whose
agreements were not found. Local clusters (LISA) locate where the found agreements are
dense, which is also where the sources were read most closely.

Examples
--------
>>> from libpysal.weights import lat2W
>>> import pandas as pd
>>> grid = pd.DataFrame({"kommun_code": [str(i) for i in range(16)],
...                      "x": [float((i // 4 + i % 4) % 2) for i in range(16)]})
>>> w = lat2W(4, 4, rook=True)
>>> w.remap_ids([str(i) for i in range(16)])
>>> round(float(morans_i(grid, "x", w, permutations=99)["statistic"].iloc[0]), 6)
-1.0
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from iopstudy.errors import InputError
from iopstudy.spread.design import require_columns
from iopstudy.spread.results import DEFAULT_SEED

__all__ = [
    "GLOBAL_PERMUTATIONS",
    "JOIN_COUNT_PERMUTATIONS",
    "LOCAL_PERMUTATIONS",
    "QUADRANTS",
    "SPATIAL_TEST_COLUMNS",
    "STATUS_LEVELS",
    "adoption_status",
    "clustering_tests",
    "join_count_test",
    "local_clusters",
    "morans_i",
    "rate_per_10k",
]

#: Adoption status of a municipality, in the order of the map legends.
STATUS_LEVELS = ("dated", "undated", "none")

#: esda's quadrant codes of the local Moran scatter plot -> cluster labels.
QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}

#: Default numbers of permutations: the global tests (join counts, Moran's I) and the local
#: statistics.
GLOBAL_PERMUTATIONS = 9999
JOIN_COUNT_PERMUTATIONS = GLOBAL_PERMUTATIONS
LOCAL_PERMUTATIONS = 999

#: Columns of the tables of the global tests.
SPATIAL_TEST_COLUMNS = [
    "test", "variable", "statistic", "expected", "z_sim", "p_value", "n", "n_joins",
    "permutations", "seed", "weights", "note",
]


# --------------------------------------------------------------------------- data
def adoption_status(last: pd.DataFrame, partnerships: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per municipality: whether (and how) a kommun-level agreement was found.

    Parameters
    ----------
    last
        One row per municipality (the panel's last year of the window) with ``kommun_code``,
        ``county_code``, ``ever_adopted``, ``first_iop_year``, ``iops_total`` and ``population``.
    partnerships
        The agreements; their ``level == "region"`` rows mark the counties whose region has
        a found agreement. None: no region column.

    Returns
    -------
    pandas.DataFrame
        ``kommun_code``, ``county_code``, ``status`` (ordered categorical
        :data:`STATUS_LEVELS`: ``dated`` = a dated first start, ``undated`` = agreements found
        but none with a start year, ``none`` = no agreement found), ``first_iop_year``
        (Int64), ``iops_total``, ``population``, ``iops_per_10k`` (float64) and
        ``region_agreement`` (bool: the county's region has a found region-level agreement).

    Examples
    --------
    >>> last = pd.DataFrame({"kommun_code": ["0114", "0115", "0117"], "county_code": ["01"] * 3,
    ...     "ever_adopted": [True, True, False], "iops_total": [2, 1, 0],
    ...     "first_iop_year": pd.array([2015, None, None], dtype="Int64"),
    ...     "population": [50_000, 40_000, 10_000]})
    >>> adoption_status(last)["status"].tolist()
    ['dated', 'undated', 'none']
    """
    need = ["kommun_code", "county_code", "ever_adopted", "first_iop_year", "iops_total", "population"]
    require_columns(last, need, "adoption_status")
    if last["kommun_code"].duplicated().any():
        raise InputError("adoption_status: one row per municipality expected (pass the last year of the panel)")
    out = last[need].copy()
    first = out["first_iop_year"].astype("Int64")
    status = np.where(first.notna().to_numpy(), "dated", np.where(out["ever_adopted"].astype(bool), "undated", "none"))
    out["status"] = pd.Categorical(status, list(STATUS_LEVELS), ordered=True)
    out["first_iop_year"] = first
    out["iops_per_10k"] = rate_per_10k(out)
    regions: set[str] = set()
    if partnerships is not None:
        require_columns(partnerships, ["level", "county_code"], "adoption_status")
        regions = set(partnerships.loc[partnerships["level"] == "region", "county_code"].dropna().astype(str))
    out["region_agreement"] = out["county_code"].astype(str).isin(regions)
    cols = ["kommun_code", "county_code", "status", "first_iop_year", "iops_total", "population",
            "iops_per_10k", "region_agreement"]
    return out[cols].sort_values("kommun_code", ignore_index=True)


def rate_per_10k(data: pd.DataFrame, count: str = "iops_total", population: str = "population") -> pd.Series:
    """``count`` per 10 000 inhabitants (float64).

    Examples
    --------
    >>> rate_per_10k(pd.DataFrame({"iops_total": [2, 0], "population": [40_000, 5_000]})).tolist()
    [0.5, 0.0]
    """
    require_columns(data, [count, population], "rate_per_10k")
    pop = pd.to_numeric(data[population]).astype("float64")
    if (pop <= 0).any() or pop.isna().any():
        raise InputError(f"rate_per_10k: {population!r} must be positive", column=population)
    return (pd.to_numeric(data[count]).astype("float64") / pop * 10_000).rename("iops_per_10k")


# --------------------------------------------------------------------------- helpers
def _esda() -> Any:
    """esda, imported without the notebook warning of its optional progress bar (tqdm.auto)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="IProgress not found")
        import esda
    return esda


@contextlib.contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """Seed NumPy's global generator (which esda's global tests draw from), then restore it."""
    state = np.random.get_state()
    np.random.seed(int(seed))
    try:
        yield
    finally:
        np.random.set_state(state)


def _weights(w: Any, transform: str) -> Any:
    import copy

    if w is None:
        from iopstudy.reference.geography import spatial_weights

        return spatial_weights(transform=transform)
    if isinstance(w, pd.DataFrame):
        from iopstudy.reference.geography import spatial_weights

        return spatial_weights(w, transform=transform)
    w = copy.deepcopy(w)  # never change the caller's W
    w.transform = transform
    return w


def _values(data: pd.DataFrame, value: str, w: Any, unit: str, where: str) -> np.ndarray:
    require_columns(data, [unit, value], where)
    if data[unit].duplicated().any():
        raise InputError(f"{where}: {unit!r} must identify one row per unit", column=unit)
    codes = data[unit].astype(str)
    ids = [str(i) for i in w.id_order]
    if set(codes) != set(ids):
        missing, extra = sorted(set(ids) - set(codes)), sorted(set(codes) - set(ids))
        raise InputError(
            f"{where}: the data and the weights have different units: missing from the data {missing[:10]}, "
            f"not in the weights {extra[:10]}"
        )
    y = pd.to_numeric(data.set_index(codes)[value].loc[ids], errors="coerce").astype("float64").to_numpy()
    if np.isnan(y).any():
        raise InputError(f"{where}: {value!r} has missing or non-numeric values", column=value)
    if w.islands:
        raise InputError(f"{where}: units without neighbours {list(w.islands)[:10]}; give them neighbours "
                         "(iopstudy.reference.geography.contiguity links islands)")
    return y


def _join_count_null(y: np.ndarray, wb: Any, permutations: int, seed: int) -> np.ndarray:
    """1–1 join counts of ``permutations`` random permutations of ``y``: esda's null, vectorised.

    esda's ``Join_Counts`` draws ``np.random.permutation(y)`` once per permutation from NumPy's
    global generator and recounts the joins of each with pandas and a chi-square table (about
    1 ms each). The same draws, from the same seed, are made here and counted at once as
    ``y' A y / 2`` (A the binary adjacency matrix), which gives esda's ``sim_bb`` exactly (the
    tests check this) in a fraction of the time.
    """
    with _seeded(seed):
        draws = np.stack([np.random.permutation(y) for _ in range(permutations)], axis=1)
    a = wb.sparse
    return 0.5 * np.asarray((draws * (a @ draws)).sum(axis=0), dtype=float).ravel()


def _tie_safe_p(observed: np.ndarray, simulated: np.ndarray, rtol: float = 1e-9) -> np.ndarray:
    """Folded pseudo p-values ``(min(k_ge, k_le) + 1) / (R + 1)``, ties within ``rtol`` counted.

    esda compares the simulated local statistics with the observed ones exactly; values that
    tie in exact arithmetic (a unit whose neighbours are all 0, redrawn as all 0) then differ
    in the last bits and count as less extreme, which makes many zero-valued units "LL
    clusters". Here such ties count as at least as extreme.
    """
    tol = rtol * np.maximum(1.0, np.abs(observed))[:, None]
    ge = (simulated >= observed[:, None] - tol).sum(axis=1)
    le = (simulated <= observed[:, None] + tol).sum(axis=1)
    return (np.minimum(ge, le) + 1.0) / (simulated.shape[1] + 1.0)


def _weights_text(w: Any) -> str:
    return f"{w.n} units, {int(w.s0 if w.transform == 'B' else w.nonzero)} joins (ordered pairs), transform {w.transform}"


# --------------------------------------------------------------------------- global tests
def join_count_test(
    data: pd.DataFrame,
    value: str = "ever_adopted",
    w: Any = None,
    *,
    unit: str = "kommun_code",
    permutations: int = JOIN_COUNT_PERMUTATIONS,
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """Join-count test: do units with ``value`` (1/True) border each other more than by chance?

    Parameters
    ----------
    data
        One row per unit with ``unit`` and a 0/1 (or boolean) ``value``.
    value
        The binary variable (default ``ever_adopted``: a found kommun-level agreement).
    w
        libpysal ``W``, a :func:`~iopstudy.reference.geography.contiguity` table, or None for
        the municipalities' contiguity. Binary weights are used.
    permutations, seed
        Random permutations of the values over the units, and the seed.

    Returns
    -------
    pandas.DataFrame
        One row, columns :data:`SPATIAL_TEST_COLUMNS`: ``statistic`` is the number of
        1–1 joins (each unordered neighbour pair once, esda's ``bb``), ``expected`` its mean
        over the permutations, ``p_value`` the share of permutations with at least as many
        1–1 joins (one-sided, with the observed counted: ``(k + 1) / (permutations + 1)``;
        esda's own ``p_sim_bb`` folds to the nearer tail instead). The permutations are
        esda's draws (see :func:`_join_count_null`).

    Examples
    --------
    >>> from libpysal.weights import lat2W
    >>> w = lat2W(4, 4, rook=True)
    >>> w.remap_ids([str(i) for i in range(16)])
    >>> d = pd.DataFrame({"kommun_code": [str(i) for i in range(16)], "x": [1] * 4 + [0] * 12})
    >>> r = join_count_test(d, "x", w, permutations=99).iloc[0]
    >>> float(r.statistic), int(r.n_joins)
    (3.0, 24)
    """
    esda = _esda()

    where = "join_count_test"
    wb = _weights(w, "b")
    y = _values(data, value, wb, unit, where)
    if not set(np.unique(y)) <= {0.0, 1.0}:
        raise InputError(f"{where}: {value!r} must be 0/1 or boolean", column=value)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The inplace keyword")  # esda 2.9 on pandas 3
        jc = esda.Join_Counts(y, wb, permutations=0)  # the observed statistic
    sim = _join_count_null(y, wb, int(permutations), seed)
    sd = float(np.std(sim))
    k = int(np.sum(sim >= float(jc.bb) - 1e-9))
    return pd.DataFrame([{
        "test": "join count (1–1 joins)", "variable": value, "statistic": float(jc.bb), "expected": float(np.mean(sim)),
        "z_sim": (float(jc.bb) - float(np.mean(sim))) / sd if sd > 0 else np.nan,
        "p_value": (k + 1) / (int(permutations) + 1), "n": int(wb.n), "n_joins": int(jc.J), "permutations": int(permutations),
        "seed": int(seed), "weights": _weights_text(wb),
        "note": f"{int(y.sum())} of {wb.n} units have {value}; one-sided permutation p-value (more 1–1 joins)",
    }])[SPATIAL_TEST_COLUMNS]


def morans_i(
    data: pd.DataFrame,
    value: str = "iops_per_10k",
    w: Any = None,
    *,
    unit: str = "kommun_code",
    permutations: int = GLOBAL_PERMUTATIONS,
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """Global Moran's I of ``value`` with a permutation p-value (row-standardised weights).

    Parameters
    ----------
    data, value, unit
        One row per unit; ``value`` numeric (default ``iops_per_10k``, agreements per 10 000
        inhabitants, :func:`rate_per_10k`).
    w, permutations, seed
        As for :func:`join_count_test`.

    Returns
    -------
    pandas.DataFrame
        One row, columns :data:`SPATIAL_TEST_COLUMNS`: ``statistic`` is I, ``expected``
        its expectation under randomness, -1/(n-1); ``z_sim`` the z-score against the
        permutations; ``p_value`` one-sided, in the direction of clustering (the share of
        permutations with an I at least as large, ``(k + 1) / (permutations + 1)``).

    Examples
    --------
    >>> from libpysal.weights import lat2W
    >>> w = lat2W(3, 3, rook=True)
    >>> w.remap_ids(list("abcdefghi"))
    >>> d = pd.DataFrame({"kommun_code": list("abcdefghi"), "x": [1.0, 0, 1, 0, 1, 0, 1, 0, 1]})
    >>> round(float(morans_i(d, "x", w, permutations=99)["statistic"].iloc[0]), 6)
    -1.0
    """
    esda = _esda()

    where = "morans_i"
    wr = _weights(w, "r")
    y = _values(data, value, wr, unit, where)
    if np.var(y) == 0:
        raise InputError(f"{where}: {value!r} is constant; Moran's I is not defined", column=value)
    with _seeded(seed):
        mi = esda.Moran(y, wr, transformation="r", permutations=int(permutations), two_tailed=False)
    k = int(np.sum(np.asarray(mi.sim) >= mi.I))
    return pd.DataFrame([{
        "test": "Moran's I", "variable": value, "statistic": float(mi.I), "expected": float(mi.EI), "z_sim": float(mi.z_sim),
        "p_value": (k + 1) / (int(permutations) + 1), "n": int(wr.n), "n_joins": int(wr.nonzero),
        "permutations": int(permutations), "seed": int(seed), "weights": _weights_text(wr),
        "note": "one-sided permutation p-value (I larger than by chance: clustering)",
    }])[SPATIAL_TEST_COLUMNS]


def clustering_tests(
    status: pd.DataFrame,
    w: Any = None,
    *,
    adopted: str = "ever_adopted",
    rate: str = "iops_per_10k",
    permutations: int = GLOBAL_PERMUTATIONS,
    join_permutations: int = JOIN_COUNT_PERMUTATIONS,
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """The join-count test of ``adopted`` and Moran's I of ``rate``, one row each.

    ``status`` is :func:`adoption_status` (``adopted`` is made from ``status != "none"`` when
    it is not a column); ``permutations`` are Moran's, ``join_permutations`` the join count's.

    Examples
    --------
    >>> from libpysal.weights import lat2W
    >>> w = lat2W(4, 4, rook=True)
    >>> w.remap_ids([str(i) for i in range(16)])
    >>> st = pd.DataFrame({"kommun_code": [str(i) for i in range(16)], "status": ["dated"] * 4 + ["none"] * 12,
    ...                    "iops_per_10k": [2.0] * 4 + [0.0] * 12})
    >>> clustering_tests(st, w, permutations=99, join_permutations=99)[["test", "statistic"]].round(3).values.tolist()
    [['join count (1–1 joins)', 3.0], ["Moran's I", 0.486]]
    """
    d = status
    if adopted not in d.columns and "status" in d.columns:
        d = d.assign(**{adopted: (d["status"].astype(str) != "none").astype(int)})
    jc = join_count_test(d, adopted, w, permutations=join_permutations, seed=seed)
    mi = morans_i(d, rate, w, permutations=permutations, seed=seed)
    return pd.concat([jc, mi], ignore_index=True)


# --------------------------------------------------------------------------- local clusters
def local_clusters(
    data: pd.DataFrame,
    value: str = "iops_per_10k",
    w: Any = None,
    *,
    unit: str = "kommun_code",
    permutations: int = LOCAL_PERMUTATIONS,
    seed: int = DEFAULT_SEED,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Local Moran's I (LISA) with the quadrant of each significant unit.

    Parameters
    ----------
    data, value, unit, w
        As for :func:`morans_i`.
    permutations, seed
        Conditional permutations (esda's ``crand``: the unit's value is held, its neighbours'
        values are drawn from the other units) and their seed.
    alpha
        A unit is a cluster when its pseudo p-value is below ``alpha``.

    Returns
    -------
    pandas.DataFrame
        One row per unit, in the order of ``data``: ``unit``, ``value`` (the value),
        ``lag`` (the mean of the neighbours' values), ``local_i``, ``quadrant`` (``HH``:
        high value, high neighbours; ``LL``; ``HL``: high among low; ``LH``), ``p_value``
        (folded pseudo p-value, ``(k + 1) / (permutations + 1)`` with ``k`` the simulated
        values at least as extreme in the observed direction; simulated values that tie with
        the observed one count as extreme, see Notes), ``cluster``
        (the quadrant when ``p_value < alpha``, else ``ns``; an ordered categorical
        HH, LL, HL, LH, ns), ``permutations``, ``seed``.

    Notes
    -----
    With 290 units and ``alpha = 0.05``, about 15 units are "significant" by chance alone;
    the p-values are not corrected for multiple testing (as in GeoDa's cluster maps).

    The statistics and the permutations are esda's (``Moran_Local``); the p-values are
    recomputed from its simulated values so that ties count. When most values are 0 (few
    municipalities with a found agreement), a 0 unit whose neighbours are all 0 has the same
    local I in about half of the permutations; esda (2.9) compares floating-point values
    exactly, so rounding makes those ties "smaller" and such units "significant LL". Counting
    ties within a relative 1e-9 removes that artefact.

    Examples
    --------
    >>> from libpysal.weights import lat2W
    >>> w = lat2W(5, 5, rook=True)
    >>> w.remap_ids([str(i) for i in range(25)])
    >>> x = [1.0 if (i // 5 < 2 and i % 5 < 2) else 0.0 for i in range(25)]
    >>> lc = local_clusters(pd.DataFrame({"kommun_code": [str(i) for i in range(25)], "x": x}), "x", w)
    >>> lc.loc[lc.kommun_code == "0", ["quadrant", "cluster"]].values.tolist()
    [['HH', 'HH']]
    """
    esda = _esda()

    where = "local_clusters"
    wr = _weights(w, "r")
    y = _values(data, value, wr, unit, where)
    if np.var(y) == 0:
        raise InputError(f"{where}: {value!r} is constant; local Moran's I is not defined", column=value)
    with warnings.catch_warnings():
        # esda announces a change of its default alternative; the p-values are recomputed below
        warnings.simplefilter("ignore", DeprecationWarning)
        lm = esda.Moran_Local(y, wr, transformation="r", permutations=int(permutations), seed=int(seed),
                              keep_simulations=True)
    ids = [str(i) for i in wr.id_order]
    lag = np.asarray(wr.sparse @ y).ravel()
    quad = pd.Series(np.asarray(lm.q).astype(int)).map(QUADRANTS).to_numpy()
    p = _tie_safe_p(np.asarray(lm.Is, dtype=float), np.asarray(lm.rlisas, dtype=float))
    cluster = np.where(p < alpha, quad, "ns")
    out = pd.DataFrame({
        unit: ids, value: y, "lag": lag, "local_i": np.asarray(lm.Is, dtype=float), "quadrant": quad,
        "p_value": p, "cluster": pd.Categorical(cluster, ["HH", "LL", "HL", "LH", "ns"], ordered=True),
        "permutations": int(permutations), "seed": int(seed),
    })
    order = data[unit].astype(str).tolist()
    return out.set_index(unit).loc[order].reset_index()
