"""Tests of iopstudy.coding: pre-coding, manual codings, comparison and agreement.

Expected agreement values come from published worked examples; the source
of each number is in a comment next to it.
"""

from __future__ import annotations

import doctest

import krippendorff
import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa

import iopstudy.interviews.coding as coding
import iopstudy.interviews.reliability as rel
from iopstudy.errors import InputError, IopStudyWarning
from iopstudy.interviews.reliability import AGREEMENT_COLUMNS, agreement
from iopstudy.interviews.codebook import codebook_from_dict, load_codebook
from iopstudy.interviews.coding import (
    PRECODE_COLUMNS,
    compare_codings,
    precode,
    precode_presence,
    precode_reference,
    read_manual_codings,
)

SEED = 20240502


@pytest.fixture(scope="module")
def cb():
    return load_codebook()


def seg(*texts: str, ids=None) -> pd.DataFrame:
    return pd.DataFrame({"segment_id": ids or [f"s{i}" for i in range(len(texts))], "text": list(texts)})


# ====================================================================== precode


def test_precode_example(cb):
    out = precode(seg("Förtroendet växer, sa förtroendevalda. Vi fick lov att börja enligt LOV."), cb)
    assert list(out.columns) == list(PRECODE_COLUMNS)
    assert out[["code", "theme", "matched", "pattern", "start", "end"]].values.tolist() == [
        ["GOV.TRUST", "GOV", "Förtroendet", "förtroende*", 0, 11],
        ["LAW.LOU", "LAW", "LOV", "LOV", 68, 71],
    ]
    assert (out["source"] == "dictionary").all()
    assert out["start"].dtype == "int64" and out["end"].dtype == "int64"


def test_offsets_point_at_the_match(cb):
    s = seg(
        "Det var en gemensam styrgrupp och styrgrupper, varken upphandling eller bidrag.",
        "Samskapande i ögonhöjd; kulturen i kommunen; LOV-systemet.\nNy rad: tre  år.",
    )
    out = precode(s, cb)
    texts = dict(zip(s.segment_id, s.text))
    for r in out.itertuples():
        assert texts[r.segment_id][r.start : r.end] == r.matched


def test_word_for_two_codes_and_phrase_inside_one_code(cb):
    out = precode(seg("Samskapande är viktigt.", "Det var varken upphandling eller bidrag."), cb)
    s0 = out[out.segment_id == "s0"]
    assert sorted(s0["code"]) == ["GOV.NPG", "PRAC.COPROD"]  # samskap* is a stem of both
    s1 = out[out.segment_id == "s1"]
    # the phrase hides its words for HYB.BLUR only; LAW.LOU and PRAC.RES still see them
    assert s1[["code", "matched"]].values.tolist() == [
        ["HYB.BLUR", "varken upphandling eller bidrag"],
        ["LAW.LOU", "upphandling"],
        ["PRAC.RES", "bidrag"],
    ]
    npg = precode(seg("en gemensam styrgrupp, sedan styrgruppen"), cb)
    assert npg[npg.code == "GOV.NPG"]["matched"].tolist() == ["gemensam styrgrupp", "styrgruppen"]


def test_multiword_exclusion_needs_context(cb):
    out = precode(seg("Kultur och fritid betalar, men kulturen skaver. Kultur är svårt."), cb)
    assert out[out.code == "HYB.LOGIC"]["matched"].tolist() == ["kulturen", "Kultur"]


WORDS = (
    "i ögonhöjd på lika villkor för målgruppen nå varken upphandling eller bidrag gemensam "
    "styrgrupp styrgruppen gemensamma kultur och fritid kultur- fritidsförvaltningen kulturen "
    "kulturtolkar LOV lov Lov LOV-system LOU förtroende förtroendevalda medborgardialog dialogen "
    "lita på Lita PÅ tre år från till inte förlängt läggs ner sade upp rädda barnen Rädda "
    "räddningstjänsten kunde kunder nämnde nämnden brukar brukarna begränsa gränsen samskapande "
    "politisk vilja politiska viljan som en förvaltning ett företag egen styrelse styra oss "
    "stöd enskild allmänt intresse ekonomisk verksamhet inget lagrum lagen om valfrihetssystem "
    "ideella världen kommunens värld olika språk vårt sätt bita den hand våga säga"
).split()
SEPS = [" ", " ", " ", "  ", "\n", ", ", ". ", " – ", "\t", "-"]


def random_corpus(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    texts = []
    for _ in range(n):
        k = int(rng.integers(0, 25))
        parts = []
        for _ in range(k):
            parts.append(WORDS[rng.integers(len(WORDS))])
            parts.append(SEPS[rng.integers(len(SEPS))])
        texts.append("".join(parts))
    return seg(*texts)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_precode_equals_reference_on_adversarial_text(cb, seed):
    # phrases, multi-word exclusions, case variants, hyphens and odd separators,
    # against the slow reference (each code's pattern with finditer on each text)
    print(f"seed={seed}")
    s = random_corpus(400, seed)
    fast = precode(s, cb)
    slow = precode_reference(s, cb)
    pd.testing.assert_frame_equal(fast, slow)
    assert len(fast) > 1000


def test_precode_small_chunks_same_result(cb, monkeypatch):
    s = random_corpus(200, 7)
    whole = precode(s, cb)
    monkeypatch.setattr(coding, "_CHUNK_CHARS", 300)  # many chunks, shared vocabulary cache
    pd.testing.assert_frame_equal(precode(s, cb), whole)


def test_precode_columns_and_edge_cases(cb):
    s = pd.DataFrame({"sid": [3, 1, 2], "body": ["tillit", None, ""]})
    out = precode(s, cb, text="body", id="sid")
    assert out["segment_id"].tolist() == [3] and out["segment_id"].dtype == s["sid"].dtype
    empty = precode(s.iloc[:0], cb, text="body", id="sid")
    assert list(empty.columns) == list(PRECODE_COLUMNS) and len(empty) == 0
    assert len(precode(seg("inget här"), cb)) == 0
    with pytest.raises(InputError, match="lacks column"):
        precode(s, cb)
    with pytest.raises(InputError, match="not unique"):
        precode(seg("a", "b", ids=["x", "x"]), cb)
    # pandas string dtype with missing values (as dask and pyarrow give them)
    st = pd.DataFrame({"segment_id": pd.array(["a", "b"], dtype="string"), "text": pd.array(["tillit", None], dtype="string")})
    assert precode(st, cb)["code"].tolist() == ["GOV.TRUST"]
    # a codebook whose code has no stems proposes nothing
    empty_cb = codebook_from_dict({"themes": [{"id": "A", "codes": [{"id": "A.x", "stems": []}]}]})
    assert len(precode(st, empty_cb)) == 0
    # a NUL character does not break the joining of texts
    out = precode(seg("tillit\x00förtroende"), cb)
    assert out["matched"].tolist() == ["tillit", "förtroende"]


def test_decomposed_text_is_normalised_with_warning(cb):
    with pytest.warns(IopStudyWarning, match="NFC"):
        out = precode(seg("Vi har tillit och ja\u0308mlik dialog."), cb)
    assert "jämlik" in out["matched"].tolist()


def test_precode_presence(cb):
    s = seg("tillit och dialog", "inget", "LOV")
    wide = precode_presence(s, cb)
    assert wide.shape == (3, 20) and list(wide.columns) == cb.code_ids
    assert wide.index.tolist() == ["s0", "s1", "s2"] and wide.index.name == "segment_id"
    assert wide.loc["s0", "GOV.TRUST"] and wide.loc["s0", "PRIN.DIALOG"] and wide.loc["s2", "LAW.LOU"]
    assert wide.to_numpy().sum() == 3
    long = precode_presence(s, cb, long=True)
    assert list(long.columns) == ["segment_id", "code", "present"] and len(long) == 60
    assert long["present"].sum() == 3


def test_precode_with_synthetic_codes():
    data = load_codebook().to_dict()
    data["themes"].append(
        {"id": "SYN", "sv": "S", "en": "S", "codes": [
            {"id": "SYN.A", "sv": "a", "en": "a", "definition": "x", "stems": ["blom*", "gul fisk*"],
             "exclude_stems": ["blomkål*"]}]}
    )
    cb = codebook_from_dict(data)
    out = precode(seg("Blommorna, blomkålen och en gul fisken."), cb)
    syn = out[out.code == "SYN.A"]
    assert syn["matched"].tolist() == ["Blommorna", "gul fisken"]
    assert syn["pattern"].tolist() == ["blom*", "gul fisk*"]


# ====================================================================== manual codings


def test_read_manual_codings(tmp_path, cb):
    p = tmp_path / "manual_codings.csv"
    p.write_text(
        "\ufeffsegment_id,code,coder,note\n"
        "s1,GOV.TRUST,anna,\n"
        "s1,GOV.TRUST,anna,dup\n"
        "s2,,anna,read but nothing\n"
        "s2,LAW.LOU,björn,\n",
        encoding="utf-8",
    )
    with pytest.warns(IopStudyWarning, match="duplicate"):
        read = read_manual_codings(p, cb)
    assert read.file == p
    df = read.codings
    assert df.attrs == {}
    assert list(df.columns) == ["segment_id", "code", "coder"]
    assert df.values.tolist() == [["s1", "GOV.TRUST", "anna"], ["s2", None, "anna"], ["s2", "LAW.LOU", "björn"]]


@pytest.mark.parametrize(
    "body, line, column, value",
    [
        ("s1,GOV.TRUST,anna\ns2,GOV.NOPE,anna\n", 3, "code", "GOV.NOPE"),
        ("s1,GOV.TRUST,anna\n,GOV.TRUST,anna\n", 3, "segment_id", None),
        ('s1,GOV.TRUST,anna\n"s2\nx",GOV.TRUST,\n', 4, "coder", None),
    ],
)
def test_read_manual_codings_errors(tmp_path, cb, body, line, column, value):
    p = tmp_path / "m.csv"
    p.write_text("segment_id,code,coder\n" + body, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_manual_codings(p, cb)
    e = exc.value
    assert e.file == str(p) and e.row == line and e.column == column and e.value == value
    assert "m.csv" in str(e)


def test_read_manual_codings_header(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("segment,code,coder\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        read_manual_codings(p)
    with pytest.raises(InputError, match="not found"):
        read_manual_codings(tmp_path / "none.csv")


def test_compare_codings():
    dic = pd.DataFrame({"segment_id": ["a", "a", "b", "c", "z"], "code": ["X", "X", "X", "Y", "X"]})
    man = pd.DataFrame(
        {
            "segment_id": ["a", "a", "b", "b", "c", "c", "d"],
            "code": ["X", "X", "Y", "X", "Y", "X", "X"],
            "coder": ["k1", "k2", "k1", "k2", "k1", "k2", "k1"],
        }
    )
    # consensus (majority): a X (2/2), b: X 1/2 and Y 1/2 -> none, c: none, d X (1/1)
    res = compare_codings(dic, man).set_index("code")
    assert res.loc["X", ["n_units", "n_dictionary", "n_manual", "overlap"]].tolist() == [4, 2, 2, 1]
    assert res.loc["X", "precision"] == 0.5 and res.loc["X", "recall"] == 0.5
    assert res.loc["X", "reference"] == "consensus (majority)"
    assert np.isnan(res.loc["Y", "recall"])  # no consensus Y anywhere
    k1 = compare_codings(dic, man, reference="k1").set_index("code")
    assert k1.loc["Y", ["n_dictionary", "n_manual", "overlap"]].tolist() == [1, 2, 1]
    anyc = compare_codings(dic, man, consensus="any").set_index("code")
    assert anyc.loc["X", "n_manual"] == 4
    detail = compare_codings(dic, man, reference="k1", detail=True)
    assert list(detail.columns) == ["segment_id", "code", "dictionary", "manual"]
    assert "z" not in set(detail.segment_id)  # nobody coded z
    with pytest.raises(InputError, match="no coder"):
        compare_codings(dic, man, reference="nobody")


# ====================================================================== agreement

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School
# for Communication, University of Pennsylvania (repository.upenn.edu/asc_papers/43),
# section "C. Nominal data, any number of observers, missing data": 4 observers x 12 units.
KRIPP = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}
KRIPP_PUBLISHED = {
    "nominal": 0.743,  # Krippendorff (2011), nominal alpha for the example above
    "ordinal": 0.815,  # Krippendorff (2011), ordinal alpha, same data
    "interval": 0.849,  # Krippendorff (2011), interval alpha, same data
    "ratio": 0.797,  # Krippendorff (2011), ratio alpha, same data
}

# Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters.
# Psychological Bulletin 76(5), 378-382: 30 patients, 6 psychiatrists, 5 diagnoses
# (1 depression, 2 personality disorder, 3 schizophrenia, 4 neurosis, 5 other); the
# raw ratings as in R package irr, data set `diagnoses` (also in statsmodels' tests).
DIAGNOSES = np.array(
    [
        [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
        [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
        [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
        [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
        [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
        [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
    ]
)
FLEISS_PUBLISHED = 0.430  # Fleiss (1971), p. 381: kappa = .430
FLEISS_IRR = 0.4302445  # R irr::kappam.fleiss(diagnoses)$value (as in statsmodels' test_inter_rater.py)


def kripp_long() -> pd.DataFrame:
    return (
        pd.DataFrame(KRIPP)
        .rename_axis("unit")
        .reset_index()
        .melt(id_vars="unit", var_name="coder", value_name="value")
        .dropna()
    )


def by_metric(res: pd.DataFrame) -> pd.Series:
    return res.set_index("metric")["value"]


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_krippendorff_2011_example(level):
    res = agreement(kripp_long(), "unit", "coder", "value", level=level, n_boot=0)
    alpha = res.set_index("metric").loc["krippendorff_alpha"]
    assert round(alpha["value"], 3) == KRIPP_PUBLISHED[level]
    assert alpha["level"] == level and alpha["n_units"] == 11 and alpha["n_coders"] == 4
    # and the direct call of the krippendorff package on the coders x units matrix
    data = pd.DataFrame(KRIPP).T.to_numpy(dtype=float)
    direct = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    assert alpha["value"] == pytest.approx(direct, abs=1e-12)


def test_default_level_is_nominal_not_interval():
    res = agreement(kripp_long(), "unit", "coder", "value", n_boot=0)
    assert round(by_metric(res)["krippendorff_alpha"], 3) == 0.743  # Krippendorff (2011), nominal
    assert set(res["level"]) == {"nominal"}
    assert list(res.columns) == list(AGREEMENT_COLUMNS)
    assert "cohen_kappa" not in set(res["metric"])  # four coders
    fl = res.set_index("metric").loc["fleiss_kappa"]
    assert fl["n_units"] == 8 and "4 of 12 units left out" in fl["note"]


def test_fleiss_1971_example():
    long = pd.DataFrame(
        [(i, f"psychiatrist{j + 1}", int(DIAGNOSES[i, j])) for i in range(30) for j in range(6)],
        columns=["patient", "rater", "diagnosis"],
    )
    res = agreement(long, "patient", "rater", "diagnosis", n_boot=0).set_index("metric")
    assert round(res.loc["fleiss_kappa", "value"], 3) == FLEISS_PUBLISHED
    assert res.loc["fleiss_kappa", "value"] == pytest.approx(FLEISS_IRR, abs=5e-8)
    direct = fleiss_kappa(aggregate_raters(DIAGNOSES)[0], method="fleiss")
    assert res.loc["fleiss_kappa", "value"] == pytest.approx(direct, abs=1e-12)
    assert res.loc["fleiss_kappa", "n_units"] == 30 and res.loc["fleiss_kappa", "n_coders"] == 6
    assert res.loc["fleiss_kappa", "note"] == ""


def cohen_wikipedia() -> pd.DataFrame:
    # Wikipedia, "Cohen's kappa", worked example: 50 grant proposals read by A and B;
    # both Yes 20, A Yes/B No 5, A No/B Yes 10, both No 15.
    a = ["Yes"] * 20 + ["Yes"] * 5 + ["No"] * 10 + ["No"] * 15
    b = ["Yes"] * 20 + ["No"] * 5 + ["Yes"] * 10 + ["No"] * 15
    return pd.DataFrame({"segment_id": list(range(50)) * 2, "coder": ["A"] * 50 + ["B"] * 50, "code": a + b})


def test_cohen_wikipedia_example():
    res = agreement(cohen_wikipedia(), n_boot=0).set_index("metric")
    assert res.loc["cohen_kappa", "value"] == pytest.approx(0.4)  # Wikipedia, "Cohen's kappa": kappa = 0.4
    assert res.loc["percent_agreement", "value"] == pytest.approx(0.7)  # Wikipedia: p_o = 0.7
    table = np.array([[15, 10], [5, 20]])  # rows A (No, Yes), columns B
    assert res.loc["cohen_kappa", "value"] == pytest.approx(cohens_kappa(table).kappa, abs=1e-12)
    assert res.loc["cohen_kappa", "n_units"] == 50 and res.loc["cohen_kappa", "n_coders"] == 2


def test_missing_codings_and_units_used():
    df = cohen_wikipedia()
    df = df[~((df.coder == "B") & (df.segment_id >= 45))]  # B skipped 5 units
    res = agreement(df, n_boot=0).set_index("metric")
    assert res.loc["cohen_kappa", "n_units"] == 45
    assert "5 unit(s) coded by only one coder" in res.loc["cohen_kappa", "note"]
    assert res.loc["fleiss_kappa", "n_units"] == 45
    assert res.loc["krippendorff_alpha", "n_units"] == 45
    sub = cohen_wikipedia()
    sub = sub[sub.segment_id < 45]
    assert res.loc["cohen_kappa", "value"] == pytest.approx(by_metric(agreement(sub, n_boot=0))["cohen_kappa"])


def test_all_identical_ratings_are_undefined_with_a_note():
    df = pd.DataFrame({"segment_id": list(range(6)) * 2, "coder": ["A"] * 6 + ["B"] * 6, "code": ["X"] * 12})
    res = agreement(df, n_boot=50).set_index("metric")
    assert res.loc["percent_agreement", "value"] == 1.0
    for m in ("cohen_kappa", "fleiss_kappa", "krippendorff_alpha"):
        assert np.isnan(res.loc[m, "value"]) and np.isnan(res.loc[m, "ci_low"])
        assert res.loc[m, "note"].startswith("undefined")


def test_bootstrap_ci_is_seeded():
    df = cohen_wikipedia()
    a = agreement(df, n_boot=300, seed=1)
    b = agreement(df, n_boot=300, seed=1)
    c = agreement(df, n_boot=300, seed=2)
    pd.testing.assert_frame_equal(a, b)
    assert not a["ci_low"].equals(c["ci_low"])
    assert (a["ci_low"] <= a["value"]).all() and (a["value"] <= a["ci_high"]).all()
    narrow = agreement(df, n_boot=300, seed=1, alpha=0.5)
    assert ((narrow["ci_high"] - narrow["ci_low"]) < (a["ci_high"] - a["ci_low"])).all()
    none = agreement(df, n_boot=0)
    assert none["ci_low"].isna().all()


def test_by_code_presence_absence():
    codings = pd.DataFrame(
        {
            "segment_id": ["s1", "s1", "s2", "s2", "s3", "s3", "s4", "s4", "s4"],
            "code": ["A", "A", "A", "B", "B", "B", "A", "A", "B"],
            "coder": ["k1", "k2", "k1", "k2", "k1", "k2", "k1", "k2", "k2"],
        }
    )
    res = agreement(codings, by_code=True, n_boot=0)
    assert list(res.columns) == ["code", *AGREEMENT_COLUMNS]
    a = res[res.code == "A"].set_index("metric")
    # code A, presence per unit: k1 = [1,1,0,1], k2 = [1,0,0,1] -> 3 of 4 agree
    assert a.loc["percent_agreement", "value"] == pytest.approx(0.75)
    table = np.array([[1, 0], [1, 2]])  # rows k1 (0, 1), columns k2
    assert a.loc["cohen_kappa", "value"] == pytest.approx(cohens_kappa(table).kappa)
    direct = krippendorff.alpha(reliability_data=[[1, 1, 0, 1], [1, 0, 0, 1]], level_of_measurement="nominal")
    assert a.loc["krippendorff_alpha", "value"] == pytest.approx(direct)
    # units: s5 assigned to both coders but nobody coded it -> counts as agreement on absence
    res5 = agreement(codings, by_code=True, n_boot=0, units=["s1", "s2", "s3", "s4", "s5"])
    a5 = res5[res5.code == "A"].set_index("metric")
    assert a5.loc["percent_agreement", "n_units"] == 5
    assert a5.loc["percent_agreement", "value"] == pytest.approx(0.8)
    with pytest.raises(InputError, match="level='nominal'"):
        agreement(codings, by_code=True, level="interval")


def test_by_code_missing_coder_units_are_missing():
    codings = pd.DataFrame(
        {"segment_id": ["s1", "s1", "s2", "s3"], "code": ["A", "A", "A", None], "coder": ["k1", "k2", "k1", "k2"]}
    )
    a = agreement(codings, by_code=True, n_boot=0).set_index("metric")
    # s2 coded only by k1 and s3 only by k2 (with "no code"): only s1 is pairable
    assert a.loc["krippendorff_alpha", "n_units"] == 1


def test_agreement_input_errors():
    df = cohen_wikipedia()
    with pytest.raises(InputError, match="several values"):
        agreement(pd.concat([df, df.assign(code="Maybe").iloc[:1]]))
    with pytest.raises(InputError, match="numeric"):
        agreement(df, level="interval")
    with pytest.raises(InputError, match="level must be"):
        agreement(df, level="nominal-ish")
    with pytest.raises(InputError, match="lacks column"):
        agreement(df, unit="unit")
    with pytest.raises(InputError, match="n_boot"):
        agreement(df, n_boot=-1)


def test_agreement_three_coders_no_cohen():
    df = pd.concat([cohen_wikipedia(), cohen_wikipedia().query("coder == 'A'").assign(coder="C")])
    res = agreement(df, n_boot=0)
    assert res["metric"].tolist() == ["percent_agreement", "fleiss_kappa", "krippendorff_alpha"]
    assert (res["n_coders"] == 3).all()


def test_docstring_examples():
    res = doctest.testmod(coding, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0 and res.attempted > 0


def test_agreement_takes_alpha_and_the_old_ci_with_a_warning():
    df = pd.DataFrame({"segment_id": [1, 1, 2, 2, 3, 3, 4, 4], "coder": list("abababab"),
                       "code": ["x", "x", "y", "y", "x", "y", "y", "y"]})
    new = agreement(df, n_boot=200, seed=3, alpha=0.1)
    with pytest.warns(DeprecationWarning, match="alpha"):
        old = agreement(df, n_boot=200, seed=3, ci=0.9)
    pd.testing.assert_frame_equal(new, old)
    with pytest.raises(InputError, match="alpha"):
        agreement(df, alpha=1.5)


# ------------------------------------------------------------------ vectorised bootstrap
# The bootstrap computes each statistic for a whole batch of resamples at once. It must give
# the numbers a loop of single resamples gives, to the last bit: the same draws, and for each
# resample the value statsmodels or krippendorff computes.

def _loop_boot(stat, n, n_boot, rng, ci, width=1):
    """The bootstrap as a plain loop: one ``rng.integers(0, n, n)`` and one value per resample."""
    if n_boot <= 0 or n == 0:
        return np.nan, np.nan, ""
    vals = [float(stat(rng.integers(0, n, n)[None, :])[0]) for _ in range(n_boot)]
    lo, hi, bad = rel._percentiles(vals, ci)
    return lo, hi, f"{bad} of {n_boot} bootstrap resamples undefined (left out of the CI)" if bad else ""


def _random_ratings(seed: int, n_units: int, n_coders: int, k: int, missing: float) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    vals = rng.integers(0, k, (n_units, n_coders)).astype(float)
    vals[rng.random(vals.shape) < 0.6] = 0  # one common category: some resamples undefined
    vals[rng.random(vals.shape) < missing] = np.nan
    rows = [(u, f"c{c}", 1.5 * vals[u, c] + 1) for u in range(n_units) for c in range(n_coders) if vals[u, c] == vals[u, c]]
    return pd.DataFrame(rows, columns=["unit", "coder", "value"])


@pytest.mark.parametrize(
    ("seed", "n_units", "n_coders", "k", "missing", "level"),
    [(1, 12, 2, 2, 0.0, "nominal"), (2, 30, 3, 4, 0.2, "nominal"), (3, 25, 4, 5, 0.3, "interval"),
     (4, 20, 2, 3, 0.1, "ratio"), (5, 15, 3, 3, 0.2, "ordinal"), (6, 9, 5, 2, 0.4, "nominal")],
)
def test_vectorised_bootstrap_equals_a_loop(monkeypatch, seed, n_units, n_coders, k, missing, level):
    df = _random_ratings(seed, n_units, n_coders, k, missing)
    fast = agreement(df, "unit", "coder", "value", level=level, n_boot=120, seed=seed)
    codes = df.assign(value="K" + df["value"].astype(str))
    fast_codes = agreement(codes, "unit", "coder", "value", by_code=True, n_boot=60, seed=seed, units=range(n_units))
    monkeypatch.setattr(rel, "_boot", _loop_boot)
    slow = agreement(df, "unit", "coder", "value", level=level, n_boot=120, seed=seed)
    slow_codes = agreement(codes, "unit", "coder", "value", by_code=True, n_boot=60, seed=seed, units=range(n_units))
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)
    pd.testing.assert_frame_equal(fast_codes, slow_codes, check_exact=True)
    assert fast["ci_low"].notna().any()


def test_bootstrap_batches_draw_what_single_calls_draw(monkeypatch):
    n, n_boot = 7, 23
    seen = []
    monkeypatch.setattr(rel, "_BATCH_CELLS", 3 * n)  # batches of three resamples
    rel._boot(lambda idx: seen.append(idx.copy()) or idx[:, 0].astype(float), n, n_boot, np.random.default_rng(4), 0.95)
    rng = np.random.default_rng(4)
    assert np.array_equal(np.concatenate(seen), np.stack([rng.integers(0, n, n) for _ in range(n_boot)]))
    assert [len(s) for s in seen] == [3] * 7 + [2]


@pytest.mark.parametrize("k", [2, 3, 6, 11])
def test_batch_statistics_equal_the_reference_packages(k):
    rng = np.random.default_rng(k)
    # Cohen's kappa of k x k tables, against statsmodels
    tables = rng.integers(0, 6, (40, k, k)) * (rng.random((40, k, k)) < 0.5)
    tables[0] = 0
    tables[0, 1, 1] = 5  # one category only: undefined
    got = rel._cohen_batch(tables)
    for t, g in zip(tables, got):
        if ((t.sum(axis=0) + t.sum(axis=1)) > 0).sum() < 2:
            assert np.isnan(g)
        else:
            assert g == float(cohens_kappa(t, return_results=False))
    # Fleiss' kappa of resampled units, against statsmodels (3 coders on every unit)
    table = aggregate_raters(rng.integers(0, k, (30, 3)), n_cat=k)[0]
    idx = rng.integers(0, 30, (25, 30))
    for ix, g in zip(idx, rel._fleiss_batch(table, idx)):
        t = table[ix]
        assert np.isnan(g) if (t.sum(axis=0) > 0).sum() < 2 else g == float(fleiss_kappa(t, method="fleiss"))
    # Krippendorff's alpha of resampled value counts, against krippendorff
    vc = rng.integers(0, 3, (30, k)).astype(float)
    vc = vc[vc.sum(axis=1) >= 2]
    for level, dom in [("nominal", np.arange(k)), ("interval", np.arange(k) * 1.5 + 1), ("ratio", np.arange(k) * 2.0)]:
        idx = rng.integers(0, len(vc), (20, len(vc)))
        for ix, g in zip(idx, rel._alpha_batch(vc, dom, level)(idx)):
            v = vc[ix]
            if ((v.sum(axis=0) > 0).sum()) < 2:
                assert np.isnan(g)
            else:
                assert g == float(krippendorff.alpha(value_counts=v, value_domain=dom, level_of_measurement=level))
    assert rel._alpha_batch(vc, np.arange(k) * 1.0, "ordinal") is None  # ordinal: resample by resample
