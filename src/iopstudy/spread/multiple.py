"""Tests that match the design: multiplicity corrections and cluster permutation tests.

Agreements of one public body (or one web page) are not independent observations: one list of
13 culture agreements counts 13 times in an agreement-level chi-square test. And a notebook
that runs a dozen tests needs a stated correction for the family.

=========================  ===================================================
adjust_pvalues             Holm and Benjamini–Hochberg over a table of tests
cluster_permutation_test   chi-square test with a permutation at the cluster level
cluster_influence          each test again without one cluster (leave-one-out)
=========================  ===================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from iopstudy.errors import InputError
from iopstudy.spread.design import check_no_na, require_columns
from iopstudy.spread.results import DEFAULT_SEED, TEST_COLUMNS

__all__ = [
    "adjust_pvalues",
    "cluster_permutation_test",
    "cluster_influence",
]

_METHOD_COLUMN = {"holm": "holm", "fdr_bh": "bh", "bonferroni": "bonferroni", "fdr_by": "by",
                  "hommel": "hommel", "sidak": "sidak", "holm-sidak": "holm_sidak"}


def adjust_pvalues(
    tests: pd.DataFrame,
    *,
    p: str = "p_value",
    methods: Sequence[str] = ("holm", "fdr_bh"),
    family: str | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Adjust the p-values of a family of tests (Holm, Benjamini–Hochberg, …).

    Parameters
    ----------
    tests
        One row per test with a ``p`` column (e.g. the test tables of
        :func:`~iopstudy.spread.contingency.contingency_test` stacked, with
        a column naming each test).
    p
        Column of unadjusted p-values. Missing p-values (tests not run) stay
        missing and are not counted in the family.
    methods
        Methods of :func:`statsmodels.stats.multitest.multipletests`:
        ``"holm"`` (family-wise error rate), ``"fdr_bh"`` (false discovery
        rate), ``"bonferroni"``, ….
    family
        Optional column: adjust within each family separately.
    alpha
        Level of the ``reject_*`` columns.

    Returns
    -------
    pandas.DataFrame
        ``tests`` with ``family_size`` and, per method, ``p_<m>`` and
        ``reject_<m>`` (``m`` = ``holm``, ``bh``, ``bonferroni``, …),
        in the original row order.

    Notes
    -----
    With *m* tests and ordered p-values :math:`p_{(1)} \\le \\dots \\le
    p_{(m)}`, Holm (1979): :math:`\\tilde p_{(i)} = \\max_{j \\le i}
    \\min(1, (m - j + 1) p_{(j)})`, which controls the family-wise error
    rate under any dependence; Benjamini & Hochberg (1995):
    :math:`\\tilde p_{(i)} = \\min_{j \\ge i} \\min(1, m p_{(j)}/j)`,
    which controls the false discovery rate for independent or positively
    dependent tests. State which family was corrected: the tests of one
    notebook, or of one question.

    Examples
    --------
    >>> t = pd.DataFrame({"test": ["a", "b", "c"], "p_value": [0.01, 0.04, 0.03]})
    >>> adjust_pvalues(t)[["p_holm", "p_bh"]].round(3).values.tolist()
    [[0.03, 0.03], [0.06, 0.04], [0.06, 0.04]]
    """
    from statsmodels.stats.multitest import multipletests

    require_columns(tests, [p] + ([family] if family else []), "adjust_pvalues")
    out = tests.copy()
    pv = pd.to_numeric(out[p], errors="coerce").to_numpy(dtype=float)
    if np.any((pv < 0) | (pv > 1)):
        raise InputError(f"adjust_pvalues: {p!r} holds values outside [0, 1]", column=p)
    fam = out[family].astype(str).to_numpy() if family else np.zeros(len(out), dtype=int).astype(str)
    size = np.zeros(len(out), dtype="int64")
    cols: dict[str, np.ndarray] = {}
    for m in methods:
        name = _METHOD_COLUMN.get(m, m.replace("-", "_"))
        cols[f"p_{name}"] = np.full(len(out), np.nan)
        cols[f"reject_{name}"] = np.zeros(len(out), dtype=bool)
    for f in pd.unique(fam):
        idx = np.flatnonzero((fam == f) & ~np.isnan(pv))
        size[fam == f] = len(idx)
        if not len(idx):
            continue
        for m in methods:
            name = _METHOD_COLUMN.get(m, m.replace("-", "_"))
            rej, padj, _, _ = multipletests(pv[idx], alpha=alpha, method=m)
            cols[f"p_{name}"][idx] = padj
            cols[f"reject_{name}"][idx] = rej
    out["family_size"] = size
    for c, v in cols.items():
        out[c] = v
    return out


# --------------------------------------------------------------------------- permutation tests
# permutations whose statistics are computed at once: at most _MAX_BATCH, and at most about
# _MAX_BATCH_VALUES group codes (or table cells) in one batch, whatever the number of rows
_MAX_BATCH = 2_000
_MAX_BATCH_VALUES = 2**21


def _chi2_stat(g: np.ndarray, o: np.ndarray, G: int, O: int) -> float:
    tab = np.bincount(g * O + o, minlength=G * O).reshape(G, O).astype(float)
    n = tab.sum()
    exp = tab.sum(axis=1)[:, None] * tab.sum(axis=0)[None, :] / n
    ok = exp > 0
    return float(np.sum((tab[ok] - exp[ok]) ** 2 / exp[ok]))


def _chi2_stats(g: np.ndarray, o: np.ndarray, G: int, O: int) -> np.ndarray:
    """Pearson :math:`X^2` of many group × outcome tables at once.

    Parameters
    ----------
    g
        Group codes, one row per table (shape ``(B, n)``), e.g. permuted labels.
    o
        Outcome codes of the ``n`` rows, shared by all tables.
    G, O
        Numbers of groups and of outcomes.

    Returns
    -------
    numpy.ndarray
        ``B`` statistics, each bitwise equal to :func:`_chi2_stat` of its row.

    Notes
    -----
    One :func:`numpy.bincount` over ``b·G·O + g·O + o`` counts all ``B`` tables. Every step
    repeats :func:`_chi2_stat` per table: the margins are sums of counts, hence exact in any
    order; the expected counts and the cell terms are the same elementwise operations; and each
    row's terms are summed by one reduction over the contiguous last axis, as
    :func:`_chi2_stat` sums its one-dimensional array of ``G·O`` terms. A table with an
    empty margin (some expected count 0) is summed over its cells with a positive expected
    count, as :func:`_chi2_stat` does.
    """
    B, K = g.shape[0], G * O
    cells = (np.arange(B)[:, None] * K + g * O + o).ravel()
    tab = np.bincount(cells, minlength=B * K).reshape(B, G, O).astype(float)
    n = tab.sum(axis=(1, 2))
    exp = tab.sum(axis=2)[:, :, None] * tab.sum(axis=1)[:, None, :] / n[:, None, None]
    ok = exp > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = (tab - exp) ** 2 / exp
    x2 = terms.reshape(B, K).sum(axis=1)
    for b in np.flatnonzero(~ok.reshape(B, K).all(axis=1)):
        x2[b] = np.sum(terms[b][ok[b]])
    return x2


def _codes(s: pd.Series) -> tuple[np.ndarray, list]:
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.cat.remove_unused_categories()
        return s.cat.codes.to_numpy().astype(int), list(s.cat.categories)
    codes, uniq = pd.factorize(s, sort=True)
    return codes.astype(int), list(uniq)


def cluster_permutation_test(
    data: pd.DataFrame,
    group: str,
    outcome: str,
    cluster: str,
    *,
    scheme: Literal["auto", "between", "within"] = "auto",
    n_resamples: int = 9_999,
    seed: int = DEFAULT_SEED,
    dropna: bool = True,
) -> pd.DataFrame:
    """Chi-square test of a group × outcome table, permuted at the level of clusters.

    Parameters
    ----------
    data
        One row per observation (agreement), e.g. the partnerships with the
        group attached.
    group, outcome
        The two categorical columns (e.g. size class and policy area).
    cluster
        The unit observations come in (``public_body_name`` or
        ``source_url``).
    scheme
        ``"between"``: permute the group labels *between* clusters, each
        cluster keeping all its rows (needs a group constant within
        clusters, such as the size class of a municipality);
        ``"within"``: permute the group labels *within* each cluster (a
        stratified permutation: a test of association given the cluster);
        ``"auto"``: between if the group is constant within clusters, else
        within.
    n_resamples, seed
        Permutations and their seed.
    dropna
        Drop rows with a missing group, outcome or cluster (counted in the
        note); if False they raise.

    Returns
    -------
    pandas.DataFrame
        One row: the columns of :data:`~iopstudy.spread.results.TEST_COLUMNS`
        (``statistic`` = Pearson :math:`X^2` of the row-level table,
        ``p_value`` = the permutation p-value) and ``n, n_clusters, scheme,
        n_resamples, seed, naive_p_value`` (the chi-square p-value that
        treats rows as independent).

    Notes
    -----
    :math:`X^2 = \\sum_{ij}(O_{ij} - E_{ij})^2 / E_{ij}` on the row-level
    table, recomputed for every permutation; :math:`p = (1 + \\#\\{X^{2*}
    \\ge X^2\\})/(B + 1)` (Phipson & Smyth 2010). Between-cluster
    permutation is the randomisation test of cluster-level designs (Gail et
    al. 1996, Stat. Med. 15:1069–1092): under the null hypothesis that the
    cluster's group is unrelated to its rows' outcomes, the clusters'
    labels are exchangeable, however strongly the rows of one cluster
    resemble each other; one body's long list then moves as a block and
    can no longer pass as many independent observations. Within-cluster
    permutation tests the association that remains inside clusters, as a
    Cochran–Mantel–Haenszel test does; a cluster whose rows share one
    group value contributes nothing to it.

    Examples
    --------
    >>> d = pd.DataFrame({"body": list("aaaabbcd"), "size": list("LLLLSSLS"),
    ...                   "area": list("xxxxyyxy")})
    >>> r = cluster_permutation_test(d, "size", "area", "body", n_resamples=999)
    >>> r[["scheme", "n_clusters"]].values.tolist()
    [['between', 4]]
    >>> bool(r["p_value"].iloc[0] > r["naive_p_value"].iloc[0])
    True
    """
    from scipy import stats

    where = "cluster_permutation_test"
    require_columns(data, [group, outcome, cluster], where)
    notes: list[str] = []
    d = data[[group, outcome, cluster]]
    if dropna:
        miss = d.isna().any(axis=1)
        if miss.any():
            notes.append(f"{int(miss.sum())} row(s) with a missing {group}, {outcome} or {cluster} left out")
        d = d.loc[~miss]
    else:
        check_no_na(d, [group, outcome, cluster], where)
    g, glev = _codes(d[group])
    o, olev = _codes(d[outcome])
    c, clev = _codes(d[cluster].astype(str))
    G, O, C = len(glev), len(olev), len(clev)
    per_cluster = pd.Series(g).groupby(c).nunique()
    constant = bool((per_cluster <= 1).all())
    if scheme == "auto":
        scheme = "between" if constant else "within"
    if scheme == "between" and not constant:
        raise InputError(
            f"{where}: {group!r} varies within some {cluster!r}, so its labels cannot be permuted "
            "between clusters; use scheme='within', or a cluster in which it is constant",
            column=group,
        )
    if scheme not in ("between", "within"):
        raise InputError(f"{where}: scheme must be 'auto', 'between' or 'within', not {scheme!r}")
    obs = _chi2_stat(g, o, G, O)
    tab = np.bincount(g * O + o, minlength=G * O).reshape(G, O)
    tab = tab[tab.sum(axis=1) > 0][:, tab.sum(axis=0) > 0]
    naive = stats.chi2_contingency(tab, correction=False) if min(tab.shape) > 1 else None
    rng = np.random.default_rng(seed)
    hits = 0
    batch = max(1, min(_MAX_BATCH, _MAX_BATCH_VALUES // max(len(g), G * O, 1)))
    sizes = [min(batch, n_resamples - start) for start in range(0, n_resamples, batch)]
    if scheme == "between":
        cg = np.zeros(C, dtype=int)
        cg[c] = g
        for size in sizes:
            # one rng.permutation per resample, in order: the same draws as one at a time
            gp = np.stack([rng.permutation(cg) for _ in range(size)])[:, c]
            hits += int(np.count_nonzero(_chi2_stats(gp, o, G, O) >= obs - 1e-9))
        text = f"between {cluster} ({C} clusters keep their rows together)"
    else:
        order = np.argsort(c, kind="stable")
        g_sorted = g[order]
        for size in sizes:
            # rng.random((size, n)) is rng.random(n) drawn size times, row after row, and a
            # stable sort by cluster, then by the draw, is the same for each row alone
            u = rng.random((size, len(c)))
            perm = np.lexsort((u, np.broadcast_to(c, u.shape)), axis=-1)
            gp = np.empty((size, len(g)), dtype=g.dtype)
            gp[np.arange(size)[:, None], perm] = g_sorted
            hits += int(np.count_nonzero(_chi2_stats(gp, o, G, O) >= obs - 1e-9))
        moving = int((per_cluster > 1).sum())
        text = f"within {cluster} ({moving} of {C} clusters have more than one {group} value)"
        if moving == 0:
            notes.append("no cluster has more than one group value: nothing moves, p = 1")
    p = (hits + 1) / (n_resamples + 1)
    notes.insert(0, f"permutation of {group} {text}, {n_resamples} permutations, seed {seed}; "
                    "naive_p_value treats rows as independent")
    n = len(g)
    v = float(np.sqrt(obs / (n * (min(tab.shape) - 1)))) if min(tab.shape) > 1 else np.nan
    row = dict(test=f"cluster permutation chi-square ({scheme} {cluster})", statistic=obs,
               dof=int((tab.shape[0] - 1) * (tab.shape[1] - 1)), p_value=float(p), cramers_v=v,
               min_expected=float(naive.expected_freq.min()) if naive is not None else np.nan,
               rule="permutation at the cluster level (no expected-count rule)",
               note="; ".join(notes), n=n, n_clusters=C, scheme=scheme, n_resamples=n_resamples,
               seed=seed, naive_p_value=float(naive.pvalue) if naive is not None else np.nan)
    return pd.DataFrame([row])[TEST_COLUMNS + ["n", "n_clusters", "scheme", "n_resamples", "seed",
                                              "naive_p_value"]]


def cluster_influence(
    data: pd.DataFrame,
    group: str,
    outcome: str,
    cluster: str,
    *,
    n_resamples: int = 9_999,
    seed: int = DEFAULT_SEED,
    min_rows: int = 1,
) -> pd.DataFrame:
    """The test of a group × outcome table again without each cluster in turn.

    Parameters
    ----------
    data, group, outcome, cluster
        As for :func:`cluster_permutation_test`; rows with missing values
        are left out.
    n_resamples, seed
        Passed to :func:`~iopstudy.spread.contingency.contingency_test`.
    min_rows
        Leave out only clusters with at least this many rows.

    Returns
    -------
    pandas.DataFrame
        First row ``left_out = "(none)"`` (all data), then one row per
        cluster, largest first: ``left_out, rows_left_out, n, test,
        statistic, p_value, cramers_v, min_expected``.

    Notes
    -----
    A jackknife of the test: if leaving out one public body (or one web
    page) moves the p-value across a threshold, that body, not a pattern
    among many, carries the result. The test is
    :func:`~iopstudy.spread.contingency.contingency_test` (chi-square or
    exact, by the expected counts).

    Examples
    --------
    >>> d = pd.DataFrame({"body": list("aaaaabcd"), "size": list("LLLLLSLS"), "area": list("xxxxxyxy")})
    >>> cluster_influence(d, "size", "area", "body", n_resamples=99)["left_out"].tolist()[:2]
    ['(none)', 'a']
    """
    from iopstudy.spread.contingency import contingency_test

    require_columns(data, [group, outcome, cluster], "cluster_influence")
    d = data[[group, outcome, cluster]].dropna()
    sizes = d[cluster].astype(str).value_counts()
    sizes = sizes[sizes >= min_rows]
    sizes = sizes.sort_index().sort_values(ascending=False, kind="mergesort")
    rows = []
    for name, n_left in [("(none)", 0), *sizes.items()]:
        sub = d if name == "(none)" else d[d[cluster].astype(str) != name]
        tab = pd.crosstab(sub[group], sub[outcome])
        t = contingency_test(tab.to_numpy(), n_resamples=n_resamples, seed=seed).iloc[0]
        rows.append(dict(left_out=name, rows_left_out=int(n_left), n=len(sub), test=t["test"],
                         statistic=t["statistic"], p_value=t["p_value"], cramers_v=t["cramers_v"],
                         min_expected=t["min_expected"]))
    return pd.DataFrame(rows)
