"""Interval-censored timing and the penalised discrete-time hazard (iopstudy.spread.interval).

References are a direct scipy.optimize fit of the same likelihood written out unit by unit,
the statsmodels binomial GLM on person-periods (fit_discrete_hazard), and Firth's logit of
spread/firth.py. Seeds are named in each test.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from iopstudy import spread as S
from iopstudy.errors import InputError, StatisticalWarning
from iopstudy.spread import interval as I


def _panel(seed: int, n: int = 200, years=range(2010, 2021)) -> pd.DataFrame:
    """A municipality-year panel with a size effect on the yearly hazard of a first IOP."""
    rng = np.random.default_rng(seed)
    years = list(years)
    x = rng.normal(0, 1, n)
    g = rng.choice(["A", "B"], n)
    first = np.full(n, np.nan)
    for i in range(n):
        for t in years:
            eta = -3.2 + 0.9 * x[i] + 0.4 * (g[i] == "B") + 0.08 * (t - 2015)
            if rng.random() < 1 - np.exp(-np.exp(eta)):
                first[i] = t
                break
    rows = []
    for i in range(n):
        for t in years:
            rows.append(dict(kommun_code=f"{i:04d}", year=t, x=x[i], g=g[i],
                             first_iop_year=first[i], ever_adopted=not np.isnan(first[i])))
    p = pd.DataFrame(rows)
    p["first_iop_year"] = p["first_iop_year"].astype("Float64").astype("Int64")
    p["first_evidence_year"] = p["first_iop_year"]
    p["g"] = pd.Categorical(p["g"], ["A", "B"])
    return p


def _interval_data(seed: int, n: int = 250) -> pd.DataFrame:
    """One row per unit: some events exact, some known only within an interval."""
    rng = np.random.default_rng(seed)
    pan = _panel(seed, n)
    iv = I.adoption_intervals(pan, 2020)
    ev = iv["status"] == "exact"
    blur = ev & (rng.random(len(iv)) < 0.4)
    lo = iv["lower"].astype(int).to_numpy()
    up = iv["upper"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    width = rng.integers(1, 5, len(iv))
    lo2 = np.where(blur, np.maximum(lo - width, 2010), lo)
    up2 = np.where(blur, np.minimum(up + rng.integers(0, 3, len(iv)), 2020), up)
    iv["lower"] = pd.array(lo2, dtype="Int64")
    iv["upper"] = pd.array([pd.NA if np.isnan(v) else int(v) for v in up2], dtype="Int64")
    return iv


def _direct_negll(params, data, covs_X, t0, end, centre):
    """The interval-censored cloglog likelihood, unit by unit, as written in the docstring."""
    total = 0.0
    for i, r in enumerate(data.itertuples()):
        def H(t, i=i):
            if t < t0:
                return 0.0
            yrs = np.arange(t0, t + 1)
            eta = params[0] + covs_X[i] @ params[1:-1] + params[-1] * (yrs - centre)
            return float(np.exp(eta).sum())
        if pd.isna(r.upper):
            total += -H(end)
        else:
            total += np.log(np.exp(-H(int(r.lower) - 1)) - np.exp(-H(int(r.upper))))
    return -total


# --------------------------------------------------------------------------- intervals
def test_adoption_intervals_rules_and_corrections():
    years = [2010, 2011, 2012, 2013]
    rows = []
    spec = {  # code: (first dated start, first dated start or end, total, started)
        "a": (2011, 2011, 1, 1),   # dated, all agreements dated: exact
        "b": (2012, 2012, 2, 1),   # dated start but one agreement without a start: interval
        "c": (np.nan, 2012, 1, 0),  # only an end year: interval up to it
        "d": (np.nan, np.nan, 1, 0),  # found, undated: interval to the end
        "e": (np.nan, np.nan, 0, 0),  # not found: censored
    }
    for code, (f, e, tot, st) in spec.items():
        for t in years:
            rows.append(dict(kommun_code=code, year=t, first_iop_year=f, first_evidence_year=e,
                             ever_adopted=tot > 0, iops_total=tot, iops_started=int(st and t == f)))
    pan = pd.DataFrame(rows).astype({"first_iop_year": "Float64", "first_evidence_year": "Float64"})
    iv = I.adoption_intervals(pan, 2013).set_index("kommun_code")
    assert iv["status"].to_dict() == dict(a="exact", b="interval", c="interval", d="interval", e="censored")
    assert iv.loc["a", ["lower", "upper"]].tolist() == [2011, 2011]
    assert iv.loc["b", ["lower", "upper"]].tolist() == [2010, 2012]
    assert iv.loc["c", ["lower", "upper"]].tolist() == [2010, 2012]
    assert iv.loc["d", ["lower", "upper"]].tolist() == [2010, 2013]
    assert pd.isna(iv.loc["e", "upper"]) and iv.loc["e", "lower"] == 2014
    naive = I.adoption_intervals(pan, 2013, undated="ignore").set_index("kommun_code")
    assert naive.loc["b", "status"] == "exact" and naive.loc["b", "lower"] == 2012
    cor = pd.DataFrame([dict(kommun_code="d", lower=2011, upper=2011, claim="first IOP in 2011"),
                        dict(kommun_code="b", lower=2010, upper=2011)])
    fixed = I.adoption_intervals(pan, 2013, corrections=cor).set_index("kommun_code")
    assert fixed.loc["d", ["lower", "upper", "status"]].tolist() == [2011, 2011, "exact"]
    assert "first IOP in 2011" in fixed.loc["d", "basis"]
    assert fixed.loc["b", ["lower", "upper"]].tolist() == [2010, 2011]
    with pytest.raises(InputError, match="unknown unit"):
        I.adoption_intervals(pan, 2013, corrections=[dict(kommun_code="zz", lower=2011, upper=2011)])


def test_stated_first_years_are_the_sources_claims():
    t = I.stated_first_years().set_index("kommun_name")
    assert t.loc["Göteborg", "lower"] == 2013 and t.loc["Eskilstuna", "upper"] == 2018
    assert t.loc["Sigtuna", "kommun_code"] == "0191"
    assert (t.loc["Västerås", ["lower", "upper"]] == [2010, 2012]).all()


# --------------------------------------------------------------------------- the likelihood
def test_exact_events_equal_the_binomial_glm():
    pan = _panel(21)  # seed 21
    iv = I.adoption_intervals(pan, 2020)
    assert set(iv["status"]) == {"exact", "censored"}
    got = I.fit_interval_hazard(iv, ["x", "g"], centre=2015)
    pp = S.person_period(pan[pan["year"] <= 2020])
    ref = S.fit_discrete_hazard(pp, "event", ["x", "g"], time="year", centre=2015, cluster=None)
    np.testing.assert_allclose(got.coef["estimate"], ref.coef["estimate"], rtol=1e-6, atol=1e-8)
    assert got.summary["log_likelihood"].iloc[0] == pytest.approx(ref.summary["log_likelihood"].iloc[0])
    assert got.coef["term"].tolist() == ref.coef["term"].tolist()


def test_interval_censored_fit_equals_direct_scipy_optimisation():
    iv = _interval_data(5)  # seed 5
    assert (iv["status"] == "interval").sum() == 0  # statuses are from before the blurring
    lo, up = iv["lower"].astype(float), iv["upper"].astype("Float64")
    assert ((lo < up.astype(float)) & up.notna()).sum() > 10  # real intervals
    got = I.fit_interval_hazard(iv, ["x", "g"], centre=2015, first_year=2010, end_year=2020)
    Xc = np.column_stack([iv["x"].to_numpy(float), (iv["g"] == "B").to_numpy(float)])
    start = np.array([-3.0, 0.0, 0.0, 0.0])
    # a generic quasi-Newton search on the direct likelihood, with numerical gradients only
    ref = optimize.minimize(_direct_negll, start, args=(iv, Xc, 2010, 2020, 2015), method="BFGS",
                            options=dict(gtol=1e-9))
    np.testing.assert_allclose(got.coef["estimate"], ref.x, atol=2e-4)
    assert got.summary["log_likelihood"].iloc[0] == pytest.approx(-ref.fun, abs=1e-6)
    assert got.summary["n_interval"].iloc[0] > 0
    # the analytic score vanishes and the Hessian matches finite differences
    model = got.model.model
    b = got.coef["estimate"].to_numpy()
    assert np.abs(model.score(b)).max() < 1e-5
    num = optimize.approx_fprime(b, model.score, 1e-6)
    np.testing.assert_allclose(model.hessian(b), num, rtol=1e-4, atol=1e-4)


def test_interval_model_profile_ci_and_cluster_se():
    iv = _interval_data(8)  # seed 8
    iv["county"] = np.arange(len(iv)) % 12
    w = I.fit_interval_hazard(iv, ["x"], centre=2015)
    p = I.fit_interval_hazard(iv, ["x"], centre=2015, ci="profile")
    c = I.fit_interval_hazard(iv, ["x"], centre=2015, cluster="county")
    np.testing.assert_allclose(p.coef["estimate"], w.coef["estimate"])
    # each profile bound is where the likelihood-ratio statistic equals the chi2 quantile
    q = stats.chi2.ppf(0.95, 1)
    j = 1
    for bound in ("ci_low", "ci_high"):
        v = p.coef[bound].iloc[j]
        llf = I._fixed_interval_llf(p.model.model, p.coef["estimate"].to_numpy(), j, v)
        assert 2 * (p.summary["log_likelihood"].iloc[0] - llf) == pytest.approx(q, abs=1e-4)
    assert p.coef["ci_low"].iloc[j] < p.coef["estimate"].iloc[j] < p.coef["ci_high"].iloc[j]
    assert "county" in c.summary["se_type"].iloc[0]
    assert not np.allclose(c.coef["std_error"], w.coef["std_error"])


def test_time_specifications():
    iv = _interval_data(3)  # seed 3
    per = I.fit_interval_hazard(iv, ["x"], time="periods", breaks=(2010, 2014, 2018))
    assert [t for t in per.coef["term"] if t.startswith("year_period")] == [
        "year_period[T.2014–2017]", "year_period[T.2018–]"]
    lg = I.fit_interval_hazard(iv, ["x"], time="log_duration")
    assert "log(duration)" in set(lg.coef["term"])
    none = I.fit_interval_hazard(iv, ["x"], time="none")
    assert none.coef["term"].tolist() == ["Intercept", "x"]
    lin = I.fit_interval_hazard(iv, ["x"])
    assert lin.summary["time_centre"].iloc[0] == 2015.0  # middle of the window by default
    with pytest.raises(InputError, match="time must be"):
        I.fit_interval_hazard(iv, ["x"], time="quadratic")


# --------------------------------------------------------------------------- penalised hazard
def test_firth_hazard_logit_is_firths_logit_on_person_periods():
    pan = _panel(13, n=120)  # seed 13
    pp = S.person_period(pan)
    got = I.fit_firth_hazard(pp, "event", ["x"], link="logit", time="year", centre=2015, ci="wald")
    pp2 = pp.assign(year_c=pp["year"] - 2015)
    ref = S.firth_logit(pp2, "event", ["x", "year_c"], ci="wald")
    np.testing.assert_allclose(got.coef["estimate"], ref.coef["estimate"], rtol=1e-8)
    # the generic Jeffreys-prior fit with a logit link is Firth's logit too
    X = np.column_stack([np.ones(len(pp)), pp["x"], pp["year"] - 2015])
    gen = I.jeffreys_fit(X, pp["event"].to_numpy(float), "logit")
    np.testing.assert_allclose(gen["beta"], ref.coef["estimate"], rtol=1e-6, atol=1e-8)


def test_jeffreys_cloglog_is_finite_under_separation_and_solves_its_score():
    # every event is in group B: ML diverges, the penalised estimate does not
    pp = pd.DataFrame({"event": [0] * 30 + [1, 0, 0, 1, 0, 1, 0, 0, 0, 0],
                       "b": [0] * 30 + [1] * 10, "year": list(range(2010, 2050))})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        ml = S.fit_discrete_hazard(pp, "event", ["b"], cluster=None)
    assert ml.coef["estimate"].iloc[1] > 10 or not np.isfinite(ml.coef["std_error"].iloc[1])
    fh = I.fit_firth_hazard(pp, "event", ["b"])
    assert np.isfinite(fh.coef[["estimate", "ci_low"]].to_numpy()).all()
    assert fh.coef["ci_high"].iloc[1] > fh.coef["estimate"].iloc[1] > fh.coef["ci_low"].iloc[1]
    X = np.column_stack([np.ones(40), pp["b"]])
    y = pp["event"].to_numpy(float)

    def pll(b):
        eta = X @ b
        mu = -np.expm1(-np.exp(eta))
        w = np.exp(eta) ** 2 * np.exp(-np.exp(eta)) / mu
        return np.sum(y * np.log(mu) - (1 - y) * np.exp(eta)) + 0.5 * np.linalg.slogdet((X * w[:, None]).T @ X)[1]

    b = fh.coef["estimate"].to_numpy()
    grad = optimize.approx_fprime(b, pll, 1e-7)
    assert np.abs(grad).max() < 1e-4
    assert fh.summary["penalised_log_likelihood"].iloc[0] == pytest.approx(pll(b))


def test_firth_hazard_profile_ci_and_summary():
    pan = _panel(17, n=150)  # seed 17
    pp = S.person_period(pan)
    r = I.fit_firth_hazard(pp, "event", ["x", "g"], time="year")
    assert r.summary["method"].iloc[0].startswith("firth")
    assert r.summary["time_centre"].iloc[0] == pytest.approx(pp["year"].mean())
    assert (r.coef["ci_low"] < r.coef["estimate"]).all() and (r.coef["estimate"] < r.coef["ci_high"]).all()
    ml = S.fit_discrete_hazard(pp, "event", ["x", "g"], time="year", centre="mean", cluster=None)
    # the penalty shrinks towards zero
    assert abs(r.coef["estimate"].iloc[1]) <= abs(ml.coef["estimate"].iloc[1]) + 1e-9


def test_fit_discrete_hazard_new_time_options():
    pan = _panel(2)  # seed 2
    pp = S.person_period(pan)
    raw = S.fit_discrete_hazard(pp, "event", ["x"], time="year", cluster=None)
    cen = S.fit_discrete_hazard(pp, "event", ["x"], time="year", centre=2015, cluster=None)
    np.testing.assert_allclose(raw.coef["estimate"].iloc[1:], cen.coef["estimate"].iloc[1:], rtol=1e-6)
    assert abs(cen.coef["estimate"].iloc[0]) < 10 < abs(raw.coef["estimate"].iloc[0])
    assert cen.summary["time_centre"].iloc[0] == 2015
    per = S.fit_discrete_hazard(pp, "event", ["x"], time="year", time_form="periods", breaks=(2010, 2015))
    assert per.coef["term"].tolist() == ["Intercept", "x", "year_period[T.2015–]"]
    lg = S.fit_discrete_hazard(pp, "event", ["x"], time="duration", time_form="log")
    assert "log(duration)" in set(lg.coef["term"])
    cty = S.fit_discrete_hazard(pp.assign(county=pp["kommun_code"].str[-1]), "event", ["x"], cluster="county")
    assert "county" in cty.summary["se_type"].iloc[0]
