"""Tests that match the design, and the tables a paper uses.

multiple.py (Holm/BH, cluster permutation tests, leave-one-cluster-out), the exact McNemar
test of paired interviews, Cochran's rule, the p-value formatter, and report_tables.py
(regression table, predictions, marginal effects, cumulative incidence). References are
statsmodels and scipy on the same data; seeds are named in each test.
"""

from __future__ import annotations

import math
import warnings
from itertools import permutations

import numpy as np
import pandas as pd
import pytest
import scipy.stats as st
import statsmodels.api as sm
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests

from iopstudy import spread as S
from iopstudy.errors import InputError, StatisticalWarning
from iopstudy.interviews.compare import compare_pairs
from iopstudy.labels import format_p
from iopstudy.spread import multiple as M
from iopstudy.spread import report_tables as T
from iopstudy.tables import save_table


# --------------------------------------------------------------------------- multiplicity
def test_adjust_pvalues_equals_multipletests_within_families():
    t = pd.DataFrame({"test": list("abcdef"), "fam": list("xxxyyy"),
                      "p_value": [0.01, 0.04, np.nan, 0.001, 0.2, 0.03]})
    out = M.adjust_pvalues(t, family="fam")
    x = multipletests([0.01, 0.04], method="holm")[1]
    y = multipletests([0.001, 0.2, 0.03], method="fdr_bh")[1]
    np.testing.assert_allclose(out["p_holm"].iloc[:2], x)
    np.testing.assert_allclose(out["p_bh"].iloc[3:], y)
    assert np.isnan(out["p_holm"].iloc[2]) and not out["reject_holm"].iloc[2]
    assert out["family_size"].tolist() == [2, 2, 2, 3, 3, 3]
    all_ = M.adjust_pvalues(t, methods=("bonferroni",))
    assert all_["p_bonferroni"].iloc[0] == pytest.approx(0.05)
    with pytest.raises(InputError):
        M.adjust_pvalues(t.assign(p_value=[2, 0, 0, 0, 0, 0]))


# --------------------------------------------------------------------------- permutation tests
def _chi2(tab):
    return st.chi2_contingency(tab, correction=False).statistic


def test_between_cluster_permutation_matches_full_enumeration():
    # 6 clusters of unequal size, group constant within cluster
    d = pd.DataFrame({
        "cl": list("aaaabbcddeef"),
        "g": list("LLLLSSLSSLLS"),
        "y": list("xxxyyyxyxxyy"),
    })
    cl = ["a", "b", "c", "d", "e", "f"]
    lab = dict(zip(d["cl"], d["g"]))
    obs = _chi2(pd.crosstab(d["g"], d["y"]).to_numpy())
    vals = []
    # the 20 distinct label arrangements: each stands for 3! * 3! of the 6! permutations,
    # so their mean is the mean over all 6! permutations
    for perm in sorted(set(permutations([lab[c] for c in cl]))):
        m = dict(zip(cl, perm))
        g = d["cl"].map(m)
        tab = pd.crosstab(g, d["y"]).to_numpy()
        vals.append(_chi2(tab) if tab.shape[0] > 1 else 0.0)
    exact = np.mean(np.array(vals) >= obs - 1e-9)
    r = M.cluster_permutation_test(d, "g", "y", "cl", n_resamples=20000, seed=3)
    assert r["scheme"].iloc[0] == "between"
    assert r["statistic"].iloc[0] == pytest.approx(obs)
    assert r["p_value"].iloc[0] == pytest.approx(exact, abs=0.015)
    assert r["naive_p_value"].iloc[0] == pytest.approx(st.chi2_contingency(
        pd.crosstab(d["g"], d["y"]).to_numpy(), correction=False).pvalue)
    assert list(r.columns[:8]) == S.TEST_COLUMNS


def test_one_large_cluster_no_longer_passes_as_many_observations():
    # one body with 13 rows in one group and one area, 40 bodies with one row each, no association
    rng = np.random.default_rng(4)  # seed 4
    d = pd.DataFrame({"body": ["big"] * 13 + [f"b{i}" for i in range(40)],
                      "size": ["mid"] * 13 + list(rng.choice(["small", "mid", "large"], 40)),
                      "area": ["culture"] * 13 + list(rng.choice(["culture", "social", "health"], 40,
                                                                  p=[0.1, 0.45, 0.45]))})
    r = M.cluster_permutation_test(d, "size", "area", "body", n_resamples=4999, seed=1)
    assert r["naive_p_value"].iloc[0] < 0.01
    assert r["p_value"].iloc[0] > 0.05
    inf = M.cluster_influence(d, "size", "area", "body", n_resamples=999)
    assert inf["left_out"].iloc[1] == "big" and inf["rows_left_out"].iloc[1] == 13
    assert inf["p_value"].iloc[1] > inf["p_value"].iloc[0]
    ref = S.contingency_test(pd.crosstab(d["size"], d["area"]).to_numpy(), n_resamples=999)
    assert inf["p_value"].iloc[0] == pytest.approx(ref["p_value"].iloc[0])


def test_within_cluster_permutation_and_errors():
    d = pd.DataFrame({"cl": list("aaaabbbb"), "g": list("pqpqpppp"), "y": list("xyxyxxyy")})
    r = M.cluster_permutation_test(d, "g", "y", "cl", n_resamples=999)
    assert r["scheme"].iloc[0] == "within"
    assert "1 of 2 clusters" in r["note"].iloc[0]
    # within cluster a, p always goes with x: only 6 arrangements, 2 of them as extreme
    assert r["p_value"].iloc[0] == pytest.approx(1 / 3, abs=0.05)
    with pytest.raises(InputError, match="varies within"):
        M.cluster_permutation_test(d, "g", "y", "cl", scheme="between")
    const = pd.DataFrame({"cl": list("aabb"), "g": list("ppqq"), "y": list("xyxy")})
    assert M.cluster_permutation_test(const, "g", "y", "cl", scheme="within", n_resamples=99)["p_value"].iloc[0] == 1.0


def test_batched_chi2_equals_one_table_at_a_time():
    rng = np.random.default_rng(6)  # seed 6
    o = rng.integers(0, 4, 30)
    g = rng.integers(0, 3, (50, 30))
    g[0] = 0  # one group only
    g[1] = np.minimum(g[1], 1)  # an empty group: its expected counts are 0 and left out
    got = M._chi2_stats(g, o, 3, 4)
    want = [M._chi2_stat(row, o, 3, 4) for row in g]
    assert got.tolist() == want  # bitwise: the same float for every table
    for row, x in zip(g[2:5], got[2:5]):
        assert x == pytest.approx(_chi2(pd.crosstab(row, o).to_numpy()), rel=1e-12)


@pytest.mark.parametrize("scheme", ["between", "within"])
def test_cluster_permutation_counts_each_permutation_as_drawn_one_at_a_time(scheme, monkeypatch):
    # the batched statistics count the same permutations as drawing and testing one at a time,
    # over several batches of 64 and a last one of 52
    monkeypatch.setattr(M, "_MAX_BATCH", 64)
    rng = np.random.default_rng(8)  # seed 8
    cl = rng.integers(0, 12, 60)
    g = rng.integers(0, 3, 12)[cl] if scheme == "between" else rng.integers(0, 3, 60)
    y = rng.integers(0, 4, 60)
    d = pd.DataFrame({"cl": cl.astype(str), "g": g, "y": y})
    n, seed = 500, 11
    r = M.cluster_permutation_test(d, "g", "y", "cl", scheme=scheme, n_resamples=n, seed=seed)

    def x2(labels):
        tab = np.zeros((3, 4))
        np.add.at(tab, (labels, y), 1)
        tab = tab[tab.sum(axis=1) > 0][:, tab.sum(axis=0) > 0]
        return _chi2(tab) if min(tab.shape) > 1 else 0.0

    gc, _ = pd.factorize(d["g"], sort=True)
    cc, _ = pd.factorize(d["cl"], sort=True)
    obs = x2(gc)
    draw = np.random.default_rng(seed)
    cg = np.zeros(cc.max() + 1, dtype=int)
    cg[cc] = gc
    g_sorted = gc[np.argsort(cc, kind="stable")]
    hits = 0
    for _ in range(n):
        if scheme == "between":
            gp = draw.permutation(cg)[cc]
        else:
            gp = np.empty_like(gc)
            gp[np.lexsort((draw.random(len(cc)), cc))] = g_sorted
        hits += x2(gp) >= obs - 1e-9
    assert r["statistic"].iloc[0] == pytest.approx(obs, rel=1e-12)
    assert r["p_value"].iloc[0] == (hits + 1) / (n + 1)
    assert 0.01 < r["p_value"].iloc[0] < 1  # some permutations count, some do not


# --------------------------------------------------------------------------- McNemar
def _pair_corpus(has_a, has_b):
    segs, cods = [], []
    for i, (a, b) in enumerate(zip(has_a, has_b)):
        for sector, has in (("offentlig", a), ("idéburen", b)):
            sid = f"{sector[:3]}{i}"
            segs.append(dict(segment_id=sid, interview_id=f"I{sector[:3]}{i}", sector=sector, public_body_code=str(i)))
            if has:
                cods.append(dict(segment_id=sid, code="LAW.LOU"))
    return pd.DataFrame(cods), pd.DataFrame(segs)


def test_compare_pairs_equals_statsmodels_exact_mcnemar():
    has_a = [1, 1, 1, 1, 1, 0, 1, 0, 1, 1]
    has_b = [0, 0, 1, 0, 0, 1, 1, 0, 0, 0]
    cod, seg = _pair_corpus(has_a, has_b)
    with pytest.warns(StatisticalWarning, match="pairs of interviews"):
        r = compare_pairs(cod, seg, "LAW.LOU").table.iloc[0]
    both, oa, ob = 2, 6, 1
    ref = mcnemar(np.array([[both, oa], [ob, 10 - both - oa - ob]]), exact=True)
    assert (r["both"], r["only_a"], r["only_b"], r["neither"]) == (both, oa, ob, 1)
    assert r["p_value"] == pytest.approx(ref.pvalue)
    assert r["statistic"] == ref.statistic == 1
    assert r["p_value"] == pytest.approx(min(1.0, 2 * st.binom.cdf(1, 7, 0.5)))
    assert r["odds_ratio"] == 6.0


def test_compare_pairs_leaves_out_incomplete_pairs():
    cod, seg = _pair_corpus([1, 1, 0], [0, 0, 0])
    seg = pd.concat([seg, pd.DataFrame([dict(segment_id="x", interview_id="Ix", sector="offentlig",
                                             public_body_code="9")])], ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        r = compare_pairs(cod, seg, ["LAW.LOU", "LAW.UNC"])
    assert r.table["n_pairs"].tolist() == [3, 3]
    assert "Left out" in r.note and "'9'" in r.note
    assert not r.table.set_index("code").loc["LAW.UNC", "tested"]


# --------------------------------------------------------------------------- columns, rules, p
def test_cochran_rule_allows_a_few_small_expected_counts():
    # 2 x 5 table: two expected counts of the ten are below 5 (and above 1): chi-square
    tab = np.array([[20, 18, 22, 19, 3], [21, 19, 20, 22, 4]])
    exp = st.contingency.expected_freq(tab)
    assert (exp < 5).sum() == 2 and exp.min() >= 1  # 20 % of the cells
    row = S.contingency_test(tab).iloc[0]
    assert row["test"] == "chi-square (Pearson)"
    assert row["statistic"] == pytest.approx(st.chi2_contingency(tab).statistic)
    assert "Cochran's rule holds" in row["note"]
    assert S.contingency.cochran_ok(exp)
    assert not S.contingency.cochran_ok([[0.5, 10], [10, 10]])
    assert "20%" in S.COCHRAN_RULE


def test_format_p_floor_and_languages():
    assert format_p(0.0) == "< 1e-24"
    assert format_p(1e-30, prefix=True) == "p < 1e-24"
    assert format_p(2.5e-10, "sv") == "2,5e-10"
    assert format_p(0.04567) == "0.046"
    assert format_p(0.5, prefix=True) == "p = 0.500"
    assert format_p(None) == "" and format_p(np.nan, na="–") == "–"
    with pytest.raises(ValueError):
        format_p(1.5)


# --------------------------------------------------------------------------- report tables
def _logit_data(seed=0, n=300):
    rng = np.random.default_rng(seed)
    d = pd.DataFrame({"log_population": rng.normal(10.5, 1, n),
                      "g": pd.Categorical(rng.choice(["A", "B"], n), ["A", "B"])})
    d["population"] = np.exp(d["log_population"])
    eta = -12 + 1.1 * d["log_population"] + 0.5 * (d["g"] == "B")
    d["y"] = rng.random(n) < 1 / (1 + np.exp(-eta))
    return d


def test_predictions_and_marginal_effects_equal_statsmodels():
    d = _logit_data(1)  # seed 1
    m = S.fit_logit(d, "y", ["log_population", "g"])
    X = sm.add_constant(pd.DataFrame({"log_population": d["log_population"], "g[T.B]": (d["g"] == "B").astype(float)}))
    ref = sm.Logit(d["y"].astype(float), X).fit(disp=0)
    prof = pd.DataFrame({"log_population": [9.2, 10.8], "g": ["A", "B"]})
    p = T.predict_at(m, prof, {}, average=False, contrast=False)
    Xp = np.column_stack([np.ones(2), prof["log_population"], [0.0, 1.0]])
    sf = ref.get_prediction(Xp).summary_frame()
    np.testing.assert_allclose(p["probability"], sf["predicted"], rtol=1e-6)
    np.testing.assert_allclose(p["std_error"], sf["se"], rtol=1e-4)
    me = T.marginal_effect(m, d, "log_population").iloc[0]
    mr = ref.get_margeff(at="overall", method="dydx")
    assert me["ame"] == pytest.approx(mr.margeff[0], rel=1e-6)
    assert me["std_error"] == pytest.approx(mr.margeff_se[0], rel=1e-3)
    at = T.predict_at(m, d, {"population": [10_000, 50_000, 200_000]})
    assert at["probability"].is_monotonic_increasing
    assert (at["ci_low"] < at["probability"]).all() and (at["probability"] < at["ci_high"]).all()
    assert at["difference"].iloc[0] == 0 and at["diff_ci_low"].iloc[2] > 0
    # the average prediction at 50 000 is the mean over units set to 50 000
    d50 = d.assign(log_population=np.log(50_000))
    X50 = np.column_stack([np.ones(len(d)), d50["log_population"], (d50["g"] == "B").astype(float)])
    assert at["probability"].iloc[1] == pytest.approx(ref.predict(X50).mean(), rel=1e-6)


def test_regression_table_side_by_side_and_saved(tmp_path):
    d = _logit_data(2)  # seed 2
    m1 = S.fit_logit(d, "y", ["log_population"])
    m2 = S.fit_logit(d, "y", ["log_population", "g"])
    tab = T.regression_table({"(1)": m1, "(2)": m2}, lang="sv")
    assert tab.columns.tolist() == ["row", "kind", "(1)", "(2)"]
    est = tab[tab["kind"] == "estimate"].set_index("row")
    assert est.loc["log(folkmängd)", "(1)"].count("(") == 1 and "," in est.loc["log(folkmängd)", "(1)"]
    assert est.iloc[1]["(1)"] == ""  # the g term is not in model (1)
    assert tab.set_index("kind").loc["n", "(2)"] == "300"
    lon = T.coef_long({"(1)": m1, "(2)": m2})
    assert set(lon["model"]) == {"(1)", "(2)"} and "term_label" in lon
    paths = save_table(tab, "reg", out_dir=tmp_path, formats=("md", "tex", "xlsx"), lang="sv")
    assert all(p.exists() for p in paths)
    assert "log(folkmängd)" in (tmp_path / "reg.md").read_text(encoding="utf-8")


def test_regression_table_labels_time_terms_and_clustered_se():
    rng = np.random.default_rng(5)  # seed 5
    rows = []
    for i in range(150):
        x = rng.normal()
        for t in range(2010, 2020):
            ev = rng.random() < 1 - np.exp(-np.exp(-3 + x))
            rows.append(dict(u=i, c=i % 10, year=t, x=x, event=int(ev)))
            if ev:
                break
    pp = pd.DataFrame(rows)
    h = S.fit_discrete_hazard(pp, "event", ["x"], time="year", centre=2015, cluster="c")
    tab = T.regression_table({"h": h})
    assert "Year (centred at 2015)" in tab["row"].tolist()
    assert tab.set_index("kind").loc["se_type", "h"] == "clustered by c (10)"
    ci = T.cumulative_incidence(h, pd.DataFrame({"x": [0.0]}), times=range(2010, 2020), n_sim=200)
    Xp = np.column_stack([np.ones(10), np.zeros(10), np.arange(2010, 2020) - 2015])
    hz = h.model.predict(Xp)
    np.testing.assert_allclose(ci["cumulative_incidence"], 1 - np.cumprod(1 - hz), rtol=1e-8)
    assert ci["cumulative_incidence"].is_monotonic_increasing
    assert (ci["ci_low"] <= ci["cumulative_incidence"] + 1e-9).all()
    assert math.isclose(ci["hazard"].iloc[0], hz[0])
