"""Policy-area tables tested at the level of the public body (notebook 03).

The unit of the policy-area tables is the agreement, but agreements come in lists: one web page
of one municipality can hold a dozen culture agreements. A chi-square test on agreements counts
such a list a dozen times. :func:`area_cluster_test` prepares the agreements with the grouping
(size class or SKR group of the municipality, or period of the start year), tests the group ×
area table with a permutation at the level of the public body
(:func:`~iopstudy.spread.multiple.cluster_permutation_test`) and repeats the ordinary test
without each large body in turn (:func:`~iopstudy.spread.multiple.cluster_influence`).

=========================  ===================================================
area_cluster_test          permutation by public body, and the leave-one-body-out test
ClusterTest                its result: ``permutation``, ``influence``, ``data``
=========================  ===================================================
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from iopstudy.errors import InputError
from iopstudy.spread.design import require_columns
from iopstudy.spread.results import DEFAULT_SEED

__all__ = ["ClusterTest", "area_cluster_test"]


class ClusterTest(NamedTuple):
    """Result of :func:`area_cluster_test`: the ``permutation`` test (one row), the
    ``influence`` table (the test without each public body with at least ``min_rows`` rows)
    and the ``data`` tested (one row per agreement with the group).

    Examples
    --------
    >>> p = pd.DataFrame({"public_body_name": list("aaaabbcd"), "level": ["kommun"] * 8,
    ...     "kommun_code": list("11112234"), "policy_area_primary": list("xxxxyyxy")})
    >>> m = pd.DataFrame({"kommun_code": list("1234"), "size_class": list("LSLS")})
    >>> r = area_cluster_test(p, "size_class", municipalities=m, n_resamples=99, influence_resamples=99)
    >>> r._fields, len(r.data), r.data["size_class"].tolist()
    (('permutation', 'influence', 'data'), 8, ['L', 'L', 'L', 'L', 'S', 'S', 'L', 'S'])
    """

    permutation: pd.DataFrame
    influence: pd.DataFrame
    data: pd.DataFrame


def area_cluster_test(
    partnerships: pd.DataFrame,
    by: str,
    *,
    municipalities: pd.DataFrame | None = None,
    area: str = "policy_area_primary",
    cluster: str = "public_body_name",
    n_resamples: int = 9_999,
    influence_resamples: int = 1_999,
    min_rows: int = 3,
    seed: int = DEFAULT_SEED,
) -> ClusterTest:
    """Test a group × policy-area table with the public body as the unit of permutation.

    Parameters
    ----------
    partnerships
        The processed agreements.
    by
        ``"size_class"``, ``"skr_main_group"``, ``"skr_group"`` (a trait of the municipality:
        kommun-level agreements only, joined on ``kommun_code``), ``"period"`` (period of the
        start year, :func:`~iopstudy.spread.curves.period_of`; dated agreements only) or a
        column of ``partnerships``.
    municipalities
        The reference table, needed for the traits of the municipality.
    area, cluster
        The outcome column and the cluster (the public body; ``"source_url"`` for the page).
    n_resamples, influence_resamples
        Permutations of the cluster test, and Monte Carlo resamples of each leave-one-out test.
    min_rows
        Clusters with fewer rows are not left out one by one.
    seed
        Seed of both.

    Returns
    -------
    ClusterTest

    Notes
    -----
    A group that is constant within a body (the size class of a municipality) is permuted
    *between* bodies: each body's agreements move together. A group that varies within bodies
    (the period of the start year) is permuted *within* them, which tests the association that
    remains inside bodies. See :func:`~iopstudy.spread.multiple.cluster_permutation_test`.

    Examples
    --------
    >>> p = pd.DataFrame({"public_body_name": list("aaaabbcd"), "level": ["kommun"] * 8,
    ...     "kommun_code": list("11112234"), "policy_area_primary": list("xxxxyyxy")})
    >>> m = pd.DataFrame({"kommun_code": list("1234"), "size_class": list("LSLS")})
    >>> r = area_cluster_test(p, "size_class", municipalities=m, n_resamples=99, influence_resamples=99)
    >>> r.permutation["scheme"].iloc[0], r.influence["left_out"].tolist()[:2]
    ('between', ['(none)', 'a'])
    """
    from iopstudy.spread.multiple import cluster_influence, cluster_permutation_test

    require_columns(partnerships, [area, cluster], "area_cluster_test")
    traits = ("size_class", "skr_main_group", "skr_group")
    if by in traits:
        if municipalities is None:
            raise InputError(f"area_cluster_test: by={by!r} needs the municipalities table")
        d = partnerships[partnerships["level"] == "kommun"].copy()
        col = municipalities.set_index("kommun_code")[by]
        d[by] = d["kommun_code"].map(col)
        if isinstance(col.dtype, pd.CategoricalDtype):
            d[by] = pd.Categorical(d[by], categories=col.cat.categories, ordered=col.cat.ordered)
    elif by == "period":
        from iopstudy.spread.curves import period_of

        d = partnerships.assign(period=period_of(partnerships["start_year"]))
    elif by in partnerships.columns:
        d = partnerships.copy()
    else:
        raise InputError(f"area_cluster_test: no column or trait {by!r}", column=by)
    d = d.dropna(subset=[by, area, cluster])
    perm = cluster_permutation_test(d, by, area, cluster, n_resamples=n_resamples, seed=seed)
    infl = cluster_influence(d, by, area, cluster, n_resamples=influence_resamples, seed=seed,
                             min_rows=min_rows)
    return ClusterTest(perm, infl, d)
