"""The detection model and detection from published counts (iopstudy.spread.detection).

The key test is a simulation with known detection: the corrected logit recovers the true
coefficient, the naive logit does not. Seeds are named in each test.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from iopstudy.errors import InputError, StatisticalWarning
from iopstudy.spread import detection as D


def _simulate(seed: int, n: int = 6000, detection=0.4, a: float = 0.5, b: float = 1.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1.2, n)
    adopted = rng.random(n) < 1 / (1 + np.exp(-(a + b * x)))
    det = np.broadcast_to(np.asarray(detection, dtype=float), (n,))
    found = adopted & (rng.random(n) < det)
    return pd.DataFrame({"x": x, "found": found, "adopted": adopted, "det": det})


def test_known_detection_recovers_the_true_coefficient_and_naive_logit_does_not():
    d = _simulate(2024)  # seed 2024, true b = 1, detection 0.4
    naive = sm.Logit(d["found"].astype(float), sm.add_constant(d["x"])).fit(disp=0)
    fit = D.fit_detection_logit(d, "found", ["x"], detection=0.4)
    est = fit.coef.set_index("term").loc["x"]
    assert abs(est["estimate"] - 1.0) < 2.5 * est["std_error"]
    assert est["ci_low"] < 1.0 < est["ci_high"]
    assert abs(naive.params["x"] - 1.0) > 4 * naive.bse["x"]  # attenuated
    # the implied number of adopters is close to the true one
    assert fit.summary["expected_adopters"].iloc[0] == pytest.approx(d["adopted"].sum(), rel=0.08)


def test_per_unit_detection_removes_a_search_induced_gradient():
    # adoption does not depend on x, but detection does (a search that named large places)
    rng = np.random.default_rng(7)  # seed 7
    n = 5000
    x = rng.normal(size=n)
    adopted = rng.random(n) < 0.5
    det = np.where(x > 1, 0.9, 0.2)
    d = pd.DataFrame({"x": x, "found": adopted & (rng.random(n) < det), "det": det})
    naive = D.fit_detection_logit(d, "found", ["x"], detection=1.0).coef.set_index("term").loc["x"]
    fit = D.fit_detection_logit(d, "found", ["x"], detection="det").coef.set_index("term").loc["x"]
    assert naive["ci_low"] > 0.3
    assert fit["ci_low"] < 0 < fit["ci_high"]


def test_full_detection_is_the_ordinary_logit():
    d = _simulate(3, n=800, detection=1.0)  # seed 3
    fit = D.fit_detection_logit(d, "found", ["x"], detection=1.0)
    ref = sm.Logit(d["found"].astype(float), sm.add_constant(d["x"])).fit(disp=0)
    np.testing.assert_allclose(fit.coef["estimate"], ref.params, rtol=1e-5)
    np.testing.assert_allclose(fit.coef["std_error"], ref.bse, rtol=1e-3)
    assert fit.summary["log_likelihood"].iloc[0] == pytest.approx(ref.llf)


def test_estimated_detection_and_cluster_se():
    d = _simulate(11, n=8000, detection=0.5, a=1.5, b=2.0)  # seed 11
    d["county"] = np.arange(len(d)) % 20
    fit = D.fit_detection_logit(d, "found", ["x"], detection="estimate", cluster="county")
    c = fit.coef.set_index("term")
    assert c.loc["detection", "ci_low"] < 0.5 < c.loc["detection", "ci_high"]
    assert abs(c.loc["x", "estimate"] - 2.0) < 3 * c.loc["x", "std_error"]
    assert "county" in fit.summary["se_type"].iloc[0]


def test_detection_below_the_found_share_diverges_with_a_warning():
    d = pd.DataFrame({"x": np.r_[np.zeros(50), np.ones(10)], "found": np.r_[np.zeros(45), np.ones(5),
                                                                             np.ones(8), np.zeros(2)]})
    with pytest.warns(StatisticalWarning, match="not compatible"):
        fit = D.fit_detection_logit(d, "found", ["x"], detection=0.5)  # 8 of 10 found where x = 1
    assert bool(fit.summary["diverged"].iloc[0])
    assert np.isinf(fit.coef.set_index("term").loc["x", "estimate"])
    with pytest.raises(InputError, match="detection must lie"):
        D.fit_detection_logit(d, "found", ["x"], detection=0.0)


def test_sensitivity_and_calibration():
    d = _simulate(5, n=1500, detection=0.3)  # seed 5
    sens = D.detection_sensitivity(d, "found", ["x"], (1.0, 0.5, 0.3), term="x")
    assert sens["detection"].tolist() == [1.0, 0.5, 0.3]
    assert sens["expected_adopters"].is_monotonic_increasing
    assert list(sens.columns[:4]) == ["scenario", "detection", "term", "estimate"]
    target = float(d["adopted"].sum())
    cal = D.calibrate_detection(d, "found", ["x"], target, term="x")
    assert cal["expected_adopters"].iloc[0] == pytest.approx(target, rel=1e-4)
    assert 0.2 < cal["calibrated"].iloc[0] < 0.4
    fixed = np.where(d["x"] > 1.5, 1.0, np.nan)
    cal2 = D.calibrate_detection(d, "found", ["x"], target, fixed=fixed, term="x")
    assert cal2["expected_adopters"].iloc[0] == pytest.approx(target, rel=1e-4)


def test_implied_adopters_reads_shares_and_counts():
    pub = pd.DataFrame({
        "date": ["", "2024-03-25", "2023-03-02", "2020"],
        "count": [500, 77, 300, 240],
        "count_text": ["över 500", "77", "över 300", "ca 240"],
        "what": ["ongoing IOPs; more than 50 % of municipalities and more than 70 % of regions with at least one",
                 "municipalities with an IOP with a victim-support association",
                 "IOP agreements", "IOPs estimated by a master's thesis"],
        "source_url": ["a", "b", "c", "d"],
    })
    imp = D.implied_adopters(pub, 290)
    assert imp["min_adopters"].tolist() == [146, 77]
    assert imp["victim_support"].tolist() == [False, True]
    assert imp["basis"].tolist() == ["share of municipalities", "count of municipalities"]
    at_least = D.implied_adopters(pd.DataFrame({"what": ["at least 40 % of municipalities"]}), 290)
    assert at_least["min_adopters"].iloc[0] == 116


def test_detection_from_published_on_a_small_register():
    p = pd.DataFrame({
        "record_id": [f"IOP-{i}" for i in range(1, 6)],
        "level": ["kommun"] * 5,
        "kommun_code": ["1480", "1480", "1480", "0580", "0123"],
        "county_code": ["14", "14", "14", "05", "01"],
        "public_party": ["Göteborgs Stad"] * 3 + ["Linköpings kommun", "X kommun"],
        "policy_area_primary": ["violence", "crime_victims", "other", "crime_victims", "other"],
        "policy_area_secondary": [""] * 5,
        "civil_partners": ["Kvinnojouren", "Brottsofferjouren", "A", "Brottsofferjouren i Linköping", "B"],
    })
    p["start_year"] = pd.array([2022, None, 2010, None, None], dtype="Int64")
    p["end_year"] = pd.array([2024, None, 2012, None, None], dtype="Int64")
    units = pd.DataFrame({"kommun_code": ["1480", "0580", "0123", "9999"],
                          "kommun_name": ["Göteborg", "Linköping", "X", "Y"],
                          "ever_adopted": [True, True, True, False]})
    pub = pd.DataFrame({"date": ["", "2024"], "count": [500, 40], "count_text": ["", ""], "source_url": ["", ""],
                        "what": ["more than 50 % of municipalities", "municipalities with a victim-support IOP"]})
    local = [dict(place="Göteborg", level="kommun", code="1480", committee=None, year=2023, date="2023",
                  published=14, kind="active", what="active IOPs", source_url="")]
    t = D.detection_from_published(p, units, pub, local=local).set_index("what")
    g = t.loc["Göteborg: active agreements 2023"]
    assert (g["found"], g["published"]) == (1, 14)  # one certainly active, one undated, one ended
    assert g["detection_low"] == pytest.approx(1 / 14) and g["detection_high"] == pytest.approx(2 / 14)
    vs = t[t.index.str.startswith("municipalities with a victim-support")].iloc[0]
    assert (vs["found"], vs["published"]) == (2, 40) and vs["detection"] == pytest.approx(0.05)
    assert vs["ci_low"] < 0.05 < vs["ci_high"]
    nat = t[t.index.str.startswith("adopting municipalities")].iloc[0]
    assert nat["published"] == 3 and nat["detection_high"] == pytest.approx(1.0)  # 3 of 4 units, >50 % -> 3


def test_searched_places_are_named_in_sources_md(root):
    text = (root / "data" / "raw" / "register" / "SOURCES.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    i = next(j for j, x in enumerate(lines) if x.strip().startswith("- Places:"))
    item = " ".join(lines[i:i + 2])  # the list item runs over two lines
    for place in D.SEARCHED_PLACES:
        assert place in item
    assert D.searched_by_name(pd.DataFrame({"kommun_name": ["Luleå", "Piteå"]})).tolist() == [True, False]


def test_misc_input_errors():
    d = _simulate(1, n=100)
    with pytest.raises(InputError):
        D.calibrate_detection(d, "found", ["x"], target_adopters=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(InputError, match="no term"):
            D.detection_sensitivity(d, "found", ["x"], (1.0,), term="z")


def test_estimated_detection_at_the_boundary_falls_back_to_the_logit():
    d = _simulate(13, n=600, detection=1.0, a=-1.0, b=0.8)  # seed 13: nothing is missed
    with pytest.warns(StatisticalWarning, match="boundary 1"):
        fit = D.fit_detection_logit(d, "found", ["x"], detection="estimate")
    c = fit.coef.set_index("term")
    assert c.loc["detection", "estimate"] == 1.0 and c.loc["detection", "ci_high"] == 1.0
    assert 0 < c.loc["detection", "ci_low"] < 1
    ref = sm.Logit(d["found"].astype(float), sm.add_constant(d["x"])).fit(disp=0)
    assert c.loc["x", "estimate"] == pytest.approx(ref.params["x"], rel=1e-5)
