"""Tests of iopstudy.spread against direct scipy/statsmodels calls and lifelines.

Reference numbers come from the libraries themselves on the same data (the
library call sits next to each comparison). Random data use fixed seeds,
named in each test, so a failure can be replayed.
"""

from __future__ import annotations

import importlib.util
import inspect
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.stats as st
import statsmodels.api as sm
from statsmodels.stats.proportion import proportion_confint

from iopstudy import spread as S
from iopstudy.errors import InputError, StatisticalWarning
from iopstudy.spread.design import design
from iopstudy.spread.firth import _firth_core as firth_core

ROOT = Path(__file__).resolve().parents[1]
LOV = ROOT / "data" / "raw" / "literature" / "lov_status_skr.csv"


# --------------------------------------------------------------------------- fixtures
def _municipalities(seed: int = 11) -> pd.DataFrame:
    """290 synthetic municipalities in the shape of the panel's last year."""
    rng = np.random.default_rng(seed)
    n = 290
    groups = np.array(["A1"] * 3 + ["A2"] * 43 + ["B3"] * 21 + ["B4"] * 50 + ["B5"] * 37
                      + ["C6"] * 29 + ["C7"] * 34 + ["C8"] * 20 + ["C9"] * 53)
    skr = pd.Categorical(groups, categories=["A1", "A2", "B3", "B4", "B5", "C6", "C7", "C8", "C9"], ordered=True)
    logpop = rng.normal(10, 1, n)
    logpop[:3] = [13.5, 13.2, 12.8]
    df = pd.DataFrame(
        {
            "kommun_code": [f"{i:04d}" for i in range(100, 100 + n)],
            "log_population": logpop,
            "skr_group": skr,
            "skr_main_group": pd.Categorical([g[0] for g in groups], categories=list("ABC"), ordered=True),
            "county_code": rng.choice([f"{c:02d}" for c in range(1, 11)], n),
        }
    )
    p = 1 / (1 + np.exp(-(-14 + 1.2 * df["log_population"])))
    df["ever_adopted"] = rng.random(n) < p
    df.loc[:2, "ever_adopted"] = True  # all three A1 adopted: separation, as in the register
    return df


# --------------------------------------------------------------------------- Wilson
def test_wilson_equals_statsmodels():
    x = np.array([0, 3, 26, 290])
    n = np.array([10, 10, 290, 290])
    got = S.wilson_ci(x, n, alpha=0.05)
    lo, hi = proportion_confint(x, n, alpha=0.05, method="wilson")
    np.testing.assert_allclose(got["ci_low"], np.clip(lo, 0, 1), atol=1e-12)
    np.testing.assert_allclose(got["ci_high"], np.clip(hi, 0, 1), atol=1e-12)
    np.testing.assert_allclose(got["share"], x / n)
    assert list(got.columns) == ["successes", "n", "share", "ci_low", "ci_high"]


def test_wilson_zero_n_is_nan_not_error():
    got = S.wilson_ci([0, 1], [0, 2])
    assert np.isnan(got.loc[0, "share"]) and np.isnan(got.loc[0, "ci_low"])
    with pytest.raises(InputError):
        S.wilson_ci(3, 2)


# --------------------------------------------------------------------------- adoption curves
def test_adoption_curve_reproduces_lov_in_operation():
    counts = pd.read_csv(LOV)
    units = [f"{i:04d}" for i in range(290)]
    mapping = {
        "lov_in_operation": "in_operation",
        "decided_to_introduce": "decided",
        "no_lov": "none",
        "abolished_lov": "abolished",
    }
    table = S.expand_status_counts(counts, units, status_columns=mapping, unit="kommun_code")
    assert len(table) == len(counts) * 290
    curve = S.adoption_curve(table, in_operation="status")
    merged = curve.merge(counts, on="year")
    assert (merged["n_adopted"] == merged["lov_in_operation"]).all()
    assert (merged["n_units"] == 290).all()
    assert (curve["definition"] == "in_operation").all()
    # the other statuses are reproduced too
    for col, status in mapping.items():
        c = S.adoption_curve(table, in_operation="status", in_operation_values=[status])
        assert c["n_adopted"].tolist() == counts.sort_values("year")[col].tolist()
    # a boolean "in operation" column gives the same series
    table["lov_on"] = table["status"] == "in_operation"
    c2 = S.adoption_curve(table, in_operation="lov_on")
    assert c2["n_adopted"].tolist() == curve["n_adopted"].tolist()


def test_expand_status_counts_rejects_wrong_totals():
    counts = pd.DataFrame({"year": [2010], "a": [1], "b": [1]})
    with pytest.raises(InputError, match="sum to 2"):
        S.expand_status_counts(counts, ["x", "y", "z"])


def test_adoption_curve_cumulative_vs_in_operation_with_exit():
    # unit u1 adopts in 2011 and abolishes in 2013: counted cumulatively, not in operation
    panel = pd.DataFrame(
        {
            "kommun_code": ["u1"] * 4 + ["u2"] * 4,
            "year": [2010, 2011, 2012, 2013] * 2,
            "status": ["none", "in_operation", "in_operation", "abolished",
                       "none", "none", "none", "in_operation"],
        }
    )
    panel["adopted"] = panel["status"] == "in_operation"
    cum = S.adoption_curve(panel)
    op = S.adoption_curve(panel, in_operation="status")
    assert cum["n_adopted"].tolist() == [0, 1, 1, 2]
    assert op["n_adopted"].tolist() == [0, 1, 1, 1]
    assert cum["definition"].iloc[0] == "ever_adopted_by_year"
    assert list(cum.columns) == ["year", "group", "n_units", "n_adopted", "share", "ci_low", "ci_high", "definition"]


def test_adoption_curve_by_group_keeps_category_order():
    m = _municipalities()
    panel = pd.concat([m.assign(year=y) for y in (2020, 2021)], ignore_index=True)
    panel["adopted"] = panel["ever_adopted"]
    cur = S.adoption_curve(panel, by="skr_main_group")
    assert cur[cur.year == 2020]["group"].astype(str).tolist() == ["A", "B", "C"]
    assert cur.groupby("year")["n_units"].sum().tolist() == [290, 290]


def test_adoption_curve_rejects_duplicates_and_na():
    panel = pd.DataFrame({"kommun_code": ["a", "a"], "year": [2010, 2010], "adopted": [True, False]})
    with pytest.raises(InputError, match="more than one row"):
        S.adoption_curve(panel)
    panel = pd.DataFrame({"kommun_code": ["a", "b"], "year": [2010, 2010], "adopted": [True, None]})
    with pytest.raises(InputError, match="missing values"):
        S.adoption_curve(panel)


# --------------------------------------------------------------------------- contingency tables
def test_crosstab_chi_square_equals_scipy():
    rng = np.random.default_rng(5)  # seed 5
    df = pd.DataFrame({"g": rng.choice(list("abc"), 600), "y": rng.random(600) < 0.4})
    res = S.adoption_crosstab(df, "g", "y")
    tab = pd.crosstab(df["g"], df["y"]).to_numpy()
    ref = st.chi2_contingency(tab)
    row = res.test.iloc[0]
    assert row["test"].startswith("chi-square")
    assert row["statistic"] == pytest.approx(ref.statistic, rel=1e-12)
    assert row["p_value"] == pytest.approx(ref.pvalue, rel=1e-12)
    assert row["dof"] == ref.dof
    assert row["cramers_v"] == pytest.approx(st.contingency.association(tab, method="cramer"))
    assert row["min_expected"] >= 5
    assert "Cochran" in row["rule"]
    assert list(res.test.columns[:8]) == S.TEST_COLUMNS
    table, test = res  # unpacks
    assert table["count"].sum() == 600


def test_crosstab_2x2_yates_equals_scipy_default():
    df = pd.DataFrame({"g": ["a"] * 50 + ["b"] * 50, "y": [True] * 20 + [False] * 30 + [True] * 35 + [False] * 15})
    res = S.adoption_crosstab(df, "g", "y")
    ref = st.chi2_contingency(np.array([[30, 20], [15, 35]]))  # correction=True by default
    assert "Yates" in res.test["test"].iloc[0]
    assert res.test["statistic"].iloc[0] == pytest.approx(ref.statistic)


def test_crosstab_zero_cell_uses_fisher():
    # all 3 "A1" units adopted, 2 of 40 others: a 2x2 table with a zero cell
    df = pd.DataFrame({"g": ["A1"] * 3 + ["other"] * 40, "y": [True] * 3 + [True] * 2 + [False] * 38})
    res = S.adoption_crosstab(df, "g", "y")
    row = res.test.iloc[0]
    assert row["test"] == "Fisher exact (2x2)"
    tab = pd.crosstab(df["g"], df["y"]).to_numpy()
    ref = st.fisher_exact(tab)
    assert row["p_value"] == pytest.approx(ref.pvalue, rel=1e-12)
    assert row["min_expected"] < 5
    t = res.table
    assert t.loc[(t.group == "A1") & (t.outcome == False), "count"].item() == 0  # noqa: E712


def test_crosstab_rxc_small_cells_monte_carlo_fisher():
    m = _municipalities()
    res = S.adoption_crosstab(m, "skr_group", n_resamples=2000, seed=7)
    row = res.test.iloc[0]
    assert row["test"] == "Fisher-Freeman-Halton (Monte Carlo)"
    assert np.isnan(row["statistic"])  # no probability in the statistic column
    tab = pd.crosstab(m["skr_group"], m["ever_adopted"]).to_numpy()
    if "rng" in inspect.signature(st.MonteCarloMethod).parameters:  # scipy >= 1.15 has r x c Fisher
        ref = st.fisher_exact(tab, method=st.MonteCarloMethod(n_resamples=2000, rng=np.random.default_rng(7)))
        assert row["p_value"] == pytest.approx(ref.pvalue)
    again = S.adoption_crosstab(m, "skr_group", n_resamples=2000, seed=7).test
    assert again["p_value"].iloc[0] == row["p_value"]  # fixed seed: reproducible
    assert "seed 7" in row["note"]


def test_crosstab_constant_outcome_gives_no_test():
    df = pd.DataFrame({"g": list("aabb"), "y": [True] * 4})
    res = S.adoption_crosstab(df, "g", "y")
    assert res.test["test"].iloc[0] == "none"
    assert np.isnan(res.test["p_value"].iloc[0])


# --------------------------------------------------------------------------- logistic models
def test_fit_logit_ml_equals_statsmodels():
    rng = np.random.default_rng(21)  # seed 21
    n = 400
    df = pd.DataFrame({"x": rng.normal(size=n), "g": rng.choice(list("abc"), n)})
    eta = -0.5 + 0.8 * df["x"] + np.where(df["g"] == "b", 0.5, 0)
    df["y"] = rng.random(n) < 1 / (1 + np.exp(-eta))
    res = S.fit_logit(df, "y", ["x", "g"])
    X = pd.get_dummies(df[["x", "g"]], columns=["g"], drop_first=True, dtype=float)
    ref = sm.Logit(df["y"].astype(float), sm.add_constant(X)).fit(disp=0)
    np.testing.assert_allclose(res.coef["estimate"], ref.params, rtol=1e-6)
    np.testing.assert_allclose(res.coef["std_error"], ref.bse, rtol=1e-6)
    assert res.summary["method"].iloc[0] == "ml"
    assert res.coef["term"].tolist() == ["Intercept", "x", "g[T.b]", "g[T.c]"]
    assert np.isnan(res.coef["ratio"].iloc[0])
    np.testing.assert_allclose(res.coef["ratio"].iloc[1:], np.exp(ref.params.iloc[1:]))


def test_perfect_separation_gives_finite_firth_and_warning():
    x = np.arange(20, dtype=float)
    df = pd.DataFrame({"x": x, "y": x >= 10})  # perfect separation
    with pytest.warns(StatisticalWarning, match="separation"):
        res = S.fit_logit(df, "y", ["x"])
    assert res.summary["method"].iloc[0] == "firth"
    assert bool(res.summary["separation"].iloc[0])
    assert "Firth" in res.summary["notes"].iloc[0]
    assert "separation" in res.summary["warnings"].iloc[0]
    assert np.isfinite(res.coef["estimate"]).all()
    assert np.isfinite(res.coef["std_error"]).all()
    assert res.coef["ratio"].iloc[1] < 1e6  # no silent 1e+15 odds ratio


def test_forced_ml_under_separation_warns_loudly():
    x = np.arange(20, dtype=float)
    df = pd.DataFrame({"x": x, "y": x >= 10})
    # statsmodels >= 0.14.1 returns huge estimates (flagged), 0.14.0 a singular matrix (refused)
    try:
        with pytest.warns(StatisticalWarning, match="not finite"):
            res = S.fit_logit(df, "y", ["x"], penalised=False)
    except InputError as err:
        assert "ML fit failed" in str(err) and "penalised='auto'" in str(err)
        return
    assert res.summary["method"].iloc[0] == "ml"
    assert "meaningless" in res.summary["warnings"].iloc[0]


def test_quasi_separation_by_group_switches_to_firth():
    m = _municipalities()  # all three A1 municipalities adopted
    with pytest.warns(StatisticalWarning, match="Firth"):
        res = S.fit_logit(m, "ever_adopted", ["log_population", "skr_group"], ci="wald")
    assert res.summary["method"].iloc[0] == "firth"
    assert np.isfinite(res.coef[["estimate", "ci_low", "ci_high"]].to_numpy()).all()


def test_firth_2x2_equals_haldane_closed_form():
    # Firth's estimate in a saturated 2x2 logistic model is the log odds ratio
    # with 0.5 added to each cell (Heinze & Schemper 2002)
    a0, b0, a1, b1 = 3, 7, 10, 0  # successes/failures at x = 0 and x = 1
    df = pd.DataFrame(
        {"x": [0] * (a0 + b0) + [1] * (a1 + b1), "y": [1] * a0 + [0] * b0 + [1] * a1 + [0] * b1}
    )
    res = S.firth_logit(df, "y", ["x"])
    b_int = np.log((a0 + 0.5) / (b0 + 0.5))
    b_x = np.log((a1 + 0.5) / (b1 + 0.5)) - b_int
    np.testing.assert_allclose(res.coef["estimate"], [b_int, b_x], atol=1e-7)
    # profile CI: the penalised LR statistic equals the chi2 quantile at each bound
    assert res.coef["ci_low"].iloc[1] < b_x < res.coef["ci_high"].iloc[1]


def test_firth_intercept_only_closed_form():
    df = pd.DataFrame({"y": [1, 1, 1, 1, 0, 0]})
    des = design(df, [], intercept=True, where="t")
    fit = firth_core(des.X.to_numpy(), df["y"].to_numpy(float))
    assert fit.beta[0] == pytest.approx(np.log(4.5 / 2.5), abs=1e-8)


def test_logit_missing_values_raise_inputerror_naming_column():
    df = pd.DataFrame({"y": [True, False, True], "x": [1.0, np.nan, 2.0]})
    with pytest.raises(InputError, match="'x'"):
        S.fit_logit(df, "y", ["x"])


# --------------------------------------------------------------------------- count models
def _count_data(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 400
    x = rng.normal(size=n)
    g = rng.choice(list("abc"), n)
    mu = np.exp(0.5 + 0.3 * x)
    return pd.DataFrame(
        {
            "x": x,
            "g": g,
            "y_pois": rng.poisson(mu),
            "y_nb": rng.negative_binomial(1, 1 / (1 + mu)),  # NB2 with alpha = 1
            "pop": rng.integers(1000, 100000, n),
        }
    )


def test_count_model_picks_nb_when_overdispersed():
    df = _count_data(1)  # seed 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        res = S.fit_count(df, "y_nb", ["x", "g"])
    assert res.chosen == "negbin"
    assert res.summary["model"].iloc[0] == "negbin"
    assert res.negbin is not None and res.poisson is not None
    ct = res.dispersion_test.iloc[0]
    assert ct["test"].startswith("Cameron-Trivedi") and ct["p_value"] < 0.05
    assert 0.5 < res.negbin.summary["nb_alpha"].iloc[0] < 2.0
    # the Cameron-Trivedi statistic, computed by hand, with the robust (HC1) variance
    mu = res.poisson.model.mu
    y = df["y_nb"].to_numpy(float)
    aux = sm.OLS(((y - mu) ** 2 - y) / mu, mu).fit(cov_type="HC1")
    assert ct["statistic"] == pytest.approx(aux.tvalues[0])
    assert ct["estimate"] == pytest.approx(aux.params[0])
    # Pearson row: statistic = X2, estimate = X2 / df
    pe = res.dispersion_test.set_index("test").loc["Pearson chi2/df"]
    assert pe["statistic"] == pytest.approx(res.poisson.model.pearson_chi2)
    assert pe["estimate"] == pytest.approx(res.poisson.model.pearson_chi2 / res.poisson.model.df_resid)
    assert list(res.dispersion_test.columns) == ["test", "statistic", "df", "p_value", "estimate", "note"]


def test_count_model_keeps_poisson_on_poisson_data():
    df = _count_data(1)  # seed 1
    res = S.fit_count(df, "y_pois", ["x", "g"])
    assert res.chosen == "poisson"
    ref = sm.GLM(df["y_pois"], sm.add_constant(pd.get_dummies(df[["x", "g"]], columns=["g"], drop_first=True, dtype=float)),
                 family=sm.families.Poisson()).fit()
    np.testing.assert_allclose(res.coef["estimate"], ref.params, rtol=1e-8)
    assert res.coef["ratio"].iloc[1] == pytest.approx(np.exp(ref.params["x"]))


def test_count_model_exposure_equals_offset_of_log():
    df = _count_data(2)  # seed 2
    with warnings.catch_warnings():  # Poisson data: the negative binomial's alpha runs to 0 (it warns)
        warnings.simplefilter("ignore", StatisticalWarning)
        a = S.fit_count(df, "y_pois", ["x"], exposure="pop")
        b = S.fit_count(df.assign(lp=np.log(df["pop"])), "y_pois", ["x"], offset="lp")
    np.testing.assert_allclose(a.poisson.coef["estimate"], b.poisson.coef["estimate"])


# --------------------------------------------------------------------------- person-period and hazards
def _small_panel() -> pd.DataFrame:
    years = [2010, 2011, 2012, 2013]
    rows = []
    first = {"a": 2012, "b": None, "c": 2010, "d": 2008}
    for u, f in first.items():
        for y in years:
            rows.append({"kommun_code": u, "year": y, "first_iop_year": f, "x": 1.0 if u in "ac" else 0.0})
    df = pd.DataFrame(rows)
    df["first_iop_year"] = df["first_iop_year"].astype("Int64")
    return df


def test_person_period_hand_checked():
    panel = _small_panel()
    with pytest.warns(StatisticalWarning, match="left-censored"):
        pp = S.person_period(panel)
    got = [(r.kommun_code, r.year, r.event, r.duration) for r in pp.itertuples()]
    assert got == [
        # a: at risk 2010-2012, adopts 2012 and leaves the risk set
        ("a", 2010, 0, 1), ("a", 2011, 0, 2), ("a", 2012, 1, 3),
        # b: never adopts, censored at the last year
        ("b", 2010, 0, 1), ("b", 2011, 0, 2), ("b", 2012, 0, 3), ("b", 2013, 0, 4),
        # c: adopts in the first year
        ("c", 2010, 1, 1),
        # d: adopted before 2010: never at risk, left out (with a warning)
    ]
    assert pp["event"].dtype == "int64"


def test_person_period_rejects_varying_event_time():
    panel = _small_panel()
    panel.loc[0, "first_iop_year"] = 2013
    with pytest.raises(InputError, match="constant"):
        S.person_period(panel)


def test_discrete_hazard_equals_statsmodels_cluster_glm():
    rng = np.random.default_rng(3)  # seed 3
    m = _municipalities(3)
    years = np.arange(2010, 2024)
    first = np.where(rng.random(len(m)) < 0.3, rng.integers(2010, 2030, len(m)), -1)
    panel = pd.concat([m.assign(year=y) for y in years], ignore_index=True)
    panel["first_iop_year"] = pd.array(np.tile(first, len(years)), dtype="Int64")
    panel.loc[panel["first_iop_year"] < 0, "first_iop_year"] = pd.NA
    pp = S.person_period(panel)
    res = S.fit_discrete_hazard(pp, "event", ["log_population", "skr_main_group"], cluster="kommun_code")
    X = sm.add_constant(pd.get_dummies(pp[["log_population", "skr_main_group"]], drop_first=True, dtype=float))
    ref = sm.GLM(pp["event"], X, family=sm.families.Binomial(link=sm.families.links.CLogLog())).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(pp["kommun_code"])[0]}
    )
    np.testing.assert_allclose(res.coef["estimate"], ref.params, rtol=1e-7)
    np.testing.assert_allclose(res.coef["std_error"], ref.bse, rtol=1e-7)
    assert "cluster-robust" in res.summary["notes"].iloc[0]
    assert res.summary["events"].iloc[0] == pp["event"].sum()
    logit = S.fit_discrete_hazard(pp, "event", ["log_population"], link="logit", time="year")
    assert logit.coef["term"].tolist() == ["Intercept", "log_population", "year"]
    assert "odds ratio" in logit.summary["notes"].iloc[0]


# --------------------------------------------------------------------------- Cox and Kaplan-Meier vs lifelines
needs_lifelines = pytest.mark.skipif(
    importlib.util.find_spec("lifelines") is None, reason="lifelines (test dependency) not installed"
)


def _rossi() -> pd.DataFrame:
    from lifelines.datasets import load_rossi

    return load_rossi()


def _tied() -> pd.DataFrame:
    # small data with heavy ties (yearly adoption-like durations) and censoring
    rng = np.random.default_rng(8)  # seed 8
    n = 60
    x = rng.normal(size=n)
    g = rng.integers(0, 2, n)
    t = np.minimum(rng.geometric(0.15 * np.exp(0.4 * x - 0.5 * g).clip(0.01, 0.9)), 10)
    e = (t < 10).astype(int)
    return pd.DataFrame({"t": t.astype(float), "e": e, "x": x, "g": g})


@needs_lifelines
@pytest.mark.parametrize("name", ["rossi", "tied"])
def test_cox_agrees_with_lifelines_efron(name):
    from lifelines import CoxPHFitter

    if name == "rossi":
        df, dur, ev = _rossi(), "week", "arrest"
    else:
        df, dur, ev = _tied(), "t", "e"
    covs = [c for c in df.columns if c not in (dur, ev)]
    res = S.fit_cox(df, dur, ev, covs)  # ties="efron" by default
    ref = CoxPHFitter().fit(df, dur, ev).summary  # lifelines: Efron ties
    np.testing.assert_allclose(res.coef["estimate"], ref["coef"].to_numpy(), atol=1e-4)
    np.testing.assert_allclose(res.coef["std_error"], ref["se(coef)"].to_numpy(), atol=1e-4)
    np.testing.assert_allclose(res.coef["ci_low"], ref["coef lower 95%"].to_numpy(), atol=1e-4)
    np.testing.assert_allclose(res.coef["ratio"], ref["exp(coef)"].to_numpy(), rtol=1e-4)
    np.testing.assert_allclose(res.coef["p_value"], ref["p"].to_numpy(), atol=1e-4)
    assert res.summary["ties"].iloc[0] == "efron"
    assert "Efron" in res.summary["notes"].iloc[0]


@needs_lifelines
def test_cox_strata_agrees_with_lifelines():
    from lifelines import CoxPHFitter

    r = _rossi()
    covs = ["fin", "age", "race", "mar", "paro", "prio"]
    res = S.fit_cox(r, "week", "arrest", covs, strata="wexp")
    ref = CoxPHFitter().fit(r, "week", "arrest", strata=["wexp"]).summary.loc[covs]
    np.testing.assert_allclose(res.coef["estimate"], ref["coef"].to_numpy(), atol=1e-4)
    np.testing.assert_allclose(res.coef["std_error"], ref["se(coef)"].to_numpy(), atol=1e-4)
    assert "stratified by wexp" in res.summary["notes"].iloc[0]


@needs_lifelines
def test_cox_ties_are_explicit_and_missing_raise():
    df = _tied()
    efron = S.fit_cox(df, "t", "e", ["x", "g"])
    breslow = S.fit_cox(df, "t", "e", ["x", "g"], ties="breslow")
    assert not np.allclose(efron.coef["estimate"], breslow.coef["estimate"])  # ties matter here
    bad = df.copy()
    bad.loc[3, "x"] = np.nan
    with pytest.raises(InputError, match="'x'"):
        S.fit_cox(bad, "t", "e", ["x", "g"])


def _compare_km(got: pd.DataFrame, t, e):
    from lifelines import KaplanMeierFitter

    kmf = KaplanMeierFitter().fit(t, e)  # log-log ("exponential Greenwood") CIs
    ci = kmf.confidence_interval_
    np.testing.assert_allclose(got["time"], kmf.survival_function_.index.to_numpy(), atol=1e-12)
    np.testing.assert_allclose(got["survival"], kmf.survival_function_.iloc[:, 0], atol=1e-4)
    np.testing.assert_allclose(got["ci_low"], ci.iloc[:, 0], atol=1e-4)
    np.testing.assert_allclose(got["ci_high"], ci.iloc[:, 1], atol=1e-4)
    np.testing.assert_array_equal(got["n_at_risk"], kmf.event_table["at_risk"])
    np.testing.assert_array_equal(got["n_events"], kmf.event_table["observed"])
    np.testing.assert_array_equal(got["n_censored"], kmf.event_table["censored"])


@needs_lifelines
def test_kaplan_meier_agrees_with_lifelines():
    r = _rossi()
    _compare_km(S.kaplan_meier(r, "week", "arrest"), r["week"], r["arrest"])
    by = S.kaplan_meier(r, "week", "arrest", group="fin")
    for g, d in r.groupby("fin"):
        _compare_km(by[by["group"] == g].reset_index(drop=True), d["week"], d["arrest"])
    tied = _tied()
    _compare_km(S.kaplan_meier(tied, "t", "e"), tied["t"], tied["e"])
    assert list(by.columns) == ["group", "time", "n_at_risk", "n_events", "n_censored", "survival", "ci_low", "ci_high"]


@needs_lifelines
def test_kaplan_meier_all_events_reaches_zero():
    df = pd.DataFrame({"t": [1.0, 2.0, 2.0, 3.0], "e": [1, 1, 0, 1]})
    km = S.kaplan_meier(df, "t", "e")
    _compare_km(km, df["t"], df["e"])
    assert km["survival"].iloc[-1] == 0 and km["ci_low"].iloc[-1] == 0


@needs_lifelines
def test_logrank_equals_statsmodels():
    from statsmodels.duration.survfunc import survdiff

    r = _rossi()
    got = S.logrank_test(r, "week", "arrest", "fin")
    stat, p = survdiff(r["week"].to_numpy(float), r["arrest"].to_numpy(float), r["fin"].to_numpy())
    assert got["statistic"].iloc[0] == pytest.approx(stat)
    assert got["p_value"].iloc[0] == pytest.approx(p)


# --------------------------------------------------------------------------- partnerships
def _partnerships() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "record_id": [f"IOP-{i:04d}" for i in range(1, 11)],
            "level": ["kommun"] * 8 + ["region"] * 2,
            "kommun_code": ["1480"] * 4 + ["1490"] * 2 + ["0180", "0380"] + [None, None],
            "start_year": pd.array([2015, 2016, None, 2021, 2019, 2023, None, 2012, 2020, None], dtype="Int64"),
            "policy_area_primary": ["eu_migrants", "eu_migrants", "violence", "violence", "culture",
                                    "culture", "violence", "homelessness", "health", "health"],
        }
    )


def test_policy_composition_by_level():
    p = _partnerships()
    res = S.policy_composition(p, by="level", n_resamples=999, seed=1)
    t = res.table
    assert t["count"].sum() == 10
    assert list(t.columns) == ["group", "area", "count", "group_total", "share", "ci_low", "ci_high", "expected"]
    assert t.groupby("group")["share"].sum().round(12).eq(1).all()
    assert res.test["test"].iloc[0] == "Fisher-Freeman-Halton (Monte Carlo)"


def test_policy_composition_by_period_drops_undated_with_note():
    p = _partnerships()
    res = S.policy_composition(p, by="period", n_resamples=999)
    assert res.table["count"].sum() == 7
    assert "3 agreement(s) with missing period" in res.test["note"].iloc[0]
    assert res.table["group"].astype(str).iloc[0] == "2010–2015"


def test_policy_composition_by_municipal_characteristic():
    p = _partnerships()
    ref = pd.DataFrame(
        {"kommun_code": ["1480", "1490", "0180", "0380"],
         "size_class": pd.Categorical(["≥200k", "100–200k", "≥200k", "≥200k"], categories=["100–200k", "≥200k"], ordered=True)}
    )
    res = S.policy_composition(p, by="size_class", municipalities=ref, n_resamples=999)
    assert res.table["count"].sum() == 8  # the two regional agreements have no size class
    with pytest.raises(InputError):
        S.policy_composition(p, by="nonexistent", municipalities=ref)


def test_concentration_hand_checked():
    p = _partnerships()
    c = S.concentration(p)
    row = c.iloc[0]
    shares = np.array([4, 2, 1, 1]) / 8
    assert row["n_agreements"] == 8 and row["n_units"] == 4 and row["n_excluded"] == 2
    assert row["top1_share"] == pytest.approx(0.5)
    assert row["top3_share"] == pytest.approx(7 / 8)
    assert row["top5_share"] == pytest.approx(1.0)
    assert row["top_unit"] == "1480"
    hhi = (shares**2).sum()
    assert row["hhi"] == pytest.approx(hhi)
    assert row["hhi_normalised"] == pytest.approx((hhi - 1 / 4) / (1 - 1 / 4))
    c290 = S.concentration(p, n_units=290)
    assert c290["hhi_normalised"].iloc[0] == pytest.approx((hhi - 1 / 290) / (1 - 1 / 290))


def test_period_of():
    assert S.period_of(2009) == "–2009"
    assert S.period_of(2010) == "2010–2015"
    assert S.period_of(2019) == "2016–2019"
    assert S.period_of(2021) == "2020–2021"
    assert S.period_of(2030) == "2022–"
    assert S.period_of(None) is None
    s = S.period_of(pd.Series([2016, None], dtype="Int64"))
    assert s.cat.ordered and list(s.cat.categories)[0] == "–2009"
    assert pd.isna(s.iloc[1])
    with pytest.raises(InputError):
        S.period_of(2010, breaks=(2016, 2010))


def test_constant_outcome_is_a_clear_error():
    import numpy as np
    import pandas as pd

    from iopstudy.errors import InputError
    from iopstudy.spread import fit_logit

    d = pd.DataFrame({"y": [1] * 30, "x": np.arange(30.0)})
    with pytest.raises(InputError, match="nothing to model"):
        fit_logit(d, "y", ["x"])
