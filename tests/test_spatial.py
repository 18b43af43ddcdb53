"""Join counts, Moran's I and LISA against esda/libpysal on small regular grids with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from libpysal.weights import lat2W

from iopstudy.errors import InputError
from iopstudy.spread import spatial as SP


def grid(n: int, rook: bool = True):
    w = lat2W(n, n, rook=rook)
    ids = [f"{i:04d}" for i in range(n * n)]
    w.remap_ids(ids)
    return w, ids


def frame(ids, values, name="x") -> pd.DataFrame:
    return pd.DataFrame({"kommun_code": ids, name: values})


def checkerboard(n: int) -> list[float]:
    return [float((i // n + i % n) % 2) for i in range(n * n)]


def test_checkerboard_gives_morans_i_of_minus_one():
    w, ids = grid(6)
    r = SP.morans_i(frame(ids, checkerboard(6)), "x", w, permutations=199)
    assert r["statistic"].iloc[0] == pytest.approx(-1.0, abs=1e-12)
    assert r["p_value"].iloc[0] == 1.0  # no permutation is more clustered... all are at least as large
    assert r["expected"].iloc[0] == pytest.approx(-1 / 35)


def test_morans_i_matches_esda_with_the_same_draws():
    import esda

    w, ids = grid(7)
    y = np.random.default_rng(5).normal(size=49).cumsum()
    ours = SP.morans_i(frame(ids, y), "x", w, permutations=499, seed=11).iloc[0]
    np.random.seed(11)
    w.transform = "r"
    mi = esda.Moran(y, w, permutations=499, two_tailed=False)
    assert ours.statistic == pytest.approx(mi.I, abs=1e-12)
    assert ours.p_value == pytest.approx((np.sum(mi.sim >= mi.I) + 1) / 500)
    assert ours.z_sim == pytest.approx(mi.z_sim)


def test_join_count_statistic_and_null_are_esdas():
    import esda

    from iopstudy.spread.spatial import join_count_test

    w, ids = grid(6, rook=False)
    y = (np.random.default_rng(2).random(36) < 0.35).astype(float)
    ours = join_count_test(frame(ids, y), "x", w, permutations=299, seed=3).iloc[0]
    np.random.seed(3)
    w.transform = "b"
    jc = esda.Join_Counts(y, w, permutations=299)
    sim = np.asarray(jc.sim_bb, dtype=float)
    assert ours.statistic == jc.bb
    assert ours.n_joins == jc.J
    assert ours.expected == pytest.approx(sim.mean())
    assert ours.p_value == pytest.approx((np.sum(sim >= jc.bb) + 1) / 300)


def test_join_counts_of_a_block_and_a_checkerboard():
    w, ids = grid(4)
    block = [1.0] * 4 + [0.0] * 12  # the first row: 3 adjacent 1-1 joins under rook contiguity
    r = SP.join_count_test(frame(ids, block), "x", w, permutations=99).iloc[0]
    assert r.statistic == 3.0 and r.n_joins == 24
    cb = SP.join_count_test(frame(ids, checkerboard(4)), "x", w, permutations=99).iloc[0]
    assert cb.statistic == 0.0 and cb.p_value == 1.0  # never fewer than 0 joins


def test_permutation_p_values_are_fixed_by_the_seed_and_leave_numpy_alone():
    w, ids = grid(5)
    d = frame(ids, np.random.default_rng(1).random(25))
    np.random.seed(123)
    before = np.random.random()
    np.random.seed(123)
    a = SP.morans_i(d, "x", w, permutations=99, seed=8)
    assert np.random.random() == before  # the global generator is restored
    b = SP.morans_i(d, "x", w, permutations=99, seed=8)
    c = SP.morans_i(d, "x", w, permutations=99, seed=9)
    assert a.equals(b)
    assert not a["z_sim"].equals(c["z_sim"])


@pytest.mark.filterwarnings("ignore:The alternative hypothesis:DeprecationWarning")
def test_local_clusters_find_the_high_block():
    import esda

    w, ids = grid(6)
    x = [3.0 if (i // 6 < 3 and i % 6 < 3) else 0.0 for i in range(36)]
    x[35] = 3.0  # a high value among low ones
    lc = SP.local_clusters(frame(ids, x), "x", w, permutations=999, seed=4)
    w.transform = "r"
    lm = esda.Moran_Local(np.array(x), w, permutations=99, seed=4)
    assert np.allclose(lc["local_i"], lm.Is)
    assert lc.loc[lc.kommun_code == "0007", "quadrant"].item() == "HH"  # inside the block
    assert lc.loc[lc.kommun_code == "0035", "quadrant"].item() == "HL"
    assert lc.loc[lc.kommun_code == "0007", "cluster"].item() == "HH"  # all 4 neighbours high: p < 0.01
    assert set(lc["cluster"].astype(str)) <= {"HH", "LL", "HL", "LH", "ns"}
    assert (lc.loc[lc["p_value"] >= 0.05, "cluster"] == "ns").all()
    assert lc["kommun_code"].tolist() == ids


def test_tied_permutations_do_not_make_zero_units_clusters():
    # mostly zeros: a 0 unit with 0 neighbours ties with about half the permutations;
    # esda's exact comparison makes many of them "significant"; ours counts ties
    w, ids = grid(10)
    x = np.zeros(100)
    x[[12, 47, 55, 81]] = [2.0, 1.0, 3.0, 1.0]
    lc = SP.local_clusters(frame(ids, x), "x", w, permutations=999, seed=1)
    zero_ll = lc[(lc["x"] == 0) & (lc["quadrant"] == "LL")]
    assert (zero_ll["p_value"] > 0.2).all()
    assert (zero_ll["cluster"] == "ns").all()


def test_adoption_status_and_rate():
    last = pd.DataFrame({
        "kommun_code": ["0117", "0114", "0115"], "county_code": ["01", "01", "03"],
        "ever_adopted": [False, True, True], "iops_total": [0, 2, 1],
        "first_iop_year": pd.array([None, 2015, None], dtype="Int64"), "population": [10_000, 50_000, 40_000],
    })
    parts = pd.DataFrame({"level": ["region", "kommun"], "county_code": ["03", "01"]})
    st = SP.adoption_status(last, parts)
    assert st["kommun_code"].tolist() == ["0114", "0115", "0117"]
    assert st["status"].astype(str).tolist() == ["dated", "undated", "none"]
    assert st["iops_per_10k"].tolist() == [0.4, 0.25, 0.0]
    assert st["region_agreement"].tolist() == [False, True, False]
    with pytest.raises(InputError, match="one row per municipality"):
        SP.adoption_status(pd.concat([last, last]))


def test_inputs_are_checked():
    w, ids = grid(3)
    with pytest.raises(InputError, match="different units"):
        SP.morans_i(frame(ids[:-1], [1.0] * 8), "x", w)
    with pytest.raises(InputError, match="constant"):
        SP.morans_i(frame(ids, [1.0] * 9), "x", w)
    with pytest.raises(InputError, match="0/1"):
        SP.join_count_test(frame(ids, [0.5] * 9), "x", w)


def test_clustering_on_the_municipalities_uses_their_contiguity():
    from iopstudy.reference import load_municipalities

    m = load_municipalities()
    rng = np.random.default_rng(0)
    n = rng.poisson(0.3, len(m))
    st = pd.DataFrame({"kommun_code": m["kommun_code"], "status": np.where(n > 0, "dated", "none"),
                       "iops_per_10k": n / m["population"] * 10_000})
    t = SP.clustering_tests(st, permutations=999, join_permutations=999)
    assert t["test"].tolist() == ["join count (1–1 joins)", "Moran's I"]
    assert t["n"].tolist() == [290, 290]
    assert t["n_joins"].iloc[0] == 740  # unordered neighbour pairs, border and nearest
    assert t["p_value"].between(0, 1).all()
    lc = SP.local_clusters(st)
    assert len(lc) == 290 and lc["kommun_code"].tolist() == st["kommun_code"].tolist()
