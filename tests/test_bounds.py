"""Partial identification under undetected adopters (iopstudy.spread.bounds).

The bounds are checked against brute force: every placement of k extra adopters among the
zeros of a small data set, each fitted with statsmodels. Seeds are named in each test.
"""

from __future__ import annotations

import warnings
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import PerfectSeparationError

from iopstudy.errors import InputError
from iopstudy.spread import bounds as B
from iopstudy.spread import interval as I


def _small(seed: int, n: int = 16, groups: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    pop = np.exp(rng.normal(10, 1, n)).round()
    d = pd.DataFrame({"population": pop, "log_population": np.log(pop)})
    d["g"] = pd.Categorical(np.where(np.arange(n) % 2 == 0, "A", "B"), ["A", "B"])
    p = 1 / (1 + np.exp(-(d["log_population"] - 10.3) * 1.5))
    d["ever_adopted"] = rng.random(n) < p
    return d


def _brute(d: pd.DataFrame, k: int, covs: list[str]) -> list[float]:
    X = pd.get_dummies(d[covs], drop_first=True, dtype=float)
    X = sm.add_constant(X)
    zeros = np.flatnonzero(~d["ever_adopted"].to_numpy())
    out = []
    for extra in combinations(zeros, k):
        y = d["ever_adopted"].to_numpy(float).copy()
        y[list(extra)] = 1
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                r = sm.Logit(y, X).fit(disp=0, maxiter=200, method="newton")
                b = r.params["log_population"]
                ok = r.mle_retvals["converged"] and abs(b) < 30
            except (PerfectSeparationError, np.linalg.LinAlgError, ValueError):
                ok = False
        out.append(b if ok else np.nan)
    return out


def test_logit_bounds_equal_brute_force_over_all_placements():
    d = _small(4)  # seed 4
    assert 4 <= d["ever_adopted"].sum() <= 10
    for k in (1, 3):
        b = B.logit_bounds(d, k, covariates=["log_population"], n_random=100).iloc[0]
        ref = np.array(_brute(d, k, ["log_population"]))
        fin = ref[np.isfinite(ref)]
        assert b["exact"]
        if np.isfinite(b["estimate_low"]):
            assert b["estimate_low"] == pytest.approx(fin.min(), rel=1e-5)
        if np.isfinite(b["estimate_high"]):
            assert b["estimate_high"] == pytest.approx(fin.max(), rel=1e-5)
        assert b["estimate_low"] <= fin.min() + 1e-6 and fin.max() <= b["estimate_high"] + 1e-6
        assert b["random_inside"]


@pytest.mark.parametrize("seed", [20, 29])
def test_logit_bounds_with_strata_equal_brute_force(seed):
    d = _small(seed, n=18)  # seeds 20 and 29: every placement has a finite MLE
    k = 3
    b = B.logit_bounds(d, k, covariates=["log_population", "g"], n_random=0).iloc[0]
    ref = np.array(_brute(d, k, ["log_population", "g"]))
    assert np.isfinite(ref).all()
    assert b["exact"] and b["n_allocations"] > 1
    assert b["estimate_low"] == pytest.approx(ref.min(), rel=1e-6)
    assert b["estimate_high"] == pytest.approx(ref.max(), rel=1e-6)
    assert b["allocation_low"].startswith("A: ")


def test_logit_bounds_report_infinite_ends_under_separation():
    # seed 21: in stratum A the found adopters are already the three largest units, so putting
    # the extra adopters on the next largest keeps A separated: the odds ratio is unbounded
    d = _small(21, n=18)
    b = B.logit_bounds(d, 3, covariates=["log_population", "g"], n_random=0).iloc[0]
    ref = np.array(_brute(d, 3, ["log_population", "g"]))
    fin = ref[np.isfinite(ref)]
    assert b["estimate_high"] == np.inf and np.isnan(ref).any()
    assert b["estimate_low"] == pytest.approx(fin.min(), rel=1e-6)


def test_logit_bounds_grow_with_k_and_match_the_fit_at_zero():
    rng = np.random.default_rng(12)  # seed 12
    d = pd.DataFrame({"population": np.exp(rng.normal(10, 1, 120))})
    d["log_population"] = np.log(d["population"])
    d["ever_adopted"] = rng.random(120) < 1 / (1 + np.exp(-(d["log_population"] - 11) * 1.2))
    b = B.logit_bounds(d, [0, 5, 15, 40], covariates=["log_population"], n_random=200)
    ref = sm.Logit(d["ever_adopted"].astype(float), sm.add_constant(d["log_population"])).fit(disp=0)
    assert b["estimate_found"].iloc[0] == pytest.approx(ref.params["log_population"], rel=1e-6)
    assert b["estimate_low"].iloc[0] == b["estimate_high"].iloc[0] == pytest.approx(b["estimate_found"].iloc[0])
    assert b["estimate_low"].is_monotonic_decreasing and b["estimate_high"].is_monotonic_increasing
    assert b["random_inside"].all()
    assert (b["ratio_low"] == np.exp(b["estimate_low"])).all()


def test_share_bounds_are_sharp_and_scenarios_inside():
    d = _small(4, n=30)
    res = B.share_bounds(d, "g", 6)
    for r in res.itertuples():
        assert r.share_low <= r.share_smallest <= r.share_high
        assert r.share_low <= r.share_largest <= r.share_high
        assert r.share_low <= r.share_proportional <= r.share_high
    # sharp: the upper bound of a group is attained by filling that group first
    for lev in ("A", "B"):
        extra = B.placement(d, 6, "group", group="g", level=lev)
        m = (d["g"] == lev).to_numpy()
        share = (d["ever_adopted"].to_numpy() | extra)[m].mean()
        assert share == pytest.approx(res.set_index("group").loc[lev, "share_high"])
    with pytest.raises(InputError, match="exceeds"):
        B.share_bounds(d, "g", 1000)


def test_placement_rules():
    d = pd.DataFrame({"ever_adopted": [True, False, False, False, False, False],
                      "population": [100, 1, 5, 3, 4, 2], "g": list("aabbbb")})
    assert np.flatnonzero(B.placement(d, 2, "smallest")).tolist() == [1, 5]
    assert np.flatnonzero(B.placement(d, 2, "largest")).tolist() == [2, 4]
    assert B.placement(d, 3, "even").sum() == 3
    assert np.flatnonzero(B.placement(d, 2, "group", group="g", level="a")).tolist()[0] == 1
    r1 = B.placement(d, 3, "random", seed=1)
    assert (r1 == B.placement(d, 3, "random", seed=1)).all() and not r1[0]
    with pytest.raises(InputError, match="rule"):
        B.placement(d, 1, "middle")


def test_min_undetected_from_published_counts():
    pub = pd.DataFrame({"what": ["ongoing IOPs; more than 50 % of municipalities with at least one",
                                 "municipalities with an IOP with a victim-support association",
                                 "IOP agreements"],
                        "count": [500, 77, 300], "date": ["", "2024-03-25", "2023"],
                        "count_text": ["över 500", "77", "över 300"], "source_url": ["", "", ""]})
    assert B.min_undetected(pub, n_found=26) == 120
    assert B.min_undetected(pub, n_found=44) == 102
    assert B.min_undetected(pub.iloc[[2]], n_found=26) == 0


def test_sign_identified_in_words_and_breakdown_against_a_scan():
    rng = np.random.default_rng(1)  # seed 1
    d = pd.DataFrame({"x": rng.normal(size=80)})
    d["y"] = rng.random(80) < 1 / (1 + np.exp(-(2 * d["x"] - 1)))
    kw = dict(outcome="y", covariates=["x"], term="x", n_random=0)
    s = B.sign_identified(d, [0, 40], **kw)
    assert s["sign"].tolist() == ["positive", "not identified"]
    assert "identified" in s["statement"].iloc[0] and "do not identify" in s["statement"].iloc[1]
    sv = B.sign_identified(d, 40, lang="sv", **kw)
    assert "identifierar inte" in sv["statement"].iloc[0]
    bk = B.breakdown_k(d, **kw)
    kb = int(bk["k_breakdown"].iloc[0])
    scan = B.logit_bounds(d, [kb - 1, kb], **kw)
    assert scan["estimate_low"].iloc[0] > 0 >= scan["estimate_low"].iloc[1]
    assert str(kb) in bk["statement"].iloc[0]


def test_hazard_bounds_bracket_the_found_estimate():
    rng = np.random.default_rng(6)  # seed 6
    n = 120
    rows = []
    x = rng.normal(10, 1, n)
    first = np.where(rng.random(n) < 1 / (1 + np.exp(-(x - 10.8) * 2)), rng.integers(2010, 2016, n), -1)
    for i in range(n):
        for t in range(2010, 2016):
            rows.append(dict(kommun_code=f"{i:03d}", year=t, log_population=x[i], population=np.exp(x[i]),
                             first_iop_year=first[i] if first[i] > 0 else np.nan,
                             ever_adopted=first[i] > 0))
    pan = pd.DataFrame(rows).astype({"first_iop_year": "Float64"})
    pan["first_evidence_year"] = pan["first_iop_year"]
    iv = I.adoption_intervals(pan, 2015)
    hb = B.hazard_bounds(iv, [0, 10], covariates=["log_population"], n_random=10, time="none").set_index("k")
    assert hb.loc[0, "estimate_low"] == pytest.approx(hb.loc[0, "estimate_found"])
    assert hb.loc[10, "estimate_smallest"] < hb.loc[10, "estimate_found"] < hb.loc[10, "estimate_largest"]
    assert hb.loc[10, "estimate_low"] <= hb.loc[10, "random_min"] <= hb.loc[10, "random_max"] <= hb.loc[10, "estimate_high"]
    assert not hb["exact"].any()
    s = B.sign_identified(iv, 10, model="hazard", covariates=["log_population"], n_random=5, time="none")
    assert "placements tried" in s["statement"].iloc[0]


def test_placement_scenarios_table():
    d = _small(4, n=40)
    sc = B.placement_scenarios(d, 5, covariates=["log_population"], by=("g",))
    assert sc["scenario"].tolist()[:5] == ["found only", "smallest", "largest", "even", "random"]
    assert {"group:g=A", "group:g=B"} <= set(sc["scenario"])
    assert (sc.loc[sc["scenario"] != "found only", "k"] == 5).all()
    lo, hi = sc.set_index("scenario").loc[["smallest", "largest"], "estimate"]
    assert lo < sc.set_index("scenario").loc["found only", "estimate"] < hi
