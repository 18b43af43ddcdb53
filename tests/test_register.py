"""The register build: nothing lost, nothing silent, clear errors on bad input."""

import subprocess
import sys

import pandas as pd
import pytest

from iopstudy.cli import main
from iopstudy.errors import InputError
from iopstudy.register import build, check_register, read_register
from iopstudy.register.schemas import TABLES, read_processed

HEADER = "record_id,public_party,public_party_level,civil_partners,title,policy_area_text,start,end,amount_text,source_url,source_kind,evidence\n"


def write(tmp_path, text, name="reg.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


@pytest.fixture(scope="module")
def shipped(tmp_path_factory, raw_register):
    out = tmp_path_factory.mktemp("processed")
    return build(register=raw_register, out_dir=out), out


def test_shipped_register_builds_with_every_row_accounted_for(shipped, raw_register):
    res, out = shipped
    n_raw = len(pd.read_csv(raw_register, dtype=str))
    assert res.n_raw == n_raw == 80
    assert len(res.partnerships) + len(res.exclusions) == n_raw
    assert set(res.partnerships.record_id).isdisjoint(res.exclusions.record_id)
    assert (res.exclusions["reason"].str.len() > 0).all()
    for name in TABLES:
        assert (out / f"{name}.parquet").exists() and (out / f"{name}.csv").exists()
        read_processed(name, out)  # schema checked on read


def test_shipped_register_counts_match_sources_md(shipped):
    p = shipped[0].partnerships
    k = p[p.level == "kommun"]
    assert k.kommun_code.nunique() == 26
    assert p.loc[p.level == "region", "county_code"].nunique() == 5  # with SL -> Region Stockholm
    assert (p.level == "region").sum() == 8 and (p.level == "kommun").sum() == 72
    # SOURCES.md: Enköping 13, Göteborg 9, Malmö 6, Eskilstuna 6, Umeå 6
    counts = k.kommun_name.value_counts()
    assert counts[["Enköping", "Göteborg", "Malmö", "Eskilstuna", "Umeå"]].tolist() == [13, 9, 6, 6, 6]
    sl = p.set_index("record_id").loc["IOP-0025"]
    assert sl.public_body_match == "manual" and sl.county_code == "01"
    # 34 rows have a start and 36 have an end (SOURCES.md)
    assert p.start_text.ne("").sum() == 34 and p.end_text.ne("").sum() == 36
    assert p.amount_text.ne("").sum() == 15
    assert p.start_year.min() == 2012 and p.start_year.max() == 2024


def test_panel_covers_all_municipalities_and_only_kommun_agreements(shipped):
    res = shipped[0]
    panel = res.municipality_panel
    years = sorted(panel.year.unique())
    assert years[0] == 2010
    assert len(panel) == 290 * len(years)
    assert panel.kommun_code.map(len).eq(4).all()
    ever = panel.groupby("kommun_code").ever_adopted.first()
    assert ever.sum() == 26
    # region agreements never make a municipality an adopter
    assert not panel.loc[panel.kommun_code == "0180", "ever_adopted"].any()  # Stockholm: none found
    vas = panel[(panel.kommun_code == "1980")].set_index("year")
    assert vas.loc[2012, "iops_started"] == 1 and vas.first_iop_year.iloc[0] == 2012
    assert vas.loc[2011, "adopted"] == False and vas.loc[2013, "adopted"] == True  # noqa: E712
    assert panel["size_class"].cat.ordered and panel["skr_group"].cat.ordered


def test_build_is_deterministic(tmp_path, raw_register):
    a, b = tmp_path / "a", tmp_path / "b"
    build(register=raw_register, out_dir=a)
    build(register=raw_register, out_dir=b)
    for f in sorted(a.iterdir()):
        assert f.read_bytes() == (b / f.name).read_bytes(), f.name


def test_partners_long_table(shipped):
    partners = shipped[0].partners
    p = shipped[0].partnerships
    assert len(partners) == p.n_partners.sum()
    got = partners[partners.record_id == "IOP-0004"]
    assert len(got) == 9 and got.partner_index.tolist() == list(range(1, 10))
    assert set(partners.org_type.cat.categories) >= {"stadsmission", "kvinno_tjejjour", "other"}


def test_exclusions_with_reasons(tmp_path):
    rows = [
        "A1,Göteborgs Stad,kommun,Föreningen X,,,2019,2021,500 tkr,,,",
        "A1,Malmö stad,kommun,Föreningen Y,,,,,,,,",  # duplicate id
        "A3,Socialnämnden,kommun,Föreningen Z,,,,,,,,",  # unknown public party
        "A4,Lunds kommun,kommun,Föreningen Q,,,31 februari 2020,,,,,",  # impossible date
        "A5,Umeå kommun,kommun,Föreningen R,,,,,-500 000 kr,,,",  # negative amount
        "A6,Umeå kommun,kommun,Föreningen S,,,2022,2020,,,,",  # end before start
        "A7,Umeå kommun,kommun,,,,,,,,,",  # no partner
        "A8,Goteborg,kommun,Föreningen T,,,,,,,,",  # fuzzy: kept with a warning
    ]
    path = write(tmp_path, HEADER + "\n".join(rows) + "\n")
    res = build(register=path, out_dir=tmp_path / "out")
    assert len(res.partnerships) + len(res.exclusions) == 8
    ex = res.exclusions.set_index("source_row")
    assert ex.loc[3, "reason"].startswith("duplicate id")
    assert "unknown public party" in ex.loc[4, "reason"]
    assert "impossible date" in ex.loc[5, "reason"] and ex.loc[5, "column"] == "start"
    assert "negative amount" in ex.loc[6, "reason"]
    assert "end before start" in ex.loc[7, "reason"]
    assert "no civil-society partner" in ex.loc[8, "reason"]
    kept = res.partnerships.set_index("record_id")
    assert kept.loc["A8", "public_body_match"] == "fuzzy" and "fuzzy" in kept.loc["A8", "warnings"]


def test_read_latin1_semicolon_excel_export(tmp_path):
    text = HEADER.replace(",", ";") + "B1;Västerås stad;kommun;Tjejjouren Ronja;;;2019;;500 000 kr per år;;;\n"
    path = write(tmp_path, text, encoding="cp1252")
    raw = read_register(path)
    assert raw.attrs["encoding"] == "cp1252" and raw.attrs["delimiter"] == ";"
    assert raw.loc[0, "public_party"] == "Västerås stad"
    assert main(["validate", str(path)]) == 0


def test_read_xlsx(tmp_path):
    df = pd.DataFrame(
        {"record_id": ["X1", "X2"], "public_party": ["Borås Stad", "Kommunen"], "civil_partners": ["Agape", "Förening"]}
    )
    path = tmp_path / "reg.xlsx"
    df.to_excel(path, index=False)
    problems = check_register(path)
    assert problems.loc[problems.severity == "error", "row"].tolist() == [3]
    assert main(["validate", str(path)]) == 1


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "empty"),
        ("record_id,public_party\nA,B\n", "missing required column"),
        (HEADER, "no rows"),
    ],
)
def test_bad_files_give_clear_errors(tmp_path, content, message):
    path = write(tmp_path, content)
    with pytest.raises(InputError, match=message) as info:
        read_register(path)
    assert str(path) in str(info.value)


def test_validate_cli_reports_file_row_column_value(tmp_path, capsys):
    path = write(tmp_path, HEADER + "C1,Lunds kommun,kommun,Förening,,,2020-13-01,,,,,\nC1,Lunds kommun,kommun,Förening,,,,,,,,\n")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:2 [start] error: '2020-13-01'" in out
    assert f"{path}:3 [record_id] error: 'C1': duplicate id" in out


def test_cli_errors_without_traceback(tmp_path):
    missing = tmp_path / "nope.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "iopstudy", "validate", str(missing)], capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "file not found" in proc.stderr and str(missing) in proc.stderr
    bad = write(tmp_path, "\xff\xfe\x00garbage", name="bin.csv", encoding="latin-1")
    proc = subprocess.run([sys.executable, "-m", "iopstudy", "validate", str(bad)], capture_output=True, text=True)
    assert "Traceback" not in proc.stderr
