"""Tests of iopstudy.themes: frequencies, co-occurrence, sector comparison, quotes, agreement."""

from __future__ import annotations

import json
import re
import warnings
from math import asin, comb, sqrt
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy.stats import fisher_exact
from scipy.stats.contingency import odds_ratio
from statsmodels.stats.multitest import multipletests

import iopstudy.figures.interviews as fint
import iopstudy.interviews.reliability as reliability
import iopstudy.interviews.build as ibuild
import iopstudy.interviews.compare as compare
import iopstudy.interviews.overview as overview
import iopstudy.interviews.themes as themes
from iopstudy.errors import InputError, StatisticalWarning
from iopstudy.interviews.reliability import agreement
from iopstudy.interviews.coding import precode
from iopstudy.interviews.privacy import find_pii, load_names, scan_pii

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "raw" / "interviews"
NOTEBOOK = ROOT / "notebooks" / "04-interviews-hybridisation-governance.ipynb"

LONG = "Det här är en tillräckligt lång mening om partnerskapet och hur det har fungerat över tid. "


# --------------------------------------------------------------------------- fixtures
@pytest.fixture()
def segments() -> pd.DataFrame:
    size = pd.CategoricalDtype(["<10k", "10–25k", "≥200k"], ordered=True)
    return pd.DataFrame(
        {
            "segment_id": ["A-1", "A-2", "A-3", "B-1", "B-2", "C-1", "C-2", "D-1"],
            "interview_id": ["A", "A", "A", "B", "B", "C", "C", "D"],
            "sector": ["offentlig"] * 5 + ["idéburen"] * 3,
            "respondent_role": ["politiker"] * 3 + ["enhetschef"] * 2 + ["ordförande"] * 3,
            "speaker_role": ["respondent"] * 8,
            "level": ["kommun"] * 5 + ["region"] * 2 + ["kommun"],
            "size_class": pd.Categorical(
                ["≥200k"] * 3 + ["<10k"] * 2 + [None] * 2 + ["<10k"], dtype=size
            ),
            "text": [
                LONG + "Vi följer LOU och upphandlingen.",
                LONG + "Tillit, och LOU.",
                "Kort.",
                LONG + "Upphandling enligt LOU är huvudregeln, upphandlingen tog tid.",
                LONG,
                LONG + "Tilliten växte genom dialogen.",
                LONG,
                LONG + "Dialog.",
            ],
        }
    )


@pytest.fixture()
def codings() -> pd.DataFrame:
    rows = [
        ("A-1", "LAW.LOU", "x"), ("A-1", "LAW.LOU", "y"),
        ("A-2", "LAW.LOU", "x"), ("A-2", "GOV.TRUST", "x"), ("A-2", "GOV.TRUST", "y"),
        ("B-1", "LAW.LOU", "x"), ("B-1", "LAW.LOU", "y"),
        ("C-1", "GOV.TRUST", "x"), ("C-1", "PRIN.DIALOG", "x"),
        ("C-1", "GOV.TRUST", "y"), ("C-1", "PRIN.DIALOG", "y"),
        ("D-1", "PRIN.DIALOG", "x"),
    ]
    return pd.DataFrame(rows, columns=["segment_id", "code", "coder"])


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> ibuild.InterviewTables:
    out = tmp_path_factory.mktemp("processed")
    return ibuild.load_interview_tables(out, corpus_dir=CORPUS)


def _row(df: pd.DataFrame, **eq) -> pd.Series:
    sel = np.ones(len(df), dtype=bool)
    for k, v in eq.items():
        sel &= (df[k].astype(object) == v).to_numpy()
    assert sel.sum() == 1, eq
    return df.loc[sel].iloc[0]


# --------------------------------------------------------------------------- consensus
def test_consensus_rules(codings, segments):
    units = segments["segment_id"]
    maj = themes.consensus_codings(codings, units=units)
    assert set(map(tuple, maj[["segment_id", "code"]].values.tolist())) == {
        ("A-1", "LAW.LOU"), ("A-2", "GOV.TRUST"), ("B-1", "LAW.LOU"),
        ("C-1", "GOV.TRUST"), ("C-1", "PRIN.DIALOG"),
    }
    assert (maj["n_coders"] == 2).all()
    anyc = themes.consensus_codings(codings, rule="any", units=units)
    assert len(anyc) == 7
    # without units, D-1 was coded by x only: 1 of 1 coders is a majority
    loose = themes.consensus_codings(codings)
    assert ("D-1", "PRIN.DIALOG") in set(map(tuple, loose[["segment_id", "code"]].values.tolist()))
    assert _row(loose, segment_id="D-1")["n_coders"] == 1
    allc = themes.consensus_codings(codings, rule="all", units=units)
    assert allc[["segment_id", "code"]].equals(maj[["segment_id", "code"]])
    # no coder column: every row is a presence
    nocoder = themes.consensus_codings(codings.drop(columns="coder"))
    assert len(nocoder) == 7 and (nocoder["votes"] == 1).all()
    with pytest.raises(InputError, match="rule"):
        themes.consensus_codings(codings, rule="most")


def test_coded_segments(segments, codings):
    seg = pd.concat(
        [segments, pd.DataFrame({"segment_id": ["A-0", "E-1"], "interview_id": ["A", "E"],
                                 "speaker_role": ["interviewer", "respondent"]})],
        ignore_index=True,
    )
    out = themes.coded_segments(seg, codings)
    assert set(out["interview_id"]) == {"A", "B", "C", "D"}
    assert "A-0" not in set(out["segment_id"])  # interviewer
    assert "A-0" in set(themes.coded_segments(seg, codings, roles=None)["segment_id"])


# --------------------------------------------------------------------------- frequencies
def test_code_frequencies_by_sector(codings, segments):
    f = themes.code_frequencies(codings, segments, "sector")
    assert list(f.columns) == [
        "sector", "code", "theme", "n_segments", "n_interviews", "group_segments",
        "group_interviews", "share", "unit",
    ]
    assert len(f) == 2 * 20  # every code of the codebook, for each group
    lou = _row(f, sector="offentlig", code="LAW.LOU")
    assert (lou.n_segments, lou.n_interviews, lou.group_segments, lou.group_interviews) == (2, 2, 5, 2)
    assert lou.share == 1.0 and lou.theme == "LAW"
    trust = _row(f, sector="offentlig", code="GOV.TRUST")
    assert (trust.n_segments, trust.n_interviews, trust.share) == (1, 1, 0.5)
    dia = _row(f, sector="idéburen", code="PRIN.DIALOG")
    assert (dia.n_segments, dia.n_interviews, dia.share) == (1, 1, 0.5)  # D-1 has one vote of two
    assert _row(f, sector="idéburen", code="LAW.LOU").share == 0.0
    # codes in codebook order within each group
    assert f.loc[f["sector"] == "idéburen", "code"].tolist()[:2] == ["GOV.NPM", "GOV.NPG"]

    seg = themes.code_frequencies(codings, segments, "sector", unit="segment")
    assert _row(seg, sector="offentlig", code="LAW.LOU").share == pytest.approx(2 / 5)
    anyc = themes.code_frequencies(codings, segments, "sector", consensus="any")
    assert _row(anyc, sector="offentlig", code="LAW.LOU").n_segments == 3


def test_code_frequencies_other_groupings(codings, segments):
    role = themes.code_frequencies(codings, segments, ("respondent_role",))
    assert set(role["respondent_role"]) == {"politiker", "enhetschef", "ordförande"}
    assert _row(role, respondent_role="enhetschef", code="LAW.LOU").share == 1.0
    two = themes.code_frequencies(codings, segments, ("sector", "respondent_role"))
    assert len(two) == 3 * 20
    size = themes.code_frequencies(codings, segments, "size_class")
    assert size["size_class"].isna().sum() == 20  # the region interview is a NaN group
    assert str(size["size_class"].dtype) == "category"
    muni = themes.code_frequencies_by_municipality(codings, segments, "size_class")
    assert list(muni["size_class"].cat.categories)[-1] == "region"
    reg = _row(muni, size_class="region", code="GOV.TRUST")
    assert (reg.group_interviews, reg.n_interviews) == (1, 1)
    assert _row(muni, size_class="<10k", code="LAW.LOU").group_interviews == 2


def test_code_frequencies_errors(codings, segments):
    with pytest.raises(InputError, match="varies within an interview"):
        themes.code_frequencies(codings, segments.assign(x=range(8)), "x")
    assert len(themes.code_frequencies(codings, segments.assign(x=range(8)), "x", unit="segment")) == 8 * 20
    bad = pd.concat([codings, pd.DataFrame([("A-1", "NOT.A.CODE", "x")], columns=codings.columns)])
    with pytest.raises(InputError, match="not in the codebook"):
        themes.code_frequencies(bad, segments)
    with pytest.raises(InputError, match="lacks column"):
        themes.code_frequencies(codings, segments.drop(columns="sector"))
    with pytest.raises(InputError, match="unit"):
        themes.code_frequencies(codings, segments, unit="word")


# --------------------------------------------------------------------------- co-occurrence
def test_cooccurrence_segment(codings, segments):
    co = themes.cooccurrence(codings, units=segments["segment_id"])
    assert list(co.columns) == ["code_a", "code_b", "n_both", "n_a", "n_b", "jaccard", "n_units"]
    assert co[["code_a", "code_b"]].values.tolist() == [
        ["GOV.TRUST", "LAW.LOU"], ["GOV.TRUST", "PRIN.DIALOG"], ["LAW.LOU", "PRIN.DIALOG"],
    ]
    assert co["n_both"].tolist() == [0, 1, 0]
    assert co["n_a"].tolist() == [2, 2, 2] and co["n_b"].tolist() == [2, 1, 1]
    assert co["jaccard"].tolist() == [0.0, 0.5, 0.0]
    assert (co["n_units"] == 4).all()


def test_cooccurrence_interview_and_matrix(codings, segments):
    cod = codings.merge(segments[["segment_id", "interview_id"]], on="segment_id")
    co = themes.cooccurrence(cod, unit="interview_id", units=segments["segment_id"])
    j = {(a, b): v for a, b, v in co[["code_a", "code_b", "jaccard"]].values.tolist()}
    assert j[("GOV.TRUST", "LAW.LOU")] == pytest.approx(1 / 3)  # A of {A, B, C}
    assert j[("GOV.TRUST", "PRIN.DIALOG")] == pytest.approx(1 / 2)  # C of {A, C}
    assert j[("LAW.LOU", "PRIN.DIALOG")] == 0.0
    m = themes.cooccurrence_matrix(co, "n_both")
    assert list(m.index) == ["GOV.TRUST", "LAW.LOU", "PRIN.DIALOG"]
    assert (m.to_numpy() == m.to_numpy().T).all()
    assert np.diag(m.to_numpy()).tolist() == [2, 2, 1]  # units with the code
    mj = themes.cooccurrence_matrix(co)
    assert np.isnan(np.diag(mj.to_numpy())).all()
    assert mj.loc["PRIN.DIALOG", "GOV.TRUST"] == pytest.approx(0.5)


def test_cooccurrence_codes_and_empty():
    c = pd.DataFrame({"segment_id": ["s1"], "code": ["A"]})
    co = themes.cooccurrence(c, codes=["A", "B"])
    assert co.values.tolist()[0][:5] == ["A", "B", 0, 1, 0]
    never = themes.cooccurrence(c, codes=["B", "C"])
    assert np.isnan(never["jaccard"].iloc[0])
    assert themes.cooccurrence(c).empty


# --------------------------------------------------------------------------- sector comparison
def _sector_data(na: int, ta: int, nb: int, tb: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One segment per interview; LAW.LOU in na of ta public and nb of tb non-profit interviews,
    GOV.TRUST in 3 of ta and 5 of tb, PRAC.RES everywhere."""
    ids = [f"O{i:02d}" for i in range(ta)] + [f"I{i:02d}" for i in range(tb)]
    seg = pd.DataFrame({
        "segment_id": [f"{i}-1" for i in ids],
        "interview_id": ids,
        "sector": ["offentlig"] * ta + ["idéburen"] * tb,
    })
    rows = []
    for k, i in enumerate(ids):
        pub = k < ta
        j = k if pub else k - ta
        if (pub and j < na) or (not pub and j < nb):
            rows.append((f"{i}-1", "LAW.LOU"))
        if (pub and j < 3) or (not pub and j < 5):
            rows.append((f"{i}-1", "GOV.TRUST"))
        rows.append((f"{i}-1", "PRAC.RES"))
    return pd.DataFrame(rows, columns=["segment_id", "code"]), seg


def test_compare_sectors_against_scipy_and_statsmodels():
    cod, seg = _sector_data(8, 10, 2, 12)
    with pytest.warns(StatisticalWarning, match="underpowered"):
        res = compare.compare_sectors(cod, seg)
    note, res = res.note, res.table
    assert res["code"].tolist()[:2] == ["GOV.NPM", "GOV.NPG"]
    lou = _row(res, code="LAW.LOU")
    table = [[8, 2], [2, 10]]
    assert (lou.group_a, lou.group_b, lou.n_a, lou.total_a, lou.n_b, lou.total_b) == (
        "offentlig", "idéburen", 8, 10, 2, 12)
    assert lou.p_value == pytest.approx(fisher_exact(table)[1], rel=1e-12)
    ref = odds_ratio(np.array(table), kind="conditional")
    ci = ref.confidence_interval(0.95)
    assert (lou.odds_ratio, lou.or_ci_low, lou.or_ci_high) == pytest.approx((ref.statistic, ci.low, ci.high))
    assert lou.prop_diff == pytest.approx(0.8 - 2 / 12)
    assert lou.cohens_h == pytest.approx(2 * asin(sqrt(0.8)) - 2 * asin(sqrt(2 / 12)))
    trust = _row(res, code="GOV.TRUST")
    assert trust.p_value == pytest.approx(fisher_exact([[3, 7], [5, 7]])[1])
    # BH over the tested codes only: LAW.LOU and GOV.TRUST
    tested = res[res["tested"]]
    assert set(tested["code"]) == {"LAW.LOU", "GOV.TRUST"}
    bh = multipletests(tested["p_value"].to_numpy(), method="fdr_bh")[1]
    assert tested["p_adj"].to_numpy() == pytest.approx(bh)
    res_all = _row(res, code="PRAC.RES")
    assert not res_all.tested and np.isnan(res_all.p_value) and "every interview" in res_all.note
    assert "no interview" in _row(res, code="PRIN.DIALOG").note
    assert "underpowered" in note and "10 offentlig vs 12 idéburen" in note


def test_compare_sectors_exact_closed_form():
    # all three public interviews vs none of three: two-sided p = 2 / C(6, 3) = 0.1
    cod, seg = _sector_data(3, 3, 0, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        res = compare.compare_sectors(cod, seg, code="LAW.LOU").table
    assert len(res) == 1
    r = res.iloc[0]
    assert r.p_value == pytest.approx(2 / comb(6, 3))
    assert r.p_adj == pytest.approx(r.p_value)  # a family of one
    assert r.odds_ratio == np.inf and r.cohens_h == pytest.approx(np.pi)


def test_compare_sectors_errors(codings, segments):
    with pytest.raises(InputError, match="not independent"):
        compare.compare_sectors(codings, segments, unit="segment")
    three = segments.assign(sector=["offentlig"] * 3 + ["idéburen"] * 2 + ["annan"] * 3)
    with pytest.raises(InputError, match="exactly two groups"):
        compare.compare_sectors(codings, three, min_n_warn=0)
    res = compare.compare_sectors(codings, three, groups=("offentlig", "annan"), min_n_warn=0).table
    assert set(res["group_b"]) == {"annan"}
    with pytest.raises(InputError, match="no segments"):
        compare.compare_sectors(codings, segments, groups=("offentlig", "stat"), min_n_warn=0)


def test_compare_pairs_returns_a_result_object_on_the_shipped_pairs(shipped):
    from statsmodels.stats.contingency_tables import mcnemar

    seg, pre, cod, iv = shipped
    resp = seg[seg["speaker_role"] == "respondent"]
    with pytest.warns(StatisticalWarning, match="7 pairs of interviews"):
        res = compare.compare_pairs(pre, resp)
    assert isinstance(res, compare.CodeComparison) and res.design == "paired"
    t = res.table
    assert (t["n_pairs"] == 7).all() and (t["both"] + t["only_a"] + t["only_b"] + t["neither"] == 7).all()
    assert "exact McNemar" in res.note and "0.0156" in res.note
    for r in res.tested.itertuples():
        ref = mcnemar(np.array([[r.both, r.only_a], [r.only_b, r.neither]]), exact=True)
        assert r.p_value == pytest.approx(ref.pvalue)
    assert t.loc[t["tested"], "p_value"].min() >= 2 / 2**7 - 1e-12
    # the old DataFrame-like access still works, with a DeprecationWarning
    with pytest.warns(DeprecationWarning, match="CodeComparison"):
        assert res["code"].tolist() == t["code"].tolist()
    with pytest.warns(DeprecationWarning):
        assert res.attrs["note"] == res.note
    with pytest.warns(DeprecationWarning):
        assert len(res) == len(t) and res.iloc[0]["code"] == t.iloc[0]["code"]
    sec = compare.compare_sectors(pre, resp, min_n_warn=0)
    assert sec.design == "independent" and "Fisher" in sec.note


# --------------------------------------------------------------------------- quotes
def test_strongest_quotes(codings, segments):
    pre = precode(segments)
    q = themes.strongest_quotes(segments, codings, per_code=2, precodes=pre)
    assert list(q.columns) == [
        "code", "rank", "interview_id", "segment_id", "sector", "respondent_role",
        "n_coders", "n_hits", "n_other_codes", "text",
    ]
    lou = q[q["code"] == "LAW.LOU"]
    # A-1 and B-1 have both coders; B-1 has more dictionary hits; different interviews first
    assert lou["segment_id"].tolist() == ["B-1", "A-1"] and lou["rank"].tolist() == [1, 2]
    assert lou["n_hits"].iloc[0] > lou["n_hits"].iloc[1]
    trust = q[q["code"] == "GOV.TRUST"]
    assert trust["n_coders"].tolist() == [2, 2]
    # without distinct interviews and with one quote per code
    one = themes.strongest_quotes(segments, codings, per_code=1, codes=["PRIN.DIALOG"])
    assert one["segment_id"].tolist() == ["C-1"]
    # a short segment is never a quote
    short = codings.assign(segment_id=codings["segment_id"].replace("A-1", "A-3"))
    q2 = themes.strongest_quotes(segments, short, codes=["LAW.LOU"])
    assert "A-3" not in set(q2["segment_id"])


def test_strongest_quotes_refuses_personal_data(codings, segments):
    leaky = segments.copy()
    leaky.loc[leaky["segment_id"] == "B-1", "text"] = LONG + "Ring mig på 070-174 06 12 om LOU."
    with pytest.raises(InputError, match="personal data"):
        themes.strongest_quotes(leaky, codings, codes=["LAW.LOU"])
    assert len(themes.strongest_quotes(leaky, codings, codes=["LAW.LOU"], check_pii=False)) == 2


# --------------------------------------------------------------------------- agreement
def test_agreement_summary(codings, segments):
    units = segments["segment_id"]
    res = reliability.agreement_summary(codings, units=units, n_boot=0, metrics=None)
    assert list(res.columns) == [
        "scope", "code", "theme", "metric", "value", "ci_low", "ci_high", "n_units",
        "n_coders", "n_applied", "unit", "note",
    ]
    assert res["scope"].iloc[0] == "overall"
    # per code: exactly iopstudy.interviews.reliability.agreement(by_code=True)
    ref = agreement(codings, by_code=True, n_boot=0, units=list(units))
    per = res[res["scope"] == "code"]
    for code, metric, value in ref[["code", "metric", "value"]].values.tolist():
        got = _row(per, code=code, metric=metric).value
        assert got == pytest.approx(value, nan_ok=True)
    assert per["code"].drop_duplicates().tolist() == ["GOV.TRUST", "PRIN.DIALOG", "LAW.LOU"]  # codebook order
    assert _row(per, code="LAW.LOU", metric="cohen_kappa").n_applied == 5
    # overall: 8 segments x 3 codes pooled; x applied 7, y 5, both 5 -> kappa = 170/218
    ov = res[res["scope"] == "overall"].set_index("metric")
    assert ov.loc["cohen_kappa", "n_units"] == 24
    assert ov.loc["cohen_kappa", "value"] == pytest.approx(170 / 218)
    assert ov.loc["percent_agreement", "value"] == pytest.approx(22 / 24)
    assert "pooled" in ov.loc["cohen_kappa", "unit"]


def test_agreement_summary_ci_and_defaults(codings, segments):
    res = reliability.agreement_summary(codings, units=segments["segment_id"], n_boot=50, seed=1)
    assert set(res["metric"]) == {"percent_agreement", "cohen_kappa", "krippendorff_alpha"}
    ov = res[(res["scope"] == "overall") & (res["metric"] == "cohen_kappa")].iloc[0]
    assert ov.ci_low <= ov.value <= ov.ci_high
    again = reliability.agreement_summary(codings, units=segments["segment_id"], n_boot=50, seed=1)
    pd.testing.assert_frame_equal(res, again)
    # without units, a coder's units are the segments where they have a row: D-1 (coder x
    # only) drops out of kappa, and the segments without codes (A-3, B-2, C-2) are unknown
    loose = reliability.agreement_summary(codings, n_boot=0)
    k = _row(loose, scope="overall", metric="cohen_kappa")
    assert k.n_units == 4 * 3 and "only one coder" in k.note


def test_per_code_table(codings, segments):
    res = reliability.agreement_summary(codings, units=segments["segment_id"], n_boot=20, seed=0)
    per = reliability.per_code_table(res)
    assert list(per.columns) == [
        "code", "n_applied", *res.loc[res["scope"] == "code", "metric"].drop_duplicates(),
        "kappa_ci_low", "kappa_ci_high",
    ]
    assert per["code"].tolist() == ["GOV.TRUST", "PRIN.DIALOG", "LAW.LOU"]  # the order of the summary
    for r in per.itertuples():
        for metric in ("cohen_kappa", "krippendorff_alpha", "percent_agreement"):
            assert getattr(r, metric) == pytest.approx(_row(res, code=r.code, metric=metric).value, nan_ok=True)
        kappa = _row(res, code=r.code, metric="cohen_kappa")
        assert (r.kappa_ci_low, r.kappa_ci_high, r.n_applied) == pytest.approx(
            (kappa.ci_low, kappa.ci_high, kappa.n_applied), nan_ok=True
        )
    with pytest.raises(InputError, match="summary"):
        reliability.per_code_table(res.drop(columns="n_applied"))


# --------------------------------------------------------------------------- notebook tables
def test_corpus_overview_and_counts(shipped):
    seg, pre, cod, iv = shipped
    ov = overview.corpus_overview(iv)
    assert list(ov.table.columns) == list(overview.OVERVIEW_COLUMNS) and len(ov.table) == 14
    assert ov.by_role.loc["All", "All"] == 14 and list(ov.by_role.columns) == ["idéburen", "offentlig", "All"]
    assert ov.by_role.drop(index="All")["All"].to_dict() == iv["respondent_role"].value_counts().to_dict()
    assert "(region)" in ov.by_size_class.index and ov.by_size_class.loc["(region)", "All"] == 2
    assert ov.by_size_class.loc["All"].tolist() == [7, 7, 14]

    c = overview.corpus_counts(shipped)
    assert (c.interviews, c.segments, c.proposals, c.codings, c.coders) == (14, len(seg), len(pre), len(cod), 2)
    assert c.respondent_segments == iv["n_respondent_segments"].sum() and c.illustrative
    assert c.by_sector == {"offentlig": 7, "idéburen": 7}
    assert list(c.by_role) == sorted(c.by_role) and sum(c.by_role.values()) == 14
    assert not overview.corpus_counts((seg, pre, cod, iv.assign(illustrative=False))).illustrative


def test_frequencies_side_by_side_shares_and_totals(codings, segments):
    dic = themes.code_frequencies(codings.drop(columns="coder"), segments, "sector")
    man = themes.code_frequencies(codings, segments, "sector")
    both = overview.frequencies_side_by_side(dic, man, "sector")
    assert len(both) == len(dic)
    assert both[["sector", "code"]].values.tolist() == dic[["sector", "code"]].values.tolist()
    assert (both["share_dictionary"] == dic["share"]).all() and (both["share_manual"] == man["share"]).all()
    assert {"n_interviews_dictionary", "group_interviews_manual", "unit", "theme"} <= set(both.columns)
    with pytest.raises(InputError):
        overview.frequencies_side_by_side(dic, man.drop(columns="share"))

    muni = themes.code_frequencies_by_municipality(codings, segments, "size_class")
    wide = overview.shares_wide(muni, "size_class")
    assert wide.index.tolist() == muni["code"].drop_duplicates().tolist()
    assert set(wide.columns.astype(str)) == {"<10k", "≥200k", "region"}  # the empty class is left out
    assert wide.loc["LAW.LOU", "≥200k"] == _row(muni, size_class="≥200k", code="LAW.LOU").share
    tot = overview.group_totals(muni, "size_class")
    assert tot.columns.tolist() == ["size_class", "group_interviews", "group_segments"]
    assert tot["group_interviews"].sum() == segments["interview_id"].nunique()
    assert tot.index.tolist() == list(range(len(tot)))


def test_top_cooccurrences(codings, segments):
    co = themes.cooccurrence(codings, units=segments["segment_id"], codes=["GOV.TRUST", "PRIN.DIALOG", "LAW.LOU"])
    top = overview.top_cooccurrences(co, 2)
    assert (top["n_both"] > 0).all() and len(top) <= 2
    assert top["jaccard"].is_monotonic_decreasing
    assert overview.top_cooccurrences(co.assign(n_both=0)).empty


def test_quotes_by_theme(codings, segments):
    q = themes.strongest_quotes(segments, codings, per_code=2)
    cb = themes.resolve_codebook(None)
    out = overview.quotes_by_theme(q, cb, "sv")
    assert out["code"].tolist() == [c for _, g in cb.codes.groupby("theme_id", sort=False) for c in g["code_id"]]
    assert out["theme_id"].drop_duplicates().tolist() == cb.codes["theme_id"].drop_duplicates().tolist()
    with_quote = out[out["has_quote"]]
    assert set(with_quote["code"]) == set(q["code"])
    best = q[q["rank"] == 1].set_index("code")
    for r in with_quote.itertuples():
        assert r.segment_id == best.loc[r.code, "segment_id"] and r.text == best.loc[r.code, "text"]
        assert r.label == themes.code_labels(cb, "sv", width=None)[r.code]
    assert out.loc[~out["has_quote"], "text"].isna().all()
    assert str(out["n_coders"].dtype) == "Int64"
    second = overview.quotes_by_theme(q, cb, rank=2)
    assert set(second.loc[second["has_quote"], "code"]) == set(q.loc[q["rank"] == 2, "code"])


# --------------------------------------------------------------------------- dictionary traps
def test_false_positive_check():
    seg = pd.DataFrame({
        "segment_id": ["s1", "s2", "s3"],
        "text": ["De förtroendevalda beslutade.", "Tilliten växte.", "Vi fick lov att börja."],
    })
    pre = precode(seg)
    traps = (
        ("förtroendevald", r"förtroendevald\w*", "GOV.TRUST"),
        ("tillit (not a trap)", r"tillit\w*", "GOV.TRUST"),
        ("lov", r"(?<!\w)(?-i:lov)(?!\w)", "LAW.LOU"),
    )
    out = themes.false_positive_check(seg, pre, traps)
    assert out["n_occurrences"].tolist() == [1, 1, 1]
    assert out["n_coded"].tolist() == [0, 1, 0]
    assert out["handled"].tolist() == [True, False, True]
    assert out["examples"].tolist()[1] == "Tilliten"
    assert len(themes.false_positive_check(seg, pre)) == len(themes.KNOWN_FALSE_POSITIVES)


# --------------------------------------------------------------------------- plots and labels
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_plots(codings, segments, lang):
    note = themes.illustrative_note(lang)
    f = themes.code_frequencies(codings, segments, "sector")
    fig = fint.plot_code_frequencies(f, lang, note=[note])
    texts = [t.get_text() for t in fig.texts]
    assert any(note in t for t in texts)
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == 20
    assert ax.get_xlabel() == ("Share of interviews with the code" if lang == "en" else "Andel intervjuer med koden")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0].startswith("Public" if lang == "en" else "Offentlig") and "(n = 2)" in legend[0]
    plt.close(fig)
    role = themes.code_frequencies(codings, segments, "respondent_role")
    fig = fint.plot_code_frequencies(role, lang, by="respondent_role", kind="heatmap", note=note, preset="slide")
    assert len(fig.axes) == 2  # heatmap + colour bar
    plt.close(fig)
    co = themes.cooccurrence(codings)
    fig = fint.plot_cooccurrence(co, lang, note=note)
    texts = "\n".join(t.get_text() for t in fig.texts)
    assert note in texts and ("Jaccard" in texts)
    plt.close(fig)
    with pytest.raises(InputError):
        fint.plot_code_frequencies(f, lang, kind="pie")


def test_labels():
    assert themes.illustrative_note("en") == "Illustrative data: fictional interviews"
    assert themes.illustrative_note("sv") == "Illustrativa data: fiktiva intervjuer"
    lab = themes.code_labels(lang="en", width=None)
    assert lab["LAW.LOU"] == "Procurement law (LOU, LOV) (LAW.LOU)"
    assert all(len(v.rsplit(" (", 1)[0]) <= 20 for v in themes.code_labels(width=20).values())


# --------------------------------------------------------------------------- shipped corpus (smoke)
def test_load_interview_tables(tmp_path, shipped):
    with pytest.raises(InputError, match="missing"):
        ibuild.load_interview_tables(tmp_path)
    seg, pre, cod, iv = shipped
    assert len(iv) == 14 and set(cod["coder"]) == {"kodare_A", "kodare_B"}
    assert len(seg) > len(pre["segment_id"].unique())


def test_shipped_corpus_smoke(shipped):
    seg, pre, cod, iv = shipped
    names = load_names(CORPUS / "names.txt")
    resp = seg[seg["speaker_role"] == "respondent"]
    coded = themes.coded_segments(seg, cod)
    assert coded["interview_id"].nunique() == 6

    for by in ("sector", "respondent_role", "size_class", "county_name", "skr_group"):
        f = themes.code_frequencies(pre, resp, by)
        assert f["share"].between(0, 1).all()
        assert f.drop_duplicates(subset=[by])["group_interviews"].sum() == 14
    muni = themes.code_frequencies_by_municipality(pre, resp, ("skr_group",))
    assert "region" in set(muni["skr_group"].astype(str))
    manual = themes.code_frequencies(cod, coded, "sector")
    assert manual.drop_duplicates("sector")["group_interviews"].tolist() == [3, 3]

    co = themes.cooccurrence(cod, units=coded["segment_id"])
    assert co["jaccard"].dropna().between(0, 1).all()

    with pytest.warns(StatisticalWarning):
        cs = compare.compare_sectors(pre, resp).table
    assert (cs["total_a"] == 7).all() and (cs["total_b"] == 7).all()
    assert cs.loc[cs["tested"], "p_adj"].ge(cs.loc[cs["tested"], "p_value"] - 1e-12).all()

    q = themes.strongest_quotes(seg, cod, precodes=pre)
    assert not q.empty and q["text"].str.len().ge(80).all()
    assert all(not find_pii(t, names) for t in q["text"])

    ag = reliability.agreement_summary(cod, units=coded["segment_id"], n_boot=0)
    kappa = _row(ag, scope="overall", metric="cohen_kappa").value
    assert 0 < kappa < 1

    traps = themes.false_positive_check(resp, pre)
    for trap in ("förtroendevald", "medborgardialog", "kommungränsen", "kulturtolk"):
        assert _row(traps, trap=trap).handled


# --------------------------------------------------------------------------- notebook
def test_notebook_is_committed_clean():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert "parameters" in code[0]["metadata"].get("tags", [])
    src = "".join(code[0]["source"])
    assert 'lang = "en"' in src and 'data_dir = "../data"' in src and 'reports_dir = "../reports"' in src
    for c in code:
        assert c["outputs"] == [] and c["execution_count"] is None
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "FICTIONAL" in md
    # numbers are printed from code, never typed into the Markdown
    assert not re.search(r"\d", md), re.findall(r".{20}\d.{20}", md)


