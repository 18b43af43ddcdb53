"""The analysis steps the notebooks call, tested on the shipped data and on small frames."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from iopstudy import spread as S
from iopstudy.errors import StatisticalWarning
from iopstudy.notebook import Notebook
from iopstudy.register import describe as D
from iopstudy.register import overview as O
from iopstudy.register.study import load_study_data
from iopstudy.spread import areas as A
from iopstudy.spread import describe as SD
from iopstudy.spread.sensitivity import VARIANTS, size_variants


@pytest.fixture(scope="module")
def data_dir(root, tmp_path_factory):
    """A copy of the raw inputs; the processed tables are built there, not in the checkout."""
    d = tmp_path_factory.mktemp("steps") / "data"
    shutil.copytree(root / "data" / "raw", d / "raw", ignore=shutil.ignore_patterns("interviews"))
    return d


@pytest.fixture(scope="module")
def study(data_dir):
    return load_study_data(data_dir)


def test_by_level_counts_every_agreement_once(study):
    p = study.partnerships
    t = O.by_level(p)
    assert t["level"].tolist()[:3] == ["kommun", "region", "stat"]
    assert t["agreements"].sum() == len(p)
    assert t["share_of_agreements"].sum() == pytest.approx(1.0)
    assert (t["with_start_year"] <= t["agreements"]).all()


def test_by_public_body_and_county_add_up(study):
    p = study.partnerships
    bodies = O.by_public_body(p)
    assert bodies["agreements"].sum() == len(p)
    assert bodies["agreements"].is_monotonic_decreasing
    counties = O.by_county(p)
    assert counties["total"].sum() == p["county_code"].notna().sum()


def test_count_table_long_wide_and_order_agree():
    df = pd.DataFrame({"source_kind": ["a", "b", "b", None], "level": ["kommun", "kommun", "region", "kommun"]})
    t = O.count_table(df, "source_kind", fill="")
    assert t.order == ["b", "", "a"] or t.order[0] == "b"
    assert t.wide.loc["b", "total"] == 2 and t.wide.loc["", "total"] == 1
    assert t.long["count"].sum() == len(df)


def test_dating_precision_amounts(study):
    p = study.partnerships
    d = O.dating_summary(p).set_index("what")["agreements"]
    assert d["start and end known"] + d["only a start"] == d["start year known"]
    assert d["only an end"] + d["no date at all"] + d["start year known"] == len(p)
    prec = O.date_precision(p)
    assert prec["start"].sum() == p["start_precision"].notna().sum()
    assert O.amount_periods(p)["agreements"].sum() == p["amount_sek"].notna().sum()


def test_frequent_partners_and_problems(study):
    fp = O.frequent_partners(study.partners, study.partnerships)
    assert (fp["agreements"] > 1).all()
    ps = O.problem_summary(study.problems)
    assert ps["rows"].sum() == len(study.problems)
    assert list(O.problem_summary(study.problems.iloc[:0]).columns) == ["severity", "column", "message", "rows"]


def test_coverage_summary_matches_coverage_table(study):
    p, muni = study.partnerships, study.municipalities
    cov = D.coverage_by(p, muni, "county_code")
    s = O.coverage_summary(p, muni, cov)
    assert s["municipalities_found"] == p.loc[p["level"] == "kommun", "kommun_code"].nunique()
    assert 0 < s["population_share"] < 1 and s["municipalities"] == 290
    covered = O.covered_municipalities(O.by_public_body(p), muni)
    assert covered["population"].is_monotonic_decreasing


def test_area_helpers(study):
    p = study.partnerships
    counts = D.area_counts(p)
    long = D.area_roles(counts)
    assert long["count"].sum() == counts["primary"].sum() + counts["secondary"].sum()
    assert D.org_type_by_level(study.partners).to_numpy().sum() == len(study.partners)
    assert D.agreements_per_body(p)["count"].sum() == len(p)


def test_concentration_table_names_units(study):
    p, muni = study.partnerships, study.municipalities
    names = dict(muni[["kommun_code", "kommun_name"]].itertuples(index=False))
    t = A.concentration_table(p, n_municipalities=len(muni), unit_names=names)
    assert t["units"].iloc[0] == "municipalities (of all)"
    assert t["top_unit"].iloc[0] in set(muni["kommun_name"])


def test_refugee_agreements_counts_are_consistent(study):
    r = A.refugee_agreements(study.partnerships)
    k = r.counts
    assert r.by_period["refugees_integration"].sum() == k["refugee"]
    assert k["refugee_recent"] <= k["refugee_dated"] <= k["refugee"]
    assert len(r.rows) >= k["refugee"] and len(r.test) == 1


def test_observation_window_and_curves(study):
    win = SD.observation_window(study.panel, study.partnerships)
    assert win.panel["year"].max() == win.end and len(win.last) == 290
    assert win.counts["dated"] <= win.counts["evidence"] <= win.counts["found"]
    curves = SD.adoption_curves(win.panel)
    assert list(curves["group"].cat.categories) == ["iop_start", "iop_evidence"]
    start = curves[curves["group"] == "iop_start"]["n_adopted"].to_numpy()
    evid = curves[curves["group"] == "iop_evidence"]["n_adopted"].to_numpy()
    assert (evid >= start).all()
    # the counts are the curves' last values; an agreement known only by a later end is in neither
    assert (start[-1], evid[-1]) == (win.counts["dated"], win.counts["evidence"])
    later = int((win.last["first_evidence_year"] > win.end).sum())
    assert win.counts["evidence_after"] == later
    assert win.counts["evidence"] + later == int(win.last["first_evidence_year"].notna().sum())


def test_ever_adopted_tests_one_row_per_grouping(study):
    win = SD.observation_window(study.panel, study.partnerships)
    ever = SD.ever_adopted_tests(win.last, "sv")
    assert ever.tests["grouping"].tolist() == list(SD.GROUPINGS)
    size = ever.shares[ever.shares["grouping"] == "size_class"]
    assert size["count"].sum() == win.counts["found"]
    assert size["label"].str.len().gt(0).all()


def test_stack_tables_and_curves():
    a = pd.DataFrame({"group": pd.Categorical(["x"]), "v": [1]})
    b = pd.DataFrame({"group": pd.Categorical(["y"]), "v": [2]})
    t = SD.stack_tables({"A": a, "B": b})
    assert t["by"].tolist() == ["A", "B"] and t["group"].tolist() == ["x", "y"]
    c = SD.stack_curves({"second": a.drop(columns="group"), "first": b.drop(columns="group")})
    assert list(c["group"].cat.categories) == ["second", "first"]


def test_size_variants_reuses_fitted_models(study):
    win = SD.observation_window(study.panel, study.partnerships)
    main = S.fit_logit(win.last, "ever_adopted", ["log_population", "skr_main_group"])
    # a county dummy in which every municipality adopted or none did: Firth, and a warning saying so
    with pytest.warns(StatisticalWarning, match="complete separation"):
        sens = size_variants(study.panel, win.last, study.partnerships, win.end, fitted={"logit_all": main})
    assert sens.models["logit_all"] is main
    assert sens.table["term"].tolist() == list(VARIANTS)
    assert (sens.table["ratio_ci_low"] <= sens.table["ratio"]).all()


def test_lov_panel_reproduces_skr(study, data_dir):
    lov = SD.lov_panel(data_dir, study.municipalities)
    assert (lov.check["n_adopted"] == lov.check["lov_in_operation"]).all()


def test_notebook_helpers(tmp_path):
    nb = Notebook("07", "en", data_dir=tmp_path, reports_dir=tmp_path / "r", kind="none")
    assert nb.pval(0.5) == "p = 0.500" and nb.pval(1e-9) == "p < 0.001"
    paths = nb.save(pd.DataFrame({"a": [1]}), "t")
    assert any(p.name == "07_t_en.csv" for p in paths)
