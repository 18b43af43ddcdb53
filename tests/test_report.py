"""Tests of iopstudy.report: the helpers of the register notebooks."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display in tests

import os
import shutil
import struct
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import iopstudy.figures.register as freg
import iopstudy.labels as labels
import iopstudy.register.describe as rdescribe
import iopstudy.register.literature as literature
import iopstudy.register.study as study_mod
import iopstudy.spread.describe as sdescribe
from iopstudy import spread as S
from iopstudy.errors import InputError
from iopstudy.labels import LABELS

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def study_dir(tmp_path_factory) -> Path:
    """A copy of the raw inputs; the processed tables are built there, not in the checkout."""
    d = tmp_path_factory.mktemp("study") / "data"
    (d / "raw" / "register").mkdir(parents=True)
    for name in ("iop_register.csv", "policy_areas.yml"):
        shutil.copy(DATA / "raw" / "register" / name, d / "raw" / "register" / name)
    shutil.copytree(DATA / "raw" / "reference", d / "raw" / "reference")
    shutil.copytree(DATA / "raw" / "literature", d / "raw" / "literature")
    return d


@pytest.fixture(scope="module")
def study(study_dir) -> study_mod.StudyData:
    return study_mod.load_study_data(study_dir)


def _agreements(rows) -> pd.DataFrame:
    """A minimal partnerships table: (start_year, end_year, open_ended) per row."""
    df = pd.DataFrame(rows, columns=["start_year", "end_year", "open_ended"])
    df["start_year"] = df["start_year"].astype("Int64")
    df["end_year"] = df["end_year"].astype("Int64")
    return df


def _png_size(path: Path) -> tuple[int, int]:
    with open(path, "rb") as fh:
        head = fh.read(24)
    return struct.unpack(">II", head[16:24])


# --------------------------------------------------------------------------- labels and notes
def test_partial_data_note_both_languages():
    assert labels.partial_data_note("en", 80) == (
        "Partial register: 80 agreements found in public sources, not a census"
    )
    sv = labels.partial_data_note("sv", 1200)
    assert sv.startswith("Ofullständigt register: 1\u00a0200 avtal")
    assert labels.partial_data_note("en") == LABELS["note_partial_data"]["en"]


def test_extra_labels_complete_and_distinct_from_base():
    for key, v in labels.LABELS.items():
        assert set(v) == {"en", "sv"}, key
        assert v["en"].strip() and v["sv"].strip(), key
    # every organisation type and level the notebooks show has a label in both languages
    from iopstudy.register.organisations import ORG_TYPES

    for lang in ("en", "sv"):
        names = labels.category_labels("org_type", ORG_TYPES, lang)
        assert all(names[o] != o for o in ORG_TYPES)
    assert labels.label("curve.lov", "sv").startswith("LOV i drift")
    assert labels.label("year", "sv") == "År"


def test_term_labels():
    terms = ["log_population", "skr_main_group[T.B]", "county_code[T.03]", "year", "Intercept"]
    muni = pd.DataFrame({"county_code": ["03"], "county_name": ["Uppsala län"]})
    en = sdescribe.term_labels(terms, "en", municipalities=muni, width=200)
    assert en["log_population"] == "Log population"
    assert en["skr_main_group[T.B]"].startswith("SKR main group: Large towns")
    assert en["county_code[T.03]"] == "County: Uppsala län"
    sv = sdescribe.term_labels(terms, "sv", width=200)
    assert sv["year"] == "År" and sv["county_code[T.03]"] == "Län: 03"


# --------------------------------------------------------------------------- data loading
def test_load_study_data_builds_when_missing_then_reads(study_dir, study):
    assert study.built is True
    assert len(study.partnerships) == 146  # the second compilation (issue 12) added 66 rows
    assert (study_dir / "processed" / "partnerships.parquet").exists()
    assert len(study.municipalities) == 290 and len(study.counties) == 21
    assert set(study.problems.columns) >= {"severity", "message"}
    again = study_mod.load_study_data(study_dir)
    assert again.built is False
    pd.testing.assert_frame_equal(again.partnerships, study.partnerships)
    assert study.note("en").startswith("Partial register: 146 agreements")


def test_load_study_data_rebuilds_when_register_is_newer(tmp_path):
    d = tmp_path / "data"
    (d / "raw" / "register").mkdir(parents=True)
    raw = pd.read_csv(DATA / "raw" / "register" / "iop_register.csv", dtype=str, keep_default_na=False)
    raw.head(10).to_csv(d / "raw" / "register" / "iop_register.csv", index=False)
    shutil.copytree(DATA / "raw" / "reference", d / "raw" / "reference")
    first = study_mod.load_study_data(d)
    assert first.built and len(first.partnerships) == 10
    # a newer register (e.g. a user's own) triggers a rebuild
    raw.head(20).to_csv(d / "raw" / "register" / "iop_register.csv", index=False)
    later = time.time() + 5
    os.utime(d / "raw" / "register" / "iop_register.csv", (later, later))
    second = study_mod.load_study_data(d)
    assert second.built and len(second.partnerships) == 20
    assert study_mod.load_study_data(d, rebuild=False).built is False


def test_load_study_data_errors(tmp_path):
    with pytest.raises(InputError, match="no raw register"):
        study_mod.load_study_data(tmp_path)
    with pytest.raises(InputError, match="processed tables missing"):
        study_mod.load_study_data(tmp_path, rebuild=False)
    with pytest.raises(InputError, match="rebuild"):
        study_mod.load_study_data(tmp_path, rebuild="sometimes")


def test_observation_end(study):
    assert rdescribe.observation_end(study.partnerships) == int(study.partnerships["start_year"].max())
    empty = study.partnerships.assign(start_year=pd.array([pd.NA] * len(study.partnerships), dtype="Int64"))
    assert rdescribe.observation_end(empty, study.panel) == int(study.panel["year"].max())
    with pytest.raises(InputError):
        rdescribe.observation_end(empty)


# --------------------------------------------------------------------------- activity in a year
def test_activity_in_year_rules():
    df = _agreements(
        [
            (2018, 2020, False),  # 0 both: covers 2019
            (2021, 2023, False),  # 1 both: starts later
            (2019, None, False),  # 2 only start, in the year
            (2017, None, False),  # 3 only start, before: unknown
            (2017, None, True),  # 4 open-ended from 2017: active
            (None, 2019, False),  # 5 only end, in the year
            (None, 2018, False),  # 6 only end, before: outside
            (None, 2022, False),  # 7 only end, after: unknown
            (None, None, False),  # 8 undated
            (2020, None, False),  # 9 only start, after: outside
        ]
    )
    got = rdescribe.activity_in_year(df, 2019).tolist()
    assert got == ["yes", "no", "yes", "unknown", "yes", "yes", "no", "unknown", "unknown", "no"]
    cum = rdescribe.activity_in_year(df, 2019, kind="cumulative").tolist()
    assert cum == ["yes", "no", "yes", "yes", "yes", "yes", "yes", "unknown", "unknown", "no"]
    with pytest.raises(InputError):
        rdescribe.activity_in_year(df, 2019, kind="ever")


def test_activity_in_year_matches_the_panel(study):
    """'yes' reproduces the municipality panel's iops_active in every year."""
    kom = study.partnerships[study.partnerships["level"] == "kommun"]
    for year in sorted(study.panel["year"].unique()):
        active = kom[rdescribe.activity_in_year(kom, int(year)) == "yes"].groupby("kommun_code").size()
        panel = study.panel[study.panel["year"] == year].set_index("kommun_code")["iops_active"]
        panel = panel[panel > 0].astype("int64")
        pd.testing.assert_series_equal(active.sort_index(), panel.sort_index(), check_names=False)


# --------------------------------------------------------------------------- published counts
def test_published_local_is_read_from_the_data_and_checked(tmp_path):
    entries = literature.published_local()
    assert [e["code"] for e in entries] == ["1480", "1490", "14", "0484", "1280"]
    assert entries[3]["kind"] == "cumulative" and entries[4]["committee"]
    d = tmp_path / "raw" / "literature"
    shutil.copytree(DATA / "raw" / "literature", d)
    bad = (d / "local_counts.csv").read_text(encoding="utf-8").replace("kommun 1490 Borås", "kommun 1490 Boras")
    (d / "local_counts.csv").write_text(bad, encoding="utf-8")
    with pytest.raises(InputError, match="expected exactly one") as err:
        literature.published_local(tmp_path)
    assert err.value.row == 3
    with pytest.warns(DeprecationWarning):
        assert literature.PUBLISHED_LOCAL == entries


def test_published_local_entries_are_rows_of_the_literature_file():
    pub = literature.read_published_counts(DATA)
    for e in literature.published_local(DATA):
        rows = pub[(pub["count"] == e["published"]) & (pub["source_url"] == e["source_url"])]
        assert len(rows) >= 1, e["place"]
        scope = " ".join(rows["scope"])
        assert e["code"] in scope or e["place"].split(":")[0] in scope, e["place"]
        assert str(e["year"]) in " ".join(rows["date"]), e["place"]


def test_national_published_counts():
    pub = literature.read_published_counts(DATA)
    nat = literature.national_published_counts(pub)
    assert (nat["scope"].str.startswith("Sweden")).all()
    # the count of regions with an IOP is not a count of agreements
    assert not nat["what"].str.startswith("county councils").any()
    assert 4 not in set(nat["count"]) and {56, 94, 500} <= set(nat["count"])
    assert "source" in nat and nat["source"].str.contains(r"\.", regex=True).all()


def test_register_published_points_plot(study):
    pts = literature.register_published_points(study.partnerships, range(2015, 2025), "sv")
    assert list(pts["count"]) == [
        int((rdescribe.activity_in_year(study.partnerships, y) == "yes").sum()) for y in range(2015, 2025)
    ]
    assert pts["source"].iloc[0].startswith("Detta register")
    from iopstudy.figures import plot_published_counts

    nat = literature.national_published_counts(literature.read_published_counts(DATA))
    fig = plot_published_counts(pd.concat([nat, pts], ignore_index=True), "sv", note=labels.partial_data_note("sv", 80))
    assert "Ofullständigt register" in fig._iopstudy_note.get_text()


def test_register_vs_published_shipped(study):
    vs = literature.register_vs_published(study.partnerships).set_index("place")
    g = vs.loc["Göteborg"]
    # second compilation: Göteborg + IOP-0123 (undated), Borås + IOP-0124–0126 (IF Elfsborg, undated)
    assert (g.published, g.register_rows, g.known, g.possible, g.outside) == (14, 10, 1, 9, 1)
    assert g.not_found_min == 5 and "not a snapshot" in g.note
    assert vs.loc["Borås", "possible"] == 3 and vs.loc["Borås", "not_found_min"] == 3
    vgr = vs.loc["Västra Götalandsregionen"]
    assert vgr.register_rows == 0 and "none of them was found" in vgr.note
    e = vs.loc["Eskilstuna"]
    assert (e.kind, e.register_rows, e.known, e.possible) == ("cumulative", 6, 1, 5)
    m = vs.loc["Malmö: arbetsmarknads- och socialnämnden"]
    assert (m.register_rows, m.body_rows, m.possible) == (2, 6, 2)
    assert "committee name" in m.note
    sv = literature.register_vs_published(study.partnerships, lang="sv")
    assert sv["note"].iloc[0].startswith("10 rader i registret")


def test_register_vs_published_synthetic_more_than_published():
    p = pd.DataFrame(
        {
            "level": ["kommun"] * 4,
            "kommun_code": ["9999"] * 4,
            "county_code": ["99"] * 4,
            "public_party": ["X kommun"] * 4,
            "start_year": pd.array([2020, 2021, None, 2025], dtype="Int64"),
            "end_year": pd.array([2024, 2023, None, None], dtype="Int64"),
            "open_ended": [False] * 4,
        }
    )
    entry = dict(place="X", level="kommun", code="9999", committee=None, year=2022, published=1,
                 kind="active", what="w", source_url="u")
    r = literature.register_vs_published(p, [entry]).iloc[0]
    assert (r.known, r.possible, r.outside, r.undated, r.not_found_min) == (2, 3, 1, 1, 0)
    assert "more than the published figure" in r.note


# --------------------------------------------------------------------------- LOV
def test_lov_panel_reproduces_the_published_series(study):
    bench = sdescribe.lov_panel(DATA, study.municipalities)
    lov, counts = bench.panel, bench.counts
    assert len(lov) == 290 * len(counts)
    curve = S.adoption_curve(lov, in_operation="status")
    assert curve["n_adopted"].tolist() == counts.sort_values("year")["lov_in_operation"].tolist()
    assert bench.curve.equals(curve)
    assert (bench.check["n_adopted"] == bench.check["lov_in_operation"]).all()
    assert set(lov["status"]) == {"in_operation", "decided", "none", "abolished"}


def test_lov_panel_rejects_counts_that_do_not_add_up(tmp_path, study):
    d = tmp_path / "raw" / "literature"
    d.mkdir(parents=True)
    lov = pd.read_csv(DATA / "raw" / "literature" / "lov_status_skr.csv")
    lov.loc[0, "no_lov"] += 1
    lov.to_csv(d / "lov_status_skr.csv", index=False)
    with pytest.raises(InputError, match="sum to 291"):
        sdescribe.lov_panel(tmp_path, study.municipalities)


# --------------------------------------------------------------------------- coverage and adopters
def test_coverage_by(study):
    p, muni = study.partnerships, study.municipalities
    cov = rdescribe.coverage_by(p, muni, "county_code")
    assert len(cov) == 21 and cov["n_municipalities"].sum() == 290
    assert cov["municipalities_found"].sum() == p.loc[p["level"] == "kommun", "kommun_code"].nunique()
    assert cov["region_agreements"].sum() == (p["level"] == "region").sum()
    assert cov["kommun_agreements"].sum() == (p["level"] == "kommun").sum()
    assert cov["share_found"].between(0, 1).all()
    size = rdescribe.coverage_by(p, muni, "size_class")
    assert list(size["group"]) == list(muni["size_class"].cat.categories)
    with pytest.raises(InputError):
        rdescribe.coverage_by(p, muni, "no_such_column")


def test_adopted_shares_keeps_groups_without_adopters(study):
    last = study.panel[study.panel["year"] == study.panel["year"].max()]
    xt = S.adoption_crosstab(last, "size_class", n_resamples=999)
    sh = sdescribe.adopted_shares(xt)
    assert list(sh["group"]) == list(last["size_class"].cat.categories)
    assert sh["count"].sum() == last["ever_adopted"].sum()
    assert sh["group_total"].sum() == 290
    none = sdescribe.adopted_shares(
        pd.DataFrame({"group": ["a", "b"], "outcome": [False, False], "count": [3, 2], "group_total": [3, 2],
                      "share": [1.0, 1.0], "ci_low": [0.4, 0.3], "ci_high": [1.0, 1.0], "expected": [3.0, 2.0]})
    )
    assert none["count"].tolist() == [0, 0] and (none["share"] == 0).all()


def test_adopters_vs_all(study):
    muni = study.municipalities
    largest = muni.nlargest(10, "population")["kommun_code"]
    res = sdescribe.adopters_vs_all(muni, largest, n_resamples=999, seed=1)
    t = res.test.iloc[0]
    assert t.p_value == pytest.approx(1 / 1000)
    assert t.percentile_all > 0.95
    assert res.table["n_adopters"].sum() == 10
    assert res.table["share_municipalities"].sum() == pytest.approx(1)
    again = sdescribe.adopters_vs_all(muni, largest, n_resamples=999, seed=1)
    pd.testing.assert_frame_equal(res.test, again.test)
    rnd = muni.sample(30, random_state=0)["kommun_code"]
    assert sdescribe.adopters_vs_all(muni, rnd, n_resamples=999, seed=1).test["p_value"].iloc[0] > 0.01
    with pytest.raises(InputError):
        sdescribe.adopters_vs_all(muni, ["0000"])


# --------------------------------------------------------------------------- survival helpers
def test_survival_data_and_at_risk(study):
    panel = study.panel
    end = rdescribe.observation_end(study.partnerships)
    sd = sdescribe.survival_data(panel, end)
    assert len(sd) == 290 and sd["kommun_code"].is_unique
    fy = pd.to_numeric(sd["first_iop_year"])
    assert sd["event"].sum() == int((fy <= end).sum())
    ev = sd[sd["event"] == 1]
    assert (ev["duration"] == ev["first_iop_year"].astype(int) - (panel["year"].min() - 1)).all()
    assert (sd.loc[sd["event"] == 0, "duration"] == end - panel["year"].min() + 1).all()
    und = int((sd["ever_adopted"] & sd["first_iop_year"].isna()).sum())
    sd2 = sdescribe.survival_data(panel, end, drop_undated_adopters=True)
    assert len(sd2) == 290 - und
    assert sdescribe.survival_exclusions(panel, end, drop_undated_adopters=True)["dropped_undated"] == und
    pp = sdescribe.at_risk(panel, end)
    assert pp["event"].sum() == sd["event"].sum()
    assert pp["year"].max() == end
    pp2 = sdescribe.at_risk(panel, end, drop_undated_adopters=True)
    assert pp2["kommun_code"].nunique() == 290 - und


def test_survival_data_left_censored():
    panel = pd.DataFrame(
        {
            "kommun_code": ["a"] * 3 + ["b"] * 3,
            "year": [2010, 2011, 2012] * 2,
            "first_iop_year": pd.array([2008] * 3 + [2011] * 3, dtype="Int64"),
            "ever_adopted": [True] * 6,
        }
    )
    sd = sdescribe.survival_data(panel, 2012)
    assert sd["kommun_code"].tolist() == ["b"]
    assert sdescribe.survival_exclusions(panel, 2012) == {"left_censored": 1, "dropped_undated": 0, "origin": 2009}
    assert sd["duration"].tolist() == [2] and sd["event"].tolist() == [1]


def test_kaplan_meier_groups_without_or_with_only_events():
    df = pd.DataFrame(
        {
            "g": pd.Categorical(["none"] * 4 + ["mixed"] * 4 + ["all"] * 2, ["none", "mixed", "all"], ordered=True),
            "t": [5, 5, 5, 5, 1, 2, 3, 5, 2, 4],
            "e": [0, 0, 0, 0, 1, 0, 1, 0, 1, 1],
        }
    )
    km = S.kaplan_meier(df, "t", "e", group="g")
    none = km[km["group"] == "none"]
    assert (none["survival"] == 1).all() and (none["ci_low"] == 1).all()
    mixed = km[km["group"] == "mixed"].reset_index(drop=True)
    ref = S.kaplan_meier(df[df["g"] == "mixed"], "t", "e")
    np.testing.assert_allclose(mixed["survival"], ref["survival"])
    np.testing.assert_allclose(mixed["ci_low"], ref["ci_low"])
    allv = km[km["group"] == "all"]
    assert allv["survival"].tolist() == [1.0, 0.5, 0.0]
    assert allv["ci_high"].iloc[-1] == 0.0 and 0 < allv["ci_low"].iloc[1] < 0.5 < allv["ci_high"].iloc[1] < 1
    assert list(km["group"].cat.categories) == ["none", "mixed", "all"]
    # the library function itself handles groups without events, or with only events
    pd.testing.assert_frame_equal(km, S.kaplan_meier(df, "t", "e", group="g"))


def test_term_table(study):
    last = study.panel[study.panel["year"] == study.panel["year"].max()]
    m = S.fit_logit(last, "ever_adopted", ["log_population"])
    tab = sdescribe.term_table({"a": m, "b": m})
    assert tab["term"].tolist() == ["a", "b"]
    assert tab["ratio"].iloc[0] == pytest.approx(float(np.exp(m.coef.set_index("term").at["log_population", "estimate"])))
    with pytest.raises(InputError):
        sdescribe.term_table({"a": m}, "no_such_term")


# --------------------------------------------------------------------------- policy areas
def test_area_counts_and_labels(study):
    p = study.partnerships
    c = rdescribe.area_counts(p)
    assert c["primary"].sum() == len(p)
    assert c["secondary"].sum() == (p["policy_area_secondary"].fillna("") != "").sum()
    assert (c["any"] >= c["primary"]).all() and (c["any"] <= c["primary"] + c["secondary"]).all()
    assert c["primary"].is_monotonic_decreasing
    labels = rdescribe.area_labels()
    assert set(c["area"]) <= set(labels)
    assert labels["violence"]["sv"].startswith("Våld")


def test_period_with_undated(study):
    p = study.partnerships
    per = sdescribe.period_with_undated(p)
    assert per.cat.categories[-1] == sdescribe.UNDATED
    assert (per == sdescribe.UNDATED).sum() == p["start_year"].isna().sum()
    assert per.cat.ordered and per.notna().all()


def test_level_profile(study):
    prof = rdescribe.level_profile(study.partnerships, study.partners).set_index("level")
    assert prof["agreements"].sum() == len(study.partnerships)
    assert prof.loc["kommun", "public_bodies"] == study.partnerships.loc[
        study.partnerships["level"] == "kommun", "public_body_name"].nunique()
    assert prof["share_dated"].between(0, 1).all()


# --------------------------------------------------------------------------- figures
def test_plots_carry_notes_and_language(study):
    p, muni = study.partnerships, study.municipalities
    note = labels.partial_data_note("sv", len(p))
    fig = freg.plot_year_counts(p, "sv", note=note)
    text = fig._iopstudy_note.get_text()
    assert "Ofullständigt register" in text and "saknar startår" in text
    assert fig.axes[0].get_ylabel() == "Antal avtal"
    fig = freg.plot_coverage_by_county(rdescribe.coverage_by(p, muni), "en", note=labels.partial_data_note("en", len(p)))
    assert "Partial register" in fig._iopstudy_note.get_text()
    assert len(fig.axes[0].get_yticklabels()) == 21
    counts = p.groupby(["source_kind", "level"]).size().rename("count").reset_index()
    fig = freg.plot_bar_counts(counts, "source_kind", "count", "sv", stack="level",
                            category_labels="source_kind", stack_labels="level", note=note)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "Kommunens webbplats" in ticks
    shares = sdescribe.adopted_shares(S.adoption_crosstab(
        study.panel[study.panel["year"] == study.panel["year"].max()], "size_class", n_resamples=999))
    fig = freg.plot_group_shares(shares, "sv", group_labels="size_class", note=note)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any("under 10\u00a0000" in t or "under 10 000" in t for t in ticks)
    assert "Wilson" in fig._iopstudy_note.get_text()


def test_export_figure_writes_both_presets(tmp_path, study):
    paths = freg.export_figure(freg.plot_year_counts, "t", "sv", study.partnerships, out_dir=tmp_path,
                            note=labels.partial_data_note("sv", 80))
    names = sorted(x.name for x in paths)
    assert names == [f"t_{p}_sv.{e}" for p in ("paper", "slide") for e in ("pdf", "png", "svg")]
    assert _png_size(tmp_path / "t_paper_sv.png") == (1890, 1170)
    w, h = _png_size(tmp_path / "t_slide_sv.png")
    assert abs(w / h - 16 / 9) < 0.01
    first = {p.name: p.read_bytes() for p in paths}
    freg.export_figure(freg.plot_year_counts, "t", "sv", study.partnerships, out_dir=tmp_path,
                    note=labels.partial_data_note("sv", 80))
    assert {p.name: p.read_bytes() for p in paths} == first  # PNG, PDF and SVG byte-stable
