"""The diffusion panel (covariates of t − 1) and the discrete-time hazard model on it."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from iopstudy.errors import InputError, StatisticalWarning
from iopstudy.spread import diffusion as D

ROOT = Path(__file__).resolve().parents[1]
YEARS = [2011, 2012, 2013, 2014, 2015]


# --------------------------------------------------------------------------- a hand-made panel
@pytest.fixture()
def hand():
    """Four municipalities on a line A - B - C - D; A and B in county 01, C and D in 02.

    A adopts in 2012 (dated start), B has one agreement known only by its end year (2013),
    C adopts in 2014, D has nothing. Region 01 has an agreement starting 2013; region 02 one
    known only by its end year 2012.
    """
    codes = ["0001", "0002", "0003", "0004"]
    first = {"0001": 2012, "0002": None, "0003": 2014, "0004": None}
    evid = {"0001": 2012, "0002": 2013, "0003": 2014, "0004": None}
    rows = [{"kommun_code": c, "year": y, "county_code": "01" if c < "0003" else "02",
                 "first_iop_year": first[c], "first_evidence_year": evid[c], "ever_adopted": c != "0004"}
            for c in codes for y in YEARS]
    panel = pd.DataFrame(rows)
    panel["first_iop_year"] = panel["first_iop_year"].astype("Int64")
    panel["first_evidence_year"] = panel["first_evidence_year"].astype("Int64")
    line = [("0001", "0002"), ("0002", "0003"), ("0003", "0004")]
    pairs = pd.DataFrame([(a, b) for a, b in line] + [(b, a) for a, b in line],
                         columns=["kommun_code", "neighbour_code"]).assign(kind="border")
    pop = pd.DataFrame([{"kommun_code": c, "year": y, "population": 1000 * (i + 1) + (y - 2010)}
                        for i, c in enumerate(codes) for y in (2010, 2011, 2012, 2013)])
    area = pd.DataFrame({"kommun_code": codes, "year": 2012, "land_area_km2": [10.0, 20.0, 40.0, 80.0]})
    votes = pd.DataFrame([{"kommun_code": c, "election_year": e, "party": p, "votes": v}
                          for c in codes for e, s in ((2010, 30), (2014, 60))
                          for p, v in (("S", s), ("M", 100 - s))])
    parts = pd.DataFrame({"level": ["region", "region", "kommun"], "county_code": ["01", "02", "01"],
                          "start_year": [2013, None, 2012], "end_year": [None, 2012, None]})
    return {"panel": panel, "partnerships": parts, "pairs": pairs, "population": pop, "land_area": area, "votes": votes}


def _cov(hand, **kw):
    src = {k: hand[k] for k in ("pairs", "population", "land_area", "votes")}
    return D.lagged_covariates(hand["panel"], hand["partnerships"], **src, **kw).set_index(["kommun_code", "year"])


def test_population_and_density_are_those_of_the_year_before(hand):
    c = _cov(hand)
    assert c.loc[("0002", 2011), "population_lag"] == 2000  # 31 Dec 2010
    assert c.loc[("0002", 2014), "population_lag"] == 2003  # 31 Dec 2013
    assert c.loc[("0002", 2014), "population_year"] == 2013
    # the data end in 2013: 2015 takes the latest year before it, and says so
    assert c.loc[("0002", 2015), "population_lag"] == 2003
    assert c.loc[("0002", 2015), "population_year"] == 2013
    assert c.loc[("0003", 2012), "density_lag"] == pytest.approx(3001 / 40.0)
    assert c.loc[("0003", 2012), "log_density_lag"] == pytest.approx(np.log(3001 / 40.0))
    assert c.loc[("0001", 2013), "log_population_lag"] == pytest.approx(np.log(1002))


def test_neighbour_share_counts_dated_adoptions_by_t_minus_1(hand):
    c = _cov(hand)
    share = c["neighbour_share_lag"].unstack("year")
    # B's neighbours are A (2012) and C (2014): half from 2013, all from 2015
    assert share.loc["0002"].tolist() == [0.0, 0.0, 0.5, 0.5, 1.0]
    # A's only neighbour B has no dated start; D's neighbour C adopted in 2014
    assert share.loc["0001"].tolist() == [0.0] * 5
    assert share.loc["0004"].tolist() == [0.0, 0.0, 0.0, 0.0, 1.0]
    assert c.loc[("0002", 2015), "n_neighbours"] == 2
    assert c.loc[("0002", 2015), "neighbours_adopted_lag"] == 2


def test_with_start_or_end_dating_an_end_year_counts_too(hand):
    c = _cov(hand, event_time="first_evidence_year")
    share = c["neighbour_share_lag"].unstack("year")
    assert share.loc["0001"].tolist() == [0.0, 0.0, 0.0, 1.0, 1.0]  # B known from its end year 2013
    reg = c["region_iop_lag"].unstack("year")
    assert reg.loc["0003"].tolist() == [0, 0, 1, 1, 1]  # region 02: end year 2012


def test_region_agreement_counts_from_the_year_after_its_start(hand):
    reg = _cov(hand)["region_iop_lag"].unstack("year")
    assert reg.loc["0001"].tolist() == [0, 0, 0, 1, 1]  # region 01 started 2013
    assert reg.loc["0003"].tolist() == [0] * 5  # region 02 has no start year


def test_left_share_is_the_latest_riksdag_election_before_the_year(hand):
    c = _cov(hand)
    assert c.loc[("0001", 2014), "election_year"] == 2010  # the 2014 election was held in 2014
    assert c.loc[("0001", 2014), "left_share"] == pytest.approx(0.3)
    assert c.loc[("0001", 2015), "election_year"] == 2014
    assert c.loc[("0001", 2015), "left_share"] == pytest.approx(0.6)


def test_lagged_covariates_keep_the_panel_and_check_inputs(hand):
    c = _cov(hand).reset_index()
    assert len(c) == len(hand["panel"])
    assert list(c.columns[-len(D.LAGGED_COLUMNS):]) == D.LAGGED_COLUMNS
    assert not c[D.LAGGED_COLUMNS].isna().any().any()
    src = {k: hand[k] for k in ("population", "land_area", "votes")}
    lonely = hand["pairs"][hand["pairs"]["kommun_code"] != "0004"]
    with pytest.raises(InputError, match="without neighbours"):
        D.lagged_covariates(hand["panel"], hand["partnerships"], pairs=lonely, **src)
    with pytest.raises(InputError, match="event_time"):
        D.lagged_covariates(hand["panel"], hand["partnerships"], event_time="start", pairs=hand["pairs"], **src)
    late = hand["population"].assign(year=hand["population"]["year"] + 5)
    with pytest.raises(InputError, match="no value at or before"):
        D.lagged_covariates(hand["panel"], hand["partnerships"], pairs=hand["pairs"], population=late,
                            land_area=hand["land_area"], votes=hand["votes"])


def test_diffusion_panel_is_the_risk_set(hand):
    src = {k: hand[k] for k in ("pairs", "population", "land_area", "votes")}
    dp = D.diffusion_panel(hand["panel"], hand["partnerships"], 2015, **src)
    by = dp.groupby("kommun_code")["year"].agg(["min", "max"])
    assert by.loc["0001"].tolist() == [2011, 2012]  # leaves the risk set after its first IOP
    assert by.loc["0003"].tolist() == [2011, 2014]
    assert by.loc["0002"].tolist() == [2011, 2015]  # undated start: censored, kept
    assert dp["event"].sum() == 2
    assert dp.loc[(dp.kommun_code == "0003") & (dp.year == 2014), "neighbour_share_lag"].item() == 0.0
    drop = D.diffusion_panel(hand["panel"], hand["partnerships"], 2015, drop_undated_adopters=True, **src)
    assert "0002" not in set(drop["kommun_code"])


# --------------------------------------------------------------------------- the model
@pytest.fixture(scope="module")
def simulated() -> pd.DataFrame:
    """A person-period table with time-varying covariates and a known cloglog hazard."""
    rng = np.random.default_rng(42)
    rows = []
    for u in range(400):
        size = rng.normal()
        for y in range(2011, 2021):
            share = min(1.0, max(0.0, (y - 2011) / 10 + rng.normal(0, 0.2)))
            eta = -4.0 + 0.8 * size + 1.0 * share + 0.05 * (y - 2015.5)
            event = int(rng.random() < 1 - np.exp(-np.exp(eta)))
            rows.append({"kommun_code": f"{u:04d}", "county_code": f"{u % 21:02d}", "year": y, "size": size,
                             "share": share, "event": event})
            if event:
                break
    return pd.DataFrame(rows)


def test_ml_hazard_matches_a_direct_statsmodels_glm(simulated):
    import statsmodels.api as sm

    d = simulated
    r = D.fit_diffusion(d, ["size", "share"], method="ml", cluster="kommun_code")
    X = pd.DataFrame({"Intercept": 1.0, "size": d["size"], "share": d["share"], "year": d["year"] - d["year"].mean()})
    fam = sm.families.Binomial(link=sm.families.links.CLogLog())
    direct = sm.GLM(d["event"], X, family=fam).fit(cov_type="cluster",
                                                    cov_kwds={"groups": pd.factorize(d["kommun_code"])[0]})
    got = r.coef.set_index("term")
    for term in X.columns:
        assert got.at[term, "estimate"] == pytest.approx(direct.params[term], abs=1e-6)
        assert got.at[term, "std_error"] == pytest.approx(direct.bse[term], abs=1e-6)
    assert r.summary["events"].iloc[0] == d["event"].sum()
    assert got.at["size", "ratio"] == pytest.approx(np.exp(direct.params["size"]))


def test_county_clustered_errors_without_refitting(simulated):
    ml = D.fit_diffusion(simulated, ["size", "share"], method="ml", cluster="kommun_code")
    county = D.recluster(ml, simulated, "county_code")
    refit = D.fit_diffusion(simulated, ["size", "share"], method="ml", cluster="county_code")
    a, b = county.coef.set_index("term"), refit.coef.set_index("term")
    assert np.allclose(a["estimate"], b["estimate"], atol=1e-10)
    assert np.allclose(a["std_error"], b["std_error"], rtol=1e-8)
    assert np.allclose(a["p_value"], b["p_value"], rtol=1e-6)
    assert county.summary["se_type"].iloc[0].startswith("cluster-robust SEs by county_code (21 clusters)")
    with pytest.raises(InputError, match="ML result"):
        D.recluster(ml, simulated.iloc[:10], "county_code")


def test_firth_is_finite_where_ml_separates(simulated):
    d = simulated.assign(rare=0)
    d.loc[d.index[:30], "rare"] = 1
    d.loc[d["rare"] == 1, "event"] = 0  # no event among the rows with rare == 1: separation
    with pytest.warns(StatisticalWarning, match="separation"):
        D.fit_diffusion(d, ["size", "rare"], method="ml")
    f = D.fit_diffusion(d, ["size", "rare"], method="firth", ci="wald")
    assert np.isfinite(f.coef["estimate"]).all()
    assert f.summary["method"].iloc[0].startswith("firth")


def test_diffusion_models_and_rescaling(simulated):
    d = simulated.rename(columns={"share": "neighbour_share_lag"})
    m = D.diffusion_models(d, ["size", "neighbour_share_lag"])
    assert list(m.models) == ["firth", "ml_kommun", "ml_county"]
    t = m.table.set_index(["model", "term"])
    raw = m.models["firth"].coef.set_index("term")
    assert t.loc[("firth", "neighbour_share_lag"), "per"] == 0.1
    assert t.loc[("firth", "neighbour_share_lag"), "ratio"] == pytest.approx(
        np.exp(0.1 * raw.at["neighbour_share_lag", "estimate"]))
    assert t.loc[("firth", "size"), "ratio"] == pytest.approx(raw.at["size", "ratio"])
    assert t.loc[("ml_county", "size"), "estimate"] == pytest.approx(t.loc[("ml_kommun", "size"), "estimate"])


def test_published_count_of_municipalities_is_read_from_the_file():
    import csv

    from iopstudy.register.literature import read_published_counts

    pub = D.published_municipal_counts(read_published_counts(ROOT / "data"))
    with open(ROOT / "data/raw/literature/iop_published_counts.csv", encoding="utf-8") as f:
        want = [r for r in csv.DictReader(f) if r["scope"].strip().lower() == "sweden: municipalities"]
    assert len(pub) == len(want)
    assert pub["count"].tolist() == [int(r["count"]) for r in want]
    for x, r in zip(pub["x"], want):
        assert int(x) == int(r["date"][:4])


def test_municipal_adoption_counts():
    wp = pd.DataFrame({"kommun_code": ["a", "a", "b", "b", "c", "c"], "year": [2011, 2012] * 3,
                       "first_iop_year": pd.array([2011, 2011, 2012, 2012, None, None], dtype="Int64"),
                       "ever_adopted": [True] * 6})
    pub = pd.DataFrame({"date": ["2012-07-01"], "date_precision": ["day"], "count": [5], "count_text": ["5"],
                        "scope": ["Sweden: municipalities"], "what": ["w"], "source_url": ["u"]})
    c = D.municipal_adoption_counts(wp, pub)
    assert c["series"].tolist() == ["register_dated", "register_dated", "register_found", "published"]
    assert c["count"].tolist() == [1, 2, 3, 5]
    assert c["x"].tolist()[:3] == [2012.0, 2013.0, 2013.0]  # the end of each year


# --------------------------------------------------------------------------- the shipped data
@pytest.fixture(scope="module")
def study(tmp_path_factory):
    from iopstudy.register.study import load_study_data

    d = tmp_path_factory.mktemp("data")
    os.symlink(ROOT / "data" / "raw", d / "raw")
    return load_study_data(d)


def test_diffusion_panel_on_the_shipped_data(study):
    from iopstudy.register.describe import observation_end

    end = observation_end(study.partnerships)
    dp = D.diffusion_panel(study.panel, study.partnerships, end)
    assert not dp[list(D.DIFFUSION_COVARIATES)].isna().any().any()
    last = study.panel[study.panel["year"] == end]
    dated = int((last["first_iop_year"] <= end).sum())
    assert dp["event"].sum() == dated
    assert dp["kommun_code"].nunique() == 290
    assert dp["year"].min() == 2010 and dp["year"].max() == end
    assert dp["neighbour_share_lag"].between(0, 1).all()
    assert dp["left_share"].between(0, 1).all()
    assert (dp.loc[dp["year"] == 2011, "election_year"] == 2010).all()
    assert (dp.loc[dp["year"] == 2019, "election_year"] == 2018).all()
    assert (dp["population_year"] == dp["year"] - 1).all()


def test_a_constant_covariate_is_left_out_with_a_warning():
    import pandas as pd

    from iopstudy.errors import StatisticalWarning
    from iopstudy.spread.diffusion import fit_diffusion

    d = pd.DataFrame({"event": [0, 1, 0, 0, 1, 0, 0, 0], "x": [0, 1, 0, 1, 0, 0, 0, 1.0],
                      "z": [0.0] * 8, "kommun_code": list("aabbccdd"), "year": [1, 2] * 4})
    with pytest.warns(StatisticalWarning, match="z left out"):
        r = fit_diffusion(d, ["x", "z"], method="ml", time=None)
    assert "z" not in set(r.coef["term"])
